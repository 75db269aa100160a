// Synthetic areas of control and points for the attribution tests and benchmark: seeded, so a run
// can be repeated; plausible in shape (jittered star polygons of a given size in kilometres, some
// with holes, some in several parts) and with points deliberately on vertices and edges.
import type { MultiPolygon, Polygon, Position } from 'geojson'

const KM_PER_DEGREE = 111.32

/**
 * A seeded pseudo-random generator of floats in [0, 1) (the SplitMix32 mix of a Weyl sequence).
 *
 * @example
 * const random = seeded(7); random() // the same number every run
 */
export function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x9e3779b9) >>> 0
    let z = state
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296
  }
}

/**
 * A closed, counter-clockwise star-shaped ring around (lon, lat): `vertices` points at increasing
 * angles, each at a radius between `inner` and `outer` km (longitude scaled by the latitude).
 */
export function starRing(random: () => number, lon: number, lat: number, inner: number, outer: number, vertices: number): Position[] {
  const kx = 1 / (KM_PER_DEGREE * Math.cos((lat * Math.PI) / 180))
  const ky = 1 / KM_PER_DEGREE
  const ring: Position[] = []
  for (let i = 0; i < vertices; i++) {
    const angle = ((i + 0.1 + 0.8 * random()) / vertices) * 2 * Math.PI
    const r = inner + (outer - inner) * random()
    ring.push([lon + Math.cos(angle) * r * kx, lat + Math.sin(angle) * r * ky])
  }
  ring.push([ring[0]![0]!, ring[0]![1]!])
  return ring
}

/** Reverses a ring's direction (holes run clockwise, as GeoJSON recommends). */
const reversed = (ring: Position[]) => [...ring].reverse()

/**
 * A control area of about `sizeKm` across at (lon, lat): one jittered star polygon; with
 * probability `holeChance` it has one or two holes, with `partChance` a second part beside it.
 */
export function controlArea(random: () => number, lon: number, lat: number, sizeKm: number,
  options: { holeChance?: number; partChance?: number; vertices?: [number, number] } = {}): Polygon | MultiPolygon {
  const [vMin, vMax] = options.vertices ?? [8, 48]
  const outer = sizeKm / 2
  const inner = outer * (0.45 + 0.3 * random())
  const polygon = (cx: number, cy: number): Position[][] => {
    const rings = [starRing(random, cx, cy, inner, outer, vMin + Math.floor(random() * (vMax - vMin + 1)))]
    if (random() < (options.holeChance ?? 0.15)) {
      const holes = random() < 0.7 ? 1 : 2
      for (let h = 0; h < holes; h++) {
        // Within 0.7 of the inner radius, which the shell's chords never cross with 8 or more
        // vertices, and on opposite sides, so two holes stay apart.
        const kx = 1 / (KM_PER_DEGREE * Math.cos((cy * Math.PI) / 180))
        const angle = h * Math.PI + random()
        const d = inner * 0.4
        const r = inner * 0.3
        rings.push(reversed(starRing(random, cx + Math.cos(angle) * d * kx, cy + (Math.sin(angle) * d) / KM_PER_DEGREE, r * 0.5, r, 5 + Math.floor(random() * 8))))
      }
    }
    return rings
  }
  const first = polygon(lon, lat)
  if (random() >= (options.partChance ?? 0.1)) return { type: 'Polygon', coordinates: first }
  // A second part, beside the first or overlapping it (PostGIS covers a point in either).
  const angle = random() * 2 * Math.PI
  const d = sizeKm * (0.6 + 0.8 * random())
  const second = polygon(lon + (Math.cos(angle) * d) / (KM_PER_DEGREE * Math.cos((lat * Math.PI) / 180)), lat + (Math.sin(angle) * d) / KM_PER_DEGREE)
  return { type: 'MultiPolygon', coordinates: [first, second] }
}

/** Every ring of a polygon or multipolygon. */
export function ringsOf(geometry: Polygon | MultiPolygon): Position[][] {
  return geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat()
}

/**
 * A point on the geometry's boundary: a vertex (exactly), or a point interpolated along an edge
 * (within rounding of it: these are the points where PostGIS's arithmetic decides).
 */
export function boundaryPoint(random: () => number, geometry: Polygon | MultiPolygon): [number, number] {
  const rings = ringsOf(geometry)
  const ring = rings[Math.floor(random() * rings.length)]!
  const i = Math.floor(random() * (ring.length - 1))
  const a = ring[i]!, b = ring[i + 1]!
  if (random() < 0.4) return [a[0]!, a[1]!]
  const t = random()
  return [a[0]! + t * (b[0]! - a[0]!), a[1]! + t * (b[1]! - a[1]!)]
}
