// SQL for the verifiable log: entries, tree nodes, checkpoints, cosignatures and the head row.
// Hashes are bytea; pg hands back Buffers and PGlite Uint8Arrays, so every read goes through `buf`.
import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { visibleTo } from '../../lib/visibility.ts'
import type { Principal } from '../access/access.policy.ts'
import type { EntrySource } from '../ledger/entry.ts'
import type { NodeBatchReader } from './merkle.ts'

type Db = Kysely<DB>
export type NodeId = { level: number; index: number }
export type StoredNode = NodeId & { hash: Buffer }

export const buf = (b: Uint8Array): Buffer => Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength)

export type LogState = { size: number; rootHash: Buffer; checkpointSize: number | null; seqFloor: number; updatedAt: Date }
export type StoredCheckpoint = { size: number; rootHash: Buffer; note: string; vkey: string; createdAt: Date }
export type StoredRotation = { fromVkey: string; toVkey: string; atSize: number; note: string; createdAt: Date }
const toRotation = (r: { from_vkey: string; to_vkey: string; at_size: number; note: string; created_at: Date }): StoredRotation =>
  ({ fromVkey: r.from_vkey, toVkey: r.to_vkey, atSize: r.at_size, note: r.note, createdAt: r.created_at })

/** `entry` is the leaf text; `opening` the full entry a sealed leaf commits to (null for a public one). */
export type StoredEntry = { leafIndex: number; submissionId: string; entry: string; opening: string | null; leafHash: Buffer; sequencedAt: Date }

/** Submission columns the log entry is built from (src/modules/ledger/entry.ts). */
const ENTRY_SOURCE = [
  's.seq', 's.id', 's.party_id', 's.user_id', 's.api_key_id', 's.kind', 's.subject_id', 's.payload', 's.payload_sha256',
  's.visibility', 's.created_at', 's.statement', 's.statement_signature', 's.party_key_id',
] as const

/** log_entries columns anyone may read: everything but the opening (selected as null). */
const PUBLIC_ENTRY = ['leaf_index', 'submission_id', 'entry', sql<string | null>`null::text`.as('opening'), 'leaf_hash', 'sequenced_at'] as const

const toState = (r: { size: number; root_hash: Uint8Array; checkpoint_size: number | null; seq_floor: number; updated_at: Date }): LogState =>
  ({ size: r.size, rootHash: buf(r.root_hash), checkpointSize: r.checkpoint_size, seqFloor: r.seq_floor, updatedAt: r.updated_at })
const toCheckpoint = (r: { size: number; root_hash: Uint8Array; note: string; vkey: string; created_at: Date }): StoredCheckpoint =>
  ({ size: r.size, rootHash: buf(r.root_hash), note: r.note, vkey: r.vkey, createdAt: r.created_at })
const toEntry = (r: { leaf_index: number; submission_id: string; entry: string; opening: string | null; leaf_hash: Uint8Array; sequenced_at: Date }): StoredEntry =>
  ({ leafIndex: r.leaf_index, submissionId: r.submission_id, entry: r.entry, opening: r.opening, leafHash: buf(r.leaf_hash), sequencedAt: r.sequenced_at })

export function logRepository(db: Db) {
  return {
    /** The head row; `forUpdate` inside the sequencer's transaction so two sequencers queue. */
    async state(forUpdate = false): Promise<LogState> {
      let q = db.selectFrom('log_state').select(['size', 'root_hash', 'checkpoint_size', 'seq_floor', 'updated_at'])
      if (forUpdate) q = q.forUpdate()
      const row = await q.executeTakeFirst()
      if (!row) throw new Error('log_state has no row: the 0004_log migration has not run')
      return toState(row)
    },

    /**
     * Moves the head from `expectedSize` to `next`; false when another sequencer moved it first
     * (compare-and-swap: the caller must roll back everything it wrote).
     */
    async moveState(expectedSize: number, next: { size: number; rootHash: Buffer; checkpointSize: number | null; seqFloor: number }): Promise<boolean> {
      const r = await db.updateTable('log_state').set({
        size: next.size, root_hash: next.rootHash, checkpoint_size: next.checkpointSize, seq_floor: next.seqFloor,
        updated_at: sql<Date>`now()`,
      }).where('size', '=', expectedSize).executeTakeFirst()
      return Number(r.numUpdatedRows) === 1
    },

    /** The highest seq visible now (0 for none). */
    async maxSeq(): Promise<number> {
      const r = await db.selectFrom('submissions').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst()
      return Number(r?.seq ?? 0)
    },

    /**
     * The highest seq that can no longer be joined by a lower one. SHARE mode waits for every
     * transaction that is inserting submissions (they hold ROW EXCLUSIVE, taken before nextval),
     * so afterwards every seq up to the max is committed or rolled back for good. Run it in its
     * own short transaction: new writers queue only for the moment it takes. Throws with code
     * 55P03 when a writer's transaction stays open for more than half a second.
     */
    async settledSeq(): Promise<number> {
      return db.transaction().execute(async (trx) => {
        // Writers queue behind this lock while it waits, so it gives up rather than wait long
        // (and is always the one to give up if a writer's locks ever made a cycle with it).
        await sql`set local lock_timeout = '500ms'`.execute(trx)
        await sql`lock table submissions in share mode`.execute(trx)
        return logRepository(trx).maxSeq()
      })
    },

    /** Submissions not yet in the log, oldest first: everything above the floor, up to `settled`. */
    unsequenced(floor: number, settled: number, limit: number): Promise<EntrySource[]> {
      return db.selectFrom('submissions as s').select(ENTRY_SOURCE)
        .where('s.seq', '>', floor).where('s.seq', '<=', settled).orderBy('s.seq').limit(limit).execute()
    },

    pendingCount(floor: number): Promise<number> {
      return db.selectFrom('submissions').select((eb) => eb.fn.countAll<number>().as('n')).where('seq', '>', floor)
        .executeTakeFirstOrThrow().then((r) => Number(r.n))
    },

    /** The hashes of the given complete subtrees, in the order asked, in one query; null where one is missing. */
    async nodes(ids: readonly NodeId[]): Promise<(Buffer | null)[]> {
      if (ids.length === 0) return []
      const rows = await db.selectFrom('log_nodes').select(['level', 'idx', 'hash'])
        .where(sql<boolean>`(level, idx) in (${sql.join(ids.map((n) => sql`(${n.level}::int2, ${n.index}::int8)`))})`)
        .execute()
      const byId = new Map(rows.map((r) => [`${r.level}/${r.idx}`, buf(r.hash)]))
      return ids.map((n) => byId.get(`${n.level}/${n.index}`) ?? null)
    },

    /** Consecutive nodes of one level: [start, start + count), as many as exist. */
    async nodeRange(level: number, start: number, count: number): Promise<StoredNode[]> {
      const rows = await db.selectFrom('log_nodes').select(['level', 'idx', 'hash'])
        .where('level', '=', level).where('idx', '>=', start).where('idx', '<', start + count).orderBy('idx').execute()
      return rows.map((r) => ({ level: r.level, index: r.idx, hash: buf(r.hash) }))
    },

    countNodes(): Promise<number> {
      return db.selectFrom('log_nodes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n))
    },

    // Batches go in as arrays through unnest: one short statement instead of thousands of
    // parameters, about twice as fast to send, parse and plan on both dialects.
    async insertEntries(rows: readonly { leafIndex: number; submissionId: string; entry: string; opening: string | null; leafHash: Buffer }[]): Promise<void> {
      if (rows.length === 0) return
      await sql`insert into log_entries (leaf_index, submission_id, entry, opening, leaf_hash)
        select i, s, e, o, decode(h, 'hex') from unnest(${rows.map((r) => r.leafIndex)}::int8[], ${rows.map((r) => r.submissionId)}::uuid[],
          ${rows.map((r) => r.entry)}::text[], ${rows.map((r) => r.opening)}::text[], ${rows.map((r) => r.leafHash.toString('hex'))}::text[]) as u(i, s, e, o, h)`.execute(db)
    },

    async insertNodes(nodes: readonly StoredNode[]): Promise<void> {
      if (nodes.length === 0) return
      await sql`insert into log_nodes (level, idx, hash)
        select l, i, decode(h, 'hex') from unnest(${nodes.map((n) => n.level)}::int2[], ${nodes.map((n) => n.index)}::int8[],
          ${nodes.map((n) => n.hash.toString('hex'))}::text[]) as u(l, i, h)`.execute(db)
    },

    async insertCheckpoint(c: { size: number; rootHash: Buffer; note: string; vkey: string }): Promise<void> {
      await db.insertInto('log_checkpoints').values({ size: c.size, root_hash: c.rootHash, note: c.note, vkey: c.vkey }).execute()
    },

    /** The checkpoint the head points at. */
    async latestCheckpoint(): Promise<StoredCheckpoint | null> {
      const row = await db.selectFrom('log_state as st').innerJoin('log_checkpoints as c', 'c.size', 'st.checkpoint_size')
        .select(['c.size', 'c.root_hash', 'c.note', 'c.vkey', 'c.created_at']).executeTakeFirst()
      return row ? toCheckpoint(row) : null
    },

    async checkpointAt(size: number): Promise<StoredCheckpoint | null> {
      const row = await db.selectFrom('log_checkpoints').select(['size', 'root_hash', 'note', 'vkey', 'created_at']).where('size', '=', size).executeTakeFirst()
      return row ? toCheckpoint(row) : null
    },

    /** Checkpoints in size order, a page at a time (the audit walks them all). */
    async checkpoints(afterSize: number, limit: number): Promise<StoredCheckpoint[]> {
      const rows = await db.selectFrom('log_checkpoints').select(['size', 'root_hash', 'note', 'vkey', 'created_at'])
        .where('size', '>', afterSize).orderBy('size').limit(limit).execute()
      return rows.map(toCheckpoint)
    },

    countCheckpoints(): Promise<number> {
      return db.selectFrom('log_checkpoints').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n))
    },

    async cosignatures(size: number): Promise<{ witnessVkey: string; line: string }[]> {
      const rows = await db.selectFrom('log_cosignatures').select(['witness_vkey', 'line']).where('checkpoint_size', '=', size).orderBy('witness_vkey').execute()
      return rows.map((r) => ({ witnessVkey: r.witness_vkey, line: r.line }))
    },

    async insertCosignature(size: number, witnessVkey: string, line: string): Promise<void> {
      await db.insertInto('log_cosignatures').values({ checkpoint_size: size, witness_vkey: witnessVkey, line })
        .onConflict((oc) => oc.columns(['checkpoint_size', 'witness_vkey']).doNothing()).execute()
    },

    /** The largest size a witness has cosigned for us (0 when none): the old size of the next request. */
    async witnessSize(witnessVkey: string): Promise<number> {
      const r = await db.selectFrom('log_cosignatures').select((eb) => eb.fn.max('checkpoint_size').as('size'))
        .where('witness_vkey', '=', witnessVkey).executeTakeFirst()
      return Number(r?.size ?? 0)
    },

    /** One past the highest leaf index stored (the size the entries say the tree has). */
    async entryCount(): Promise<number> {
      const r = await db.selectFrom('log_entries').select((eb) => eb.fn.max('leaf_index').as('last')).executeTakeFirst()
      return r?.last === null || r?.last === undefined ? 0 : Number(r.last) + 1
    },

    // Reads by leaf index or leaf hash answer anyone, so they never carry the opening.
    async entryAt(leafIndex: number): Promise<StoredEntry | null> {
      const row = await db.selectFrom('log_entries').select(PUBLIC_ENTRY).where('leaf_index', '=', leafIndex).executeTakeFirst()
      return row ? toEntry(row) : null
    },

    async entryByLeafHash(leafHash: Buffer): Promise<StoredEntry | null> {
      const row = await db.selectFrom('log_entries').select(PUBLIC_ENTRY).where('leaf_hash', '=', leafHash).orderBy('leaf_index').limit(1).executeTakeFirst()
      return row ? toEntry(row) : null
    },

    /** The entry of a submission the viewer may see; a hidden submission answers like a missing one. */
    async entryOfSubmission(viewer: Principal, submissionId: string): Promise<StoredEntry | null> {
      const row = await db.selectFrom('submissions as s').innerJoin('log_entries as e', 'e.submission_id', 's.id')
        .select(['e.leaf_index', 'e.submission_id', 'e.entry', 'e.opening', 'e.leaf_hash', 'e.sequenced_at'])
        .where(visibleTo(viewer, 's')).where('s.id', '=', submissionId).executeTakeFirst()
      return row ? toEntry(row) : null
    },

    /** Entries [start, start + count) in leaf order, as many as exist. */
    async entryRange(start: number, count: number): Promise<StoredEntry[]> {
      const rows = await db.selectFrom('log_entries').select(PUBLIC_ENTRY)
        .where('leaf_index', '>=', start).where('leaf_index', '<', start + count).orderBy('leaf_index').execute()
      return rows.map(toEntry)
    },

    /** Entries from `start` with the submission each was made from (null when the row is gone), for the audit. */
    async entriesWithSources(start: number, limit: number): Promise<(StoredEntry & { source: (EntrySource & { payloadHashOk: boolean }) | null })[]> {
      const rows = await db.selectFrom('log_entries as e').leftJoin('submissions as s', 's.id', 'e.submission_id')
        .select(['e.leaf_index', 'e.submission_id', 'e.entry', 'e.opening', 'e.leaf_hash', 'e.sequenced_at', 's.seq', 's.id', 's.party_id', 's.user_id', 's.api_key_id',
          's.kind', 's.subject_id', 's.payload', 's.payload_sha256', 's.visibility', 's.created_at', 's.statement', 's.statement_signature', 's.party_key_id',
          sql<boolean>`s.payload_sha256 = encode(sha256(convert_to(s.payload, 'UTF8')), 'hex')`.as('payload_hash_ok')])
        .where('e.leaf_index', '>=', start).orderBy('e.leaf_index').limit(limit).execute()
      return rows.map((r) => ({
        ...toEntry(r),
        source: r.id === null || r.seq === null || r.party_id === null || r.kind === null || r.payload === null || r.payload_sha256 === null
          || r.visibility === null || r.created_at === null ? null
          : {
            seq: r.seq, id: r.id, party_id: r.party_id, user_id: r.user_id, api_key_id: r.api_key_id, kind: r.kind, subject_id: r.subject_id,
            payload: r.payload, payload_sha256: r.payload_sha256, visibility: r.visibility, created_at: r.created_at, statement: r.statement,
            statement_signature: r.statement_signature, party_key_id: r.party_key_id, payloadHashOk: r.payload_hash_ok === true,
          },
      }))
    },

    /** Every log key rotation, oldest first (a handful in a log's life). */
    async rotations(): Promise<StoredRotation[]> {
      const rows = await db.selectFrom('log_key_rotations').selectAll().orderBy('at_size').orderBy('created_at').execute()
      return rows.map(toRotation)
    },

    /** The rotation that retired `vkey`, if it was retired. */
    async rotationFrom(vkey: string): Promise<StoredRotation | null> {
      const row = await db.selectFrom('log_key_rotations').selectAll().where('from_vkey', '=', vkey).executeTakeFirst()
      return row ? toRotation(row) : null
    },

    /** The rotation that made `vkey` the log's key, if one did. */
    async rotationTo(vkey: string): Promise<StoredRotation | null> {
      const row = await db.selectFrom('log_key_rotations').selectAll().where('to_vkey', '=', vkey).executeTakeFirst()
      return row ? toRotation(row) : null
    },

    async insertRotation(r: { fromVkey: string; toVkey: string; atSize: number; note: string }): Promise<void> {
      await db.insertInto('log_key_rotations').values({ from_vkey: r.fromVkey, to_vkey: r.toVkey, at_size: r.atSize, note: r.note }).execute()
    },

    /** Public keys of party keys by id (the audit checks party signatures with them). */
    async partyKeys(ids: readonly string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map()
      const rows = await db.selectFrom('party_keys').select(['id', 'public_key']).where('id', 'in', [...ids]).execute()
      return new Map(rows.map((r) => [r.id, r.public_key]))
    },
  }
}

export type LogRepository = ReturnType<typeof logRepository>

/** The stored log disagrees with itself or with the key; the server must not sign on top of it. */
export class LogIntegrityError extends Error {
  override name = 'LogIntegrityError'
}

/** Reads complete-subtree hashes from log_nodes; a missing node is an integrity failure. */
export function nodeReader(repo: LogRepository): NodeBatchReader {
  return async (ids) => {
    const hashes = await repo.nodes(ids)
    return hashes.map((h, i) => {
      if (!h) throw new LogIntegrityError(`tree node ${ids[i]!.level}/${ids[i]!.index} is missing from log_nodes`)
      return h
    })
  }
}

