// Places of records and what contains them, kept current. A module that locates a record (an
// incident at ingest) calls `placeRecord` in its own transaction and gets the attribution at
// once; `reattribute` is the bulk job that brings every stale place up to date after areas
// changed (a feature touching it was added or retracted since it was attributed), points through
// the in-memory engine (attribution/, exactly ST_Covers) and circles or sectors through PostGIS.
import type { Geometry, MultiPolygon, Polygon } from 'geojson'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { AreaIndex } from './attribution/area-index.ts'
import type { AreaInput } from './attribution/attribution.types.ts'

export type PlaceInput = {
  /** What the record is (e.g. `incident`) and its id. */
  kind: string
  id: string
  geometry: Geometry
  /** Uncertainty in metres: the place becomes a circle. */
  radiusM?: number | undefined
  at: Date
}

export type PlaceAttribution = {
  placeId: string
  features: string[]
  sites: string[]
  nearestAdmin: { featureId: string; distanceM: number } | null
}

/** The layer kinds whose areas contain places; sites are reached by their radius instead. */
const AREA_KINDS = ['admin', 'control', 'zone', 'access'] as const

type Q = Kysely<DB> | Transaction<DB>

/** Recomputes the stored attribution of the given places in PostGIS (any geometry). */
async function attributeBySql(q: Q, placeIds: readonly string[]): Promise<void> {
  if (placeIds.length === 0) return
  await sql`
    update geo_places p set
      features = array(
        select f.id from geo_features f join geo_layers l on l.id = f.layer_id
        where l.kind in ('admin', 'control', 'zone', 'access') and f.geom && p.geom
          and not exists (select 1 from geo_feature_retractions r where r.feature_id = f.id)
          and (f.valid_from is null or f.valid_from <= p.at) and (f.valid_to is null or p.at < f.valid_to)
          and st_dimension(f.geom) = 2
          and case when geometrytype(p.geom) = 'POINT' then st_covers(f.geom, p.geom) else st_intersects(f.geom, p.geom) end
        order by f.id),
      sites = array(
        select f.id from geo_features f join geo_layers l on l.id = f.layer_id
        where l.kind = 'site' and f.geom && st_expand(p.geom, 1.0)
          and not exists (select 1 from geo_feature_retractions r where r.feature_id = f.id)
          and (f.valid_from is null or f.valid_from <= p.at) and (f.valid_to is null or p.at < f.valid_to)
          and st_dwithin(f.geom::geography, p.geom::geography, coalesce(f.radius_m, 0))
        order by f.id),
      attributed_at = now()
    where p.id = any(${sql.val(placeIds)}::uuid[])`.execute(q)
  await sql`
    update geo_places p set (nearest_admin, nearest_admin_m) = (
      select c.id, st_distance(c.geom::geography, p.geom::geography) from (
        select f.id, f.geom from geo_features f join geo_layers l on l.id = f.layer_id
        where l.kind = 'admin' and not exists (select 1 from geo_feature_retractions r where r.feature_id = f.id)
          and (f.valid_from is null or f.valid_from <= p.at) and (f.valid_to is null or p.at < f.valid_to)
        order by f.geom <-> p.geom limit 5) c
      order by 2, 1 limit 1)
    where p.id = any(${sql.val(placeIds)}::uuid[])
      and not exists (select 1 from geo_features f join geo_layers l on l.id = f.layer_id where l.kind = 'admin' and f.id = any(p.features))`.execute(q)
  await sql`update geo_places p set nearest_admin = null, nearest_admin_m = null
    where p.id = any(${sql.val(placeIds)}::uuid[]) and exists (select 1 from geo_features f join geo_layers l on l.id = f.layer_id where l.kind = 'admin' and f.id = any(p.features))`.execute(q)
}

const present = (r: { id: string; features: string[]; sites: string[]; nearest_admin: string | null; nearest_admin_m: number | null }): PlaceAttribution => ({
  placeId: r.id, features: r.features, sites: r.sites,
  nearestAdmin: r.nearest_admin === null ? null : { featureId: r.nearest_admin, distanceM: Number(r.nearest_admin_m) },
})

/**
 * Locates a record and attributes it now, inside the caller's transaction: the library call a
 * module makes at ingest. Placing the same record again moves it.
 */
export async function placeRecord(trx: Q, input: PlaceInput): Promise<PlaceAttribution> {
  const geojson = JSON.stringify(input.geometry)
  const geom = input.radiusM !== undefined && input.radiusM > 0
    ? sql<string>`st_buffer(st_setsrid(st_geomfromgeojson(${geojson}), 4326)::geography, ${input.radiusM}::float8, 'quad_segs=16')::geometry`
    : sql<string>`st_setsrid(st_geomfromgeojson(${geojson}), 4326)`
  const row = await trx.insertInto('geo_places').values({ subject_kind: input.kind, subject_id: input.id, geom, at: input.at })
    .onConflict((oc) => oc.columns(['subject_kind', 'subject_id']).doUpdateSet({ geom, at: input.at }))
    .returning('id').executeTakeFirstOrThrow()
  await attributeBySql(trx, [row.id])
  return present(await trx.selectFrom('geo_places').select(['id', 'features', 'sites', 'nearest_admin', 'nearest_admin_m']).where('id', '=', row.id).executeTakeFirstOrThrow())
}

export async function placeOf(q: Q, kind: string, id: string): Promise<PlaceAttribution | null> {
  const r = await q.selectFrom('geo_places').select(['id', 'features', 'sites', 'nearest_admin', 'nearest_admin_m'])
    .where('subject_kind', '=', kind).where('subject_id', '=', id).executeTakeFirst()
  return r ? present(r) : null
}

/** The areas the engine indexes: every live polygonal feature of the area kinds, with its interval. */
async function loadAreas(q: Q, kinds: readonly string[]): Promise<AreaInput[]> {
  const rows = await sql<{ id: string; geometry: string; valid_from: Date | null; valid_to: Date | null }>`
    select f.id, st_asgeojson(f.geom) geometry, f.valid_from, f.valid_to
    from geo_features f join geo_layers l on l.id = f.layer_id
    where l.kind = any(${sql.val([...kinds])}::text[]) and st_dimension(f.geom) = 2
      and not exists (select 1 from geo_feature_retractions r where r.feature_id = f.id)
    order by f.id`.execute(q)
  return rows.rows.map((r) => ({
    id: r.id, geometry: JSON.parse(r.geometry) as Polygon | MultiPolygon,
    validFrom: r.valid_from?.getTime() ?? null, validTo: r.valid_to?.getTime() ?? null,
  }))
}

/**
 * How long before its last attribution a change still makes a place stale. A feature's
 * `created_at` is its transaction's start, so a long import that committed after a place was
 * attributed has a `created_at` before it; the margin (longer than any import) catches it, at
 * the cost of attributing recently touched places once more.
 */
export const STALE_MARGIN = '1 hour'

/** The places never attributed (written in bulk) or whose attribution an area change may have altered (or every place). */
export async function stalePlaces(q: Q, all = false): Promise<string[]> {
  if (all) return (await q.selectFrom('geo_places').select('id').orderBy('id').execute()).map((r) => r.id)
  const rows = await sql<{ id: string }>`
    select p.id from geo_places p
    where p.attributed_at = '-infinity'
       or exists (select 1 from geo_features f where f.geom && st_expand(p.geom, 1.0) and f.created_at > p.attributed_at - ${STALE_MARGIN}::interval)
       or exists (select 1 from geo_feature_retractions r join geo_features f on f.id = r.feature_id
                  where r.created_at > p.attributed_at - ${STALE_MARGIN}::interval and f.geom && st_expand(p.geom, 1.0))
    order by p.id`.execute(q)
  return rows.rows.map((r) => r.id)
}

export type ReattributionResult = { places: number; points: number; shapes: number; changed: number; ms: number }

const BATCH = 2000

/**
 * Brings places up to date after areas changed: the stale ones (or all, or the ids given — places
 * a bulk import just wrote). Points go through the
 * engine in batches; circles and sectors through PostGIS. Progress is reported in places.
 */
export async function reattribute(db: Kysely<DB>, options: { all?: boolean; ids?: readonly string[]; onProgress?: (done: number, total: number) => void } = {}): Promise<ReattributionResult> {
  const started = performance.now()
  // Places just written in bulk (ids given) are attributed for the first time.
  const ids = options.ids !== undefined ? [...options.ids] : await stalePlaces(db, options.all)
  const total = ids.length
  options.onProgress?.(0, total)
  if (total === 0) return { places: 0, points: 0, shapes: 0, changed: 0, ms: Math.round(performance.now() - started) }
  const areas = AreaIndex.build(await loadAreas(db, AREA_KINDS))
  const admin = AreaIndex.build(await loadAreas(db, ['admin']))
  let done = 0
  let points = 0
  let shapes = 0
  let changed = 0
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH)
    const rows = await sql<{ id: string; kind: string; x: number | null; y: number | null; at: Date; features: string[] }>`
      select id, geometrytype(geom) kind, case when geometrytype(geom) = 'POINT' then st_x(geom) end x,
        case when geometrytype(geom) = 'POINT' then st_y(geom) end y, at, features
      from geo_places where id = any(${sql.val(batch)}::uuid[]) order by id`.execute(db)
    const pts = rows.rows.filter((r) => r.kind === 'POINT')
    const others = rows.rows.filter((r) => r.kind !== 'POINT').map((r) => r.id)
    const lons = Float64Array.from(pts, (r) => r.x!)
    const lats = Float64Array.from(pts, (r) => r.y!)
    const ats = Float64Array.from(pts, (r) => r.at.getTime())
    const result = areas.attributeMany(lons, lats, ats)
    const updates = pts.map((r, k) => {
      const features = areas.idsOf(result, k).sort()
      if (features.join() !== [...r.features].sort().join()) changed++
      const inAdmin = admin.covering(lons[k]!, lats[k]!, ats[k]).length > 0
      const near = inAdmin ? null : admin.nearest(lons[k]!, lats[k]!, ats[k])
      return { id: r.id, features, nearest: near?.id ?? null, metres: near?.metres ?? null }
    })
    await db.transaction().execute(async (trx) => {
      if (updates.length > 0) {
        await sql`
          update geo_places p set features = u.features, nearest_admin = u.nearest, nearest_admin_m = u.metres, attributed_at = now(),
            sites = array(
              select f.id from geo_features f join geo_layers l on l.id = f.layer_id
              where l.kind = 'site' and f.geom && st_expand(p.geom, 1.0)
                and not exists (select 1 from geo_feature_retractions r where r.feature_id = f.id)
                and (f.valid_from is null or f.valid_from <= p.at) and (f.valid_to is null or p.at < f.valid_to)
                and st_dwithin(f.geom::geography, p.geom::geography, coalesce(f.radius_m, 0))
              order by f.id)
          from (select x.id, array(select jsonb_array_elements_text(x.features))::uuid[] features, x.nearest, x.metres
                from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as x(id uuid, features jsonb, nearest uuid, metres float8)) u
          where p.id = u.id`.execute(trx)
      }
      await attributeBySql(trx, others)
    })
    points += pts.length
    shapes += others.length
    done += batch.length
    options.onProgress?.(done, total)
  }
  return { places: total, points, shapes, changed, ms: Math.round(performance.now() - started) }
}

export type ReattributionStatus = {
  state: 'idle' | 'scheduled' | 'running'
  done: number
  total: number
  last: (ReattributionResult & { finishedAt: string }) | null
  error: string | null
}

/**
 * Runs `reattribute` in the server process after geo writes: `schedule()` (called once a write
 * has committed) starts a run after a short quiet time; a write during a run schedules another.
 */
export function createReattributor(db: Kysely<DB>, log: { error(o: object, m: string): void }, quietMs = 500) {
  const status: ReattributionStatus = { state: 'idle', done: 0, total: 0, last: null, error: null }
  let timer: NodeJS.Timeout | null = null
  let again = false
  let running: Promise<void> | null = null
  const run = async () => {
    timer = null
    status.state = 'running'
    try {
      const r = await reattribute(db, { onProgress: (done, total) => { status.done = done; status.total = total } })
      status.last = { ...r, finishedAt: new Date().toISOString() }
      status.error = null
    } catch (err) {
      status.error = (err as Error).message
      log.error({ err }, 're-attribution failed')
    }
    status.state = 'idle'
    running = null
    if (again) { again = false; schedule() }
  }
  const schedule = () => {
    if (status.state === 'running') { again = true; return }
    if (timer) clearTimeout(timer)
    status.state = 'scheduled'
    timer = setTimeout(() => { running = run() }, quietMs)
    timer.unref()
  }
  return {
    schedule,
    status: (): ReattributionStatus => ({ ...status }),
    /** Waits for a scheduled or running pass (for shutdown and tests). */
    async settle(): Promise<void> {
      while (status.state !== 'idle' || running) {
        if (running) await running
        else await new Promise((r) => setTimeout(r, 20))
      }
    },
    stop() { if (timer) clearTimeout(timer); timer = null; again = false; if (status.state === 'scheduled') status.state = 'idle' },
  }
}
export type Reattributor = ReturnType<typeof createReattributor>
