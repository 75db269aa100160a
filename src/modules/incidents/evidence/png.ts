// PNG structure: the signature, then chunks (length, type, data, CRC) from IHDR to IEND, each
// checked against the file's length and its CRC. Stripping keeps the critical chunks and the
// ancillary ones that change how the picture looks (colour space, gamma, transparency, physical
// size, APNG animation) and drops the rest: eXIf (all but the orientation), the text chunks (tEXt,
// iTXt, zTXt, where tools put XMP and raw Exif too), tIME, vendor chunks, and anything after IEND.
import { crc32 } from 'node:zlib'
import { malformed } from './errors.ts'
import { orientationOnlyTiff, readExif } from './exif.ts'

export type PngChunk = { type: string; start: number; dataStart: number; dataEnd: number; end: number }

export type PngStructure = { width: number; height: number; bitDepth: number; colourType: number; interlaced: boolean; chunks: PngChunk[]; end: number }

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const u32 = (b: Uint8Array, at: number) => b[at]! * 0x1000000 + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!)

/** Ancillary chunks that shape the rendered picture; everything else ancillary is metadata or unknown. */
const RENDERING = new Set(['gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'bKGD', 'tRNS', 'pHYs', 'hIST', 'sPLT', 'cICP', 'mDCv', 'cLLi', 'acTL', 'fcTL', 'fdAT'])

const BIT_DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] }

/**
 * Walks a PNG's chunks, checking lengths, CRCs and the order the standard requires (IHDR first,
 * IDAT together, IEND last). Throws `evidence_malformed` naming the offset.
 *
 * @example
 * walkPng(bytes) // { width: 1, height: 1, bitDepth: 8, colourType: 2, chunks: [IHDR, IDAT, IEND], end }
 */
export function walkPng(b: Uint8Array): PngStructure {
  if (!SIGNATURE.every((x, k) => b[k] === x)) throw malformed(0, 'the PNG signature is wrong')
  const chunks: PngChunk[] = []
  let pos = 8
  let idatState: 'before' | 'in' | 'after' = 'before'
  for (;;) {
    if (pos + 12 > b.length) throw malformed(pos, 'the PNG ends before its IEND chunk (it is cut short)')
    const length = u32(b, pos)
    const type = String.fromCharCode(b[pos + 4]!, b[pos + 5]!, b[pos + 6]!, b[pos + 7]!)
    if (!/^[A-Za-z]{4}$/.test(type)) throw malformed(pos + 4, 'a PNG chunk type is not four letters')
    if (length > 0x7fffffff || pos + 12 + length > b.length) throw malformed(pos, `the PNG chunk ${type} runs past the end of the file`)
    const dataStart = pos + 8
    const dataEnd = dataStart + length
    const stored = u32(b, dataEnd)
    if (crc32(b.subarray(pos + 4, dataEnd)) !== stored) throw malformed(dataEnd, `the PNG chunk ${type} fails its CRC check`)
    if (chunks.length === 0 && type !== 'IHDR') throw malformed(pos, 'a PNG must start with its IHDR chunk')
    if (type === 'IDAT') {
      if (idatState === 'after') throw malformed(pos, 'the PNG image data (IDAT) is split by another chunk')
      idatState = 'in'
    } else if (idatState === 'in') idatState = 'after'
    chunks.push({ type, start: pos, dataStart, dataEnd, end: dataEnd + 4 })
    pos = dataEnd + 4
    if (type === 'IEND') break
  }
  const ihdr = chunks[0]!
  if (ihdr.dataEnd - ihdr.dataStart !== 13) throw malformed(ihdr.start, 'the PNG IHDR chunk must hold 13 bytes')
  const width = u32(b, ihdr.dataStart)
  const height = u32(b, ihdr.dataStart + 4)
  const bitDepth = b[ihdr.dataStart + 8]!
  const colourType = b[ihdr.dataStart + 9]!
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) throw malformed(ihdr.dataStart, 'the PNG width or height is zero or too large')
  if (!BIT_DEPTHS[colourType]?.includes(bitDepth)) throw malformed(ihdr.dataStart + 8, `bit depth ${bitDepth} with colour type ${colourType} is not a PNG`)
  if (idatState === 'before') throw malformed(ihdr.start, 'the PNG has no image data (IDAT)')
  if (colourType === 3 && !chunks.some((c) => c.type === 'PLTE')) throw malformed(ihdr.start, 'a palette PNG has no PLTE chunk')
  return { width, height, bitDepth, colourType, interlaced: b[ihdr.dataStart + 12] === 1, chunks, end: pos }
}

/** The TIFF block of the eXIf chunk, if there is one. */
export function pngExif(b: Uint8Array, structure: PngStructure = walkPng(b)): Uint8Array | null {
  const c = structure.chunks.find((x) => x.type === 'eXIf')
  return c ? b.subarray(c.dataStart, c.dataEnd) : null
}

/** A chunk: length, type, data, CRC of type and data. */
export function pngChunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'latin1')
  out.set(data, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}

/**
 * The PNG without metadata chunks; `removed` names the chunk types that went. Kept chunks are
 * copied byte for byte. Browsers turn a PNG by its eXIf orientation, so unless `keepOrientation`
 * is false, an eXIf chunk with a turned orientation is replaced by one that says only that.
 */
export function stripPng(b: Uint8Array, options: { keepOrientation?: boolean } = {}): { bytes: Uint8Array; removed: string[]; width: number; height: number } {
  const structure = walkPng(b)
  const parts: Uint8Array[] = [b.subarray(0, 8)]
  const removed = new Set<string>()
  for (const c of structure.chunks) {
    const critical = c.type.charCodeAt(0) < 0x61 // an upper-case first letter
    if (critical || RENDERING.has(c.type)) { parts.push(b.subarray(c.start, c.end)); continue }
    removed.add(c.type)
    if (c.type === 'eXIf' && (options.keepOrientation ?? true)) {
      let orientation: number | undefined
      try { orientation = readExif(b.subarray(c.dataStart, c.dataEnd)).orientation } catch { orientation = undefined }
      if (orientation !== undefined && orientation >= 2 && orientation <= 8) parts.push(pngChunk('eXIf', orientationOnlyTiff(orientation)))
    }
  }
  const trailing = b.length - structure.end
  if (trailing > 0) removed.add(`${trailing} bytes after IEND`)
  return { bytes: Buffer.concat(parts), removed: [...removed], width: structure.width, height: structure.height }
}
