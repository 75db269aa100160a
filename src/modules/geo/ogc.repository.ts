// SQL for OGC API – Features (/ogc): the extent of each layer's features, and pages of a layer's
// features selected by bounding boxes and a time interval. Every read filters by visibility and
// leaves retracted features out, so a hidden feature answers exactly like a missing one.
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { visibleTo } from '../../lib/visibility.ts'
import type { Principal } from '../access/access.policy.ts'
import { validAt, type presentFeature } from './geo.service.ts'

/** A longitude/latitude box [west, south, east, north] with west ≤ east (one side of the antimeridian). */
export type Envelope = readonly [number, number, number, number]

/**
 * What selects features: any of the boxes (a box across the antimeridian is two), and a time
 * interval with open ends as null (an instant is an interval whose ends are equal).
 */
export type Selection = {
  boxes?: readonly Envelope[] | undefined
  time?: { start: Date | null; end: Date | null } | undefined
}

/** A layer's extent: the bounding box of its features and the span of their validity (null: open). */
export type LayerExtent = {
  bbox: [number, number, number, number]
  start: Date | null
  end: Date | null
}

export type OgcFeatureRow = Parameters<typeof presentFeature>[0] & { claimant: string }

const notRetracted = sql<SqlBool>`not exists (select 1 from geo_feature_retractions r where r.feature_id = f.id)`

/**
 * A half-open validity [valid_from, valid_to) intersects the closed interval [start, end]; an open
 * end drops its side of the test, and equal ends are the instant test (`validAt`).
 */
function validDuring(start: Date | null, end: Date | null): Expression<SqlBool> {
  if (start !== null && end !== null && start.getTime() === end.getTime()) return validAt(start)
  const from = end === null ? sql<SqlBool>`true` : sql<SqlBool>`(f.valid_from is null or f.valid_from <= ${end})`
  const to = start === null ? sql<SqlBool>`true` : sql<SqlBool>`(f.valid_to is null or f.valid_to > ${start})`
  return sql<SqlBool>`(${from} and ${to})`
}

/**
 * `&&` against the envelope is the part the GiST index on geom answers; st_intersects then drops
 * the features whose box touches the envelope but whose shape does not.
 */
function inAnyBox(boxes: readonly Envelope[]): Expression<SqlBool> {
  const one = ([w, s, e, n]: Envelope) => {
    const env = sql`st_makeenvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326)`
    return sql<SqlBool>`(f.geom && ${env} and st_intersects(f.geom, ${env}))`
  }
  return sql<SqlBool>`(${sql.join(boxes.map(one), sql` or `)})`
}

export function ogcRepository(db: Kysely<DB>) {
  /** The layer's features the viewer may see, not retracted, as selected. */
  const selected = (viewer: Principal, layerId: string, selection: Selection) => {
    let q = db.selectFrom('geo_features as f').where('f.layer_id', '=', layerId).where(visibleTo(viewer, 'f')).where(notRetracted)
    if (selection.boxes !== undefined) q = q.where(inAnyBox(selection.boxes))
    if (selection.time !== undefined) q = q.where(validDuring(selection.time.start, selection.time.end))
    return q
  }

  /** The columns `presentFeature` reads, and the claimant party's slug. */
  const withColumns = (q: ReturnType<typeof selected>) => q
    .innerJoin('geo_layers as l', 'l.id', 'f.layer_id')
    .innerJoin('parties as p', 'p.id', 'f.party_id')
    .select([
      'f.id', 'f.layer_id', 'f.external_id', 'f.name', 'f.properties', 'f.valid_from', 'f.valid_to', 'f.actor_id', 'f.confidence',
      'f.zone_kind', 'f.buffer_m', 'f.access_status', 'f.population', 'f.criteria', 'f.site_kind', 'f.radius_m', 'f.source',
      'f.party_id', 'f.visibility', 'f.replaces', 'f.created_at', 'l.slug as layer_slug', 'l.kind as layer_kind', 'l.agreement_id',
      'p.slug as claimant',
    ])
    .select([
      sql<string>`st_asgeojson(f.geom, 7)`.as('geometry'),
      sql<string | null>`null::text`.as('retraction_reason'), sql<Date | null>`null::timestamptz`.as('retracted_at'),
    ])

  return {
    /** One query for all the layers: the extent of the features the viewer may see in each. */
    async extents(viewer: Principal, layerIds: readonly string[]): Promise<Map<string, LayerExtent>> {
      if (layerIds.length === 0) return new Map()
      const rows = await db.selectFrom('geo_features as f')
        .where('f.layer_id', 'in', [...layerIds]).where(visibleTo(viewer, 'f')).where(notRetracted)
        .groupBy('f.layer_id')
        .select([
          'f.layer_id',
          sql<number>`st_xmin(st_extent(f.geom))`.as('west'), sql<number>`st_ymin(st_extent(f.geom))`.as('south'),
          sql<number>`st_xmax(st_extent(f.geom))`.as('east'), sql<number>`st_ymax(st_extent(f.geom))`.as('north'),
          sql<Date | null>`case when bool_or(f.valid_from is null) then null else min(f.valid_from) end`.as('start'),
          sql<Date | null>`case when bool_or(f.valid_to is null) then null else max(f.valid_to) end`.as('end'),
        ])
        .execute()
      return new Map(rows.map((r) => [r.layer_id, {
        bbox: [Number(r.west), Number(r.south), Number(r.east), Number(r.north)],
        start: r.start === null ? null : new Date(r.start), end: r.end === null ? null : new Date(r.end),
      }]))
    },

    /** Up to `limit` selected features after the feature id `after`, in id order (a stable keyset). */
    async page(viewer: Principal, layerId: string, selection: Selection, limit: number, after?: string): Promise<OgcFeatureRow[]> {
      let q = withColumns(selected(viewer, layerId, selection))
      if (after !== undefined) q = q.where('f.id', '>', after)
      return (await q.orderBy('f.id').limit(limit).execute()) as OgcFeatureRow[]
    },

    async count(viewer: Principal, layerId: string, selection: Selection): Promise<number> {
      const row = await selected(viewer, layerId, selection).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
      return Number(row.n)
    },

    async feature(viewer: Principal, layerId: string, featureId: string): Promise<OgcFeatureRow | undefined> {
      return (await withColumns(selected(viewer, layerId, {})).where('f.id', '=', featureId).executeTakeFirst()) as OgcFeatureRow | undefined
    },

    /** The page query as SQL, for checking its plan uses the spatial index. */
    compilePage(viewer: Principal, layerId: string, selection: Selection, limit: number) {
      return withColumns(selected(viewer, layerId, selection)).orderBy('f.id').limit(limit).compile()
    },
  }
}
