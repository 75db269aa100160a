// Evidence files for tests, built byte by byte: TIFF/Exif blocks with a GPS position and a camera,
// and the smallest valid pictures and movies to put them in (an 8×8 grey baseline JPEG, a 1×1
// PNG, a 1×1 lossless WebP, a 1×1 GIF, an MP4 with ©xyz and Apple location metadata, a HEIC with
// Exif and XMP items). Nothing here is copied from a real file.
import { deflateSync } from 'node:zlib'
import { exifSegment } from './jpeg.ts'
import { pngChunk } from './png.ts'

export { pngChunk }

// ---------------------------------------------------------------- TIFF / Exif

export type TiffEntry = { tag: number; type: 1 | 2 | 3 | 4 | 5 | 7; values: number[] | string }
const TYPE_SIZE = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1 } as const

/** A TIFF block (what follows "Exif\0\0") with IFD0, and optionally the Exif and GPS IFDs it points at. */
export function buildTiff(ifds: { ifd0?: TiffEntry[]; exif?: TiffEntry[]; gps?: TiffEntry[] }, littleEndian = false): Buffer {
  const ifd0 = [...(ifds.ifd0 ?? [])]
  // The pointers are LONGs whose values are filled in once the layout is known.
  if (ifds.exif) ifd0.push({ tag: 0x8769, type: 4, values: [0] })
  if (ifds.gps) ifd0.push({ tag: 0x8825, type: 4, values: [0] })
  const tables = [ifd0, ifds.exif ?? null, ifds.gps ?? null]
  const count = (e: TiffEntry) => (typeof e.values === 'string' ? Buffer.byteLength(e.values, 'utf8') + 1 : e.type === 5 ? e.values.length / 2 : e.values.length)
  const dataSize = (e: TiffEntry) => TYPE_SIZE[e.type] * count(e)
  const tableSize = (t: TiffEntry[]) => 2 + 12 * t.length + 4 + t.reduce((n, e) => n + (dataSize(e) > 4 ? dataSize(e) + (dataSize(e) % 2) : 0), 0)
  const starts: number[] = []
  let at = 8
  for (const t of tables) { starts.push(at); if (t) at += tableSize(t) }
  const out = Buffer.alloc(at)
  const w16 = (v: number, o: number) => (littleEndian ? out.writeUInt16LE(v, o) : out.writeUInt16BE(v, o))
  const w32 = (v: number, o: number) => (littleEndian ? out.writeUInt32LE(v, o) : out.writeUInt32BE(v, o))
  out.write(littleEndian ? 'II' : 'MM', 0, 'latin1')
  w16(42, 2)
  w32(8, 4)
  for (const e of ifd0) {
    if (e.tag === 0x8769) e.values = [starts[1]!]
    if (e.tag === 0x8825) e.values = [starts[2]!]
  }
  tables.forEach((t, k) => {
    if (!t) return
    const start = starts[k]!
    t.sort((a, b) => a.tag - b.tag)
    w16(t.length, start)
    let data = start + 2 + 12 * t.length + 4
    t.forEach((e, i) => {
      const o = start + 2 + 12 * i
      w16(e.tag, o)
      w16(e.type, o + 2)
      w32(count(e), o + 4)
      const size = dataSize(e)
      const valueAt = size > 4 ? data : o + 8
      if (size > 4) { w32(data, o + 8); data += size + (size % 2) }
      if (typeof e.values === 'string') out.write(e.values, valueAt, 'utf8')
      else e.values.forEach((v, j) => {
        if (e.type === 1 || e.type === 7) out[valueAt + j] = v
        else if (e.type === 3) w16(v, valueAt + 2 * j)
        else w32(v, valueAt + 4 * j)
      })
    })
  })
  return out
}

const dms = (deg: number): number[] => {
  const a = Math.abs(deg)
  const d = Math.floor(a)
  const m = Math.floor((a - d) * 60)
  const s = Math.round(((a - d) * 60 - m) * 60 * 1000)
  return [d, 1, m, 1, s, 1000]
}

/** The GPS IFD entries for a position (and altitude), as a phone writes them. */
export function gpsEntries(lat: number, lon: number, altitudeM?: number): TiffEntry[] {
  const out: TiffEntry[] = [
    { tag: 0, type: 1, values: [2, 3, 0, 0] },
    { tag: 1, type: 2, values: lat < 0 ? 'S' : 'N' },
    { tag: 2, type: 5, values: dms(lat) },
    { tag: 3, type: 2, values: lon < 0 ? 'W' : 'E' },
    { tag: 4, type: 5, values: dms(lon) },
  ]
  if (altitudeM !== undefined) {
    out.push({ tag: 5, type: 1, values: [altitudeM < 0 ? 1 : 0] }, { tag: 6, type: 5, values: [Math.round(Math.abs(altitudeM) * 100), 100] })
  }
  return out
}

/** A phone's Exif: make, model, orientation, software, serial, lens, time and the GPS position. */
export function phoneExif(options: { lat?: number; lon?: number; altitudeM?: number; orientation?: number; littleEndian?: boolean } = {}): Buffer {
  const { lat = 33.5702, lon = 36.4031, orientation = 6 } = options
  return buildTiff({
    ifd0: [
      { tag: 0x010f, type: 2, values: 'Apple' },
      { tag: 0x0110, type: 2, values: 'iPhone 6' },
      { tag: 0x0112, type: 3, values: [orientation] },
      { tag: 0x0131, type: 2, values: '9.2.1' },
    ],
    exif: [
      { tag: 0x9003, type: 2, values: '2016:03:01 14:02:11' },
      { tag: 0xa431, type: 2, values: 'F17PX0XXHG7F' },
      { tag: 0xa434, type: 2, values: 'iPhone 6 back camera 4.15mm f/2.2' },
    ],
    gps: gpsEntries(lat, lon, options.altitudeM),
  }, options.littleEndian ?? false)
}

// ---------------------------------------------------------------- JPEG

const seg = (marker: number, payload: Uint8Array): Buffer => {
  const len = payload.length + 2
  return Buffer.concat([Buffer.from([0xff, marker, len >> 8, len & 0xff]), payload])
}

export const jpegSegments = {
  jfif: () => seg(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0])),
  exif: (tiff: Uint8Array) => Buffer.from(exifSegment(tiff)),
  xmp: (xml: string) => seg(0xe1, Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from(xml)])),
  icc: () => seg(0xe2, Buffer.concat([Buffer.from('ICC_PROFILE\0', 'latin1'), Buffer.from([1, 1]), Buffer.alloc(32, 7)])),
  iptc: () => seg(0xed, Buffer.concat([Buffer.from('Photoshop 3.0\0', 'latin1'), Buffer.from('8BIM\x04\x04\0\0\0\0\0\x0a\x1c\x02\x5a\0\x05Douma', 'latin1')])),
  comment: (text: string) => seg(0xfe, Buffer.from(text)),
  adobe: () => seg(0xee, Buffer.from([0x41, 0x64, 0x6f, 0x62, 0x65, 0, 100, 0, 0, 0, 0, 0])),
  app(n: number, payload: string) { return seg(0xe0 + n, Buffer.from(payload, 'latin1')) },
}

/**
 * A baseline greyscale JPEG of width × height (multiples of 8 decode exactly) that decodes to mid
 * grey: one quantisation table of ones, Huffman tables with a single 1-bit code each (DC
 * difference 0, AC end-of-block), and per 8×8 block the two bits "00". `app` segments go after SOI.
 */
export function buildJpeg(options: { app?: Uint8Array[]; width?: number; height?: number; trailing?: Uint8Array } = {}): Buffer {
  const { width = 8, height = 8 } = options
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8)
  const bits = 2 * blocks
  const scan = Buffer.alloc(Math.ceil(bits / 8))
  // Zeros for the blocks, then one bits to fill the last byte (as the standard pads).
  for (let i = bits; i < scan.length * 8; i++) scan[i >> 3]! |= 0x80 >> (i & 7)
  const huffman = (tableClass: number) => Buffer.from([tableClass << 4, 1, ...Array<number>(15).fill(0), 0])
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    ...(options.app ?? []),
    seg(0xdb, Buffer.from([0, ...Array<number>(64).fill(1)])),
    seg(0xc0, Buffer.from([8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0])),
    seg(0xc4, huffman(0)),
    seg(0xc4, huffman(1)),
    seg(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0])),
    scan,
    Buffer.from([0xff, 0xd9]),
    options.trailing ?? Buffer.alloc(0),
  ])
}

// ---------------------------------------------------------------- PNG

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** An RGB PNG of width × height (red pixels); `before` chunks go between IHDR and IDAT, `after` between IDAT and IEND. */
export function buildPng(options: { width?: number; height?: number; before?: Buffer[]; after?: Buffer[]; trailing?: Uint8Array } = {}): Buffer {
  const { width = 1, height = 1 } = options
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [255, 0, 0]).flat())])
  const raw = Buffer.concat(Array<Buffer>(height).fill(row))
  return Buffer.concat([
    PNG_SIGNATURE, pngChunk('IHDR', ihdr), ...(options.before ?? []), pngChunk('IDAT', deflateSync(raw)), ...(options.after ?? []),
    pngChunk('IEND', Buffer.alloc(0)), options.trailing ?? Buffer.alloc(0),
  ])
}

export const pngText = (keyword: string, text: string) => pngChunk('tEXt', Buffer.from(`${keyword}\0${text}`, 'latin1'))
export const pngITxt = (keyword: string, text: string) => pngChunk('iTXt', Buffer.concat([Buffer.from(`${keyword}\0\0\0\0\0`, 'latin1'), Buffer.from(text)]))

// ---------------------------------------------------------------- WebP

function riffChunk(fourcc: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8)
  head.write(fourcc, 0, 'latin1')
  head.writeUInt32LE(data.length, 4)
  return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)])
}

/**
 * A 1×1 lossless WebP bitstream: header (0x2F, width-1 = 0, height-1 = 0, no alpha, version 0),
 * no transform, no colour cache, no meta codes, then five "simple" prefix codes of one symbol each
 * (green 0, red 255, blue 0, alpha 255, distance 0), so the one pixel takes no bits: opaque red.
 */
export function vp8l1x1(): Buffer {
  const bits: number[] = []
  const put = (value: number, n: number) => { for (let k = 0; k < n; k++) bits.push((value >> k) & 1) }
  put(0, 1) // no transform
  put(0, 1) // no colour cache
  put(0, 1) // no meta prefix codes
  const simple = (symbol: number) => {
    put(1, 1) // simple code
    put(0, 1) // one symbol
    if (symbol < 2) { put(0, 1); put(symbol, 1) } else { put(1, 1); put(symbol, 8) }
  }
  simple(0); simple(255); simple(0); simple(255); simple(0)
  const body = Buffer.alloc(Math.ceil(bits.length / 8))
  bits.forEach((bit, i) => { if (bit) body[i >> 3]! |= 1 << (i & 7) })
  return Buffer.concat([Buffer.from([0x2f, 0, 0, 0, 0]), body])
}

/** A 1×1 WebP; with exif or xmp (or `extended`) it is the extended format, VP8X flags set to match. */
export function buildWebp(options: { exif?: Uint8Array; xmp?: string; extended?: boolean; extra?: Buffer[]; trailing?: Uint8Array } = {}): Buffer {
  const image = riffChunk('VP8L', vp8l1x1())
  const extended = options.extended || options.exif || options.xmp
  const chunks: Buffer[] = []
  if (extended) {
    const vp8x = Buffer.alloc(10)
    vp8x[0] = (options.exif ? 0x08 : 0) | (options.xmp ? 0x04 : 0)
    chunks.push(riffChunk('VP8X', vp8x))
  }
  chunks.push(image)
  if (options.exif) chunks.push(riffChunk('EXIF', options.exif))
  if (options.xmp) chunks.push(riffChunk('XMP ', Buffer.from(options.xmp)))
  chunks.push(...(options.extra ?? []))
  const body = Buffer.concat(chunks)
  const head = Buffer.alloc(12)
  head.write('RIFF', 0, 'latin1')
  head.writeUInt32LE(body.length + 4, 4)
  head.write('WEBP', 8, 'latin1')
  return Buffer.concat([head, body, options.trailing ?? Buffer.alloc(0)])
}

export { riffChunk }

// ---------------------------------------------------------------- GIF

/** A 1×1 GIF89a (two-colour table, one LZW-coded pixel), with an optional comment and XMP extension. */
export function buildGif(options: { comment?: string; xmp?: string } = {}): Buffer {
  const subBlocks = (data: Buffer) => {
    const parts: Buffer[] = []
    for (let at = 0; at < data.length; at += 255) { const p = data.subarray(at, at + 255); parts.push(Buffer.from([p.length]), p) }
    return Buffer.concat([...parts, Buffer.from([0])])
  }
  return Buffer.concat([
    Buffer.from('GIF89a', 'latin1'),
    Buffer.from([1, 0, 1, 0, 0x80, 0, 0]), // 1×1, a global table of two colours
    Buffer.from([0, 0, 0, 255, 255, 255]),
    Buffer.from([0x21, 0xff, 11]), Buffer.from('NETSCAPE2.0', 'latin1'), Buffer.from([3, 1, 0, 0, 0]),
    ...(options.comment ? [Buffer.from([0x21, 0xfe]), subBlocks(Buffer.from(options.comment))] : []),
    ...(options.xmp ? [Buffer.from([0x21, 0xff, 11]), Buffer.from('XMP DataXMP', 'latin1'), subBlocks(Buffer.from(options.xmp)).subarray(0)] : []),
    Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0]), // image at 0,0, 1×1, no local table
    Buffer.from([2, 2, 0x44, 0x01, 0]), // LZW: min code size 2; clear, 0, end
    Buffer.from([0x3b]),
  ])
}

// ---------------------------------------------------------------- ISO BMFF (MP4, HEIC)

export function box(type: string, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content)
  const head = Buffer.alloc(8)
  head.writeUInt32BE(body.length + 8, 0)
  head.write(type, 4, 'latin1')
  return Buffer.concat([head, body])
}
export const fullBox = (type: string, version: number, ...content: Uint8Array[]) => box(type, Buffer.from([version, 0, 0, 0]), ...content)
const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(v, 0); return b }
const u16 = (v: number) => { const b = Buffer.alloc(2); b.writeUInt16BE(v, 0); return b }

export const ftyp = (major: string, ...compatible: string[]) => box('ftyp', Buffer.from(major, 'latin1'), u32(0), ...compatible.map((c) => Buffer.from(c, 'latin1')))

/**
 * An MP4 as a phone writes it: ftyp, mdat (the "samples"), then moov with a track whose sample
 * table (stco) points at the samples by absolute offset, the Android-style ©xyz in moov/udta and
 * the Apple-style location key in moov/meta. `location` false leaves both out.
 */
export function buildMp4(options: { location?: boolean; brand?: string; moovFirst?: boolean } = {}): Buffer {
  const samples = Buffer.from('sample data: frame 1, frame 2, frame 3')
  const ftypBox = ftyp(options.brand ?? 'isom', 'isom', 'mp41')
  const udta = box('udta', box('\xa9xyz', u16(18), u16(0x15c7), Buffer.from('+33.5702+036.4031/', 'latin1')), box('\xa9mak', u16(5), u16(0), Buffer.from('Apple')))
  const keys = fullBox('keys', 0, u32(1), box('mdta', Buffer.from('com.apple.quicktime.location.ISO6709')))
  const ilst = box('ilst', box('\0\0\0\x01', box('data', u32(1), u32(0), Buffer.from('+33.5702+036.4031+712.000/'))))
  const meta = fullBox('meta', 0, box('hdlr', u32(0), u32(0), Buffer.from('mdta'), Buffer.alloc(13)), keys, ilst)
  const moov = (mdatDataAt: number) => box('moov',
    fullBox('mvhd', 0, Buffer.alloc(96)),
    box('trak', fullBox('tkhd', 0, Buffer.alloc(80)), box('mdia', box('minf', box('stbl', fullBox('stco', 0, u32(1), u32(mdatDataAt)))))),
    ...(options.location === false ? [] : [udta, meta]),
  )
  if (options.moovFirst) {
    const size = moov(0).length
    return Buffer.concat([ftypBox, moov(ftypBox.length + size + 8), box('mdat', samples)])
  }
  return Buffer.concat([ftypBox, box('mdat', samples), moov(ftypBox.length + 8)])
}

/**
 * A HEIC with three items: the coded picture (hvc1), its Exif and an XMP packet, all in mdat and
 * located by iloc (version 0, 4-byte offsets and lengths).
 */
export function buildHeic(options: { exif?: Uint8Array; xmp?: string } = {}): Buffer {
  const picture = Buffer.from('not really HEVC, but the bytes of the picture item')
  const exifItem = options.exif ? Buffer.concat([u32(0), options.exif]) : null
  const xmpItem = options.xmp ? Buffer.from(options.xmp) : null
  const items: { id: number; type: string; contentType?: string; data: Buffer }[] = [{ id: 1, type: 'hvc1', data: picture }]
  if (exifItem) items.push({ id: 2, type: 'Exif', data: exifItem })
  if (xmpItem) items.push({ id: 3, type: 'mime', contentType: 'application/rdf+xml', data: xmpItem })
  const infe = (i: (typeof items)[number]) => fullBox('infe', 2, u16(i.id), u16(0), Buffer.from(i.type, 'latin1'), Buffer.from('\0'), ...(i.contentType ? [Buffer.from(`${i.contentType}\0`)] : []))
  const meta = (dataAt: number) => {
    let at = dataAt
    const locations = items.map((i) => { const loc = Buffer.concat([u16(i.id), u16(0), u16(1), u32(at), u32(i.data.length)]); at += i.data.length; return loc })
    return fullBox('meta', 0,
      fullBox('hdlr', 0, u32(0), Buffer.from('pict'), Buffer.alloc(13)),
      fullBox('pitm', 0, u16(1)),
      fullBox('iinf', 0, u16(items.length), ...items.map(infe)),
      fullBox('iloc', 0, Buffer.from([0x44, 0x00]), u16(items.length), ...locations),
      box('iprp', box('ipco', fullBox('ispe', 0, u32(640), u32(480)))),
    )
  }
  const ftypBox = ftyp('heic', 'mif1', 'heic')
  const metaSize = meta(0).length
  return Buffer.concat([ftypBox, meta(ftypBox.length + metaSize + 8), box('mdat', ...items.map((i) => i.data))])
}

// ---------------------------------------------------------------- streams

/** The bytes as a stream of chunks of `size` bytes. */
export async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size)
}

export async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = []
  for await (const c of stream) parts.push(c)
  return Buffer.concat(parts)
}
