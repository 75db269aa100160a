// Which reader a file needs, from its first bytes (and its name when the bytes cannot tell): a ZIP
// (a zipped shapefile), TopoJSON, or GeoJSON. Formats we know but do not read get a clear refusal
// naming them rather than a JSON syntax error.
import { GeoImportError } from './types.ts'

export type GeoFormat = 'geojson' | 'topojson' | 'zip'

const startsWith = (head: Uint8Array, bytes: readonly number[]) => bytes.every((b, k) => head[k] === b)

/**
 * The format of a file from its first bytes (a few KiB are enough) and its name.
 *
 * @example
 * detectFormat(Buffer.from('{"type":"Topology","objects":{}}')) // 'topojson'
 * detectFormat(upload.subarray(0, 4096), 'admin1.zip')            // 'zip'
 */
export function detectFormat(head: Uint8Array, fileName = ''): GeoFormat {
  const ext = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? ''
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return 'zip'
  if (startsWith(head, [0x00, 0x00, 0x27, 0x0a])) {
    throw new GeoImportError('shapefile_incomplete', 'this is a bare .shp; upload it in a ZIP together with its .dbf and .prj (and .cpg if there is one)')
  }
  const refuse = (what: string): never => { throw new GeoImportError('format_unsupported', `${what} cannot be imported; export the layer as GeoJSON, TopoJSON or a zipped shapefile`) }
  if (startsWith(head, [0x1f, 0x8b])) refuse('a gzip-compressed file')
  if (startsWith(head, [...Buffer.from('SQLite format 3\0')])) refuse('a GeoPackage (SQLite)')
  if (startsWith(head, [0x52, 0x61, 0x72, 0x21])) refuse('a RAR archive')
  if (startsWith(head, [0x37, 0x7a, 0xbc, 0xaf])) refuse('a 7-Zip archive')

  let i = startsWith(head, [0xef, 0xbb, 0xbf]) ? 3 : 0
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++
  if (head[i] === 0x7b /* { */) {
    const type = topLevelType(head, i)
    if (type === 'Topology') return 'topojson'
    if (type === undefined && (ext === 'topojson' || hasTopLevelKey(head, i, 'arcs'))) return 'topojson'
    return 'geojson'
  }
  if (head[i] === 0x3c /* < */) refuse(ext === 'kml' ? 'KML' : ext === 'gpx' ? 'GPX' : 'an XML file (KML, GML or GPX)')
  if (ext === 'shp' || ext === 'dbf' || ext === 'shx' || ext === 'prj') {
    throw new GeoImportError('shapefile_incomplete', `a .${ext} alone is part of a shapefile; upload the .shp, .dbf and .prj together in one ZIP`)
  }
  throw new GeoImportError('format_unknown', 'the file is not GeoJSON, TopoJSON or a zipped shapefile')
}

// Walks the start of a JSON object, calling `member` with each key at depth 1 and the offset after its ':'.
function eachTopLevelKey(head: Uint8Array, from: number, member: (key: string, valueAt: number) => boolean): void {
  let depth = 0
  let stringStart = -1
  let escaped = false
  let lastString = ''
  for (let i = from; i < head.length; i++) {
    const b = head[i]!
    if (stringStart >= 0) {
      if (escaped) escaped = false
      else if (b === 0x5c) escaped = true
      else if (b === 0x22) {
        lastString = Buffer.from(head.subarray(stringStart, i)).toString('utf8')
        stringStart = -1
      }
      continue
    }
    if (b === 0x22) { stringStart = i + 1; lastString = '' }
    else if (b === 0x7b || b === 0x5b) depth++
    else if (b === 0x7d || b === 0x5d) depth--
    else if (b === 0x3a && depth === 1) { if (member(lastString, i + 1)) return }
    else if (b === 0x2c) lastString = ''
  }
}

function topLevelType(head: Uint8Array, from: number): string | undefined {
  let type: string | undefined
  eachTopLevelKey(head, from, (key, at) => {
    if (key !== 'type') return false
    const m = /^\s*"([^"\\]{1,40})"/.exec(Buffer.from(head.subarray(at, at + 64)).toString('utf8'))
    type = m?.[1]
    return true
  })
  return type
}

function hasTopLevelKey(head: Uint8Array, from: number, wanted: string): boolean {
  let found = false
  eachTopLevelKey(head, from, (key) => (found = key === wanted))
  return found
}
