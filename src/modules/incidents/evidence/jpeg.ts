// JPEG structure: the marker segments from SOI to EOI, the entropy-coded data after each SOS, the
// frame's dimensions. Stripping keeps what decoding and colour need (tables, frame, scans, JFIF,
// the ICC profile, Adobe's colour transform) and drops every other application segment: Exif
// (GPS, camera serials), XMP, IPTC/Photoshop (APP13), MPF with its appended pictures, vendor
// blocks, comments, and whatever follows EOI (a phone's "motion photo" video is appended there).
// The orientation alone may be kept, in a minimal Exif block, so the picture is not shown sideways.
import { malformed } from './errors.ts'
import { orientationOnlyTiff, readExif } from './exif.ts'

export type JpegSegment = {
  marker: number
  /** Offset of the 0xFF of the marker; the segment runs to `end` (for SOS, including its entropy-coded data). */
  start: number
  end: number
  /** The segment's payload after the length field (empty for standalone markers). */
  payloadStart: number
  payloadEnd: number
}

export type JpegStructure = {
  width: number
  height: number
  components: number
  progressive: boolean
  segments: JpegSegment[]
  /** Offset just after EOI; bytes beyond it are not part of the picture. */
  end: number
}

const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc
const isStandalone = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd7)

/**
 * Walks a JPEG from SOI to EOI, checking every length against the file. Throws
 * `evidence_malformed` with the offset of the first thing that does not fit.
 *
 * @example
 * walkJpeg(bytes) // { width: 4032, height: 3024, components: 3, progressive: false, segments: [...], end }
 */
export function walkJpeg(b: Uint8Array): JpegStructure {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) throw malformed(0, 'a JPEG must start with SOI (FF D8)')
  const segments: JpegSegment[] = []
  let frame: { width: number; height: number; components: number; progressive: boolean } | null = null
  let scans = 0
  let pos = 2
  for (;;) {
    if (pos + 2 > b.length) throw malformed(pos, 'the JPEG ends before its EOI marker (it is cut short)')
    if (b[pos] !== 0xff) throw malformed(pos, `expected a JPEG marker, found 0x${b[pos]!.toString(16).padStart(2, '0')}`)
    while (b[pos + 1] === 0xff && pos + 2 < b.length) pos++ // fill bytes before a marker
    const marker = b[pos + 1]!
    if (marker === 0xd9) {
      if (!frame) throw malformed(pos, 'the JPEG has no frame header (SOF)')
      if (scans === 0) throw malformed(pos, 'the JPEG has no scan (SOS)')
      return { ...frame, segments, end: pos + 2 }
    }
    if (marker === 0xd8 || marker === 0x00) throw malformed(pos, `unexpected JPEG marker 0xFF${marker.toString(16).toUpperCase().padStart(2, '0')}`)
    if (isStandalone(marker)) {
      segments.push({ marker, start: pos, end: pos + 2, payloadStart: pos + 2, payloadEnd: pos + 2 })
      pos += 2
      continue
    }
    if (pos + 4 > b.length) throw malformed(pos, 'a JPEG segment header is cut short')
    const length = u16(b, pos + 2)
    if (length < 2) throw malformed(pos + 2, `a JPEG segment length of ${length} is impossible`)
    const payloadStart = pos + 4
    const payloadEnd = pos + 2 + length
    if (payloadEnd > b.length) throw malformed(pos, `the JPEG segment 0xFF${marker.toString(16).toUpperCase()} runs past the end of the file`)
    if (isSof(marker)) {
      if (length < 8) throw malformed(pos, 'the JPEG frame header is too short')
      const components = b[payloadStart + 5]!
      if (length !== 8 + 3 * components) throw malformed(pos, 'the JPEG frame header length does not match its components')
      const height = u16(b, payloadStart + 1)
      const width = u16(b, payloadStart + 3)
      if (width === 0 || height === 0 || components === 0) throw malformed(pos, 'the JPEG frame has no width, height or components')
      frame = { width, height, components, progressive: marker === 0xc2 || marker === 0xc6 || marker === 0xca || marker === 0xce }
    }
    let end = payloadEnd
    if (marker === 0xda) {
      if (!frame) throw malformed(pos, 'a JPEG scan (SOS) comes before the frame header (SOF)')
      scans++
      end = scanEnd(b, payloadEnd)
    }
    segments.push({ marker, start: pos, end, payloadStart, payloadEnd })
    pos = end
  }
}

/** The end of entropy-coded data: the first marker that is not a stuffed 0xFF00 or a restart marker. */
function scanEnd(b: Uint8Array, from: number): number {
  let i = from
  while (i + 1 < b.length) {
    if (b[i] !== 0xff) { i++; continue }
    const next = b[i + 1]!
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) { i += 2; continue }
    if (next === 0xff) { i++; continue }
    return i
  }
  throw malformed(b.length, 'the JPEG scan data ends without a marker (the file is cut short)')
}

const startsWithAscii = (b: Uint8Array, at: number, end: number, s: string) =>
  end - at >= s.length && [...s].every((c, k) => b[at + k] === c.charCodeAt(0))

/** What an application segment is, by its marker and identifier. */
export function describeSegment(b: Uint8Array, s: JpegSegment): string {
  const has = (id: string) => startsWithAscii(b, s.payloadStart, s.payloadEnd, id)
  if (s.marker === 0xfe) return 'comment'
  if (s.marker === 0xe1 && has('Exif\0')) return 'Exif'
  if (s.marker === 0xe1 && has('http://ns.adobe.com/xap/1.0/\0')) return 'XMP'
  if (s.marker === 0xe1 && has('http://ns.adobe.com/xmp/extension/\0')) return 'extended XMP'
  if (s.marker === 0xe2 && has('ICC_PROFILE\0')) return 'ICC profile'
  if (s.marker === 0xe2 && has('MPF\0')) return 'MPF (multi-picture index)'
  if (s.marker === 0xed) return 'IPTC/Photoshop (APP13)'
  if (s.marker === 0xee && has('Adobe')) return 'Adobe'
  if (s.marker === 0xe0) return 'JFIF'
  if (s.marker >= 0xe0 && s.marker <= 0xef) return `APP${s.marker - 0xe0}`
  return `marker 0xFF${s.marker.toString(16).toUpperCase()}`
}

const KEPT_APP = new Set(['JFIF', 'ICC profile', 'Adobe'])

/** The TIFF block of the first Exif segment, if there is one. */
export function jpegExif(b: Uint8Array, structure: JpegStructure = walkJpeg(b)): Uint8Array | null {
  const s = structure.segments.find((x) => describeSegment(b, x) === 'Exif')
  return s ? b.subarray(s.payloadStart + 6, s.payloadEnd) : null
}

/**
 * The JPEG without location, camera and other metadata; `removed` names what went. The scans and
 * tables are copied byte for byte, so the picture decodes as before.
 */
export function stripJpeg(b: Uint8Array, options: { keepOrientation?: boolean } = {}): { bytes: Uint8Array; removed: string[]; width: number; height: number } {
  const structure = walkJpeg(b)
  const parts: Uint8Array[] = [b.subarray(0, 2)]
  const removed: string[] = []
  for (const s of structure.segments) {
    const isApp = (s.marker >= 0xe0 && s.marker <= 0xef) || s.marker === 0xfe
    const what = describeSegment(b, s)
    if (!isApp || KEPT_APP.has(what)) { parts.push(b.subarray(s.start, s.end)); continue }
    removed.push(what)
    if (what === 'Exif' && (options.keepOrientation ?? true)) {
      let orientation: number | undefined
      try { orientation = readExif(b.subarray(s.payloadStart + 6, s.payloadEnd)).orientation } catch { orientation = undefined }
      if (orientation !== undefined && orientation >= 2 && orientation <= 8) parts.push(exifSegment(orientationOnlyTiff(orientation)))
    }
  }
  parts.push(Uint8Array.from([0xff, 0xd9]))
  const trailing = b.length - structure.end
  if (trailing > 0) removed.push(`${trailing} bytes after the end of the picture`)
  return { bytes: Buffer.concat(parts), removed: [...new Set(removed)], width: structure.width, height: structure.height }
}

/** An APP1 Exif segment around a TIFF block. */
export function exifSegment(tiff: Uint8Array): Uint8Array {
  const length = 2 + 6 + tiff.length
  const head = Uint8Array.from([0xff, 0xe1, length >> 8, length & 0xff, 0x45, 0x78, 0x69, 0x66, 0, 0])
  return Buffer.concat([head, tiff])
}
