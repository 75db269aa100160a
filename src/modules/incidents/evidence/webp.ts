// WebP structure: a RIFF container of chunks (VP8 lossy, VP8L lossless, or VP8X extended with
// ALPH, ANIM/ANMF, ICCP, EXIF, XMP). Stripping drops EXIF, XMP and chunks the format does not
// define, clears the EXIF and XMP flags in VP8X and rewrites the RIFF size, so a decoder never
// looks for a chunk that is no longer there.
import { malformed } from './errors.ts'

export type WebpChunk = { fourcc: string; start: number; dataStart: number; dataEnd: number; end: number }
export type WebpStructure = { width: number; height: number; lossless: boolean; animated: boolean; chunks: WebpChunk[]; end: number }

const u32le = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x1000000
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)
const fourcc = (b: Uint8Array, at: number) => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!)

const KEPT = new Set(['VP8X', 'VP8 ', 'VP8L', 'ALPH', 'ANIM', 'ANMF', 'ICCP'])
const FLAG_EXIF = 0x08
const FLAG_XMP = 0x04
const FLAG_ANIMATION = 0x02

/**
 * Walks a WebP's chunks within its RIFF size and reads the picture's dimensions from VP8X, VP8 or
 * VP8L. Throws `evidence_malformed` naming the offset.
 *
 * @example
 * walkWebp(bytes) // { width: 1, height: 1, lossless: true, animated: false, chunks: [VP8L], end: 34 }
 */
export function walkWebp(b: Uint8Array): WebpStructure {
  if (b.length < 12 || fourcc(b, 0) !== 'RIFF' || fourcc(b, 8) !== 'WEBP') throw malformed(0, 'a WebP must start with RIFF….WEBP')
  const riffSize = u32le(b, 4)
  const end = riffSize + 8
  if (riffSize % 2 !== 0) throw malformed(4, 'the RIFF size of a WebP must be even')
  if (end > b.length) throw malformed(b.length, `the RIFF header announces ${end} bytes but the file has ${b.length} (it is cut short)`)
  const chunks: WebpChunk[] = []
  for (let pos = 12; pos < end;) {
    if (pos + 8 > end) throw malformed(pos, 'a WebP chunk header is cut short')
    const cc = fourcc(b, pos)
    const size = u32le(b, pos + 4)
    const dataStart = pos + 8
    const dataEnd = dataStart + size
    const next = dataEnd + (size % 2)
    if (next > end) throw malformed(pos, `the WebP chunk ${JSON.stringify(cc)} runs past the end of the RIFF data`)
    chunks.push({ fourcc: cc, start: pos, dataStart, dataEnd, end: next })
    pos = next
  }
  const first = chunks[0]
  if (!first) throw malformed(12, 'the WebP holds no chunks')
  const at = first.dataStart
  const len = first.dataEnd - first.dataStart
  if (first.fourcc === 'VP8X') {
    if (len < 10) throw malformed(first.start, 'the WebP VP8X chunk must hold 10 bytes')
    const flags = b[at]!
    const animated = (flags & FLAG_ANIMATION) !== 0
    const image = chunks.find((c) => c.fourcc === (animated ? 'ANMF' : 'VP8 ') || c.fourcc === 'VP8L')
    if (!image) throw malformed(first.start, animated ? 'an animated WebP has no frames (ANMF)' : 'the WebP has no image data (VP8 or VP8L)')
    if (!animated) bitstreamSize(b, image) // checks the bitstream header
    return { width: u24le(b, at + 4) + 1, height: u24le(b, at + 7) + 1, lossless: image.fourcc === 'VP8L', animated, chunks, end }
  }
  if (first.fourcc !== 'VP8 ' && first.fourcc !== 'VP8L') throw malformed(first.start, `a WebP must start with VP8, VP8L or VP8X, not ${JSON.stringify(first.fourcc)}`)
  const { width, height } = bitstreamSize(b, first)
  return { width, height, lossless: first.fourcc === 'VP8L', animated: false, chunks, end }
}

/** The dimensions a VP8 key frame or a VP8L header declares. */
function bitstreamSize(b: Uint8Array, c: WebpChunk): { width: number; height: number } {
  const at = c.dataStart
  const len = c.dataEnd - c.dataStart
  if (c.fourcc === 'VP8L') {
    if (len < 5 || b[at] !== 0x2f) throw malformed(at, 'the WebP VP8L signature is wrong')
    const bits = u32le(b, at + 1)
    if (bits >>> 29 !== 0) throw malformed(at + 1, 'the WebP VP8L version is not 0')
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 }
  }
  if (len < 10) throw malformed(at, 'the WebP VP8 frame header is cut short')
  if ((b[at]! & 1) !== 0) throw malformed(at, 'the WebP VP8 data does not start with a key frame')
  if (b[at + 3] !== 0x9d || b[at + 4] !== 0x01 || b[at + 5] !== 0x2a) throw malformed(at + 3, 'the WebP VP8 start code is wrong')
  const width = (b[at + 6]! | (b[at + 7]! << 8)) & 0x3fff
  const height = (b[at + 8]! | (b[at + 9]! << 8)) & 0x3fff
  if (width === 0 || height === 0) throw malformed(at + 6, 'the WebP VP8 frame has no width or height')
  return { width, height }
}

/** The TIFF block of the EXIF chunk, if there is one (some writers put JPEG's "Exif\0\0" in front). */
export function webpExif(b: Uint8Array, structure: WebpStructure = walkWebp(b)): Uint8Array | null {
  const c = structure.chunks.find((x) => x.fourcc === 'EXIF')
  if (!c) return null
  const data = b.subarray(c.dataStart, c.dataEnd)
  return data.length >= 6 && String.fromCharCode(...data.subarray(0, 4)) === 'Exif' ? data.subarray(6) : data
}

/** The WebP without EXIF, XMP and unknown chunks, VP8X flags and RIFF size fixed. */
export function stripWebp(b: Uint8Array): { bytes: Uint8Array; removed: string[]; width: number; height: number } {
  const structure = walkWebp(b)
  const parts: Uint8Array[] = []
  const removed = new Set<string>()
  for (const c of structure.chunks) {
    if (!KEPT.has(c.fourcc)) { removed.add(c.fourcc.trim()); continue }
    if (c.fourcc === 'VP8X') {
      const copy = Uint8Array.from(b.subarray(c.start, c.end))
      copy[8] = copy[8]! & ~(FLAG_EXIF | FLAG_XMP)
      parts.push(copy)
    } else parts.push(b.subarray(c.start, c.end))
  }
  const body = Buffer.concat(parts)
  const header = Buffer.alloc(12)
  header.write('RIFF', 0, 'latin1')
  header.writeUInt32LE(body.length + 4, 4)
  header.write('WEBP', 8, 'latin1')
  const trailing = b.length - structure.end
  if (trailing > 0) removed.add(`${trailing} bytes after the RIFF data`)
  return { bytes: Buffer.concat([header, body]), removed: [...removed], width: structure.width, height: structure.height }
}
