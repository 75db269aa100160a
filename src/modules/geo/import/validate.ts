// Structural checks of one imported geometry, before it goes near the database: each position is 2
// or 3 finite numbers, lines have 2 positions, rings 4 and end where they start, nothing is empty,
// and longitude/latitude files stay within ±180/±90. Self-intersections, spikes and wrong ring
// orientation are not errors here: PostGIS repairs them (ST_MakeValid) and the import reports the
// repair. Also the check that a layer holds one family of geometry (points, lines or polygons).
import type { Position } from 'geojson'
import { isGeographic, isMetricWorldwide } from './crs.ts'
import { GeoImportError, type GeoImportErrorCode, type GeoImportWhere, type ImportGeometry, type ParsedFeature } from './types.ts'

export const GEOMETRY_TYPES = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'] as const

export type GeometryFamily = 'point' | 'line' | 'polygon'

const FAMILY: Record<ImportGeometry['type'], GeometryFamily> = {
  Point: 'point', MultiPoint: 'point', LineString: 'line', MultiLineString: 'line', Polygon: 'polygon', MultiPolygon: 'polygon',
}
const FAMILY_TYPES: Record<GeometryFamily, string> = {
  point: 'points (Point, MultiPoint)', line: 'lines (LineString, MultiLineString)', polygon: 'polygons (Polygon, MultiPolygon)',
}

export const geometryFamily = (type: ImportGeometry['type']): GeometryFamily => FAMILY[type]

type Where = Omit<GeoImportWhere, 'feature' | 'line' | 'element' | 'entry'>

const isArray = (v: unknown): v is unknown[] => Array.isArray(v)

/**
 * Checks a geometry's structure and returns it with 2D positions and nothing but `type` and
 * `coordinates`. Errors name the part, ring and position, and the feature when given.
 *
 * @example
 * validateGeometry({ type: 'Point', coordinates: [36.2, 33.5, 700] }, { epsg: 4326 }) // { type: 'Point', coordinates: [36.2, 33.5] }
 * validateGeometry({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1]]] }, { epsg: 4326, feature: 7 })
 * // throws ring_too_short "feature 7, ring 0: …"
 */
export function validateGeometry(value: unknown, options: { epsg: number; feature?: number }): ImportGeometry {
  const base: GeoImportWhere = options.feature === undefined ? {} : { feature: options.feature }
  const fail = (code: GeoImportErrorCode, reason: string, where: Where = {}): never => {
    throw new GeoImportError(code, reason, { ...base, ...where })
  }
  const geographic = isGeographic(options.epsg)
  const metric = isMetricWorldwide(options.epsg)
  let positions = 0
  let inDegrees = 0
  let outOfRange: { where: Where; reason: string } | undefined

  const position = (p: unknown, where: Where): Position => {
    if (!isArray(p) || p.length < 2 || p.length > 3) {
      return fail('position_invalid', `a position is 2 or 3 numbers [x, y] or [x, y, z], not ${preview(p)}`, where)
    }
    for (const n of p) {
      if (typeof n !== 'number') fail('position_invalid', `a position is made of numbers, not ${preview(p)}`, where)
      if (!Number.isFinite(n)) fail('coordinate_not_finite', `the coordinate ${n} is not a finite number`, where)
    }
    const x = p[0] as number
    const y = p[1] as number
    positions++
    if (Math.abs(x) <= 180 && Math.abs(y) <= 90) inDegrees++
    else if (geographic && !outOfRange) {
      outOfRange = { where, reason: Math.abs(x) > 180 ? `longitude ${x} is outside -180…180` : `latitude ${y} is outside -90…90` }
    }
    return [x, y]
  }
  const list = (v: unknown, what: string, where: Where): unknown[] => {
    if (!isArray(v)) return fail('geometry_invalid', `the coordinates of ${what} are an array, not ${preview(v)}`, where)
    return v
  }
  const line = (v: unknown, where: Where, alone: boolean): Position[] => {
    const ps = list(v, 'a line', where)
    if (ps.length === 0 && alone) fail('empty_geometry', 'the LineString has no positions', where)
    const out = ps.map((p, k) => position(p, { ...where, position: k }))
    if (out.length < 2) fail('line_too_short', `a line has at least 2 positions, this one ${out.length}`, where)
    return out
  }
  const ring = (v: unknown, where: Where): Position[] => {
    const ps = list(v, 'a ring', where)
    const out = ps.map((p, k) => position(p, { ...where, position: k }))
    if (out.length < 4) fail('ring_too_short', `a ring has at least 4 positions (the last equal to the first), this one ${out.length}`, where)
    const first = out[0]!
    const last = out[out.length - 1]!
    if (first[0] !== last[0] || first[1] !== last[1]) {
      fail('ring_not_closed', `the ring does not end where it starts: [${first.join(', ')}] … [${last.join(', ')}]`, where)
    }
    return out
  }
  const polygon = (v: unknown, where: Where): Position[][] => {
    const rings = list(v, 'a polygon', where)
    if (rings.length === 0) fail('empty_geometry', 'the polygon has no rings', where)
    return rings.map((r, k) => ring(r, { ...where, ring: k }))
  }
  const parts = (v: unknown, type: string): unknown[] => {
    const ps = list(v, `a ${type}`, {})
    if (ps.length === 0) fail('empty_geometry', `the ${type} has no parts`)
    return ps
  }

  if (value === null || value === undefined) fail('empty_geometry', 'the feature has no geometry')
  if (typeof value !== 'object' || isArray(value)) fail('geometry_invalid', `a geometry is an object, not ${preview(value)}`)
  const g = value as { type?: unknown; coordinates?: unknown }
  if (g.type === 'GeometryCollection') {
    fail('unsupported_geometry_type', 'a GeometryCollection cannot be imported; make each of its geometries a feature of its own')
  }
  if (!(GEOMETRY_TYPES as readonly unknown[]).includes(g.type)) {
    fail('unsupported_geometry_type', `${JSON.stringify(g.type ?? null)} is not a geometry type (${GEOMETRY_TYPES.join(', ')})`)
  }
  const c = g.coordinates
  let geometry: ImportGeometry
  switch (g.type as ImportGeometry['type']) {
    case 'Point':
      if (isArray(c) && c.length === 0) fail('empty_geometry', 'the Point has no coordinates')
      geometry = { type: 'Point', coordinates: position(c, {}) }
      break
    case 'MultiPoint':
      geometry = { type: 'MultiPoint', coordinates: parts(c, 'MultiPoint').map((p, k) => position(p, { position: k })) }
      break
    case 'LineString':
      geometry = { type: 'LineString', coordinates: line(c, {}, true) }
      break
    case 'MultiLineString':
      geometry = { type: 'MultiLineString', coordinates: parts(c, 'MultiLineString').map((l, k) => line(l, { part: k }, false)) }
      break
    case 'Polygon':
      geometry = { type: 'Polygon', coordinates: polygon(c, {}) }
      break
    case 'MultiPolygon':
      geometry = { type: 'MultiPolygon', coordinates: parts(c, 'MultiPolygon').map((p, k) => polygon(p, { part: k })) }
      break
  }
  if (outOfRange) {
    const { where, reason } = outOfRange
    fail('coordinate_out_of_range', inDegrees === 0
      ? `${reason}: none of the ${positions} positions is in degrees, so the coordinates look projected; declare the CRS`
      : `${reason} (the file's CRS is longitude/latitude in degrees)`, where)
  }
  if (metric && inDegrees === positions) {
    // Every position within ±180/±90 metres of the origin of a UTM zone or of Web Mercator: these are degrees.
    fail('crs_mismatch', `every coordinate is within ±180/±90, which looks like longitude/latitude, but the CRS is EPSG:${options.epsg} (metres); declare the CRS the coordinates are in`)
  }
  return geometry!
}

function preview(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v)
  return s.length > 60 ? `${s.slice(0, 57)}…` : s
}

/**
 * A check that each feature of a layer is of one family: the `allowed` one(s), or when none is
 * given, the family of the first feature checked. A mismatch is `geometry_type_not_allowed`
 * naming the feature.
 *
 * @example
 * const check = geometryFamilyCheck('polygon')
 * for await (const f of layer.features) check(f) // throws on the first Point or LineString
 */
export function geometryFamilyCheck(allowed?: GeometryFamily | readonly GeometryFamily[]): (feature: ParsedFeature) => void {
  let families: readonly GeometryFamily[] | undefined = allowed === undefined ? undefined : typeof allowed === 'string' ? [allowed] : allowed
  let first: ParsedFeature | undefined
  return (feature) => {
    const family = FAMILY[feature.geometry.type]
    if (!families) {
      families = [family]
      first = feature
      return
    }
    if (families.includes(family)) return
    const reason = first
      ? `a ${feature.geometry.type}, but feature ${first.index} is a ${first.geometry.type}: a layer holds one kind of geometry, here ${FAMILY_TYPES[families[0]!]}`
      : `a ${feature.geometry.type}, but this layer holds ${families.map((f) => FAMILY_TYPES[f]).join(' or ')}`
    throw new GeoImportError('geometry_type_not_allowed', reason, { feature: feature.index })
  }
}
