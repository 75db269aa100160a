// The attribution engine against the naive reference (every edge, every point) on hand-made cases
// and on random polygons with holes and several parts, with points on vertices, along edges and
// anywhere; validity intervals; input errors; nearest areas.
import type { MultiPolygon, Polygon } from 'geojson'
import { describe, expect, it } from 'vitest'
import { AreaIndex } from './area-index.ts'
import { AreaInputError, type AreaInput, type Predicate } from './attribution.types.ts'
import { ellipsoidMetres } from './geodesy.ts'
import { naiveCovers } from './naive.ts'
import { boundaryPoint, controlArea, seeded } from './synthetic.ts'

const always = { validFrom: null, validTo: null }
const square: Polygon = {
  type: 'Polygon',
  coordinates: [
    [[36, 33], [37, 33], [37, 34], [36, 34], [36, 33]],
    [[36.25, 33.25], [36.25, 33.5], [36.5, 33.5], [36.5, 33.25], [36.25, 33.25]],
  ],
}

describe('AreaIndex.covering', () => {
  const index = AreaIndex.build([{ id: 'square', geometry: square, ...always }])

  it('covers the interior, the edges and the vertices, as ST_Covers does', () => {
    expect(index.covering(36.75, 33.75)).toEqual(['square'])
    expect(index.covering(36, 33)).toEqual(['square'])
    expect(index.covering(37, 33.5)).toEqual(['square'])
    expect(index.covering(36.5, 34)).toEqual(['square'])
  })

  it('covers a hole’s boundary but not its inside', () => {
    expect(index.covering(36.25, 33.25)).toEqual(['square'])
    expect(index.covering(36.375, 33.5)).toEqual(['square'])
    expect(index.covering(36.375, 33.375)).toEqual([])
  })

  it('covers nothing outside, however close', () => {
    expect(index.covering(37.000000000000014, 33.5)).toEqual([])
    expect(index.covering(35.99999999999999, 33.5)).toEqual([])
    expect(index.covering(36.5, 34.00000000000001)).toEqual([])
    expect(index.covering(10, 10)).toEqual([])
    expect(index.covering(NaN, 33.5)).toEqual([])
  })

  it('keeps an area to its half-open validity interval [validFrom, validTo)', () => {
    const from = Date.UTC(2016, 1, 27), to = Date.UTC(2016, 8, 12)
    const timed = AreaIndex.build([
      { id: 'coh', geometry: square, validFrom: from, validTo: to },
      { id: 'since', geometry: square, validFrom: from, validTo: null },
      { id: 'until', geometry: square, validFrom: null, validTo: to },
    ])
    expect(timed.covering(36.75, 33.75, from - 1)).toEqual(['until'])
    expect(timed.covering(36.75, 33.75, from)).toEqual(['coh', 'since', 'until'])
    expect(timed.covering(36.75, 33.75, to - 1)).toEqual(['coh', 'since', 'until'])
    expect(timed.covering(36.75, 33.75, to)).toEqual(['since'])
    expect(timed.covering(36.75, 33.75)).toEqual(['coh', 'since', 'until'])
  })

  it('names a multipolygon area once, even where its parts touch or overlap', () => {
    const multi: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [
        [[[36, 33], [37, 33], [37, 34], [36, 33]]],
        [[[36, 33], [37, 34], [36, 34], [36, 33]]],
        [[[36.5, 33], [38, 33], [38, 34], [36.5, 33]]],
      ],
    }
    const m = AreaIndex.build([{ id: 'm', geometry: multi, ...always }, { id: 'square', geometry: square, ...always }])
    expect(m.covering(36.5, 33.5)).toEqual(['m', 'square'])
    expect(m.covering(36.9, 33.2)).toEqual(['m', 'square'])
    expect(m.covering(37.5, 33.2)).toEqual(['m'])
    expect(m.covering(37.5, 33.9)).toEqual([])
  })
})

describe('AreaIndex.build', () => {
  const build = (geometry: unknown, extra: Partial<AreaInput> = {}) => () =>
    AreaIndex.build([{ id: 'x', geometry: geometry as Polygon, ...always, ...extra }])
  const code = (f: () => unknown) => {
    try { f() } catch (e) { if (e instanceof AreaInputError) return e.code; throw e }
    return 'no error'
  }

  it('refuses what it cannot index, saying which area and why', () => {
    expect(code(build({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] }))).toBe('unclosed_ring')
    expect(code(build({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [0, 0]]] }))).toBe('invalid_ring')
    expect(code(build({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 91], [0, 0]]] }))).toBe('invalid_position')
    expect(code(build({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, NaN], [0, 0]]] }))).toBe('invalid_position')
    expect(code(build({ type: 'Point', coordinates: [0, 0] }))).toBe('invalid_geometry')
    expect(code(build(square, { validFrom: 10, validTo: 5 }))).toBe('inverted_interval')
    expect(code(() => AreaIndex.build([{ id: 'x', geometry: square, ...always }, { id: 'x', geometry: square, ...always }]))).toBe('duplicate_id')
  })

  it('indexes an empty multipolygon, which covers nothing', () => {
    const index = AreaIndex.build([{ id: 'empty', geometry: { type: 'MultiPolygon', coordinates: [] }, ...always }, { id: 'square', geometry: square, ...always }])
    expect(index.covering(36.75, 33.75)).toEqual(['square'])
    expect(index.nearest(35, 33, undefined)?.id).toBe('square')
  })
})

/** Random areas near Aleppo, and points on their vertices, along their edges and anywhere. */
function randomCase(seed: number, areas: number, points: number) {
  const random = seeded(seed)
  const inputs: AreaInput[] = []
  for (let i = 0; i < areas; i++) {
    const lon = 36.5 + random() * 1.5, lat = 35.8 + random() * 1
    const geometry = controlArea(random, lon, lat, 5 + random() * 60, { holeChance: 0.4, partChance: 0.3, vertices: [8, 40] })
    const from = random() < 0.2 ? null : Math.floor(random() * 1000)
    const to = random() < 0.3 ? null : (from ?? 0) + Math.floor(random() * 1000)
    inputs.push({ id: `a${i}`, geometry, validFrom: from, validTo: to })
  }
  const lons = new Float64Array(points), lats = new Float64Array(points), ats = new Float64Array(points)
  for (let i = 0; i < points; i++) {
    const kind = random()
    const [x, y] = i % 997 === 0 ? [NaN, 36] : i % 991 === 0 ? [120, -40]
      : kind < 0.5 ? boundaryPoint(random, inputs[Math.floor(random() * areas)]!.geometry) : [36.3 + random() * 2, 35.6 + random() * 1.5]
    lons[i] = x
    lats[i] = y
    ats[i] = random() < 0.1 ? NaN : Math.floor(random() * 2000)
  }
  return { inputs, lons, lats, ats }
}

function naiveIds(inputs: AreaInput[], x: number, y: number, at: number, predicate: Predicate): string[] {
  return inputs.filter((a) => (at !== at || ((a.validFrom ?? -Infinity) <= at && at < (a.validTo ?? Infinity))) && naiveCovers(a.geometry, x, y, predicate)).map((a) => a.id)
}

describe('AreaIndex against the naive reference', () => {
  for (const predicate of ['postgis', 'exact'] as const) {
    it(`gives the same areas for every point (${predicate} predicate)`, () => {
      // 6,000 points are answered grouped by grid cell, 3,000 one by one (see attributeMany).
      for (const [seed, points] of [[1, 3000], [2, 3000], [3, 6000]] as const) {
        const { inputs, lons, lats, ats } = randomCase(seed, 40, points)
        const index = AreaIndex.build(inputs, { predicate })
        const bulk = index.attributeMany(lons, lats, ats)
        const wrong: string[] = []
        for (let i = 0; i < lons.length; i++) {
          const want = naiveIds(inputs, lons[i]!, lats[i]!, ats[i]!, predicate)
          const got = index.idsOf(bulk, i)
          const single = index.covering(lons[i]!, lats[i]!, ats[i]!)
          if (got.join() !== want.join() || single.join() !== want.join()) wrong.push(`${lons[i]},${lats[i]}@${ats[i]}: ${got} / ${single}, want ${want}`)
        }
        expect(wrong).toEqual([])
      }
    })
  }

  it('holds on coarse and fine grids alike', () => {
    const { inputs, lons, lats } = randomCase(9, 25, 3000)
    const want = AreaIndex.build(inputs, { cellsPerEdge: 8 }).attributeMany(lons, lats)
    for (const cellsPerEdge of [0.01, 1, 64]) {
      const got = AreaIndex.build(inputs, { cellsPerEdge }).attributeMany(lons, lats)
      expect(got.offsets).toEqual(want.offsets)
      expect(got.areaIndexes).toEqual(want.areaIndexes)
    }
  })

  it('agrees with exact arithmetic on points exactly on edges and vertices of dyadic polygons', () => {
    // Coordinates in 1/64ths, so every edge midpoint is exactly on its edge and every product exact:
    // both predicates must call each such point covered.
    const random = seeded(5)
    const q = (v: number) => Math.round(v * 64) / 64
    const inputs: AreaInput[] = []
    for (let i = 0; i < 30; i++) {
      const g = controlArea(random, 36 + random() * 2, 34 + random() * 2, 40 + random() * 80, { holeChance: 0.5, partChance: 0.3 })
      const snap = (ring: number[][]) => {
        const out = ring.map(([x, y]) => [q(x!), q(y!)])
        out[out.length - 1] = [...out[0]!]
        return out
      }
      const geometry: Polygon | MultiPolygon = g.type === 'Polygon'
        ? { type: 'Polygon', coordinates: g.coordinates.map(snap) }
        : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(snap)) }
      inputs.push({ id: `d${i}`, geometry, ...always })
    }
    for (const predicate of ['postgis', 'exact'] as const) {
      const index = AreaIndex.build(inputs, { predicate })
      for (const area of inputs) {
        const rings = area.geometry.type === 'Polygon' ? area.geometry.coordinates : area.geometry.coordinates.flat()
        for (const ring of rings) {
          for (let k = 0; k + 1 < ring.length; k++) {
            const [ax, ay] = ring[k] as [number, number], [bx, by] = ring[k + 1] as [number, number]
            expect(index.covering(ax, ay)).toContain(area.id)
            expect(index.covering((ax + bx) / 2, (ay + by) / 2)).toContain(area.id)
          }
        }
      }
    }
  })
})

describe('AreaIndex.nearest', () => {
  const index = AreaIndex.build([
    { id: 'square', geometry: square, ...always },
    { id: 'later', geometry: { type: 'Polygon', coordinates: [[[38, 33], [39, 33], [39, 34], [38, 33]]] }, validFrom: 1000, validTo: null },
  ])

  it('is the covering area at 0 m for a covered point', () => {
    expect(index.nearest(36.75, 33.75)).toMatchObject({ id: 'square', metres: 0 })
  })

  it('measures to the nearest boundary point, on the ellipsoid', () => {
    // Due south of the square's bottom edge (a parallel, so its great-circle arc bows north a
    // little): the nearest boundary point is on that edge, at the same longitude.
    const n = index.nearest(36.5, 32.9)!
    expect(n.id).toBe('square')
    expect(n.boundary.lon).toBeCloseTo(36.5, 9)
    expect(n.boundary.lat).toBeGreaterThanOrEqual(33)
    expect(n.metres).toBeCloseTo(ellipsoidMetres(36.5, 32.9, n.boundary.lon, n.boundary.lat), 6)
    // 0.1° of latitude here is about 11,090 m; the arc's bow adds about 110 m at mid-edge.
    expect(n.metres).toBeGreaterThan(11_150)
    expect(n.metres).toBeLessThan(11_250)
    // Beyond a vertex, the vertex itself.
    const v = index.nearest(35.9, 32.9)!
    expect(v.boundary.lon).toBeCloseTo(36, 9)
    expect(v.boundary.lat).toBeCloseTo(33, 9)
  })

  it('considers only areas valid at the instant', () => {
    expect(index.nearest(38.9, 33.5, 0)!.id).toBe('square')
    expect(index.nearest(38.9, 33.5, 2000)!.id).toBe('later')
    expect(AreaIndex.build([{ id: 'later', geometry: square, validFrom: 1000, validTo: null }]).nearest(0, 0, 0)).toBeNull()
  })

  it('uses Vincenty’s inverse on WGS84 (Flinders Peak to Buninyong: 54,972.271 m)', () => {
    const lat1 = -(37 + 57 / 60 + 3.7203 / 3600), lon1 = 144 + 25 / 60 + 29.5244 / 3600
    const lat2 = -(37 + 39 / 60 + 10.1561 / 3600), lon2 = 143 + 55 / 60 + 35.3839 / 3600
    expect(ellipsoidMetres(lon1, lat1, lon2, lat2)).toBeCloseTo(54972.271, 3)
  })
})
