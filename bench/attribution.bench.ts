// Bulk attribution of points to areas of control: Truce's in-memory engine (AreaIndex) against a
// PostGIS ST_Covers spatial join with a GiST index, side by side in one run, on embedded PGlite +
// PostGIS and (with BENCH_DATABASE_URL) PostgreSQL + PostGIS. Both must give the same
// (point, area) pairs; the mismatches are counted pair by pair.
//
// Areas: the real boundaries (OCHA Syria ADM1, 14; geoBoundaries Ukraine ADM1, 27; from
// ../shared/data, unbounded validity) plus N generated control areas (jittered star polygons of
// 1–30 km inside the Syria and Ukraine extents, some with holes, some in two parts, many
// overlapping; validity intervals across 2014–2020). Points: the 6,170 UCDP GED 2016 events with
// their dates, then synthetic points with dates up to the total, a share of them exactly on
// vertices or interpolated along edges. The order is shuffled, so any prefix is a fair sample.
//
//   node bench/attribution.bench.ts [--points 1000000] [--areas 10000] [--pglite-points auto|N]
//     [--postgres-points N] [--edge-share 0.05] [--runs 3] [--seed 1] [--only pglite|postgres]
//     [--subdivide 64]
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/truce_bench npm run bench:attribution
//
// PGlite runs the join at a few thousand points per second, so by default (`auto`) it first times
// the join on 20,000 points and, if the full count would take over five minutes, runs a prefix it
// can do in about four, and says so. PostgreSQL runs in a throwaway schema bench_attr_<pid>,
// dropped at the end; the database needs CREATE privilege and PostGIS (created if missing).
//
// --subdivide N adds a stronger baseline a PostGIS user might reach for: the same join on the
// areas cut by ST_Subdivide(geom, N) into pieces of at most N vertices (the cut is prepared before
// timing, like the engine's build), with `select distinct`. Its new vertices are computed, so near
// the original edges it may answer differently; its mismatches are counted too.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson'
import { sql } from 'kysely'
import { sharedDataDir } from '../src/config.ts'
import { openPGlite, openPostgres, type Database, type Dialect } from '../src/db/database.ts'
import { parseCsv } from '../src/modules/actors/import/csv.ts'
import { AreaIndex } from '../src/modules/geo/attribution/area-index.ts'
import type { AreaInput, Attribution, Predicate } from '../src/modules/geo/attribution/attribution.types.ts'
import { boundaryPoint, controlArea, seeded } from '../src/modules/geo/attribution/synthetic.ts'
import { toWkb } from '../src/modules/geo/attribution/wkb.ts'
import { fmt, median } from './lib.ts'

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '1000000' },
    areas: { type: 'string', default: '10000' },
    'pglite-points': { type: 'string', default: 'auto' },
    'postgres-points': { type: 'string' },
    'edge-share': { type: 'string', default: '0.05' },
    runs: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
    only: { type: 'string' },
    subdivide: { type: 'string' },
  },
})
const TOTAL = Number(values.points)
const GENERATED = Number(values.areas)
const EDGE_SHARE = Number(values['edge-share'])
const RUNS = Math.max(1, Number(values.runs))
const pgUrl = process.env.BENCH_DATABASE_URL
const int = (n: number) => Math.round(n).toLocaleString('en-US')

// ---------- data ----------

const DATA = sharedDataDir()
const SYRIA_FILE = join(DATA, 'boundaries', 'syr_admbnda_adm1_ocha_20201217.geojson')
const UKRAINE_FILE = join(DATA, 'boundaries', 'geoBoundaries-UKR-ADM1_simplified.geojson')
const GED_FILE = join(DATA, 'ucdp_ged_syria', 'ged_syria_2016.csv')
const HAVE_DATA = [SYRIA_FILE, UKRAINE_FILE, GED_FILE].every((f) => existsSync(f))

// Lon/lat extents in which control areas and synthetic points are placed (Syria gets 40%).
const EXTENTS = { syria: [35.7, 32.3, 42.4, 37.35], ukraine: [22.1, 44.35, 40.25, 52.4] } as const
const T0 = Date.UTC(2014, 0, 1), T1 = Date.UTC(2021, 0, 1)
const DAY = 86_400_000

const random = seeded(Number(values.seed))
const inExtent = (): [number, number] => {
  const [x0, y0, x1, y1] = random() < 0.4 ? EXTENTS.syria : EXTENTS.ukraine
  return [x0 + random() * (x1 - x0), y0 + random() * (y1 - y0)]
}

function realAreas(): AreaInput[] {
  if (!HAVE_DATA) return []
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as FeatureCollection<Polygon | MultiPolygon, Record<string, string>>
  return [
    ...read(SYRIA_FILE).features.map((f) => ({ id: f.properties.ADM1_PCODE!, geometry: f.geometry, validFrom: null, validTo: null })),
    ...read(UKRAINE_FILE).features.map((f) => ({ id: f.properties.shapeISO!, geometry: f.geometry, validFrom: null, validTo: null })),
  ]
}

function generatedAreas(n: number): AreaInput[] {
  const out: AreaInput[] = []
  for (let i = 0; i < n; i++) {
    const [lon, lat] = inExtent()
    const geometry = controlArea(random, lon, lat, 1 + 29 * random(), { holeChance: 0.15, partChance: 0.1 })
    const from = random() < 0.05 ? null : T0 + Math.floor(random() * (T1 - T0 - 30 * DAY) / 60_000) * 60_000
    const to = random() < 0.25 ? null : (from ?? T0) + Math.floor((7 + random() * 1088) * DAY)
    out.push({ id: `control-${i}`, geometry, validFrom: from, validTo: to })
  }
  return out
}

type Points = { lons: Float64Array; lats: Float64Array; ats: Float64Array; ucdp: number; onEdges: number }

function makePoints(total: number, areas: AreaInput[]): Points {
  const lons = new Float64Array(total), lats = new Float64Array(total), ats = new Float64Array(total)
  let n = 0
  if (HAVE_DATA) {
    const records = parseCsv(readFileSync(GED_FILE))
    const header = records[0]!.fields
    const [x, y, d] = ['longitude', 'latitude', 'date_start'].map((c) => header.indexOf(c)) as [number, number, number]
    for (const r of records.slice(1)) {
      if (r.fields.length !== header.length || n >= total) continue
      lons[n] = Number(r.fields[x])
      lats[n] = Number(r.fields[y])
      ats[n] = Date.parse(`${r.fields[d]}T00:00:00Z`)
      n++
    }
  }
  const ucdp = n
  const onEdges = Math.min(total - n, Math.round(total * EDGE_SHARE))
  for (let i = 0; i < onEdges; i++, n++) {
    const [lon, lat] = boundaryPoint(random, areas[Math.floor(random() * areas.length)]!.geometry)
    lons[n] = lon
    lats[n] = lat
    ats[n] = T0 + Math.floor(random() * (T1 - T0))
  }
  for (; n < total; n++) {
    const [lon, lat] = inExtent()
    lons[n] = lon
    lats[n] = lat
    ats[n] = T0 + Math.floor(random() * (T1 - T0))
  }
  for (let i = total - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    for (const a of [lons, lats, ats]) { const t = a[i]!; a[i] = a[j]!; a[j] = t }
  }
  return { lons, lats, ats, ucdp, onEdges }
}

// ---------- the engine ----------

type EngineRun = { buildMs: number; attributeMs: number; result: Attribution; index: AreaIndex }

function runEngine(areas: AreaInput[], pts: Points, n: number, predicate: Predicate = 'postgis', runs = RUNS): EngineRun {
  const lons = pts.lons.subarray(0, n), lats = pts.lats.subarray(0, n), ats = pts.ats.subarray(0, n)
  const builds: number[] = [], attributes: number[] = []
  let index: AreaIndex | undefined, result: Attribution | undefined
  for (let r = 0; r < runs; r++) {
    let t = performance.now()
    index = AreaIndex.build(areas, { predicate })
    builds.push(performance.now() - t)
    t = performance.now()
    result = index.attributeMany(lons, lats, ats)
    attributes.push(performance.now() - t)
  }
  return { buildMs: median(builds), attributeMs: median(attributes), result: result!, index: index! }
}

// ---------- the database ----------

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

function joinSql(s: string): string {
  return `select p.id as point_id, a.id as area_id
  from ${s}.points p
  join ${s}.areas a
    on ST_Covers(a.geom, p.geom)
   and (a.valid_from is null or a.valid_from <= p.at)
   and (a.valid_to is null or p.at < a.valid_to)`
}

async function loadAreas(db: Database, s: string, areas: AreaInput[]) {
  for (let i = 0; i < areas.length; i += 500) {
    const batch = areas.slice(i, i + 500)
    await sql`insert into ${sql.raw(s)}.areas (id, geom, valid_from, valid_to)
      select id, ST_GeomFromWKB(decode(wkb, 'hex'), 4326), f, t
      from unnest(${batch.map((_, k) => i + k)}::int[], ${batch.map((a) => toWkb(a.geometry).toString('hex'))}::text[],
                  ${batch.map((a) => iso(a.validFrom))}::timestamptz[], ${batch.map((a) => iso(a.validTo))}::timestamptz[]) as u(id, wkb, f, t)`.execute(db.kysely)
  }
}

async function loadPoints(db: Database, s: string, table: string, pts: Points, n: number) {
  for (let i = 0; i < n; i += 50_000) {
    const end = Math.min(n, i + 50_000)
    const ids = Array.from({ length: end - i }, (_, k) => i + k)
    await sql`insert into ${sql.raw(`${s}.${table}`)} (id, geom, at)
      select id, ST_SetSRID(ST_MakePoint(lon, lat), 4326), at
      from unnest(${ids}::int[], ${Array.from(pts.lons.subarray(i, end))}::float8[], ${Array.from(pts.lats.subarray(i, end))}::float8[],
                  ${ids.map((k) => iso(pts.ats[k]!))}::timestamptz[]) as u(id, lon, lat, at)`.execute(db.kysely)
  }
}

/** Pairs only in PostGIS, only in the engine, and a few examples of each. */
async function compare(db: Database, s: string, n: number, result: Attribution) {
  let onlyPostgis = 0, onlyEngine = 0, pairs = 0
  const examples: string[] = []
  for (let from = 0; from < n; from += 100_000) {
    const to = Math.min(n, from + 100_000)
    const rows = (await sql<{ point_id: number; area_id: number }>`select point_id, area_id from ${sql.raw(s)}.pairs
      where point_id >= ${from} and point_id < ${to} order by point_id, area_id`.execute(db.kysely)).rows
    pairs += rows.length
    let k = 0
    for (let i = from; i < to; i++) {
      const mine = result.areaIndexes.subarray(result.offsets[i]!, result.offsets[i + 1]!)
      const theirs: number[] = []
      while (k < rows.length && rows[k]!.point_id === i) theirs.push(rows[k++]!.area_id)
      let a = 0, b = 0
      while (a < mine.length || b < theirs.length) {
        if (b >= theirs.length || (a < mine.length && mine[a]! < theirs[b]!)) {
          onlyEngine++
          if (examples.length < 5) examples.push(`point ${i}: area ${mine[a]} only in Truce`)
          a++
        } else if (a >= mine.length || theirs[b]! < mine[a]!) {
          onlyPostgis++
          if (examples.length < 5) examples.push(`point ${i}: area ${theirs[b]} only in PostGIS`)
          b++
        } else { a++; b++ }
      }
    }
  }
  return { onlyPostgis, onlyEngine, mismatches: onlyPostgis + onlyEngine, pairs, examples }
}

type Open = { db: Database; schema: string; label: string; close(): Promise<void> }

async function open(dialect: Dialect): Promise<Open> {
  if (dialect === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'truce-bench-attr-'))
    const db = await openPGlite(dir)
    await db.exec('create extension if not exists postgis; create schema bench_attr')
    return { db, schema: 'bench_attr', label: 'PGlite', close: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }) } }
  }
  const db = await openPostgres(pgUrl!)
  const schema = `bench_attr_${process.pid}`
  await db.exec(`create extension if not exists postgis; drop schema if exists ${schema} cascade; create schema ${schema}`)
  return {
    db, schema, label: 'PostgreSQL',
    close: async () => { try { await db.exec(`drop schema if exists ${schema} cascade`) } finally { await db.close() } },
  }
}

type Subdivided = { prepareS: number; joinS: number; mismatches: number }

type DialectResult = {
  label: string; version: string; n: number; subsetNote: string | null; subdivided: Subdivided | null
  loadAreasS: number; loadPointsS: number; indexS: number; joinS: number; pairs: number; plan: string[]
  engine: EngineRun; exactMismatches: number
  cmp: Awaited<ReturnType<typeof compare>>
}

async function benchDialect(dialect: Dialect, areas: AreaInput[], pts: Points): Promise<DialectResult> {
  const { db, schema: s, label, close } = await open(dialect)
  try {
    const v = (await sql<{ pg: string; gis: string }>`select current_setting('server_version') as pg, postgis_lib_version() as gis`.execute(db.kysely)).rows[0]!
    const version = `PostgreSQL ${v.pg} + PostGIS ${v.gis}`
    await db.exec(`
      create table ${s}.areas (id int primary key, geom geometry(Geometry, 4326) not null, valid_from timestamptz, valid_to timestamptz);
      create table ${s}.points (id int primary key, geom geometry(Point, 4326) not null, at timestamptz not null);`)
    let t = performance.now()
    await loadAreas(db, s, areas)
    const loadAreasS = (performance.now() - t) / 1000
    t = performance.now()
    await db.exec(`create index areas_geom on ${s}.areas using gist (geom); analyze ${s}.areas`)
    const indexS = (performance.now() - t) / 1000

    // How many points this database runs.
    let n = TOTAL
    let subsetNote: string | null = null
    const asked = dialect === 'pglite' ? values['pglite-points'] : values['postgres-points']
    if (asked && asked !== 'auto') n = Math.min(TOTAL, Number(asked))
    else if (asked === 'auto' && TOTAL > 20_000) {
      const cal = 20_000
      await db.exec(`create table ${s}.calibration (id int primary key, geom geometry(Point, 4326) not null, at timestamptz not null)`)
      await loadPoints(db, s, 'calibration', pts, cal)
      await db.exec(`analyze ${s}.calibration`)
      const c = performance.now()
      await db.exec(`select count(*) from (${joinSql(s).replace(`${s}.points p`, `${s}.calibration p`)}) j`)
      const rate = cal / ((performance.now() - c) / 1000)
      const full = TOTAL / rate
      if (full > 300) {
        n = Math.max(cal, Math.floor((rate * 240) / 10_000) * 10_000)
        subsetNote = `a prefix of ${int(n)} of the ${int(TOTAL)} points: the join ran ${int(rate)} points/s on 20,000, so all ${int(TOTAL)} would take ~${fmt(full / 60)} min`
      }
      await db.exec(`drop table ${s}.calibration`)
    }

    t = performance.now()
    await loadPoints(db, s, 'points', pts, n)
    await db.exec(`analyze ${s}.points`)
    const loadPointsS = (performance.now() - t) / 1000

    const plan = (await sql<{ 'QUERY PLAN': string }>`explain ${sql.raw(joinSql(s))}`.execute(db.kysely)).rows.map((r) => r['QUERY PLAN'])
    t = performance.now()
    await db.exec(`create table ${s}.pairs as ${joinSql(s)}`)
    const joinS = (performance.now() - t) / 1000

    const engine = runEngine(areas, pts, n)
    const cmp = await compare(db, s, n, engine.result)
    const exact = runEngine(areas, pts, n, 'exact', 1)
    const exactMismatches = (await compare(db, s, n, exact.result)).mismatches

    let subdivided: Subdivided | null = null
    if (values.subdivide) {
      t = performance.now()
      await db.exec(`create table ${s}.pieces as select id, valid_from, valid_to, ST_Subdivide(geom, ${Number(values.subdivide)}) as geom from ${s}.areas;
        create index pieces_geom on ${s}.pieces using gist (geom); analyze ${s}.pieces`)
      const prepareS = (performance.now() - t) / 1000
      await db.exec(`alter table ${s}.pairs rename to pairs_whole`)
      t = performance.now()
      await db.exec(`create table ${s}.pairs as select distinct point_id, area_id from (${joinSql(s).replace(`${s}.areas a`, `${s}.pieces a`)}) j`)
      const joinS2 = (performance.now() - t) / 1000
      subdivided = { prepareS, joinS: joinS2, mismatches: (await compare(db, s, n, engine.result)).mismatches }
    }
    return { label, version, n, subsetNote, subdivided, loadAreasS, loadPointsS, indexS, joinS, pairs: cmp.pairs, plan, engine, exactMismatches, cmp }
  } finally {
    await close()
  }
}

// ---------- run ----------

console.log(`attribution: ${int(TOTAL)} points against ${HAVE_DATA ? '41 real boundaries + ' : ''}${int(GENERATED)} generated control areas; engine medians of ${RUNS} runs; load ${loadavg().map((l) => fmt(l, 2)).join(' ')}`)
if (!HAVE_DATA) console.log(`(real data skipped: ${SYRIA_FILE}, ${UKRAINE_FILE} or ${GED_FILE} is absent; set TRUCE_SHARED_DATA, or put the shared data at ../shared/data)`)
if (!pgUrl) console.log('(set BENCH_DATABASE_URL to add PostgreSQL)')
{
  const url = pgUrl ? new URL(pgUrl) : null
  if (url) url.password = ''
  console.log(`reproduce: ${url ? `BENCH_DATABASE_URL=${url} ` : ''}node bench/attribution.bench.ts ${process.argv.slice(2).join(' ')}`.trimEnd())
}

let t = performance.now()
const real = realAreas()
const areas = [...real, ...generatedAreas(GENERATED)]
const pts = makePoints(TOTAL, areas)
console.log(`data: ${int(areas.length)} areas, ${int(TOTAL)} points (${int(pts.ucdp)} UCDP GED 2016 events, ${int(pts.onEdges)} on vertices or along edges, the rest uniform in the Syria and Ukraine extents), generated in ${fmt((performance.now() - t) / 1000)} s`)

const full = runEngine(areas, pts, TOTAL)
const st = full.index.stats()
console.log(`engine index: ${int(st.parts)} polygons, ${int(st.rings)} rings, ${int(st.edges)} edges (${int(st.filedEdges)} filed in grid rows), ${int(st.cells)} cells (${fmt((100 * st.boundaryCells) / st.cells)}% boundary), ${int(st.globalCells)} global cells, ${fmt(st.bytes / 2 ** 20)} MiB`)
if (HAVE_DATA) {
  // The UCDP events against the Syrian governorates alone: inside one, or the nearest and how far.
  const syria = AreaIndex.build(real.slice(0, 14))
  const records = parseCsv(readFileSync(GED_FILE))
  const header = records[0]!.fields
  const [x, y] = [header.indexOf('longitude'), header.indexOf('latitude')]
  const events = records.slice(1).filter((row) => row.fields.length === header.length)
  let inside = 0
  const out: number[] = []
  for (const row of events) {
    const lon = Number(row.fields[x]), lat = Number(row.fields[y])
    if (syria.covering(lon, lat).length) inside++
    else out.push(syria.nearest(lon, lat)!.metres)
  }
  out.sort((a, b) => a - b)
  console.log(`UCDP GED 2016 in the OCHA governorates: ${int(inside)} of ${int(events.length)} inside; ${out.length} outside, nearest governorate ${int(out[0] ?? 0)}–${int(out[out.length - 1] ?? 0)} m away (median ${int(median(out))} m, WGS84)`)
}

const dialects: Dialect[] = (pgUrl ? ['pglite', 'postgres'] as const : ['pglite'] as const).filter((d) => !values.only || d === values.only)
const results: DialectResult[] = []
for (const d of dialects) {
  t = performance.now()
  const r = await benchDialect(d, areas, pts)
  results.push(r)
  const e = r.engine
  const attrRate = r.n / (e.attributeMs / 1000), totalRate = r.n / ((e.buildMs + e.attributeMs) / 1000), joinRate = r.n / r.joinS
  console.log(`\n${r.label} (${r.version})${r.subsetNote ? `\n  runs ${r.subsetNote}` : ''}`)
  console.log(`  load: ${int(areas.length)} areas ${fmt(r.loadAreasS)} s, GiST index ${fmt(r.indexS)} s, ${int(r.n)} points ${fmt(r.loadPointsS)} s`)
  console.log(`  plan: ${r.plan.map((l) => l.trim()).slice(0, 6).join(' | ')}`)
  console.log(`  PostGIS join                ${fmt(r.joinS, 2)} s  ${int(joinRate)} points/s  → ${int(r.pairs)} pairs`)
  console.log(`  Truce build                 ${fmt(e.buildMs / 1000, 2)} s`)
  console.log(`  Truce attributeMany         ${fmt(e.attributeMs / 1000, 2)} s  ${int(attrRate)} points/s  (${fmt(attrRate / joinRate)}× PostGIS)`)
  console.log(`  Truce build + attributeMany ${fmt((e.buildMs + e.attributeMs) / 1000, 2)} s  ${int(totalRate)} points/s  (${fmt(totalRate / joinRate)}× PostGIS)`)
  console.log(`  mismatches: ${r.cmp.mismatches} (pairs only in PostGIS ${r.cmp.onlyPostgis}, only in Truce ${r.cmp.onlyEngine})${r.cmp.examples.length ? `: ${r.cmp.examples.join('; ')}` : ''}`)
  console.log(`  with the exact predicate instead of PostGIS's arithmetic: ${r.exactMismatches} mismatches`)
  if (r.subdivided) {
    const sd = r.subdivided, rate = r.n / sd.joinS
    console.log(`  PostGIS join on ST_Subdivide(geom, ${values.subdivide}) pieces: ${fmt(sd.joinS, 2)} s  ${int(rate)} points/s (cut in ${fmt(sd.prepareS, 2)} s); Truce build + attributeMany ${fmt(totalRate / rate)}× that; ${sd.mismatches} mismatches`)
  }
  console.log(`  (${fmt((performance.now() - t) / 1000)} s for this database)`)
}

console.log('\nSummary (points/s; ratio = Truce / PostGIS join; mismatches pair by pair)')
console.log('| database | points | PostGIS join | Truce attribute | Truce build + attribute | ratio (attribute) | ratio (build + attribute) | build | mismatches |')
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
for (const r of results) {
  const e = r.engine
  const joinRate = r.n / r.joinS, attrRate = r.n / (e.attributeMs / 1000), totalRate = r.n / ((e.buildMs + e.attributeMs) / 1000)
  console.log(`| ${r.label} | ${int(r.n)}${r.subsetNote ? ' (prefix)' : ''} | ${int(joinRate)} | ${int(attrRate)} | ${int(totalRate)} | ${fmt(attrRate / joinRate)}× | ${fmt(totalRate / joinRate)}× | ${fmt(e.buildMs / 1000, 2)} s | ${r.cmp.mismatches} |`)
}
console.log('\nThe PostGIS join, timed as `create table pairs as <join>`:')
console.log(joinSql('<schema>'))
