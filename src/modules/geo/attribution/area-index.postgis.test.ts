// The engine and PostGIS on the same doubles, in a real database (PGlite always, PostgreSQL when
// TEST_DATABASE_URL is set): every (point, area) pair of `ST_Covers` with validity, for random areas
// with holes and several parts and points on their vertices, along their edges (within rounding,
// where PostGIS's arithmetic decides), a unit in the last place off their boxes, and anywhere.
// Then the nearest area and its distance against `ST_Distance` on geography.
import type { MultiPolygon, Polygon } from 'geojson'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dialects, openTestDb, type TestDatabase } from '../../../../test/helpers/db.ts'
import { AreaIndex } from './area-index.ts'
import type { AreaInput } from './attribution.types.ts'
import { boundaryPoint, controlArea, ringsOf, seeded } from './synthetic.ts'
import { toWkb } from './wkb.ts'

const random = seeded(2016)
const areas: AreaInput[] = []
for (let i = 0; i < 30; i++) {
  const geometry = controlArea(random, 36.6 + random(), 35.9 + random() * 0.6, 4 + random() * 40, { holeChance: 0.4, partChance: 0.3, vertices: [8, 30] })
  const from = random() < 0.25 ? null : 1000 * Math.floor(random() * 100)
  const to = random() < 0.3 ? null : (from ?? 0) + 1000 * Math.floor(1 + random() * 100)
  areas.push({ id: `area-${i}`, geometry, validFrom: from, validTo: to })
}
// A square whose box is exactly representable in single precision, and a triangle whose box is not.
areas.push({ id: 'square', geometry: { type: 'Polygon', coordinates: [[[36.5, 36], [37, 36], [37, 36.5], [36.5, 36.5], [36.5, 36]]] }, validFrom: null, validTo: null })
areas.push({ id: 'triangle', geometry: { type: 'Polygon', coordinates: [[[36.61, 36.01], [36.93, 36.07], [36.7, 36.33], [36.61, 36.01]]] }, validFrom: null, validTo: null })
// Edges degrees long, where the double expression PostGIS evaluates most often gets the side of a
// point within rounding of the edge wrong (short edges' differences are exact, so it rarely does).
const long: Polygon = {
  type: 'Polygon',
  coordinates: [
    [[35.13, 32.31], [41.87, 33.17], [38.71, 37.09], [35.13, 32.31]],
    [[37.3, 33.9], [38.1, 35.7], [39.6, 33.8], [37.3, 33.9]],
  ],
}
areas.push({ id: 'long-edges', geometry: long, validFrom: null, validTo: null })

const up = (v: number) => v + Math.abs(v) * 2 ** -52
const down = (v: number) => v - Math.abs(v) * 2 ** -52
const points: { lon: number; lat: number; at: number | null }[] = []
const at = () => (random() < 0.1 ? null : 1000 * Math.floor(random() * 220) + (random() < 0.3 ? 0 : 500))
for (let i = 0; i < 2400; i++) {
  const area = areas[Math.floor(random() * areas.length)]!
  const [lon, lat] = boundaryPoint(random, area.geometry)
  points.push({ lon, lat, at: at() })
}
for (let i = 0; i < 1500; i++) {
  const ring = long.coordinates[i % 2]!, k = i % 3, t = random()
  const [ax, ay] = ring[k] as [number, number], [bx, by] = ring[k + 1] as [number, number]
  points.push({ lon: ax + t * (bx - ax), lat: ay + t * (by - ay), at: null })
}
for (const area of areas) {
  // The vertices at the box's extremes, nudged by an ulp: inside PostGIS's stored box or not.
  for (const ring of ringsOf(area.geometry as Polygon | MultiPolygon)) {
    for (const [x, y] of ring as [number, number][]) {
      if (random() < 0.15) for (const [dx, dy] of [[up(x), y], [down(x), y], [x, up(y)], [x, down(y)]] as const) points.push({ lon: dx, lat: dy, at: at() })
    }
  }
}
for (let i = 0; i < 1000; i++) points.push({ lon: 36.5 + random() * 1.3, lat: 35.8 + random() * 0.9, at: at() })

describe.each(dialects())('the engine against PostGIS ST_Covers on %s', (dialect) => {
  let db: TestDatabase

  beforeAll(async () => {
    db = await openTestDb(dialect)
    await db.exec(`
      create table attr_areas (id text primary key, geom geometry(Geometry, 4326) not null, valid_from bigint, valid_to bigint);
      create table attr_points (id int primary key, geom geometry(Point, 4326) not null, at bigint);`)
    for (const a of areas) {
      await sql`insert into attr_areas values (${a.id}, ST_GeomFromWKB(${toWkb(a.geometry)}, 4326), ${a.validFrom}, ${a.validTo})`.execute(db.kysely)
    }
    await sql`insert into attr_points select id, ST_SetSRID(ST_MakePoint(lon, lat), 4326), at
      from unnest(${points.map((_, i) => i)}::int[], ${points.map((p) => p.lon)}::float8[], ${points.map((p) => p.lat)}::float8[], ${points.map((p) => p.at)}::bigint[]) as u(id, lon, lat, at)`.execute(db.kysely)
    await db.exec('create index on attr_areas using gist (geom); analyze attr_areas; analyze attr_points')
  })
  afterAll(async () => { await db?.dispose() })

  it('stores the very doubles the engine reads', async () => {
    const rows = await sql<{ id: number; x: number; y: number }>`select id, ST_X(geom) as x, ST_Y(geom) as y from attr_points`.execute(db.kysely)
    const moved = rows.rows.filter((r) => r.x !== points[r.id]!.lon || r.y !== points[r.id]!.lat)
    expect(moved).toEqual([])
  })

  it('covers exactly the same (point, area) pairs, on edges and vertices too', async () => {
    const rows = await sql<{ point: number; area: string }>`
      select p.id as point, a.id as area from attr_points p join attr_areas a
        on ST_Covers(a.geom, p.geom) and (a.valid_from is null or a.valid_from <= p.at) and (a.valid_to is null or p.at < a.valid_to)`.execute(db.kysely)
    const postgis = new Set(rows.rows.map((r) => `${r.point} ${r.area}`))
    const index = AreaIndex.build(areas)
    // SQL's null instant passes only unbounded intervals; the engine's NaN means "any time", so
    // those points are asked one by one with the SQL rule.
    const lons = Float64Array.from(points, (p) => p.lon), lats = Float64Array.from(points, (p) => p.lat)
    const result = index.attributeMany(lons, lats, Float64Array.from(points, (p) => p.at ?? NaN))
    const engine = new Set<string>()
    points.forEach((p, i) => {
      const ids = p.at === null
        ? index.covering(p.lon, p.lat).filter((id) => { const a = areas.find((x) => x.id === id)!; return a.validFrom === null && a.validTo === null })
        : index.idsOf(result, i)
      for (const id of ids) engine.add(`${i} ${id}`)
    })
    const onlyPostgis = [...postgis].filter((k) => !engine.has(k))
    const onlyEngine = [...engine].filter((k) => !postgis.has(k))
    expect({ onlyPostgis, onlyEngine }).toEqual({ onlyPostgis: [], onlyEngine: [] })
    expect(postgis.size).toBeGreaterThan(1500)
    // Exact arithmetic would not have matched: it disagrees with PostGIS near the long edges.
    const exact = AreaIndex.build(areas, { predicate: 'exact' })
    expect(points.filter((p) => exact.covering(p.lon, p.lat).join() !== index.covering(p.lon, p.lat).join()).length).toBeGreaterThan(0)
  })

  it('finds the nearest area and its distance as PostGIS geography measures it', async () => {
    const index = AreaIndex.build(areas)
    // Points at least 50 m out: nearer an edge, the great-circle arc PostGIS geography takes for
    // it may already cover the point (0 m) where the planar edge does not.
    const outside = points.slice(-1000).filter((p) => index.covering(p.lon, p.lat).length === 0 && index.nearest(p.lon, p.lat)!.metres > 50).slice(0, 25)
    expect(outside.length).toBe(25)
    for (const p of outside) {
      const mine = index.nearest(p.lon, p.lat)!
      const r = await sql<{ id: string; metres: number; sphere: number }>`
        select id, ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(${p.lon}::float8, ${p.lat}::float8), 4326)::geography) as metres,
               ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(${p.lon}::float8, ${p.lat}::float8), 4326)::geography, false) as sphere
        from attr_areas order by 2 limit 1`.execute(db.kysely)
      const theirs = r.rows[0]!
      expect(mine.id).toBe(theirs.id)
      expect(Math.abs(mine.metres - theirs.metres)).toBeLessThan(0.01)
      expect(Math.abs(mine.sphericalMetres - theirs.sphere)).toBeLessThan(0.01)
    }
  })
})
