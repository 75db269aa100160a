// Place for clustering: the distance between two reports' points, and a representative point with
// a covering radius for a report's place, whether a point, an area or an observer's sector. The
// clustering compares distances with precision radii of 1 to 500 km, so a sphere is exact enough
// (the ellipsoid differs by under 0.5%).
import type { ReportWhere } from '../incidents.types.ts'

/** The mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_M = 6_371_008.8
const RAD = Math.PI / 180

/**
 * Great-circle distance in metres between two points given in degrees (haversine).
 * @example greatCircleM(36.2, 37.16, 36.2, 37.17) // ≈ 1,112
 */
export function greatCircleM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD
  const dLon = (lon2 - lon1) * RAD
  const s = Math.sin(dLat / 2)
  const t = Math.sin(dLon / 2)
  const h = s * s + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * t * t
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** The point `distanceM` from (lon, lat) along the initial bearing (degrees from north), on the sphere. */
export function destinationPoint(lon: number, lat: number, bearing: number, distanceM: number): [number, number] {
  const d = distanceM / EARTH_RADIUS_M
  const b = bearing * RAD
  const phi1 = lat * RAD
  const phi2 = Math.asin(Math.sin(phi1) * Math.cos(d) + Math.cos(phi1) * Math.sin(d) * Math.cos(b))
  const lambda = lon * RAD + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(phi1), Math.cos(d) - Math.sin(phi1) * Math.sin(phi2))
  return [((lambda / RAD + 540) % 360) - 180, phi2 / RAD]
}

const COMPASS = ['N', 'NNE', 'NE', 'ENE', 'E', 'ESE', 'SE', 'SSE', 'S', 'SSW', 'SW', 'WSW', 'W', 'WNW', 'NW', 'NNW']

export type RepresentativePlace = { lon: number; lat: number; radiusM: number }

/**
 * A report's place as a point and the radius that covers it: a point is itself (radius 0: its
 * precision gives the radius); an area is its bounding box's centre and the farthest vertex from
 * it; a sector (an observer's bearing and distance range) is the centre of its arc at mid-range and
 * the farthest of its corners, never the observer's own position.
 *
 * @example placeOfWhere({ kind: 'sector', lon: 37.8, lat: 48, bearing: 'N', minDistanceM: 5000, maxDistanceM: 7000, precision: 2 })
 * // { lon: 37.8, lat: ≈48.054, radiusM: ≈1,700 }
 */
export function placeOfWhere(where: ReportWhere): RepresentativePlace {
  switch (where.kind) {
    case 'point':
      return { lon: where.lon, lat: where.lat, radiusM: 0 }
    case 'area': {
      const points: number[][] = where.geometry.type === 'Polygon'
        ? (where.geometry.coordinates as number[][][]).flat()
        : (where.geometry.coordinates as number[][][][]).flat(2)
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity
      for (const [x = 0, y = 0] of points) {
        if (x < x0) x0 = x
        if (x > x1) x1 = x
        if (y < y0) y0 = y
        if (y > y1) y1 = y
      }
      const lon = (x0 + x1) / 2, lat = (y0 + y1) / 2
      let radiusM = 0
      for (const [x = 0, y = 0] of points) radiusM = Math.max(radiusM, greatCircleM(lon, lat, x, y))
      return { lon, lat, radiusM }
    }
    case 'sector': {
      const compass = typeof where.bearing === 'string' ? COMPASS.indexOf(where.bearing.toUpperCase()) : -1
      const bearing = typeof where.bearing === 'number' ? where.bearing : Math.max(0, compass) * 22.5
      const spread = where.spread ?? (compass >= 0 ? 11.25 : 5)
      const mid = (where.minDistanceM + where.maxDistanceM) / 2
      const [lon, lat] = destinationPoint(where.lon, where.lat, bearing, mid)
      let radiusM = 0
      // The arcs sampled every spread/4, so a wide sector (up to a full ring) is covered too.
      for (let k = 0; k <= 8; k++) {
        for (const d of [where.minDistanceM, where.maxDistanceM]) {
          const [x, y] = destinationPoint(where.lon, where.lat, bearing - spread + (spread * k) / 4, d)
          radiusM = Math.max(radiusM, greatCircleM(lon, lat, x, y))
        }
      }
      return { lon, lat, radiusM }
    }
  }
}
