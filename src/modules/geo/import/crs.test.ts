// CRS names and .prj WKT to EPSG codes: what is taken (authorities, OGC URNs, ESRI names) and what
// is refused, with the name the file gave.
import { describe, expect, it } from 'vitest'
import { crsFromMember, epsgFromName, epsgFromWkt, parseWkt } from './crs.ts'
import { PRJ_UTM37N, PRJ_WGS84 } from './test-files.ts'
import { GeoImportError } from './types.ts'

const thrown = (f: () => unknown): GeoImportError => {
  try { f() } catch (e) { if (e instanceof GeoImportError) return e; throw e }
  throw new Error('expected a GeoImportError')
}

describe('epsgFromName', () => {
  it.each([
    ['urn:ogc:def:crs:OGC:1.3:CRS84', 4326], ['urn:ogc:def:crs:OGC::CRS84', 4326], ['http://www.opengis.net/def/crs/OGC/1.3/CRS84', 4326],
    ['urn:ogc:def:crs:EPSG::4326', 4326], ['urn:ogc:def:crs:EPSG::32637', 32637], ['EPSG:3857', 3857], ['epsg:2154', 2154],
    ['http://www.opengis.net/gml/srs/epsg.xml#32636', 32636], ['EPSG:102100', 3857], ['ESRI:102113', 3857],
  ])('%s is EPSG:%i', (name, epsg) => expect(epsgFromName(name)).toBe(epsg))

  it.each(['ESRI:54009', 'EPSG:0', 'EPSG:999999', 'urn:ogc:def:crs:OGC:1.3:CRS27', 'WGS84', ''])('%s is not taken', (name) => {
    expect(epsgFromName(name)).toBeUndefined()
  })
})

describe('crsFromMember', () => {
  it('reads a named CRS and the old EPSG form', () => {
    expect(crsFromMember({ type: 'name', properties: { name: 'EPSG:32637' } })).toEqual({ epsg: 32637, declared: true })
    expect(crsFromMember({ type: 'EPSG', properties: { code: 3857 } })).toEqual({ epsg: 3857, declared: true })
  })
  it('refuses names it cannot read, naming them', () => {
    const e = thrown(() => crsFromMember({ type: 'name', properties: { name: 'Lambert 93' } }, { line: 3, element: 'crs' }))
    expect([e.code, e.where, e.message]).toEqual(['crs_unsupported', { line: 3, element: 'crs' },
      'line 3, element crs: the CRS "Lambert 93" is not one we can read; name it as urn:ogc:def:crs:EPSG::<code> or EPSG:<code>'])
    expect(thrown(() => crsFromMember({ type: 'name' })).code).toBe('crs_unsupported')
    expect(thrown(() => crsFromMember([])).code).toBe('crs_unsupported')
  })
})

describe('epsgFromWkt', () => {
  it('takes the CRS\'s own AUTHORITY, not its datum\'s or unit\'s (GDAL WKT 1)', () => {
    const wkt = 'PROJCS["WGS 84 / UTM zone 37N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",39],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","32637"]]'
    expect(epsgFromWkt(wkt)).toBe(32637)
  })

  it.each([
    ['ESRI geographic WGS 84', PRJ_WGS84, 4326],
    ['ESRI UTM 37N', PRJ_UTM37N, 32637],
    ['ESRI UTM 36S', PRJ_UTM37N.replace('Zone_37N', 'Zone_36S'), 32736],
    ['ESRI Web Mercator', 'PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],UNIT["Meter",1.0]]', 3857],
    ['WKT 2 with an ID', 'PROJCRS["WGS 84 / UTM zone 38N",BASEGEOGCRS["WGS 84",DATUM["World Geodetic System 1984",ELLIPSOID["WGS 84",6378137,298.257223563]],ID["EPSG",4326]],CONVERSION["UTM zone 38N",METHOD["Transverse Mercator",ID["EPSG",9807]]],CS[Cartesian,2],ID["EPSG",32638]]', 32638],
    ['a compound CRS (its horizontal part)', 'COMPD_CS["WGS 84 + EGM96 height",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],AUTHORITY["EPSG","4326"]],VERT_CS["EGM96 height",VERT_DATUM["EGM96",2005],AUTHORITY["EPSG","5773"]]]', 4326],
    ['parentheses instead of brackets, and a byte-order mark', '\uFEFFGEOGCS("GCS_WGS_1984",DATUM("D_WGS_1984",SPHEROID("WGS_1984",6378137,298.257223563)),PRIMEM("Greenwich",0),UNIT("Degree",0.017453292519943295))', 4326],
  ])('reads %s', (_what, wkt, epsg) => expect(epsgFromWkt(wkt)).toBe(epsg))

  it('refuses a CRS with no authority and an unknown name, naming it', () => {
    const wkt = 'PROJCS["Syria_Lambert",GEOGCS["GCS_Deir_ez_Zor",DATUM["D_Deir_ez_Zor",SPHEROID["Clarke_1880_IGN",6378249.2,293.4660212936269]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],UNIT["Meter",1.0]]'
    const e = thrown(() => epsgFromWkt(wkt, { entry: 'syr.prj' }))
    expect([e.code, e.where]).toEqual(['crs_unsupported', { entry: 'syr.prj' }])
    expect(e.message).toMatch(/^entry syr\.prj: the CRS PROJCS\["Syria_Lambert"\] has no EPSG code/)
  })

  it.each([
    ['not WKT at all', '+proj=utm +zone=37 +datum=WGS84', /not readable WKT/],
    ['WKT cut short', PRJ_WGS84.slice(0, 40), /not readable WKT \(unexpected end/],
    ['a string never closed', 'GEOGCS["WGS 84', /never closed/],
    ['text after the end', `${PRJ_WGS84}]`, /text after the end/],
    ['a geocentric CRS', 'GEOCCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],AUTHORITY["EPSG","4978"]]', /GEOCCS is not a CRS features can be placed in/],
  ])('refuses %s', (_what, wkt, message) => {
    const e = thrown(() => epsgFromWkt(wkt))
    expect(e.code).toBe('crs_unsupported')
    expect(e.message).toMatch(message)
  })

  it('parses nested nodes, strings with doubled quotes and bare words', () => {
    expect(parseWkt('A["x ""y""",1.5e3,B[C],D]')).toEqual({ keyword: 'A', args: ['x "y"', 1500, { keyword: 'B', args: ['C'] }, 'D'] })
  })
})
