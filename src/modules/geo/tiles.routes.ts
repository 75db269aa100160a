// Mapbox Vector Tiles of every map layer: /tiles/{layer}/{z}/{x}/{y}.mvt, with the features valid
// at `at` (default: now) that the caller may see, optionally one claimant's. The database clips
// and simplifies to the tile (with its buffer) so a large polygon costs a tile's worth of
// vertices; tiles/ projects and encodes (the embedded PostGIS has no ST_AsMVT).
import type { Feature, Geometry } from 'geojson'
import type { FastifyInstance } from 'fastify'
import { sql, type Kysely, type SqlBool } from 'kysely'
import { z } from 'zod'
import type { DB } from '../../db/schema.ts'
import { badRequest } from '../../lib/errors.ts'
import { defineRoute, instant } from '../../lib/http.ts'
import { visibleTo } from '../../lib/visibility.ts'
import type { Principal } from '../access/access.policy.ts'
import { geoService, validAt } from './geo.service.ts'
import { encodeTile } from './tiles/mvt.ts'
import { DEFAULT_BUFFER, tileBoxes, tileFeatures } from './tiles/project.ts'

const EXTENT = 4096
export const MAX_TILE_ZOOM = 22

const tileParams = z.strictObject({
  layer: z.string().min(1).max(100),
  z: z.coerce.number().int().min(0).max(MAX_TILE_ZOOM),
  x: z.coerce.number().int().min(0),
  y: z.string().regex(/^\d+\.mvt$/, 'the row followed by .mvt').transform((v) => Number(v.slice(0, -4))),
})

const tileQuery = z.strictObject({
  at: instant.optional().describe('features valid at this instant (default: now)'),
  claimant: z.string().min(1).max(100).optional().describe('only this party\'s claims (id or slug)'),
  lang: z.string().regex(/^[a-z]{2,3}$/).default('en').describe('the language of the `name` property'),
})

const str = (v: unknown) => (v === null || v === undefined ? undefined : String(v))

/** The features of one layer in one tile, as GeoJSON clipped to the buffered tile and simplified for its zoom. */
export async function layerTile(db: Kysely<DB>, viewer: Principal, layerId: string, z: number, x: number, y: number, options: { at: Date; claimantId?: string | undefined; lang: string }): Promise<Uint8Array> {
  const boxes = tileBoxes(z, x, y, { extent: EXTENT, buffer: DEFAULT_BUFFER })
  // A tile unit in degrees: simplifying below it changes nothing a reader can see.
  const tolerance = 360 / 2 ** z / EXTENT
  const envelope = sql.join(boxes.map((b) => sql`st_makeenvelope(${b.west}, ${b.south}, ${b.east}, ${b.north}, 4326)`), sql` union all select `)
  const rows = await sql<{
    id: string; name: Record<string, string>; external_id: string | null; claimant: string; actor_id: string | null; confidence: string | null
    zone_kind: string | null; buffer_m: number | null; access_status: string | null; population: number | null; site_kind: string | null
    radius_m: number | null; valid_from: Date | null; valid_to: Date | null; geometry: string | null
  }>`
    with env(e) as (select ${envelope})
    select f.id, f.name, f.external_id, p.slug claimant, f.actor_id, f.confidence, f.zone_kind, f.buffer_m, f.access_status, f.population,
      f.site_kind, f.radius_m, f.valid_from, f.valid_to,
      st_asgeojson(st_collect(array(select st_simplifypreservetopology(st_clipbybox2d(f.geom, env.e), ${tolerance}::float8) from env where f.geom && env.e)), 7) geometry
    from geo_features f join geo_layers l on l.id = f.layer_id join parties p on p.id = f.party_id
    where f.layer_id = ${layerId}::uuid and ${visibleTo(viewer, 'f')} and ${visibleTo(viewer, 'l')} and ${validAt(options.at)}
      and not exists (select 1 from geo_feature_retractions r where r.feature_id = f.id)
      and exists (select 1 from env where f.geom && env.e)
      ${options.claimantId === undefined ? sql`` : sql`and f.party_id = ${options.claimantId}::uuid`}
    order by f.id`.execute(db)
  const features: Feature[] = []
  rows.rows.forEach((r, i) => {
    if (r.geometry === null) return
    features.push({
      type: 'Feature', id: i, geometry: JSON.parse(r.geometry) as Geometry,
      properties: {
        id: r.id, name: r.name[options.lang] ?? r.name.en ?? Object.values(r.name)[0], external_id: str(r.external_id), claimant: r.claimant,
        actor_id: str(r.actor_id), confidence: str(r.confidence), zone_kind: str(r.zone_kind), buffer_m: r.buffer_m ?? undefined,
        access_status: str(r.access_status), population: r.population ?? undefined, site_kind: str(r.site_kind), radius_m: r.radius_m ?? undefined,
        valid_from: r.valid_from?.toISOString(), valid_to: r.valid_to?.toISOString(),
      },
    })
  })
  return encodeTile([{ name: 'features', extent: EXTENT, features: tileFeatures(features, z, x, y, { extent: EXTENT, buffer: DEFAULT_BUFFER }) }])
}

export async function tileRoutes(app: FastifyInstance): Promise<void> {
  const geo = geoService(app.db.kysely)
  defineRoute(app, {
    method: 'GET', url: '/tiles/:layer/:z/:x/:y', policy: 'public', tags: ['geo'],
    summary: 'A layer as a Mapbox Vector Tile (one layer named "features"): what is valid at `at` and you may see',
    params: tileParams, query: tileQuery,
    handler: async ({ principal, params, query, reply }) => {
      const n = 2 ** params.z
      if (params.x >= n || params.y >= n) throw badRequest('tile_out_of_range', 'No such tile.', [{ path: 'params', message: `x and y run from 0 to ${n - 1} at zoom ${params.z}` }])
      const layer = await geo.layerOrMissing(principal, params.layer)
      let claimantId: string | undefined
      if (query.claimant !== undefined) {
        const p = await app.db.kysely.selectFrom('parties').select('id')
          .where(sql<SqlBool>`${/^[0-9a-f-]{36}$/i.test(query.claimant) ? sql`id::text` : sql`slug`} = ${query.claimant}`).executeTakeFirst()
        if (!p) throw badRequest('unknown_party', 'No such party.', [{ path: 'query.claimant', message: 'no party has this id or slug' }])
        claimantId = p.id
      }
      const tile = await layerTile(app.db.kysely, principal, layer.id, params.z, params.x, params.y, { at: query.at ?? new Date(), claimantId, lang: query.lang })
      reply.type('application/vnd.mapbox-vector-tile').header('cache-control', 'private, max-age=60')
      return Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength) as never
    },
  })
}
