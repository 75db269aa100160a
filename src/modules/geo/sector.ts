// Locations relative to an observer: "explosions 5–7 km north-north-west of our position" is a
// SECTOR, never a made-up point. The sector is the part of the annulus between the two distances
// that lies within the bearing's spread, computed on the WGS84 ellipsoid (Vincenty's direct
// formula), so a 7 km edge is 7 km on the ground at any latitude.
import type { Polygon } from 'geojson'

/** The 16 compass points, each the centre of a 22.5° wedge. */
export const COMPASS_POINTS = ['N', 'NNE', 'NE', 'ENE', 'E', 'ESE', 'SE', 'SSE', 'S', 'SSW', 'SW', 'WSW', 'W', 'WNW', 'NW', 'NNW'] as const
export type CompassPoint = (typeof COMPASS_POINTS)[number]

export type SectorInput = {
  lon: number
  lat: number
  /** Degrees clockwise from true north, or a compass point. */
  bearing: number | CompassPoint
  /** Half the angular width in degrees; a compass point's own wedge (±11.25°) by default, else ±5°. */
  spread?: number | undefined
  /** The distance range in metres from the observer: [min, max], min may be 0. */
  minDistance: number
  maxDistance: number
}

const A = 6378137
const F = 1 / 298.257223563
const B = A * (1 - F)
const toRad = (d: number) => (d * Math.PI) / 180
const toDeg = (r: number) => (r * 180) / Math.PI

/** The point `distance` metres from (lon, lat) along the initial azimuth `bearing` (degrees), on WGS84. */
export function destination(lon: number, lat: number, bearing: number, distance: number): [number, number] {
  if (distance === 0) return [lon, lat]
  const alpha1 = toRad(bearing)
  const sinAlpha1 = Math.sin(alpha1)
  const cosAlpha1 = Math.cos(alpha1)
  const tanU1 = (1 - F) * Math.tan(toRad(lat))
  const cosU1 = 1 / Math.sqrt(1 + tanU1 * tanU1)
  const sinU1 = tanU1 * cosU1
  const sigma1 = Math.atan2(tanU1, cosAlpha1)
  const sinAlpha = cosU1 * sinAlpha1
  const cosSqAlpha = 1 - sinAlpha * sinAlpha
  const uSq = (cosSqAlpha * (A * A - B * B)) / (B * B)
  const bigA = 1 + (uSq / 16384) * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)))
  const bigB = (uSq / 1024) * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)))
  let sigma = distance / (B * bigA)
  for (let i = 0; i < 200; i++) {
    const cos2SigmaM = Math.cos(2 * sigma1 + sigma)
    const sinSigma = Math.sin(sigma)
    const cosSigma = Math.cos(sigma)
    const deltaSigma = bigB * sinSigma * (cos2SigmaM + (bigB / 4) * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)
      - (bigB / 6) * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)))
    const next = distance / (B * bigA) + deltaSigma
    if (Math.abs(next - sigma) < 1e-12) { sigma = next; break }
    sigma = next
  }
  const cos2SigmaM = Math.cos(2 * sigma1 + sigma)
  const sinSigma = Math.sin(sigma)
  const cosSigma = Math.cos(sigma)
  const tmp = sinU1 * sinSigma - cosU1 * cosSigma * cosAlpha1
  const lat2 = Math.atan2(sinU1 * cosSigma + cosU1 * sinSigma * cosAlpha1, (1 - F) * Math.sqrt(sinAlpha * sinAlpha + tmp * tmp))
  const lambda = Math.atan2(sinSigma * sinAlpha1, cosU1 * cosSigma - sinU1 * sinSigma * cosAlpha1)
  const C = (F / 16) * cosSqAlpha * (4 + F * (4 - 3 * cosSqAlpha))
  const L = lambda - (1 - C) * F * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)))
  let lon2 = lon + toDeg(L)
  if (lon2 > 180) lon2 -= 360
  if (lon2 < -180) lon2 += 360
  return [lon2, toDeg(lat2)]
}

export class SectorError extends Error {
  readonly field: string
  constructor(field: string, message: string) {
    super(message)
    this.field = field
  }
}

/** The bearing in degrees and the default spread for a number or a compass point. */
export function bearingOf(bearing: number | CompassPoint): { degrees: number; defaultSpread: number } {
  if (typeof bearing === 'number') return { degrees: ((bearing % 360) + 360) % 360, defaultSpread: 5 }
  const i = COMPASS_POINTS.indexOf(bearing)
  if (i < 0) throw new SectorError('bearing', `"${String(bearing)}" is not one of the 16 compass points`)
  return { degrees: i * 22.5, defaultSpread: 11.25 }
}

/** Largest angular step between two vertices of an arc, in degrees. */
const ARC_STEP = 2

/**
 * The sector polygon (RFC 7946: exterior ring counter-clockwise). A spread of 180° or more is
 * the full annulus (or disc when minDistance is 0).
 */
export function sectorPolygon(input: SectorInput): Polygon {
  const { lon, lat, minDistance, maxDistance } = input
  if (!(Math.abs(lon) <= 180)) throw new SectorError('lon', 'longitude must be within ±180')
  if (!(Math.abs(lat) < 90)) throw new SectorError('lat', 'latitude must be within ±90 (poles excluded)')
  if (!(minDistance >= 0)) throw new SectorError('minDistance', 'the nearest distance must be 0 or more metres')
  if (!(maxDistance > minDistance)) throw new SectorError('maxDistance', 'the farthest distance must be greater than the nearest')
  if (maxDistance > 1_000_000) throw new SectorError('maxDistance', 'a sector reaches at most 1,000 km')
  const { degrees, defaultSpread } = bearingOf(input.bearing)
  const spread = input.spread ?? defaultSpread
  if (!(spread > 0)) throw new SectorError('spread', 'the spread must be more than 0 degrees')
  const full = spread >= 180
  const from = full ? 0 : degrees - spread
  const to = full ? 360 : degrees + spread
  const steps = Math.max(2, Math.ceil((to - from) / ARC_STEP))
  const arc = (distance: number) => Array.from({ length: steps + 1 }, (_, i) => destination(lon, lat, from + ((to - from) * i) / steps, distance))
  // Azimuths run clockwise; the outer arc clockwise then the inner arc back makes a clockwise
  // ring, so reverse it for RFC 7946's counter-clockwise exterior.
  const outer = arc(maxDistance)
  if (full) {
    outer[outer.length - 1] = outer[0]!
    const rings = [outer.reverse()]
    if (minDistance > 0) {
      const inner = arc(minDistance)
      inner[inner.length - 1] = inner[0]!
      rings.push(inner)
    }
    return { type: 'Polygon', coordinates: rings }
  }
  const inner = minDistance > 0 ? arc(minDistance).reverse() : [[lon, lat] as [number, number]]
  const ring = [...outer, ...inner, outer[0]!]
  return { type: 'Polygon', coordinates: [ring.reverse()] }
}
