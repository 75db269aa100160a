// The audit against an attacker with the database's superuser rights: the append-only triggers
// stop everyone else, so each test switches a trigger off, changes stored bytes, switches it back
// on, and asserts the audit names what was changed. Plus `truce audit` as a real process: exit 0
// when intact, 1 naming the first altered entry, 2 when it cannot run.
import { createHash } from 'node:crypto'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dialects, openTestDb, type TestDatabase } from '../../../test/helpers/db.ts'
import { ensurePGliteTemplate } from '../../../test/helpers/templates.ts'
import { openPGlite } from '../../db/database.ts'
import { recordSubmission, systemActor } from '../ledger/ledger.service.ts'
import { auditLog, AuditUnusableError } from './log.audit.ts'
import { loadOrCreateLogKey, type LogKey } from './log.keys.ts'
import { sequencePass } from './sequencer.ts'
import { runTruce } from '../../../test/helpers/cli.ts'

const ORIGIN = 'truce.test/log'

/** Several CLI processes, each opening the embedded database: slow on a loaded 2-core machine. */
const PROCESS_TEST_TIMEOUT = 240_000

const q = (text: string) => `'${text.replaceAll("'", "''")}'`

/** Runs one statement as the superuser would: the table's append-only triggers off for it, then on again. */
async function tamper(db: TestDatabase, table: string, statement: string): Promise<void> {
  await db.exec(`alter table ${table} disable trigger user;\n${statement};\nalter table ${table} enable trigger user;`)
}

describe.each(dialects())('truce audit on %s', (dialect) => {
  let db: TestDatabase
  let dir: string
  let key: LogKey
  let size: number
  let firstNote: number
  const audit = () => auditLog(db.kysely, { vkeys: [key.vkey], origin: ORIGIN })

  beforeAll(async () => {
    db = await openTestDb(dialect)
    dir = mkdtempSync(join(tmpdir(), 'truce-audit-'))
    key = loadOrCreateLogKey(ORIGIN, join(dir, 'log-key.pem')).key
    const party = await db.kysely.selectFrom('parties').select('id').orderBy('slug').executeTakeFirstOrThrow()
    // The demo's own submissions come first in the log; the notes below start after them.
    firstNote = Number((await db.kysely.selectFrom('submissions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
    // Several checkpoints, over more than one full tile of entries.
    for (let round = 0; round < 4; round++) {
      await db.kysely.transaction().execute(async (trx) => {
        for (let i = 0; i < 80; i++) {
          // Public submissions get full leaves, the others sealed ones: the audit checks both.
          const visibility = i % 2 === 0 ? 'public' : 'parties'
          await recordSubmission(trx, systemActor(party.id), { kind: 'test.note', subjectId: null, payload: { round, i }, visibility })
        }
      })
      await sequencePass(db, key, { batchSize: 70 })
    }
    while ((await sequencePass(db, key)).added > 0) { /* drain */ }
    size = (await db.kysely.selectFrom('log_state').select('size').executeTakeFirstOrThrow()).size
  })
  afterAll(async () => {
    await db?.dispose()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('finds an untouched log intact: every entry, node and checkpoint', async () => {
    const report = await audit()
    expect(report.problems).toEqual([])
    expect(report.firstTamperedEntry).toBeNull()
    expect(report.size).toBe(size)
    expect(report.checkpoints).toBeGreaterThanOrEqual(5)
    expect(report.nodes).toBeGreaterThan(2 * size - 20)
  })

  it('cannot run without a usable key to check the checkpoints against', async () => {
    await expect(auditLog(db.kysely, { vkeys: [] })).rejects.toThrow(AuditUnusableError)
    await expect(auditLog(db.kysely, { vkeys: ['not a vkey'] })).rejects.toThrow(AuditUnusableError)
  })

  it('names a checkpoint that the pinned key did not sign', async () => {
    const other = loadOrCreateLogKey(ORIGIN, join(dir, 'other-key.pem')).key
    const report = await auditLog(db.kysely, { vkeys: [other.vkey], origin: ORIGIN })
    expect(report.problems.length).toBeGreaterThan(0)
    expect(report.problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/^checkpoint \d+: recorded as signed by .*, which is not a pinned key/))
    // The entries are attested by the log key too: none of them checks out under the other key.
    expect(report.firstTamperedEntry?.leafIndex).toBe(0)
  })

  // Each tampering below is undone at the end of its test, so the next one starts from an intact log.
  it('names the first entry whose stored bytes were changed, and the checkpoints it breaks', async () => {
    const before = await db.kysely.selectFrom('log_entries').select(['leaf_index', 'entry', 'submission_id'])
      .where('leaf_index', '>=', firstNote + 150).where('opening', 'is', null).orderBy('leaf_index').limit(1).executeTakeFirstOrThrow()
    const victim = before.leaf_index
    const changed = before.entry.replace('"kind":"test.note"', '"kind":"test.nope"')
    expect(changed).not.toBe(before.entry)
    await tamper(db, 'log_entries', `update log_entries set entry = ${q(changed)} where leaf_index = ${victim}`)
    try {
      const report = await audit()
      expect(report.firstTamperedEntry).toEqual({ leafIndex: victim, submissionId: before.submission_id })
      const messages = report.problems.map((p) => p.message)
      expect(messages).toContainEqual(`entry ${victim}: the stored leaf hash is not SHA-256(0x00 ‖ entry)`)
      expect(messages).toContainEqual(`entry ${victim} (submission ${before.submission_id}) does not match its submission: kind differ`)
      // The stored tree still holds the old leaf hash, so every checkpoint from there on disagrees with the recomputed tree.
      expect(messages.filter((m) => /^checkpoint \d+: the signed root differs from the root recomputed/.test(m)).length).toBeGreaterThan(0)
      expect(messages.some((m) => m.startsWith(`tree node 0/${victim} differs`))).toBe(true)
    } finally {
      await tamper(db, 'log_entries', `update log_entries set entry = ${q(before.entry)} where leaf_index = ${victim}`)
    }
    expect((await audit()).problems).toEqual([])
  })

  it('names a sealed entry whose opening was changed, with or without its seal, or that was unsealed', async () => {
    const before = await db.kysely.selectFrom('log_entries').select(['leaf_index', 'entry', 'opening', 'submission_id'])
      .where('leaf_index', '>=', firstNote + 100).where('opening', 'is not', null).orderBy('leaf_index').limit(1).executeTakeFirstOrThrow()
    const victim = before.leaf_index
    const opening = before.opening!
    const changed = opening.replace('"kind":"test.note"', '"kind":"test.nope"')
    expect(changed).not.toBe(opening)
    const restore = () => tamper(db, 'log_entries', `update log_entries set entry = ${q(before.entry)}, opening = ${q(opening)} where leaf_index = ${victim}`)
    const firstProblem = async () => {
      const report = await audit()
      expect(report.firstTamperedEntry).toEqual({ leafIndex: victim, submissionId: before.submission_id })
      return report.problems.map((p) => p.message)
    }
    try {
      // The opening alone: it no longer hashes to the seal the tree holds.
      await tamper(db, 'log_entries', `update log_entries set opening = ${q(changed)} where leaf_index = ${victim}`)
      expect(await firstProblem()).toContainEqual(`entry ${victim}: the stored opening does not hash to the seal`)
      // The opening and a seal to match: the leaf hash breaks, and the opening disagrees with its submission.
      const resealed = JSON.stringify({ ...JSON.parse(before.entry) as object, sealed: createHash('sha256').update(changed).digest('hex') })
      await tamper(db, 'log_entries', `update log_entries set entry = ${q(resealed)} where leaf_index = ${victim}`)
      const messages = await firstProblem()
      expect(messages).toContainEqual(`entry ${victim}: the stored leaf hash is not SHA-256(0x00 ‖ entry)`)
      expect(messages).toContainEqual(`entry ${victim} (submission ${before.submission_id}) does not match its submission: kind differ`)
      // Unsealed: the full entry put in the leaf, disclosing a non-public submission.
      await tamper(db, 'log_entries', `update log_entries set entry = ${q(opening)}, opening = null where leaf_index = ${victim}`)
      expect(await firstProblem()).toContainEqual(`entry ${victim} (submission ${before.submission_id}) is not sealed, but a parties submission's leaf is sealed`)
    } finally {
      await restore()
    }
    expect((await audit()).problems).toEqual([])
  })

  it('names the entry whose submission was rewritten underneath it', async () => {
    const victim = 42
    const e = await db.kysely.selectFrom('log_entries').select('submission_id').where('leaf_index', '=', victim).executeTakeFirstOrThrow()
    const s = await db.kysely.selectFrom('submissions').select(['payload', 'payload_sha256']).where('id', '=', e.submission_id).executeTakeFirstOrThrow()
    const forged = s.payload.replace('}', ',"forged":true}')
    const forgedHash = createHash('sha256').update(forged).digest('hex')
    // A careful attacker keeps the row self-consistent: payload and its hash both rewritten.
    await tamper(db, 'submissions', `update submissions set payload = ${q(forged)}, payload_sha256 = '${forgedHash}' where id = '${e.submission_id}'`)
    try {
      const report = await audit()
      expect(report.firstTamperedEntry).toEqual({ leafIndex: victim, submissionId: e.submission_id })
      expect(report.problems.map((p) => p.message)).toContainEqual(
        `entry ${victim} (submission ${e.submission_id}): the server attestation does not verify with the pinned log key`)
    } finally {
      await tamper(db, 'submissions', `update submissions set payload = ${q(s.payload)}, payload_sha256 = '${s.payload_sha256}' where id = '${e.submission_id}'`)
    }
    expect((await audit()).problems).toEqual([])
  })

  it('names a tree node that was changed, a missing entry, and a checkpoint whose signature was altered', async () => {
    const node = await db.kysely.selectFrom('log_nodes').select(['level', 'idx', 'hash']).where('level', '=', 3).orderBy('idx').executeTakeFirstOrThrow()
    await tamper(db, 'log_nodes', `update log_nodes set hash = decode(repeat('ab', 32), 'hex') where level = 3 and idx = ${node.idx}`)
    let report = await audit()
    expect(report.problems.map((p) => p.message)).toContainEqual(`tree node 3/${node.idx} differs from the one recomputed from the entries`)
    expect(report.firstTamperedEntry).toBeNull()
    await tamper(db, 'log_nodes', `update log_nodes set hash = decode('${Buffer.from(node.hash).toString('hex')}', 'hex') where level = 3 and idx = ${node.idx}`)

    const checkpoint = await db.kysely.selectFrom('log_checkpoints').select(['size', 'note']).where('size', '>', 0).orderBy('size').executeTakeFirstOrThrow()
    const lines = checkpoint.note.split('\n')
    lines[1] = String(checkpoint.size + 1)
    await tamper(db, 'log_checkpoints', `update log_checkpoints set note = ${q(lines.join('\n'))} where size = ${checkpoint.size}`)
    report = await audit()
    expect(report.problems[0]!.message).toMatch(new RegExp(`^checkpoint ${checkpoint.size}: the signed note does not verify with the pinned key`))
    await tamper(db, 'log_checkpoints', `update log_checkpoints set note = ${q(checkpoint.note)} where size = ${checkpoint.size}`)

    const last = await db.kysely.selectFrom('log_entries').selectAll().where('leaf_index', '=', 7).executeTakeFirstOrThrow()
    await tamper(db, 'log_entries', 'delete from log_entries where leaf_index = 7')
    report = await audit()
    expect(report.firstTamperedEntry).toEqual({ leafIndex: 7, submissionId: null })
    expect(report.problems[0]!.message).toBe('entry 7 is missing (the next stored entry is 8)')
    await tamper(db, 'log_entries', `insert into log_entries (leaf_index, submission_id, entry, leaf_hash, sequenced_at) values (7, '${last.submission_id}', ${q(last.entry)}, decode('${Buffer.from(last.leaf_hash).toString('hex')}', 'hex'), now())`)
    expect((await audit()).problems).toEqual([])
  })
})

describe('truce audit, the command', () => {
  let dataDir: string
  const truce = (args: string[]) => runTruce(args, { env: { TRUCE_DATA_DIR: dataDir, TRUCE_LOG_ORIGIN: ORIGIN, DATABASE_URL: undefined } })

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'truce-audit-cli-'))
    cpSync(await ensurePGliteTemplate(), dataDir, { recursive: true })
  })
  afterAll(() => { if (dataDir) rmSync(dataDir, { recursive: true, force: true }) })

  it('exits 2 before there is a key, 0 on an intact log, 1 naming the first altered entry', async () => {
    // Refused before the database is opened: no key to check against, or a key that is not one.
    const [early, badKey] = await Promise.all([truce(['audit']), truce(['audit', '--vkey', 'nonsense'])])
    expect(early.code).toBe(2)
    expect(early.stderr).toContain('no log key')
    expect(badKey.code).toBe(2)
    expect(badKey.stderr).toContain('unusable log vkey')

    const sequenced = await truce(['log', 'sequence', '--all'])
    expect(sequenced.code, sequenced.stderr).toBe(0)
    expect(sequenced.stdout).toMatch(/Log key created at .*log-key\.pem/)
    expect(sequenced.stdout).toMatch(/Signed checkpoint \d+\./)

    const intact = await truce(['audit'])
    expect(intact.code, intact.stderr).toBe(0)
    expect(intact.stdout).toMatch(/^The log is intact: \d+ entries/)

    const db = await openPGlite(dataDir)
    const victim = await db.kysely.selectFrom('log_entries').select(['entry', 'submission_id']).where('leaf_index', '=', 3).executeTakeFirstOrThrow()
    await db.exec(`alter table log_entries disable trigger user; update log_entries set entry = ${q(victim.entry.replace('"seq":4', '"seq":40'))} where leaf_index = 3; alter table log_entries enable trigger user;`)
    await db.close()
    const tampered = await truce(['audit'])
    expect(tampered.code).toBe(1)
    expect(tampered.stdout).toContain(`TAMPERED: the first altered entry is 3 (submission ${victim.submission_id}).`)
  }, PROCESS_TEST_TIMEOUT)
})
