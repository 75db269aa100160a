// Candidate lookup for the clusterer: which earlier reports could be the same event as this one,
// in a few hash lookups. Reports are kept in grids of (time bucket, latitude cell, longitude cell),
// one grid per level of precision: an exact-day, exact-place report sits in a grid of days and
// kilometres, a month-and-province report in one of months and hundreds of kilometres. Each report
// is stored once, in the cell of its centre; a lookup reads, in every grid that holds reports, the
// cells within `reach` times the two windows (and the two radii) of the query, and keeps the
// reports that are within reach themselves: the farthest a pair can be before time or place has
// ruled it out. So a lookup costs a few cells per populated level however many reports are kept,
// and it never misses a pair within reach.
import { greatCircleM } from './place.ts'
import { DAY_MS } from './similarity.ts'

/**
 * The levels' largest half-width of a time window, ms: a day, a week, a month, anything. Few
 * levels, since each populated one costs every lookup a few probes; a report in a level wider
 * than it needs only costs a cheap time-and-place comparison that rejects it.
 */
const TIME_LEVELS = [0.5, 7, 31, 3660].map((d) => d * DAY_MS)
/** The levels' largest radius, metres: an exact place, a town's surroundings, a province, anywhere. */
const SPACE_LEVELS = [1_000, 25_000, 200_000, 20_100_000]
const M_PER_DEGREE = 111_195

/** Where a report is: centre and half-width of its window, centre and radius of its place. */
export type Extent = { t: number; w: number; lon: number; lat: number; r: number }

type Cell = { x: number; y: number; items: number[] }

type Grid = {
  timeLevel: number
  spaceLevel: number
  /** The largest half-width and radius a report in this grid has. */
  maxW: number
  maxR: number
  /** The smallest (the level below's largest). */
  minW: number
  minR: number
  bucketMs: number
  cellDeg: number
  lonCells: number
  latCells: number
  /** Cells by time bucket, then by place (x * latCells + y). */
  buckets: Map<number, Map<number, Cell>>
  cells: number
  size: number
}

const levelOf = (levels: readonly number[], x: number) => {
  for (let i = 0; i < levels.length; i++) if (x <= levels[i]!) return i
  return levels.length - 1
}

/** Reports by time and place, at several precisions, for lookups within a reach. */
export class SpatialTemporalIndex {
  private readonly grids: Grid[] = []
  private readonly byLevel = new Map<number, Grid>()
  private readonly reach: number
  // Each item's extent, by item number.
  private t = new Float64Array(1024)
  private w = new Float64Array(1024)
  private lon = new Float64Array(1024)
  private lat = new Float64Array(1024)
  private r = new Float64Array(1024)

  /** `reach`: how many times the two windows (and radii) apart a pair may be and still be found. */
  constructor(reach: number) {
    this.reach = reach
  }

  /** Keeps `item` (a report's number, from 0 up) at its extent. */
  insert(item: number, e: Extent): void {
    if (item >= this.t.length) this.grow(item + 1)
    this.t[item] = e.t
    this.w[item] = e.w
    this.lon[item] = e.lon
    this.lat[item] = e.lat
    this.r[item] = e.r
    const g = this.gridFor(levelOf(TIME_LEVELS, e.w), levelOf(SPACE_LEVELS, e.r))
    const tb = Math.floor(e.t / g.bucketMs), x = lonCell(g, e.lon), y = latCell(g, e.lat)
    let bucket = g.buckets.get(tb)
    if (!bucket) g.buckets.set(tb, bucket = new Map())
    const key = x * g.latCells + y
    const cell = bucket.get(key)
    if (cell) cell.items.push(item)
    else {
      bucket.set(key, { x, y, items: [item] })
      g.cells++
    }
    g.size++
  }

  /**
   * Calls `visit` once for each item kept within reach of `e`: in time, within reach × (the two
   * half-widths); in place, within reach × (the two radii). Grids where `skip(minW, minR)` says no
   * pair can qualify are not read (minW, minR: the least half-width and radius a report there has).
   */
  query(e: Extent, visit: (item: number) => void, skip?: (minW: number, minR: number) => boolean): void {
    this.q = e
    this.visit = visit
    for (const g of this.grids) {
      if (skip?.(g.minW, g.minR)) continue
      const dt = this.reach * (e.w + g.maxW)
      const t0 = Math.floor((e.t - dt) / g.bucketMs), t1 = Math.floor((e.t + dt) / g.bucketMs)
      const rho = this.reach * (e.r + g.maxR)
      const dLat = rho / M_PER_DEGREE
      const y0 = latCell(g, e.lat - dLat), y1 = latCell(g, e.lat + dLat)
      const maxLat = Math.min(90, Math.abs(e.lat) + dLat)
      const cos = Math.cos((maxLat * Math.PI) / 180)
      const dLon = cos > 1e-6 ? rho / (M_PER_DEGREE * cos) : 360
      let xFrom: number, xCount: number
      if (dLon >= 180) {
        xFrom = 0
        xCount = g.lonCells
      } else {
        xFrom = Math.floor((e.lon - dLon + 180) / g.cellDeg)
        xCount = Math.min(g.lonCells, Math.floor((e.lon + dLon + 180) / g.cellDeg) - xFrom + 1)
      }
      const probes = xCount * (y1 - y0 + 1)
      for (let tb = t0; tb <= t1; tb++) {
        const bucket = g.buckets.get(tb)
        if (!bucket) continue
        if (probes > bucket.size) {
          // A wide query on a fine grid: fewer cells are kept than would be probed, so read them all.
          for (const cell of bucket.values()) {
            if (cell.y < y0 || cell.y > y1 || (((cell.x - xFrom) % g.lonCells) + g.lonCells) % g.lonCells >= xCount) continue
            for (const item of cell.items) this.consider(item)
          }
          continue
        }
        for (let k = 0; k < xCount; k++) {
          const x = (((xFrom + k) % g.lonCells) + g.lonCells) % g.lonCells
          for (let y = y0; y <= y1; y++) {
            const cell = bucket.get(x * g.latCells + y)
            if (cell) for (const item of cell.items) this.consider(item)
          }
        }
      }
    }
  }

  // The lookup under way: its extent and visitor (fields, so no closure is made per lookup).
  private q: Extent = { t: 0, w: 0, lon: 0, lat: 0, r: 0 }
  private visit: (item: number) => void = () => {}

  /** Visits an item if it is within reach of the lookup's extent. */
  private consider(item: number): void {
    const e = this.q
    if (Math.abs(this.t[item]! - e.t) > this.reach * (this.w[item]! + e.w)) return
    const reachM = this.reach * (this.r[item]! + e.r)
    // Equirectangular at the mean latitude first; the great circle only near the edge of reach.
    let dLon = this.lon[item]! - e.lon
    if (dLon > 180) dLon -= 360
    else if (dLon < -180) dLon += 360
    const lat = this.lat[item]!
    const dx = dLon * Math.cos(((lat + e.lat) * Math.PI) / 360) * M_PER_DEGREE, dy = (lat - e.lat) * M_PER_DEGREE
    const d2 = dx * dx + dy * dy
    if (d2 <= 0.95 * 0.95 * reachM * reachM) this.visit(item)
    else if (d2 <= 1.05 * 1.05 * reachM * reachM && greatCircleM(this.lon[item]!, lat, e.lon, e.lat) <= reachM) this.visit(item)
  }

  /** How many items each populated level holds, for diagnostics. */
  levels(): { maxWindowDays: number; maxRadiusKm: number; items: number; cells: number }[] {
    return this.grids.map((g) => ({ maxWindowDays: g.maxW / DAY_MS, maxRadiusKm: g.maxR / 1000, items: g.size, cells: g.cells }))
  }

  private grow(size: number): void {
    const n = Math.max(size, this.t.length * 2)
    const copy = (from: Float64Array) => {
      const to = new Float64Array(n)
      to.set(from)
      return to
    }
    this.t = copy(this.t)
    this.w = copy(this.w)
    this.lon = copy(this.lon)
    this.lat = copy(this.lat)
    this.r = copy(this.r)
  }

  private gridFor(timeLevel: number, spaceLevel: number): Grid {
    const id = timeLevel * SPACE_LEVELS.length + spaceLevel
    let g = this.byLevel.get(id)
    if (!g) {
      const maxW = TIME_LEVELS[timeLevel]!, maxR = SPACE_LEVELS[spaceLevel]!
      // A bucket twice a same-level pair's reach: a lookup spans two or three buckets and cells.
      const bucketMs = Math.max(3_600_000, 2 * this.reach * 2 * maxW)
      // Cells divide 360° exactly, so a range across the antimeridian wraps onto whole cells.
      const lonCells = Math.max(2, Math.ceil(360 / Math.min(180, (2 * this.reach * 2 * maxR) / M_PER_DEGREE)))
      const cellDeg = 360 / lonCells
      g = {
        timeLevel, spaceLevel, maxW, maxR,
        minW: timeLevel > 0 ? TIME_LEVELS[timeLevel - 1]! : 0,
        minR: spaceLevel > 0 ? SPACE_LEVELS[spaceLevel - 1]! : 0,
        bucketMs, cellDeg, lonCells,
        latCells: Math.ceil(180 / cellDeg) + 1,
        buckets: new Map(), cells: 0, size: 0,
      }
      this.byLevel.set(id, g)
      this.grids.push(g)
      // Finer grids first: the order of visits, and so of candidates, depends only on what is kept.
      this.grids.sort((a, b) => a.timeLevel - b.timeLevel || a.spaceLevel - b.spaceLevel)
    }
    return g
  }
}

function lonCell(g: Grid, lon: number): number {
  const x = Math.floor((lon + 180) / g.cellDeg)
  return ((x % g.lonCells) + g.lonCells) % g.lonCells
}

function latCell(g: Grid, lat: number): number {
  return Math.floor((Math.max(-90, Math.min(90, lat)) + 90) / g.cellDeg)
}
