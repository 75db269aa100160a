// Reading the verifiable log: the latest signed checkpoint with its cosignatures, tlog-tiles
// hash tiles and entry bundles, inclusion and consistency proofs, entries by submission, and
// C2SP tlog-proof@v1 receipts. Everything is read from the database, so any server process on
// the same database serves the same log, and none of these needs the log's private key.
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { AppError, badRequest, notFound } from '../../lib/errors.ts'
import type { Principal } from '../access/access.policy.ts'
import { logRepository, nodeReader, type StoredCheckpoint, type StoredEntry } from './log.repository.ts'
import { consistencyProof, inclusionProof, treeRoot } from './merkle.ts'

const b64 = (b: Buffer) => b.toString('base64')

export type InclusionProof = { leafIdx: number; treeSize: number; root: string; leafHash: string; proof: string[] }
export type ConsistencyProof = { size1: number; size2: number; root1: string; root2: string; proof: string[] }

/** Entries per tile: tlog-tiles' width. */
const TILE = 256

export function logService(db: Kysely<DB>) {
  const repo = logRepository(db)
  const read = nodeReader(repo)

  /** The tree a request may ask about, and its root: the head's unless a smaller size is given. */
  async function treeFor(treeSize: number | undefined, field: string): Promise<{ size: number; root: () => Promise<Buffer> }> {
    const head = await repo.state()
    if (treeSize === undefined || treeSize === head.size) return { size: head.size, root: async () => head.rootHash }
    if (treeSize > head.size) throw badRequest('tree_size_too_large', `The log has ${head.size} entries.`, [{ path: field, message: `must be at most ${head.size}`, size: head.size }])
    return { size: treeSize, root: () => treeRoot(treeSize, read) }
  }

  const withCosignatures = async (c: StoredCheckpoint) =>
    c.note + (await repo.cosignatures(c.size)).map((s) => `${s.line}\n`).join('')

  async function inclusionFor(entry: StoredEntry, tree: { size: number; root: () => Promise<Buffer> }): Promise<InclusionProof> {
    if (entry.leafIndex >= tree.size) {
      throw badRequest('not_in_tree', `Entry ${entry.leafIndex} is not in the tree of size ${tree.size}.`, [{ path: 'query.treeSize', message: `must be above ${entry.leafIndex}` }])
    }
    const [proof, root] = await Promise.all([inclusionProof(entry.leafIndex, tree.size, read), tree.root()])
    return { leafIdx: entry.leafIndex, treeSize: tree.size, root: b64(root), leafHash: b64(entry.leafHash), proof: proof.map(b64) }
  }

  return {
    /** The latest signed checkpoint with every cosignature stored for it, or null before the first. */
    async checkpoint(): Promise<string | null> {
      const c = await repo.latestCheckpoint()
      return c ? withCosignatures(c) : null
    },

    /** The vkey that signed the latest checkpoint (the log's public key), or null before the first. */
    async vkey(): Promise<string | null> {
      return (await repo.latestCheckpoint())?.vkey ?? null
    },

    /**
     * A tlog-tiles hash tile: nodes [index·256, index·256 + width) of tree level 8·level. Null when
     * the log does not (yet) hold that many: a full tile exists only once all 256 do.
     */
    async hashTile(level: number, index: number, width: number): Promise<Buffer | null> {
      const nodes = await repo.nodeRange(level * 8, index * TILE, width)
      return nodes.length === width ? Buffer.concat(nodes.map((n) => n.hash)) : null
    },

    /** The entries of a tlog-tiles entry bundle, in order, or null when the log holds fewer. */
    async entryBundle(index: number, width: number): Promise<Buffer[] | null> {
      const entries = await repo.entryRange(index * TILE, width)
      return entries.length === width ? entries.map((e) => Buffer.from(e.entry, 'utf8')) : null
    },

    async inclusionByIndex(leafIndex: number, treeSize: number | undefined): Promise<InclusionProof> {
      const tree = await treeFor(treeSize, 'query.treeSize')
      const entry = await repo.entryAt(leafIndex)
      if (!entry) throw notFound('log entry')
      return inclusionFor(entry, tree)
    },

    async inclusionByLeafHash(leafHash: Buffer, treeSize: number | undefined): Promise<InclusionProof> {
      const tree = await treeFor(treeSize, 'query.treeSize')
      const entry = await repo.entryByLeafHash(leafHash)
      if (!entry) throw notFound('log entry')
      return inclusionFor(entry, tree)
    },

    async consistency(size1: number, size2: number | undefined): Promise<ConsistencyProof> {
      const to = await treeFor(size2, 'query.size2')
      if (size1 > to.size) throw badRequest('sizes_out_of_order', 'size1 must not be above size2.', [{ path: 'query.size1', message: `must be at most ${to.size}` }])
      const [proof, root1, root2] = await Promise.all([consistencyProof(size1, to.size, read), treeRoot(size1, read), to.root()])
      return { size1, size2: to.size, root1: b64(root1), root2: b64(root2), proof: proof.map(b64) }
    },

    /**
     * The entry of a submission the viewer may see, once it is sequenced: the leaf text and, for a
     * sealed leaf, the full entry it commits to (the visibility check above is what guards it).
     */
    async entryOf(viewer: Principal, submissionId: string) {
      const entry = await repo.entryOfSubmission(viewer, submissionId)
      if (!entry) throw notFound('log entry')
      return {
        submissionId: entry.submissionId,
        leafIndex: entry.leafIndex,
        leafHash: b64(entry.leafHash),
        entry: entry.entry,
        opening: entry.opening,
        sequencedAt: entry.sequencedAt.toISOString(),
      }
    },

    /**
     * A C2SP tlog-proof@v1 receipt for a submission the viewer may see: the entry bytes (as the
     * `extra` line, so the receipt alone rebuilds the leaf hash), its index, the inclusion proof and
     * the signed checkpoint with its cosignatures. By default against the latest checkpoint;
     * `treeSize` picks an earlier one.
     */
    async receipt(viewer: Principal, submissionId: string, treeSize: number | undefined): Promise<string> {
      const entry = await repo.entryOfSubmission(viewer, submissionId)
      if (!entry) throw notFound('log entry')
      const checkpoint = treeSize === undefined ? await repo.latestCheckpoint() : await repo.checkpointAt(treeSize)
      if (!checkpoint) throw new AppError(404, 'not_found', 'The log signed no checkpoint of that size.')
      if (entry.leafIndex >= checkpoint.size) {
        throw badRequest('not_in_tree', `Entry ${entry.leafIndex} is not in the tree of size ${checkpoint.size}.`, [{ path: 'query.treeSize', message: `must be above ${entry.leafIndex}` }])
      }
      const proof = await inclusionProof(entry.leafIndex, checkpoint.size, read)
      const lines = [
        'c2sp.org/tlog-proof@v1',
        `extra ${Buffer.from(entry.entry, 'utf8').toString('base64')}`,
        `index ${entry.leafIndex}`,
        ...proof.map(b64),
      ]
      return `${lines.map((l) => `${l}\n`).join('')}\n${await withCosignatures(checkpoint)}`
    },

    /**
     * The log's keys over time: the key that signed the latest checkpoint, and every rotation,
     * oldest first, each with its note signed by both keys.
     */
    async keys() {
      const [latest, rotations] = await Promise.all([repo.latestCheckpoint(), repo.rotations()])
      return {
        current: latest?.vkey ?? null,
        rotations: rotations.map((r) => ({ fromVkey: r.fromVkey, toVkey: r.toVkey, atSize: r.atSize, note: r.note, createdAt: r.createdAt.toISOString() })),
      }
    },

    /** Size, root, what waits to be sequenced, and the latest checkpoint. */
    async status() {
      const state = await repo.state()
      const [pending, latest] = await Promise.all([repo.pendingCount(state.seqFloor), repo.latestCheckpoint()])
      return {
        size: state.size,
        rootHash: b64(state.rootHash),
        pending,
        checkpoint: latest ? { size: latest.size, createdAt: latest.createdAt.toISOString(), vkey: latest.vkey, cosignatures: (await repo.cosignatures(latest.size)).length } : null,
      }
    },
  }
}

export type LogService = ReturnType<typeof logService>
