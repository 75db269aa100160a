// One error type for evidence that is refused: a stable code the API answers with, and for a
// malformed file the byte offset where its structure stopped making sense, so the person who sent
// it (or an analyst) can see it was truncated or damaged rather than "rejected".
import { AppError, type ErrorDetail } from '../../../lib/errors.ts'

export type EvidenceErrorCode =
  | 'evidence_type_unsupported'
  | 'evidence_too_large'
  | 'evidence_malformed'
  | 'evidence_empty'
  | 'evidence_key_invalid'

export class EvidenceError extends Error {
  override name = 'EvidenceError'
  readonly code: EvidenceErrorCode
  /** The byte offset in the file where the problem is, when there is one. */
  readonly offset: number | undefined
  /** The message without the offset prefix. */
  readonly reason: string
  constructor(code: EvidenceErrorCode, reason: string, offset?: number) {
    super(offset === undefined ? reason : `at byte ${offset}: ${reason}`)
    this.code = code
    this.offset = offset
    this.reason = reason
  }
}

/** A structural fault at a byte offset: truncated, a length that overruns, a bad checksum. */
export const malformed = (offset: number, reason: string): EvidenceError =>
  new EvidenceError('evidence_malformed', reason, offset)

export const tooLarge = (maxBytes: number, what = 'the file'): EvidenceError =>
  new EvidenceError('evidence_too_large', `${what} is larger than the limit of ${maxBytes.toLocaleString('en')} bytes`)

/**
 * The API's answer: 413 for a file over the limit, 415 for a type we do not take, 400 for the rest,
 * with the offset as a detail when there is one.
 *
 * @example
 * toAppError(malformed(1234, 'the PNG chunk IDAT runs past the end of the file'))
 * // AppError 400 evidence_malformed "at byte 1234: …", details [{ message, offset: 1234 }]
 */
export function toAppError(e: EvidenceError): AppError {
  const status = e.code === 'evidence_too_large' ? 413 : e.code === 'evidence_type_unsupported' ? 415 : 400
  const detail: ErrorDetail = { message: e.reason }
  if (e.offset !== undefined) detail.offset = e.offset
  return new AppError(status, e.code, e.message, [detail])
}
