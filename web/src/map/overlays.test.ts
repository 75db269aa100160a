// The map overlay's pure parts: a site's radius drawn as a circle of the right size, a shape being
// drawn as the map shows it, drawn and stored shapes as GeoJSON, and claimants' colours.
import { describe, expect, it } from 'vitest'
import type { GeoFeature } from '../api.ts'
import { circlePolygon, claimantColour, CLAIMANT_PALETTE, destination, drawData, editableShape, featureBounds, mapData, shapeGeometry } from './overlays.ts'

/** Great-circle distance in metres (haversine), to check the circle against. */
function metres([lon1, lat1]: number[], [lon2, lat2]: number[]): number {
  const rad = Math.PI / 180
  const a = Math.sin(((lat2! - lat1!) * rad) / 2) ** 2 + Math.cos(lat1! * rad) * Math.cos(lat2! * rad) * Math.sin(((lon2! - lon1!) * rad) / 2) ** 2
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a))
}

const feature = (geometry: GeoFeature['geometry'], radiusM: number | null = null): GeoFeature => ({
  type: 'Feature', id: 'f1', geometry,
  properties: {
    id: 'f1', layer: 'l', kind: radiusM === null ? 'control' : 'site', externalId: null, name: {}, properties: {}, validFrom: null, validTo: null,
    claimantPartyId: 'p1', actorId: null, confidence: null, zoneKind: null, bufferM: null, accessStatus: null, population: null, criteria: null,
    siteKind: radiusM === null ? null : 'hospital', radiusM, source: '', visibility: 'parties', replaces: null, retracted: null, createdAt: '2016-01-01T00:00:00Z',
  },
})

describe('the map overlay', () => {
  it('puts every point of a site\'s circle at its radius, and closes the ring', () => {
    const centre = [36.72, 34.73]
    const circle = circlePolygon(centre, 2500, 36)
    const ring = circle.coordinates[0]!
    expect(ring).toHaveLength(37)
    expect(ring[0]).toEqual(ring[36])
    for (const p of ring) expect(metres(centre, p)).toBeCloseTo(2500, 0)
    expect(destination([179.99, 0], 90, 5000)[0]).toBeLessThan(-179)
  })

  it('draws a site with a radius as its point and its circle, one without as its point', () => {
    expect(mapData([feature({ type: 'Point', coordinates: [36, 35] }, 300)]).features.map((f) => [f.geometry.type, f.properties.role]))
      .toEqual([['Point', 'feature'], ['Polygon', 'radius']])
    expect(mapData([feature({ type: 'Point', coordinates: [36, 35] }, 0)]).features).toHaveLength(1)
  })

  it('shows a polygon being drawn with its rubber band back to the first vertex, and its vertices numbered', () => {
    const data = drawData('polygon', [[0, 0], [1, 0], [1, 1]], [0.5, 1.5], 0)
    expect(data.features.map((f) => f.properties?.role)).toEqual(['shape', 'rubber', 'vertex', 'vertex', 'vertex'])
    expect(data.features[1]!.geometry).toEqual({ type: 'LineString', coordinates: [[1, 1], [0.5, 1.5], [0, 0]] })
    expect(data.features.filter((f) => f.properties?.role === 'vertex').map((f) => f.properties?.index)).toEqual([0, 1, 2])
    expect(drawData('line', [[0, 0]], null, 0).features.map((f) => f.properties?.role)).toEqual(['vertex'])
  })

  it('turns drawn vertices into GeoJSON, and a stored shape back into vertices when it can be moved vertex by vertex', () => {
    const square = shapeGeometry('polygon', [[0, 0], [1, 0], [1, 1], [0, 1]])
    expect(square).toEqual({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] })
    if (square.type !== 'Polygon') throw new Error('a polygon was drawn')
    expect(editableShape(square)).toEqual({ shape: 'polygon', vertices: [[0, 0], [1, 0], [1, 1], [0, 1]] })
    expect(editableShape({ type: 'Point', coordinates: [3, 4] })).toEqual({ shape: 'point', vertices: [[3, 4]] })
    const holed = { type: 'Polygon' as const, coordinates: [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[1, 1], [2, 1], [2, 2], [1, 1]]] }
    expect(editableShape(holed)).toBeNull()
    expect(editableShape({ type: 'MultiPolygon', coordinates: [square.coordinates] })).toBeNull()
  })

  it('gives a party the same colour wherever it is listed, and one to a party it does not know', () => {
    const parties = ['ru', 'tr', 'us']
    expect(claimantColour('tr', parties)).toBe(CLAIMANT_PALETTE[1])
    expect(claimantColour('tr', parties)).not.toBe(claimantColour('us', parties))
    expect(claimantColour('unknown', parties)).toBe(CLAIMANT_PALETTE[3])
  })

  it('frames features by their bounds', () => {
    expect(featureBounds([feature({ type: 'Polygon', coordinates: [[[36, 35], [37, 35], [37, 36.5], [36, 35]]] }), feature({ type: 'Point', coordinates: [38, 34] })]))
      .toEqual([[36, 34], [38, 36.5]])
    expect(featureBounds([])).toBeNull()
  })
})
