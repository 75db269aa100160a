// An upload that the server may answer at once or as a job (the map's and the reports' import
// pages): where it stands, and the job followed until it ends.
import { useEffect, useState } from 'react'
import { ApiError, api, type Job } from './api.ts'
import { asApiError } from './useResource.ts'

export type ImportOutcome<R> =
  | { kind: 'idle' }
  | { kind: 'uploading' }
  | { kind: 'running'; job: Job<R> }
  | { kind: 'done'; result: R }
  | { kind: 'failed'; error: ApiError }

/** A job that ended without a result, as the error it reported. */
function jobError<R>(job: Job<R>): ApiError {
  const e = job.error ?? { code: 'job_failed', message: 'The import failed.', details: [] }
  return new ApiError(400, e.code, e.message, e.details)
}

/** Where a job stands, as an outcome. */
function outcomeOfJob<R>(job: Job<R>): ImportOutcome<R> {
  if (job.state === 'running') return { kind: 'running', job }
  return job.state === 'succeeded' && job.result ? { kind: 'done', result: job.result } : { kind: 'failed', error: jobError(job) }
}

/**
 * The outcome of an import and how to send one: `send(upload)` runs the upload and takes its
 * answer (a result, or a job that is then polled every `pollMs` until it ends).
 *
 * @example
 * const { outcome, send, reset } = useImportJob<ReportImportResult>(400)
 * void send(() => api.importReports(bytes, options))
 */
export function useImportJob<R>(pollMs: number) {
  const [outcome, setOutcome] = useState<ImportOutcome<R>>({ kind: 'idle' })
  const jobId = outcome.kind === 'running' ? outcome.job.id : null
  useEffect(() => {
    if (jobId === null) return
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const poll = async () => {
      try {
        const job = await api.job<R>(jobId)
        if (stopped) return
        setOutcome(outcomeOfJob(job))
        if (job.state === 'running') timer = setTimeout(() => void poll(), pollMs)
      } catch (err) {
        if (!stopped) setOutcome({ kind: 'failed', error: asApiError(err) })
      }
    }
    timer = setTimeout(() => void poll(), pollMs)
    return () => {
      stopped = true
      if (timer) clearTimeout(timer)
    }
  }, [jobId, pollMs])

  const send = async (upload: () => Promise<{ job: Job<R> } | { result: R }>) => {
    setOutcome({ kind: 'uploading' })
    try {
      const answer = await upload()
      setOutcome('result' in answer ? { kind: 'done', result: answer.result } : outcomeOfJob(answer.job))
    } catch (err) {
      setOutcome({ kind: 'failed', error: asApiError(err) })
    }
  }
  return { outcome, send, setOutcome, reset: () => setOutcome({ kind: 'idle' }) }
}
