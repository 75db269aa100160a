// Evidence files on reports: the reporting party attaches a file (its type read from its bytes,
// held to its type's limit, checked, stored once by SHA-256); a member of the public attaches one
// to the report they sent by showing its idempotency key. Location and camera metadata are
// stripped from public reports' evidence unless the reporter opts in; a party's evidence is kept
// as sent unless it asks to strip it. Refused files are never stored.
import { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { AppError, notFound } from '../../lib/errors.ts'
import { defineRoute } from '../../lib/http.ts'
import { visibleTo } from '../../lib/visibility.ts'
import type { Principal } from '../access/access.policy.ts'
import { recordSubmission, systemActor } from '../ledger/ledger.service.ts'
import { EvidenceError, toAppError } from './evidence/errors.ts'
import { admitEvidence } from './evidence/intake.ts'
import { EvidenceStore } from './evidence/store.ts'
import { PUBLIC_CHANNELS } from './reports.service.ts'

const evidenceSchema = z.object({
  id: z.uuid(), reportId: z.uuid(), sha256: z.string(), type: z.string(), mime: z.string(), size: z.number().int(),
  metadata: z.object({ handling: z.enum(['stripped', 'kept', 'not_inspected']), removed: z.array(z.string()), locationFound: z.boolean().describe('the file as sent carried a location') }),
  created: z.boolean().describe('false when this report already had these bytes'),
})

/** Files arrive as their own bytes. */
const FILE_TYPES = /^(application\/octet-stream|application\/pdf|image\/[\w.+-]+|video\/[\w.+-]+|audio\/[\w.+-]+|text\/plain)(;.*)?$/

export async function evidenceRoutes(app: FastifyInstance): Promise<void> {
  const db = app.db.kysely
  const store = new EvidenceStore(app.config.evidenceDir)
  app.addContentTypeParser(FILE_TYPES, (_request, payload, done) => done(null, payload))
  const fileBody = z.custom<Readable>((v) => v instanceof Readable, 'the file as the request body')

  async function attach(actor: Principal, report: { id: string; channel: string; visibility: string }, file: Readable, strip: boolean) {
    let admitted
    try {
      admitted = await admitEvidence(file, { store, stripMetadata: strip })
    } catch (e) {
      if (e instanceof EvidenceError) throw toAppError(e)
      throw e
    }
    const existing = await db.selectFrom('report_evidence').select('id').where('report_id', '=', report.id).where('sha256', '=', admitted.sha256).executeTakeFirst()
    const id = existing?.id ?? await db.transaction().execute(async (trx) => {
      const submission = await recordSubmission(trx, actor, {
        kind: 'report.evidence', subjectId: report.id, visibility: report.visibility as 'parties',
        payload: { reportId: report.id, sha256: admitted.sha256, type: admitted.type, size: admitted.size, metadata: admitted.metadata.handling, removed: admitted.metadata.removed },
      })
      const row = await trx.insertInto('report_evidence').values({
        report_id: report.id, sha256: admitted.sha256, type: admitted.type, mime: admitted.mime, size: admitted.size,
        metadata_handling: admitted.metadata.handling, metadata_removed: admitted.metadata.removed, party_id: actor.partyId!, user_id: actor.userId, submission_id: submission.id,
      }).returning('id').executeTakeFirstOrThrow()
      return row.id
    })
    return {
      id, reportId: report.id, sha256: admitted.sha256, type: admitted.type, mime: admitted.mime, size: admitted.size,
      metadata: { handling: admitted.metadata.handling, removed: admitted.metadata.removed, locationFound: admitted.metadata.found.location !== undefined },
      created: existing === undefined,
    }
  }

  defineRoute(app, {
    method: 'POST', url: '/api/reports/:id/evidence', policy: 'incident.report', status: 201, tags: ['reports'],
    summary: 'Attach an evidence file to one of your party\'s reports (its type read from its bytes; stripMetadata=true removes location and camera metadata)',
    params: z.strictObject({ id: z.uuid() }),
    query: z.strictObject({ stripMetadata: z.enum(['true', 'false']).default('false').transform((v) => v === 'true') }),
    body: fileBody, response: evidenceSchema,
    handler: async ({ principal, params, query, body }) => {
      const report = await db.selectFrom('reports as r').select(['r.id', 'r.channel', 'r.visibility', 'r.owner_party_id']).where(visibleTo(principal, 'r')).where('r.id', '=', params.id).executeTakeFirst()
      if (!report) throw notFound('report')
      if (report.owner_party_id !== principal.partyId) throw new AppError(403, 'not_your_report', 'Only the party that sent a report attaches evidence to it.')
      return attach(principal, report, body, query.stripMetadata || PUBLIC_CHANNELS.includes(report.channel))
    },
  })

  defineRoute(app, {
    method: 'POST', url: '/api/public/reports/:id/evidence', policy: 'public', status: 201, tags: ['reports'],
    summary: 'A member of the public attaches a file to the report they sent, showing that report\'s Idempotency-Key; location and camera metadata are stripped unless keepLocation=true',
    params: z.strictObject({ id: z.uuid() }),
    query: z.strictObject({ keepLocation: z.enum(['true', 'false']).default('false').transform((v) => v === 'true').describe('the reporter opts in to publishing where and with what the picture was taken') }),
    body: fileBody, response: evidenceSchema,
    handler: async ({ params, query, body, request }) => {
      const key = request.headers['idempotency-key']
      const report = typeof key === 'string'
        ? await db.selectFrom('reports as r').innerJoin('parties as p', 'p.id', 'r.party_id')
          .select(['r.id', 'r.channel', 'r.visibility', 'r.party_id', 'p.kind']).where('r.id', '=', params.id).where('r.idempotency_key', '=', key).where('r.channel', '=', 'public_form').executeTakeFirst()
        : undefined
      // Without the report's own key, a report answers as missing.
      if (!report) throw notFound('report')
      return attach({ ...systemActor(report.party_id), partyKind: report.kind }, report, body, !query.keepLocation)
    },
  })

  defineRoute(app, {
    method: 'GET', url: '/api/evidence/:hash', policy: 'authenticated', tags: ['reports'],
    summary: 'An evidence file, when a report you may see holds it',
    params: z.strictObject({ hash: z.string().regex(/^[0-9a-f]{64}$/).describe('the file\'s SHA-256') }),
    handler: async ({ principal, params, reply }) => {
      const held = await db.selectFrom('report_evidence as e').innerJoin('reports as r', 'r.id', 'e.report_id').select(['e.mime'])
        .where(visibleTo(principal, 'r')).where('e.sha256', '=', params.hash).executeTakeFirst()
      if (!held) throw notFound('evidence')
      const bytes = await store.read(params.hash)
      if (!bytes) throw notFound('evidence')
      reply.type(held.mime).header('cache-control', 'private, max-age=3600').header('content-disposition', 'attachment')
      return bytes as never
    },
  })
}
