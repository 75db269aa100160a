// What the import page can tell about a file before sending it: its format from its name (the
// reader may override it), and from a look inside, the TopoJSON objects or zipped shapefiles it
// holds and the property names its features carry, to offer as choices. The server reads the file
// again and is the judge; nothing here refuses a file.
import type { GeoImportFormat } from '../../api.ts'

/**
 * The format a file's name says, if it says one.
 * @example formatFromName('admin1.topo.json') === 'topojson'
 * @example formatFromName('SYR_adm.ZIP') === 'shapefile'
 */
export function formatFromName(name: string): GeoImportFormat | null {
  const n = name.toLowerCase()
  if (n.endsWith('.zip') || n.endsWith('.shp')) return 'shapefile'
  if (n.endsWith('.topojson') || n.endsWith('.topo.json')) return 'topojson'
  if (n.endsWith('.geojson') || n.endsWith('.json')) return 'geojson'
  return null
}

const EXTENSIONS: Readonly<Record<GeoImportFormat, string>> = { geojson: '.geojson', topojson: '.topojson', shapefile: '.zip' }

/**
 * The name to tell the server the file has: its own, or, when the reader chose another format
 * than its name says, the same name with that format's extension.
 * @example fileNameFor('regions.json', 'topojson') === 'regions.topojson'
 */
export function fileNameFor(name: string, format: GeoImportFormat): string {
  if (formatFromName(name) === format) return name
  const stem = name.replace(/\.(topo\.json|geojson|topojson|json|zip|shp)$/i, '') || 'upload'
  return stem + EXTENSIONS[format]
}

export type FileLook = {
  /** The format the content shows (a .json file may hold a Topology). */
  format: GeoImportFormat | null
  /** TopoJSON objects, or the .shp files in a zip, by name. */
  objects: string[]
  /** Property names of the first features. */
  properties: string[]
  /** How many features the file holds, when that is quick to tell. */
  features: number | null
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The names of the files in a ZIP archive, from its central directory. */
export function zipEntries(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
  let end = -1
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (view.getUint32(i, true) === 0x06054b50) { end = i; break }
  }
  if (end < 0) return []
  const count = view.getUint16(end + 10, true)
  let at = view.getUint32(end + 16, true)
  const names: string[] = []
  const decoder = new TextDecoder()
  for (let i = 0; i < count && at + 46 <= bytes.length; i++) {
    if (view.getUint32(at, true) !== 0x02014b50) break
    const nameLength = view.getUint16(at + 28, true)
    const extraLength = view.getUint16(at + 30, true)
    const commentLength = view.getUint16(at + 32, true)
    names.push(decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)))
    at += 46 + nameLength + extraLength + commentLength
  }
  return names
}

/** Property names of up to the first 50 property objects, in first-seen order. */
function propertyNames(objects: readonly unknown[]): string[] {
  const names = new Set<string>()
  for (const o of objects.slice(0, 50)) if (isRecord(o)) for (const k of Object.keys(o)) names.add(k)
  return [...names]
}

/** A look inside the file (never throws: an unreadable file just tells nothing). */
export function lookInside(bytes: Uint8Array, named: GeoImportFormat | null): FileLook {
  const nothing: FileLook = { format: named, objects: [], properties: [], features: null }
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b) {
    const shp = zipEntries(bytes).filter((n) => n.toLowerCase().endsWith('.shp')).map((n) => n.replace(/^.*\//, '').replace(/\.shp$/i, ''))
    return { ...nothing, format: 'shapefile', objects: shp }
  }
  let doc: unknown
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes))
  } catch {
    return nothing
  }
  if (!isRecord(doc)) return nothing
  if (doc.type === 'Topology' && isRecord(doc.objects)) {
    const objects = Object.keys(doc.objects)
    const geometries = Object.values(doc.objects).flatMap((o) => (isRecord(o) && Array.isArray(o.geometries) ? o.geometries : []))
    return {
      format: 'topojson', objects, features: geometries.length,
      properties: propertyNames(geometries.map((g) => (isRecord(g) ? g.properties : undefined))),
    }
  }
  if (doc.type === 'FeatureCollection' && Array.isArray(doc.features)) {
    return {
      format: 'geojson', objects: [], features: doc.features.length,
      properties: propertyNames(doc.features.map((f) => (isRecord(f) ? f.properties : undefined))),
    }
  }
  if (doc.type === 'Feature') return { format: 'geojson', objects: [], features: 1, properties: propertyNames([doc.properties]) }
  return nothing
}

/** The feature an error detail names, from its `feature` field or a `features[3]` path. */
export function featureOf(detail: { path?: string; feature?: unknown }): number | null {
  if (typeof detail.feature === 'number') return detail.feature
  const m = /(?:^|\.)features\[(\d+)\]/.exec(detail.path ?? '')
  return m ? Number(m[1]) : null
}
