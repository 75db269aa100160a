// The bytes a submission becomes in the verifiable log. The full entry is RFC 8785 canonical
// JSON naming the submission, its party, user, kind and subject, with the payload only as its
// SHA-256 hash and the signature over it. A public submission's leaf is that entry. Any other
// submission's leaf is SEALED: `{v, seq, sealed}`, where `sealed` is the SHA-256 of the full
// entry's bytes. The public log then learns only that the record grew by one non-public
// submission. The full entry, the "opening", is served only to viewers the submission's
// visibility admits; whoever holds it checks it against the seal, and the seal against the tree.
import { createHash, sign as edSign, type KeyObject } from 'node:crypto'
import type { Selectable } from 'kysely'
import type { SubmissionsTable } from '../../db/schema.ts'
import { canonicalize } from '../../lib/canonical-json.ts'

export const ENTRY_VERSION = 1

/** A submission row as the log needs it. */
export type EntrySource = Pick<Selectable<SubmissionsTable>, 'seq' | 'id' | 'party_id' | 'user_id' | 'api_key_id' | 'kind' | 'subject_id'
  | 'payload' | 'payload_sha256' | 'visibility' | 'created_at' | 'statement' | 'statement_signature' | 'party_key_id'>

/** How the server attests a submission no party key signed: its own Ed25519 key. */
export type ServerAttestor = { keyName: string; privateKey: KeyObject }

export type EntrySignature =
  | { by: 'party'; partyKeyId: string; statementSha256: string; signature: string }
  | { by: 'server'; key: string; signature: string }

export type LogEntry = {
  v: typeof ENTRY_VERSION
  submissionId: string
  seq: number
  partyId: string
  userId: string | null
  apiKeyId: string | null
  kind: string
  subjectId: string | null
  visibility: string
  createdAt: string
  payloadSha256: string
  signature: EntrySignature
}

const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex')

/**
 * The entry for a submission. A party-signed submission carries the party's signature over its
 * statement; any other is signed here by the server over the canonical payload bytes, and the
 * entry says `by: 'server'`: the two are never blurred.
 */
export function logEntry(row: EntrySource, attestor: ServerAttestor): LogEntry {
  const signature: EntrySignature = row.statement !== null && row.statement_signature !== null && row.party_key_id !== null
    ? { by: 'party', partyKeyId: row.party_key_id, statementSha256: sha256Hex(row.statement), signature: row.statement_signature }
    : { by: 'server', key: attestor.keyName, signature: edSign(null, Buffer.from(row.payload, 'utf8'), attestor.privateKey).toString('base64') }
  return {
    v: ENTRY_VERSION,
    submissionId: row.id,
    seq: row.seq,
    partyId: row.party_id,
    userId: row.user_id,
    apiKeyId: row.api_key_id,
    kind: row.kind,
    subjectId: row.subject_id,
    visibility: row.visibility,
    createdAt: row.created_at.toISOString(),
    payloadSha256: row.payload_sha256,
    signature,
  }
}

/** The leaf of a non-public submission: a commitment to its full entry and nothing else. */
export type SealedEntry = { v: typeof ENTRY_VERSION; seq: number; sealed: string }

/** The canonical bytes of an entry, full or sealed. */
export const entryBytes = (entry: LogEntry | SealedEntry): Buffer => Buffer.from(canonicalize(entry), 'utf8')

/** The seal of a full entry: SHA-256 (hex) of its canonical bytes. */
export const sealOf = (opening: string): string => sha256Hex(opening)

/**
 * What the log stores for an entry: `leaf`, the exact text hashed into the leaf
 * (SHA-256(0x00 ‖ leaf)), and `opening`, the full entry a sealed leaf commits to (null when the
 * leaf is the full entry, for public submissions).
 */
export function leafOf(entry: LogEntry): { leaf: string; opening: string | null } {
  const full = canonicalize(entry)
  if (entry.visibility === 'public') return { leaf: full, opening: null }
  const sealed: SealedEntry = { v: ENTRY_VERSION, seq: entry.seq, sealed: sealOf(full) }
  return { leaf: canonicalize(sealed), opening: full }
}

/** Whether a parsed leaf is a sealed one. */
export const isSealed = (leaf: unknown): leaf is SealedEntry =>
  typeof leaf === 'object' && leaf !== null && typeof (leaf as { sealed?: unknown }).sealed === 'string'
