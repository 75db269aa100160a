// `npm run bench:tiles`: incident vector tiles from the in-memory point index, 1,000,000 points.
//
// Points: the real UCDP GED events of Syria (2016 file in ../shared/data/ucdp_ged_syria; skipped
// with a message when absent) plus synthetic incidents concentrated as a conflict's are: around
// towns of Syria and of the Donbas (tight cores, wider rings, a few scattered over the region,
// many stacked on a town's own coordinates as "where_prec" geocoding does), dated 2014–2020 with
// bursts, each of one of seven audiences (public, or one of six parties).
//
// Figures: build time and memory; then per zoom 6–12, tile latency p50/p95/p99 for tiles drawn
// towards where the points are (a random point's tile), without and with a one-year time filter,
// each request as a random party (public + its own audience) or an observer (everything); and side
// by side in the same run on the same tiles, two baselines:
//   - naive: test every point against the tile's bounds, then encode (the same output bytes,
//     checked), i.e. the index's key runs taken away;
//   - naive, every point: the same scan, then one feature per point with no aggregation, i.e. what
//     a bounding-box query plus encoding gives.
// Ratios are baseline time / index time on the same tiles.
//
// Options: --points N (default 1000000)  --samples N (index requests per zoom and filter, default 300)
import { existsSync, readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { sharedDataDir } from '../src/config.ts'
import { parseCsv } from '../src/modules/actors/import/csv.ts'
import { PointIndex, type IncidentPoint, type PointTileOptions } from '../src/modules/geo/tiles/point-index.ts'
import { lonLatToTile } from '../src/modules/geo/tiles/project.ts'
import { quantile } from './lib.ts'
import { seededRandom } from '../src/lib/random.ts'

const args = process.argv.slice(2)
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt
}
const TOTAL = Number(opt('points', '1000000'))
const SAMPLES = Number(opt('samples', '300'))
const NAIVE_SAMPLES = Math.max(10, Math.round(SAMPLES / 5))
const NAIVE_ALL_SAMPLES = Math.max(5, Math.round(SAMPLES / 15))
const ZOOMS = [6, 7, 8, 9, 10, 11, 12]

/** A seeded generator (mulberry32, src/lib/random.ts). */
const rng = seededRandom
const r = rng(2016)
const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1))
const ratio = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1))
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1)
const kb = (bytes: number) => (bytes / 1024).toFixed(1)

function table(head: string[], rows: (string | number)[][]) {
  const cells = [head, ...rows.map((row) => row.map(String))]
  const widths = head.map((_, c) => Math.max(...cells.map((row) => row[c]!.length)))
  const line = (row: string[]) => `| ${row.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join(' | ')} |`
  console.log(line(head))
  console.log(`|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`)
  for (const row of cells.slice(1)) console.log(line(row))
}

// ---------- points ----------

const KINDS = ['shelling', 'airstrike', 'clash', 'ied', 'sniper', 'detention', 'drone']
const UCDP_KINDS: Record<string, string> = { 1: 'state-based', 2: 'non-state', 3: 'one-sided' }
const T0 = Date.UTC(2014, 0, 1)
const T1 = Date.UTC(2021, 0, 1)
const DAY = 86_400_000

type Town = { name: string; lon: number; lat: number; weight: number; parties: [number, number, number] }
const SYRIA: [string, number, number][] = [
  ['Aleppo', 37.16, 36.2], ['Idlib', 36.63, 35.93], ['Homs', 36.72, 34.73], ['Hama', 36.75, 35.13], ['Damascus', 36.29, 33.51],
  ['Douma', 36.4, 33.57], ['Daraa', 36.1, 32.62], ['Raqqa', 39.01, 35.95], ['Deir ez-Zor', 40.14, 35.33], ['Palmyra', 38.27, 34.56],
  ['Latakia', 35.78, 35.52], ['Jisr al-Shughur', 36.32, 35.81], ['Manbij', 37.95, 36.53], ['al-Bab', 37.52, 36.37], ['Kobani', 38.35, 36.89],
  ['Hasakah', 40.75, 36.5], ['Qamishli', 41.22, 37.05], ['Albu Kamal', 40.92, 34.45], ['Quneitra', 35.82, 33.13], ['Khan Shaykhun', 36.64, 35.44],
]
const DONBAS: [string, number, number][] = [
  ['Donetsk', 37.8, 48.0], ['Luhansk', 39.33, 48.57], ['Horlivka', 38.05, 48.3], ['Mariupol', 37.55, 47.1], ['Debaltseve', 38.4, 48.34],
  ['Avdiivka', 37.74, 48.14], ['Popasna', 38.38, 48.63], ['Marinka', 37.5, 47.94], ['Shchastia', 39.23, 48.74], ['Stanytsia Luhanska', 39.49, 48.65],
  ['Svitlodarsk', 38.22, 48.43], ['Volnovakha', 37.5, 47.6], ['Shyrokyne', 37.74, 47.09], ['Pisky', 37.66, 48.1], ['Zolote', 38.52, 48.69],
]
const REGIONS = [
  { towns: SYRIA, box: [35.7, 32.3, 42.4, 37.3], parties: [1, 2, 3] as [number, number, number], share: 0.6 },
  { towns: DONBAS, box: [36.8, 46.9, 40.2, 49.3], parties: [4, 5, 6] as [number, number, number], share: 0.4 },
]
const TOWNS: Town[][] = REGIONS.map((region) => region.towns.map(([name, lon, lat], i) => ({ name, lon, lat, weight: 1 / (i + 1), parties: region.parties })))

function pickTown(towns: Town[]): Town {
  const total = towns.reduce((s, t) => s + t.weight, 0)
  let u = r() * total
  for (const t of towns) if ((u -= t.weight) <= 0) return t
  return towns[towns.length - 1]!
}

/** An audience: public for a little over half, else the party of the side that reported it. */
const audienceFor = (parties: readonly number[]) => (r() < 0.55 ? 0 : parties[Math.floor(r() * parties.length)]!)

function syntheticPoint(id: number): IncidentPoint {
  const region = r() < REGIONS[0]!.share ? 0 : 1
  const { box, parties } = REGIONS[region]!
  const town = pickTown(TOWNS[region]!)
  let lon: number
  let lat: number
  const u = r()
  if (u < 0.2) {
    lon = town.lon // stacked on the town's own coordinates
    lat = town.lat
  } else if (u < 0.97) {
    const sigma = [0.015, 0.06, 0.25][Math.floor(r() * 3)]!
    lon = town.lon + gauss() * sigma
    lat = town.lat + gauss() * sigma * 0.8
  } else {
    lon = box[0]! + r() * (box[2]! - box[0]!)
    lat = box[1]! + r() * (box[3]! - box[1]!)
  }
  // a third of the incidents fall in bursts: a town's bad two months
  const burst = r() < 0.3
  const time = burst
    ? T0 + ((town.name.length * 97) % 60) * 30 * DAY + Math.floor(r() * 60 * DAY)
    : T0 + Math.floor(r() * (T1 - T0))
  return { id, lon, lat, time, audience: audienceFor(parties), properties: { kind: KINDS[Math.floor(r() * KINDS.length)]! } }
}

function ucdpPoints(): IncidentPoint[] {
  const file = join(sharedDataDir(), 'ucdp_ged_syria', 'ged_syria_2016.csv')
  if (!existsSync(file)) {
    console.log(`UCDP events skipped: ${file} is absent (set TRUCE_SHARED_DATA, or put the shared data at ../shared/data); all points are synthetic`)
    return []
  }
  const [head, ...rows] = parseCsv(readFileSync(file))
  const col = (name: string) => head!.fields.indexOf(name)
  const [ID, LAT, LON, DATE, TYPE] = [col('id'), col('latitude'), col('longitude'), col('date_start'), col('type_of_violence')]
  const out: IncidentPoint[] = []
  for (const row of rows) {
    const f = row.fields
    const lat = Number(f[LAT])
    const lon = Number(f[LON])
    if (f.length < 10 || !Number.isFinite(lat) || !Number.isFinite(lon)) continue
    out.push({
      id: Number(f[ID]),
      lon,
      lat,
      time: Date.parse(`${f[DATE]}T00:00:00Z`),
      audience: audienceFor([1, 2, 3]),
      properties: { kind: UCDP_KINDS[f[TYPE]!] ?? 'unknown' },
    })
  }
  console.log(`UCDP events: ${out.length} from ${file}`)
  return out
}

// ---------- build ----------

console.log(`# Incident vector tiles: point index vs naive scan`)
console.log(`node bench/tiles.bench.ts --points ${TOTAL} --samples ${SAMPLES}`)
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ')
console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)}, load average ${load()}\n`)

const real = ucdpPoints()
const points: IncidentPoint[] = real.slice(0, TOTAL)
// synthetic ids start past the real ones
for (let id = 10_000_000; points.length < TOTAL; id++) points.push(syntheticPoint(id))
console.log(`points: ${points.length.toLocaleString('en')} (${real.length.toLocaleString('en')} real, ${(points.length - Math.min(real.length, TOTAL)).toLocaleString('en')} synthetic)`)

const rssBefore = process.memoryUsage().rss
const buildCpu = process.cpuUsage()
let t = performance.now()
const index = new PointIndex({ properties: { kind: 'category' } })
for (const p of points) index.add(p)
const addMs = performance.now() - t
t = performance.now()
index.rebuild()
const sortMs = performance.now() - t
const buildUsed = process.cpuUsage(buildCpu)
const buildCpuMs = (buildUsed.user + buildUsed.system) / 1000
console.log(`build: ${ms(addMs + sortMs)} ms (add ${ms(addMs)} ms + sort and merge ${ms(sortMs)} ms; CPU ${ms(buildCpuMs)} ms); index memory ${mb(index.memoryBytes())} MiB `
  + `(${(index.memoryBytes() / points.length).toFixed(1)} B/point); process RSS grew ${mb(process.memoryUsage().rss - rssBefore)} MiB during the build`)

// ---------- requests ----------

type Request = { z: number; x: number; y: number; options: PointTileOptions }

/** A tile towards where the points are (the tile of a random point), as a random viewer. */
function request(z: number, timed: boolean): Request {
  const p = points[Math.floor(r() * points.length)]!
  const [px, py] = lonLatToTile(p.lon, p.lat, z, 0, 0, 1)
  const party = Math.floor(r() * 8) // 1–6: a party; 0, 7: an observer who sees everything
  const canSee = party >= 1 && party <= 6 ? (a: number) => a === 0 || a === party : () => true
  const from = T0 + Math.floor(r() * 6) * 365 * DAY
  return { z, x: Math.floor(px), y: Math.floor(py), options: timed ? { canSee, from, to: from + 365 * DAY } : { canSee } }
}

/** Wall time and this process's CPU time (user + system, all threads: GC included) of one call, in ms. */
const timeIt = (fn: () => Uint8Array): [number, Uint8Array, number] => {
  const cpu = process.cpuUsage()
  const start = performance.now()
  const out = fn()
  const wall = performance.now() - start
  const used = process.cpuUsage(cpu)
  return [wall, out, (used.user + used.system) / 1000]
}

function shape(bytes: Uint8Array): { features: number; aggregated: boolean } {
  const layer = new VectorTile(new PbfReader(bytes)).layers.incidents
  if (!layer || layer.length === 0) return { features: 0, aggregated: false }
  return { features: layer.length, aggregated: 'count' in layer.feature(0).properties }
}

// warm up the JIT on every path
for (let i = 0; i < 600; i++) {
  const q = request(ZOOMS[i % ZOOMS.length]!, i % 2 === 0)
  index.tile(q.z, q.x, q.y, q.options)
  if (i % 30 === 0) index.tile(q.z, q.x, q.y, { ...q.options, plan: 'scan' })
}

type Row = { z: number; timed: boolean; index: number[]; cpu: number[]; bytes: number[]; features: number[]; aggregated: number; naive: number[]; naivePaired: number[]; naiveCpu: number[]; naivePairedCpu: number[]; all: number[]; allPaired: number[]; allBytes: number[]; mismatches: number }
const rows: Row[] = []
const started = performance.now()
for (const z of ZOOMS) {
  for (const timed of [false, true]) {
    const row: Row = { z, timed, index: [], cpu: [], bytes: [], features: [], aggregated: 0, naive: [], naivePaired: [], naiveCpu: [], naivePairedCpu: [], all: [], allPaired: [], allBytes: [], mismatches: 0 }
    for (let i = 0; i < SAMPLES; i++) {
      const q = request(z, timed)
      const [took, bytes, cpu] = timeIt(() => index.tile(q.z, q.x, q.y, q.options))
      row.index.push(took)
      row.cpu.push(cpu)
      row.bytes.push(bytes.length)
      if (i < NAIVE_SAMPLES) {
        const s = shape(bytes)
        row.features.push(s.features)
        if (s.aggregated) row.aggregated++
        const [naiveTook, naiveBytes, naiveCpu] = timeIt(() => index.tile(q.z, q.x, q.y, { ...q.options, plan: 'scan' }))
        row.naive.push(naiveTook)
        row.naivePaired.push(took)
        row.naiveCpu.push(naiveCpu)
        row.naivePairedCpu.push(cpu)
        if (!Buffer.from(naiveBytes).equals(Buffer.from(bytes))) row.mismatches++
      }
      if (i < NAIVE_ALL_SAMPLES) {
        const [allTook, allBytes] = timeIt(() => index.tile(q.z, q.x, q.y, { ...q.options, plan: 'scan', maxPoints: Infinity }))
        row.all.push(allTook)
        row.allPaired.push(took)
        row.allBytes.push(allBytes.length)
      }
    }
    rows.push(row)
  }
}
const elapsed = (performance.now() - started) / 1000

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b)
const q = (xs: number[], p: number) => quantile(sorted(xs), p)

console.log(`\n## Tile latency, point index (${SAMPLES} tiles per row; ms of wall time, and of CPU time for the busy machine)\n`)
table(['zoom', 'time filter', 'p50', 'p95', 'p99', 'max', 'CPU p50', 'CPU p95', 'bytes p50', 'bytes p95', 'features p50', 'aggregated'], rows.map((row) => [
  row.z, row.timed ? '1 year' : 'none', ms(q(row.index, 0.5)), ms(q(row.index, 0.95)), ms(q(row.index, 0.99)), ms(Math.max(...row.index)),
  ms(q(row.cpu, 0.5)), ms(q(row.cpu, 0.95)),
  kb(q(row.bytes, 0.5)) + ' kB', kb(q(row.bytes, 0.95)) + ' kB', q(row.features, 0.5), `${Math.round((100 * row.aggregated) / row.features.length)}%`,
]))

console.log(`\n## Against the baselines, on the same tiles (ms; ratio = baseline / index)\n`)
table(['zoom', 'time filter', 'index p50', 'index p95', 'naive p50', 'naive p95', 'ratio p50', 'ratio p95', 'CPU ratio p50', 'CPU ratio p95', 'same bytes', 'every-point p50', 'every-point p95', 'every-point kB p50', 'ratio p50'], rows.map((row) => [
  row.z, row.timed ? '1 year' : 'none',
  ms(q(row.naivePaired, 0.5)), ms(q(row.naivePaired, 0.95)), ms(q(row.naive, 0.5)), ms(q(row.naive, 0.95)),
  `${ratio(q(row.naive, 0.5) / q(row.naivePaired, 0.5))}×`, `${ratio(q(row.naive, 0.95) / q(row.naivePaired, 0.95))}×`,
  `${ratio(q(row.naiveCpu, 0.5) / q(row.naivePairedCpu, 0.5))}×`, `${ratio(q(row.naiveCpu, 0.95) / q(row.naivePairedCpu, 0.95))}×`,
  `${row.naive.length - row.mismatches}/${row.naive.length}`,
  ms(q(row.all, 0.5)), ms(q(row.all, 0.95)), kb(q(row.allBytes, 0.5)), `${ratio(q(row.all, 0.5) / q(row.allPaired, 0.5))}×`,
]))

const all = rows.flatMap((row) => row.index)
const allCpu = rows.flatMap((row) => row.cpu)
const worstP95 = Math.max(...rows.map((row) => q(row.index, 0.95)))
console.log(`\nall zooms 6–12: p50 ${ms(q(all, 0.5))} ms, p95 ${ms(q(all, 0.95))} ms, p99 ${ms(q(all, 0.99))} ms (CPU p50 ${ms(q(allCpu, 0.5))}, p95 ${ms(q(allCpu, 0.95))}); `
  + `worst row p95 ${ms(worstP95)} ms (target ≤ 50 ms: ${worstP95 <= 50 ? 'met' : 'NOT met'}); naive p50 over index p50, all rows: `
  + `${ratio(q(rows.flatMap((row) => row.naive), 0.5) / q(rows.flatMap((row) => row.naivePaired), 0.5))}× (CPU `
  + `${ratio(q(rows.flatMap((row) => row.naiveCpu), 0.5) / q(rows.flatMap((row) => row.naivePairedCpu), 0.5))}×)`)
const mismatches = rows.reduce((s, row) => s + row.mismatches, 0)
console.log(`requests timed in ${elapsed.toFixed(1)} s, load average now ${load()}; index and naive tiles differ in ${mismatches} of ${rows.reduce((s, row) => s + row.naive.length, 0)}`)
if (mismatches) process.exitCode = 1
