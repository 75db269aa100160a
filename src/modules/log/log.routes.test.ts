// The verifiable log through the API, on a real database: submissions become entries in seq
// order, the checkpoint is signed by the log key, every proof the server hands out verifies with
// the verifier functions alone, tiles hold exactly the recomputed hashes, receipts are C2SP
// tlog-proof@v1, lookups by submission follow its visibility, and the head moves only by CAS.
import { createHash, randomUUID, verify as edVerify } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anonymous, DEMO, makeTestApp, signIn, type Session, type TestApp } from '../../../test/helpers/app.ts'
import { dialects } from '../../../test/helpers/db.ts'
import { ed25519PublicKeyObject } from '../../lib/ed25519.ts'
import { recordSubmission, systemActor } from '../ledger/ledger.service.ts'
import { openCheckpoint } from './checkpoint.ts'
import { loadOrCreateLogKey, type LogKey } from './log.keys.ts'
import { logRepository } from './log.repository.ts'
import { verifyConsistency, verifyInclusion } from './merkle.ts'
import { verifierFromVkey } from './note.ts'
import { checkLog, sequencePass, startSequencer } from './sequencer.ts'
import { decodeEntryBundle, decodeTile } from './tiles.ts'

const ORIGIN = 'truce.test/log'

// RFC 9162 hashing and the recursive MTH, written out again so the checks share no code with the log.
const sha256 = (...parts: Uint8Array[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest()
const leafOf = (entry: string) => sha256(Buffer.from([0]), Buffer.from(entry, 'utf8'))
function mth(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return sha256()
  if (leaves.length === 1) return leaves[0]!
  let k = 1
  while (k * 2 < leaves.length) k *= 2
  return sha256(Buffer.from([1]), mth(leaves.slice(0, k)), mth(leaves.slice(k)))
}
const b64 = (s: string) => Buffer.from(s, 'base64')

type Inclusion = { leafIdx: number; treeSize: number; root: string; leafHash: string; proof: string[] }
type Consistency = { size1: number; size2: number; root1: string; root2: string; proof: string[] }
type ErrorBody = { error: { code: string; details: { path?: string }[] } }

/** Reads a tlog-proof@v1 receipt by the C2SP text format, and checks it end to end. */
function checkReceipt(text: string, vkey: string): { entry: string; index: number; size: number } {
  const lines = text.split('\n')
  expect(lines[0]).toBe('c2sp.org/tlog-proof@v1')
  expect(lines[1]).toMatch(/^extra [A-Za-z0-9+/]+=*$/)
  expect(lines[2]).toMatch(/^index (0|[1-9][0-9]*)$/)
  const entry = b64(lines[1]!.slice(6)).toString('utf8')
  const index = Number(lines[2]!.slice(6))
  const blank = lines.indexOf('', 3)
  const proof = lines.slice(3, blank).map(b64)
  const { checkpoint } = openCheckpoint(lines.slice(blank + 1).join('\n'), [verifierFromVkey(vkey)])
  expect(checkpoint.origin).toBe(ORIGIN)
  expect(verifyInclusion(index, checkpoint.size, leafOf(entry), proof, checkpoint.rootHash)).toBe(true)
  return { entry, index, size: checkpoint.size }
}

describe.each(dialects())('the verifiable log on %s', (dialect) => {
  let t: TestApp
  let key: LogKey
  let keyDir: string
  let admin: Session
  let adminParty: string
  const get = (url: string, headers: Record<string, string> = {}) => anonymous(t.app).request('GET', url, undefined, headers)
  const signedCheckpoint = async () => {
    const res = await get('/log/checkpoint')
    expect(res.statusCode).toBe(200)
    return openCheckpoint(res.body, [verifierFromVkey(key.vkey)]).checkpoint
  }
  const storedEntries = () => t.db.kysely.selectFrom('log_entries').select(['leaf_index', 'submission_id', 'entry', 'opening']).orderBy('leaf_index').execute()
  async function addSubmissions(n: number): Promise<string[]> {
    return t.db.kysely.transaction().execute(async (trx) => {
      const ids: string[] = []
      for (let i = 0; i < n; i++) {
        ids.push((await recordSubmission(trx, systemActor(adminParty), { kind: 'test.note', subjectId: null, payload: { n: i, note: `note ${i}` }, visibility: 'public' })).id)
      }
      return ids
    })
  }

  beforeAll(async () => {
    t = await makeTestApp(dialect)
    keyDir = mkdtempSync(join(tmpdir(), 'truce-log-key-'))
    key = loadOrCreateLogKey(ORIGIN, join(keyDir, 'log-key.pem')).key
    admin = await signIn(t.app, DEMO.admin)
    adminParty = ((await admin.request('GET', '/api/auth/me')).json() as { partyId: string }).partyId
  })
  afterAll(async () => {
    await t?.close()
    if (keyDir) rmSync(keyDir, { recursive: true, force: true })
  })

  it('answers 404 for the checkpoint, the vkey, tiles and entries before the first checkpoint', async () => {
    for (const url of ['/log/checkpoint', '/log/vkey', '/log/tile/0/000.p/1', '/log/tile/entries/000.p/1']) {
      const res = await get(url)
      expect(res.statusCode, url).toBe(404)
      expect(res.headers['cache-control'], url).toBe('no-store')
    }
    const first = await t.db.kysely.selectFrom('submissions').select('id').where('visibility', '=', 'public').orderBy('seq').executeTakeFirstOrThrow()
    expect((await get(`/api/log/entries/${first.id}`)).statusCode).toBe(404)
    expect((await get(`/api/log/receipts/${first.id}`)).statusCode).toBe(404)
  })

  it('sequences the recorded submissions in seq order, each entry built from its row, under a checkpoint signed by the log key', async () => {
    const submissions = await t.db.kysely.selectFrom('submissions').selectAll().orderBy('seq').execute()
    expect(submissions.length).toBeGreaterThan(10)
    const pass = await sequencePass(t.db, key)
    expect(pass).toMatchObject({ size: submissions.length, added: submissions.length })

    const entries = await storedEntries()
    expect(entries.map((e) => e.leaf_index)).toEqual(submissions.map((_, i) => i))
    expect(entries.map((e) => e.submission_id)).toEqual(submissions.map((s) => s.id))
    const pub = ed25519PublicKeyObject(key.publicKey)
    expect(new Set(submissions.map((s) => s.visibility === 'public'))).toEqual(new Set([true, false]))
    entries.forEach((e, i) => {
      const s = submissions[i]!
      // A non-public submission's leaf is sealed: only its seq and the hash of the full entry.
      // Who submitted what, about which subject, stays with those the visibility admits.
      if (s.visibility === 'public') {
        expect(e.opening).toBeNull()
      } else {
        expect(JSON.parse(e.entry)).toEqual({ v: 1, seq: s.seq, sealed: createHash('sha256').update(e.opening!, 'utf8').digest('hex') })
        for (const secret of [s.id, s.party_id, s.kind, s.visibility]) expect(e.entry).not.toContain(secret)
      }
      const full = e.opening ?? e.entry
      const entry = JSON.parse(full) as Record<string, unknown> & { signature: { by: string; key: string; signature: string } }
      expect(entry).toMatchObject({ v: 1, submissionId: s.id, seq: s.seq, partyId: s.party_id, kind: s.kind, visibility: s.visibility, payloadSha256: s.payload_sha256 })
      // The demo was loaded by the server on nobody's key: the log attests it, and says so.
      expect(entry.signature).toMatchObject({ by: 'server', key: key.vkey })
      expect(edVerify(null, Buffer.from(s.payload, 'utf8'), pub, b64(entry.signature.signature))).toBe(true)
      expect(full).not.toContain(s.payload)
    })

    const checkpoint = await signedCheckpoint()
    expect(checkpoint.size).toBe(submissions.length)
    expect(checkpoint.rootHash.equals(mth(entries.map((e) => leafOf(e.entry))))).toBe(true)
    const vkey = await get('/log/vkey')
    expect(vkey.body).toBe(`${key.vkey}\n`)
    expect(vkey.headers['content-type']).toMatch(/^text\/plain/)
    expect((await get('/api/log/keys')).json()).toEqual({ current: key.vkey, rotations: [] })
    // Nothing new: no new checkpoint.
    expect(await sequencePass(t.db, key)).toEqual({ size: submissions.length, added: 0, checkpoint: null })
  })

  it('sequences writes made through the API while the sequencer runs; their receipts are tlog-proof@v1 and verify', async () => {
    const sequencer = await startSequencer({ db: t.db, key, intervalMs: 20 })
    try {
      const ids: string[] = []
      for (const slug of ['au', 'ecowas', 'igad']) {
        const res = await admin.request('POST', '/api/parties', { slug, name: { en: slug.toUpperCase() }, kind: 'monitor' })
        expect(res.statusCode).toBe(201)
        const named = String(res.headers['x-truce-submissions'] ?? '')
        expect(named).toMatch(/^[0-9a-f-]{36}$/)
        ids.push(named)
      }
      for (const id of ids) {
        let res: LightMyRequestResponse | undefined
        for (let tries = 0; tries < 200; tries++) {
          res = await get(`/api/log/receipts/${id}`)
          if (res.statusCode === 200) break
          await new Promise((r) => setTimeout(r, 25))
        }
        expect(res!.statusCode).toBe(200)
        expect(res!.headers['content-type']).toMatch(/^text\/plain/)
        const { entry, index } = checkReceipt(res!.body, key.vkey)
        expect(JSON.parse(entry)).toMatchObject({ submissionId: id, kind: 'party.create' })
        const byId = (await get(`/api/log/entries/${id}`)).json() as { leafIndex: number; entry: string; leafHash: string }
        expect(byId).toMatchObject({ leafIndex: index, entry })
        expect(b64(byId.leafHash).equals(leafOf(entry))).toBe(true)
      }
      // The three writes are three consecutive leaves, in the order they were made.
      const indices = await Promise.all(ids.map(async (id) => ((await get(`/api/log/entries/${id}`)).json() as { leafIndex: number }).leafIndex))
      expect(indices).toEqual([indices[0], indices[0]! + 1, indices[0]! + 2])
    } finally {
      await sequencer.stop()
    }
  })

  it('gives an inclusion proof for every entry, by index and by leaf hash, that verifies against the signed root', async () => {
    const checkpoint = await signedCheckpoint()
    const entries = await storedEntries()
    expect(entries).toHaveLength(checkpoint.size)
    for (const e of entries) {
      const byIndex = await get(`/api/log/proof/inclusion?leafIndex=${e.leaf_index}`)
      expect(byIndex.statusCode).toBe(200)
      const p = byIndex.json() as Inclusion
      expect(p).toMatchObject({ leafIdx: e.leaf_index, treeSize: checkpoint.size, root: checkpoint.rootHash.toString('base64') })
      expect(b64(p.leafHash).equals(leafOf(e.entry))).toBe(true)
      expect(verifyInclusion(e.leaf_index, checkpoint.size, leafOf(e.entry), p.proof.map(b64), checkpoint.rootHash)).toBe(true)
      const byHash = await get(`/api/log/proof/inclusion?leafHash=${encodeURIComponent(p.leafHash)}`)
      expect(byHash.json()).toEqual(p)
    }
    // In an older tree too, against that tree's root.
    const older = await t.db.kysely.selectFrom('log_checkpoints').select(['size', 'note']).orderBy('size').executeTakeFirstOrThrow()
    const olderRoot = openCheckpoint(older.note, [verifierFromVkey(key.vkey)]).checkpoint.rootHash
    const p = (await get(`/api/log/proof/inclusion?leafIndex=${older.size - 1}&treeSize=${older.size}`)).json() as Inclusion
    expect(p.root).toBe(olderRoot.toString('base64'))
    expect(verifyInclusion(older.size - 1, older.size, b64(p.leafHash), p.proof.map(b64), olderRoot)).toBe(true)
  })

  it('gives a consistency proof between every pair of signed checkpoints that verifies', async () => {
    await addSubmissions(5)
    await sequencePass(t.db, key, { batchSize: 2 })
    await sequencePass(t.db, key, { batchSize: 2 })
    const checkpoints = (await t.db.kysely.selectFrom('log_checkpoints').select(['size', 'note']).orderBy('size').execute())
      .map((c) => openCheckpoint(c.note, [verifierFromVkey(key.vkey)]).checkpoint)
    expect(checkpoints.length).toBeGreaterThanOrEqual(4)
    let pairs = 0
    for (const a of checkpoints) {
      for (const b of checkpoints.filter((c) => c.size >= a.size)) {
        const res = await get(`/api/log/proof/consistency?size1=${a.size}&size2=${b.size}`)
        expect(res.statusCode).toBe(200)
        const p = res.json() as Consistency
        expect(p).toMatchObject({ size1: a.size, size2: b.size, root1: a.rootHash.toString('base64'), root2: b.rootHash.toString('base64') })
        expect(verifyConsistency(a.size, b.size, a.rootHash, b.rootHash, p.proof.map(b64)), `${a.size} → ${b.size}`).toBe(true)
        pairs++
      }
    }
    expect(pairs).toBe(checkpoints.length * (checkpoints.length + 1) / 2)
    // size2 defaults to the latest checkpoint.
    const latest = checkpoints[checkpoints.length - 1]!
    expect(((await get(`/api/log/proof/consistency?size1=${checkpoints[0]!.size}`)).json() as Consistency).size2).toBe(latest.size)
  })

  it('serves tlog-tiles: hash tiles and entry bundles hold exactly the recomputed hashes and entries', async () => {
    await addSubmissions(300)
    await sequencePass(t.db, key)
    const { size } = await signedCheckpoint()
    expect(size).toBeGreaterThan(256)
    const entries = await storedEntries()
    const leaves = entries.map((e) => leafOf(e.entry))

    const full = await get('/log/tile/0/000')
    expect(full.statusCode).toBe(200)
    expect(full.headers['content-type']).toBe('application/octet-stream')
    expect(full.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(full.rawPayload.length).toBe(8192)
    expect(decodeTile(full.rawPayload)).toEqual(leaves.slice(0, 256))

    const width = size - 256
    const partial = await get(`/log/tile/0/001.p/${width}`)
    expect(partial.statusCode).toBe(200)
    expect(decodeTile(partial.rawPayload)).toEqual(leaves.slice(256, size))
    // A narrower partial tile is a prefix of it; a wider one does not exist yet.
    expect(decodeTile((await get('/log/tile/0/001.p/3')).rawPayload)).toEqual(leaves.slice(256, 259))
    expect((await get(`/log/tile/0/001.p/${width + 1}`)).statusCode).toBe(404)
    expect((await get('/log/tile/0/001')).statusCode).toBe(404)

    // Level 1 hashes are the roots of whole level-0 tiles: MTH of 256 leaves.
    const level1 = await get('/log/tile/1/000.p/1')
    expect(level1.statusCode).toBe(200)
    expect(decodeTile(level1.rawPayload)).toEqual([mth(leaves.slice(0, 256))])
    expect((await get('/log/tile/1/000.p/2')).statusCode).toBe(404)

    const bundle = await get('/log/tile/entries/000')
    expect(bundle.statusCode).toBe(200)
    expect(bundle.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(decodeEntryBundle(bundle.rawPayload).map((b) => b.toString('utf8'))).toEqual(entries.slice(0, 256).map((e) => e.entry))
    const gzipped = await get(`/log/tile/entries/001.p/${width}`, { 'accept-encoding': 'gzip, identity' })
    expect(gzipped.headers['content-encoding']).toBe('gzip')
    expect(decodeEntryBundle(gunzipSync(gzipped.rawPayload)).map((b) => b.toString('utf8'))).toEqual(entries.slice(256).map((e) => e.entry))

    // Only the canonical spelling of a path names a resource.
    for (const url of ['/log/tile/0/0', '/log/tile/00/000', '/log/tile/0/x000/000', '/log/tile/0/000.p/0', '/log/tile/0/000.p/256', '/log/tile/64/000', '/log/tile/blobs/000']) {
      const res = await get(url)
      expect(res.statusCode, url).toBe(404)
      expect((res.json() as ErrorBody).error.code, url).toBe('not_found')
    }
  })

  it('finds entries and receipts by submission only where the submission is visible, answering a hidden one like a missing one', async () => {
    const monitor = await signIn(t.app, DEMO.monitor)
    const created = await monitor.request('POST', '/api/api-keys', { name: 'log visibility', scopes: ['submission.read'] })
    expect(created.statusCode).toBe(201)
    const hidden = String(created.headers['x-truce-submissions'])
    const visible = await t.db.kysely.selectFrom('submissions').select('id').where('visibility', '=', 'public').orderBy('seq').executeTakeFirstOrThrow()
    await sequencePass(t.db, key)

    const analyst = await signIn(t.app, DEMO.analyst)
    const strip = (res: LightMyRequestResponse) => ({ status: res.statusCode, error: (res.json() as ErrorBody).error })
    for (const route of ['entries', 'receipts']) {
      for (const who of [analyst.request, anonymous(t.app).request]) {
        const asked = await who('GET', `/api/log/${route}/${hidden}`)
        const missing = await who('GET', `/api/log/${route}/${randomUUID()}`)
        expect(strip(asked)).toEqual(strip(missing))
        expect(asked.statusCode).toBe(404)
      }
      expect((await monitor.request('GET', `/api/log/${route}/${hidden}`)).statusCode).toBe(200)
      expect((await get(`/api/log/${route}/${visible.id}`)).statusCode).toBe(200)
    }
    // The entitled viewer gets the sealed leaf and its opening, which hashes to the seal.
    const entry = ((await monitor.request('GET', `/api/log/entries/${hidden}`)).json() as { leafIndex: number; entry: string; opening: string | null })
    const sealed = JSON.parse(entry.entry) as { sealed: string }
    expect(entry.opening).toContain(hidden)
    expect(sealed.sealed).toBe(createHash('sha256').update(entry.opening!, 'utf8').digest('hex'))
    const visibleEntry = (await get(`/api/log/entries/${visible.id}`)).json() as { entry: string; opening: string | null }
    expect(visibleEntry.opening).toBeNull()
    expect(JSON.parse(visibleEntry.entry)).toMatchObject({ submissionId: visible.id })
    // The leaf itself is public by leaf index, in proofs and tiles: it names neither the
    // submission, nor its party, nor its kind.
    const byIndex = (await get(`/api/log/proof/inclusion?leafIndex=${entry.leafIndex}`)).json() as Inclusion
    expect(b64(byIndex.leafHash).equals(leafOf(entry.entry))).toBe(true)
    const width = (entry.leafIndex % 256) + 1
    const tile = await get(`/log/tile/entries/${String(Math.floor(entry.leafIndex / 256)).padStart(3, '0')}${width === 256 ? '' : `.p/${width}`}`)
    expect(tile.statusCode).toBe(200)
    const leaves = decodeEntryBundle(tile.rawPayload).map((b) => b.toString('utf8'))
    expect(leaves[entry.leafIndex % 256]).toBe(entry.entry)
    expect(leaves.join('\n')).not.toContain(hidden)
    const receipt = await monitor.request('GET', `/api/log/receipts/${hidden}`)
    expect(checkReceipt(receipt.body, key.vkey).entry).toBe(entry.entry)
  })

  it('answers bad proof requests with 400s that name the parameter', async () => {
    const { size } = await signedCheckpoint()
    const cases: [string, number, string, string][] = [
      ['/api/log/proof/inclusion', 400, 'validation_failed', 'query.leafIndex'],
      ['/api/log/proof/inclusion?leafIndex=1&leafHash=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', 400, 'validation_failed', 'query.leafIndex'],
      ['/api/log/proof/inclusion?leafHash=abc', 400, 'validation_failed', 'query.leafHash'],
      ['/api/log/proof/inclusion?leafIndex=-1', 400, 'validation_failed', 'query.leafIndex'],
      [`/api/log/proof/inclusion?leafIndex=0&treeSize=${size + 1}`, 400, 'tree_size_too_large', 'query.treeSize'],
      ['/api/log/proof/inclusion?leafIndex=5&treeSize=3', 400, 'not_in_tree', 'query.treeSize'],
      [`/api/log/proof/consistency?size1=${size}&size2=2`, 400, 'sizes_out_of_order', 'query.size1'],
      ['/api/log/proof/consistency?size1=0', 400, 'validation_failed', 'query.size1'],
      ['/api/log/proof/consistency?size1=1&size3=2', 400, 'validation_failed', 'query.size3'],
    ]
    for (const [url, status, code, path] of cases) {
      const res = await get(url)
      expect(res.statusCode, url).toBe(status)
      const body = res.json() as ErrorBody
      expect(body.error.code, url).toBe(code)
      expect(body.error.details.map((d) => d.path), url).toContain(path)
    }
    expect((await get(`/api/log/proof/inclusion?leafIndex=${size}`)).statusCode).toBe(404)
    expect((await get(`/api/log/proof/inclusion?leafHash=${'A'.repeat(43)}=`)).statusCode).toBe(404)
  })

  it('moves the head only by compare-and-swap: a stale head is refused, and racing passes still build one tree', async () => {
    const repo = logRepository(t.db.kysely)
    const head = await repo.state()
    expect(await repo.moveState(head.size - 1, { size: head.size + 1, rootHash: head.rootHash, checkpointSize: null, seqFloor: head.seqFloor })).toBe(false)
    expect(await repo.state()).toEqual(head)

    const ids = await addSubmissions(40)
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => sequencePass(t.db, key, { batchSize: 7 })))
    for (const r of results) expect(r.status).toBe('fulfilled')
    while ((await sequencePass(t.db, key)).added > 0) { /* drain */ }
    const entries = await storedEntries()
    expect(new Set(entries.map((e) => e.submission_id)).size).toBe(entries.length)
    expect(entries.slice(-40).map((e) => e.submission_id)).toEqual(ids)
    const checked = await checkLog(t.db, key)
    expect(checked.size).toBe(entries.length)
    expect(checked.rootHash.equals(mth(entries.map((e) => leafOf(e.entry))))).toBe(true)
  })

  it('refuses UPDATE, DELETE and TRUNCATE on entries, nodes and checkpoints', async () => {
    for (const [table, column] of [['log_entries', 'sequenced_at'], ['log_nodes', 'hash'], ['log_checkpoints', 'created_at']] as const) {
      await expect(t.db.exec(`update ${table} set ${column} = ${column}`)).rejects.toThrow(/append-only/)
      await expect(t.db.exec(`delete from ${table}`)).rejects.toThrow(/append-only/)
      await expect(t.db.exec(`truncate ${table} cascade`)).rejects.toThrow(/append-only/)
    }
  })
})
