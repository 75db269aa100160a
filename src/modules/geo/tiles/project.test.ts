// GeoJSON → tile coordinates: projection, bounds, clipping at the buffered edges, simplification,
// degenerate rings, the antimeridian near z=0, and the GeoJSON feature adapter, read back through
// the encoder and @mapbox/vector-tile.
import type { Feature, Geometry } from 'geojson'
import { describe, expect, it } from 'vitest'
import { encodeTile, type TileGeometry } from './mvt.ts'
import {
  clipLine, clipRing, geometryToTile, lonLatToTile, MAX_LATITUDE, ringDoubleArea, simplify, tileBounds, tileBoxes, tileFeatures,
} from './project.ts'
import { decodeTile, doubleArea } from './test-support.ts'

/** The geometry as the map will see it: encoded, then decoded by @mapbox/vector-tile. */
function roundTrip(geometry: TileGeometry | null): [number, number][][] {
  expect(geometry).not.toBeNull()
  const layer = decodeTile(encodeTile([{ name: 'l', features: [{ geometry: geometry! }] }])).l
  return layer ? layer.features[0]!.geometry : []
}

const box = (w: number, s: number, e: number, n: number): Geometry => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] })
const xsOf = (ring: [number, number][]) => ring.map((p) => p[0])
const width = (ring: [number, number][]) => Math.max(...xsOf(ring)) - Math.min(...xsOf(ring))

describe('projection and bounds', () => {
  it('puts (0°, 0°) at the middle of the z0 tile and the corners of the world at its corners', () => {
    expect(lonLatToTile(0, 0, 0, 0, 0)).toEqual([2048, 2048])
    const [x0, y0] = lonLatToTile(-180, MAX_LATITUDE, 0, 0, 0)
    expect(x0).toBe(0)
    expect(y0).toBeCloseTo(0, 6)
    const [x1, y1] = lonLatToTile(180, -89, 0, 0, 0)
    expect(x1).toBe(4096)
    expect(y1).toBeCloseTo(4096, 6)
  })

  it('gives a tile bounds whose corners project to 0 and extent', () => {
    expect(tileBounds(1, 1, 0)).toEqual({ west: 0, south: 0, east: 180, north: expect.closeTo(MAX_LATITUDE, 9) })
    const b = tileBounds(9, 311, 201)
    const [a0, a1] = lonLatToTile(b.west, b.north, 9, 311, 201, 512)
    const [c0, c1] = lonLatToTile(b.east, b.south, 9, 311, 201, 512)
    for (const [v, want] of [[a0, 0], [a1, 0], [c0, 512], [c1, 512]] as const) expect(v).toBeCloseTo(want, 6)
  })

  it('widens bounds by the buffer, to the pole on the top row and across ±180° on the edge columns', () => {
    const b = tileBounds(1, 0, 0, { extent: 4096, buffer: 64 })
    expect(b.west).toBeCloseTo(-180 - 180 / 64, 9)
    expect(b.north).toBe(90)
    expect(tileBoxes(1, 0, 0, { buffer: 64 }).map((x) => [x.west, x.east])).toEqual([[-180, expect.closeTo(180 / 64, 9)], [expect.closeTo(180 - 180 / 64, 9), 180]])
    expect(tileBoxes(0, 0, 0, { buffer: 64 }).map((x) => [x.west, x.east])).toEqual([[-180, 180]])
  })

  it('refuses tiles outside the grid', () => {
    expect(() => tileBounds(2, 4, 0)).toThrow(RangeError)
    expect(() => geometryToTile(box(0, 0, 1, 1), -1, 0, 0)).toThrow(RangeError)
    expect(() => geometryToTile(box(0, 0, 1, 1), 1.5, 0, 0)).toThrow(RangeError)
  })
})

describe('clipping to the buffered tile', () => {
  it('turns a polygon over the whole tile into the buffered square', () => {
    const rings = roundTrip(geometryToTile(box(-10, -10, 100, 80), 2, 2, 1))
    expect(rings).toHaveLength(1)
    expect(new Set(rings[0]!.map((p) => p.join(',')))).toEqual(new Set(['-64,-64', '4160,-64', '4160,4160', '-64,4160']))
    expect(doubleArea(rings[0]!)).toBeGreaterThan(0)
  })

  it('cuts a polygon across an edge exactly at the buffer line', () => {
    // lon −45…45 in tile 2/2/1 (lon 0…90) is x −2048…2048: cut at −64
    const [, top] = lonLatToTile(0, 20, 2, 2, 1)
    const [, bottom] = lonLatToTile(0, 10, 2, 2, 1)
    const rings = roundTrip(geometryToTile(box(-45, 10, 45, 20), 2, 2, 1))
    expect(new Set(rings[0]!.map((p) => p.join(',')))).toEqual(new Set([
      `-64,${Math.round(top)}`, `2048,${Math.round(top)}`, `2048,${Math.round(bottom)}`, `-64,${Math.round(bottom)}`,
    ]))
  })

  it('keeps holes inside the tile and drops holes outside it', () => {
    const polygon: Geometry = {
      type: 'Polygon',
      coordinates: [
        [[-170, -80], [170, -80], [170, 80], [-170, 80], [-170, -80]],
        [[10, 10], [10, 20], [20, 20], [20, 10], [10, 10]], // inside tile 2/2/1
        [[-100, 10], [-100, 20], [-90, 20], [-90, 10], [-100, 10]], // in another tile
      ],
    }
    const rings = roundTrip(geometryToTile(polygon, 2, 2, 1))
    expect(rings.map((r) => Math.sign(doubleArea(r)))).toEqual([1, -1])
  })

  it('drops a polygon wholly outside the buffered tile, and one smaller than a tile unit', () => {
    expect(geometryToTile(box(-100, 10, -90, 20), 2, 2, 1)).toBeNull()
    const tiny = box(36.2, 36.2, 36.20001, 36.20001) // about a metre square
    expect(geometryToTile(tiny, 4, 9, 6)).toBeNull()
    // at z18 (a tile about 120 m across here) the same square is some 30 tile units wide: kept
    const [x, y] = lonLatToTile(36.200005, 36.200005, 18, 0, 0, 1).map(Math.floor) as [number, number]
    const kept = roundTrip(geometryToTile(tiny, 18, x, y))
    expect(kept).toHaveLength(1)
    expect(width(kept[0]!)).toBeGreaterThan(20)
  })

  it('clips rings with the square as Sutherland–Hodgman does', () => {
    // a triangle poking out of the right edge
    const out = clipRing([0, 0, 200, 50, 0, 100], -10, 100)
    expect(out).toEqual([0, 0, 100, 25, 100, 75, 0, 100])
    expect(clipRing([500, 500, 600, 500, 600, 600], 0, 100)).toEqual([])
  })

  it('splits a line that leaves the tile and comes back', () => {
    expect(clipLine([-50, 10, 50, 10, 150, 10, 150, 50, 50, 50, 50, 90], 0, 100)).toEqual([[0, 10, 50, 10, 100, 10], [100, 50, 50, 50, 50, 90]])
    expect(clipLine([-50, -50, 150, 150], 0, 100)).toEqual([[0, 0, 100, 100]])
    expect(clipLine([200, 200, 300, 300], 0, 100)).toEqual([])
    // a line across the whole tile, through the encoder
    const [, y] = lonLatToTile(0, 30, 2, 2, 1)
    expect(roundTrip(geometryToTile({ type: 'LineString', coordinates: [[-100, 30], [100, 30]] }, 2, 2, 1))).toEqual([[[-64, Math.round(y)], [4160, Math.round(y)]]])
  })

  it('keeps points in the buffer and drops points beyond it', () => {
    const inTile = lonLatToTile(45, 30, 2, 2, 1)
    const g = geometryToTile({ type: 'MultiPoint', coordinates: [[45, 30], [-0.5, 30], [-5, 30]] }, 2, 2, 1)
    expect(g).toEqual({ type: 'Point', points: [[Math.round(inTile[0]), Math.round(inTile[1])], [-23, Math.round(inTile[1])]] })
  })
})

describe('simplification', () => {
  it('straightens a line that wavers less than the tolerance', () => {
    const line: number[] = []
    for (let i = 0; i <= 1000; i++) line.push(i * 4, 100 + Math.sin(i) * 0.9)
    expect(simplify(line, 2)).toHaveLength(4)
    expect(simplify(line, 0)).toHaveLength(line.length)
  })

  it('keeps a ring a ring, the same way round, and drops one smaller than a pixel', () => {
    const circle = (r: number, n: number) => {
      const out: number[] = []
      for (let i = 0; i < n; i++) out.push(2048 + r * Math.cos((i / n) * 2 * Math.PI), 2048 + r * Math.sin((i / n) * 2 * Math.PI))
      return out
    }
    const big = simplify(circle(1000, 2000), 2, true)
    expect(big.length / 2).toBeGreaterThan(20)
    expect(big.length / 2).toBeLessThan(200)
    expect(Math.sign(ringDoubleArea(big))).toBe(Math.sign(ringDoubleArea(circle(1000, 2000))))
    expect(simplify(circle(1, 50), 2, true)).toEqual([])
    // a thin sliver that Douglas–Peucker would flatten keeps its vertices: it is larger than a pixel
    const sliver = [0, 0, 1000, 1.5, 2000, 0, 1000, -1.5]
    expect(simplify(sliver, 2, true)).toEqual(sliver)
  })

  it('simplifies more on the ground at low zooms than at high ones', () => {
    const coords: [number, number][] = []
    for (let i = 0; i <= 400; i++) coords.push([36 + i * 0.005, 35 + Math.sin(i / 3) * 0.001])
    const line: Geometry = { type: 'LineString', coordinates: coords }
    const count = (z: number) => {
      const [x, y] = lonLatToTile(37, 35, z, 0, 0, 1).map(Math.floor) as [number, number]
      const g = geometryToTile(line, z, x, y, { buffer: 4096 })
      return g && g.type === 'LineString' ? g.lines.reduce((s, l) => s + l.length, 0) : 0
    }
    expect(count(6)).toBeLessThan(count(10))
    expect(count(6)).toBeLessThanOrEqual(3)
  })
})

describe('the antimeridian near z=0', () => {
  it('puts a point just across ±180° in the buffer of the edge tile', () => {
    const [, y] = lonLatToTile(179.95, 10, 1, 0, 0)
    expect(geometryToTile({ type: 'Point', coordinates: [179.95, 10] }, 1, 0, 0)).toEqual({ type: 'Point', points: [[-1, Math.round(y)]] })
    expect(geometryToTile({ type: 'Point', coordinates: [179.95, 10] }, 1, 1, 0)).toEqual({ type: 'Point', points: [[4095, Math.round(y)]] })
    // the single z0 tile holds it once in the tile and once in the buffer of the other side
    const g = geometryToTile({ type: 'Point', coordinates: [-179.95, 10] }, 0, 0, 0)
    expect(g?.type === 'Point' && g.points.map((p) => p[0])).toEqual([1, 4097])
  })

  it('draws a line cut at ±180° (as RFC 7946 asks) as short pieces, each repeated across the seam', () => {
    const cut: Geometry = { type: 'MultiLineString', coordinates: [[[179, 10], [180, 10]], [[-180, 10], [-179, 10]]] }
    const pieces = roundTrip(geometryToTile(cut, 0, 0, 0))
    expect(pieces).toHaveLength(4)
    for (const piece of pieces) expect(width(piece)).toBeLessThan(15)
    expect(pieces.flat().every(([x]) => x >= -64 && x <= 4160)).toBe(true)
    // longitudes past 180° are drawn where they fall, in the next world copy
    const past = roundTrip(geometryToTile({ type: 'LineString', coordinates: [[179, 10], [181, 10]] }, 0, 0, 0))
    expect(past.map(xsOf)).toEqual([[-11, 11], [4085, 4107]])
  })

  it('reads an edge from 170° to −170° as RFC 7946 does: the long way round', () => {
    const [line] = roundTrip(geometryToTile({ type: 'LineString', coordinates: [[170, 10], [-170, 10]] }, 0, 0, 0))
    expect(xsOf(line!)).toEqual([3982, 114])
  })

  it('keeps the parts of a polygon cut at ±180° small, each repeated across the seam', () => {
    const fiji: Geometry = {
      type: 'MultiPolygon',
      coordinates: [
        [[[177, -18], [180, -18], [180, -16], [177, -16], [177, -18]]],
        [[[-180, -18], [-178, -18], [-178, -16], [-180, -16], [-180, -18]]],
      ],
    }
    const rings = roundTrip(geometryToTile(fiji, 0, 0, 0))
    expect(rings).toHaveLength(4)
    for (const ring of rings) expect(width(ring)).toBeLessThan(40)
    expect(rings.every((r) => doubleArea(r) > 0)).toBe(true)
  })

  it('leaves a ring that runs along ±180° (cut by its producer) spanning the world', () => {
    const antarctic = box(-180, -80, 180, -70)
    const rings = roundTrip(geometryToTile(antarctic, 0, 0, 0))
    expect(rings.some((r) => width(r) === 4096)).toBe(true)
    expect(rings.flat().every(([x]) => x >= -64 && x <= 4160)).toBe(true)
  })
})

describe('tileFeatures', () => {
  it('turns GeoJSON features into tile features: ids, properties, collections split, the rest left out', () => {
    const features: Feature[] = [
      { type: 'Feature', id: 12, properties: { name: 'Zone A', tags: ['x'], note: null }, geometry: box(10, 10, 20, 20) },
      { type: 'Feature', id: 'sector-7', properties: { name: 'Sector' }, geometry: { type: 'Point', coordinates: [45, 30] } },
      {
        type: 'Feature', id: 3, properties: {},
        geometry: { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [50, 30] }, { type: 'LineString', coordinates: [[40, 40], [60, 40]] }] },
      },
      { type: 'Feature', id: 4, properties: {}, geometry: { type: 'Point', coordinates: [-100, 30] } },
      { type: 'Feature', id: 5, properties: {}, geometry: null as unknown as Geometry },
    ]
    const out = tileFeatures(features, 2, 2, 1)
    expect(out.map((f) => [f.id, f.geometry.type, f.properties])).toEqual([
      [12, 'Polygon', { name: 'Zone A', tags: '["x"]' }],
      [undefined, 'Point', { name: 'Sector' }],
      [3, 'Point', {}],
      [3, 'LineString', {}],
    ])
    expect(() => geometryToTile({ type: 'GeometryCollection', geometries: [] }, 0, 0, 0)).toThrow(TypeError)
  })
})
