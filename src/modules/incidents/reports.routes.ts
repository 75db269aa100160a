// Reports over HTTP: parties and monitors send them with an idempotency key; thin routes.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { validationFailed } from '../../lib/errors.ts'
import { defineRoute } from '../../lib/http.ts'
import { badRequest } from '../../lib/errors.ts'
import { MAX_TILE_ZOOM } from '../geo/tiles.routes.ts'
import { reportTiles } from './report-tiles.ts'
import { publicReportBody, reportBody, reportQuery, reportSchema } from './reports.schemas.ts'
import { systemActor } from '../ledger/ledger.service.ts'
import { AppError, tooManyRequests } from '../../lib/errors.ts'
import { EXPORT_FORMATS, reportsService } from './reports.service.ts'

const idParams = z.strictObject({ id: z.uuid() })

/** Public reports per address in a window: enough for a person, not for a flood. */
const PUBLIC_LIMIT = { reports: 20, windowMs: 10 * 60 * 1000 }

/** A sliding window of recent public reports per client address (in this process). */
function publicRateLimit(now: () => number = Date.now) {
  const seen = new Map<string, number[]>()
  return (address: string) => {
    const t = now()
    const recent = (seen.get(address) ?? []).filter((x) => t - x < PUBLIC_LIMIT.windowMs)
    if (recent.length >= PUBLIC_LIMIT.reports) throw tooManyRequests(Math.ceil((recent[0]! + PUBLIC_LIMIT.windowMs - t) / 1000))
    recent.push(t)
    seen.set(address, recent)
    if (seen.size > 100_000) seen.clear()
  }
}
const idempotencyKey = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'visible ASCII, no spaces')

/** The Idempotency-Key header, checked (a 400 naming the header when it is not one). */
function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined
  const parsed = idempotencyKey.safeParse(Array.isArray(header) ? header[0] : header)
  if (!parsed.success) throw validationFailed([{ path: 'header.idempotency-key', code: 'invalid_key', message: parsed.error.issues[0]!.message }])
  return parsed.data
}

export async function reportRoutes(app: FastifyInstance): Promise<void> {
  const reports = reportsService(app.db.kysely)
  const tiles = reportTiles(app.db.kysely)
  const tags = ['reports']
  const limit = publicRateLimit()

  defineRoute(app, {
    method: 'POST', url: '/api/public/reports', policy: 'public', status: 201, tags,
    summary: 'A member of the public reports what happened, anonymously: recorded for the public party, its place shown to others coarsened to about 1 km; an Idempotency-Key lets an offline form resend safely',
    body: publicReportBody, response: z.object({ id: z.uuid(), replayed: z.boolean() }),
    handler: async ({ body, request, reply, answerWith }) => {
      const key = idempotencyKeyOf(request.headers['idempotency-key'])
      const party = await app.db.kysely.selectFrom('parties').select(['id', 'kind']).where('kind', '=', 'public').orderBy('created_at').executeTakeFirst()
      if (!party) throw new AppError(503, 'public_reports_closed', 'This platform takes no public reports: it has no public party.')
      if (key === undefined || !(await reports.known(party.id, key))) limit(request.ip)
      const out = await reports.record({ ...systemActor(party.id), partyKind: party.kind }, {
        ...body, sources: [{ kind: 'public', reliability: 'F' }], anonymous: true, visibility: 'parties',
      }, { channel: 'public_form', idempotencyKey: key })
      if (out.replayed) { answerWith(200); reply.header('idempotent-replayed', 'true') }
      // The reporter learns only that it arrived: what others may see of it is not theirs to read back.
      return { id: out.id, replayed: out.replayed }
    },
  })

  defineRoute(app, {
    method: 'GET', url: '/tiles/reports/:z/:x/:y', policy: 'public', tags,
    summary: 'Every report you may see as a Mapbox Vector Tile (layer "reports", feature id = the report\'s seq), optionally occurred within [from, to); dense tiles hold cells with counts',
    params: z.strictObject({
      z: z.coerce.number().int().min(0).max(MAX_TILE_ZOOM), x: z.coerce.number().int().min(0),
      y: z.string().regex(/^\d+\.mvt$/, 'the row followed by .mvt').transform((v) => Number(v.slice(0, -4))),
    }),
    query: z.strictObject({ from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() }),
    handler: async ({ principal, params, query, reply }) => {
      const n = 2 ** params.z
      if (params.x >= n || params.y >= n) throw badRequest('tile_out_of_range', 'No such tile.', [{ path: 'params', message: `x and y run from 0 to ${n - 1} at zoom ${params.z}` }])
      const from = query.from === undefined ? undefined : new Date(query.from)
      const to = query.to === undefined ? undefined : new Date(query.to)
      if (from && to && to <= from) throw badRequest('inverted_interval', 'The interval is empty.', [{ path: 'query.to', message: 'to must be after from' }])
      const tile = await tiles.tile(principal, params.z, params.x, params.y, { from, to })
      reply.type('application/vnd.mapbox-vector-tile').header('cache-control', 'private, max-age=10')
      return Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength) as never
    },
  })

  defineRoute(app, {
    method: 'POST', url: '/api/reports', policy: 'incident.report', status: 201, tags,
    summary: 'Report what happened, when and where, with its sources; an Idempotency-Key header makes a resend create nothing new',
    body: reportBody, response: reportSchema.extend({ replayed: z.boolean() }),
    handler: async ({ principal, body, request, reply, answerWith }) => {
      const key = idempotencyKeyOf(request.headers['idempotency-key'])
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
    method: 'GET', url: '/api/reports/export', policy: 'authenticated', tags,
    summary: 'Reports you may see as CSV, HXL-tagged CSV, UCDP-GED-like CSV or GeoJSON (up to 100,000, newest first)',
    query: reportQuery.pick({ from: true, to: true, category: true }).extend({ format: z.enum(EXPORT_FORMATS) }),
    handler: async ({ principal, query, reply }) => {
      const { format, ...range } = query
      const body = await reports.export(principal, range, format)
      const [type, ext] = format === 'geojson' ? ['application/geo+json', 'geojson'] : ['text/csv', `${format === 'csv' ? '' : `${format}.`}csv`]
      reply.type(`${type}; charset=utf-8`).header('content-disposition', `attachment; filename="truce-reports.${ext}"`)
      return body as never
    },
  })
  defineRoute(app, {
    method: 'GET', url: '/api/reports/:id', policy: 'authenticated', summary: 'One report with its sources and the map features containing its place', tags,
    params: idParams, response: reportSchema,
    handler: async ({ principal, params }) => reports.get(principal, params.id),
  })
}
