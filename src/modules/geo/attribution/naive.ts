// The reference the engine is tested against: ST_Covers(area, point) written the plain way, every
// edge of every ring for every point, straight from PostGIS's point_in_polygon logic (stored box
// rounded to single precision, then exterior and holes in order, winding number per ring). With
// `exact`, the side of an edge comes from BigInt arithmetic on the coordinates scaled by 2^60,
// independent of the engine's filtered predicate (so it takes only coordinates that are 0 or at
// least 2^-8 in magnitude, as all test data is).
import type { MultiPolygon, Polygon, Position } from 'geojson'
import type { Predicate } from './attribution.types.ts'
import { floatDown, floatUp } from './predicates.ts'

const SCALE = 2 ** 60

function scaled(v: number): bigint {
  const s = v * SCALE
  if (!Number.isInteger(s)) throw new Error(`the naive reference cannot take ${v} exactly`)
  return BigInt(s)
}

function side(predicate: Predicate, a: Position, b: Position, x: number, y: number): number {
  if (predicate === 'postgis') return (b[0]! - a[0]!) * (y - a[1]!) - (x - a[0]!) * (b[1]! - a[1]!)
  const [ax, ay, bx, by, px, py] = [a[0]!, a[1]!, b[0]!, b[1]!, x, y].map(scaled) as [bigint, bigint, bigint, bigint, bigint, bigint]
  const s = (bx - ax) * (py - ay) - (px - ax) * (by - ay)
  return s > 0n ? 1 : s < 0n ? -1 : 0
}

/** -1 outside the ring, 0 on it, 1 inside (winding number not 0). */
function inRing(predicate: Predicate, ring: Position[], x: number, y: number): -1 | 0 | 1 {
  let wn = 0
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i]!, b = ring[i + 1]!
    if (a[0] === b[0] && a[1] === b[1]) continue
    const s = side(predicate, a, b, x, y)
    if (s === 0 && x >= Math.min(a[0]!, b[0]!) && x <= Math.max(a[0]!, b[0]!) && y >= Math.min(a[1]!, b[1]!) && y <= Math.max(a[1]!, b[1]!)) return 0
    if (a[1]! <= y && y < b[1]! && s > 0) wn++
    else if (b[1]! <= y && y < a[1]! && s < 0) wn--
  }
  return wn === 0 ? -1 : 1
}

/** Whether the polygon or multipolygon covers (x, y), decided the slow way. */
export function naiveCovers(geometry: Polygon | MultiPolygon, x: number, y: number, predicate: Predicate = 'postgis'): boolean {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  if (!Number.isFinite(x) || !Number.isFinite(y)) return false
  if (predicate === 'postgis') {
    const all = polygons.flat(2)
    if (all.length === 0) return false
    const xs = all.map((p) => p[0]!), ys = all.map((p) => p[1]!)
    if (x < floatDown(Math.min(...xs)) || x > floatUp(Math.max(...xs)) || y < floatDown(Math.min(...ys)) || y > floatUp(Math.max(...ys))) return false
  }
  for (const rings of polygons) {
    if (rings.length === 0) continue
    const shell = inRing(predicate, rings[0]!, x, y)
    if (shell === -1) continue
    if (shell === 0) return true
    let result = true
    for (const hole of rings.slice(1)) {
      const h = inRing(predicate, hole, x, y)
      if (h === 1) { result = false; break }
      if (h === 0) return true
    }
    if (result) return true
  }
  return false
}
