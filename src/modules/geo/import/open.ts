// One entry point for an uploaded map layer: sniff the format from the first bytes, then read it
// with the right reader under the same byte limit. GeoJSON streams; TopoJSON and ZIPs are gathered
// whole (never beyond the limit) because they cannot be read front to back.
import { readLimited, type ReadLimits } from './bytes.ts'
import { detectFormat, type GeoFormat } from './detect.ts'
import { openGeoJson } from './geojson.ts'
import { openShapefileZip } from './shapefile.ts'
import { openTopoJson } from './topojson.ts'
import type { ImportedLayer } from './types.ts'
import type { ZipLimits } from './zip.ts'

export type OpenLayerOptions = ReadLimits & {
  /** The uploaded file's name; it settles the format only when the bytes cannot. */
  fileName?: string
  /** TopoJSON: the object to import, when the topology has several. */
  object?: string
  /** Zipped shapefiles: the .shp to import, when the archive has several. */
  layer?: string
  zipLimits?: Partial<ZipLimits>
}

export type OpenedLayer = ImportedLayer & { format: GeoFormat }

const HEAD_BYTES = 64 * 1024

/**
 * Opens an uploaded layer file of any supported format.
 *
 * @example
 * const layer = await openLayerFile(request.file, { maxBytes: 200 * 2 ** 20, fileName: 'adm1.zip' })
 * // in one transaction: for await (const f of layer.features) insert(f, layer.crs.epsg); commit only at the end
 */
export async function openLayerFile(chunks: AsyncIterable<Uint8Array>, options: OpenLayerOptions): Promise<OpenedLayer> {
  const source = chunks[Symbol.asyncIterator]()
  const head: Uint8Array[] = []
  let size = 0
  let ended = false
  try {
    while (size < Math.min(HEAD_BYTES, options.maxBytes + 1)) {
      const next = await source.next()
      if (next.done) { ended = true; break }
      head.push(next.value)
      size += next.value.length
    }
  } catch (e) {
    await source.return?.()
    throw e
  }
  const rest = replay(head, ended ? undefined : source)
  let format: GeoFormat
  try {
    format = detectFormat(Buffer.concat(head, size).subarray(0, HEAD_BYTES), options.fileName)
  } catch (e) {
    if (!ended) await source.return?.() // `rest` has not started, so its own cleanup would not run
    throw e
  }
  if (format === 'geojson') return { format, ...(await openGeoJson(rest, options)) }
  if (format === 'topojson') return { format, ...(await openTopoJson(rest, options)) }
  const zip = await readLimited(rest, options)
  return { format, ...openShapefileZip(zip, { layer: options.layer, zipLimits: options.zipLimits }) }
}

// The chunks already read, then the rest of the source, which is closed however reading ends.
async function* replay(head: Uint8Array[], rest: AsyncIterator<Uint8Array> | undefined): AsyncGenerator<Uint8Array, void, undefined> {
  try {
    yield* head
    if (!rest) return
    for (;;) {
      const next = await rest.next()
      if (next.done) return
      yield next.value
    }
  } finally {
    await rest?.return?.()
  }
}
