// The append-only record: every change writes one submission in the same transaction as the
// change itself. The payload is stored as its RFC 8785 canonical bytes with their SHA-256, the
// exact input the verifiable log (Merkle tree) hashes into leaves.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Kysely, Transaction } from 'kysely'
import type { DB, Visibility } from '../../db/schema.ts'
import { canonicalize } from '../../lib/canonical-json.ts'
import { sha256Hex } from '../../lib/secrets.ts'
import type { Principal } from '../access/access.policy.ts'

export type SubmissionInput = {
  kind: string
  subjectId: string | null
  payload: unknown
  /** Disclosure of the payload; defaults to every participant. Follow the changed record's. */
  visibility?: Visibility
  restrictedTo?: readonly string[]
}

export type Submission = {
  id: string
  seq: number
  partyId: string
  userId: string | null
  apiKeyId: string | null
  kind: string
  subjectId: string | null
  payload: string
  payloadSha256: string
  visibility: Visibility
  createdAt: Date
}

/**
 * The submissions a request made, so the HTTP layer can tell the client their ids (to fetch
 * receipts) without every service returning them. Set per request by the app.
 */
export const submissionContext = new AsyncLocalStorage<string[]>()

/** Writes the submission row; call inside the transaction that makes the change. */
export async function recordSubmission(trx: Transaction<DB> | Kysely<DB>, actor: Principal, input: SubmissionInput): Promise<Submission> {
  if (actor.partyId === null) throw new Error('an anonymous principal cannot make a submission')
  const payload = canonicalize(input.payload)
  const row = await trx.insertInto('submissions').values({
    party_id: actor.partyId,
    user_id: actor.userId,
    api_key_id: actor.apiKeyId,
    kind: input.kind,
    subject_id: input.subjectId,
    payload,
    payload_sha256: sha256Hex(payload),
    visibility: input.visibility ?? 'parties',
    owner_party_id: actor.partyId,
    restricted_to: [...(input.restrictedTo ?? [])],
    statement: actor.signed?.statement ?? null,
    statement_signature: actor.signed?.signature ?? null,
    party_key_id: actor.signed?.partyKeyId ?? null,
  }).returningAll().executeTakeFirstOrThrow()
  submissionContext.getStore()?.push(row.id)
  return presentSubmission(row)
}

export function presentSubmission(row: {
  id: string; seq: number; party_id: string; user_id: string | null; api_key_id: string | null; kind: string
  subject_id: string | null; payload: string; payload_sha256: string; created_at: Date; visibility: Visibility
}): Submission {
  return {
    visibility: row.visibility,
    id: row.id, seq: row.seq, partyId: row.party_id, userId: row.user_id, apiKeyId: row.api_key_id, kind: row.kind,
    subjectId: row.subject_id, payload: row.payload, payloadSha256: row.payload_sha256, createdAt: row.created_at,
  }
}

/** A principal acting for the system itself (migrations, demo loading, CLI administration). */
export function systemActor(partyId: string, userId: string | null = null): Principal {
  return {
    kind: 'user', userId, partyId, partyKind: 'monitor', roles: ['admin'], permissions: new Set(), apiKeyId: null,
  }
}
