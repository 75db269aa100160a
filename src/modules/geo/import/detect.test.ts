// Format sniffing from the first bytes, and openLayerFile sending each format to its reader under
// the same byte limit.
import { describe, expect, it } from 'vitest'
import { detectFormat } from './detect.ts'
import { openLayerFile } from './open.ts'
import { buildDbf, buildShp, buildZip, chunked, collect, PRJ_WGS84, SHAPE } from './test-files.ts'
import { GeoImportError } from './types.ts'

const thrown = (f: () => unknown): GeoImportError => {
  try { f() } catch (e) { if (e instanceof GeoImportError) return e; throw e }
  throw new Error('expected a GeoImportError')
}
const b = (s: string) => Buffer.from(s)

const topology = { type: 'Topology', arcs: [[[36, 33], [37, 34]]], objects: { line: { type: 'LineString', arcs: [0], properties: { n: 1 } } } }
const shapefile = buildZip([
  { name: 'a.shp', data: buildShp(SHAPE.Point, [[[[36, 33]]]]) }, { name: 'a.dbf', data: buildDbf([{ name: 'N', type: 'C', length: 4 }], [['x']]) }, { name: 'a.prj', data: PRJ_WGS84 },
])

describe('detectFormat', () => {
  it.each([
    ['a ZIP', shapefile.subarray(0, 64), '', 'zip'],
    ['an empty ZIP', buildZip([]), '', 'zip'],
    ['a FeatureCollection', b('{"type":"FeatureCollection","features":[]}'), '', 'geojson'],
    ['a Feature with a byte-order mark and blanks', b('\uFEFF \n {"type": "Feature"'), '', 'geojson'],
    ['a Topology', b('{"type":"Topology","objects":{}}'), '', 'topojson'],
    ['a Topology whose type comes after its arcs', b('{"arcs":[[[0,0],[1,1]]],"objects":{"a":{"type":"Polygon"}},"type":"Topology"}'), '', 'topojson'],
    ['a Topology whose type is beyond the first bytes, by its arcs', b('{"arcs":[[[0,0],[1,1]'), '', 'topojson'],
    ['a Topology whose type is beyond the first bytes, by its name', b('{"bbox":[0,0,1,1'), 'adm1.topojson', 'topojson'],
    ['GeoJSON whose properties say "type": "Topology"', b('{"features":[{"type":"Feature","properties":{"type":"Topology"}}],"type":"FeatureCollection"}'), '', 'geojson'],
    ['GeoJSON with a name ending .json', b('{"features":['), 'adm1.json', 'geojson'],
  ])('recognises %s', (_what, head, name, format) => expect(detectFormat(head, name)).toBe(format))

  it.each([
    ['a bare .shp', buildShp(SHAPE.Point, []), 'a.shp', 'shapefile_incomplete', /bare \.shp/],
    ['a bare .dbf', buildDbf([{ name: 'N', type: 'C', length: 4 }], []), 'a.dbf', 'shapefile_incomplete', /a \.dbf alone/],
    ['gzip', Buffer.from([0x1f, 0x8b, 8, 0]), 'a.geojson.gz', 'format_unsupported', /gzip/],
    ['a GeoPackage', b('SQLite format 3\0....'), 'a.gpkg', 'format_unsupported', /GeoPackage/],
    ['KML', b('<?xml version="1.0"?><kml>'), 'a.kml', 'format_unsupported', /^KML cannot be imported; export the layer as GeoJSON, TopoJSON or a zipped shapefile$/],
    ['a CSV', b('lon,lat\n36,33\n'), 'points.csv', 'format_unknown', /not GeoJSON, TopoJSON or a zipped shapefile/],
    ['an empty file', Buffer.alloc(0), '', 'format_unknown', /not GeoJSON/],
  ])('refuses %s', (_what, head, name, code, message) => {
    const e = thrown(() => detectFormat(head, name))
    expect(e.code).toBe(code)
    expect(e.message).toMatch(message)
  })
})

describe('openLayerFile', () => {
  it('streams GeoJSON, replaying the bytes it sniffed', async () => {
    const text = JSON.stringify({ type: 'FeatureCollection', features: Array.from({ length: 3000 }, (_, k) => ({ type: 'Feature', properties: { k }, geometry: { type: 'Point', coordinates: [36, 33] } })) })
    const layer = await openLayerFile(chunked(text, 1000), { maxBytes: text.length })
    expect(layer.format).toBe('geojson')
    expect((await collect(layer.features)).map((f) => f.properties.k)).toEqual(Array.from({ length: 3000 }, (_, k) => k))
  })

  it('reads TopoJSON and zipped shapefiles', async () => {
    const topo = await openLayerFile(chunked(JSON.stringify(topology), 5), { maxBytes: 2 ** 20 })
    expect([topo.format, topo.name, (await collect(topo.features))[0]!.geometry]).toEqual(['topojson', 'line', { type: 'LineString', coordinates: [[36, 33], [37, 34]] }])
    const shp = await openLayerFile(chunked(shapefile, 50), { maxBytes: 2 ** 20 })
    expect([shp.format, shp.name, await collect(shp.features)]).toEqual(['zip', 'a', [{ index: 0, properties: { N: 'x' }, geometry: { type: 'Point', coordinates: [36, 33] } }]])
  })

  it('holds every format to maxBytes', async () => {
    for (const bytes of [Buffer.from(JSON.stringify(topology)), shapefile]) {
      await expect(openLayerFile(chunked(bytes, 16), { maxBytes: bytes.length - 1 })).rejects.toMatchObject({ code: 'file_too_large' })
    }
    const big = Buffer.from(`{"type":"FeatureCollection","features":[${'{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[36,33]}},'.repeat(5000)}`)
    const layer = await openLayerFile(chunked(big, 1000), { maxBytes: 100_000 })
    await expect(collect(layer.features)).rejects.toMatchObject({ code: 'file_too_large' })
  })

  it('closes the upload when the format is refused', async () => {
    let closed = false
    let pulled = 0
    async function* upload() {
      try {
        yield b('lon,lat\n')
        for (;; pulled++) yield Buffer.alloc(1024, '36,33\n')
      } finally { closed = true }
    }
    await expect(openLayerFile(upload(), { maxBytes: 2 ** 30, fileName: 'points.csv' })).rejects.toMatchObject({ code: 'format_unknown' })
    expect(closed).toBe(true)
    expect(pulled).toBeLessThanOrEqual(64)
  })
})
