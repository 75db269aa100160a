// Reports in: validated (not in the future, a place that exists), actor names resolved against
// the registry when the matcher is sure (kept verbatim either way), the place attributed through
// geo_places, all in one transaction with the submission. An idempotency key makes a resent
// report create nothing new; the same key with another report is refused.
import type { Geometry } from 'geojson'
import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { canonicalize } from '../../lib/canonical-json.ts'
import { csvDocument } from '../../lib/csv.ts'
import { AppError, badRequest, notFound } from '../../lib/errors.ts'
import { decodeCursor, instantCursor, toPage } from '../../lib/pagination.ts'
import { sha256Hex } from '../../lib/secrets.ts'
import { visibleTo } from '../../lib/visibility.ts'
import type { Principal } from '../access/access.policy.ts'
import { actorMatcher } from '../actors/actors.match.ts'
import { placeRecord } from '../geo/geo.places.ts'
import { sectorPolygon, SectorError } from '../geo/sector.ts'
import { recordSubmission } from '../ledger/ledger.service.ts'
import { clusteringOf } from './incidents.clustering.ts'
import type { ReportBody } from './reports.schemas.ts'

/** Channels members of the public report through: their places are shown to others coarsened. */
export const PUBLIC_CHANNELS: readonly string[] = ['public_form', 'sms']

/** Clocks differ: a report up to this far ahead of the server's clock is not "in the future". */
const CLOCK_SKEW_MS = 5 * 60 * 1000

type ReportRow = Awaited<ReturnType<ReturnType<typeof reportsService>['rows']>>[number]

/** A public report's place, as others see it: rounded to 0.01° (about 1 km). */
const coarsen = (g: Geometry): Geometry => {
  const r = (v: number) => Math.round(v * 100) / 100
  return g.type === 'Point' ? { type: 'Point', coordinates: [r(g.coordinates[0]!), r(g.coordinates[1]!)] } : g
}

export function reportsService(db: Kysely<DB>) {
  const matcher = actorMatcher(db)

  /** The actor the registry is sure a name denotes (the automatic band), else none. */
  async function resolve(viewer: Principal, name: string | undefined, at: string) {
    if (name === undefined) return { name: null, actorId: null }
    const { candidates } = await matcher.match(viewer, { name, at: at.slice(0, 10), limit: 1 })
    const best = candidates[0]
    return { name, actorId: best !== undefined && best.band === 'automatic' ? best.actorId : null, score: best?.score ?? null }
  }

  function geometryOf(body: ReportBody): Geometry {
    const w = body.where
    if (w.kind === 'point') return { type: 'Point', coordinates: [w.lon, w.lat] }
    if (w.kind === 'area') return w.geometry as Geometry
    try {
      return sectorPolygon({ lon: w.lon, lat: w.lat, bearing: w.bearing, spread: w.spread, minDistance: w.minDistanceM, maxDistance: w.maxDistanceM })
    } catch (e) {
      if (e instanceof SectorError) throw badRequest('invalid_sector', 'The sector cannot be drawn.', [{ path: `body.where.${e.field === 'minDistance' ? 'minDistanceM' : e.field === 'maxDistance' ? 'maxDistanceM' : e.field}`, message: e.message }])
      throw e
    }
  }

  const rows = (viewer: Principal) =>
    db.selectFrom('reports as r').selectAll('r')
      .select([sql<string>`st_asgeojson(r.geom, 7)`.as('geometry')])
      .select((eb) => eb.fn.coalesce(
        sql<{ kind: string; reliability: string; name: string | null; url: string | null }[]>`(select json_agg(json_build_object('kind', s.kind, 'reliability', s.reliability, 'name', s.name, 'url', s.url) order by s.ordinal) from report_sources s where s.report_id = r.id)`,
        sql<never[]>`'[]'::json`).as('sources'))
      // Its place's attribution in the same round trip (no query per report in a list).
      .select(sql<{ features: string[]; sites: string[]; nearest_admin: string | null; nearest_admin_m: number | null } | null>`(select json_build_object('features', p.features, 'sites', p.sites, 'nearest_admin', p.nearest_admin, 'nearest_admin_m', p.nearest_admin_m) from geo_places p where p.subject_kind = 'report' and p.subject_id = r.id::text)`.as('place'))
      .select(sql<string | null>`(select ir.incident_id from incident_reports ir where ir.report_id = r.id)`.as('incident_id'))
      .where(visibleTo(viewer, 'r'))

  function present(viewer: Principal, r: Awaited<ReturnType<ReturnType<typeof rows>['executeTakeFirstOrThrow']>>) {
    const mine = viewer.partyId !== null && viewer.partyId === r.owner_party_id
    const coarsened = PUBLIC_CHANNELS.includes(r.channel) && !mine
    const where = r.where_input as Record<string, unknown>
    const geometry = JSON.parse(r.geometry) as Geometry
    const place = r.place && { features: r.place.features, sites: r.place.sites, nearestAdmin: r.place.nearest_admin === null ? null : { featureId: r.place.nearest_admin, distanceM: Number(r.place.nearest_admin_m) } }
    return {
      id: r.id, seq: r.seq, partyId: r.party_id, channel: r.channel, externalId: r.external_id, occurredAt: r.occurred_at.toISOString(), datePrecision: r.date_precision,
      where: coarsened && where.kind === 'point' ? { ...where, lon: Math.round(Number(where.lon) * 100) / 100, lat: Math.round(Number(where.lat) * 100) / 100 } : where,
      wherePrecision: r.where_precision, geometry: coarsened ? coarsen(geometry) : geometry,
      category: r.category as ReportBody['category'], counts: r.counts as Record<string, number>, casualties: r.casualties as Record<string, unknown>,
      perpetrator: r.perpetrator_name === null ? null : { name: r.perpetrator_name, actorId: r.perpetrator_actor_id, score: null },
      target: r.target_name === null ? null : { name: r.target_name, actorId: r.target_actor_id, score: null },
      description: r.description, language: r.language, anonymous: r.anonymous, sources: r.sources,
      attribution: place && { features: place.features, sites: place.sites, nearestAdmin: place.nearestAdmin },
      coarsened, visibility: r.visibility, submissionId: r.submission_id, createdAt: r.created_at.toISOString(),
      incidentId: r.incident_id,
    }
  }

  return {
    rows: (viewer: Principal) => rows(viewer).execute(),

    /** Whether a party already used an idempotency key (a resend, which no rate limit should count). */
    async known(partyId: string, key: string) {
      return (await db.selectFrom('reports').select('id').where('party_id', '=', partyId).where('idempotency_key', '=', key).executeTakeFirst()) !== undefined
    },

    /** The reports of these ids the viewer may see, in the order they were written. */
    async many(viewer: Principal, ids: readonly string[]) {
      if (ids.length === 0) return []
      const found = await rows(viewer).where('r.id', 'in', ids).orderBy('r.seq').execute()
      return found.map((r) => present(viewer, r))
    },

    async get(viewer: Principal, id: string) {
      const r = await rows(viewer).where('r.id', '=', id).executeTakeFirst()
      if (!r) throw notFound('report')
      return present(viewer, r)
    },

    /** Every report the viewer may see in the range, as a file (at most `max` rows, newest first). */
    async export(viewer: Principal, query: { from?: string | undefined; to?: string | undefined; category?: string | undefined }, format: ExportFormat, max = 100_000) {
      let q = rows(viewer)
      if (query.from !== undefined) q = q.where('r.occurred_at', '>=', new Date(query.from))
      if (query.to !== undefined) q = q.where('r.occurred_at', '<', new Date(query.to))
      if (query.category !== undefined) q = q.where('r.category', '=', query.category)
      const found = await q.select([sql<number>`st_x(st_pointonsurface(r.geom))`.as('lon'), sql<number>`st_y(st_pointonsurface(r.geom))`.as('lat')])
        .orderBy('r.occurred_at', 'desc').orderBy('r.id').limit(max).execute()
      return exportReports(found.map((r) => {
        const coarse = PUBLIC_CHANNELS.includes(r.channel) && viewer.partyId !== r.owner_party_id
        const round = (v: number) => (coarse ? Math.round(v * 100) / 100 : v)
        const geometry = JSON.parse(r.geometry) as Geometry
        return {
          id: r.id, seq: r.seq, occurredAt: r.occurred_at.toISOString(), datePrecision: r.date_precision, category: r.category,
          lon: round(r.lon), lat: round(r.lat), wherePrecision: r.where_precision, placeName: r.place_name,
          perpetrator: r.perpetrator_name, perpetratorActorId: r.perpetrator_actor_id, target: r.target_name, targetActorId: r.target_actor_id,
          casualties: r.casualties as ExportRow['casualties'], counts: r.counts as Record<string, number>,
          sources: r.sources.map((x) => [x.kind, x.reliability, x.name].filter(Boolean).join(' ')).join('; '), description: r.description,
          geometry: coarse ? coarsen(geometry) : geometry,
        }
      }), format)
    },

    async list(viewer: Principal, query: { from?: string | undefined; to?: string | undefined; category?: string | undefined; limit: number; cursor?: string | undefined }) {
      let q = rows(viewer)
      if (query.from !== undefined) q = q.where('r.occurred_at', '>=', new Date(query.from))
      if (query.to !== undefined) q = q.where('r.occurred_at', '<', new Date(query.to))
      if (query.category !== undefined) q = q.where('r.category', '=', query.category)
      const after = decodeCursor(query.cursor, instantCursor)
      if (after) {
        const at = sql<Date>`cast(${after.k} as timestamptz)`
        q = q.where((eb) => eb.or([eb('r.created_at', '<', at), eb.and([eb('r.created_at', '=', at), eb('r.id', '<', after.id)])]))
      }
      const found = await q.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(query.limit + 1).execute()
      const page = toPage(found, query.limit, (r) => ({ k: r.created_at.toISOString(), id: r.id }), (r) => r)
      return { items: page.items.map((r) => present(viewer, r)), nextCursor: page.nextCursor }
    },

    /**
     * Records a report. Returns it with `replayed: true` when the idempotency key was used before
     * for the same report (nothing new is written); the key reused for another report is a 409.
     */
    async create(actor: Principal, body: ReportBody, options: { channel: 'api' | 'web' | 'public_form' | 'import' | 'sms'; idempotencyKey?: string | undefined; now?: Date }) {
      const out = await this.record(actor, body, options)
      const detail = await this.get(actor, out.id)
      return { ...detail, perpetrator: detail.perpetrator && { ...detail.perpetrator, score: out.scores.perpetrator }, target: detail.target && { ...detail.target, score: out.scores.target }, replayed: out.replayed }
    },

    /**
     * Writes a report (or finds the one its idempotency key wrote) and returns its id, without
     * reading it back: the public party records reports it may not read itself.
     */
    async record(actor: Principal, body: ReportBody, options: { channel: 'api' | 'web' | 'public_form' | 'import' | 'sms'; idempotencyKey?: string | undefined; now?: Date }) {
      const now = options.now ?? new Date()
      const occurredAt = new Date(body.occurredAt)
      if (occurredAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
        throw badRequest('in_future', 'The report says it happened in the future.', [{ path: 'body.occurredAt', message: `${body.occurredAt} is after now (${now.toISOString()})` }])
      }
      const payload = { ...body, channel: options.channel }
      const payloadSha = sha256Hex(canonicalize(payload))
      const replay = async () => {
        if (options.idempotencyKey === undefined) return null
        const earlier = await db.selectFrom('reports as r').innerJoin('submissions as s', 's.id', 'r.submission_id')
          .select(['r.id', 's.payload_sha256']).where('r.party_id', '=', actor.partyId!).where('r.idempotency_key', '=', options.idempotencyKey).executeTakeFirst()
        if (!earlier) return null
        if (earlier.payload_sha256 !== payloadSha) {
          throw new AppError(409, 'idempotency_key_reused', 'This idempotency key was used for another report.', [{ path: 'header.idempotency-key', message: 'send a new key for a new report' }])
        }
        return { id: earlier.id, replayed: true, scores: { perpetrator: null, target: null } }
      }
      const first = await replay()
      if (first) return first
      const geometry = geometryOf(body)
      const [perpetrator, target] = await Promise.all([resolve(actor, body.perpetrator, body.occurredAt), resolve(actor, body.target, body.occurredAt)])
      let id: string
      try {
        id = await db.transaction().execute(async (trx) => {
          const submission = await recordSubmission(trx, actor, { kind: 'report.create', subjectId: null, payload, visibility: body.visibility, restrictedTo: body.restrictedTo ?? [] })
          const geom = body.where.kind === 'area'
            ? sql<string>`st_makevalid(st_setsrid(st_geomfromgeojson(${JSON.stringify(geometry)}), 4326))`
            : sql<string>`st_setsrid(st_geomfromgeojson(${JSON.stringify(geometry)}), 4326)`
          const row = await trx.insertInto('reports').values({
            party_id: actor.partyId!, user_id: body.anonymous ? null : actor.userId, idempotency_key: options.idempotencyKey ?? null, channel: options.channel,
            external_id: body.externalId ?? null, occurred_at: occurredAt, date_precision: body.datePrecision, where_kind: body.where.kind,
            where_precision: body.where.precision, geom, where_input: JSON.stringify(body.where), place_name: 'placeName' in body.where ? body.where.placeName ?? null : null,
            category: body.category, counts: JSON.stringify(body.counts ?? {}), casualties: JSON.stringify(body.casualties ?? {}),
            perpetrator_name: perpetrator.name, perpetrator_actor_id: perpetrator.actorId, target_name: target.name, target_actor_id: target.actorId,
            description: body.description, language: body.language ?? null, anonymous: body.anonymous, visibility: body.visibility,
            owner_party_id: actor.partyId!, restricted_to: [...(body.restrictedTo ?? [])], submission_id: submission.id,
          }).returning('id').executeTakeFirstOrThrow()
          if (body.sources.length > 0) {
            await trx.insertInto('report_sources').values(body.sources.map((s, i) => ({ report_id: row.id, ordinal: i, kind: s.kind, reliability: s.reliability, name: s.name ?? null, url: s.url ?? null }))).execute()
          }
          await placeRecord(trx, { kind: 'report', id: row.id, geometry, at: occurredAt })
          await clusteringOf(db).assign(trx, [row.id])
          return row.id
        })
      } catch (e) {
        clusteringOf(db).invalidate()
        // Two requests with one key at once: the second finds the first's report.
        if ((e as { code?: string }).code === '23505' && options.idempotencyKey !== undefined) {
          const again = await replay()
          if (again) return again
        }
        throw e
      }
      return { id, replayed: false, scores: { perpetrator: perpetrator.score ?? null, target: target.score ?? null } }
    },
  }
}

export type ReportOut = Awaited<ReturnType<ReturnType<typeof reportsService>['get']>>

export const EXPORT_FORMATS = ['csv', 'geojson', 'hxl', 'ucdp'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

type ExportRow = {
  id: string; seq: number; occurredAt: string; datePrecision: number; category: string; lon: number | null; lat: number | null; wherePrecision: number
  placeName: string | null; perpetrator: string | null; perpetratorActorId: string | null; target: string | null; targetActorId: string | null
  casualties: Record<string, { low: number; best: number; high: number } | undefined>; counts: Record<string, number>; sources: string; description: string
  geometry: Geometry
}

const best = (r: ExportRow, k: string) => r.casualties[k]?.best ?? ''

/** Reports as CSV, HXL-tagged CSV, UCDP-GED-like CSV or GeoJSON (a FeatureCollection). */
export function exportReports(rows: readonly ExportRow[], format: ExportFormat): string {
  if (format === 'geojson') {
    return JSON.stringify({ type: 'FeatureCollection', features: rows.map(({ geometry, lon: _x, lat: _y, ...properties }) => ({ type: 'Feature', id: properties.id, geometry, properties })) })
  }
  if (format === 'ucdp') {
    const header = ['id', 'date_start', 'date_prec', 'latitude', 'longitude', 'where_prec', 'where_coordinates', 'side_a', 'side_b', 'deaths_civilians', 'low', 'best', 'high', 'source_article']
    return csvDocument([header, ...rows.map((r) => {
      const killed = ['civiliansKilled', 'combatantsKilled'].map((k) => r.casualties[k])
      const sum = (f: 'low' | 'best' | 'high') => killed.reduce((n, c) => n + (c?.[f] ?? 0), 0)
      return [r.seq, r.occurredAt.slice(0, 10), r.datePrecision, r.lat, r.lon, r.wherePrecision, r.placeName, r.perpetrator, r.target, best(r, 'civiliansKilled'), sum('low'), sum('best'), sum('high'), r.sources]
    })])
  }
  const columns: [string, string, (r: ExportRow) => string | number | null][] = [
    ['id', '#meta+id', (r) => r.id], ['seq', '#meta+seq', (r) => r.seq], ['occurred_at', '#date+occurred', (r) => r.occurredAt],
    ['date_precision', '#date+precision', (r) => r.datePrecision], ['category', '#event+type', (r) => r.category],
    ['latitude', '#geo+lat', (r) => r.lat], ['longitude', '#geo+lon', (r) => r.lon], ['where_precision', '#geo+precision', (r) => r.wherePrecision],
    ['place', '#loc+name', (r) => r.placeName], ['perpetrator', '#actor+perpetrator', (r) => r.perpetrator], ['perpetrator_actor_id', '#actor+perpetrator+code', (r) => r.perpetratorActorId],
    ['target', '#actor+target', (r) => r.target], ['target_actor_id', '#actor+target+code', (r) => r.targetActorId],
    ['civilians_killed', '#affected+killed', (r) => best(r, 'civiliansKilled')], ['civilians_injured', '#affected+injured', (r) => best(r, 'civiliansInjured')],
    ['combatants_killed', '#affected+killed+combatants', (r) => best(r, 'combatantsKilled')], ['combatants_injured', '#affected+injured+combatants', (r) => best(r, 'combatantsInjured')],
    ['explosions', '#indicator+explosions', (r) => r.counts.explosions ?? ''], ['sources', '#meta+source', (r) => r.sources], ['description', '#description', (r) => r.description],
  ]
  const head = [columns.map((c) => c[0]), ...(format === 'hxl' ? [columns.map((c) => c[1])] : [])]
  return csvDocument([...head, ...rows.map((r) => columns.map((c) => c[2](r)))])
}
export type { ReportRow }
