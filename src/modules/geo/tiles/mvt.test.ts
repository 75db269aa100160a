// The MVT encoder, read back by @mapbox/vector-tile (the decoder MapLibre runs): geometry,
// properties of every value type, ids, winding, shared key/value tables, and what is dropped.
import { classifyRings } from '@mapbox/vector-tile'
import { describe, expect, it } from 'vitest'
import { encodeLayers, encodeTile, LayerEncoder, type TileFeature } from './mvt.ts'
import { decodeTile, doubleArea, rawTables } from './test-support.ts'

const point = (x: number, y: number, id?: number, properties?: TileFeature['properties']): TileFeature =>
  ({ id, geometry: { type: 'Point', points: [[x, y]] }, properties })

describe('encodeTile', () => {
  it('writes points with their ids and properties, read back the same', () => {
    const tile = encodeTile([{
      name: 'incidents',
      features: [
        point(10, 20, 1, { kind: 'shelling', deaths: 4, confidence: 0.75, offset: -7, verified: true, public: false }),
        point(4095, 0, 2 ** 40 + 3, { kind: 'airstrike', big: 2 ** 33 + 1 }),
        point(-30, 4100, 0),
      ],
    }])
    const layer = decodeTile(tile).incidents!
    expect(layer.version).toBe(2)
    expect(layer.extent).toBe(4096)
    expect(layer.features).toEqual([
      { id: 1, type: 'Point', geometry: [[[10, 20]]], properties: { kind: 'shelling', deaths: 4, confidence: 0.75, offset: -7, verified: true, public: false } },
      { id: 2 ** 40 + 3, type: 'Point', geometry: [[[4095, 0]]], properties: { kind: 'airstrike', big: 2 ** 33 + 1 } },
      { id: 0, type: 'Point', geometry: [[[-30, 4100]]], properties: {} },
    ])
  })

  it('stores each key and value once per layer, in the Value field that fits it', () => {
    const tile = encodeTile([{
      name: 'incidents',
      features: [
        point(1, 1, 1, { kind: 'shelling', n: 1, f: 0.5, neg: -2, ok: true, s: 'x' }),
        point(2, 2, 2, { kind: 'shelling', n: 1, f: 0.5, neg: -2, ok: true, s: '1' }),
        point(3, 3, 3, { kind: 'clash', n: 1 }),
      ],
    }])
    const { keys, values } = rawTables(tile, 'incidents')
    expect(keys).toEqual(['kind', 'n', 'f', 'neg', 'ok', 's'])
    // 1 (number) and '1' (string) are different values; 'shelling' is stored once
    expect(values).toEqual([
      { field: 1, value: 'shelling' }, { field: 4, value: 1 }, { field: 3, value: 0.5 }, { field: 6, value: -2 },
      { field: 7, value: true }, { field: 1, value: 'x' }, { field: 1, value: '1' }, { field: 1, value: 'clash' },
    ])
  })

  it('leaves out null and undefined properties, which MVT cannot hold', () => {
    const layer = decodeTile(encodeTile([{ name: 'l', features: [point(0, 0, 1, { a: null, b: undefined, c: 'kept' })] }])).l!
    expect(layer.features[0]!.properties).toEqual({ c: 'kept' })
  })

  it('writes multipoints and lines, dropping repeated points and lines of one point', () => {
    const layer = decodeTile(encodeTile([{
      name: 'l',
      features: [
        { id: 1, geometry: { type: 'Point', points: [[1, 2], [3, 4], [3, 4]] } },
        { id: 2, geometry: { type: 'LineString', lines: [[[0, 0], [10, 0], [10, 0], [10.4, 10.2]], [[5, 5], [5.2, 4.9]], [[100, 100], [50, 100]]] } },
      ],
    }])).l!
    expect(layer.features.map((f) => [f.type, f.geometry])).toEqual([
      ['Point', [[[1, 2]], [[3, 4]], [[3, 4]]]],
      ['LineString', [[[0, 0], [10, 0], [10, 10]], [[100, 100], [50, 100]]]],
    ])
  })

  it('winds exteriors clockwise (positive area, y down) and holes the other way, whatever the input', () => {
    // both rings given the wrong way round: the exterior counter-clockwise on screen, the hole clockwise
    const exterior: [number, number][] = [[0, 0], [0, 100], [100, 100], [100, 0], [0, 0]]
    const hole: [number, number][] = [[20, 20], [80, 20], [80, 80], [20, 80]]
    expect(doubleArea(exterior)).toBeLessThan(0)
    const tile = encodeTile([{ name: 'zones', features: [{ id: 9, geometry: { type: 'Polygon', polygons: [[exterior, hole], [[[200, 200], [300, 200], [300, 300]]]] } }] }])
    const f = decodeTile(tile).zones!.features[0]!
    expect(f.type).toBe('Polygon')
    expect(f.geometry.map(doubleArea)).toEqual([20000, -7200, 10000])
    // the decoder's own ring classification sees two polygons, the first with its hole
    const polygons = classifyRings(f.geometry.map((r) => r.map(([x, y]) => ({ x, y }) as never)))
    expect(polygons.map((p) => p.length)).toEqual([2, 1])
    // the first point stays first; the closing point is ClosePath's
    expect(f.geometry[0]).toEqual([[0, 0], [100, 0], [100, 100], [0, 100], [0, 0]])
  })

  it('drops degenerate rings; a degenerate exterior takes its holes with it', () => {
    const layer = decodeTile(encodeTile([{
      name: 'l',
      features: [
        { id: 1, geometry: { type: 'Polygon', polygons: [[[[0, 0], [10, 10], [20, 20]], [[1, 1], [2, 1], [2, 2]]], [[[0, 0], [10, 0], [10, 10]], [[0, 0], [0.2, 0.1], [0.1, 0.3]]]] } },
        { id: 2, geometry: { type: 'Polygon', polygons: [[[[0, 0], [0.1, 0.1], [0.2, 0]]]] } },
      ],
    }])).l!
    expect(layer.features).toHaveLength(1)
    expect(layer.features[0]!.geometry).toEqual([[[0, 0], [10, 0], [10, 10], [0, 0]]])
  })

  it('writes several layers with their own extents and tables, and nothing for an empty layer', () => {
    const tile = encodeTile([
      { name: 'a', extent: 512, features: [point(1, 1, 1, { k: 'v' })] },
      { name: 'empty', features: [] },
      { name: 'b', features: [point(2, 2, 2, { k: 'w' })] },
    ])
    const layers = decodeTile(tile)
    expect(Object.keys(layers)).toEqual(['a', 'b'])
    expect(layers.a!.extent).toBe(512)
    expect(layers.b!.features[0]!.properties).toEqual({ k: 'w' })
    expect(encodeTile([{ name: 'empty', features: [] }])).toHaveLength(0)
  })

  it('writes messages longer than 127 bytes (multi-byte length prefixes) and non-ASCII text', () => {
    const ring: [number, number][] = []
    for (let i = 0; i < 500; i++) ring.push([2048 + Math.round(1500 * Math.cos((i / 500) * 2 * Math.PI)), 2048 + Math.round(1500 * Math.sin((i / 500) * 2 * Math.PI))])
    const name = 'حلب — Алеппо '.repeat(20)
    const tile = encodeTile([{ name, features: [{ id: 1, geometry: { type: 'Polygon', polygons: [[ring]] }, properties: { note: name } }] }])
    const f = decodeTile(tile)[name]!.features[0]!
    expect(f.properties.note).toBe(name)
    expect(f.geometry[0]).toHaveLength(501)
    expect(doubleArea(f.geometry[0]!)).toBeGreaterThan(0)
  })

  it('refuses ids that are not integers from 0 to 2^53−1', () => {
    expect(() => encodeTile([{ name: 'l', features: [point(0, 0, -1)] }])).toThrow(RangeError)
    expect(() => encodeTile([{ name: 'l', features: [point(0, 0, 1.5)] }])).toThrow(RangeError)
    expect(() => new LayerEncoder('l', 0)).toThrow(RangeError)
  })
})

describe('LayerEncoder.addPoint', () => {
  it('writes the same bytes as the general path', () => {
    const general = new LayerEncoder('incidents')
    const fast = new LayerEncoder('incidents')
    const cases: [number | undefined, number, number, Record<string, string | number>][] = [
      [1, 0, 0, { kind: 'shelling' }], [300, -64, 4159, { kind: 'clash', count: 12 }], [undefined, 2048, 17, {}], [2 ** 45, 5, 5, { count: 70000 }],
    ]
    for (const [id, x, y, props] of cases) {
      general.addFeature(point(x, y, id, props))
      const tags: number[] = []
      for (const [k, v] of Object.entries(props)) tags.push(fast.key(k), fast.value(v))
      fast.addPoint(id, x, y, tags)
    }
    expect(Buffer.from(encodeLayers([fast]))).toEqual(Buffer.from(encodeLayers([general])))
  })
})
