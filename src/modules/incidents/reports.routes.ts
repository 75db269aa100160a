// Reports over HTTP: parties and monitors send them with an idempotency key; thin routes.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { validationFailed } from '../../lib/errors.ts'
import { defineRoute } from '../../lib/http.ts'
import { reportBody, reportQuery, reportSchema } from './reports.schemas.ts'
import { reportsService } from './reports.service.ts'

const idParams = z.strictObject({ id: z.uuid() })
const idempotencyKey = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'visible ASCII, no spaces')

export async function reportRoutes(app: FastifyInstance): Promise<void> {
  const reports = reportsService(app.db.kysely)
  const tags = ['reports']

  defineRoute(app, {
    method: 'POST', url: '/api/reports', policy: 'incident.report', status: 201, tags,
    summary: 'Report what happened, when and where, with its sources; an Idempotency-Key header makes a resend create nothing new',
    body: reportBody, response: reportSchema.extend({ replayed: z.boolean() }),
    handler: async ({ principal, body, request, reply, answerWith }) => {
      const header = request.headers['idempotency-key']
      let key: string | undefined
      if (header !== undefined) {
        const parsed = idempotencyKey.safeParse(Array.isArray(header) ? header[0] : header)
        if (!parsed.success) throw validationFailed([{ path: 'header.idempotency-key', code: 'invalid_key', message: parsed.error.issues[0]!.message }])
        key = parsed.data
      }
      const out = await reports.create(principal, body, { channel: 'api', idempotencyKey: key })
      if (out.replayed) { answerWith(200); reply.header('idempotent-replayed', 'true') }
      return out
    },
  })
  defineRoute(app, {
    method: 'GET', url: '/api/reports', policy: 'authenticated', summary: 'Reports you may see, newest first, by date range and category', tags,
    query: reportQuery, response: z.object({ items: z.array(reportSchema), nextCursor: z.string().nullable() }),
    handler: async ({ principal, query }) => reports.list(principal, query),
  })
  defineRoute(app, {
    method: 'GET', url: '/api/reports/:id', policy: 'authenticated', summary: 'One report with its sources and the map features containing its place', tags,
    params: idParams, response: reportSchema,
    handler: async ({ principal, params }) => reports.get(principal, params.id),
  })
}
