// The verifiable log under load, on PGlite and (with BENCH_DATABASE_URL) PostgreSQL:
//   1. sustained appends/s: concurrent writers record submissions through the ledger service
//      (one transaction each, as every API write does) while the sequencer runs; the rate is
//      entries that reached a SIGNED checkpoint, measured until the log has caught up. Side by
//      side: the same writers with no sequencer, the baseline the log's cost is measured against;
//   2. submit → signed-checkpoint latency, p50/p99: writers paced at a fixed rate, from the moment
//      a write starts to the commit of the first checkpoint that covers it;
//   3. inclusion proofs served/s over loopback HTTP (random leaves), against a bare Fastify route
//      serving one proof's bytes;
//   4. client verifyInclusion/s on those proofs.
//
//   node bench/log.bench.ts [--seconds 10] [--writers 8] [--rate N] [--interval 200] [--concurrency 8] [--only pglite|postgres]
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/truce_test node bench/log.bench.ts
import { generateKeyPairSync } from 'node:crypto'
import { parseArgs } from 'node:util'
import Fastify from 'fastify'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import type { Database, Dialect } from '../src/db/database.ts'
import { recordSubmission, systemActor } from '../src/modules/ledger/ledger.service.ts'
import { logKeyFrom, type LogKey } from '../src/modules/log/log.keys.ts'
import { logRepository } from '../src/modules/log/log.repository.ts'
import { verifyInclusion } from '../src/modules/log/merkle.ts'
import { sequencePass, startSequencer, type Sequencer } from '../src/modules/log/sequencer.ts'
import { openTestDb } from '../test/helpers/db.ts'
import { fmt, quantile } from './lib.ts'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' }, writers: { type: 'string', default: '8' },
    rate: { type: 'string' }, concurrency: { type: 'string', default: '8' }, interval: { type: 'string', default: '200' },
    only: { type: 'string' },
  },
})
const seconds = Number(values.seconds)
const writers = Number(values.writers)
const concurrency = Number(values.concurrency)
const intervalMs = Number(values.interval)
const pgUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL
if (pgUrl) process.env.TEST_DATABASE_URL = pgUrl

type Write = { id: string; started: number }

/** Records submissions through the ledger service, closed loop, for `seconds`. */
async function closedLoop(db: Database, partyId: string, secs: number, n: number, into: Write[]): Promise<void> {
  const actor = systemActor(partyId)
  const end = performance.now() + secs * 1000
  await Promise.all(Array.from({ length: n }, async (_, w) => {
    for (let i = 0; performance.now() < end; i++) {
      // Each write arrives as a request would, through the event loop. Without this, on PGlite
      // (whose queries resolve without I/O) the writers would run on microtasks alone and starve
      // every timer, the sequencer's included.
      await new Promise((r) => setImmediate(r))
      const started = performance.now()
      const s = await db.kysely.transaction().execute((trx) => recordSubmission(trx, actor, { kind: 'bench.note', subjectId: null, payload: { w, i }, visibility: 'public' }))
      into.push({ id: s.id, started })
    }
  }))
}

/** Starts a write every 1/rate s (open loop), at most `cap` in flight, for `seconds`. */
async function paced(db: Database, partyId: string, secs: number, rate: number, cap: number, into: Write[]): Promise<void> {
  const actor = systemActor(partyId)
  const start = performance.now()
  const total = Math.round(secs * rate)
  const inFlight = new Set<Promise<void>>()
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate
    const wait = due - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    while (inFlight.size >= cap) await Promise.race(inFlight)
    const started = performance.now()
    const p: Promise<void> = db.kysely.transaction().execute((trx) => recordSubmission(trx, actor, { kind: 'bench.note', subjectId: null, payload: { i }, visibility: 'public' }))
      .then((s) => { into.push({ id: s.id, started }) }).finally(() => { inFlight.delete(p) })
    inFlight.add(p)
  }
  await Promise.all(inFlight)
}

type Signed = { size: number; at: number }

async function untilSequenced(db: Database, size: number): Promise<number> {
  const repo = logRepository(db.kysely)
  for (;;) {
    if ((await repo.state()).size >= size) return performance.now()
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** For each write, the time from its start to the commit of the first checkpoint covering it. */
async function latencies(db: Database, writes: Write[], signed: Signed[]): Promise<number[]> {
  const ids = new Set(writes.map((w) => w.id))
  const rows = await db.kysely.selectFrom('log_entries').select(['submission_id', 'leaf_index']).execute()
  const index = new Map(rows.filter((r) => ids.has(r.submission_id)).map((r) => [r.submission_id, r.leaf_index]))
  const sorted = [...signed].sort((a, b) => a.size - b.size)
  const out: number[] = []
  for (const w of writes) {
    const leaf = index.get(w.id)
    if (leaf === undefined) throw new Error(`write ${w.id} never reached the log`)
    const cover = sorted.find((c) => c.size > leaf)
    if (!cover) throw new Error(`no checkpoint covers leaf ${leaf}`)
    out.push(cover.at - w.started)
  }
  return out.sort((a, b) => a - b)
}

async function benchDialect(dialect: Dialect, rate: number) {
  const db = await openTestDb(dialect)
  const key: LogKey = logKeyFrom('bench.truce/log', generateKeyPairSync('ed25519').privateKey)
  const party = (await db.kysely.selectFrom('parties').select('id').where('slug', '=', 'un-osesy').executeTakeFirstOrThrow()).id
  await sequencePass(db, key)
  const repo = logRepository(db.kysely)

  // 0. Baseline: the writers alone, nothing sequencing.
  const bare: Write[] = []
  const t0 = performance.now()
  await closedLoop(db, party, seconds, writers, bare)
  const bareRate = bare.length / ((performance.now() - t0) / 1000)
  await sequencePass(db, key, { batchSize: 100_000 }) // catch up before the measured run

  const signed: Signed[] = []
  const logger = {
    info: (o: object) => { const { size } = o as { size?: number }; if (typeof size === 'number') signed.push({ size, at: performance.now() }) },
    warn: () => {}, error: (o: object) => { console.error('sequencer', o) },
  }
  let sequencer: Sequencer = await startSequencer({ db, key, intervalMs, logger })

  // 1. Sustained: writers flat out, sequencer running; entries in signed checkpoints per second.
  const startSize = (await repo.state()).size
  const sustained: Write[] = []
  const t1 = performance.now()
  await closedLoop(db, party, seconds, writers, sustained)
  const writeRate = sustained.length / ((performance.now() - t1) / 1000)
  const caughtUp = await untilSequenced(db, startSize + sustained.length)
  const appendRate = sustained.length / ((caughtUp - t1) / 1000)
  const checkpoints = signed.filter((s) => s.size > startSize).length
  const satLatency = await latencies(db, sustained, signed)
  await sequencer.stop()

  // 2. Paced: a fixed offered rate; latency from submit to signed checkpoint.
  signed.length = 0
  sequencer = await startSequencer({ db, key, intervalMs, logger })
  const pacedStart = (await repo.state()).size
  const pacedWrites: Write[] = []
  const t2 = performance.now()
  await paced(db, party, seconds, rate, 64, pacedWrites)
  const achieved = pacedWrites.length / ((performance.now() - t2) / 1000)
  await untilSequenced(db, pacedStart + pacedWrites.length)
  const lat = await latencies(db, pacedWrites, signed)
  await sequencer.stop()

  // 3. Proofs over HTTP, random leaves of the whole log; a bare route serving one proof's bytes beside it.
  const app = await buildApp({ db, config: loadConfig({ LOG_LEVEL: 'silent', TRUCE_DATA_DIR: db.location }), logger: false })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const size = (await repo.state()).size
  const sample = await (await fetch(`${base}/api/log/proof/inclusion?leafIndex=${size - 1}`)).text()
  const bareApp = Fastify({ logger: false })
  bareApp.get('/proof', async (_r, reply) => reply.type('application/json').send(sample))
  const bareBase = await bareApp.listen({ port: 0, host: '127.0.0.1' })
  const serve = async (url: () => string, secs: number) => {
    const lats: number[] = []
    let errors = 0
    const end = performance.now() + secs * 1000
    const s = performance.now()
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now()
        const res = await fetch(url())
        await res.arrayBuffer()
        if (res.status !== 200) errors++
        lats.push(performance.now() - t)
      }
    }))
    lats.sort((a, b) => a - b)
    if (errors) throw new Error(`${errors} failed requests`)
    return { rps: lats.length / ((performance.now() - s) / 1000), p50: quantile(lats, 0.5), p99: quantile(lats, 0.99) }
  }
  await serve(() => `${base}/api/log/proof/inclusion?leafIndex=${Math.floor(Math.random() * size)}`, 1)
  const proofs = await serve(() => `${base}/api/log/proof/inclusion?leafIndex=${Math.floor(Math.random() * size)}`, Math.min(seconds, 5))
  const bareProofs = await serve(() => `${bareBase}/proof`, Math.min(seconds, 5))

  // 4. Client verification, on 200 proofs fetched once.
  type P = { leafIdx: number; treeSize: number; root: string; leafHash: string; proof: string[] }
  const fetched = await Promise.all(Array.from({ length: 200 }, async () => (await (await fetch(`${base}/api/log/proof/inclusion?leafIndex=${Math.floor(Math.random() * size)}`)).json()) as P))
  const decoded = fetched.map((p) => ({ ...p, leaf: Buffer.from(p.leafHash, 'base64'), root_: Buffer.from(p.root, 'base64'), path: p.proof.map((h) => Buffer.from(h, 'base64')) }))
  let verified = 0
  const vEnd = performance.now() + 2000
  const vStart = performance.now()
  while (performance.now() < vEnd) {
    for (const p of decoded) if (verifyInclusion(p.leafIdx, p.treeSize, p.leaf, p.path, p.root_)) verified++; else throw new Error('a proof did not verify')
  }
  const verifyRate = verified / ((performance.now() - vStart) / 1000)

  await app.close()
  await bareApp.close()
  await db.dispose()
  return {
    dialect, bareRate, writeRate, appendRate, checkpoints, satP50: quantile(satLatency, 0.5), satP99: quantile(satLatency, 0.99),
    rate, achieved, p50: quantile(lat, 0.5), p99: quantile(lat, 0.99), size, proofs, bareProofs, verifyRate,
    proofLength: decoded[0]?.path.length ?? 0,
  }
}

const dialects: Dialect[] = (pgUrl ? ['pglite', 'postgres'] as const : ['pglite'] as const).filter((d) => !values.only || d === values.only)
console.log(`verifiable log — ${seconds} s per phase, ${writers} writers, sequencer every ${intervalMs} ms (batches of ≤ 500), ${concurrency} HTTP clients`)
if (!pgUrl) console.log('(set BENCH_DATABASE_URL to add PostgreSQL)')
for (const d of dialects) {
  const rate = values.rate ? Number(values.rate) : d === 'postgres' ? 1000 : 100
  const r = await benchDialect(d, rate)
  console.log(`\n${r.dialect}`)
  console.log(`  writes alone (no sequencer)     ${fmt(r.bareRate)} submissions/s`)
  console.log(`  writes with the sequencer       ${fmt(r.writeRate)} submissions/s  (${fmt(r.writeRate / r.bareRate, 3)} of alone)`)
  console.log(`  sustained appends, signed       ${fmt(r.appendRate)} entries/s into ${r.checkpoints} checkpoints (until caught up)`)
  console.log(`  latency at saturation           p50 ${fmt(r.satP50)} ms, p99 ${fmt(r.satP99)} ms`)
  console.log(`  paced ${r.rate}/s (achieved ${fmt(r.achieved)}/s)  submit → signed checkpoint p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms`)
  console.log(`  inclusion proofs over HTTP      ${fmt(r.proofs.rps)} req/s (p50 ${fmt(r.proofs.p50, 2)} ms, p99 ${fmt(r.proofs.p99, 2)} ms) in a tree of ${r.size}; bare Fastify ${fmt(r.bareProofs.rps)} req/s (${fmt(r.proofs.rps / r.bareProofs.rps, 3)})`)
  console.log(`  client verifyInclusion          ${fmt(r.verifyRate, 0)} proofs/s (${r.proofLength}-hash proofs)`)
}
