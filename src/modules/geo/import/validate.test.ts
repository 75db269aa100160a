// Structural validation of one geometry: each refusal with its code and place (part, ring,
// position, feature), what is accepted as it is (self-intersections, projected coordinates in a
// projected CRS), and the check that a layer holds one family of geometry.
import { describe, expect, it } from 'vitest'
import { AppError } from '../../../lib/errors.ts'
import { GeoImportError, toAppError, type ParsedFeature } from './types.ts'
import { geometryFamilyCheck, validateGeometry } from './validate.ts'

const thrown = (f: () => unknown): GeoImportError => {
  try { f() } catch (e) { if (e instanceof GeoImportError) return e; throw e }
  throw new Error('expected a GeoImportError')
}
const check = (geometry: unknown, epsg = 4326) => validateGeometry(geometry, { epsg, feature: 4 })

const ring = [[36, 33], [37, 33], [37, 34], [36, 34], [36, 33]]
const hole = [[36.2, 33.2], [36.2, 33.8], [36.8, 33.8], [36.8, 33.2], [36.2, 33.2]]

describe('validateGeometry', () => {
  it('returns each of the six types with 2D positions and nothing but type and coordinates', () => {
    expect(check({ type: 'Point', coordinates: [36, 33, 700], bbox: [1, 2, 3, 4] })).toEqual({ type: 'Point', coordinates: [36, 33] })
    expect(check({ type: 'MultiPoint', coordinates: [[36, 33], [37, 34]] })).toEqual({ type: 'MultiPoint', coordinates: [[36, 33], [37, 34]] })
    expect(check({ type: 'LineString', coordinates: [[36, 33, 1], [37, 34, 2]] })).toEqual({ type: 'LineString', coordinates: [[36, 33], [37, 34]] })
    expect(check({ type: 'MultiLineString', coordinates: [[[36, 33], [37, 34]]] })).toEqual({ type: 'MultiLineString', coordinates: [[[36, 33], [37, 34]]] })
    expect(check({ type: 'Polygon', coordinates: [ring, hole] })).toEqual({ type: 'Polygon', coordinates: [ring, hole] })
    expect(check({ type: 'MultiPolygon', coordinates: [[ring], [hole]] })).toEqual({ type: 'MultiPolygon', coordinates: [[ring], [hole]] })
  })

  it('accepts a self-intersecting ring (a bow tie): PostGIS repairs it and the import reports the repair', () => {
    const bowTie = [[36, 33], [37, 34], [37, 33], [36, 34], [36, 33]]
    expect(check({ type: 'Polygon', coordinates: [bowTie] })).toEqual({ type: 'Polygon', coordinates: [bowTie] })
  })

  it('takes coordinates in metres when the CRS is projected', () => {
    expect(check({ type: 'Point', coordinates: [412345.5, 3712345.5] }, 32637)).toEqual({ type: 'Point', coordinates: [412345.5, 3712345.5] })
  })

  const bad: [string, unknown, string, object, RegExp][] = [
    ['a position of one number', { type: 'Point', coordinates: [36] }, 'position_invalid', {}, /2 or 3 numbers/],
    ['a position of four numbers', { type: 'LineString', coordinates: [[36, 33], [36, 33, 1, 2]] }, 'position_invalid', { position: 1 }, /2 or 3 numbers/],
    ['a position with a string', { type: 'MultiPoint', coordinates: [[36, 33], ['36', 33]] }, 'position_invalid', { position: 1 }, /made of numbers/],
    ['a position with null', { type: 'Polygon', coordinates: [ring, [[36.2, 33.2], [36.2, null], [36.8, 33.8], [36.2, 33.2]]] }, 'position_invalid', { ring: 1, position: 1 }, /numbers/],
    ['an infinite coordinate', { type: 'MultiPolygon', coordinates: [[ring], [[[36, 33], [Infinity, 33], [37, 34], [36, 33]]]] }, 'coordinate_not_finite', { part: 1, ring: 0, position: 1 }, /Infinity/],
    ['NaN', { type: 'Point', coordinates: [NaN, 33] }, 'coordinate_not_finite', {}, /NaN/],
    ['a longitude beyond 180', { type: 'LineString', coordinates: [[179, 33], [181, 33]] }, 'coordinate_out_of_range', { position: 1 }, /longitude 181 is outside -180…180 \(the file's CRS is longitude\/latitude/],
    ['a latitude beyond 90', { type: 'Point', coordinates: [36, -90.5] }, 'coordinate_out_of_range', {}, /latitude -90.5 is outside -90…90/],
    ['metres in a longitude/latitude file', { type: 'Polygon', coordinates: [[[400000, 3700000], [410000, 3700000], [410000, 3710000], [400000, 3700000]]] },
      'coordinate_out_of_range', { ring: 0, position: 0 }, /none of the 4 positions is in degrees, so the coordinates look projected; declare the CRS/],
    ['an unclosed ring', { type: 'Polygon', coordinates: [[[36, 33], [37, 33], [37, 34], [36, 34]]] }, 'ring_not_closed', { ring: 0 }, /\[36, 33\] … \[36, 34\]/],
    ['an unclosed hole', { type: 'MultiPolygon', coordinates: [[ring], [ring, hole.slice(0, 4)]] }, 'ring_not_closed', { part: 1, ring: 1 }, /does not end where it starts/],
    ['a ring of 3 positions', { type: 'Polygon', coordinates: [[[36, 33], [37, 33], [36, 33]]] }, 'ring_too_short', { ring: 0 }, /at least 4 positions.*this one 3/],
    ['an empty ring', { type: 'Polygon', coordinates: [ring, []] }, 'ring_too_short', { ring: 1 }, /this one 0/],
    ['a line of one position', { type: 'MultiLineString', coordinates: [[[36, 33], [37, 34]], [[36, 33]]] }, 'line_too_short', { part: 1 }, /at least 2 positions, this one 1/],
    ['an empty Point', { type: 'Point', coordinates: [] }, 'empty_geometry', {}, /no coordinates/],
    ['an empty LineString', { type: 'LineString', coordinates: [] }, 'empty_geometry', {}, /no positions/],
    ['a Polygon without rings', { type: 'Polygon', coordinates: [] }, 'empty_geometry', {}, /no rings/],
    ['an empty MultiPolygon', { type: 'MultiPolygon', coordinates: [] }, 'empty_geometry', {}, /no parts/],
    ['a MultiPolygon with an empty polygon', { type: 'MultiPolygon', coordinates: [[ring], []] }, 'empty_geometry', { part: 1 }, /no rings/],
    ['an empty MultiPoint', { type: 'MultiPoint', coordinates: [] }, 'empty_geometry', {}, /no parts/],
    ['a null geometry', null, 'empty_geometry', {}, /no geometry/],
    ['a GeometryCollection', { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [36, 33] }] }, 'unsupported_geometry_type', {}, /GeometryCollection/],
    ['an unknown type', { type: 'Circle', coordinates: [36, 33] }, 'unsupported_geometry_type', {}, /"Circle" is not a geometry type/],
    ['a geometry without type', { coordinates: [36, 33] }, 'unsupported_geometry_type', {}, /null is not a geometry type/],
    ['coordinates that are not an array', { type: 'Polygon', coordinates: 'POLYGON((0 0))' }, 'geometry_invalid', {}, /are an array/],
    ['a geometry that is an array', [36, 33], 'geometry_invalid', {}, /is an object/],
  ]
  it.each(bad)('refuses %s, naming the place', (_what, geometry, code, where, message) => {
    const e = thrown(() => check(geometry))
    expect([e.code, e.where]).toEqual([code, { feature: 4, ...where }])
    expect(e.message).toMatch(message)
    expect(e.message.startsWith('feature 4')).toBe(true)
  })

  it('refuses degrees in a UTM or Web Mercator file: the declared CRS is wrong', () => {
    const e = thrown(() => check({ type: 'LineString', coordinates: [[36.2, 33.5], [36.3, 33.6]] }, 32637))
    expect([e.code, e.where]).toEqual(['crs_mismatch', { feature: 4 }])
    expect(e.message).toMatch(/looks like longitude\/latitude, but the CRS is EPSG:32637 \(metres\)/)
    expect(thrown(() => check({ type: 'Point', coordinates: [36.2, 33.5] }, 3857)).code).toBe('crs_mismatch')
    // One position beyond ±180 is enough to say metres; other projected CRSes are not second-guessed.
    expect(check({ type: 'LineString', coordinates: [[36.2, 33.5], [412000, 3712000]] }, 32637).type).toBe('LineString')
    expect(check({ type: 'Point', coordinates: [36.2, 33.5] }, 2154).type).toBe('Point')
  })

  it('checks ranges only for longitude/latitude CRSes', () => {
    expect(check({ type: 'Point', coordinates: [181, 33] }, 3857)).toEqual({ type: 'Point', coordinates: [181, 33] })
    expect(thrown(() => check({ type: 'Point', coordinates: [181, 33] }, 4258)).code).toBe('coordinate_out_of_range')
  })
})

describe('geometryFamilyCheck', () => {
  const f = (index: number, type: 'Point' | 'LineString' | 'Polygon' | 'MultiPolygon'): ParsedFeature => ({
    index, properties: {},
    geometry: type === 'Point' ? { type, coordinates: [36, 33] } : type === 'LineString' ? { type, coordinates: [[36, 33], [37, 34]] }
      : type === 'Polygon' ? { type, coordinates: [ring] } : { type, coordinates: [[ring]] },
  })

  it('takes Polygon and MultiPolygon in a polygon layer and refuses a Point, naming the feature', () => {
    const check = geometryFamilyCheck('polygon')
    check(f(0, 'Polygon'))
    check(f(1, 'MultiPolygon'))
    const e = thrown(() => check(f(2, 'Point')))
    expect([e.code, e.where]).toEqual(['geometry_type_not_allowed', { feature: 2 }])
    expect(e.message).toBe('feature 2: a Point, but this layer holds polygons (Polygon, MultiPolygon)')
  })

  it('without a family, holds the rest of the file to the first feature\'s: mixed geometry types are refused', () => {
    const check = geometryFamilyCheck()
    check(f(0, 'Polygon'))
    check(f(1, 'MultiPolygon'))
    const e = thrown(() => check(f(7, 'LineString')))
    expect([e.code, e.where]).toEqual(['geometry_type_not_allowed', { feature: 7 }])
    expect(e.message).toMatch(/a LineString, but feature 0 is a Polygon: a layer holds one kind of geometry/)
  })

  it('takes several families when asked to', () => {
    const check = geometryFamilyCheck(['point', 'line'])
    check(f(0, 'Point'))
    check(f(1, 'LineString'))
    expect(thrown(() => check(f(2, 'Polygon'))).code).toBe('geometry_type_not_allowed')
  })
})

describe('toAppError', () => {
  it('answers 400 with the code, the place in the message and the feature as the detail path', () => {
    const e = toAppError(new GeoImportError('ring_not_closed', 'the ring does not end where it starts', { feature: 3, ring: 1 }))
    expect(e).toBeInstanceOf(AppError)
    expect([e.status, e.code, e.message]).toEqual([400, 'ring_not_closed', 'feature 3, ring 1: the ring does not end where it starts'])
    expect(e.details).toEqual([{ path: 'features[3]', feature: 3, ring: 1, message: 'the ring does not end where it starts' }])
  })
  it('answers 413 for a file over the limit or a ZIP bomb', () => {
    expect(toAppError(new GeoImportError('file_too_large', 'x')).status).toBe(413)
    expect(toAppError(new GeoImportError('zip_bomb', 'x', { entry: 'a.dbf' })).details).toEqual([{ entry: 'a.dbf', message: 'x' }])
  })
})
