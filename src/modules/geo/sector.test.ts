import { describe, expect, it } from 'vitest'
import { bearingOf, destination, sectorPolygon } from './sector.ts'

const dms = (d: number, m: number, s: number) => Math.sign(d) * (Math.abs(d) + m / 60 + s / 3600)

describe('destination on WGS84', () => {
  it('reproduces Vincenty’s worked example, Flinders Peak to Buninyong', () => {
    // Vincenty (1975) / Geoscience Australia: 54,972.271 m at 306°52′05.37″ from Flinders Peak.
    const [lon, lat] = destination(dms(144, 25, 29.5244), dms(-37, 57, 3.7203), dms(306, 52, 5.37), 54972.271)
    expect(lat).toBeCloseTo(dms(-37, 39, 10.1561), 6)
    expect(lon).toBeCloseTo(dms(143, 55, 35.3839), 6)
  })

  it('moves a degree of latitude by about 110.6 km at the equator and not at all for 0 m', () => {
    expect(destination(30, 0, 0, 110_574.4)[1]).toBeCloseTo(1, 3)
    expect(destination(30, 10, 45, 0)).toEqual([30, 10])
  })
})

describe('observer sectors', () => {
  it('takes the 16 compass points as wedges of ±11.25°', () => {
    expect(bearingOf('NNW')).toEqual({ degrees: 337.5, defaultSpread: 11.25 })
    expect(bearingOf(-90).degrees).toBe(270)
    expect(() => bearingOf('NORTH' as never)).toThrow(/compass/)
  })

  it('draws "5–7 km NNW" as a closed counter-clockwise ring between the two arcs', () => {
    const p = sectorPolygon({ lon: 37.8, lat: 48.0, bearing: 'NNW', minDistance: 5000, maxDistance: 7000 })
    const ring = p.coordinates[0]!
    expect(ring[0]).toEqual(ring[ring.length - 1])
    // Shoelace: positive area means counter-clockwise in lon/lat.
    let twice = 0
    for (let i = 0; i + 1 < ring.length; i++) twice += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!
    expect(twice).toBeGreaterThan(0)
    // Every vertex is north-west-ish of the observer and 5–7 km away (flat-earth check at this scale).
    for (const [lon, lat] of ring) {
      const dx = (lon! - 37.8) * 111_320 * Math.cos((48 * Math.PI) / 180)
      const dy = (lat! - 48.0) * 111_132
      const d = Math.hypot(dx, dy)
      expect(d).toBeGreaterThan(4950)
      expect(d).toBeLessThan(7050)
      expect(dy).toBeGreaterThan(0)
      expect(dx).toBeLessThan(0)
    }
  })

  it('draws a full annulus with a hole when the spread is 180°, and a wedge from the observer when the nearest distance is 0', () => {
    const ring = sectorPolygon({ lon: 0, lat: 0, bearing: 0, spread: 180, minDistance: 1000, maxDistance: 2000 })
    expect(ring.coordinates).toHaveLength(2)
    const wedge = sectorPolygon({ lon: 10, lat: 10, bearing: 90, minDistance: 0, maxDistance: 1000 })
    expect(wedge.coordinates[0]).toContainEqual([10, 10])
  })

  it('refuses impossible sectors naming the field', () => {
    expect(() => sectorPolygon({ lon: 0, lat: 0, bearing: 0, minDistance: 10, maxDistance: 5 })).toThrow(expect.objectContaining({ field: 'maxDistance' }))
    expect(() => sectorPolygon({ lon: 0, lat: 95, bearing: 0, minDistance: 0, maxDistance: 5 })).toThrow(expect.objectContaining({ field: 'lat' }))
    expect(() => sectorPolygon({ lon: 0, lat: 0, bearing: 0, spread: 0, minDistance: 0, maxDistance: 5 })).toThrow(expect.objectContaining({ field: 'spread' }))
  })
})
