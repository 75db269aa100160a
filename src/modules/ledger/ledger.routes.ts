// Reading the append-only submission record. Submissions carry only the canonical payload of
// the change, which the verifiable log will make public; until then they are for participants
// holding submission.read.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { defineRoute } from '../../lib/http.ts'
import { decodeCursor, pageSchema, toPage } from '../../lib/pagination.ts'
import { notFound } from '../../lib/errors.ts'
import { ledgerRepository } from './ledger.repository.ts'
import { presentSubmission } from './ledger.service.ts'

const submission = z.object({
  id: z.uuid(), seq: z.number().int(), partyId: z.uuid(), userId: z.uuid().nullable(), apiKeyId: z.uuid().nullable(),
  kind: z.string(), subjectId: z.uuid().nullable(), payload: z.string(), payloadSha256: z.string(), visibility: z.enum(['public', 'parties', 'restricted', 'internal']), createdAt: z.iso.datetime(),
})
const present = (r: Parameters<typeof presentSubmission>[0]) => {
  const s = presentSubmission(r)
  return { ...s, createdAt: s.createdAt.toISOString() }
}

export async function ledgerRoutes(app: FastifyInstance): Promise<void> {
  const repo = ledgerRepository(app.db.kysely)
  defineRoute(app, {
    method: 'GET', url: '/api/submissions', policy: 'submission.read', summary: 'The submission record, oldest first', tags: ['ledger'],
    query: z.strictObject({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      cursor: z.string().max(512).optional(),
      partyId: z.uuid().optional(),
    }),
    response: pageSchema(submission),
    handler: async ({ principal, query }) => {
      const after = decodeCursor(query.cursor)
      const rows = await repo.list(principal, query.limit, after ? Number(after.k) : undefined, query.partyId)
      return toPage(rows, query.limit, (r) => ({ k: String(r.seq), id: r.id }), present)
    },
  })
  defineRoute(app, {
    method: 'GET', url: '/api/submissions/:id', policy: 'submission.read', summary: 'One submission', tags: ['ledger'],
    params: z.strictObject({ id: z.uuid() }), response: submission,
    handler: async ({ principal, params }) => {
      const row = await repo.byId(principal, params.id)
      if (!row) throw notFound('submission')
      return present(row)
    },
  })
}
