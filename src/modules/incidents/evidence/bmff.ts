// ISO base media files (MP4, QuickTime MOV, 3GP, HEIF/HEIC): boxes of size + type, nested. Phones
// write where a video was shot into the movie's user data (`moov/udta/©xyz`, 3GPP `loci`) and
// Apple's metadata box (`moov/meta`, key com.apple.quicktime.location.ISO6709), next to the make,
// model and software. Those boxes are turned into `free` boxes of the same size with their
// contents zeroed: no offset in the file moves (the sample tables point into `mdat` by absolute
// offset), so the video plays as before and a large file can be stripped as it streams past.
// HEIF keeps Exif and XMP as items of its top-level `meta` box: their bytes are overwritten in
// place by an empty Exif block and an empty XMP packet, for the same reason.
import { malformed } from './errors.ts'
import { readExif, type ExifSummary, type GpsLocation } from './exif.ts'

export type Box = { type: string; start: number; headerSize: number; end: number }

const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!
const u32 = (b: Uint8Array, at: number) => b[at]! * 0x1000000 + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!)
const uN = (b: Uint8Array, at: number, n: number) => { let v = 0; for (let k = 0; k < n; k++) v = v * 256 + b[at + k]!; return v }
const fourcc = (b: Uint8Array, at: number) => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!)

/**
 * The box header at `at`, whose box must end by `limit`. A size of 0 runs to `limit`; a size of 1
 * is followed by a 64-bit size. Throws `evidence_malformed` when the box does not fit.
 */
export function readBox(b: Uint8Array, at: number, limit: number): Box {
  if (at + 8 > b.length) throw malformed(at, 'a box header is cut short')
  const size32 = u32(b, at)
  const type = fourcc(b, at + 4)
  let headerSize = 8
  let size = size32
  if (size32 === 1) {
    if (at + 16 > b.length) throw malformed(at, `the ${JSON.stringify(type)} box header is cut short`)
    size = uN(b, at + 8, 8)
    headerSize = 16
  } else if (size32 === 0) size = limit - at
  if (type === 'uuid') headerSize += 16
  if (size < headerSize || at + size > limit) throw malformed(at, `the ${JSON.stringify(type)} box (${size} bytes) does not fit where it is`)
  return { type, start: at, headerSize, end: at + size }
}

/** The boxes inside [from, to), each checked to fit. */
export function childBoxes(b: Uint8Array, from: number, to: number): Box[] {
  const out: Box[] = []
  for (let at = from; at < to;) {
    const box = readBox(b, at, to)
    out.push(box)
    at = box.end
  }
  return out
}

/** Walks a whole file's top-level boxes: they must follow each other exactly to the end. */
export function walkIsoBmff(b: Uint8Array): Box[] {
  const boxes = childBoxes(b, 0, b.length)
  if (boxes[0]?.type !== 'ftyp' && !['moov', 'mdat', 'wide', 'pnot', 'free', 'skip'].includes(boxes[0]?.type ?? '')) {
    throw malformed(0, 'the file does not start with an ftyp box')
  }
  return boxes
}

/** Boxes of a movie that carry where, when and with what it was recorded. */
const MOVIE_METADATA = new Set(['udta', 'meta'])
/** Boxes inside `moov` whose children are walked for more of them. */
const MOVIE_CONTAINERS = new Set(['trak'])

function blank(b: Uint8Array, box: Box): void {
  b.set([0x66, 0x72, 0x65, 0x65], box.start + 4) // "free"
  // A uuid header's 16 extra bytes and a 64-bit size stay; the content (and uuid) is zeroed.
  const contentFrom = box.start + (u32(b, box.start) === 1 ? 16 : 8)
  b.fill(0, contentFrom, box.end)
}

/** What a movie said about itself, and which boxes of it were blanked ("moov/udta", "moov/trak/meta", "uuid"). */
export type MovieMetadata = { removed: string[]; location?: GpsLocation }

// ISO 6709 as phones write it in ©xyz and in Apple's location key: "+33.5701+036.4012+095.000/".
const ISO6709 = /([+-]\d{1,2}(?:\.\d+)?)([+-]\d{1,3}(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?\//

/** The first ISO 6709 position in a run of bytes, if there is one. */
export function iso6709(b: Uint8Array): GpsLocation | null {
  const m = ISO6709.exec(Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1'))
  if (!m) return null
  const lat = Number(m[1])
  const lon = Number(m[2])
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null
  return m[3] === undefined ? { lat, lon } : { lat, lon, altitudeM: Number(m[3]) }
}

/**
 * In a buffer holding one whole `moov` box at `at`: reads the location its metadata gives and,
 * when `blankIt`, turns its and its tracks' `udta` and `meta` into zeroed `free` boxes in place.
 */
export function movieMetadata(b: Uint8Array, found: MovieMetadata, blankIt = true, at = 0): void {
  const moov = readBox(b, at, b.length)
  const visit = (box: Box, path: string) => {
    for (const child of childBoxes(b, box.start + box.headerSize, box.end)) {
      if (MOVIE_METADATA.has(child.type)) {
        found.location ??= iso6709(b.subarray(child.start, child.end)) ?? undefined
        if (!blankIt) continue
        blank(b, child)
        found.removed.push(`${path}/${child.type}`)
      } else if (MOVIE_CONTAINERS.has(child.type)) visit(child, `${path}/${child.type}`)
    }
  }
  visit(moov, 'moov')
  if (found.location === undefined) delete found.location
}

/** The largest `moov` box held in memory while streaming; a movie index beyond it is refused. */
export const MAX_MOOV_BYTES = 64 * 1024 * 1024

/**
 * Streams an MP4/MOV through, checking that its top-level boxes follow each other to the end, and
 * (unless `strip` is false) blanking movie metadata: each `moov` is gathered whole (it is an
 * index, megabytes at most) and patched; top-level `udta`, `meta` and `uuid` boxes (XMP, vendor
 * GPS logs) are zeroed as they pass. `found` is filled as the boxes are met. Throws
 * `evidence_malformed` naming the offset.
 *
 * @example
 * const found: MovieMetadata = { removed: [] }
 * await store.put(stripMovieStream(upload, found), { maxBytes })
 */
export async function* stripMovieStream(source: AsyncIterable<Uint8Array>, found: MovieMetadata = { removed: [] }, options: { strip?: boolean } = {}): AsyncGenerator<Uint8Array> {
  const strip = options.strip ?? true
  const queue = new ByteQueue()
  let offset = 0 // file offset of the first queued byte
  // The box being passed through: where it ends (null: to the end of the file), whether its content is zeroed.
  let passing: { end: number | null; zero: boolean } | null = null
  let sawFirst = false
  for await (const chunk of source) {
    queue.push(chunk)
    for (;;) {
      if (passing) {
        const wanted = passing.end === null ? queue.length : Math.min(queue.length, passing.end - offset)
        if (wanted === 0) break
        for (const piece of queue.shiftPieces(wanted)) yield passing.zero ? Buffer.alloc(piece.length) : piece
        offset += wanted
        if (offset === passing.end) passing = null
        continue
      }
      if (queue.length < 8) break
      const peek = queue.peek(Math.min(queue.length, 16))
      const size32 = u32(peek, 0)
      if (size32 === 1 && peek.length < 16) break
      const type = fourcc(peek, 4)
      const size = size32 === 1 ? uN(peek, 8, 8) : size32
      const headerSize = size32 === 1 ? 16 : 8
      if (size32 !== 0 && size < headerSize) throw malformed(offset, `the ${JSON.stringify(type)} box has an impossible size (${size})`)
      if (!sawFirst && !['ftyp', 'moov', 'mdat', 'wide', 'pnot', 'free', 'skip'].includes(type)) throw malformed(offset, 'the file does not start with an ftyp box')
      sawFirst = true
      if (type === 'moov') {
        if (size32 === 0) throw malformed(offset, 'a moov box cannot run to the end of the file')
        if (size > MAX_MOOV_BYTES) throw malformed(offset, `the movie index (moov) of ${size} bytes is larger than ${MAX_MOOV_BYTES}`)
        if (queue.length < size) break // gather the whole moov
        const moov = queue.shift(size)
        movieMetadata(moov, found, strip)
        yield moov
        offset += size
        continue
      }
      const zero = strip && (MOVIE_METADATA.has(type) || type === 'uuid')
      const head = queue.shift(headerSize)
      if (zero) { head.write('free', 4, 'latin1'); found.removed.push(type) }
      yield head
      passing = { end: size32 === 0 ? null : offset + size, zero }
      offset += headerSize
      if (passing.end === offset) passing = null
    }
  }
  if (passing && passing.end !== null) throw malformed(offset, 'the file ends inside a box (it is cut short)')
  if (queue.length > 0) throw malformed(offset, 'the file ends inside a box header (it is cut short)')
  if (!sawFirst) throw malformed(0, 'the file holds no boxes')
}

/** Chunks held in arrival order, copied together only when a contiguous run is asked for. */
class ByteQueue {
  private pieces: Buffer[] = []
  length = 0
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return
    this.pieces.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length))
    this.length += chunk.length
  }
  /** The first n bytes, as pieces, removed from the queue. */
  shiftPieces(n: number): Buffer[] {
    const out: Buffer[] = []
    while (n > 0) {
      const first = this.pieces[0]!
      if (first.length <= n) { out.push(first); this.pieces.shift(); n -= first.length; this.length -= first.length }
      else { out.push(first.subarray(0, n)); this.pieces[0] = first.subarray(n); this.length -= n; n = 0 }
    }
    return out
  }
  /** The first n bytes in one new buffer, removed from the queue. */
  shift(n: number): Buffer {
    return Buffer.concat(this.shiftPieces(n), n)
  }
  /** A copy of the first n bytes, left in the queue. */
  peek(n: number): Buffer {
    const out = Buffer.alloc(n)
    let k = 0
    for (const p of this.pieces) {
      if (k >= n) break
      k += p.copy(out, k, 0, Math.min(p.length, n - k))
    }
    return out
  }
}

type HeifItem = { id: number; type: string; contentType: string; extents: { offset: number; length: number }[] }

/** The items of a HEIF file's top-level `meta` box, with their extents as file offsets. */
export function heifItems(b: Uint8Array): HeifItem[] {
  const meta = walkIsoBmff(b).find((x) => x.type === 'meta')
  if (!meta) throw malformed(0, 'the HEIF file has no meta box')
  const boxes = childBoxes(b, meta.start + meta.headerSize + 4, meta.end) // meta is a FullBox
  const items = new Map<number, HeifItem>()
  const iinf = boxes.find((x) => x.type === 'iinf')
  if (iinf) {
    const version = b[iinf.start + iinf.headerSize]!
    const first = iinf.start + iinf.headerSize + 4 + (version === 0 ? 2 : 4)
    for (const infe of childBoxes(b, first, iinf.end)) {
      if (infe.type !== 'infe') continue
      const v = b[infe.start + infe.headerSize]!
      if (v < 2) continue // items without a type (HEIF writes version 2 or 3)
      let at = infe.start + infe.headerSize + 4
      const id = v === 2 ? u16(b, at) : u32(b, at)
      at += (v === 2 ? 2 : 4) + 2 // item_ID, item_protection_index
      if (at + 4 > infe.end) throw malformed(infe.start, 'an item info entry is cut short')
      const type = fourcc(b, at)
      at += 4
      const text = () => { let s = ''; while (at < infe.end && b[at] !== 0) s += String.fromCharCode(b[at++]!); at++; return s }
      text() // item_name
      const contentType = type === 'mime' ? text() : ''
      items.set(id, { id, type, contentType, extents: [] })
    }
  }
  const iloc = boxes.find((x) => x.type === 'iloc')
  const idat = boxes.find((x) => x.type === 'idat')
  if (iloc) {
    let at = iloc.start + iloc.headerSize
    const version = b[at]!
    at += 4
    const offsetSize = b[at]! >> 4
    const lengthSize = b[at]! & 15
    const baseOffsetSize = b[at + 1]! >> 4
    const indexSize = version >= 1 ? b[at + 1]! & 15 : 0
    at += 2
    const count = version < 2 ? u16(b, at) : u32(b, at)
    at += version < 2 ? 2 : 4
    const need = (n: number) => { if (at + n > iloc.end) throw malformed(at, 'the item location box (iloc) is cut short') }
    for (let k = 0; k < count; k++) {
      need(version < 2 ? 2 : 4)
      const id = version < 2 ? u16(b, at) : u32(b, at)
      at += version < 2 ? 2 : 4
      let method = 0
      if (version >= 1) { need(2); method = u16(b, at) & 15; at += 2 }
      need(2 + baseOffsetSize + 2)
      at += 2 // data_reference_index
      const base = uN(b, at, baseOffsetSize)
      at += baseOffsetSize
      const extents = u16(b, at)
      at += 2
      const item = items.get(id)
      for (let e = 0; e < extents; e++) {
        need(indexSize + offsetSize + lengthSize)
        at += indexSize
        const offset = base + uN(b, at, offsetSize)
        at += offsetSize
        const length = uN(b, at, lengthSize)
        at += lengthSize
        if (!item || method === 2) continue
        const origin = method === 1 ? (idat ? idat.start + idat.headerSize : -1) : 0
        if (origin < 0) throw malformed(iloc.start, `item ${id} is in an idat box that does not exist`)
        const from = origin + offset
        if (from + length > b.length) throw malformed(iloc.start, `item ${id} lies past the end of the file`)
        item.extents.push({ offset: from, length })
      }
    }
  }
  return [...items.values()]
}

const itemBytes = (b: Uint8Array, item: HeifItem) => Buffer.concat(item.extents.map((e) => b.subarray(e.offset, e.offset + e.length)))
const isXmp = (item: HeifItem) => item.type === 'mime' && /rdf\+xml|xmp/i.test(item.contentType)

/** What a HEIF file's Exif item says, or null when it has none. */
export function heifExif(b: Uint8Array): ExifSummary | null {
  const item = heifItems(b).find((x) => x.type === 'Exif')
  if (!item) return null
  const data = itemBytes(b, item)
  if (data.length < 4) throw malformed(item.extents[0]?.offset ?? 0, 'the HEIF Exif item is too short')
  return readExif(data.subarray(4 + u32(data, 0)))
}

// An Exif item: a 4-byte offset to the TIFF header (0), then a TIFF header with one empty IFD.
const EMPTY_EXIF_ITEM = Uint8Array.from([0, 0, 0, 0, 0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0])
const EMPTY_XMP = Buffer.from('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>', 'latin1')

function overwrite(b: Uint8Array, item: HeifItem, content: Uint8Array, fill: number): void {
  let k = 0
  for (const e of item.extents) {
    for (let i = 0; i < e.length; i++, k++) b[e.offset + i] = k < content.length ? content[k]! : fill
  }
}

/** A copy of a HEIF file with its Exif and XMP items emptied in place (same sizes, same offsets). */
export function stripHeif(input: Uint8Array): { bytes: Uint8Array; removed: string[] } {
  const b = Uint8Array.from(input)
  const removed = new Set<string>()
  for (const item of heifItems(b)) {
    const total = item.extents.reduce((n, e) => n + e.length, 0)
    if (item.type === 'Exif') {
      overwrite(b, item, total >= EMPTY_EXIF_ITEM.length ? EMPTY_EXIF_ITEM : new Uint8Array(0), 0)
      removed.add('Exif')
    } else if (isXmp(item)) {
      overwrite(b, item, total >= EMPTY_XMP.length ? EMPTY_XMP : new Uint8Array(0), 0x20)
      removed.add('XMP')
    }
  }
  for (const box of walkIsoBmff(b)) {
    if (box.type === 'uuid' || box.type === 'udta') { blank(b, box); removed.add(box.type) }
  }
  return { bytes: b, removed: [...removed] }
}
