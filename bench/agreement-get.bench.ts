// Authenticated GET of an agreement through the whole stack (API key → principal → visibility
// SQL → assembly → JSON) against a bare Fastify route serving the same bytes, side by side in
// one run, alternating rounds; on PGlite always and on PostgreSQL when a URL is given.
//
//   node bench/agreement-get.bench.ts [--seconds 5] [--rounds 3] [--concurrency 8]
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/truce_test node bench/agreement-get.bench.ts
import { parseArgs } from 'node:util'
import Fastify from 'fastify'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import type { Dialect } from '../src/db/database.ts'
import { openTestDb } from '../test/helpers/db.ts'
import { fmt, load, median } from './lib.ts'
import { signIn } from '../test/helpers/app.ts'

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, rounds: { type: 'string', default: '3' }, concurrency: { type: 'string', default: '8' } } })
const seconds = Number(values.seconds)
const rounds = Number(values.rounds)
const concurrency = Number(values.concurrency)
const pgUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL
if (pgUrl) process.env.TEST_DATABASE_URL = pgUrl

async function benchDialect(dialect: Dialect) {
  const db = await openTestDb(dialect)
  const app = await buildApp({ db, config: loadConfig({ LOG_LEVEL: 'silent', TRUCE_DATA_DIR: db.location }), logger: false })
  await app.ready()
  const s = await signIn(app, 'coordinator.us@truce.demo')
  const created = await s.request('POST', '/api/api-keys', { name: 'bench', scopes: ['submission.read'] })
  const token = (created.json() as { token: string }).token
  const truceUrl = `${await app.listen({ port: 0, host: '127.0.0.1' })}/api/agreements/syria-coh-2016`
  const headers = { authorization: `Bearer ${token}` }
  const sample = await fetch(truceUrl, { headers })
  if (sample.status !== 200) throw new Error(`warm-up GET answered ${sample.status}`)
  const body = await sample.text()

  const bare = Fastify({ logger: false })
  bare.get('/agreement', async (_req, reply) => reply.type('application/json').send(body))
  const bareUrl = `${await bare.listen({ port: 0, host: '127.0.0.1' })}/agreement`

  await load(truceUrl, headers, 1, concurrency)
  await load(bareUrl, {}, 1, concurrency)
  const truce: number[] = []
  const baseline: number[] = []
  const ratios: number[] = []
  const p50: number[] = []
  const p99: number[] = []
  for (let r = 0; r < rounds; r++) {
    const a = await load(truceUrl, headers, seconds, concurrency)
    const b = await load(bareUrl, {}, seconds, concurrency)
    if (a.errors || b.errors) throw new Error(`errors during the run: truce ${a.errors}, bare ${b.errors}`)
    truce.push(a.rps); baseline.push(b.rps); ratios.push(a.rps / b.rps); p50.push(a.p50ms); p99.push(a.p99ms)
  }
  await app.close(); await bare.close(); await db.dispose()
  return { dialect, bytes: body.length, truce: median(truce), baseline: median(baseline), ratio: median(ratios), p50: median(p50), p99: median(p99) }
}

const dialects: Dialect[] = pgUrl ? ['pglite', 'postgres'] : ['pglite']
console.log(`agreement GET vs bare Fastify — ${rounds} alternating rounds of ${seconds} s, ${concurrency} concurrent clients, loopback HTTP`)
if (!pgUrl) console.log('(set BENCH_DATABASE_URL to add PostgreSQL)')
console.log('dialect   body B  truce req/s  bare req/s  truce/bare  truce p50 ms  truce p99 ms')
for (const d of dialects) {
  const r = await benchDialect(d)
  console.log(`${r.dialect.padEnd(9)} ${String(r.bytes).padStart(6)}  ${fmt(r.truce).padStart(11)}  ${fmt(r.baseline).padStart(10)}  ${fmt(r.ratio, 3).padStart(10)}  ${fmt(r.p50, 2).padStart(12)}  ${fmt(r.p99, 2).padStart(12)}`)
}
