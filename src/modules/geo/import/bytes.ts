// Reading an upload with a ceiling: the formats that cannot stream (TopoJSON shares arcs across the
// document; a ZIP's directory is at its end) are gathered whole, but never beyond maxBytes, so a
// 2 GB file costs the limit, not 2 GB.
import { GeoImportError } from './types.ts'

export type ReadLimits = {
  /** The largest file taken, in bytes; one byte more is `file_too_large`. */
  maxBytes: number
  /** Called after each chunk with the bytes read so far and the features found so far. */
  onProgress?: (bytesRead: number, features: number) => void
}

export const tooLarge = (maxBytes: number): GeoImportError =>
  new GeoImportError('file_too_large', `the file is larger than the limit of ${maxBytes.toLocaleString('en')} bytes`)

/**
 * Gathers a stream into one buffer, stopping (and closing the stream) as soon as it passes maxBytes.
 *
 * @example
 * const zip = await readLimited(request.file, { maxBytes: 200 * 2 ** 20 })
 */
export async function readLimited(input: Uint8Array | AsyncIterable<Uint8Array>, limits: ReadLimits): Promise<Buffer> {
  if (input instanceof Uint8Array) {
    if (input.length > limits.maxBytes) throw tooLarge(limits.maxBytes)
    limits.onProgress?.(input.length, 0)
    return Buffer.from(input.buffer, input.byteOffset, input.length)
  }
  const parts: Uint8Array[] = []
  let size = 0
  // Leaving the loop by a throw calls the source's return(), which closes an upload or a file.
  for await (const chunk of input) {
    size += chunk.length
    if (size > limits.maxBytes) throw tooLarge(limits.maxBytes)
    parts.push(chunk)
    limits.onProgress?.(size, 0)
  }
  return Buffer.concat(parts, size)
}
