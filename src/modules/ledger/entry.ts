// The bytes a submission becomes in the verifiable log: RFC 8785 canonical JSON of what anyone
// may learn about it. Payloads and signed statements appear only as SHA-256 hashes, so the log
// itself discloses nothing that the record's visibility hides; whoever can read the payload can
// check it against the hash and the signature.
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

/** The exact bytes hashed into the leaf: SHA-256(0x00 ‖ these). */
export const entryBytes = (entry: LogEntry): Buffer => Buffer.from(canonicalize(entry), 'utf8')
