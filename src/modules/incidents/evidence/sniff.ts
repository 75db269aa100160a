// What an evidence file is, from its bytes alone: the magic numbers and the first structures
// behind them (a PNG's IHDR, an ISO BMFF `ftyp` box and its brands, a Matroska DocType, two
// MPEG audio frames in a row). The name and the declared Content-Type are never consulted: a
// phone or a hostile sender can say anything about those. What is not recognised is refused.
// Size limits are per kind of evidence and configurable.
import { EvidenceError, malformed } from './errors.ts'

export type EvidenceKind = 'image' | 'video' | 'audio' | 'document' | 'text'

export const EVIDENCE_TYPES = {
  jpeg: { kind: 'image', mime: 'image/jpeg', extension: 'jpg' },
  png: { kind: 'image', mime: 'image/png', extension: 'png' },
  webp: { kind: 'image', mime: 'image/webp', extension: 'webp' },
  gif: { kind: 'image', mime: 'image/gif', extension: 'gif' },
  heic: { kind: 'image', mime: 'image/heic', extension: 'heic' },
  heif: { kind: 'image', mime: 'image/heif', extension: 'heif' },
  mp4: { kind: 'video', mime: 'video/mp4', extension: 'mp4' },
  mov: { kind: 'video', mime: 'video/quicktime', extension: 'mov' },
  webm: { kind: 'video', mime: 'video/webm', extension: 'webm' },
  mkv: { kind: 'video', mime: 'video/x-matroska', extension: 'mkv' },
  pdf: { kind: 'document', mime: 'application/pdf', extension: 'pdf' },
  text: { kind: 'text', mime: 'text/plain; charset=utf-8', extension: 'txt' },
  wav: { kind: 'audio', mime: 'audio/wav', extension: 'wav' },
  mp3: { kind: 'audio', mime: 'audio/mpeg', extension: 'mp3' },
  ogg: { kind: 'audio', mime: 'audio/ogg', extension: 'ogg' },
} as const satisfies Record<string, { kind: EvidenceKind; mime: string; extension: string }>

export type EvidenceType = keyof typeof EVIDENCE_TYPES

/** A recognised file: its type, and the kind and MIME type it is served with (a codec may refine them). */
export type Sniffed = { type: EvidenceType; kind: EvidenceKind; mime: string }

const MiB = 1024 * 1024

/** The default ceilings per kind, in bytes. */
export const DEFAULT_LIMITS: Readonly<Record<EvidenceKind, number>> = Object.freeze({
  image: 25 * MiB, video: 500 * MiB, audio: 100 * MiB, document: 50 * MiB, text: 1 * MiB,
})

/** Ceilings by kind, or by type where one type needs its own (a type's entry wins over its kind's). */
export type EvidenceLimits = Partial<Record<EvidenceKind | EvidenceType, number>>

/**
 * The ceiling for a recognised file.
 * @example limitFor({ type: 'png', kind: 'image', mime: 'image/png' }, { image: 10 * 2 ** 20 }) === 10485760
 */
export function limitFor(sniffed: Sniffed, limits: EvidenceLimits = {}): number {
  return limits[sniffed.type] ?? limits[sniffed.kind] ?? DEFAULT_LIMITS[sniffed.kind]
}

/** The largest ceiling any type has: what may be read before the type is known. */
export function largestLimit(limits: EvidenceLimits = {}): number {
  const kinds = Object.keys(DEFAULT_LIMITS) as EvidenceKind[]
  const types = Object.keys(EVIDENCE_TYPES) as EvidenceType[]
  return Math.max(...kinds.map((k) => limits[k] ?? DEFAULT_LIMITS[k]), ...types.map((t) => limits[t] ?? 0))
}

/** Bytes enough to recognise every type (an MP3's ID3 tag may hold cover art, so the frame behind it may be further). */
export const SNIFF_BYTES = 64 * 1024

const ascii = (b: Uint8Array, at: number, n: number): string => {
  let s = ''
  for (let i = at; i < at + n && i < b.length; i++) s += String.fromCharCode(b[i]!)
  return s
}
const startsWith = (b: Uint8Array, bytes: readonly number[], at = 0) => bytes.every((x, k) => b[at + k] === x)
const u32be = (b: Uint8Array, at: number) => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!

const unsupported = (what: string): never => {
  throw new EvidenceError('evidence_type_unsupported', `${what} is not taken as evidence; send a photo (JPEG, PNG, WebP, GIF, HEIC), a video (MP4, MOV, WebM), audio (MP3, WAV, OGG), a PDF or plain text`)
}

const sniffed = (type: EvidenceType, mime?: string, kind?: EvidenceKind): Sniffed =>
  ({ type, kind: kind ?? EVIDENCE_TYPES[type].kind, mime: mime ?? EVIDENCE_TYPES[type].mime })

/**
 * The type of a file from its first bytes. `complete` says the bytes are the whole file, which
 * lets the checks that look further (UTF-8 text, the frame after an ID3 tag) be exact.
 *
 * @example
 * sniffType(upload.subarray(0, SNIFF_BYTES)) // { type: 'jpeg', kind: 'image', mime: 'image/jpeg' }
 * sniffType(Buffer.from('shelling since 6am'), { complete: true }) // { type: 'text', … }
 */
export function sniffType(head: Uint8Array, options: { complete?: boolean } = {}): Sniffed {
  const complete = options.complete ?? false
  if (head.length === 0) throw new EvidenceError('evidence_empty', 'the file is empty')

  if (startsWith(head, [0xff, 0xd8, 0xff])) return sniffed('jpeg')
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    if (head.length >= 16 && ascii(head, 12, 4) !== 'IHDR') throw malformed(12, 'a PNG must start with its IHDR chunk')
    return sniffed('png')
  }
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return sniffed('gif')
  if (ascii(head, 0, 4) === 'RIFF' && head.length >= 12) {
    const form = ascii(head, 8, 4)
    if (form === 'WEBP') return sniffed('webp')
    if (form === 'WAVE') return sniffed('wav')
    unsupported(`a RIFF ${JSON.stringify(form)} file`)
  }
  if (ascii(head, 4, 4) === 'ftyp') return sniffIsoBmff(head)
  if (head.length >= 8 && ['moov', 'mdat', 'wide', 'pnot'].includes(ascii(head, 4, 4)) && u32be(head, 0) >= 8) {
    // QuickTime files from before `ftyp` existed open on a movie atom directly.
    return sniffed('mov')
  }
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return sniffMatroska(head)
  if (/^%PDF-[12]\.\d/.test(ascii(head, 0, 8))) return sniffed('pdf')
  if (ascii(head, 0, 4) === 'OggS') return sniffOgg(head)
  if (ascii(head, 0, 3) === 'ID3' || (head[0] === 0xff && (head[1]! & 0xe0) === 0xe0)) {
    const mp3 = sniffMp3(head, complete)
    if (mp3) return mp3
  }
  if (isUtf8Text(head, complete)) return sniffed('text')

  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) unsupported('a ZIP archive (or an office document)')
  if (startsWith(head, [0x4d, 0x5a])) unsupported('a Windows program')
  if (startsWith(head, [0x7f, 0x45, 0x4c, 0x46])) unsupported('a program (ELF)')
  if (ascii(head, 0, 4) === 'fLaC') unsupported('FLAC audio')
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) unsupported('a TIFF image (or camera raw)')
  return unsupported('this file')
}

// ISO base media: HEIF images and MP4/QuickTime video share the container and differ by brand.
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs'])
const HEIF_BRANDS = new Set(['mif1', 'msf1'])
const MP4_BRANDS = new Set(['isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'iso7', 'iso8', 'iso9', 'mp41', 'mp42', 'avc1', 'dash', 'M4V ', 'MSNV', 'f4v ', 'mmp4'])
const GPP_BRANDS = new Set(['3gp4', '3gp5', '3gp6', '3gp7', '3gp8', '3gp9', '3g2a', '3g2b', '3g2c', '3ge6', '3gg6'])

function brandType(brand: string): Sniffed | 'avif' | null {
  if (HEIC_BRANDS.has(brand)) return sniffed('heic', brand.startsWith('hev') ? 'image/heic-sequence' : 'image/heic')
  if (brand === 'avif' || brand === 'avis') return 'avif'
  if (HEIF_BRANDS.has(brand)) return sniffed('heif', brand === 'msf1' ? 'image/heif-sequence' : 'image/heif')
  if (brand === 'qt  ') return sniffed('mov')
  if (brand === 'M4A ' || brand === 'M4B ') return sniffed('mp4', 'audio/mp4', 'audio')
  if (GPP_BRANDS.has(brand)) return sniffed('mp4', brand.startsWith('3g2') ? 'video/3gpp2' : 'video/3gpp')
  if (MP4_BRANDS.has(brand)) return sniffed('mp4')
  return null
}

function sniffIsoBmff(head: Uint8Array): Sniffed {
  if (head.length < 16) throw malformed(head.length, 'the ftyp box is cut short')
  const size = u32be(head, 0)
  if (size < 16 || size > 4096 || (size - 16) % 4 !== 0) throw malformed(0, `the ftyp box has an impossible size (${size})`)
  const major = ascii(head, 8, 4)
  const compatible: string[] = []
  for (let at = 16; at + 4 <= Math.min(size, head.length); at += 4) compatible.push(ascii(head, at, 4))
  // The major brand decides; an unknown one defers to the first compatible brand we know.
  for (const brand of [major, ...compatible]) {
    const t = brandType(brand)
    if (t === 'avif') return unsupported('an AVIF image')
    if (t) return t
  }
  return unsupported(`an ISO media file of brand ${JSON.stringify(major)}`)
}

/** An EBML variable-length integer at `at`: its value (marker bit off, or kept for element ids) and its width. */
export function readVint(b: Uint8Array, at: number, keepMarker = false): { value: number; width: number } | null {
  const first = b[at]
  if (first === undefined || first === 0) return null
  let width = 1
  while (width <= 8 && !(first & (0x80 >> (width - 1)))) width++
  if (at + width > b.length) return null
  let value = keepMarker ? first : first & (0xff >> width)
  for (let k = 1; k < width; k++) value = value * 256 + b[at + k]!
  return { value, width }
}

function sniffMatroska(head: Uint8Array): Sniffed {
  const size = readVint(head, 4)
  if (!size) throw malformed(4, 'the EBML header size is unreadable')
  const end = Math.min(head.length, 4 + size.width + size.value)
  for (let at = 4 + size.width; at < end;) {
    const id = readVint(head, at, true)
    const len = id && readVint(head, at + id.width)
    if (!id || !len) throw malformed(at, 'an EBML header element is unreadable')
    const data = at + id.width + len.width
    if (id.value === 0x4282) {
      const docType = ascii(head, data, len.value).replace(/\0+$/, '')
      if (docType === 'webm') return sniffed('webm')
      if (docType === 'matroska') return sniffed('mkv')
      return unsupported(`an EBML document of type ${JSON.stringify(docType)}`)
    }
    at = data + len.value
  }
  return sniffed('mkv')
}

function sniffOgg(head: Uint8Array): Sniffed {
  if (head[4] !== 0) throw malformed(4, 'unknown Ogg page version')
  const segments = head[26]
  if (segments === undefined) throw malformed(head.length, 'the first Ogg page is cut short')
  const packet = 27 + segments
  const codec = ascii(head, packet, 8)
  if (codec.startsWith('\x80theora')) return sniffed('ogg', 'video/ogg', 'video')
  if (codec.startsWith('OpusHead')) return sniffed('ogg', 'audio/ogg; codecs=opus')
  if (codec.startsWith('\x01vorbis')) return sniffed('ogg', 'audio/ogg; codecs=vorbis')
  if (codec.startsWith('\x7fFLAC')) return sniffed('ogg', 'audio/ogg; codecs=flac')
  if (codec.startsWith('Speex')) return sniffed('ogg', 'audio/ogg; codecs=speex')
  return sniffed('ogg')
}

const MP3_BITRATES = {
  v1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  v2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
}
const MP3_RATES = { v1: [44100, 48000, 32000], v2: [22050, 24000, 16000], v25: [11025, 12000, 8000] }

/** The length of the MPEG-1/2/2.5 Layer III frame whose header is at `at`, or null if it is not one. */
export function mp3FrameLength(b: Uint8Array, at: number): number | null {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1]! & 0xe0) !== 0xe0) return null
  const version = (b[at + 1]! >> 3) & 3 // 0 MPEG-2.5, 1 reserved, 2 MPEG-2, 3 MPEG-1
  const layer = (b[at + 1]! >> 1) & 3 // 1 is Layer III
  const bitrateIndex = b[at + 2]! >> 4
  const rateIndex = (b[at + 2]! >> 2) & 3
  const padding = (b[at + 2]! >> 1) & 1
  if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null
  const v1 = version === 3
  const bitrate = (v1 ? MP3_BITRATES.v1 : MP3_BITRATES.v2)[bitrateIndex]! * 1000
  const rate = (v1 ? MP3_RATES.v1 : version === 2 ? MP3_RATES.v2 : MP3_RATES.v25)[rateIndex]!
  return Math.floor(((v1 ? 144 : 72) * bitrate) / rate) + padding
}

function sniffMp3(head: Uint8Array, complete: boolean): Sniffed | null {
  let at = 0
  if (ascii(head, 0, 3) === 'ID3') {
    const sizeBytes = [head[6], head[7], head[8], head[9]]
    if (head.length < 10 || head[3]! < 2 || head[3]! > 4 || sizeBytes.some((x) => x! & 0x80)) return null
    const tagSize = sizeBytes.reduce<number>((n, x) => n * 128 + x!, 0) + 10 + (head[5]! & 0x10 ? 10 : 0)
    // A tag that ends beyond what we hold is as far as the head can tell; the tag itself is well formed.
    if (tagSize >= head.length) return complete ? null : sniffed('mp3')
    at = tagSize
    while (at < head.length && head[at] === 0) at++ // padding some taggers leave after the tag
  }
  const first = mp3FrameLength(head, at)
  if (first === null) return null
  const next = at + first
  // Two frames in a row, unless the head (or the file) ends before the second.
  if (next + 4 <= head.length) return mp3FrameLength(head, next) === null ? null : sniffed('mp3')
  return !complete || next === head.length || at > 0 ? sniffed('mp3') : null
}

/**
 * True for UTF-8 text without control characters other than tab, line breaks and form feed. When
 * the bytes are only the file's beginning, a character cut at the end is not held against it.
 */
export function isUtf8Text(bytes: Uint8Array, complete: boolean): boolean {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !complete })
  } catch {
    return false
  }
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)
}

/**
 * The checks that need the whole file, for the types whose structure is not walked elsewhere: a
 * PDF ends with %%EOF, text is UTF-8 to the end. Throws `evidence_malformed` naming the offset.
 */
export function checkComplete(type: EvidenceType, bytes: Uint8Array): void {
  switch (type) {
    case 'pdf': {
      const tail = ascii(bytes, Math.max(0, bytes.length - 1024), 1024)
      if (!tail.includes('%%EOF')) throw malformed(bytes.length, 'the PDF has no %%EOF marker at its end (it is cut short)')
      return
    }
    case 'text':
      if (!isUtf8Text(bytes, true)) throw malformed(firstBadUtf8(bytes), 'the text is not valid UTF-8 or holds control characters')
      return
    default:
  }
}

/** Where UTF-8 decoding (or the control-character rule) first fails. */
function firstBadUtf8(bytes: Uint8Array): number {
  let lo = 0
  let hi = bytes.length
  // The longest valid prefix, by bisection on prefixes decoded as incomplete streams.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (isUtf8Text(bytes.subarray(0, mid), false)) lo = mid
    else hi = mid - 1
  }
  // The prefix may end in the lead bytes of the character that goes wrong: that character is the place.
  if (!isUtf8Text(bytes.subarray(0, lo), true)) while (lo > 0 && (bytes[--lo]! & 0xc0) === 0x80);
  return lo
}
