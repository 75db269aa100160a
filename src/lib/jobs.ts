// Long jobs (imports now, re-attribution later) run in the server process and report progress:
// the request that starts one answers 202 with the job's id at once, and GET /api/jobs/:id
// shows its progress, then its result or its error. The job's effects are written by the job
// itself, in its own transactions; what lives here is only the progress of a running job, so it
// is per server process and forgotten an hour after the job ends (the result stays in the
// database, e.g. the claims and submissions an import made).
import { randomUUID } from 'node:crypto'
import type { AppError } from './errors.ts'

export type JobState = 'running' | 'succeeded' | 'failed'

export type Job = {
  id: string
  kind: string
  /** Who started it: only the same user (or API key) may read it. */
  ownerKey: string
  state: JobState
  done: number
  total: number | null
  startedAt: Date
  finishedAt: Date | null
  result: unknown
  error: { code: string; message: string; details: unknown[] } | null
}

const KEEP_FINISHED_MS = 60 * 60 * 1000

export type Jobs = ReturnType<typeof createJobs>

export function createJobs(now: () => number = Date.now) {
  const jobs = new Map<string, Job>()
  const sweep = () => {
    for (const [id, j] of jobs) if (j.finishedAt && now() - j.finishedAt.getTime() > KEEP_FINISHED_MS) jobs.delete(id)
  }
  return {
    /**
     * Starts `work` and returns the job at once. `work` reports progress through `progress`;
     * its result or error is kept on the job. An AppError keeps its code and details.
     */
    start<T>(kind: string, ownerKey: string, work: (progress: (done: number, total: number | null) => void) => Promise<T>): Job {
      sweep()
      const job: Job = { id: randomUUID(), kind, ownerKey, state: 'running', done: 0, total: null, startedAt: new Date(now()), finishedAt: null, result: null, error: null }
      jobs.set(job.id, job)
      void work((done, total) => { job.done = done; job.total = total }).then(
        (result) => { job.state = 'succeeded'; job.result = result; job.finishedAt = new Date(now()) },
        (e: unknown) => {
          job.state = 'failed'
          job.finishedAt = new Date(now())
          const app = e as Partial<AppError>
          job.error = typeof app.code === 'string' && typeof app.status === 'number' && app.status < 500
            ? { code: app.code, message: (e as Error).message, details: app.details ?? [] }
            : { code: 'job_failed', message: 'The job failed on the server; see its log.', details: [] }
        },
      )
      return job
    },
    /** The job, if it exists and `ownerKey` started it; anyone else gets null, as for a missing one. */
    get(id: string, ownerKey: string): Job | null {
      const j = jobs.get(id)
      return j && j.ownerKey === ownerKey ? j : null
    },
    /** Resolves when every running job has ended (graceful shutdown, tests). */
    async settle(): Promise<void> {
      while ([...jobs.values()].some((j) => j.state === 'running')) await new Promise((r) => setTimeout(r, 20))
    },
  }
}

/** A job as the API shows it. */
export const presentJob = (j: Job) => ({
  id: j.id, kind: j.kind, state: j.state, done: j.done, total: j.total,
  startedAt: j.startedAt.toISOString(), finishedAt: j.finishedAt?.toISOString() ?? null, result: j.result, error: j.error,
})
