// What the import page tells about a file before sending it: the format from the name (and from
// the content), the TopoJSON objects or zipped shapefiles inside, the property names to offer, the
// name to send when the reader overrides the format, and which feature an error names.
import { deflateRawSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { featureOf, fileNameFor, formatFromName, lookInside, zipEntries } from './importFile.ts'

/** A ZIP archive of the given files (deflated), built by hand: the central directory is what is read. */
function zip(files: Record<string, string>): Uint8Array {
  const local: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const [name, text] of Object.entries(files)) {
    const data = deflateRawSync(Buffer.from(text))
    const nameBytes = Buffer.from(name)
    const head = Buffer.alloc(30)
    head.writeUInt32LE(0x04034b50, 0); head.writeUInt16LE(20, 4); head.writeUInt16LE(8, 8)
    head.writeUInt32LE(data.length, 18); head.writeUInt32LE(text.length, 22); head.writeUInt16LE(nameBytes.length, 26)
    local.push(head, nameBytes, data)
    const entry = Buffer.alloc(46)
    entry.writeUInt32LE(0x02014b50, 0); entry.writeUInt16LE(20, 4); entry.writeUInt16LE(20, 6); entry.writeUInt16LE(8, 10)
    entry.writeUInt32LE(data.length, 20); entry.writeUInt32LE(text.length, 24); entry.writeUInt16LE(nameBytes.length, 28); entry.writeUInt32LE(offset, 42)
    central.push(entry, nameBytes)
    offset += head.length + nameBytes.length + data.length
  }
  const dir = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(Object.keys(files).length, 8); end.writeUInt16LE(Object.keys(files).length, 10)
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16)
  return new Uint8Array(Buffer.concat([...local, dir, end]))
}
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v))

describe('a file to import', () => {
  it('has the format its name says', () => {
    expect(formatFromName('SYR_adm1.geojson')).toBe('geojson')
    expect(formatFromName('regions.topo.json')).toBe('topojson')
    expect(formatFromName('regions.TOPOJSON')).toBe('topojson')
    expect(formatFromName('syr_admbnda_adm1.zip')).toBe('shapefile')
    expect(formatFromName('notes.txt')).toBeNull()
  })

  it('is sent under a name of the format the reader chose', () => {
    expect(fileNameFor('regions.json', 'geojson')).toBe('regions.json')
    expect(fileNameFor('regions.json', 'topojson')).toBe('regions.topojson')
    expect(fileNameFor('regions.topo.json', 'geojson')).toBe('regions.geojson')
    expect(fileNameFor('layers.bin', 'shapefile')).toBe('layers.bin.zip')
  })

  it('shows a Topology inside a .json file, with its objects and property names', () => {
    const look = lookInside(json({
      type: 'Topology', arcs: [],
      objects: { governorates: { type: 'GeometryCollection', geometries: [{ type: 'Polygon', arcs: [], properties: { ADM1_EN: 'Idlib', ADM1_PCODE: 'SY07' } }] }, lines: { type: 'GeometryCollection', geometries: [] } },
    }), 'geojson')
    expect(look).toEqual({ format: 'topojson', objects: ['governorates', 'lines'], features: 1, properties: ['ADM1_EN', 'ADM1_PCODE'] })
  })

  it('counts a FeatureCollection\'s features and gathers their property names in first-seen order', () => {
    const look = lookInside(json({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'a' } }, { type: 'Feature', properties: { name: 'b', code: 'B' } }] }), null)
    expect(look).toEqual({ format: 'geojson', objects: [], features: 2, properties: ['name', 'code'] })
  })

  it('lists the shapefiles in a zip, and tells nothing of a file it cannot read', () => {
    const archive = zip({ 'adm/syr_adm1.shp': 'x', 'adm/syr_adm1.dbf': 'y', 'adm/syr_adm2.shp': 'z' })
    expect(zipEntries(archive)).toEqual(['adm/syr_adm1.shp', 'adm/syr_adm1.dbf', 'adm/syr_adm2.shp'])
    expect(lookInside(archive, 'shapefile')).toEqual({ format: 'shapefile', objects: ['syr_adm1', 'syr_adm2'], properties: [], features: null })
    expect(lookInside(new TextEncoder().encode('{"type": "Feat'), 'geojson')).toEqual({ format: 'geojson', objects: [], properties: [], features: null })
  })

  it('reads the feature an error names from its field or its path', () => {
    expect(featureOf({ path: 'features[3]', feature: 3 })).toBe(3)
    expect(featureOf({ path: 'features[12]' })).toBe(12)
    expect(featureOf({ path: 'query.names' })).toBeNull()
  })
})
