// One error type for everything the API answers with a 4xx/5xx. Codes are stable snake_case ids
// that clients may branch on; messages are for people; details say where (field, line, element).

export type ErrorDetail = { path?: string; message: string; [key: string]: unknown }

export class AppError extends Error {
  readonly status: number
  readonly code: string
  readonly details: ErrorDetail[]
  constructor(status: number, code: string, message: string, details: ErrorDetail[] = []) {
    super(message)
    this.status = status
    this.code = code
    this.details = details
  }
}

export const badRequest = (code: string, message: string, details: ErrorDetail[] = []) =>
  new AppError(400, code, message, details)
export const validationFailed = (details: ErrorDetail[]) =>
  new AppError(400, 'validation_failed', 'The request is not valid.', details)
export const unauthenticated = () =>
  new AppError(401, 'unauthenticated', 'Sign in or present an API key.')
export const forbidden = (permission?: string) =>
  new AppError(403, 'forbidden', 'You may not do this.', permission ? [{ message: `requires ${permission}`, permission }] : [])
/** Hidden and missing records answer with this same error, so callers cannot tell them apart. */
export const notFound = (what: string) =>
  new AppError(404, 'not_found', `No such ${what}.`)
export const conflict = (code: string, message: string, details: ErrorDetail[] = []) =>
  new AppError(409, code, message, details)
export const versionConflict = (current?: number) =>
  new AppError(409, 'version_conflict', 'The record was changed by someone else; reload and try again.',
    current === undefined ? [] : [{ path: 'version', message: `current version is ${current}`, current }])
export const tooManyRequests = (retryAfterSeconds: number) =>
  new AppError(429, 'too_many_attempts', 'Too many failed attempts; wait before trying again.',
    [{ message: `retry after ${retryAfterSeconds} s`, retryAfterSeconds }])
