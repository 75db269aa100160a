// The actor registry over HTTP: thin routes, each one service call.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { defineRoute } from '../../lib/http.ts'
import {
  actorDetail, actorPage, candidateList, candidateQuery, candidateSchema, claimBody, confirmCandidateBody, claimParams, claimSchema, createActorBody, delineationQuery, delineationSchema, idParams, judgementBody,
  listQuery, matchBatchBody, matchBatchResponse, matchBody, matchResponse, mergeBody, retractBody, splitBody, viewQuery, viewSchema,
} from './actors.schemas.ts'
import { AppError, badRequest } from '../../lib/errors.ts'
import { presentJob } from '../../lib/jobs.ts'
import { VISIBILITIES } from '../../lib/visibility.ts'
import { jobSchema } from '../system/system.routes.ts'
import { applyImport, ImportReferenceError } from './actors.import.ts'
import { actorMatcher } from './actors.match.ts'
import { actorsService, delineationCsv } from './actors.service.ts'
import { ImportFormatError, type ImportBatch } from './actors.types.ts'
import { parseFtm } from './import/ftm.ts'
import { ucdpCandidates } from './import/ucdp.ts'
import { parseUnConsolidatedList } from './import/un-xml.ts'

/**
 * The import formats, each a pure parser (src/modules/actors/import/), the key scheme it uses, and
 * whether a file is by default the COMPLETE list (so what it no longer says is withdrawn): a UN
 * list is the whole list; a FollowTheMoney file or UCDP extract may be a part.
 */
export const IMPORT_FORMATS = {
  'un-xml': { parse: (text: string) => parseUnConsolidatedList(text), scheme: 'un', complete: true },
  ftm: { parse: (text: string) => parseFtm(text), scheme: 'ftm', complete: false },
  ucdp: { parse: (text: string) => ucdpCandidates(text), scheme: 'ucdp', complete: false },
} as const satisfies Record<string, { parse: (text: string) => ImportBatch; scheme: string; complete: boolean }>

const importSummary = z.object({
  source: z.string(), actors: z.number(), actorsCreated: z.number(), claimsAdded: z.number(), claimsUnchanged: z.number(),
  claimsRetracted: z.number().describe('claims of an earlier import of this list that this version no longer makes'),
  actorsDelisted: z.number().describe('actors an earlier import listed and this version does not: their designations closed as of its date'),
  successionsUnresolved: z.number().describe('successions the file states in passing (a UN comment) whose predecessor neither the file nor the registry has: left out'),
  candidates: z.number(),
})

/** Parses a file in one of the formats; a file the parser cannot use is a 400 naming where. */
export function parseImport(format: keyof typeof IMPORT_FORMATS, text: string): ImportBatch {
  try {
    return IMPORT_FORMATS[format].parse(text)
  } catch (e) {
    if (e instanceof ImportFormatError) throw badRequest(e.code, `The ${format} file cannot be imported.`, [{ path: e.where, message: e.message }])
    throw e
  }
}

export async function actorRoutes(app: FastifyInstance): Promise<void> {
  const actors = actorsService(app.db.kysely)
  const tags = ['actors']

  defineRoute(app, {
    method: 'GET', url: '/api/actors', policy: 'actor.read', summary: 'Actors you may see, optionally by part of a name or by type', tags,
    query: listQuery, response: actorPage,
    handler: async ({ principal, query }) => actors.list(principal, query),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/actors', policy: 'actor.manage', summary: 'Register an actor, with its first names', tags, status: 201,
    body: createActorBody, response: actorDetail,
    handler: async ({ principal, body }) => actors.create(principal, body),
  })
  defineRoute(app, {
    method: 'GET', url: '/api/actors/export', policy: 'actor.read', tags,
    summary: 'The registry as one viewpoint holds it, as FollowTheMoney JSON lines (Organization, Membership, Succession, Sanction)',
    query: z.strictObject({ format: z.literal('ftm'), viewpoint: viewQuery.shape.viewpoint, agreement: viewQuery.shape.agreement }),
    handler: async ({ principal, query, reply }) => {
      const text = await actors.exportFtm(principal, query.viewpoint, query.agreement)
      reply.type('application/x-ndjson; charset=utf-8').header('content-disposition', 'attachment; filename="truce-actors.ftm.json"')
      return text as never
    },
  })
  defineRoute(app, {
    method: 'GET', url: '/api/actors/:id', policy: 'actor.read', summary: 'One actor with every claim about it you may see', tags,
    params: idParams, response: actorDetail,
    handler: async ({ principal, params }) => actors.get(principal, params.id),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/actors/:id/claims', policy: 'actor.claim', summary: 'Claim a name, membership, succession, designation or accession', tags, status: 201,
    params: idParams, body: claimBody, response: claimSchema,
    handler: async ({ principal, params, body }) => actors.addClaim(principal, params.id, body),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/actor-claims/:claimId/retract', policy: 'actor.claim', summary: "Retract one of your party's claims (it stays, marked)", tags,
    params: claimParams, body: retractBody, response: claimSchema,
    handler: async ({ principal, params, body }) => actors.retract(principal, params.claimId, body.reason),
  })
  defineRoute(app, {
    method: 'GET', url: '/api/actors/:id/view', policy: 'actor.read', summary: 'The actor as one viewpoint holds it on a date', tags,
    params: idParams, query: viewQuery, response: viewSchema,
    handler: async ({ principal, params, query }) => actors.view(principal, params.id, query),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/actor-judgements', policy: 'actor.manage', summary: 'Judge two actors the same or not the same', tags, status: 201,
    body: judgementBody,
    response: z.object({ id: z.uuid(), actorA: z.uuid(), actorB: z.uuid(), verdict: z.enum(['same', 'not_same']), partyId: z.uuid(), note: z.string(), createdAt: z.iso.datetime() }),
    handler: async ({ principal, body }) => actors.judge(principal, body),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/actors/:id/merge', policy: 'actor.manage', summary: 'Merge a duplicate into another actor (blocked by a "not same" judgement)', tags,
    params: idParams, body: mergeBody, response: actorDetail,
    handler: async ({ principal, params, body }) => actors.merge(principal, params.id, body.into, body.version),
  })
  const matcher = actorMatcher(app.db.kysely)
  defineRoute(app, {
    method: 'POST', url: '/api/actors/match', policy: 'actor.read', tags,
    summary: 'Ranked candidate actors for a name in any script, with score, band (automatic/review/possible) and the evidence',
    body: matchBody, response: matchResponse,
    handler: async ({ principal, body }) => matcher.match(principal, body),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/actors/match/batch', policy: 'actor.read', tags,
    summary: "Candidates for each name of a list (a party's list of hundreds)",
    body: matchBatchBody, response: matchBatchResponse,
    handler: async ({ principal, body }) => matcher.matchMany(principal, body.names, body.limit, { agreement: body.agreement, country: body.country }),
  })
  defineRoute(app, {
    method: 'GET', url: '/api/actor-candidates', policy: 'actor.read', summary: 'Coalitions an import found (UCDP sides naming several actors), for an analyst to confirm', tags,
    query: candidateQuery, response: candidateList,
    handler: async ({ query }) => actors.candidates(query.status),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/actor-candidates/:id/confirm', policy: 'actor.manage', summary: 'Confirm a coalition: its parts become members of one umbrella', tags,
    params: idParams, body: confirmCandidateBody, response: z.object({ umbrellaId: z.uuid(), claims: z.array(claimSchema) }),
    handler: async ({ principal, params, body }) => actors.confirmCandidate(principal, params.id, body),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/actor-candidates/:id/reject', policy: 'actor.manage', summary: 'Reject a coalition candidate', tags,
    params: idParams, response: candidateSchema,
    handler: async ({ params }) => actors.rejectCandidate(params.id),
  })

  // Import files arrive as they are: XML, CSV or JSON lines, read as text (within the body limit).
  app.addContentTypeParser(['application/xml', 'text/xml', 'text/csv', 'application/x-ndjson', 'application/jsonl'], { parseAs: 'string' },
    (_request, body, done) => done(null, body))
  defineRoute(app, {
    method: 'POST', url: '/api/actors/import', policy: 'actor.manage', status: 201, tags,
    summary: 'Import a UN Security Council Consolidated List (XML), FollowTheMoney JSON lines, or UCDP events (CSV) as claims by your party',
    query: z.strictObject({
      format: z.enum(Object.keys(IMPORT_FORMATS) as [keyof typeof IMPORT_FORMATS]),
      visibility: z.enum(VISIBILITIES).default('parties'),
      dryRun: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
      complete: z.enum(['true', 'false']).optional().transform((v) => v === undefined ? undefined : v === 'true')
        .describe('whether the file is the whole list, so what it no longer says is withdrawn (default: true for un-xml, false otherwise)'),
      async: z.enum(['true', 'false']).default('false').transform((v) => v === 'true')
        .describe('answer 202 with a job at once (follow it at /api/jobs/:id) instead of waiting for the import'),
    }),
    body: z.string().min(1).describe('the file, as text'),
    response: z.union([importSummary, jobSchema]),
    handler: async ({ principal, query, body, reply }) => {
      // The file is parsed before answering, so an unusable one is refused at once either way.
      const batch = parseImport(query.format, body)
      const run = async (onProgress?: (done: number, total: number) => void) => {
        try {
          const format = IMPORT_FORMATS[query.format]
          return await applyImport(app.db.kysely, principal, batch, {
            scheme: format.scheme, visibility: query.visibility, dryRun: query.dryRun, complete: query.complete ?? format.complete, onProgress,
          })
        } catch (e) {
          if (e instanceof ImportReferenceError) throw new AppError(400, 'dangling_reference', e.message)
          throw e
        }
      }
      if (!query.async) return run()
      const job = app.jobs.start('actors.import', principal.userId ?? principal.apiKeyId ?? '', (progress) => run(progress))
      reply.code(202).header('location', `/api/jobs/${job.id}`)
      return presentJob(job)
    },
  })
  defineRoute(app, {
    method: 'POST', url: '/api/actors/:id/split', policy: 'actor.manage', summary: 'Split a new actor off this one, taking the names chosen (history kept)', tags, status: 201,
    params: idParams, body: splitBody, response: actorDetail,
    handler: async ({ principal, params, body }) => actors.split(principal, params.id, body),
  })
  defineRoute(app, {
    method: 'GET', url: '/api/agreements/:id/delineation', policy: 'actor.read',
    summary: 'Who joined the truce and who is excluded on a date, per guarantor, their consensus and each designating authority (JSON or CSV)', tags,
    params: z.strictObject({ id: z.string().min(1).max(80) }), query: delineationQuery,
    handler: async ({ principal, params, query, reply }) => {
      const d = await actors.delineation(principal, params.id, query.at)
      if (query.format === 'csv') {
        reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="delineation-${d.at}.csv"`)
        return delineationCsv(d) as never
      }
      return delineationSchema.parse(d)
    },
  })
}
