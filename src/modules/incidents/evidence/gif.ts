// GIF structure: header, logical screen, colour table, then extension and image blocks (each a
// chain of length-prefixed sub-blocks) up to the trailer. Stripping drops comment extensions and
// application extensions other than looping (NETSCAPE2.0, ANIMEXTS1.0) and the ICC profile: XMP
// ("XMP DataXMP") travels as one of those.
import { malformed } from './errors.ts'

export type GifBlock = { kind: 'extension' | 'image'; label: number; start: number; end: number; application?: string }
export type GifStructure = { width: number; height: number; frames: number; blocks: GifBlock[]; headerEnd: number; end: number }

const KEPT_APPLICATIONS = new Set(['NETSCAPE2.0', 'ANIMEXTS1.0', 'ICCRGBG1012'])

function subBlocksEnd(b: Uint8Array, at: number): number {
  for (;;) {
    if (at >= b.length) throw malformed(at, 'the GIF ends inside a data block (it is cut short)')
    const n = b[at]!
    if (n === 0) return at + 1
    at += 1 + n
  }
}

/**
 * Walks a GIF's blocks to its trailer. Throws `evidence_malformed` naming the offset.
 * @example walkGif(bytes) // { width: 1, height: 1, frames: 1, blocks: [...], end: 35 }
 */
export function walkGif(b: Uint8Array): GifStructure {
  if (b.length < 13) throw malformed(b.length, 'the GIF header is cut short')
  const width = b[6]! | (b[7]! << 8)
  const height = b[8]! | (b[9]! << 8)
  let pos = 13 + (b[10]! & 0x80 ? 3 * 2 ** ((b[10]! & 7) + 1) : 0)
  const headerEnd = pos
  const blocks: GifBlock[] = []
  let frames = 0
  for (;;) {
    if (pos >= b.length) throw malformed(pos, 'the GIF ends before its trailer (it is cut short)')
    const introducer = b[pos]!
    if (introducer === 0x3b) return { width, height, frames, blocks, headerEnd, end: pos + 1 }
    if (introducer === 0x21) {
      if (pos + 2 > b.length) throw malformed(pos, 'a GIF extension is cut short')
      const label = b[pos + 1]!
      let application: string | undefined
      if (label === 0xff && b[pos + 2] === 11 && pos + 14 <= b.length) application = String.fromCharCode(...b.subarray(pos + 3, pos + 14))
      const end = subBlocksEnd(b, pos + 2)
      blocks.push({ kind: 'extension', label, start: pos, end, ...(application ? { application } : {}) })
      pos = end
    } else if (introducer === 0x2c) {
      if (pos + 10 > b.length) throw malformed(pos, 'a GIF image descriptor is cut short')
      const packed = b[pos + 9]!
      const dataAt = pos + 10 + (packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0)
      if (dataAt + 1 > b.length) throw malformed(pos, 'a GIF image is cut short')
      const end = subBlocksEnd(b, dataAt + 1) // after the LZW minimum code size
      blocks.push({ kind: 'image', label: 0x2c, start: pos, end })
      frames++
      pos = end
    } else {
      throw malformed(pos, `unexpected GIF block 0x${introducer.toString(16).padStart(2, '0')}`)
    }
  }
}

/** The GIF without comments and metadata application extensions; image data copied byte for byte. */
export function stripGif(b: Uint8Array): { bytes: Uint8Array; removed: string[]; width: number; height: number } {
  const structure = walkGif(b)
  const parts: Uint8Array[] = [b.subarray(0, structure.headerEnd)]
  const removed = new Set<string>()
  for (const block of structure.blocks) {
    if (block.kind === 'extension' && block.label === 0xfe) { removed.add('comment'); continue }
    if (block.kind === 'extension' && block.label === 0xff && !KEPT_APPLICATIONS.has(block.application ?? '')) {
      removed.add(block.application === 'XMP DataXMP' ? 'XMP' : `application extension ${JSON.stringify(block.application ?? '')}`)
      continue
    }
    parts.push(b.subarray(block.start, block.end))
  }
  parts.push(Uint8Array.from([0x3b]))
  const trailing = b.length - structure.end
  if (trailing > 0 && b.subarray(structure.end).some((x) => x !== 0)) removed.add(`${trailing} bytes after the trailer`)
  return { bytes: Buffer.concat(parts), removed: [...removed], width: structure.width, height: structure.height }
}
