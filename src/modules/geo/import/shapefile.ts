// Zipped shapefiles: the .shp geometry (points, polylines, polygons and multipoints, Z and M
// variants read as 2D), the .dbf attributes, the .prj CRS and the .cpg encoding. A shapefile's
// polygon is a flat list of rings, outer ones clockwise and holes counter-clockwise; each hole goes
// to the smallest outer ring containing it, and the result is written the RFC 7946 way round
// (outer counter-clockwise). A shapefile without .prj has no known CRS and is refused.
import type { Position } from 'geojson'
import { epsgFromWkt } from './crs.ts'
import { readDbf, type DbfTable } from './dbf.ts'
import { GeoImportError, type Crs, type GeoImportWhere, type ImportGeometry, type ParsedFeature } from './types.ts'
import { validateGeometry } from './validate.ts'
import { openZip, type ZipArchive, type ZipEntry, type ZipLimits } from './zip.ts'

export type ShapefileLayer = {
  crs: Crs
  /** The .shp's name in the archive, without the extension. */
  name: string
  /** The .dbf's encoding (a WHATWG label). */
  encoding: string
  /** Records in file order; deleted ones (marked in the .dbf) are skipped, keeping the others' index. */
  features: Generator<ParsedFeature, void, undefined>
}

export type ShapefileOptions = {
  /** Which .shp to read when the archive holds several: its name, with or without folder and extension. */
  layer?: string
  zipLimits?: Partial<ZipLimits>
}

const SHAPE_NAMES: Record<number, string> = {
  0: 'Null', 1: 'Point', 3: 'PolyLine', 5: 'Polygon', 8: 'MultiPoint',
  11: 'PointZ', 13: 'PolyLineZ', 15: 'PolygonZ', 18: 'MultiPointZ',
  21: 'PointM', 23: 'PolyLineM', 25: 'PolygonM', 28: 'MultiPointM', 31: 'MultiPatch',
}
// The 2D kind of each shape type; Z and M add ordinates after the 2D ones, which are not read.
const KIND: Record<number, 'point' | 'line' | 'polygon' | 'multipoint'> = {
  1: 'point', 11: 'point', 21: 'point', 3: 'line', 13: 'line', 23: 'line',
  5: 'polygon', 15: 'polygon', 25: 'polygon', 8: 'multipoint', 18: 'multipoint', 28: 'multipoint',
}

const extOf = (name: string) => /\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase() ?? ''
const stemOf = (name: string) => name.replace(/\.[^./\\]+$/, '')
const baseOf = (name: string) => stemOf(name).split(/[/\\]/).pop()!
// macOS adds resource forks (__MACOSX/, ._name) that look like shapefiles but are not.
const isJunk = (name: string) => name.startsWith('__MACOSX/') || baseOf(name).startsWith('._')

/**
 * Opens a zipped shapefile set. The archive is checked whole (limits, CRCs of the files used) and
 * the .shp, .dbf and .prj read before the first feature, so CRS and structure errors come first.
 *
 * @example
 * const layer = openShapefileZip(upload, { layer: 'syr_admbnda_adm1' })
 * layer.crs // { epsg: 32637, declared: true }
 * for (const feature of layer.features) … // feature.index is the record's position
 */
export function openShapefileZip(zip: Uint8Array, options: ShapefileOptions = {}): ShapefileLayer {
  const archive = openZip(zip, options.zipLimits)
  const shp = chooseShp(archive, options.layer)
  const stem = stemOf(shp.name).toLowerCase()
  const sibling = (ext: string): ZipEntry | undefined =>
    archive.entries.find((e) => stemOf(e.name).toLowerCase() === stem && extOf(e.name) === ext)
  const name = baseOf(shp.name)

  const dbf = sibling('dbf')
  if (!dbf) throw new GeoImportError('shapefile_incomplete', `the archive has ${shp.name} but no ${name}.dbf beside it; upload the .shp, .dbf and .prj together`, { entry: shp.name })
  const prj = sibling('prj')
  if (!prj) {
    throw new GeoImportError('crs_missing',
      `the archive has no ${name}.prj, so the CRS of ${shp.name} is unknown; add the .prj the layer was exported with, or re-export it in EPSG:4326`, { entry: shp.name })
  }
  const cpg = sibling('cpg')
  const crs: Crs = { epsg: epsgFromWkt(archive.read(prj).toString('utf8'), { entry: prj.name }), declared: true }
  const table = readDbf(archive.read(dbf), { cpg: cpg && archive.read(cpg).toString('utf8'), where: { entry: dbf.name } })
  const shapes = readShp(archive.read(shp), { entry: shp.name })
  if (shapes.records.length !== table.records) {
    throw new GeoImportError('shapefile_corrupt', `${shp.name} has ${shapes.records.length} shapes but ${dbf.name} has ${table.records} records; the two belong to different layers`, { entry: dbf.name })
  }
  return { crs, name, encoding: table.encoding, features: features(shapes, table, crs) }
}

function chooseShp(archive: ZipArchive, wanted: string | undefined): ZipEntry {
  const shps = archive.entries.filter((e) => extOf(e.name) === 'shp' && !isJunk(e.name))
  if (shps.length === 0) {
    const hint = archive.entries.some((e) => ['dbf', 'shx', 'prj'].includes(extOf(e.name))) ? ' (it has other parts of a shapefile, but not the .shp)' : ''
    throw new GeoImportError('shapefile_incomplete', `the archive holds no .shp file${hint}`)
  }
  const names = shps.map((e) => e.name)
  if (wanted !== undefined) {
    const w = wanted.toLowerCase()
    const found = shps.filter((e) => e.name.toLowerCase() === w || stemOf(e.name).toLowerCase() === w || baseOf(e.name).toLowerCase() === stemOf(w))
    if (found.length === 1) return found[0]!
    throw new GeoImportError(found.length === 0 ? 'shapefile_layer_unknown' : 'shapefile_layer_required',
      `${found.length === 0 ? 'no' : 'more than one'} shapefile is called "${wanted}"; the archive holds ${names.join(', ')}`)
  }
  if (shps.length > 1) throw new GeoImportError('shapefile_layer_required', `the archive holds ${shps.length} shapefiles; say which to import: ${names.join(', ')}`)
  return shps[0]!
}

type ShpRecord = { type: number; content: Buffer }

/** Splits a .shp into its records, checking the header and each record's bounds. */
export function readShp(bytes: Uint8Array, where: GeoImportWhere = {}): { type: number; records: ShpRecord[] } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  const corrupt = (reason: string, at: GeoImportWhere = {}): never => { throw new GeoImportError('shapefile_corrupt', reason, { ...where, ...at }) }
  if (buf.length < 100 || buf.readInt32BE(0) !== 9994) corrupt('not a .shp file (its header is missing)')
  const type = buf.readInt32LE(32)
  if (type === 31) throw new GeoImportError('unsupported_geometry_type', 'MultiPatch (3D surfaces) shapefiles cannot be imported', where)
  if (SHAPE_NAMES[type] === undefined) corrupt(`shape type ${type} is not a shapefile type`)
  const declared = buf.readInt32BE(24) * 2
  if (declared > buf.length) corrupt(`the .shp is cut short: it declares ${declared} bytes and has ${buf.length}`)
  const records: ShpRecord[] = []
  for (let p = 100; p < declared;) {
    const index = records.length
    if (p + 12 > declared) corrupt('a record header is cut short', { feature: index })
    const length = buf.readInt32BE(p + 4) * 2
    if (length < 4 || p + 8 + length > declared) corrupt(`record ${index} runs past the end of the file`, { feature: index })
    const content = buf.subarray(p + 8, p + 8 + length)
    const recordType = content.readInt32LE(0)
    if (recordType !== 0 && recordType !== type) {
      corrupt(`a ${SHAPE_NAMES[recordType] ?? `type ${recordType}`} record in a ${SHAPE_NAMES[type]} file`, { feature: index })
    }
    records.push({ type: recordType, content })
    p += 8 + length
  }
  return { type, records }
}

function* features(shapes: { records: ShpRecord[] }, table: DbfTable, crs: Crs): Generator<ParsedFeature, void, undefined> {
  for (let index = 0; index < shapes.records.length; index++) {
    const properties = table.record(index)
    if (properties === null) continue
    const notes: string[] = []
    const geometry = shapeGeometry(shapes.records[index]!, index, crs.epsg, notes)
    const feature: ParsedFeature = { index, geometry, properties }
    if (notes.length > 0) feature.notes = notes
    yield feature
  }
}

function shapeGeometry(record: ShpRecord, feature: number, epsg: number, notes: string[]): ImportGeometry {
  const c = record.content
  const corrupt = (reason: string): never => { throw new GeoImportError('shapefile_corrupt', reason, { feature }) }
  if (record.type === 0) throw new GeoImportError('empty_geometry', 'the record is a null shape (no geometry)', { feature })
  const kind = KIND[record.type]!
  const point = (at: number): Position => [c.readDoubleLE(at), c.readDoubleLE(at + 8)]

  if (kind === 'point') {
    if (c.length < 20) corrupt('the point record is cut short')
    return validateGeometry({ type: 'Point', coordinates: point(4) }, { epsg, feature })
  }
  if (kind === 'multipoint') {
    if (c.length < 40) corrupt('the multipoint record is cut short')
    const n = c.readInt32LE(36)
    if (n < 0 || 40 + 16 * n > c.length) corrupt('the multipoint record is cut short')
    return validateGeometry({ type: 'MultiPoint', coordinates: Array.from({ length: n }, (_, k) => point(40 + 16 * k)) }, { epsg, feature })
  }
  if (c.length < 44) corrupt('the record is cut short')
  const partCount = c.readInt32LE(36)
  const pointCount = c.readInt32LE(40)
  const pointsAt = 44 + 4 * partCount
  if (partCount < 0 || pointCount < 0 || pointsAt + 16 * pointCount > c.length) corrupt('the record is cut short')
  if (partCount === 0 || pointCount === 0) throw new GeoImportError('empty_geometry', 'the record has no parts', { feature })
  const parts: Position[][] = []
  for (let k = 0; k < partCount; k++) {
    const from = c.readInt32LE(44 + 4 * k)
    const to = k + 1 < partCount ? c.readInt32LE(44 + 4 * (k + 1)) : pointCount
    if (from < 0 || to > pointCount || from > to || (k === 0 && from !== 0)) corrupt(`part ${k} points outside the record`)
    parts.push(Array.from({ length: to - from }, (_, j) => point(pointsAt + 16 * (from + j))))
  }
  if (kind === 'line') {
    // Checked as one MultiLineString so errors name the record's part.
    const lines = validateGeometry({ type: 'MultiLineString', coordinates: parts }, { epsg, feature }).coordinates as Position[][]
    return lines.length === 1 ? { type: 'LineString', coordinates: lines[0]! } : { type: 'MultiLineString', coordinates: lines }
  }
  // Checked as one polygon whose rings are the record's parts, so errors name the part as the ring.
  const rings = validateGeometry({ type: 'Polygon', coordinates: parts }, { epsg, feature }).coordinates as Position[][]
  return assemblePolygons(rings, notes)
}

/** Twice the signed area: positive for counter-clockwise (a shapefile hole), negative for clockwise. */
export function signedArea2(ring: readonly Position[]): number {
  let sum = 0
  for (let k = 0; k + 1 < ring.length; k++) sum += ring[k]![0]! * ring[k + 1]![1]! - ring[k + 1]![0]! * ring[k]![1]!
  return sum
}

// Ray casting; a point on the boundary answers undefined so the caller tries another vertex.
function inside(p: Position, ring: readonly Position[]): boolean | undefined {
  const [x, y] = p as [number, number]
  let odd = false
  for (let k = 0, j = ring.length - 1; k < ring.length; j = k++) {
    const [xk, yk] = ring[k] as [number, number]
    const [xj, yj] = ring[j] as [number, number]
    const cross = (xj - xk) * (y - yk) - (yj - yk) * (x - xk)
    if (cross === 0 && Math.min(xk, xj) <= x && x <= Math.max(xk, xj) && Math.min(yk, yj) <= y && y <= Math.max(yk, yj)) return undefined
    if ((yk > y) !== (yj > y) && x < ((xj - xk) * (y - yk)) / (yj - yk) + xk) odd = !odd
  }
  return odd
}

const contains = (outer: readonly Position[], hole: readonly Position[]): boolean => {
  for (const p of hole) {
    const answer = inside(p, outer)
    if (answer !== undefined) return answer
  }
  return true // every vertex on the outer ring's boundary: the hole fills it; PostGIS repair decides
}

/**
 * Shapefile rings (outer clockwise, holes counter-clockwise) to a GeoJSON Polygon or MultiPolygon
 * in RFC 7946 orientation. A hole inside no outer ring becomes an outer ring, with a note.
 */
export function assemblePolygons(rings: readonly Position[][], notes: string[] = []): ImportGeometry {
  const areas = rings.map(signedArea2)
  const polygons: { outer: Position[]; source: readonly Position[]; area: number; holes: Position[][] }[] = []
  rings.forEach((ring, k) => {
    if (areas[k]! <= 0) polygons.push({ outer: [...ring].reverse(), source: ring, area: -areas[k]!, holes: [] })
  })
  const outers = polygons.slice()
  rings.forEach((ring, k) => {
    if (areas[k]! <= 0) return
    let best: (typeof polygons)[number] | undefined
    for (const o of outers) {
      if ((!best || o.area < best.area) && contains(o.source, ring)) best = o
    }
    if (best) best.holes.push([...ring].reverse())
    else {
      polygons.push({ outer: ring, source: ring, area: areas[k]!, holes: [] })
      notes.push(`ring ${k} is counter-clockwise (a hole) but lies in no outer ring: read as an outer ring`)
    }
  })
  const coordinates = polygons.map((p) => [p.outer, ...p.holes])
  return coordinates.length === 1 ? { type: 'Polygon', coordinates: coordinates[0]! } : { type: 'MultiPolygon', coordinates }
}
