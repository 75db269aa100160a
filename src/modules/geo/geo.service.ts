// Geography: layers of features, each a claim with a validity interval, and the questions asked
// of them — which admin units, areas of control (whose claim), zones and access areas contain a
// place at an instant, and which protected sites are near it. Every write is one transaction with
// its submission; features are never overwritten (an edit replaces, a retraction marks).
import type { Geometry } from 'geojson'
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely'
import type { DB, GeoLayerKind } from '../../db/schema.ts'
import { AppError, badRequest, notFound } from '../../lib/errors.ts'
import { visibleTo } from '../../lib/visibility.ts'
import type { Principal } from '../access/access.policy.ts'
import { agreementsRepository } from '../agreements/agreements.repository.ts'
import { recordSubmission } from '../ledger/ledger.service.ts'
import type { z } from 'zod'
import type { Attribution, FeatureBody, featureSchema } from './geo.schemas.ts'
import { sectorPolygon, SectorError, type SectorInput } from './sector.ts'

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)

/** Slugs a layer may not take: /tiles/{slug}/… serves something else there. */
export const RESERVED_LAYER_SLUGS = ['reports', 'incidents']

/** Which geometry families a layer of each kind holds. */
export const LAYER_GEOMETRIES: Record<GeoLayerKind, readonly Geometry['type'][]> = {
  admin: ['Polygon', 'MultiPolygon'],
  control: ['Polygon', 'MultiPolygon'],
  access: ['Polygon', 'MultiPolygon'],
  zone: ['Polygon', 'MultiPolygon', 'LineString', 'MultiLineString'],
  site: ['Point'],
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString())

/** A feature's columns as the API presents them, with its geometry as GeoJSON text. */
const featureColumns = [
  'f.id', 'f.layer_id', 'f.external_id', 'f.name', 'f.properties', 'f.valid_from', 'f.valid_to', 'f.actor_id', 'f.confidence',
  'f.zone_kind', 'f.buffer_m', 'f.access_status', 'f.population', 'f.criteria', 'f.site_kind', 'f.radius_m', 'f.source',
  'f.party_id', 'f.visibility', 'f.replaces', 'f.created_at', 'l.slug as layer_slug', 'l.kind as layer_kind', 'l.agreement_id',
] as const

type FeatureRow = {
  id: string; layer_id: string; external_id: string | null; name: unknown; properties: unknown; valid_from: Date | null; valid_to: Date | null
  actor_id: string | null; confidence: 'high' | 'medium' | 'low' | null; zone_kind: string | null; buffer_m: number | null
  access_status: string | null; population: number | null; criteria: string | null; site_kind: string | null; radius_m: number | null
  source: string; party_id: string; visibility: 'public' | 'parties' | 'restricted' | 'internal'; replaces: string | null; created_at: Date
  layer_slug: string; layer_kind: GeoLayerKind; agreement_id: string | null
  geometry: string; retraction_reason: string | null; retracted_at: Date | null
}

export type FeatureOut = Omit<z.infer<typeof featureSchema>, 'geometry'> & { geometry: Geometry }

export function presentFeature(r: FeatureRow): FeatureOut {
  return {
    type: 'Feature', id: r.id, geometry: JSON.parse(r.geometry) as Geometry,
    properties: {
      id: r.id, layer: r.layer_slug, kind: r.layer_kind, externalId: r.external_id, name: (r.name ?? {}) as Record<string, string>,
      properties: (r.properties ?? {}) as Record<string, unknown>, validFrom: iso(r.valid_from), validTo: iso(r.valid_to),
      claimantPartyId: r.party_id, actorId: r.actor_id, confidence: r.confidence, zoneKind: r.zone_kind, bufferM: r.buffer_m,
      accessStatus: r.access_status, population: r.population, criteria: r.criteria, siteKind: r.site_kind, radiusM: r.radius_m,
      source: r.source, visibility: r.visibility, replaces: r.replaces,
      retracted: r.retracted_at === null ? null : { reason: r.retraction_reason ?? '', at: r.retracted_at.toISOString() },
      createdAt: r.created_at.toISOString(),
    },
  }
}

/** Valid at `at` (half-open), when an instant is given. */
export const validAt = (at: Date | undefined, alias = 'f'): Expression<SqlBool> => {
  if (at === undefined) return sql<SqlBool>`true`
  const t = sql.ref(alias)
  return sql<SqlBool>`((${t}.valid_from is null or ${t}.valid_from <= ${at}) and (${t}.valid_to is null or ${at} < ${t}.valid_to))`
}

const notRetracted = (alias = 'f'): Expression<SqlBool> =>
  sql<SqlBool>`not exists (select 1 from geo_feature_retractions r where r.feature_id = ${sql.ref(`${alias}.id`)})`

/** A WGS84 UTM zone's EPSG code for a longitude/latitude: the metric projection buffers use. */
export const utmSrid = (lon: number, lat: number) => (lat >= 0 ? 32600 : 32700) + Math.min(60, Math.floor((lon + 180) / 6) + 1)

/** Degrees of longitude/latitude that surely cover `metres` around latitude `lat` (an index prefilter). */
export const degreesCovering = (metres: number, lat: number) => (metres / (111_000 * Math.cos((Math.min(Math.abs(lat) + 1, 85) * Math.PI) / 180))) * 1.1 + 1e-9

export type LayerRow = NonNullable<Awaited<ReturnType<ReturnType<typeof geoService>['findLayer']>>>

export function geoService(db: Kysely<DB>) {
  const features = (q: Kysely<DB> | Transaction<DB>, viewer: Principal) =>
    q.selectFrom('geo_features as f').innerJoin('geo_layers as l', 'l.id', 'f.layer_id')
      .leftJoin('geo_feature_retractions as fr', 'fr.feature_id', 'f.id')
      .select(featureColumns)
      .select([sql<string>`st_asgeojson(f.geom, 7)`.as('geometry'), 'fr.reason as retraction_reason', 'fr.created_at as retracted_at'])
      .where(visibleTo(viewer, 'f')).where(visibleTo(viewer, 'l'))

  async function findLayer(viewer: Principal, idOrSlug: string, trx: Kysely<DB> | Transaction<DB> = db) {
    return trx.selectFrom('geo_layers as l').selectAll('l').where(visibleTo(viewer, 'l'))
      .where(isUuid(idOrSlug) ? 'l.id' : 'l.slug', '=', idOrSlug).executeTakeFirst()
  }

  async function layerOrMissing(viewer: Principal, idOrSlug: string, trx: Kysely<DB> | Transaction<DB> = db) {
    const layer = await findLayer(viewer, idOrSlug, trx)
    if (!layer) throw notFound('layer')
    return layer
  }

  async function partyId(idOrSlug: string, path: string): Promise<string> {
    const p = await db.selectFrom('parties').select('id').where(isUuid(idOrSlug) ? 'id' : 'slug', '=', idOrSlug).executeTakeFirst()
    if (!p) throw badRequest('unknown_party', 'No such party.', [{ path, message: 'no party has this id or slug' }])
    return p.id
  }

  /** Refuses fields that do not belong to the layer's kind, and a geometry of the wrong family. */
  function checkFeatureFits(kind: GeoLayerKind, body: FeatureBody) {
    const details: { path: string; code: string; message: string }[] = []
    if (!LAYER_GEOMETRIES[kind].includes(body.geometry.type)) {
      details.push({ path: 'body.geometry.type', code: 'geometry_type_not_allowed', message: `a ${kind} layer holds ${LAYER_GEOMETRIES[kind].join(', ')}, not ${body.geometry.type}` })
    }
    const only: [keyof FeatureBody, GeoLayerKind[]][] = [
      ['actorId', ['control']], ['zoneKind', ['zone']], ['accessStatus', ['access']], ['population', ['access']],
      ['criteria', ['access']], ['siteKind', ['site']], ['radiusM', ['site']],
    ]
    for (const [field, kinds] of only) {
      if (body[field] !== undefined && !kinds.includes(kind)) details.push({ path: `body.${field}`, code: 'field_not_for_layer', message: `only a ${kinds.join(' or ')} layer takes ${field}` })
    }
    if (kind === 'control' && body.actorId === undefined) details.push({ path: 'body.actorId', code: 'required', message: 'an area of control names the actor holding it' })
    if (kind === 'access' && body.accessStatus === undefined) details.push({ path: 'body.accessStatus', code: 'required', message: 'say whether the area is besieged or hard to reach' })
    if (details.length > 0) throw badRequest('feature_not_for_layer', 'This feature does not fit the layer.', details)
  }

  /**
   * The geometry as stored: made valid (ST_MakeValid), kept to the layer's family, with the
   * reason when it had to be repaired. An empty result is refused.
   */
  async function repairGeometry(trx: Transaction<DB>, geojson: string, srid: number, kind: GeoLayerKind, path: string) {
    const family = kind === 'site' ? 1 : kind === 'zone' ? null : 3
    const r = await sql<{ valid: boolean; reason: string; wkb: string; empty: boolean }>`
      with raw as (select st_transform(st_setsrid(st_geomfromgeojson(${geojson}), ${srid}::int), 4326) g),
      fixed as (select g, case when st_isvalid(g) then g else st_makevalid(g) end m from raw)
      select st_isvalid(g) valid, st_isvalidreason(g) reason,
        ${family === null ? sql`m` : sql`st_collectionextract(m, ${family}::int)`}::text wkb,
        st_isempty(${family === null ? sql`m` : sql`st_collectionextract(m, ${family}::int)`}) empty
      from fixed`.execute(trx)
    const row = r.rows[0]!
    if (row.empty) throw badRequest('empty_after_repair', 'The geometry is empty once repaired.', [{ path, message: row.reason }])
    return { wkb: row.wkb, repaired: row.valid ? null : row.reason }
  }

  async function insertFeature(trx: Transaction<DB>, actor: Principal, layer: { id: string; kind: GeoLayerKind }, body: FeatureBody, extra: { submissionId: string; wkb: string; replaces?: string; bufferM?: number; derivedFrom?: string; importId?: string }) {
    return trx.insertInto('geo_features').values({
      layer_id: layer.id, external_id: body.externalId ?? null, name: JSON.stringify(body.name ?? {}), properties: JSON.stringify(body.properties ?? {}),
      geom: sql<string>`${extra.wkb}::geometry`, valid_from: body.validFrom ?? null, valid_to: body.validTo ?? null,
      actor_id: body.actorId ?? null, confidence: body.confidence ?? null,
      zone_kind: body.zoneKind ?? (layer.kind === 'zone' ? 'other' : null), buffer_m: extra.bufferM ?? null, derived_from: extra.derivedFrom ?? null,
      access_status: body.accessStatus ?? null, population: body.population ?? null, criteria: body.criteria ?? null,
      site_kind: body.siteKind ?? (layer.kind === 'site' ? 'other' : null), radius_m: body.radiusM ?? (layer.kind === 'site' ? 0 : null),
      source: body.source, replaces: extra.replaces ?? null, import_id: extra.importId ?? null,
      party_id: actor.partyId!, user_id: actor.userId, visibility: body.visibility, owner_party_id: actor.partyId!,
      restricted_to: [...(body.restrictedTo ?? [])], submission_id: extra.submissionId,
    }).returning('id').executeTakeFirstOrThrow()
  }

  async function checkActor(trx: Transaction<DB>, viewer: Principal, actorId: string | undefined) {
    if (actorId === undefined) return
    const a = await trx.selectFrom('actors as a').select('a.id').where(visibleTo(viewer, 'a')).where('a.id', '=', actorId).executeTakeFirst()
    if (!a) throw badRequest('unknown_actor', 'No such actor.', [{ path: 'body.actorId', message: 'no actor you may see has this id' }])
  }

  async function readFeature(viewer: Principal, id: string, trx: Kysely<DB> | Transaction<DB> = db) {
    const row = await features(trx, viewer).where('f.id', '=', id).executeTakeFirst()
    if (!row) throw notFound('feature')
    return presentFeature(row as FeatureRow)
  }

  async function layerSummary(layer: NonNullable<Awaited<ReturnType<typeof findLayer>>>, viewer: Principal) {
    const n = await db.selectFrom('geo_features as f').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('f.layer_id', '=', layer.id).where(visibleTo(viewer, 'f')).where(notRetracted()).executeTakeFirstOrThrow()
    return {
      id: layer.id, slug: layer.slug, kind: layer.kind, title: layer.title as unknown as Record<string, string>, description: layer.description,
      agreementId: layer.agreement_id, visibility: layer.visibility, ownerPartyId: layer.owner_party_id, features: Number(n.n),
      createdAt: layer.created_at.toISOString(),
    }
  }

  return {
    findLayer,
    layerOrMissing,
    repairGeometry,
    insertFeature,
    checkFeatureFits,

    async listLayers(viewer: Principal) {
      const layers = await db.selectFrom('geo_layers as l').selectAll('l').where(visibleTo(viewer, 'l')).orderBy('l.kind').orderBy('l.slug').execute()
      return { items: await Promise.all(layers.map((l) => layerSummary(l, viewer))) }
    },

    async getLayer(viewer: Principal, idOrSlug: string) {
      return layerSummary(await layerOrMissing(viewer, idOrSlug), viewer)
    },

    async createLayer(actor: Principal, body: { slug: string; kind: GeoLayerKind; title: Record<string, string>; description: string; agreement?: string | undefined; visibility: 'public' | 'parties' | 'restricted' | 'internal'; restrictedTo?: string[] | undefined }) {
      let agreementId: string | null = null
      if (body.agreement !== undefined) {
        const a = await agreementsRepository(db).find(actor, body.agreement)
        if (!a) throw badRequest('unknown_agreement', 'No such agreement.', [{ path: 'body.agreement', message: 'no agreement you may see has this id or slug' }])
        agreementId = a.id
      }
      if (RESERVED_LAYER_SLUGS.includes(body.slug)) {
        throw badRequest('slug_reserved', 'This slug names other tiles.', [{ path: 'body.slug', message: `${RESERVED_LAYER_SLUGS.join(', ')} are reserved` }])
      }
      const id = await db.transaction().execute(async (trx) => {
        const taken = await trx.selectFrom('geo_layers').select('id').where('slug', '=', body.slug).executeTakeFirst()
        if (taken) throw new AppError(409, 'slug_taken', 'A layer with this slug exists.', [{ path: 'body.slug', message: 'choose another slug' }])
        const submission = await recordSubmission(trx, actor, {
          kind: 'geo.layer.create', subjectId: null, payload: { ...body, agreementId },
          visibility: body.visibility, restrictedTo: body.restrictedTo ?? [],
        })
        const row = await trx.insertInto('geo_layers').values({
          slug: body.slug, kind: body.kind, title: JSON.stringify(body.title), description: body.description, agreement_id: agreementId,
          visibility: body.visibility, owner_party_id: actor.partyId!, restricted_to: [...(body.restrictedTo ?? [])], submission_id: submission.id,
        }).returning('id').executeTakeFirstOrThrow()
        return row.id
      })
      return this.getLayer(actor, id)
    },

    async listFeatures(viewer: Principal, idOrSlug: string, query: { at?: Date | undefined; bbox?: string | undefined; claimant?: string | undefined; limit: number; cursor?: string | undefined; includeRetracted?: boolean }) {
      const layer = await layerOrMissing(viewer, idOrSlug)
      let q = features(db, viewer).where('f.layer_id', '=', layer.id).where(validAt(query.at))
      if (!query.includeRetracted) q = q.where('fr.feature_id', 'is', null)
      if (query.bbox !== undefined) {
        const [a, b, c, d] = query.bbox.split(',').map(Number) as [number, number, number, number]
        if (!(a <= c && b <= d)) throw badRequest('invalid_bbox', 'The bbox is inverted.', [{ path: 'query.bbox', message: 'minLon,minLat,maxLon,maxLat with min ≤ max' }])
        q = q.where(sql<SqlBool>`f.geom && st_makeenvelope(${a}, ${b}, ${c}, ${d}, 4326)`)
      }
      if (query.claimant !== undefined) q = q.where('f.party_id', '=', await partyId(query.claimant, 'query.claimant'))
      if (query.cursor !== undefined) {
        if (!isUuid(query.cursor)) throw badRequest('invalid_cursor', 'The cursor is not one this API gave.', [{ path: 'query.cursor', message: 'pass back nextCursor as given' }])
        q = q.where('f.id', '>', query.cursor)
      }
      const rows = (await q.orderBy('f.id').limit(query.limit + 1).execute()) as FeatureRow[]
      const more = rows.length > query.limit
      const page = more ? rows.slice(0, query.limit) : rows
      return { type: 'FeatureCollection' as const, features: page.map(presentFeature), nextCursor: more ? page[page.length - 1]!.id : null }
    },

    getFeature: readFeature,

    async addFeature(actor: Principal, idOrSlug: string, body: FeatureBody) {
      const id = await db.transaction().execute(async (trx) => {
        const layer = await layerOrMissing(actor, idOrSlug, trx)
        checkFeatureFits(layer.kind, body)
        await checkActor(trx, actor, body.actorId)
        const { wkb, repaired } = await repairGeometry(trx, JSON.stringify(body.geometry), 4326, layer.kind, 'body.geometry')
        const submission = await recordSubmission(trx, actor, {
          kind: 'geo.feature.create', subjectId: layer.id, payload: { layer: layer.slug, ...body, repaired },
          visibility: body.visibility, restrictedTo: body.restrictedTo ?? [],
        })
        return (await insertFeature(trx, actor, layer, body, { submissionId: submission.id, wkb })).id
      })
      return readFeature(actor, id)
    },

    /** A new version of one of the party's own features: the old one is retracted, the new one replaces it. */
    async replaceFeature(actor: Principal, featureId: string, body: FeatureBody) {
      const id = await db.transaction().execute(async (trx) => {
        const old = await features(trx, actor).where('f.id', '=', featureId).forUpdate('f').executeTakeFirst()
        if (!old) throw notFound('feature')
        if (old.party_id !== actor.partyId) throw new AppError(403, 'not_your_claim', 'Only the party that made a claim may change it.')
        if (old.retracted_at !== null) throw new AppError(409, 'feature_retracted', 'This feature was retracted; it cannot be changed.')
        const layer = { id: old.layer_id, kind: old.layer_kind }
        checkFeatureFits(layer.kind, body)
        await checkActor(trx, actor, body.actorId)
        const { wkb, repaired } = await repairGeometry(trx, JSON.stringify(body.geometry), 4326, layer.kind, 'body.geometry')
        const submission = await recordSubmission(trx, actor, {
          kind: 'geo.feature.replace', subjectId: featureId, payload: { replaces: featureId, ...body, repaired },
          visibility: body.visibility, restrictedTo: body.restrictedTo ?? [],
        })
        await trx.insertInto('geo_feature_retractions').values({ feature_id: featureId, party_id: actor.partyId!, user_id: actor.userId, reason: 'replaced', submission_id: submission.id }).execute()
        return (await insertFeature(trx, actor, layer, body, { submissionId: submission.id, wkb, replaces: featureId })).id
      })
      return readFeature(actor, id)
    },

    async retractFeature(actor: Principal, featureId: string, reason: string) {
      await db.transaction().execute(async (trx) => {
        const old = await features(trx, actor).where('f.id', '=', featureId).forUpdate('f').executeTakeFirst()
        if (!old) throw notFound('feature')
        if (old.party_id !== actor.partyId) throw new AppError(403, 'not_your_claim', 'Only the party that made a claim may retract it.')
        if (old.retracted_at !== null) throw new AppError(409, 'feature_retracted', 'This feature is already retracted.')
        const submission = await recordSubmission(trx, actor, {
          kind: 'geo.feature.retract', subjectId: featureId, payload: { featureId, reason }, visibility: old.visibility,
        })
        await trx.insertInto('geo_feature_retractions').values({ feature_id: featureId, party_id: actor.partyId!, user_id: actor.userId, reason, submission_id: submission.id }).execute()
      })
      return readFeature(actor, featureId)
    },

    /**
     * Buffers around a zone's line or area, each computed in the UTM zone of its centre (a metric
     * projection) and stored as a new `buffer` feature in the same layer, derived from it.
     */
    async deriveBuffers(actor: Principal, featureId: string, body: { distancesM: number[]; source: string; visibility: 'public' | 'parties' | 'restricted' | 'internal'; restrictedTo?: string[] | undefined }) {
      const ids = await db.transaction().execute(async (trx) => {
        const base = await features(trx, actor).where('f.id', '=', featureId).where('fr.feature_id', 'is', null).executeTakeFirst()
        if (!base) throw notFound('feature')
        if (base.layer_kind !== 'zone') throw badRequest('not_a_zone', 'Buffers are drawn around a zone layer’s features.', [{ path: 'params.id', message: `this feature is in a ${base.layer_kind} layer` }])
        const centre = await sql<{ x: number; y: number }>`select st_x(st_centroid(geom)) x, st_y(st_centroid(geom)) y from geo_features where id = ${featureId}`.execute(trx)
        const srid = utmSrid(centre.rows[0]!.x, centre.rows[0]!.y)
        const submission = await recordSubmission(trx, actor, {
          kind: 'geo.feature.buffers', subjectId: featureId, payload: { featureId, distancesM: body.distancesM, srid, source: body.source },
          visibility: body.visibility, restrictedTo: body.restrictedTo ?? [],
        })
        const out: string[] = []
        for (const d of body.distancesM) {
          const g = await sql<{ wkb: string }>`select st_transform(st_buffer(st_transform(geom, ${srid}::int), ${d}::float8, 'quad_segs=16'), 4326)::text wkb from geo_features where id = ${featureId}`.execute(trx)
          const feature: FeatureBody = {
            geometry: { type: 'Point', coordinates: [0, 0] }, validFrom: base.valid_from, validTo: base.valid_to,
            name: Object.fromEntries(Object.entries((base.name ?? {}) as Record<string, string>).map(([k, v]) => [k, `${v} + ${d / 1000} km`])),
            zoneKind: 'buffer', source: body.source, visibility: body.visibility, restrictedTo: body.restrictedTo,
          }
          out.push((await insertFeature(trx, actor, { id: base.layer_id, kind: 'zone' }, feature, { submissionId: submission.id, wkb: g.rows[0]!.wkb, bufferM: d, derivedFrom: featureId })).id)
        }
        return out
      })
      return { type: 'FeatureCollection' as const, features: await Promise.all(ids.map((id) => readFeature(actor, id))), nextCursor: null }
    },

    /**
     * What contains or is near a place at an instant. A point is attributed by ST_Covers (its
     * boundary counts); a circle, polygon or sector by ST_Intersects, with the share of its area
     * inside each feature. Protected sites within `within` metres come with their geodesic distance.
     */
    async attribute(viewer: Principal, input: { geometry?: Geometry | undefined; sector?: SectorInput | undefined; radius?: number | undefined; at?: Date | undefined; within: number }): Promise<Attribution> {
      const at = input.at ?? new Date()
      let geometry: Geometry
      try {
        geometry = input.sector !== undefined ? sectorPolygon(input.sector) : input.geometry!
      } catch (e) {
        if (e instanceof SectorError) throw badRequest('invalid_sector', 'The sector cannot be drawn.', [{ path: `body.sector.${e.field}`, message: e.message }])
        throw e
      }
      const isPoint = geometry.type === 'Point' && !(input.radius! > 0)
      const g = sql`(select g from q)`
      const shape = input.radius !== undefined && input.radius > 0
        ? sql`st_buffer(st_setsrid(st_geomfromgeojson(${JSON.stringify(geometry)}), 4326)::geography, ${input.radius}::float8, 'quad_segs=16')::geometry`
        : sql`st_setsrid(st_geomfromgeojson(${JSON.stringify(geometry)}), 4326)`
      const lat = geometry.type === 'Point' ? geometry.coordinates[1]! : 60
      const margin = degreesCovering(input.within + (input.radius ?? 0), lat)
      const polygonal = geometry.type === 'Polygon' || geometry.type === 'MultiPolygon' || (input.radius ?? 0) > 0
      const rows = await sql<FeatureRow & { share: number | null; distance: number }>`
        with q as (select ${shape} g)
        select f.id, f.layer_id, f.external_id, f.name, f.properties, f.valid_from, f.valid_to, f.actor_id, f.confidence, f.zone_kind, f.buffer_m,
          f.access_status, f.population, f.criteria, f.site_kind, f.radius_m, f.source, f.party_id, f.visibility, f.replaces, f.created_at,
          l.slug layer_slug, l.kind layer_kind, l.agreement_id, '{}' geometry, null retraction_reason, null retracted_at,
          ${polygonal ? sql`case when l.kind = 'site' then null else least(1, st_area(st_intersection(f.geom, ${g})::geography) / nullif(st_area(${g}::geography), 0)) end` : sql`null::float8`} share,
          case when l.kind = 'site' then st_distance(f.geom::geography, ${g}::geography) else 0 end distance
        from geo_features f join geo_layers l on l.id = f.layer_id
        where ${visibleTo(viewer, 'f')} and ${visibleTo(viewer, 'l')} and ${notRetracted()} and ${validAt(at)}
          and ((l.kind <> 'site' and ${isPoint ? sql`st_covers(f.geom, ${g})` : sql`st_intersects(f.geom, ${g})`})
            or (l.kind = 'site' and f.geom && st_expand(${g}, ${margin}::float8) and st_dwithin(f.geom::geography, ${g}::geography, ${input.within}::float8)))
        order by l.kind, l.slug, f.id`.execute(db)
      const hit = (r: FeatureRow & { share: number | null }) => ({
        featureId: r.id, layer: r.layer_slug, name: (r.name ?? {}) as Record<string, string>, externalId: r.external_id, claimantPartyId: r.party_id,
        validFrom: iso(r.valid_from), validTo: iso(r.valid_to), share: r.share === null ? null : Number(r.share),
      })
      const of = (kind: GeoLayerKind) => rows.rows.filter((r) => r.layer_kind === kind)
      const result: Attribution = {
        at: at.toISOString(),
        geometry: input.radius !== undefined && input.radius > 0 ? { type: 'Circle', center: geometry, radiusM: input.radius } : geometry,
        admin: of('admin').map(hit),
        nearestAdmin: [],
        control: of('control').map((r) => ({ ...hit(r), actorId: r.actor_id, confidence: r.confidence })),
        zones: of('zone').map((r) => ({ ...hit(r), zoneKind: r.zone_kind, bufferM: r.buffer_m, agreementId: r.agreement_id })),
        access: of('access').map((r) => ({ ...hit(r), accessStatus: r.access_status, population: r.population })),
        sites: of('site').map((r) => ({ ...hit(r), siteKind: r.site_kind, radiusM: r.radius_m, distanceM: Number(r.distance), insideRadius: Number(r.distance) <= (r.radius_m ?? 0) }))
          .sort((a, b) => a.distanceM - b.distanceM),
      }
      if (result.admin.length === 0) result.nearestAdmin = await this.nearestAdmin(viewer, shape, at)
      return result
    },

    /** The nearest admin unit valid at `at`, by geodesic distance, among the 10 nearest by the index. */
    async nearestAdmin(viewer: Principal, shape: ReturnType<typeof sql>, at: Date) {
      const rows = await sql<FeatureRow & { distance: number }>`
        with q as (select ${shape} g), near as (
          select f.*, l.slug layer_slug from geo_features f join geo_layers l on l.id = f.layer_id
          where l.kind = 'admin' and ${visibleTo(viewer, 'f')} and ${visibleTo(viewer, 'l')} and ${notRetracted()} and ${validAt(at)}
          order by f.geom <-> (select g from q) limit 10)
        select near.*, st_distance(near.geom::geography, (select g from q)::geography) distance from near order by distance, id limit 1`.execute(db)
      return rows.rows.map((r) => ({
        featureId: r.id, layer: r.layer_slug, name: (r.name ?? {}) as Record<string, string>, externalId: r.external_id, claimantPartyId: r.party_id,
        validFrom: iso(r.valid_from), validTo: iso(r.valid_to), share: null, distanceM: Number(r.distance),
      }))
    },
  }
}
