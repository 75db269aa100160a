// The point index against a brute-force filter over the raw points: for random tiles (towns,
// empty ocean, the antimeridian columns, z0 to z20), random time windows and random audiences,
// the tile holds exactly the points that the filter keeps, where it projects them; aggregated
// tiles count the same points; new points are seen before and after a rebuild.
import { describe, expect, it } from 'vitest'
import { PointIndex, type IncidentPoint, type PointTileOptions } from './point-index.ts'
import { lonLatToTile } from './project.ts'
import { decodeTile, rng } from './test-support.ts'

const KINDS = ['shelling', 'airstrike', 'clash', 'ied', 'sniper', 'detention']
const TOWNS: [number, number][] = [[37.16, 36.2], [36.72, 34.73], [36.29, 33.51], [37.8, 48.0], [38.05, 48.3], [179.9, -16.5]]
const T0 = Date.UTC(2014, 0, 1)
const T1 = Date.UTC(2021, 0, 1)

function makePoints(count: number, seed: number): IncidentPoint[] {
  const r = rng(seed)
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())
  const points: IncidentPoint[] = []
  for (let id = 0; id < count; id++) {
    let lon: number
    let lat: number
    const u = r()
    if (u < 0.45) {
      const [tx, ty] = TOWNS[Math.floor(r() * TOWNS.length)]!
      const spread = [0.01, 0.1, 0.6][Math.floor(r() * 3)]!
      lon = tx + gauss() * spread
      lat = ty + gauss() * spread
    } else if (u < 0.8) {
      lon = -180 + 360 * r()
      lat = -84 + 168 * r()
    } else if (u < 0.9) {
      lon = (r() < 0.5 ? -180 : 179.5) + 0.5 * r() // the antimeridian
      lat = -60 + 120 * r()
    } else {
      const twin = points[Math.floor(r() * points.length)] // stacked on an earlier incident
      lon = twin?.lon ?? 0
      lat = twin?.lat ?? 0
    }
    lon = lon >= 180 ? lon - 360 : lon < -180 ? lon + 360 : lon
    const time = r() < 0.02 ? NaN : T0 + Math.floor(r() * (T1 - T0))
    const audience = r() < 0.05 ? 300 : Math.floor(r() * 5)
    const properties = { kind: KINDS[Math.floor(r() * KINDS.length)]!, deaths: r() < 0.3 ? null : Math.floor(r() * 20) }
    points.push({ id: id * 7 + 1, lon, lat, time, audience, properties })
  }
  return points
}

type Expected = { id: number; x: number; y: number }

/**
 * What a tile must hold, from the raw points and the spec of the request alone: points whose
 * position in the tile (or in a world copy either side) is in the buffered square, in the time
 * interval, of a visible audience. Points within rounding distance of the square's edge may go
 * either way; they are returned apart.
 */
function bruteForce(points: readonly IncidentPoint[], z: number, x: number, y: number, o: PointTileOptions) {
  const extent = o.extent ?? 4096
  const buffer = o.buffer ?? 64
  const eps = 2 * extent * 2 ** z * 2 ** -32 + 1e-6
  const lo = -buffer
  const hi = extent + buffer
  const sure: Expected[] = []
  const maybe: Expected[] = []
  for (const p of points) {
    if (o.from !== undefined && !(p.time >= o.from)) continue
    if (o.to !== undefined && !(p.time < o.to)) continue
    if (!o.canSee(p.audience)) continue
    const [px, py] = lonLatToTile(p.lon, p.lat, z, x, y, extent)
    for (const shift of [-1, 0, 1]) {
      const qx = px + shift * 2 ** z * extent
      const inside = qx >= lo && qx < hi && py >= lo && py < hi
      const edge = [qx - lo, qx - hi, py - lo, py - hi].some((d) => Math.abs(d) < eps)
      if (edge) maybe.push({ id: p.id, x: qx, y: py })
      else if (inside) sure.push({ id: p.id, x: qx, y: py })
    }
  }
  return { sure, maybe }
}

function buildIndex(points: readonly IncidentPoint[]): PointIndex {
  const index = new PointIndex({ properties: { kind: 'category', deaths: 'number' } })
  for (const p of points) index.add(p)
  index.rebuild()
  return index
}

type Case = { z: number; x: number; y: number; options: PointTileOptions }

function randomCases(points: readonly IncidentPoint[], count: number, seed: number): Case[] {
  const r = rng(seed)
  const cases: Case[] = []
  for (let i = 0; i < count; i++) {
    const z = Math.floor(r() * 21)
    const n = 2 ** z
    let x: number
    let y: number
    const u = r()
    if (u < 0.7) {
      const p = points[Math.floor(r() * points.length)]!
      const [px, py] = lonLatToTile(p.lon, p.lat, z, 0, 0, 1)
      x = Math.min(n - 1, Math.floor(px))
      y = Math.min(n - 1, Math.floor(py))
    } else if (u < 0.85) {
      x = r() < 0.5 ? 0 : n - 1
      y = Math.floor(r() * n)
    } else {
      x = Math.floor(r() * n)
      y = Math.floor(r() * n)
    }
    const seen = new Set([0, 1, 2, 3, 4, 300].filter(() => r() < 0.5))
    const windowStart = T0 + Math.floor(r() * (T1 - T0))
    const w = Math.floor(r() * 4)
    const options: PointTileOptions = {
      canSee: (a) => seen.has(a),
      from: w === 1 || w === 3 ? windowStart : undefined,
      to: w === 2 || w === 3 ? windowStart + Math.floor(r() * 2 * 365 * 86_400_000) : undefined,
      buffer: [0, 64, 256][Math.floor(r() * 3)]!,
      extent: r() < 0.8 ? 4096 : 512,
      // 500: candidates beyond it may still be filtered down to per-point features
      maxPoints: r() < 0.5 ? Infinity : 500,
      plan: (['index', 'index', 'index', 'time', 'scan'] as const)[Math.floor(r() * 5)],
    }
    cases.push({ z, x, y, options })
  }
  return cases
}

const POINTS = makePoints(30_000, 42)
const BY_ID = new Map(POINTS.map((p) => [p.id, p]))

describe('PointIndex.tile', () => {
  const index = buildIndex(POINTS)

  it('holds exactly the points a brute-force filter keeps, where it puts them, with their properties', () => {
    let checked = 0
    let nonEmpty = 0
    let aggregated = 0
    let perPointAfterFilter = 0
    for (const c of randomCases(POINTS, 400, 7)) {
      const tile = index.tile(c.z, c.x, c.y, c.options)
      const features = decodeTile(tile).incidents?.features ?? []
      const { sure, maybe } = bruteForce(POINTS, c.z, c.x, c.y, c.options)
      const label = `${c.z}/${c.x}/${c.y} ${JSON.stringify({ ...c.options, canSee: undefined })}`
      if (features[0] && 'count' in features[0].properties) {
        expect(sure.length + maybe.length, label).toBeGreaterThan(c.options.maxPoints!)
        aggregated++
        continue
      }
      if (c.options.maxPoints === 500 && sure.length > 50) perPointAfterFilter++
      // rounding to tile units, plus the index's resolution (2^−32 of the world, about 1 cm)
      const near = 0.5 + (c.options.extent ?? 4096) * 2 ** (c.z - 32) + 1e-6
      const expectedAt = new Map<number, Expected[]>()
      for (const e of [...sure, ...maybe]) expectedAt.set(e.id, [...(expectedAt.get(e.id) ?? []), e])
      const problems: string[] = []
      const got = new Map<number, number>()
      for (const f of features) {
        const id = f.id!
        got.set(id, (got.get(id) ?? 0) + 1)
        const [[[fx, fy]]] = f.geometry as [[[number, number]]]
        const where = expectedAt.get(id) ?? []
        if (!where.some((e) => Math.abs(e.x - fx) <= near && Math.abs(e.y - fy) <= near)) problems.push(`${id} drawn at ${fx},${fy}`)
        const p = BY_ID.get(id)!
        const deaths = p.properties?.deaths
        const props = deaths === null ? { kind: p.properties?.kind } : { kind: p.properties?.kind, deaths }
        if (JSON.stringify(f.properties) !== JSON.stringify(props)) problems.push(`${id} has ${JSON.stringify(f.properties)}`)
      }
      const want = new Map<number, number>()
      for (const e of sure) want.set(e.id, (want.get(e.id) ?? 0) + 1)
      for (const [id, k] of want) if ((got.get(id) ?? 0) < k) problems.push(`${id} missing`)
      const allowed = new Map(want)
      for (const e of maybe) allowed.set(e.id, (allowed.get(e.id) ?? 0) + 1)
      for (const [id, k] of got) if (k > (allowed.get(id) ?? 0)) problems.push(`${id} should not be there`)
      expect(problems.slice(0, 5), label).toEqual([])
      checked++
      if (features.length) nonEmpty++
    }
    expect(checked + aggregated).toBe(400)
    expect(nonEmpty).toBeGreaterThan(150)
    expect(aggregated).toBeGreaterThan(10)
    expect(perPointAfterFilter).toBeGreaterThan(10)
  })

  it('writes the same bytes whichever way it finds the points: key runs, time order, or a scan of all', () => {
    const r = rng(12)
    for (const c of randomCases(POINTS, 120, 8)) {
      // short intervals too, for which the index reads the points in time order
      const from = c.options.from ?? (r() < 0.5 ? T0 + Math.floor(r() * (T1 - T0)) : undefined)
      const options = { ...c.options, plan: undefined, from, to: from === undefined ? c.options.to : from + Math.floor(r() * 60 * 86_400_000), maxPoints: 2000 }
      const label = `${c.z}/${c.x}/${c.y}`
      const byIndex = Buffer.from(index.tile(c.z, c.x, c.y, options))
      expect(byIndex.equals(Buffer.from(index.tile(c.z, c.x, c.y, { ...options, plan: 'scan' }))), label).toBe(true)
      expect(byIndex.equals(Buffer.from(index.tile(c.z, c.x, c.y, { ...options, plan: 'time' }))), label).toBe(true)
    }
  })

  it('aggregates a crowded tile into grid cells whose counts add up to the points', () => {
    const r = rng(9)
    let aggregated = 0
    for (const c of randomCases(POINTS, 80, 10)) {
      if (c.z > 9) continue
      const cellSize = [64, 32, 100][Math.floor(r() * 3)]!
      const options = { ...c.options, maxPoints: 50, cellSize }
      const features = decodeTile(index.tile(c.z, c.x, c.y, options)).incidents?.features ?? []
      const { sure, maybe } = bruteForce(POINTS, c.z, c.x, c.y, options)
      if (sure.length + maybe.length <= 50) continue
      aggregated++
      const total = features.reduce((s, f) => s + (f.properties.count as number), 0)
      expect(total).toBeGreaterThanOrEqual(sure.length)
      expect(total).toBeLessThanOrEqual(sure.length + maybe.length)
      const extent = options.extent ?? 4096
      const buffer = options.buffer ?? 64
      const cells = new Set<string>()
      for (const f of features) {
        expect(f.id).toBeUndefined()
        expect(Object.keys(f.properties)).toEqual(['count'])
        const [[[fx, fy]]] = f.geometry as [[[number, number]]]
        expect(fx).toBeGreaterThanOrEqual(-buffer - 1)
        expect(fx).toBeLessThanOrEqual(extent + buffer)
        cells.add(`${Math.floor(fx / cellSize)},${Math.floor(fy / cellSize)}`)
      }
      // at most one feature per cell (the mean position stays in its cell, up to rounding)
      expect(cells.size).toBeGreaterThanOrEqual(features.length * 0.95)
    }
    expect(aggregated).toBeGreaterThan(10)
  })

  it('keeps the time interval half-open to the millisecond, whichever plan reads it', () => {
    const t = Date.UTC(2016, 2, 1, 12, 0)
    const offsets = [-60_001, -1, 0, 1, 29_999, 30_000, 59_999, 60_000, 60_001, 120_000]
    const small = new PointIndex()
    offsets.forEach((dt, k) => small.add({ id: k, lon: 37.16 + k * 1e-4, lat: 36.2, time: t + dt, audience: 0 }))
    small.add({ id: 99, lon: 37.16, lat: 36.2, time: NaN, audience: 0 })
    small.rebuild()
    const ids = (options: Partial<PointTileOptions>) => (decodeTile(small.tile(8, 154, 100, { canSee: () => true, ...options })).incidents?.features ?? []).map((f) => f.id)
    for (const plan of ['index', 'time', 'scan'] as const) {
      for (const [from, to] of [[t, t + 30_000], [t - 1, t + 60_000], [t + 1, t + 60_001], [t + 59_999, t + 59_999]] as const) {
        const want = offsets.flatMap((dt, k) => (t + dt >= from && t + dt < to ? [k] : []))
        expect(ids({ from, to, plan }), `${plan} ${from - t}…${to - t}`).toEqual(want)
      }
      expect(ids({ to: t, plan })).toEqual([0, 1])
      expect(ids({ plan })).toHaveLength(11) // no interval: unknown times too
    }
  })

  it('asks canSee once per audience per request', () => {
    const asked: number[] = []
    index.tile(0, 0, 0, { canSee: (a) => (asked.push(a), true) })
    expect(asked.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 300])
  })

  it('gives an empty tile where nothing is visible, and the time of each point when asked', () => {
    expect(index.tile(3, 1, 1, { canSee: () => false })).toHaveLength(0)
    const c = POINTS[5]!
    const [px, py] = lonLatToTile(c.lon, c.lat, 18, 0, 0, 1)
    const features = decodeTile(index.tile(18, Math.floor(px), Math.floor(py), { canSee: () => true, timeProperty: 'time' })).incidents!.features
    const mine = features.find((f) => f.id === c.id)!
    expect(mine.properties.time).toBe(Number.isNaN(c.time) ? undefined : c.time)
  })

  it('refuses bad points and bad tiles', () => {
    const i = new PointIndex()
    expect(() => i.add({ id: -1, lon: 0, lat: 0, time: 0, audience: 0 })).toThrow(RangeError)
    expect(() => i.add({ id: 1.5, lon: 0, lat: 0, time: 0, audience: 0 })).toThrow(RangeError)
    expect(() => i.add({ id: 1, lon: 0, lat: 91, time: 0, audience: 0 })).toThrow(RangeError)
    expect(() => i.add({ id: 1, lon: NaN, lat: 0, time: 0, audience: 0 })).toThrow(RangeError)
    expect(() => i.add({ id: 1, lon: 0, lat: 0, time: Infinity, audience: 0 })).toThrow(RangeError)
    expect(() => i.add({ id: 1, lon: 0, lat: 0, time: 0, audience: 70_000 })).toThrow(RangeError)
    expect(() => i.tile(1, 2, 0, { canSee: () => true })).toThrow(RangeError)
    expect(() => i.tile(1, 0, 0, { canSee: () => true, buffer: -1 })).toThrow(RangeError)
  })
})

describe('PointIndex additions', () => {
  it('sees points added after a build, before and after the rebuild that merges them', () => {
    const whole = buildIndex(POINTS)
    const growing = buildIndex(POINTS.slice(0, 20_000))
    for (const p of POINTS.slice(20_000)) growing.add(p)
    expect(growing.pending).toBe(10_000)
    expect(growing.size).toBe(POINTS.length)
    const cases = randomCases(POINTS, 80, 11)
    const before = cases.map((c) => growing.tile(c.z, c.x, c.y, c.options))
    growing.rebuild()
    expect(growing.pending).toBe(0)
    cases.forEach((c, k) => {
      const ids = (t: Uint8Array) => (decodeTile(t).incidents?.features ?? []).map((f) => f.id!).sort((a, b) => a - b)
      const after = growing.tile(c.z, c.x, c.y, c.options)
      expect(ids(before[k]!)).toEqual(ids(after))
      // merged in order, the rebuilt index is the same as one built all at once
      expect(Buffer.from(after).equals(Buffer.from(whole.tile(c.z, c.x, c.y, c.options)))).toBe(true)
    })
    expect(growing.memoryBytes()).toBeGreaterThan(POINTS.length * 32)
  })
})
