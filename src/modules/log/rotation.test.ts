// Rotating the log key, on a real database: the rotation note is signed by both keys and names
// the tree it hands over; afterwards the old key signs nothing more, the new key takes over only
// through the rotation, its checkpoints extend the old ones, and the audit follows the chain from
// whichever key a party pinned. `truce log rotate-key` does it as an operator would.
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runTruce } from '../../../test/helpers/cli.ts'
import { dialects, openTestDb, processDatabase, type TestDatabase } from '../../../test/helpers/db.ts'
import { recordSubmission, systemActor } from '../ledger/ledger.service.ts'
import { openCheckpoint } from './checkpoint.ts'
import { auditLog } from './log.audit.ts'
import { loadOrCreateLogKey, type LogKey } from './log.keys.ts'
import { logRepository } from './log.repository.ts'
import { logService } from './log.service.ts'
import { consistencyProof, verifyConsistency } from './merkle.ts'
import { nodeReader } from './log.repository.ts'
import { signNote, verifierFromVkey } from './note.ts'
import { formatRotation, openRotation, parseRotation, rotateLogKey, RotationError, RotationRefusedError, type Rotation } from './rotation.ts'
import { checkLog, LogIntegrityError, LogKeyRetiredError, sequencePass } from './sequencer.ts'

const ORIGIN = 'truce.test/log'
/** Five CLI processes open the embedded database in turn: slow on a loaded 2-core machine. */
const PROCESS_TEST_TIMEOUT = 240_000
const q = (text: string) => `'${text.replaceAll("'", "''")}'`

describe('rotation notes', () => {
  let dir: string
  let a: LogKey
  let b: LogKey
  let rotation: Rotation
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'truce-rotation-'))
    a = loadOrCreateLogKey(ORIGIN, join(dir, 'a.pem')).key
    b = loadOrCreateLogKey(ORIGIN, join(dir, 'b.pem')).key
    rotation = { origin: ORIGIN, size: 42, rootHash: Buffer.alloc(32, 7), fromVkey: a.vkey, toVkey: b.vkey }
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('opens a note signed by both keys, and reads back what it states', () => {
    const note = signNote(formatRotation(rotation), [a.signer, b.signer])
    expect(openRotation(note)).toEqual(rotation)
    // It is an ordinary signed note: any signed-note verifier checks it with the two vkeys.
    expect(note.split('\n')[0]).toBe('truce.log/key-rotation/v1')
  })

  it('refuses a note only one key signed, or one whose keys or lines are wrong, naming the line', () => {
    expect(() => openRotation(signNote(formatRotation(rotation), [a.signer]))).toThrow(/not signed by .*both keys/)
    expect(() => openRotation(signNote(formatRotation(rotation), [b.signer]))).toThrow(/not signed by .*both keys/)
    const same = { ...rotation, toVkey: a.vkey }
    expect(() => openRotation(signNote(formatRotation(same), [a.signer]))).toThrow(/the same/)
    const other = loadOrCreateLogKey('other.test/log', join(dir, 'c.pem')).key
    expect(() => openRotation(signNote(formatRotation({ ...rotation, toVkey: other.vkey }), [a.signer, other.signer]))).toThrow(/line 6: the key is named "other.test\/log"/)
    const text = formatRotation(rotation)
    const cases: [string, RegExp][] = [
      [text.replace('truce.log/key-rotation/v1', 'truce.log/key-rotation/v2'), /^line 1:/],
      [text.replace('\n42\n', '\n042\n'), /^line 3:/],
      [text.replace(rotation.rootHash.toString('base64'), 'AAAA'), /^line 4:/],
      [text.replace('from ', 'form '), /^line 5:/],
      [text.replace('to ', 'too '), /^line 6:/],
      [text.slice(0, -1), /exactly 6 lines/],
    ]
    for (const [bad, message] of cases) {
      expect(() => parseRotation(bad), bad).toThrow(RotationError)
      expect(() => parseRotation(bad), bad).toThrow(message)
    }
    expect(() => openRotation('not a note')).toThrow(RotationError)
  })
})

describe.each(dialects())('rotating the log key on %s', (dialect) => {
  let db: TestDatabase
  let dir: string
  let oldKey: LogKey
  let newKey: LogKey
  let party: string
  const add = async (n: number) => db.kysely.transaction().execute(async (trx) => {
    for (let i = 0; i < n; i++) await recordSubmission(trx, systemActor(party), { kind: 'test.note', subjectId: null, payload: { i, at: Date.now() }, visibility: 'public' })
  })

  beforeAll(async () => {
    db = await openTestDb(dialect)
    dir = mkdtempSync(join(tmpdir(), 'truce-rotation-db-'))
    oldKey = loadOrCreateLogKey(ORIGIN, join(dir, 'old.pem')).key
    newKey = loadOrCreateLogKey(ORIGIN, join(dir, 'new.pem')).key
    party = (await db.kysely.selectFrom('parties').select('id').orderBy('slug').executeTakeFirstOrThrow()).id
  })
  afterAll(async () => {
    await db?.dispose()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('refuses to rotate before the log has signed anything: nobody can have pinned the key', async () => {
    await expect(rotateLogKey(db.kysely, oldKey, newKey)).rejects.toThrow(RotationRefusedError)
  })

  it('hands over at the last signed tree; the old key then signs nothing, the new one extends the tree', async () => {
    while ((await sequencePass(db, oldKey)).added > 0) { /* drain the demo */ }
    const before = (await logRepository(db.kysely).latestCheckpoint())!
    await expect(rotateLogKey(db.kysely, oldKey, oldKey)).rejects.toThrow(/is the current key/)

    const { rotation, note } = await rotateLogKey(db.kysely, oldKey, newKey)
    expect(rotation).toMatchObject({ size: before.size, fromVkey: oldKey.vkey, toVkey: newKey.vkey })
    expect(rotation.rootHash.equals(before.rootHash)).toBe(true)
    expect(openRotation(note)).toEqual(rotation)
    await expect(rotateLogKey(db.kysely, oldKey, newKey)).rejects.toThrow(/was rotated away from already/)

    // A server still on the old key: its passes refuse, and it may not start again.
    await add(3)
    await expect(sequencePass(db, oldKey)).rejects.toThrow(LogKeyRetiredError)
    await expect(checkLog(db, oldKey)).rejects.toThrow(/rotated away from at size \d+/)
    // A key nobody handed the log to may not start either.
    const stranger = loadOrCreateLogKey(ORIGIN, join(dir, 'stranger.pem')).key
    await expect(checkLog(db, stranger)).rejects.toThrow(LogIntegrityError)
    await expect(checkLog(db, stranger)).rejects.toThrow(/no rotation hands the log over to it/)

    // The new key starts, and its first checkpoint extends the old key's last one.
    await checkLog(db, newKey)
    const pass = await sequencePass(db, newKey)
    expect(pass.added).toBe(3)
    const after = openCheckpoint(pass.checkpoint!.note, [verifierFromVkey(newKey.vkey)]).checkpoint
    expect(pass.checkpoint!.vkey).toBe(newKey.vkey)
    const proof = await consistencyProof(before.size, after.size, nodeReader(logRepository(db.kysely)))
    expect(verifyConsistency(before.size, after.size, before.rootHash, after.rootHash, proof)).toBe(true)
    await checkLog(db, newKey)

    const keys = await logService(db.kysely).keys()
    expect(keys).toMatchObject({ current: newKey.vkey, rotations: [{ fromVkey: oldKey.vkey, toVkey: newKey.vkey, atSize: before.size, note }] })
    // A key that was the log's once may not come back.
    await expect(rotateLogKey(db.kysely, newKey, oldKey)).rejects.toThrow(/has been a log key before/)
  })

  it('audits the whole log from either pinned key, and not from a stranger', async () => {
    for (const pinned of [oldKey, newKey]) {
      const report = await auditLog(db.kysely, { vkeys: [pinned.vkey], origin: ORIGIN })
      expect(report.problems, pinned.vkey).toEqual([])
    }
    const stranger = loadOrCreateLogKey(ORIGIN, join(dir, 'stranger.pem')).key
    const report = await auditLog(db.kysely, { vkeys: [stranger.vkey], origin: ORIGIN })
    expect(report.problems.some((p) => /which is not a pinned key/.test(p.message))).toBe(true)
  })

  it('reports a rotation whose note was altered, and then trusts neither side of it beyond the pinned key', async () => {
    const row = await db.kysely.selectFrom('log_key_rotations').selectAll().executeTakeFirstOrThrow()
    const forged = row.note.replace(/\nto (\S+)\n/, `\nto ${loadOrCreateLogKey(ORIGIN, join(dir, 'forger.pem')).key.vkey}\n`)
    await db.exec(`alter table log_key_rotations disable trigger user; update log_key_rotations set note = ${q(forged)}; alter table log_key_rotations enable trigger user;`)
    try {
      const report = await auditLog(db.kysely, { vkeys: [oldKey.vkey], origin: ORIGIN })
      const messages = report.problems.map((p) => p.message)
      expect(messages.some((m) => m.startsWith(`key rotation from ${oldKey.vkey}:`))).toBe(true)
      expect(messages.some((m) => m.includes(`recorded as signed by ${newKey.vkey}, which is not a pinned key`))).toBe(true)
      await expect(checkLog(db, newKey)).rejects.toThrow(/no rotation hands the log over|does not verify/)
    } finally {
      await db.exec(`alter table log_key_rotations disable trigger user; update log_key_rotations set note = ${q(row.note)}; alter table log_key_rotations enable trigger user;`)
    }
    expect((await auditLog(db.kysely, { vkeys: [oldKey.vkey], origin: ORIGIN })).problems).toEqual([])
  })
})

describe('truce log rotate-key', () => {
  let env: Record<string, string>
  let dispose: () => Promise<void>
  let dir: string
  beforeAll(async () => {
    ({ env, dispose } = await processDatabase('pglite'))
    dir = mkdtempSync(join(tmpdir(), 'truce-rotate-cli-'))
    env = { ...env, TRUCE_LOG_ORIGIN: ORIGIN, TRUCE_LOG_KEY_FILE: join(dir, 'old.pem') }
  })
  afterAll(async () => {
    await dispose?.()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('writes the new key, prints the rotation note, and the log continues under the new key', async () => {
    const noKey = await runTruce(['log', 'rotate-key', '--new-key', join(dir, 'new.pem')], { env })
    expect(noKey.code).toBe(2)
    expect(noKey.stderr).toContain('there is nothing to rotate')
    const usage = await runTruce(['log', 'rotate-key'], { env })
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('--new-key')

    const sequenced = await runTruce(['log', 'sequence', '--all'], { env })
    expect(sequenced.code, sequenced.stderr).toBe(0)
    const oldVkey = (await runTruce(['log', 'vkey'], { env })).stdout.trim()

    const rotated = await runTruce(['log', 'rotate-key', '--new-key', join(dir, 'new.pem')], { env })
    expect(rotated.code, rotated.stderr).toBe(0)
    expect(statSync(join(dir, 'new.pem')).mode & 0o777).toBe(0o600)
    const note = rotated.stdout.slice(rotated.stdout.indexOf('truce.log/key-rotation/v1'), rotated.stdout.indexOf('\n\nNext:') + 1)
    const rotation = openRotation(note)
    expect(rotation.fromVkey).toBe(oldVkey)

    // The old key may sign no more; the new one continues the same log.
    const stale = await runTruce(['log', 'sequence'], { env })
    expect(stale.code).toBe(2)
    expect(stale.stderr).toContain('rotated away from')
    const renewed = { ...env, TRUCE_LOG_KEY_FILE: join(dir, 'new.pem') }
    expect((await runTruce(['log', 'vkey'], { env: renewed })).stdout.trim()).toBe(rotation.toVkey)
    const continued = await runTruce(['log', 'sequence'], { env: renewed })
    expect(continued.code, continued.stderr).toBe(0)
    const audit = await runTruce(['audit', '--vkey', oldVkey], { env: renewed })
    expect(audit.code, audit.stdout + audit.stderr).toBe(0)
  }, PROCESS_TEST_TIMEOUT)
})
