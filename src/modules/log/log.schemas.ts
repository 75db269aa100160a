// The log's JSON contract. Proofs use the field names of the transparency-dev test vectors
// (leafIdx, treeSize, root, leafHash, proof / size1, size2, root1, root2, proof) with base64
// hashes, so a saved answer is exactly what `truce verify inclusion|consistency` reads.
import { z } from 'zod'

const size = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER)
const base64Hash = z.string().describe('SHA-256 hash, standard base64')

/** A 32-byte hash in a query string: standard base64 (a "+" that arrived as a space is put back) or base64url. */
export const queryHash = z.string().transform((s, ctx) => {
  const text = s.replaceAll(' ', '+')
  const bytes = /^[A-Za-z0-9+/]{43}=$/.test(text) ? Buffer.from(text, 'base64')
    : /^[A-Za-z0-9_-]{43}=?$/.test(text) ? Buffer.from(text, 'base64url') : null
  if (!bytes || bytes.length !== 32) {
    ctx.addIssue({ code: 'custom', message: 'a SHA-256 hash in base64 (44 characters)', params: { code: 'invalid_hash' } })
    return z.NEVER
  }
  return bytes
})

export const inclusionQuery = z.strictObject({
  leafIndex: size.optional(),
  leafHash: queryHash.optional(),
  treeSize: size.min(1).optional(),
}).superRefine((q, ctx) => {
  if ((q.leafIndex === undefined) === (q.leafHash === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['leafIndex'], message: 'give exactly one of leafIndex and leafHash', params: { code: 'one_of' } })
  }
})

export const consistencyQuery = z.strictObject({
  size1: size.min(1),
  size2: size.min(1).optional(),
})

export const inclusionProofSchema = z.object({
  leafIdx: z.number().int(),
  treeSize: z.number().int(),
  root: base64Hash,
  leafHash: base64Hash,
  proof: z.array(base64Hash),
})

export const consistencyProofSchema = z.object({
  size1: z.number().int(),
  size2: z.number().int(),
  root1: base64Hash,
  root2: base64Hash,
  proof: z.array(base64Hash),
})

export const submissionParams = z.strictObject({ submissionId: z.uuid() })
export const receiptQuery = z.strictObject({ treeSize: size.min(1).optional() })

export const logEntrySchema = z.object({
  submissionId: z.uuid(),
  leafIndex: z.number().int(),
  leafHash: base64Hash,
  entry: z.string().describe('the leaf as RFC 8785 canonical JSON: the exact bytes the leaf hash covers'),
  opening: z.string().nullable().describe('for a sealed leaf (a non-public submission), the full entry as RFC 8785 canonical JSON; '
    + 'its SHA-256 in hex is the leaf\'s "sealed" value. Null when the leaf is the full entry'),
  sequencedAt: z.iso.datetime(),
})

/** Path parameter names of the tile index's 3-digit groups, most significant first. */
export const TILE_INDEX_GROUPS = ['a', 'b', 'c', 'd', 'e', 'f'] as const

/** tlog-tiles path parameters: `<L>/<N…>[.p/<W>]` or `entries/<N…>[.p/<W>]` (checked whole by parseTilePath). */
export function tileParams(groups: readonly string[], partial: boolean) {
  const shape: Record<string, z.ZodString> = { level: z.string().max(8).describe('tree level of the tile (0–63) or "entries"') }
  groups.forEach((g, i) => {
    shape[g] = z.string().max(4).describe(i < groups.length - 1 ? 'x and three digits' : 'three digits')
  })
  if (partial) shape.width = z.string().max(3).describe('width of a partial tile, 1–255')
  return z.strictObject(shape)
}

export const logKeysSchema = z.object({
  current: z.string().nullable().describe('the vkey that signed the latest checkpoint (null before the first)'),
  rotations: z.array(z.object({
    fromVkey: z.string(),
    toVkey: z.string(),
    atSize: z.number().int().describe('the tree the old key signed last, which the new key extends'),
    note: z.string().describe('the truce.log/key-rotation/v1 signed note, signed by both keys'),
    createdAt: z.iso.datetime(),
  })).describe('every key rotation, oldest first'),
})
