// Incident points in memory, for vector tiles of up to millions of them without the database:
// columnar typed arrays sorted by a Morton (Z-order) key of each point's Web Mercator position
// at zoom 16, so that any tile at zoom ≤ 16 is one contiguous run of keys, found by binary
// search; its buffer is a few more runs from the neighbouring tiles (and, at the world's edge,
// from across the antimeridian). A request filters those runs by time and by audience, then
// writes one MVT feature per point (id = incident id, plus the declared properties) or, when more
// than `maxPoints` pass, one feature per grid cell (4×4 pixels by default) at its points' mean
// position with their `count`. Either way a tile stays small, and the filters are applied before
// anything is counted, so a cell never counts what the party may not see.
//
// Audience: a small integer per point that the caller assigns to a class of readers (0 = public,
// one per party, one per disclosure group…); `canSee` answers, for the requesting principal,
// which classes it may read, once per class per request.
//
// Per point: x, y (Uint32, Web Mercator at 2^32 units across the world: about 1 cm), key (Uint32),
// time (Float64, epoch ms; NaN when unknown), id (Float64: integers to 2^53), audience (Uint16),
// and one Uint16 code or Float64 per declared property; then, in time order, the point's place
// in those columns, its minute, x, y and audience again: 50 bytes plus 2–8 per property. A
// time interval with fewer points than a tile's runs (a year of seven, at low zooms) is read in
// time order instead.
//
// New points go to an unsorted tail that every request scans; rebuild() radix-sorts the tail and
// merges it into the sorted columns in O(n), and a request runs it itself once the tail outgrows
// max(65,536, n/16). Nothing is ever removed: when incidents are retracted or their audience
// changes, build a new index and swap it in.
import { encodeLayers, LayerEncoder, DEFAULT_EXTENT, type PropertyValue } from './mvt.ts'
import { checkTile, DEFAULT_BUFFER, worldX, worldY } from './project.ts'

/** The zoom whose tiles are one key each: 16 bits of x and 16 of y in a 32-bit key. */
export const KEY_ZOOM = 16
const WORLD = 2 ** 32
const MAX_AUDIENCE = 0xffff
const MAX_CATEGORIES = 0xffff

/** `category`: few distinct values (kinds, sources), dictionary-coded; `number`: any number. */
export type PointPropertyKind = 'category' | 'number'

export type IncidentPoint = {
  /** The incident's id: an integer from 0 to 2^53−1, the MVT feature id. */
  id: number
  lon: number
  lat: number
  /** Epoch milliseconds (UTC); NaN when unknown, which no time filter lets through. */
  time: number
  /** Which audience may see the point, 0–65535: the caller's visibility class. */
  audience: number
  /** Values for the properties declared when the index was made; others are ignored. */
  properties?: Readonly<Record<string, PropertyValue | null | undefined>> | undefined
}

export type PointIndexOptions = {
  /** The per-point properties each tile feature carries, by name. */
  properties?: Readonly<Record<string, PointPropertyKind>> | undefined
}

export type PointTileOptions = {
  /** Only points at or after this instant (epoch ms). */
  from?: number | undefined
  /** Only points before this instant (epoch ms): the interval is half-open. */
  to?: number | undefined
  /** Whether the requesting party may see points of this audience; asked once per audience. */
  canSee: (audience: number) => boolean
  /** Tile units across the tile; 4096 by default. */
  extent?: number | undefined
  /** Tile units beyond each edge whose points are included too; 64 by default. */
  buffer?: number | undefined
  /** The MVT layer name; `incidents` by default. */
  layer?: string | undefined
  /** Above this many points the tile holds grid cells with counts instead; 4096 by default. */
  maxPoints?: number | undefined
  /** The grid cell's side in tile units when aggregating; extent/64 by default (4 pixels of a 256-pixel tile). */
  cellSize?: number | undefined
  /** When set, each point feature carries its time (epoch ms) under this property name. */
  timeProperty?: string | undefined
  /**
   * How to find the points; every plan writes the same bytes. `index` (the default) reads the
   * tile's key runs or, for a time interval holding far fewer points than those runs, the
   * points of the interval in time order; `time` always does the latter; `scan` tests every
   * point against the tile's bounds, the naive plan, kept as the baseline for benchmarks.
   */
  plan?: 'index' | 'time' | 'scan' | undefined
}

type PropertyColumn = { name: string; kind: PointPropertyKind; dictionary: PropertyValue[]; codes: Map<PropertyValue, number> }

/** The per-point arrays; `length` of them are in use. */
type Columns = {
  length: number
  x: Uint32Array
  y: Uint32Array
  key: Uint32Array
  time: Float64Array
  id: Float64Array
  audience: Uint16Array
  /** Per declared property: Uint16 codes (0 = none, k = dictionary[k−1]) or Float64 (NaN = none). */
  props: (Uint16Array | Float64Array)[]
}

/** Part of the buffered tile within one world copy: x in [x0, x1), y in [y0, y1), points shifted by `shift`. */
type Segment = { x0: number; x1: number; y0: number; y1: number; shift: number }
type Run = { lo: number; hi: number; filter: boolean }
/** The sorted columns again in time order (by minute; unknown times last), for time intervals. */
type TimeOrder = { source: Uint32Array; minute: Uint32Array; x: Uint32Array; y: Uint32Array; audience: Uint16Array }
/** Per grid cell: how many points, and the sums of their positions (for the mean). */
type Grid = { counts: Uint32Array; sumX: Float64Array; sumY: Float64Array }
/** One request's filters and frame, and how many points it has selected so far. */
type Pass = {
  grid: Grid | null
  count: number
  /** How many selected points to keep for per-point features; the rest are only counted. */
  keep: number
  visible: Uint8Array
  timed: boolean
  from: number
  to: number
  scale: number
  originX: number
  originY: number
  cellScale: number
  first: number
  side: number
}

function spread16(v: number): number {
  v &= 0xffff
  v = (v | (v << 8)) & 0x00ff00ff
  v = (v | (v << 4)) & 0x0f0f0f0f
  v = (v | (v << 2)) & 0x33333333
  return (v | (v << 1)) & 0x55555555
}

/** The Morton key of a cell at a zoom ≤ 16 (x bits even, y bits odd). */
const morton = (cx: number, cy: number) => (spread16(cx) | (spread16(cy) << 1)) >>> 0

const EMPTY_COUNTS = new Uint32Array(0)
const EMPTY_SUMS = new Float64Array(0)

const quantize = (w: number) => Math.min(WORLD - 1, Math.max(0, Math.floor(w * WORLD)))

function emptyColumns(capacity: number, props: readonly PropertyColumn[]): Columns {
  return {
    length: 0,
    x: new Uint32Array(capacity),
    y: new Uint32Array(capacity),
    key: new Uint32Array(capacity),
    time: new Float64Array(capacity),
    id: new Float64Array(capacity),
    audience: new Uint16Array(capacity),
    props: props.map((p) => (p.kind === 'category' ? new Uint16Array(capacity) : new Float64Array(capacity))),
  }
}

function grown<T extends Uint32Array | Uint16Array | Float64Array>(a: T, capacity: number): T {
  const next = new (a.constructor as new (n: number) => T)(capacity)
  next.set(a)
  return next
}

function columnBytes(c: Columns): number {
  let bytes = c.x.byteLength + c.y.byteLength + c.key.byteLength + c.time.byteLength + c.id.byteLength + c.audience.byteLength
  for (const p of c.props) bytes += p.byteLength
  return bytes
}

/**
 * Counts points lo…hi of a run that lies wholly inside the tile into the grid. Audience is a
 * weight (0 or 1), not a branch: a branch that goes either way at random costs more than the
 * arithmetic it skips.
 */
function countCells(pass: Pass, c: Columns, s: Segment, lo: number, hi: number): number {
  const { x: xs, y: ys, time: times, audience: auds } = c
  const { visible, timed, from, to, scale, originY, cellScale, first, side } = pass
  const { counts, sumX, sumY } = pass.grid!
  const shift = s.shift - pass.originX
  const gridOffset = -first / cellScale
  const last = side - 1
  let added = 0
  for (let i = lo; i < hi; i++) {
    if (timed) {
      const t = times[i]!
      if (!(t >= from && t < to)) continue
    }
    const w = visible[auds[i]!]!
    const px = (xs[i]! + shift) * scale
    const py = (ys[i]! - originY) * scale
    let cx = ((px + gridOffset) * cellScale) | 0
    let cy = ((py + gridOffset) * cellScale) | 0
    if (cx > last) cx = last
    if (cy > last) cy = last
    const cell = cy * side + cx
    counts[cell]! += w
    sumX[cell]! += px * w
    sumY[cell]! += py * w
    added += w
  }
  return added
}

/** Stable LSD radix sort of keys[0…n): the order of indices, in three passes of 11 bits. */
function sortByKey(keys: Uint32Array, n: number): Uint32Array {
  let k = keys.slice(0, n)
  let idx = new Uint32Array(n)
  for (let i = 0; i < n; i++) idx[i] = i
  let k2 = new Uint32Array(n)
  let idx2 = new Uint32Array(n)
  const counts = new Uint32Array(2048)
  for (const shift of [0, 11, 22]) {
    counts.fill(0)
    for (let i = 0; i < n; i++) counts[(k[i]! >>> shift) & 0x7ff]!++
    let sum = 0
    for (let b = 0; b < 2048; b++) {
      const c = counts[b]!
      counts[b] = sum
      sum += c
    }
    for (let i = 0; i < n; i++) {
      const key = k[i]!
      const at = counts[(key >>> shift) & 0x7ff]!++
      k2[at] = key
      idx2[at] = idx[i]!
    }
    ;[k, k2] = [k2, k]
    ;[idx, idx2] = [idx2, idx]
  }
  return idx
}

/** Epoch ms → a sortable minute: 0 before 1970, the largest for NaN (unknown times sort last). */
function minuteOf(time: number): number {
  if (Number.isNaN(time)) return 0xffffffff
  return Math.min(0xfffffffe, Math.max(0, Math.floor(time / 60_000)))
}

/** a[0…aLength) then b[0…bLength), reordered: out[k] = that concatenation[source[k]]. */
function gather<T extends Uint32Array | Uint16Array | Float64Array>(a: T, b: T, aLength: number, bLength: number, source: Uint32Array): T {
  const make = a.constructor as new (n: number) => T
  const all = new make(aLength + bLength)
  all.set(a.subarray(0, aLength))
  all.set(b.subarray(0, bLength), aLength)
  const out = new make(all.length)
  for (let k = 0; k < out.length; k++) out[k] = all[source[k]!]!
  return out
}

/** The first index in keys[0…n) whose key is ≥ value. */
function lowerBound(keys: Uint32Array, n: number, value: number): number {
  let lo = 0
  let hi = n
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (keys[mid]! < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Incident points for vector tiles, filtered per request by time and audience.
 *
 * @example
 * const index = new PointIndex({ properties: { kind: 'category' } })
 * index.add({ id: 1, lon: 37.16, lat: 36.2, time: Date.parse('2016-03-01'), audience: 0, properties: { kind: 'shelling' } })
 * const mvt = index.tile(8, 154, 100, { canSee: (audience) => audience === 0, from: Date.parse('2016-01-01') })
 */
export class PointIndex {
  private readonly properties: PropertyColumn[]
  private main: Columns
  private tail: Columns
  private readonly audiences = new Set<number>()
  private maxAudience = 0
  // scratch for the points a request selects, reused across requests (tile() is synchronous)
  private selSource = new Uint32Array(1024)
  private selX = new Float64Array(1024)
  private selY = new Float64Array(1024)
  private selSegment = new Uint8Array(1024)
  private cells: Grid | undefined
  private timeOrder: TimeOrder = { source: new Uint32Array(0), minute: new Uint32Array(0), x: new Uint32Array(0), y: new Uint32Array(0), audience: new Uint16Array(0) }

  constructor(options: PointIndexOptions = {}) {
    this.properties = Object.entries(options.properties ?? {}).map(([name, kind]) => ({ name, kind, dictionary: [], codes: new Map() }))
    this.main = emptyColumns(0, this.properties)
    this.tail = emptyColumns(1024, this.properties)
  }

  /** How many points the index holds, tail included. */
  get size(): number {
    return this.main.length + this.tail.length
  }

  /** Points added since the last rebuild, which every request scans. */
  get pending(): number {
    return this.tail.length
  }

  /** Bytes held by the columns (sorted, again in time order, and the tail at its capacity) and the request scratch. */
  memoryBytes(): number {
    const grid = this.cells ? this.cells.counts.byteLength + this.cells.sumX.byteLength + this.cells.sumY.byteLength : 0
    return columnBytes(this.main) + columnBytes(this.tail) + this.selSource.byteLength + this.selX.byteLength + this.selY.byteLength + grid
      + this.selSegment.byteLength + Object.values(this.timeOrder).reduce((sum: number, a: Uint32Array | Uint16Array) => sum + a.byteLength, 0)
  }

  /** Adds one point to the tail; it is in every tile from now on. */
  add(point: IncidentPoint): void {
    const { id, lon, lat, time, audience } = point
    if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`an incident id must be an integer from 0 to 2^53−1, got ${String(id)}`)
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || lat < -90 || lat > 90) throw new RangeError(`incident ${id}: not a position: ${String(lon)}, ${String(lat)}`)
    if (!Number.isInteger(audience) || audience < 0 || audience > MAX_AUDIENCE) throw new RangeError(`incident ${id}: audience must be an integer from 0 to ${MAX_AUDIENCE}, got ${String(audience)}`)
    if (typeof time !== 'number' || time === Infinity || time === -Infinity) throw new RangeError(`incident ${id}: time must be epoch milliseconds or NaN`)
    let t = this.tail
    if (t.length === t.x.length) t = this.tail = this.grow(t, Math.max(1024, t.length * 2))
    const i = t.length++
    const wrapped = ((((lon + 180) % 360) + 360) % 360) - 180
    const qx = quantize(worldX(wrapped))
    const qy = quantize(worldY(lat))
    t.x[i] = qx
    t.y[i] = qy
    t.key[i] = morton(qx >>> 16, qy >>> 16)
    t.time[i] = time
    t.id[i] = id
    t.audience[i] = audience
    if (!this.audiences.has(audience)) {
      this.audiences.add(audience)
      this.maxAudience = Math.max(this.maxAudience, audience)
    }
    this.properties.forEach((p, c) => {
      const v = point.properties?.[p.name]
      const column = t.props[c]!
      if (p.kind === 'number') {
        column[i] = typeof v === 'number' ? v : NaN
        return
      }
      if (v === null || v === undefined) {
        column[i] = 0
        return
      }
      let code = p.codes.get(v)
      if (code === undefined) {
        if (p.dictionary.length >= MAX_CATEGORIES) throw new RangeError(`property ${p.name} has more than ${MAX_CATEGORIES} distinct values: declare it a number, or leave it out`)
        p.dictionary.push(v)
        code = p.dictionary.length
        p.codes.set(v, code)
      }
      column[i] = code
    })
  }

  private grow(c: Columns, capacity: number): Columns {
    return {
      length: c.length,
      x: grown(c.x, capacity),
      y: grown(c.y, capacity),
      key: grown(c.key, capacity),
      time: grown(c.time, capacity),
      id: grown(c.id, capacity),
      audience: grown(c.audience, capacity),
      props: c.props.map((p) => grown(p, capacity)),
    }
  }

  /** Merges the tail into the sorted columns: a radix sort of the tail, then one linear merge. */
  rebuild(): void {
    const t = this.tail
    if (t.length === 0) return
    const m = this.main
    const order = sortByKey(t.key, t.length)
    const n = m.length + t.length
    // where each merged point comes from, in the sorted columns followed by the tail
    const source = new Uint32Array(n)
    let i = 0
    let j = 0
    for (let k = 0; k < n; k++) {
      if (j >= t.length || (i < m.length && m.key[i]! <= t.key[order[j]!]!)) source[k] = i++
      else source[k] = m.length + order[j++]!
    }
    this.main = {
      length: n,
      x: gather(m.x, t.x, m.length, t.length, source),
      y: gather(m.y, t.y, m.length, t.length, source),
      key: gather(m.key, t.key, m.length, t.length, source),
      time: gather(m.time, t.time, m.length, t.length, source),
      id: gather(m.id, t.id, m.length, t.length, source),
      audience: gather(m.audience, t.audience, m.length, t.length, source),
      props: m.props.map((p, c) => gather(p, t.props[c]!, m.length, t.length, source)),
    }
    this.tail = emptyColumns(1024, this.properties)
    const minutes = new Uint32Array(n)
    for (let k = 0; k < n; k++) minutes[k] = minuteOf(this.main.time[k]!)
    const byTime = sortByKey(minutes, n)
    const main = this.main
    this.timeOrder = {
      source: byTime,
      minute: gather(minutes, minutes, n, 0, byTime),
      x: gather(main.x, main.x, n, 0, byTime),
      y: gather(main.y, main.y, n, 0, byTime),
      audience: gather(main.audience, main.audience, n, 0, byTime),
    }
  }

  /**
   * The tile (z, x, y) as an MVT layer of the points the party may see in the time interval:
   * one feature per point (id = incident id, the declared properties) or, when there are more
   * than `maxPoints`, one per grid cell at its points' mean position, with `count`.
   */
  tile(z: number, x: number, y: number, options: PointTileOptions): Uint8Array {
    checkTile(z, x, y)
    const extent = options.extent ?? DEFAULT_EXTENT
    const buffer = options.buffer ?? DEFAULT_BUFFER
    const maxPoints = options.maxPoints ?? 4096
    const cellSize = options.cellSize ?? extent / 64
    if (!Number.isInteger(extent) || extent <= 0) throw new RangeError(`extent must be a positive integer, got ${String(extent)}`)
    if (!(buffer >= 0 && buffer <= extent)) throw new RangeError(`buffer must be from 0 to the extent, got ${String(buffer)}`)
    if (!(cellSize > 0)) throw new RangeError(`cellSize must be positive, got ${String(cellSize)}`)
    if (this.tail.length > Math.max(65_536, this.main.length / 16)) this.rebuild()

    const visible = new Uint8Array(this.maxAudience + 1)
    for (const a of this.audiences) visible[a] = options.canSee(a) ? 1 : 0
    const tileSize = 2 ** (32 - z)
    const margin = (buffer / extent) * tileSize
    const segments = this.segments(x * tileSize - margin, (x + 1) * tileSize + margin, Math.max(0, y * tileSize - margin), Math.min(WORLD, (y + 1) * tileSize + margin))
    const timed = options.from !== undefined || options.to !== undefined
    const from = options.from ?? -Infinity
    const to = options.to ?? Infinity
    const plans = options.plan === 'time' ? [] : segments.map((s) => (options.plan === 'scan' ? [{ lo: 0, hi: this.main.length, filter: true }] : this.runs(z, s, extent, buffer)))
    let candidates = 0
    for (const runs of plans) for (const r of runs) candidates += r.hi - r.lo
    // the interval's points, when reading them (with a bounds test each) beats reading the runs
    let interval: [number, number] | null = null
    if (options.plan === 'time' || (options.plan !== 'scan' && timed)) {
      const minutes = this.timeOrder.minute
      const n = this.main.length
      const lo = from === -Infinity ? 0 : lowerBound(minutes, n, minuteOf(from))
      // unknown times (the largest minute) pass no interval
      const hi = to === Infinity ? (timed ? lowerBound(minutes, n, 0xffffffff) : n) : lowerBound(minutes, n, minuteOf(to) + 1)
      if (options.plan === 'time' || 2 * Math.max(0, hi - lo) < candidates) {
        interval = [lo, Math.max(lo, hi)]
        candidates = Math.max(0, hi - lo) * segments.length
      }
    }
    candidates += this.tail.length * segments.length

    // Only when the candidates outnumber maxPoints can the tile need a grid; then one pass both
    // counts into the grid and keeps the first maxPoints + 1 points, in case filters leave few.
    const first = Math.floor(-buffer / cellSize)
    const side = Math.ceil((extent + buffer) / cellSize) - first
    const grid = candidates > maxPoints ? this.grid(side * side) : null
    const pass: Pass = {
      grid, count: 0, keep: Math.min(candidates, maxPoints + 1), visible, timed, from, to,
      scale: extent / tileSize, originX: x * tileSize, originY: y * tileSize, cellScale: 1 / cellSize, first, side,
    }
    this.reserveSelection(pass.keep)
    if (interval) pass.count = this.scanInterval(pass, interval[0], interval[1], segments)
    segments.forEach((s, k) => {
      if (!interval) for (const r of plans[k]!) pass.count = this.scan(pass, this.main, r.lo, r.hi, r.filter, s, k, 0)
      pass.count = this.scan(pass, this.tail, 0, this.tail.length, true, s, k, this.main.length)
    })
    // points found in time order go back to the runs' order, so that every plan writes the same bytes
    if (interval && pass.count <= maxPoints) this.sortSelection(pass.count)

    const layer = new LayerEncoder(options.layer ?? 'incidents', extent, 16 * Math.min(pass.count, maxPoints, side * side) + 64)
    if (pass.count > maxPoints) this.writeCells(layer, grid!, side)
    else this.writePoints(layer, pass.count, options.timeProperty)
    return encodeLayers([layer])
  }

  /**
   * One run of points through the request's filters, into the selection and the grid; returns
   * the new count. (It touches no object property after the loop: V8 would otherwise leave its
   * optimized loop on every call, for want of type feedback there, at 5× the cost.)
   */
  private scan(pass: Pass, c: Columns, lo: number, hi: number, filter: boolean, s: Segment, segment: number, sourceBase: number): number {
    const { x: xs, y: ys, time: times, audience: auds } = c
    const { visible, timed, from, to, scale, originY, cellScale, first, side, keep, grid } = pass
    const shift = s.shift - pass.originX
    const { x0, x1, y0, y1 } = s
    const selSource = this.selSource
    const selX = this.selX
    const selY = this.selY
    const selSegment = this.selSegment
    const counts = grid ? grid.counts : EMPTY_COUNTS
    const sumX = grid ? grid.sumX : EMPTY_SUMS
    const sumY = grid ? grid.sumY : EMPTY_SUMS
    const last = side - 1
    const gridOffset = -first / cellScale
    let count = pass.count
    for (let i = lo; i < hi; i++) {
      if (filter) {
        const qx = xs[i]!
        if (qx < x0 || qx >= x1) continue
        const qy = ys[i]!
        if (qy < y0 || qy >= y1) continue
      }
      if (timed) {
        const t = times[i]!
        if (!(t >= from && t < to)) continue
      }
      if (visible[auds[i]!] !== 1) continue
      const px = (xs[i]! + shift) * scale
      const py = (ys[i]! - originY) * scale
      if (count < keep) {
        selSource[count] = sourceBase + i
        selSegment[count] = segment
        selX[count] = px
        selY[count] = py
      }
      count++
      if (grid) {
        // truncation of a non-negative number is floor, and gives V8 an integer index
        let cx = ((px + gridOffset) * cellScale) | 0
        let cy = ((py + gridOffset) * cellScale) | 0
        // clamped against rounding at the buffer's far edge
        if (cx > last) cx = last
        if (cy > last) cy = last
        const cell = cy * side + cx
        counts[cell]!++
        sumX[cell]! += px
        sumY[cell]! += py
        if (count >= keep && !filter) {
          // the selection is full, so this tile is cells: the rest only needs counting
          return count + countCells(pass, c, s, i + 1, hi)
        }
      }
    }
    return count
  }

  private reserveSelection(size: number): void {
    if (size <= this.selSource.length) return
    let capacity = this.selSource.length
    while (capacity < size) capacity *= 2
    this.selSource = new Uint32Array(capacity)
    this.selSegment = new Uint8Array(capacity)
    this.selX = new Float64Array(capacity)
    this.selY = new Float64Array(capacity)
  }

  /**
   * The sorted columns' points lo…hi in time order (the minutes that hold the interval) through
   * the request's filters, each tested against every segment; returns the new count. Only the
   * points of the interval's first and last minutes need their exact time read.
   */
  private scanInterval(pass: Pass, lo: number, hi: number, segments: readonly Segment[]): number {
    const { source, minute, x: xs, y: ys, audience: auds } = this.timeOrder
    const times = this.main.time
    const { visible, timed, from, to, scale, originX, originY, cellScale, first, side, keep, grid } = pass
    const n = this.main.length
    // points past the first minute and before the last are inside the interval
    const sure0 = timed && from !== -Infinity ? lowerBound(minute, n, minuteOf(from) + 1) : lo
    const sure1 = timed && to !== Infinity ? lowerBound(minute, n, minuteOf(to)) : hi
    const gridOffset = -first / cellScale
    const last = side - 1
    let count = pass.count
    for (let k = lo; k < hi; k++) {
      if (visible[auds[k]!] !== 1) continue
      if (k < sure0 || k >= sure1) {
        const t = times[source[k]!]!
        if (!(t >= from && t < to)) continue
      }
      const qx = xs[k]!
      const qy = ys[k]!
      for (let g = 0; g < segments.length; g++) {
        const s = segments[g]!
        if (qx < s.x0 || qx >= s.x1 || qy < s.y0 || qy >= s.y1) continue
        const px = (qx + s.shift - originX) * scale
        const py = (qy - originY) * scale
        if (count < keep) {
          this.selSource[count] = source[k]!
          this.selSegment[count] = g
          this.selX[count] = px
          this.selY[count] = py
        }
        count++
        if (grid) {
          let cx = ((px + gridOffset) * cellScale) | 0
          let cy = ((py + gridOffset) * cellScale) | 0
          if (cx > last) cx = last
          if (cy > last) cy = last
          const cell = cy * side + cx
          grid.counts[cell]!++
          grid.sumX[cell]! += px
          grid.sumY[cell]! += py
        }
      }
    }
    return count
  }

  /** Orders the selection as the key runs would have found it: by segment, then sorted position. */
  private sortSelection(count: number): void {
    const order = Array.from({ length: count }, (_, k) => k)
    const source = this.selSource
    const segment = this.selSegment
    order.sort((a, b) => segment[a]! - segment[b]! || source[a]! - source[b]!)
    const pick = <T extends Uint32Array | Uint8Array | Float64Array>(a: T) => {
      const copy = a.slice(0, count)
      order.forEach((src, dst) => (a[dst] = copy[src]!))
    }
    pick(this.selSource)
    pick(this.selSegment)
    pick(this.selX)
    pick(this.selY)
  }

  /** The grid scratch, zeroed, with room for `cells` cells. */
  private grid(cells: number): Grid {
    if (!this.cells || this.cells.counts.length < cells) {
      this.cells = { counts: new Uint32Array(cells), sumX: new Float64Array(cells), sumY: new Float64Array(cells) }
    } else {
      this.cells.counts.fill(0, 0, cells)
      this.cells.sumX.fill(0, 0, cells)
      this.cells.sumY.fill(0, 0, cells)
    }
    return this.cells
  }

  /** The buffered tile [x0, x1) × [y0, y1) in world units, cut into the world copies it spans. */
  private segments(x0: number, x1: number, y0: number, y1: number): Segment[] {
    const out: Segment[] = []
    for (const k of [0, -1, 1]) {
      // points of the copy k worlds over are at x + k·WORLD in the tile's frame
      const a = Math.max(0, x0 - k * WORLD)
      const b = Math.min(WORLD, x1 - k * WORLD)
      if (a < b) out.push({ x0: a, x1: b, y0, y1, shift: k * WORLD })
    }
    return out
  }

  /**
   * The runs of sorted points that hold a segment: quadtree cells from the tile's zoom down to
   * where a cell is no wider than the buffer (at most zoom 16); cells wholly inside are taken
   * as they are, cells across the edge are filtered point by point.
   */
  private runs(z: number, s: Segment, extent: number, buffer: number): Run[] {
    const keys = this.main.key
    const n = this.main.length
    const start = Math.min(z, KEY_ZOOM)
    const depth = buffer > 0 ? Math.min(8, Math.ceil(Math.log2(extent / buffer))) : 0
    const deepest = Math.min(KEY_ZOOM, Math.max(start, z + depth))
    const cells: [inside: number, keyLo: number, keyHi: number][] = []
    const visit = (level: number, cx: number, cy: number) => {
      const size = 2 ** (32 - level)
      const ax = cx * size
      const ay = cy * size
      if (ax >= s.x1 || ax + size <= s.x0 || ay >= s.y1 || ay + size <= s.y0) return
      const inside = ax >= s.x0 && ax + size <= s.x1 && ay >= s.y0 && ay + size <= s.y1
      if (inside || level >= deepest) {
        const span = 4 ** (KEY_ZOOM - level)
        const lo = morton(cx, cy) * span
        cells.push([inside ? 1 : 0, lo, lo + span])
        return
      }
      visit(level + 1, 2 * cx, 2 * cy)
      visit(level + 1, 2 * cx + 1, 2 * cy)
      visit(level + 1, 2 * cx, 2 * cy + 1)
      visit(level + 1, 2 * cx + 1, 2 * cy + 1)
    }
    const size = 2 ** (32 - start)
    for (let cy = Math.floor(s.y0 / size); cy * size < s.y1; cy++) {
      for (let cx = Math.floor(s.x0 / size); cx * size < s.x1; cx++) visit(start, cx, cy)
    }
    cells.sort((a, b) => a[1] - b[1])
    const runs: Run[] = []
    for (const [inside, keyLo, keyHi] of cells) {
      const last = runs[runs.length - 1]
      const lo = lowerBound(keys, n, keyLo)
      const hi = keyHi >= WORLD ? n : lowerBound(keys, n, keyHi)
      if (lo === hi) continue
      const filter = inside === 0
      if (last && last.hi === lo && last.filter === filter) last.hi = hi
      else runs.push({ lo, hi, filter })
    }
    return runs
  }

  private columnsOf(source: number): [Columns, number] {
    return source < this.main.length ? [this.main, source] : [this.tail, source - this.main.length]
  }

  private writePoints(layer: LayerEncoder, count: number, timeProperty: string | undefined): void {
    const props = this.properties
    const keyIndex = props.map((p) => layer.key(p.name))
    const timeKey = timeProperty === undefined ? -1 : layer.key(timeProperty)
    // a category's value index in this layer's table, by code; −1 until first used
    const valueIndex = props.map((p) => (p.kind === 'category' ? new Int32Array(p.dictionary.length + 1).fill(-1) : null))
    const tags = new Uint32Array(2 * props.length + 2)
    for (let s = 0; s < count; s++) {
      const [c, i] = this.columnsOf(this.selSource[s]!)
      let tagCount = 0
      for (let p = 0; p < props.length; p++) {
        const column = c.props[p]!
        const cache = valueIndex[p]
        if (cache) {
          const code = column[i]!
          if (code === 0) continue
          let v = cache[code]!
          if (v < 0) v = cache[code] = layer.value(props[p]!.dictionary[code - 1]!)
          tags[tagCount++] = keyIndex[p]!
          tags[tagCount++] = v
        } else {
          const v = column[i]!
          if (Number.isNaN(v)) continue
          tags[tagCount++] = keyIndex[p]!
          tags[tagCount++] = layer.value(v)
        }
      }
      if (timeKey >= 0 && !Number.isNaN(c.time[i]!)) {
        tags[tagCount++] = timeKey
        tags[tagCount++] = layer.value(c.time[i]!)
      }
      layer.addPoint(c.id[i]!, Math.round(this.selX[s]!), Math.round(this.selY[s]!), tags, tagCount)
    }
  }

  /** One feature per non-empty cell of a grid aligned to the tile (so neighbours' cells line up). */
  private writeCells(layer: LayerEncoder, grid: Grid, side: number): void {
    const countKey = layer.key('count')
    const tags = new Uint32Array(2)
    tags[0] = countKey
    const { counts, sumX, sumY } = grid
    for (let cell = 0; cell < side * side; cell++) {
      const k = counts[cell]!
      if (k === 0) continue
      tags[1] = layer.value(k)
      layer.addPoint(undefined, Math.round(sumX[cell]! / k), Math.round(sumY[cell]! / k), tags, 2)
    }
  }
}
