// Distances and representative places: points, areas and observer sectors as a point and a radius.
import { describe, expect, it } from 'vitest'
import { destinationPoint, greatCircleM, placeOfWhere } from './place.ts'

describe('place', () => {
  it('measures great-circle distances', () => {
    // Damascus to Aleppo, about 310 km.
    expect(greatCircleM(36.29, 33.51, 37.16, 36.2) / 1000).toBeCloseTo(310, -1)
    expect(greatCircleM(179.9, 0, -179.9, 0)).toBeCloseTo(22_239, -2)
  })

  it('goes a distance along a bearing', () => {
    const [lon, lat] = destinationPoint(37, 36, 90, 10_000)
    expect(greatCircleM(37, 36, lon, lat)).toBeCloseTo(10_000, 0)
    expect(lat).toBeCloseTo(36, 2)
  })

  it('takes a point as itself, an area by its box centre and farthest vertex', () => {
    expect(placeOfWhere({ kind: 'point', lon: 37, lat: 36, precision: 1 })).toEqual({ lon: 37, lat: 36, radiusM: 0 })
    const area = placeOfWhere({ kind: 'area', precision: 3, geometry: { type: 'Polygon', coordinates: [[[37, 36], [37.2, 36], [37.2, 36.2], [37, 36.2], [37, 36]]] } })
    expect(area.lon).toBeCloseTo(37.1, 6)
    expect(area.lat).toBeCloseTo(36.1, 6)
    expect(area.radiusM).toBeCloseTo(Math.max(...[[37, 36], [37.2, 36], [37.2, 36.2], [37, 36.2]].map(([x, y]) => greatCircleM(37.1, 36.1, x!, y!))), 6)
  })

  it('takes a sector by the middle of its arc, never the observer', () => {
    const s = placeOfWhere({ kind: 'sector', lon: 37.8, lat: 48, bearing: 'N', minDistanceM: 5000, maxDistanceM: 7000, precision: 2 })
    expect(greatCircleM(37.8, 48, s.lon, s.lat)).toBeCloseTo(6000, 0)
    expect(s.lat).toBeGreaterThan(48)
    // It covers the sector's far corners (±11.25° at 7 km: about 1.7 km from the middle).
    expect(s.radiusM).toBeGreaterThan(1300)
    expect(s.radiusM).toBeLessThan(2000)
    const east = placeOfWhere({ kind: 'sector', lon: 37.8, lat: 48, bearing: 90, spread: 180, minDistanceM: 0, maxDistanceM: 1000, precision: 1 })
    expect(east.radiusM).toBeGreaterThanOrEqual(1000)
  })
})
