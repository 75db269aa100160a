// Distances for `AreaIndex.nearest`: the nearest point of a polygon's boundary is found on a sphere,
// edges taken as great-circle arcs (as PostGIS geography does), and the distance to it is then
// measured on the WGS84 ellipsoid with Vincenty's inverse formula. Angles are radians.

export const MEAN_RADIUS = 6_371_008.8
const A = 6_378_137
const F = 1 / 298.257223563
const B = A * (1 - F)
const RAD = Math.PI / 180

export type Vec3 = [number, number, number]

export function unitVector(lon: number, lat: number): Vec3 {
  const l = lon * RAD
  const p = lat * RAD
  const c = Math.cos(p)
  return [c * Math.cos(l), c * Math.sin(l), Math.sin(p)]
}

export function toLonLat(v: Vec3): { lon: number; lat: number } {
  return { lon: Math.atan2(v[1], v[0]) / RAD, lat: Math.atan2(v[2], Math.hypot(v[0], v[1])) / RAD }
}

const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
const norm = (a: Vec3) => Math.hypot(a[0], a[1], a[2])

/** The angle between two unit vectors, accurate for small and large angles alike. */
export function angleBetween(a: Vec3, b: Vec3): number {
  return Math.atan2(norm(cross(a, b)), dot(a, b))
}

/**
 * The angular distance from p to the great-circle arc a → b (unit vectors), and the arc's nearest
 * point to p.
 */
export function arcDistance(p: Vec3, a: Vec3, b: Vec3): { angle: number; nearest: Vec3 } {
  const n = cross(a, b)
  const nn = norm(n)
  if (nn > 1e-15) {
    // p projects inside the arc when it is on b's side of the plane through a and n, and on a's
    // side of the plane through b and n.
    if (dot(cross(n, a), p) >= 0 && dot(cross(b, n), p) >= 0) {
      const k = dot(p, n) / (nn * nn)
      const q: Vec3 = [p[0] - k * n[0], p[1] - k * n[1], p[2] - k * n[2]]
      const qn = norm(q)
      if (qn > 0) {
        const nearest: Vec3 = [q[0] / qn, q[1] / qn, q[2] / qn]
        return { angle: angleBetween(p, nearest), nearest }
      }
    }
  }
  const da = angleBetween(p, a)
  const db = angleBetween(p, b)
  return da <= db ? { angle: da, nearest: a } : { angle: db, nearest: b }
}

/**
 * A lower bound on the angular distance from (lon, lat) to any point of the box, in degrees in and
 * radians out: the larger of the latitude gap and the distance to the nearest bounding meridian's
 * great circle.
 */
export function boxLowerBound(lon: number, lat: number, minLon: number, minLat: number, maxLon: number, maxLat: number): number {
  const latGap = lat < minLat ? minLat - lat : lat > maxLat ? lat - maxLat : 0
  let bound = latGap * RAD
  const gap = (d: number) => { const a = Math.abs(d) % 360; return a > 180 ? 360 - a : a }
  if (!(lon >= minLon && lon <= maxLon)) {
    const near = Math.min(gap(lon - minLon), gap(lon - maxLon))
    const far = Math.max(gap(lon - minLon), gap(lon - maxLon))
    // Every point of the box is at least `near` of longitude away; the distance to a meridian's
    // great circle is asin(cos φ · |sin Δλ|), which only grows with Δλ up to 180° − near.
    if (near < 90 && far <= 180 - near && maxLon - minLon < 180) {
      bound = Math.max(bound, Math.asin(Math.min(1, Math.cos(lat * RAD) * Math.sin(near * RAD))))
    }
  }
  return bound
}

/**
 * The geodesic distance in metres between two points on the WGS84 ellipsoid (Vincenty's inverse
 * formula; for nearly antipodal points, where it does not converge, the spherical distance).
 */
export function ellipsoidMetres(lon1: number, lat1: number, lon2: number, lat2: number): number {
  if (lon1 === lon2 && lat1 === lat2) return 0
  const L = (lon2 - lon1) * RAD
  const U1 = Math.atan((1 - F) * Math.tan(lat1 * RAD))
  const U2 = Math.atan((1 - F) * Math.tan(lat2 * RAD))
  const sinU1 = Math.sin(U1), cosU1 = Math.cos(U1), sinU2 = Math.sin(U2), cosU2 = Math.cos(U2)
  let lambda = L
  for (let i = 0; i < 200; i++) {
    const sinL = Math.sin(lambda), cosL = Math.cos(lambda)
    const sinSigma = Math.hypot(cosU2 * sinL, cosU1 * sinU2 - sinU1 * cosU2 * cosL)
    if (sinSigma === 0) return 0
    const cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosL
    const sigma = Math.atan2(sinSigma, cosSigma)
    const sinAlpha = (cosU1 * cosU2 * sinL) / sinSigma
    const cos2Alpha = 1 - sinAlpha * sinAlpha
    const cos2SigmaM = cos2Alpha === 0 ? 0 : cosSigma - (2 * sinU1 * sinU2) / cos2Alpha
    const C = (F / 16) * cos2Alpha * (4 + F * (4 - 3 * cos2Alpha))
    const next = L + (1 - C) * F * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)))
    if (Math.abs(next - lambda) < 1e-13) {
      const u2 = (cos2Alpha * (A * A - B * B)) / (B * B)
      const bigA = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)))
      const bigB = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)))
      const dSigma = bigB * sinSigma * (cos2SigmaM + (bigB / 4) * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)
        - (bigB / 6) * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)))
      return B * bigA * (sigma - dSigma)
    }
    lambda = next
  }
  return MEAN_RADIUS * angleBetween(unitVector(lon1, lat1), unitVector(lon2, lat2))
}
