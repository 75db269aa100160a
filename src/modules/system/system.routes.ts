// Liveness, readiness and the OpenAPI document.
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { z } from 'zod'
import { AppError } from '../../lib/errors.ts'
import { defineRoute } from '../../lib/http.ts'

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
    method: 'GET', url: '/api/openapi.json', policy: 'public', summary: 'This API as OpenAPI 3.1', tags: ['system'],
    handler: async () => app.swagger() as never,
  })
}
