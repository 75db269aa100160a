// Public reports waiting in this browser: written to localStorage when there is no connection,
// each under the idempotency key it was given when the reporter pressed Send, and sent in order
// when the connection returns. A resend carries the same key, so the server never records one
// report twice; a report the server refuses stays here with the refusal, for the reporter to
// correct or remove.
import { ApiError, sendPublicReport, type ErrorDetail, type PublicReport } from '../../api.ts'

export const QUEUE_KEY = 'truce.publicReports.queue'

export type QueuedReport = {
  key: string
  report: PublicReport
  queuedAt: string
  /** Why the server refused it; a refused report is not sent again until it is edited. */
  refused?: { code: string; message: string; details: ErrorDetail[] }
}

export function readQueue(): QueuedReport[] {
  try {
    const raw = localStorage.getItem(QUEUE_KEY)
    const parsed: unknown = raw === null ? [] : JSON.parse(raw)
    return Array.isArray(parsed) ? (parsed as QueuedReport[]).filter((q) => typeof q?.key === 'string' && typeof q.report === 'object') : []
  } catch {
    return []
  }
}

export function writeQueue(queue: readonly QueuedReport[]): void {
  localStorage.setItem(QUEUE_KEY, JSON.stringify(queue))
  window.dispatchEvent(new Event('truce-report-queue'))
}

export function enqueue(item: QueuedReport): void {
  writeQueue([...readQueue(), item])
}

export function removeQueued(key: string): void {
  writeQueue(readQueue().filter((q) => q.key !== key))
}

/** Whether a failure means "try again later" (no connection, server busy) rather than "this report is wrong". */
export const isTransient = (e: ApiError): boolean => e.status === 0 || e.status === 429 || e.status >= 500

let flushing: Promise<number> | null = null

/**
 * Sends every waiting report that was not refused, oldest first, stopping at the first one that
 * cannot get through. Resolves to how many went. One flush at a time: the page's load and the
 * 'online' event can both ask for one.
 */
export function flushQueue(): Promise<number> {
  if (flushing) return flushing
  const run = (async () => {
    let sent = 0
    for (const item of readQueue()) {
      if (item.refused) continue
      try {
        await sendPublicReport(item.report, item.key)
        removeQueued(item.key)
        sent += 1
      } catch (e) {
        const error = e instanceof ApiError ? e : new ApiError(0, 'network_error', String(e))
        if (isTransient(error)) break
        writeQueue(readQueue().map((q) => (q.key === item.key ? { ...q, refused: { code: error.code, message: error.message, details: error.details } } : q)))
      }
    }
    return sent
  })()
  // Cleared only after it was set: a flush with nothing to send finishes before `run` is assigned.
  flushing = run.finally(() => { flushing = null })
  return flushing
}
