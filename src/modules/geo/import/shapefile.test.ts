// Zipped shapefiles built here from known rings: outer rings and holes put together the RFC 7946
// way round, Z and M dropped, the CRS from the .prj, the attributes from the .dbf, and each
// incomplete, ambiguous or damaged set refused naming the entry, feature and ring.
import type { Position } from 'geojson'
import { describe, expect, it } from 'vitest'
import { assemblePolygons, openShapefileZip, signedArea2 } from './shapefile.ts'
import { buildDbf, buildShp, buildZip, collect, PRJ_UTM37N, PRJ_WGS84, SHAPE, type DbfCell, type ZipInput } from './test-files.ts'
import { GeoImportError, type ParsedFeature } from './types.ts'

const failure = async (f: () => Iterable<unknown> | unknown): Promise<GeoImportError> => {
  try {
    const r = f()
    if (r && typeof r === 'object' && Symbol.iterator in r) await collect(r as Iterable<unknown>)
  } catch (e) { if (e instanceof GeoImportError) return e; throw e }
  throw new Error('expected a GeoImportError')
}

// Shapefile rings: outer clockwise, holes counter-clockwise.
const cw = (x0: number, y0: number, x1: number, y1: number): Position[] => [[x0, y0], [x0, y1], [x1, y1], [x1, y0], [x0, y0]]
const ccw = (x0: number, y0: number, x1: number, y1: number): Position[] => [...cw(x0, y0, x1, y1)].reverse()
const reversed = (r: Position[]) => [...r].reverse()

const nameField = [{ name: 'NAME', type: 'C', length: 20 }]

/** A zip of one shapefile set `stem` with these records and rows; `omit` leaves parts out. */
function shapefileZip(type: number, records: (Position[][] | null)[], rows: DbfCell[][] = records.map((_, k) => [`r${k}`]), options: {
  stem?: string; prj?: string; cpg?: string; omit?: string[]; extra?: ZipInput[]; fields?: { name: string; type: string; length: number }[]
} = {}): Buffer {
  const stem = options.stem ?? 'layer'
  const files: ZipInput[] = [
    { name: `${stem}.shp`, data: buildShp(type, records) },
    { name: `${stem}.dbf`, data: buildDbf(options.fields ?? nameField, rows) },
    { name: `${stem}.prj`, data: options.prj ?? PRJ_WGS84 },
  ]
  if (options.cpg !== undefined) files.push({ name: `${stem}.cpg`, data: options.cpg })
  return buildZip([...files.filter((f) => !options.omit?.some((ext) => f.name.endsWith(ext))), ...(options.extra ?? [])])
}

describe('openShapefileZip', () => {
  it('puts each hole in its outer ring and writes polygons RFC 7946 way round (outer counter-clockwise)', async () => {
    const records = [
      [cw(36, 33, 37, 34), ccw(36.2, 33.2, 36.4, 33.4)], // a square with a hole
      [cw(38, 35, 39, 36), cw(40, 35, 41, 36), ccw(40.2, 35.2, 40.8, 35.8)], // two squares, the hole in the second
      [cw(36, 33, 37, 34)],
    ]
    const layer = openShapefileZip(shapefileZip(SHAPE.Polygon, records, [['Damascus'], ['Idlib'], ['Hama']]))
    expect([layer.crs, layer.name, layer.encoding]).toEqual([{ epsg: 4326, declared: true }, 'layer', 'utf-8'])
    const features = await collect(layer.features)
    expect(features).toEqual([
      { index: 0, properties: { NAME: 'Damascus' }, geometry: { type: 'Polygon', coordinates: [reversed(records[0]![0]!), reversed(records[0]![1]!)] } },
      { index: 1, properties: { NAME: 'Idlib' }, geometry: { type: 'MultiPolygon', coordinates: [
        [reversed(records[1]![0]!)], [reversed(records[1]![1]!), reversed(records[1]![2]!)],
      ] } },
      { index: 2, properties: { NAME: 'Hama' }, geometry: { type: 'Polygon', coordinates: [reversed(records[2]![0]!)] } },
    ])
    const polygon = features[0]!.geometry as { coordinates: Position[][] }
    expect(signedArea2(polygon.coordinates[0]!)).toBeGreaterThan(0) // exterior counter-clockwise
    expect(signedArea2(polygon.coordinates[1]!)).toBeLessThan(0) // hole clockwise
  })

  it('reads the Z and M variants as 2D, and points, multipoints and lines', async () => {
    const square = [cw(36, 33, 37, 34), ccw(36.2, 33.2, 36.4, 33.4)]
    const expected = { type: 'Polygon', coordinates: square.map(reversed) }
    for (const type of [SHAPE.PolygonZ, SHAPE.PolygonM]) {
      expect((await collect(openShapefileZip(shapefileZip(type, [square])).features))[0]!.geometry).toEqual(expected)
    }
    for (const type of [SHAPE.Point, SHAPE.PointZ, SHAPE.PointM]) {
      expect((await collect(openShapefileZip(shapefileZip(type, [[[[36.5, 33.5]]], [[[37, 34]]]])).features)).map((f) => f.geometry))
        .toEqual([{ type: 'Point', coordinates: [36.5, 33.5] }, { type: 'Point', coordinates: [37, 34] }])
    }
    for (const type of [SHAPE.MultiPoint, SHAPE.MultiPointZ, SHAPE.MultiPointM]) {
      expect((await collect(openShapefileZip(shapefileZip(type, [[[[36, 33], [37, 34]]]])).features))[0]!.geometry)
        .toEqual({ type: 'MultiPoint', coordinates: [[36, 33], [37, 34]] })
    }
    for (const type of [SHAPE.PolyLine, SHAPE.PolyLineZ, SHAPE.PolyLineM]) {
      const lines = [[[[36, 33], [37, 34]]], [[[36, 33], [37, 34]], [[38, 35], [39, 36], [40, 37]]]]
      expect((await collect(openShapefileZip(shapefileZip(type, lines)).features)).map((f) => f.geometry)).toEqual([
        { type: 'LineString', coordinates: lines[0]![0] }, { type: 'MultiLineString', coordinates: lines[1] },
      ])
    }
  })

  it('takes the CRS from the .prj: projected UTM 37N coordinates in metres', async () => {
    const layer = openShapefileZip(shapefileZip(SHAPE.Polygon, [[cw(400000, 3700000, 410000, 3710000)]], [['x']], { prj: PRJ_UTM37N }))
    expect(layer.crs).toEqual({ epsg: 32637, declared: true })
    expect((await collect(layer.features))[0]!.geometry.type).toBe('Polygon')
  })

  it('decodes attributes as the .cpg says and skips deleted records, keeping the others\' index', async () => {
    const cp1251 = new Uint8Array([0xcb, 0xf3, 0xe3, 0xe0, 0xed, 0xf1, 0xfc, 0xea]) // Луганськ
    const zip = buildZip([
      { name: 'ukr/oblasts.shp', data: buildShp(SHAPE.Point, [[[[39.3, 48.6]]], [[[37.8, 48]]]]) },
      { name: 'ukr/oblasts.dbf', data: buildDbf(nameField, [[cp1251], ['x']], { deleted: [1] }) },
      { name: 'ukr/oblasts.prj', data: PRJ_WGS84 },
      { name: 'ukr/oblasts.cpg', data: '1251' },
    ])
    const layer = openShapefileZip(zip)
    expect([layer.name, layer.encoding]).toEqual(['oblasts', 'windows-1251'])
    expect(await collect(layer.features)).toEqual([{ index: 0, properties: { NAME: 'Луганськ' }, geometry: { type: 'Point', coordinates: [39.3, 48.6] } }])
  })

  it('picks the shapefile named, ignores macOS resource forks, and lists them when it must ask', async () => {
    const two = buildZip([
      { name: 'a.shp', data: buildShp(SHAPE.Point, [[[[36, 33]]]]) }, { name: 'a.dbf', data: buildDbf(nameField, [['a']]) }, { name: 'a.prj', data: PRJ_WGS84 },
      { name: 'sub/B.SHP', data: buildShp(SHAPE.Point, [[[[37, 34]]]]) }, { name: 'sub/B.DBF', data: buildDbf(nameField, [['b']]) }, { name: 'sub/B.PRJ', data: PRJ_WGS84 },
      { name: '__MACOSX/._a.shp', data: 'resource fork' }, { name: '._a.shp', data: 'resource fork' },
    ])
    const e = await failure(() => openShapefileZip(two))
    expect([e.code, e.message]).toEqual(['shapefile_layer_required', 'the archive holds 2 shapefiles; say which to import: a.shp, sub/B.SHP'])
    for (const layer of ['b', 'B.shp', 'sub/B', 'sub/B.SHP']) {
      expect((await collect(openShapefileZip(two, { layer }).features))[0]!.properties).toEqual({ NAME: 'b' })
    }
    const unknown = await failure(() => openShapefileZip(two, { layer: 'c' }))
    expect([unknown.code, unknown.message]).toEqual(['shapefile_layer_unknown', 'no shapefile is called "c"; the archive holds a.shp, sub/B.SHP'])
  })

  describe('refusals name the entry, the feature and the ring', () => {
    const square = [cw(36, 33, 37, 34)]
    it.each([
      ['no .prj', () => shapefileZip(SHAPE.Polygon, [square], undefined, { omit: ['.prj'] }), 'crs_missing', { entry: 'layer.shp' }, /no layer\.prj, so the CRS of layer\.shp is unknown/],
      ['no .dbf', () => shapefileZip(SHAPE.Polygon, [square], undefined, { omit: ['.dbf'] }), 'shapefile_incomplete', { entry: 'layer.shp' }, /no layer\.dbf/],
      ['no .shp', () => shapefileZip(SHAPE.Polygon, [square], undefined, { omit: ['.shp'] }), 'shapefile_incomplete', {}, /no \.shp file \(it has other parts/],
      ['an unknown .prj', () => shapefileZip(SHAPE.Polygon, [square], undefined, { prj: 'PROJCS["Stereo_70",GEOGCS["GCS_Dealul_Piscului_1970"]]' }),
        'crs_unsupported', { entry: 'layer.prj' }, /PROJCS\["Stereo_70"\]/],
      ['a .dbf with fewer records than shapes', () => shapefileZip(SHAPE.Polygon, [square, square], [['a']]), 'shapefile_corrupt', { entry: 'layer.dbf' }, /2 shapes but layer\.dbf has 1 records/],
      ['a MultiPatch', () => buildZip([
        { name: 'm.shp', data: (() => { const b = buildShp(SHAPE.Point, []); b.writeInt32LE(SHAPE.MultiPatch, 32); return b })() },
        { name: 'm.dbf', data: buildDbf(nameField, []) }, { name: 'm.prj', data: PRJ_WGS84 },
      ]), 'unsupported_geometry_type', { entry: 'm.shp' }, /MultiPatch/],
      ['a .shp that is not one', () => buildZip([{ name: 'm.shp', data: 'hello' }, { name: 'm.dbf', data: buildDbf(nameField, []) }, { name: 'm.prj', data: PRJ_WGS84 }]),
        'shapefile_corrupt', { entry: 'm.shp' }, /not a \.shp/],
      ['a .shp cut short', () => buildZip([{ name: 'm.shp', data: buildShp(SHAPE.Polygon, [square]).subarray(0, 150) }, { name: 'm.dbf', data: buildDbf(nameField, [['a']]) }, { name: 'm.prj', data: PRJ_WGS84 }]),
        'shapefile_corrupt', { entry: 'm.shp' }, /cut short/],
    ])('%s', async (_what, zip, code, where, message) => {
      const e = await failure(() => openShapefileZip(zip()).features)
      expect([e.code, e.where]).toEqual([code, where])
      expect(e.message).toMatch(message)
    })

    it.each([
      ['a null shape', [square, null], 'empty_geometry', { feature: 1 }],
      ['an unclosed hole', [square, [cw(36, 33, 37, 34), ccw(36.2, 33.2, 36.4, 33.4).slice(0, 4)]], 'ring_not_closed', { feature: 1, ring: 1 }],
      ['a ring of three positions', [[cw(36, 33, 37, 34).slice(0, 2).concat([[36, 33]])]], 'ring_too_short', { feature: 0, ring: 0 }],
      ['a longitude out of range', [square, square, [cw(36, 33, 187, 34)]], 'coordinate_out_of_range', { feature: 2, ring: 0, position: 2 }],
      ['a NaN coordinate', [[cw(36, 33, NaN, 34)]], 'coordinate_not_finite', { feature: 0, ring: 0, position: 2 }],
    ])('refuses %s, naming the record and part', async (_what, records, code, where) => {
      const e = await failure(() => openShapefileZip(shapefileZip(SHAPE.Polygon, records as (Position[][] | null)[])).features)
      expect([e.code, e.where]).toEqual([code, where])
    })

    it('refuses a line of one point, naming the part', async () => {
      const e = await failure(() => openShapefileZip(shapefileZip(SHAPE.PolyLine, [[[[36, 33], [37, 34]], [[38, 35]]]])).features)
      expect([e.code, e.where]).toEqual(['line_too_short', { feature: 0, part: 1 }])
    })

    it('refuses a record of another shape type than the file\'s', async () => {
      const shp = buildShp(SHAPE.Polygon, [square, square])
      shp.writeInt32LE(SHAPE.Point, 100 + 8 + shp.readInt32BE(104) * 2 + 8) // the second record's type
      const zip = buildZip([{ name: 'm.shp', data: shp }, { name: 'm.dbf', data: buildDbf(nameField, [['a'], ['b']]) }, { name: 'm.prj', data: PRJ_WGS84 }])
      const e = await failure(() => openShapefileZip(zip))
      expect([e.code, e.where, e.message]).toEqual(['shapefile_corrupt', { entry: 'm.shp', feature: 1 }, 'entry m.shp, feature 1: a Point record in a Polygon file'])
    })

    it('checks the archive first: a bomb beside the shapefile is refused before any feature', async () => {
      const zip = shapefileZip(SHAPE.Polygon, [square], undefined, { extra: [{ name: 'readme.txt', compressed: Buffer.alloc(10), size: 2 ** 30 }] })
      expect(await failure(() => openShapefileZip(zip))).toMatchObject({ code: 'zip_bomb', where: { entry: 'readme.txt' } })
    })
  })
})

describe('assemblePolygons', () => {
  it('gives a hole to the smallest outer ring that contains it (an island in a lake in an island)', () => {
    const land = cw(0, 0, 100, 100)
    const lake = ccw(10, 10, 90, 90)
    const island = cw(40, 40, 60, 60)
    const pond = ccw(45, 45, 55, 55)
    const geometry = assemblePolygons([land, lake, island, pond])
    expect(geometry).toEqual({ type: 'MultiPolygon', coordinates: [[reversed(land), reversed(lake)], [reversed(island), reversed(pond)]] })
  })

  it('reads a hole that lies in no outer ring as an outer ring, with a note', () => {
    const notes: string[] = []
    const stray = ccw(200, 200, 210, 210)
    expect(assemblePolygons([cw(0, 0, 10, 10), stray], notes)).toEqual({ type: 'MultiPolygon', coordinates: [[reversed(cw(0, 0, 10, 10))], [stray]] })
    expect(notes).toEqual(['ring 1 is counter-clockwise (a hole) but lies in no outer ring: read as an outer ring'])
  })

  it('decides with another vertex when the hole touches the outer ring', () => {
    const outer = cw(0, 0, 10, 10)
    const touching: Position[] = [[0, 5], [5, 2], [5, 8], [0, 5]] // counter-clockwise, first vertex on the outer's edge
    expect(signedArea2(touching)).toBeGreaterThan(0)
    expect(assemblePolygons([outer, touching])).toEqual({ type: 'Polygon', coordinates: [reversed(outer), reversed(touching)] })
  })

  it('passes the notes on to the feature', async () => {
    const features: ParsedFeature[] = await collect(openShapefileZip(shapefileZip(SHAPE.Polygon, [[cw(36, 33, 37, 34), ccw(38, 35, 39, 36)]])).features)
    expect(features[0]!.notes).toEqual(['ring 1 is counter-clockwise (a hole) but lies in no outer ring: read as an outer ring'])
  })
})
