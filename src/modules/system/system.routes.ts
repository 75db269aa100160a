// Liveness, readiness, the OpenAPI document, and the progress of long jobs.
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { z } from 'zod'
import { AppError, notFound } from '../../lib/errors.ts'
import { defineRoute } from '../../lib/http.ts'
import { presentJob } from '../../lib/jobs.ts'

export const jobSchema = z.object({
  id: z.uuid(), kind: z.string(), state: z.enum(['running', 'succeeded', 'failed']),
  done: z.number().int(), total: z.number().int().nullable(),
  startedAt: z.iso.datetime(), finishedAt: z.iso.datetime().nullable(),
  result: z.unknown().describe('what the job returns, once it succeeded'),
  error: z.object({ code: z.string(), message: z.string(), details: z.array(z.unknown()) }).nullable(),
})

export async function systemRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(app, {
    method: 'GET', url: '/healthz', policy: 'public', summary: 'The process is alive', tags: ['system'],
    response: z.object({ status: z.literal('ok') }),
    handler: async () => ({ status: 'ok' as const }),
  })
  defineRoute(app, {
    method: 'GET', url: '/readyz', policy: 'public', summary: 'The database answers', tags: ['system'],
    response: z.object({ status: z.literal('ready'), database: z.enum(['pglite', 'postgres']) }),
    handler: async () => {
      try {
        await sql`select 1`.execute(app.db.kysely)
      } catch (err) {
        app.log.warn({ err }, 'readiness check failed')
        throw new AppError(503, 'database_unavailable', 'The database does not answer.')
      }
      return { status: 'ready' as const, database: app.db.dialect }
    },
  })
  defineRoute(app, {
    method: 'GET', url: '/api/jobs/:id', policy: 'authenticated', summary: 'A long job you started: its progress, then its result or error', tags: ['system'],
    params: z.strictObject({ id: z.uuid() }), response: jobSchema,
    handler: async ({ principal, params }) => {
      const job = app.jobs.get(params.id, principal.userId ?? principal.apiKeyId ?? '')
      if (!job) throw notFound('job')
      return presentJob(job)
    },
  })
  defineRoute(app, {
    method: 'GET', url: '/api/openapi.json', policy: 'public', summary: 'This API as OpenAPI 3.1', tags: ['system'],
    handler: async () => app.swagger() as never,
  })
}
