// The sequencer over restarts and witnesses, on a real database: a restart (a new process on the
// same database and key) continues the same tree; a log that does not check out against the key
// is refused before anything is signed on it; witnesses cosign each checkpoint with a consistency
// proof, and one that is down does not hold sequencing up.
import { createPrivateKey, generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dialects, openTestDb, type TestDatabase } from '../../../test/helpers/db.ts'
import { buildApp } from '../../app.ts'
import { loadConfig } from '../../config.ts'
import { openPGlite, openPostgres, type Database } from '../../db/database.ts'
import { recordSubmission, systemActor } from '../ledger/ledger.service.ts'
import { openCheckpoint } from './checkpoint.ts'
import { loadOrCreateLogKey, logKeyFrom, type LogKey } from './log.keys.ts'
import { logRepository, nodeReader } from './log.repository.ts'
import { consistencyProof, treeRoot, verifyConsistency } from './merkle.ts'
import { openNote, verifierFromVkey } from './note.ts'
import { checkLog, LogIntegrityError, sequencePass, startSequencer } from './sequencer.ts'
import { startWitness, type RunningWitness } from './witness/witness.server.ts'

const ORIGIN = 'truce.test/log'

async function addSubmissions(db: Database, n: number): Promise<void> {
  const party = await db.kysely.selectFrom('parties').select('id').orderBy('slug').executeTakeFirstOrThrow()
  await db.kysely.transaction().execute(async (trx) => {
    for (let i = 0; i < n; i++) await recordSubmission(trx, systemActor(party.id), { kind: 'test.note', subjectId: null, payload: { i } })
  })
}

const waitFor = async (what: string, check: () => Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms
  while (!await check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

describe.each(dialects())('the sequencer on %s', (dialect) => {
  let db: TestDatabase
  /** The handle in use: after the restart test, the reopened one. */
  let live: Database
  let dir: string
  let keyFile: string
  let key: LogKey

  beforeAll(async () => {
    db = await openTestDb(dialect)
    live = db
    dir = mkdtempSync(join(tmpdir(), 'truce-sequencer-'))
    keyFile = join(dir, 'log-key.pem')
    key = loadOrCreateLogKey(ORIGIN, keyFile).key
  })
  afterAll(async () => {
    if (live && live !== db) await live.close()
    await db?.dispose()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('continues the same tree after a restart with the same key file, every old checkpoint consistent with the new ones', async () => {
    const first = await startSequencer({ db, key, intervalMs: 10 })
    await first.stop()
    const before = await logRepository(db.kysely).latestCheckpoint()
    expect(before).not.toBeNull()

    // A new process: the database opened afresh, the key read back from its file.
    if (dialect === 'pglite') await db.close()
    live = dialect === 'pglite' ? await openPGlite(db.location) : await openPostgres(db.location)
    const again = loadOrCreateLogKey(ORIGIN, keyFile)
    expect(again.created).toBe(false)
    expect(again.key.vkey).toBe(key.vkey)
    const second = await startSequencer({ db: live, key: again.key, intervalMs: 10 })
    await addSubmissions(live, 7)
    await second.pass()
    await second.stop()
    const repo = logRepository(live.kysely)
    const after = (await repo.latestCheckpoint())!
    expect(after.size).toBe(before!.size + 7)
    const verifier = verifierFromVkey(key.vkey)
    const oldRoot = openCheckpoint(before!.note, [verifier]).checkpoint.rootHash
    const newRoot = openCheckpoint(after.note, [verifier]).checkpoint.rootHash
    const proof = await consistencyProof(before!.size, after.size, nodeReader(repo))
    expect(verifyConsistency(before!.size, after.size, oldRoot, newRoot, proof)).toBe(true)
    expect(await checkLog(live, key)).toMatchObject({ size: after.size })
  })

  it('refuses to sign on a log signed by another key or origin, or whose head disagrees with its nodes', async () => {
    await sequencePass(live, key)
    const stranger = logKeyFrom(ORIGIN, generateKeyPairSync('ed25519').privateKey)
    await expect(checkLog(live, stranger)).rejects.toThrow(LogIntegrityError)
    await expect(startSequencer({ db: live, key: stranger, intervalMs: 10 })).rejects.toThrow(/signed by .* but the configured log key is/)
    const renamed = logKeyFrom('truce.elsewhere/log', createPrivateKey(readFileSync(keyFile, 'utf8')))
    await expect(checkLog(live, renamed)).rejects.toThrow(LogIntegrityError)

    // An attacker with the database's superuser rights rewrites the head's root.
    await live.exec("update log_state set root_hash = decode(repeat('00', 32), 'hex')")
    await expect(checkLog(live, key)).rejects.toThrow(/log_nodes give/)
    const repo = logRepository(live.kysely)
    const state = await repo.state()
    await live.kysely.updateTable('log_state').set({ root_hash: await treeRoot(state.size, nodeReader(repo)) }).execute()
    expect(await checkLog(live, key)).toMatchObject({ size: state.size })
  })

  // PGlite is one connection: a transaction left open there holds every other query anyway.
  it.skipIf(dialect === 'pglite')('never skips a submission whose transaction commits after a later one, and never waits long for it', async () => {
    const party = await live.kysely.selectFrom('parties').select('id').orderBy('slug').executeTakeFirstOrThrow()
    await sequencePass(live, key)
    let release!: () => void
    const held = new Promise<void>((resolve) => { release = resolve })
    let inserted!: () => void
    const slowInserted = new Promise<void>((resolve) => { inserted = resolve })
    const slow = live.kysely.transaction().execute(async (trx) => {
      const s = await recordSubmission(trx, systemActor(party.id), { kind: 'test.slow', subjectId: null, payload: { slow: true } })
      inserted()
      await held
      return s
    })
    await slowInserted
    await addSubmissions(live, 2)
    const started = Date.now()
    const meanwhile = await sequencePass(live, key)
    expect(Date.now() - started).toBeLessThan(3000)
    expect(meanwhile.added).toBe(0)

    release()
    const slowRow = await slow
    const after = await sequencePass(live, key)
    expect(after.added).toBe(3)
    const logged = await live.kysely.selectFrom('log_entries as e').innerJoin('submissions as s', 's.id', 'e.submission_id')
      .select(['s.kind', 's.seq']).orderBy('e.leaf_index', 'desc').limit(3).execute()
    expect(logged.reverse().map((r) => r.kind)).toEqual(['test.slow', 'test.note', 'test.note'])
    expect(logged[0]!.seq).toBe(slowRow.seq)
  })

  it('asks each witness to cosign every checkpoint, serves the cosignatures, and keeps sequencing while a witness is down', async () => {
    const stateDir = mkdtempSync(join(dir, 'witness-'))
    const witnessKey = generateKeyPairSync('ed25519').privateKey
    const startW = (port: number) => startWitness({
      name: 'witness.test/w1', privateKey: witnessKey, stateDir, port,
      logs: [{ origin: ORIGIN, verifiers: [verifierFromVkey(key.vkey)] }],
    })
    let witness: RunningWitness = await startW(0)
    const port = Number(new URL(witness.url).port)
    const target = { url: witness.url, vkey: witness.witness.vkey }
    const repo = logRepository(live.kysely)
    const sequencer = await startSequencer({ db: live, key, intervalMs: 10, witnesses: [target] })
    try {
      await addSubmissions(live, 3)
      await sequencer.pass()
      const size = (await repo.state()).size
      await waitFor('a cosignature', async () => (await repo.witnessSize(target.vkey)) === size)

      // GET /log/checkpoint carries it, and it verifies as the witness's cosignature.
      const config = loadConfig({ TRUCE_DATA_DIR: dir, LOG_LEVEL: 'silent' })
      const app = await buildApp({ db: live, config, logger: false })
      const served = await app.inject({ url: '/log/checkpoint' })
      await app.close()
      const opened = openNote(served.body, [verifierFromVkey(key.vkey), verifierFromVkey(target.vkey)])
      expect(opened.signatures.filter((s) => s.verifiedBy !== null).map((s) => s.name).sort()).toEqual([ORIGIN, 'witness.test/w1'])

      // The witness goes down: checkpoints go on being signed, without its cosignature.
      await witness.close()
      await addSubmissions(live, 2)
      await sequencer.pass()
      const later = (await repo.state()).size
      expect(later).toBe(size + 2)
      expect(await repo.witnessSize(target.vkey)).toBe(size)

      // Back up (same state): the next checkpoint reaches it with a proof from the size it holds.
      witness = await startW(port)
      await addSubmissions(live, 1)
      await sequencer.pass()
      await waitFor('the witness to catch up', async () => (await repo.witnessSize(target.vkey)) === later + 1)
      expect((await witness.witness.latest(ORIGIN))?.size).toBe(later + 1)
    } finally {
      await sequencer.stop()
      await witness.close()
    }
  })
})
