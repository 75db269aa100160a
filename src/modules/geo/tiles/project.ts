// From GeoJSON (EPSG:4326) to one vector tile's coordinates: Web Mercator (EPSG:3857) scaled so
// the tile (z, x, y) spans 0…extent with y down, clipped to the tile plus a buffer (so strokes
// and symbols drawn across a tile edge are not cut), simplified in tile units (so the tolerance
// is constant on screen and coarser on the ground at low zooms), rounded to integers, with
// degenerate rings and lines dropped. The result feeds encodeTile (mvt.ts).
//
// The antimeridian: the world repeats left and right, so a tile at the world's edge gets in its
// buffer the features just across ±180° (and the single z=0 tile gets both sides in its buffers),
// and a feature drawn across the seam between two world copies is not cut off there. Edges are
// read as RFC 7946 says: straight in longitude, so an edge from 170° to −170° runs 340° west, the
// long way. A geometry that crosses the antimeridian must be cut there by its producer (as RFC
// 7946 asks); longitudes beyond ±180° are also drawn where they fall, in the next world copy.
import type { Feature, Geometry, Position } from 'geojson'
import { DEFAULT_EXTENT, type PropertyValue, type TileFeature, type TileGeometry, type TilePoint, type TileRing } from './mvt.ts'

/** The latitude where Web Mercator's square world ends; points beyond it sit on the tile edge. */
export const MAX_LATITUDE = 85.05112877980659
export const DEFAULT_BUFFER = 64
/** Douglas–Peucker tolerance in tile units (1/8 of a screen pixel at 512-pixel tiles of extent 4096). */
export const DEFAULT_TOLERANCE = 2
export const MAX_ZOOM = 30

export type TileOptions = {
  /** Tile units across the tile; 4096 by default. */
  extent?: number | undefined
  /** Tile units kept beyond each edge; 64 by default. */
  buffer?: number | undefined
  /** Douglas–Peucker tolerance in tile units; 0 keeps every vertex. */
  tolerance?: number | undefined
}

export type LonLatBounds = { west: number; south: number; east: number; north: number }

/** Throws a RangeError unless (z, x, y) names a tile: integer z in 0…30, x and y in 0…2^z−1. */
export function checkTile(z: number, x: number, y: number): void {
  const n = 2 ** z
  if (!Number.isInteger(z) || z < 0 || z > MAX_ZOOM) throw new RangeError(`zoom must be an integer from 0 to ${MAX_ZOOM}, got ${String(z)}`)
  if (!Number.isInteger(x) || x < 0 || x >= n || !Number.isInteger(y) || y < 0 || y >= n) {
    throw new RangeError(`tile ${z}/${x}/${y} is outside the ${n}×${n} grid of zoom ${z}`)
  }
}

/** Longitude → Web Mercator x in world units (0 at −180°, 1 at 180°); not wrapped. */
export const worldX = (lon: number) => lon / 360 + 0.5

/** Latitude → Web Mercator y in world units (0 at the north edge, 1 at the south), clamped. */
export function worldY(lat: number): number {
  const phi = (Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, lat)) * Math.PI) / 180
  return 0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI)
}

const tileLon = (x: number, n: number) => (x / n) * 360 - 180
const tileLat = (y: number, n: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI

/**
 * Where (lon, lat) falls in tile (z, x, y): 0…extent across the tile, y down; outside the tile
 * the values run on (negative or beyond extent).
 *
 * @example
 * lonLatToTile(0, 0, 0, 0, 0) // [2048, 2048]
 */
export function lonLatToTile(lon: number, lat: number, z: number, x: number, y: number, extent = DEFAULT_EXTENT): [number, number] {
  const n = 2 ** z
  return [(worldX(lon) * n - x) * extent, (worldY(lat) * n - y) * extent]
}

/**
 * The tile's bounds in degrees, widened by `buffer` tile units when given. West may be below
 * −180 and east above 180 at the world's edge (see tileBoxes for boxes within ±180); a tile on
 * the top or bottom row reaches the pole, since points beyond Web Mercator's edge are drawn on it.
 *
 * @example
 * tileBounds(1, 1, 0) // { west: 0, south: 0, east: 180, north: 85.0511… }
 */
export function tileBounds(z: number, x: number, y: number, options: Pick<TileOptions, 'extent' | 'buffer'> = {}): LonLatBounds {
  checkTile(z, x, y)
  const n = 2 ** z
  const margin = (options.buffer ?? 0) / (options.extent ?? DEFAULT_EXTENT)
  if (margin === 0) return { west: tileLon(x, n), south: tileLat(y + 1, n), east: tileLon(x + 1, n), north: tileLat(y, n) }
  return {
    west: tileLon(x - margin, n),
    east: tileLon(x + 1 + margin, n),
    north: y - margin <= 0 ? 90 : tileLat(y - margin, n),
    south: y + 1 + margin >= n ? -90 : tileLat(y + 1 + margin, n),
  }
}

/**
 * The tile's (buffered) bounds as one or more boxes within −180…180, for a bounding-box
 * prefilter in SQL: a tile whose buffer crosses the antimeridian gives two or three boxes.
 */
export function tileBoxes(z: number, x: number, y: number, options: Pick<TileOptions, 'extent' | 'buffer'> = {}): LonLatBounds[] {
  const b = tileBounds(z, x, y, options)
  if (b.east - b.west >= 360) return [{ ...b, west: -180, east: 180 }]
  const boxes: LonLatBounds[] = [{ ...b, west: Math.max(b.west, -180), east: Math.min(b.east, 180) }]
  if (b.west < -180) boxes.push({ ...b, west: b.west + 360, east: 180 })
  if (b.east > 180) boxes.push({ ...b, west: -180, east: b.east - 360 })
  return boxes
}

// ---------- clipping (flat rings and lines: [x0, y0, x1, y1, …]) ----------

/**
 * Clips an open ring (no closing point) to the square min…max on both axes, Sutherland–Hodgman
 * style one edge at a time. A concave ring may come back with edges along the square's sides
 * joining its parts, which fill and stroke nothing visible inside the buffer.
 */
export function clipRing(ring: readonly number[], min: number, max: number): number[] {
  let out = clipRingEdge(ring, 0, min, true)
  out = clipRingEdge(out, 0, max, false)
  out = clipRingEdge(out, 1, min, true)
  return clipRingEdge(out, 1, max, false)
}

function clipRingEdge(ring: readonly number[], axis: 0 | 1, value: number, keepAbove: boolean): number[] {
  const out: number[] = []
  const n = ring.length
  if (n < 6) return out
  const inside = (v: number) => (keepAbove ? v >= value : v <= value)
  let px = ring[n - 2]!
  let py = ring[n - 1]!
  let pIn = inside(axis === 0 ? px : py)
  for (let i = 0; i < n; i += 2) {
    const cx = ring[i]!
    const cy = ring[i + 1]!
    const cIn = inside(axis === 0 ? cx : cy)
    if (cIn !== pIn) {
      if (axis === 0) out.push(value, py + ((value - px) / (cx - px)) * (cy - py))
      else out.push(px + ((value - py) / (cy - py)) * (cx - px), value)
    }
    if (cIn) out.push(cx, cy)
    px = cx
    py = cy
    pIn = cIn
  }
  return out
}

/**
 * Clips a line to the square min…max (Liang–Barsky per segment); a line that leaves and comes
 * back becomes several lines.
 */
export function clipLine(line: readonly number[], min: number, max: number): number[][] {
  const pieces: number[][] = []
  let piece: number[] = []
  for (let i = 0; i + 3 < line.length; i += 2) {
    const x0 = line[i]!
    const y0 = line[i + 1]!
    const dx = line[i + 2]! - x0
    const dy = line[i + 3]! - y0
    let t0 = 0
    let t1 = 1
    // each edge as p·t ≤ q
    const edges: [number, number][] = [[-dx, x0 - min], [dx, max - x0], [-dy, y0 - min], [dy, max - y0]]
    let visible = true
    for (const [p, q] of edges) {
      if (p === 0) {
        if (q < 0) visible = false
      } else {
        const t = q / p
        if (p < 0) t0 = Math.max(t0, t)
        else t1 = Math.min(t1, t)
      }
    }
    if (!visible || t0 > t1) {
      if (piece.length >= 4) pieces.push(piece)
      piece = []
      continue
    }
    if (t0 > 0 || piece.length === 0) {
      if (piece.length >= 4) pieces.push(piece)
      piece = t0 > 0 ? [x0 + t0 * dx, y0 + t0 * dy] : [x0, y0]
    }
    piece.push(t1 < 1 ? x0 + t1 * dx : x0 + dx, t1 < 1 ? y0 + t1 * dy : y0 + dy)
    if (t1 < 1) {
      pieces.push(piece)
      piece = []
    }
  }
  if (piece.length >= 4) pieces.push(piece)
  return pieces
}

// ---------- simplification ----------

function segmentDistanceSq(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  let dx = bx - ax
  let dy = by - ay
  if (dx !== 0 || dy !== 0) {
    const t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)
    if (t > 1) {
      ax = bx
      ay = by
    } else if (t > 0) {
      ax += dx * t
      ay += dy * t
    }
  }
  dx = px - ax
  dy = py - ay
  return dx * dx + dy * dy
}

/** Marks in `keep` the points of pts[first…last] that Douglas–Peucker keeps (first and last excluded). */
function markKept(pts: readonly number[], first: number, last: number, sqTolerance: number, keep: Uint8Array): void {
  const stack = [first, last]
  while (stack.length) {
    const b = stack.pop()!
    const a = stack.pop()!
    let maxSq = sqTolerance
    let index = -1
    for (let i = a + 1; i < b; i++) {
      const d = segmentDistanceSq(pts[2 * i]!, pts[2 * i + 1]!, pts[2 * a]!, pts[2 * a + 1]!, pts[2 * b]!, pts[2 * b + 1]!)
      if (d > maxSq) {
        maxSq = d
        index = i
      }
    }
    if (index >= 0) {
      keep[index] = 1
      stack.push(a, index, index, b)
    }
  }
}

/**
 * Douglas–Peucker over a flat line, or over an open ring when `ring` is true. A ring that would
 * collapse (under three points) or turn inside out is kept as it was, unless its area is below
 * tolerance², when it is dropped (returned empty): at this zoom it is smaller than a pixel.
 */
export function simplify(pts: readonly number[], tolerance: number, ring = false): number[] {
  const n = pts.length / 2
  if (tolerance <= 0 || n <= (ring ? 3 : 2)) return [...pts]
  const sqTolerance = tolerance * tolerance
  if (!ring) {
    const keep = new Uint8Array(n)
    keep[0] = keep[n - 1] = 1
    markKept(pts, 0, n - 1, sqTolerance, keep)
    return pick(pts, keep)
  }
  // a ring splits at its first point and the point farthest from it, each half a line
  let far = 0
  let farSq = -1
  for (let i = 1; i < n; i++) {
    const dx = pts[2 * i]! - pts[0]!
    const dy = pts[2 * i + 1]! - pts[1]!
    if (dx * dx + dy * dy > farSq) {
      farSq = dx * dx + dy * dy
      far = i
    }
  }
  const closed = [...pts, pts[0]!, pts[1]!]
  const keep = new Uint8Array(n + 1)
  keep[0] = keep[far] = 1
  markKept(closed, 0, far, sqTolerance, keep)
  markKept(closed, far, n, sqTolerance, keep)
  const out = pick(pts, keep)
  const before = ringDoubleArea(pts)
  const after = out.length >= 6 ? ringDoubleArea(out) : 0
  if (after !== 0 && Math.sign(after) === Math.sign(before)) return out
  return Math.abs(before) / 2 < sqTolerance ? [] : [...pts]
}

function pick(pts: readonly number[], keep: Uint8Array): number[] {
  const out: number[] = []
  for (let i = 0; i < pts.length / 2; i++) if (keep[i]) out.push(pts[2 * i]!, pts[2 * i + 1]!)
  return out
}

/** Twice the signed area of a flat open ring (surveyor's formula; positive is clockwise with y down). */
export function ringDoubleArea(pts: readonly number[]): number {
  let sum = 0
  const n = pts.length
  for (let i = 0, j = n - 2; i < n; j = i, i += 2) sum += pts[j]! * pts[i + 1]! - pts[i]! * pts[j + 1]!
  return sum
}

// ---------- rounding ----------

/** Integer points with repeats dropped; for a ring also the closing point. Empty when degenerate. */
function rounded(pts: readonly number[], ring: boolean): TilePoint[] {
  const out: TilePoint[] = []
  let lx = NaN
  let ly = NaN
  for (let i = 0; i < pts.length; i += 2) {
    const x = Math.round(pts[i]!)
    const y = Math.round(pts[i + 1]!)
    if (x === lx && y === ly) continue
    out.push([x, y])
    lx = x
    ly = y
  }
  if (ring) {
    while (out.length > 1 && out[0]![0] === lx && out[0]![1] === ly) {
      out.pop()
      lx = out[out.length - 1]![0]
      ly = out[out.length - 1]![1]
    }
    if (out.length < 3) return []
    let sum = 0
    for (let i = 0, j = out.length - 1; i < out.length; j = i++) sum += out[j]![0] * out[i]![1] - out[i]![0] * out[j]![1]
    return sum === 0 ? [] : out
  }
  return out.length >= 2 ? out : []
}

// ---------- GeoJSON → tile ----------

type Frame = { n: number; x: number; y: number; extent: number; min: number; max: number; tolerance: number }

/** Projects a path to flat tile coordinates. */
function projectPath(coords: readonly Position[], frame: Frame): number[] {
  const out = new Array<number>(coords.length * 2)
  for (let i = 0; i < coords.length; i++) {
    out[2 * i] = (worldX(coords[i]![0]!) * frame.n - frame.x) * frame.extent
    out[2 * i + 1] = (worldY(coords[i]![1]!) * frame.n - frame.y) * frame.extent
  }
  return out
}

function xRange(paths: readonly number[][]): [number, number] {
  let lo = Infinity
  let hi = -Infinity
  for (const p of paths) {
    for (let i = 0; i < p.length; i += 2) {
      if (p[i]! < lo) lo = p[i]!
      if (p[i]! > hi) hi = p[i]!
    }
  }
  return [lo, hi]
}

/** The shifts (in tile units, whole worlds) that bring x-range lo…hi into the buffered tile. */
function worldCopies(lo: number, hi: number, frame: Frame): number[] {
  const world = frame.n * frame.extent
  const shifts: number[] = []
  if (!(lo <= hi)) return shifts
  const first = Math.max(-2, Math.ceil((frame.min - hi) / world))
  const last = Math.min(2, Math.floor((frame.max - lo) / world))
  for (let k = first; k <= last; k++) shifts.push(k * world)
  return shifts
}

const shifted = (pts: readonly number[], dx: number) => (dx === 0 ? pts : pts.map((v, i) => (i % 2 === 0 ? v + dx : v)))

/** Where a flat path lies against the buffered tile: wholly outside, wholly inside, or across an edge. */
function placement(pts: readonly number[], frame: Frame): 'outside' | 'inside' | 'across' {
  let x0 = Infinity
  let y0 = Infinity
  let x1 = -Infinity
  let y1 = -Infinity
  for (let i = 0; i < pts.length; i += 2) {
    const x = pts[i]!
    const y = pts[i + 1]!
    if (x < x0) x0 = x
    if (x > x1) x1 = x
    if (y < y0) y0 = y
    if (y > y1) y1 = y
  }
  if (x1 < frame.min || x0 > frame.max || y1 < frame.min || y0 > frame.max) return 'outside'
  if (x0 >= frame.min && x1 <= frame.max && y0 >= frame.min && y1 <= frame.max) return 'inside'
  return 'across'
}

function tileRing(pts: readonly number[], frame: Frame): TileRing {
  const where = placement(pts, frame)
  if (where === 'outside') return []
  const clipped = where === 'inside' ? pts : clipRing(pts, frame.min, frame.max)
  return rounded(simplify(clipped, frame.tolerance, true), true)
}

/** An open ring: GeoJSON repeats the first position at the end. */
function openRing(ring: readonly Position[]): readonly Position[] {
  const a = ring[0]
  const b = ring[ring.length - 1]
  return ring.length > 1 && a && b && a[0] === b[0] && a[1] === b[1] ? ring.slice(0, -1) : ring
}

function polygonsToTile(polygons: readonly (readonly (readonly Position[])[])[], frame: Frame): TileGeometry | null {
  const out: TileRing[][] = []
  for (const polygon of polygons) {
    if (polygon.length === 0) continue
    const exterior = projectPath(openRing(polygon[0]!), frame)
    const holes = polygon.slice(1).map((ring) => projectPath(openRing(ring), frame))
    const [lo, hi] = xRange([exterior])
    for (const dx of worldCopies(lo, hi, frame)) {
      const outer = tileRing(shifted(exterior, dx), frame)
      if (outer.length === 0) continue
      const rings: TileRing[] = [outer]
      for (const hole of holes) {
        const inner = tileRing(shifted(hole, dx), frame)
        if (inner.length) rings.push(inner)
      }
      out.push(rings)
    }
  }
  return out.length ? { type: 'Polygon', polygons: out } : null
}

function linesToTile(lines: readonly (readonly Position[])[], frame: Frame): TileGeometry | null {
  const out: TilePoint[][] = []
  for (const line of lines) {
    const projected = projectPath(line, frame)
    const [lo, hi] = xRange([projected])
    for (const dx of worldCopies(lo, hi, frame)) {
      const pts = shifted(projected, dx)
      const where = placement(pts, frame)
      if (where === 'outside') continue
      const pieces = where === 'inside' ? [[...pts]] : clipLine(pts, frame.min, frame.max)
      for (const piece of pieces) {
        const r = rounded(simplify(piece, frame.tolerance), false)
        if (r.length) out.push(r)
      }
    }
  }
  return out.length ? { type: 'LineString', lines: out } : null
}

function pointsToTile(points: readonly Position[], frame: Frame): TileGeometry | null {
  const out: TilePoint[] = []
  for (const p of points) {
    const px = (worldX(p[0]!) * frame.n - frame.x) * frame.extent
    const py = (worldY(p[1]!) * frame.n - frame.y) * frame.extent
    if (py < frame.min || py >= frame.max) continue
    for (const dx of worldCopies(px, px, frame)) {
      const x = px + dx
      if (x >= frame.min && x < frame.max) out.push([Math.round(x), Math.round(py)])
    }
  }
  return out.length ? { type: 'Point', points: out } : null
}

function frameOf(z: number, x: number, y: number, options: TileOptions): Frame {
  checkTile(z, x, y)
  const extent = options.extent ?? DEFAULT_EXTENT
  const buffer = options.buffer ?? DEFAULT_BUFFER
  if (!Number.isInteger(extent) || extent <= 0) throw new RangeError(`extent must be a positive integer, got ${String(extent)}`)
  if (!(buffer >= 0 && buffer <= extent)) throw new RangeError(`buffer must be from 0 to the extent, got ${String(buffer)}`)
  return { n: 2 ** z, x, y, extent, min: -buffer, max: extent + buffer, tolerance: options.tolerance ?? DEFAULT_TOLERANCE }
}

/**
 * A GeoJSON geometry in tile (z, x, y): projected, clipped to the buffered tile, simplified,
 * rounded; null when nothing of it is left there. A GeometryCollection is several MVT features:
 * use tileFeatures, which splits it.
 *
 * @example
 * geometryToTile({ type: 'Point', coordinates: [36.2, 36.2] }, 6, 38, 25)
 */
export function geometryToTile(geometry: Geometry, z: number, x: number, y: number, options: TileOptions = {}): TileGeometry | null {
  const frame = frameOf(z, x, y, options)
  return toTile(geometry, frame)
}

function toTile(geometry: Geometry, frame: Frame): TileGeometry | null {
  switch (geometry.type) {
    case 'Point': return pointsToTile([geometry.coordinates], frame)
    case 'MultiPoint': return pointsToTile(geometry.coordinates, frame)
    case 'LineString': return linesToTile([geometry.coordinates], frame)
    case 'MultiLineString': return linesToTile(geometry.coordinates, frame)
    case 'Polygon': return polygonsToTile([geometry.coordinates], frame)
    case 'MultiPolygon': return polygonsToTile(geometry.coordinates, frame)
    case 'GeometryCollection': throw new TypeError('a GeometryCollection is several tile features: use tileFeatures')
  }
}

/** GeoJSON properties as MVT values: null dropped, objects and arrays as JSON text. */
function tileProperties(properties: Feature['properties']): Record<string, PropertyValue> | undefined {
  if (!properties) return undefined
  const out: Record<string, PropertyValue> = {}
  for (const [k, v] of Object.entries(properties)) {
    if (v === null || v === undefined) continue
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v
    else out[k] = JSON.stringify(v)
  }
  return out
}

/**
 * GeoJSON features as tile features for one layer of tile (z, x, y); those with nothing in the
 * buffered tile are left out. A numeric id that is a non-negative integer becomes the MVT id
 * (others cannot be one: put them in a property); a GeometryCollection becomes one feature per
 * member, sharing the id and properties.
 */
export function tileFeatures(features: Iterable<Feature>, z: number, x: number, y: number, options: TileOptions = {}): TileFeature[] {
  const frame = frameOf(z, x, y, options)
  const out: TileFeature[] = []
  for (const f of features) {
    if (!f.geometry) continue
    const id = typeof f.id === 'number' && Number.isSafeInteger(f.id) && f.id >= 0 ? f.id : undefined
    const members = f.geometry.type === 'GeometryCollection' ? f.geometry.geometries : [f.geometry]
    let properties: Record<string, PropertyValue> | undefined
    for (const member of members) {
      if (member.type === 'GeometryCollection') continue
      const geometry = toTile(member, frame)
      if (!geometry) continue
      properties ??= tileProperties(f.properties)
      out.push({ id, geometry, properties })
    }
  }
  return out
}
