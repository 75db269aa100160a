// Reading the Exif (TIFF) block that JPEG, PNG, WebP and HEIF carry: where the picture was taken
// (the GPS IFD), what took it (make, model, serial numbers) and its orientation — what a reporter
// should be told would be published, and the one tag worth keeping when the rest goes. Every
// offset is bounds-checked: a damaged block is reported as unreadable, never read past its end.
import { malformed } from './errors.ts'

/** A position as the camera recorded it, in decimal degrees (WGS 84) and metres above sea level. */
export type GpsLocation = { lat: number; lon: number; altitudeM?: number }

export type ExifSummary = {
  /** TIFF orientation 1–8 (1 is upright); how the picture must be turned to be seen the right way up. */
  orientation?: number
  location?: GpsLocation
  /** What identifies the device or its owner: make, model, serial numbers, owner and artist names. */
  camera: Record<string, string>
  /** DateTimeOriginal as written ("2016:03:01 14:02:11", the camera's local time, no zone). */
  takenAt?: string
}

const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 }

const IFD0_CAMERA: Record<number, string> = {
  0x010f: 'make', 0x0110: 'model', 0x0131: 'software', 0x013b: 'artist', 0x8298: 'copyright',
}
const EXIF_CAMERA: Record<number, string> = {
  0xa430: 'ownerName', 0xa431: 'serialNumber', 0xa433: 'lensMake', 0xa434: 'lensModel', 0xa435: 'lensSerialNumber', 0xa420: 'imageUniqueId',
}
const TAG_EXIF_IFD = 0x8769
const TAG_GPS_IFD = 0x8825
const TAG_ORIENTATION = 0x0112
const TAG_DATETIME_ORIGINAL = 0x9003

type Entry = { tag: number; type: number; count: number; valueAt: number }

/** A TIFF structure: byte order, bounds-checked reads and IFD walking. Offsets are from the TIFF header. */
class Tiff {
  readonly b: Uint8Array
  readonly le: boolean
  constructor(b: Uint8Array) {
    this.b = b
    if (b.length < 8) throw malformed(0, 'the Exif block is shorter than a TIFF header')
    const order = String.fromCharCode(b[0]!, b[1]!)
    if (order !== 'II' && order !== 'MM') throw malformed(0, 'the Exif block has no TIFF byte order mark')
    this.le = order === 'II'
    if (this.u16(2) !== 42) throw malformed(2, 'the Exif block is not TIFF (no 42)')
  }
  u16(at: number): number {
    if (at < 0 || at + 2 > this.b.length) throw malformed(at, 'an Exif value lies past the end of the block')
    return this.le ? this.b[at]! | (this.b[at + 1]! << 8) : (this.b[at]! << 8) | this.b[at + 1]!
  }
  u32(at: number): number {
    if (at < 0 || at + 4 > this.b.length) throw malformed(at, 'an Exif value lies past the end of the block')
    return this.le
      ? (this.b[at]! | (this.b[at + 1]! << 8) | (this.b[at + 2]! << 16)) + this.b[at + 3]! * 0x1000000
      : this.b[at]! * 0x1000000 + ((this.b[at + 1]! << 16) | (this.b[at + 2]! << 8) | this.b[at + 3]!)
  }
  /** The entries of the IFD at `at`. */
  ifd(at: number): Entry[] {
    const n = this.u16(at)
    if (at + 2 + n * 12 + 4 > this.b.length) throw malformed(at, `the Exif directory of ${n} entries runs past the end of the block`)
    const out: Entry[] = []
    for (let k = 0; k < n; k++) {
      const e = at + 2 + k * 12
      const type = this.u16(e + 2)
      const count = this.u32(e + 4)
      const size = (TYPE_SIZE[type] ?? 1) * count
      const valueAt = size <= 4 ? e + 8 : this.u32(e + 8)
      if (TYPE_SIZE[type] !== undefined && valueAt + size > this.b.length) {
        throw malformed(e, `Exif tag 0x${this.u16(e).toString(16)} points past the end of the block`)
      }
      out.push({ tag: this.u16(e), type, count, valueAt })
    }
    return out
  }
  ascii(e: Entry): string {
    let s = ''
    for (let k = 0; k < e.count; k++) {
      const c = this.b[e.valueAt + k]!
      if (c === 0) break
      s += String.fromCharCode(c)
    }
    // ASCII by the standard, UTF-8 in practice from many phones.
    return Buffer.from(s, 'latin1').toString('utf8').trim()
  }
  rational(e: Entry, k: number): number {
    const num = this.u32(e.valueAt + k * 8)
    const den = this.u32(e.valueAt + k * 8 + 4)
    return den === 0 ? Number.NaN : num / den
  }
  short(e: Entry): number {
    return e.type === 4 ? this.u32(e.valueAt) : this.u16(e.valueAt)
  }
}

/**
 * What an Exif block says about place, device and orientation. `tiff` starts at the TIFF header
 * ("II*\0" or "MM\0*"), after JPEG's "Exif\0\0". Throws `evidence_malformed` (offsets within the
 * block) when the block cannot be read.
 *
 * @example
 * readExif(tiff) // { orientation: 6, location: { lat: 33.57, lon: 36.4 }, camera: { make: 'Apple', model: 'iPhone 6' } }
 */
export function readExif(tiff: Uint8Array): ExifSummary {
  const t = new Tiff(tiff)
  const out: ExifSummary = { camera: {} }
  const ifd0 = t.ifd(t.u32(4))
  for (const e of ifd0) {
    if (e.tag === TAG_ORIENTATION) out.orientation = t.short(e)
    const name = IFD0_CAMERA[e.tag]
    if (name && e.type === 2) { const v = t.ascii(e); if (v) out.camera[name] = v }
  }
  const exifAt = ifd0.find((e) => e.tag === TAG_EXIF_IFD)
  if (exifAt) {
    for (const e of t.ifd(t.u32(exifAt.valueAt))) {
      const name = EXIF_CAMERA[e.tag]
      if (name && e.type === 2) { const v = t.ascii(e); if (v) out.camera[name] = v }
      if (e.tag === TAG_DATETIME_ORIGINAL && e.type === 2) out.takenAt = t.ascii(e)
    }
  }
  const gpsAt = ifd0.find((e) => e.tag === TAG_GPS_IFD)
  if (gpsAt) {
    const location = readGps(t, t.ifd(t.u32(gpsAt.valueAt)))
    if (location) out.location = location
  }
  return out
}

function readGps(t: Tiff, entries: Entry[]): GpsLocation | null {
  const byTag = new Map(entries.map((e) => [e.tag, e]))
  const degrees = (tag: number): number | null => {
    const e = byTag.get(tag)
    if (!e || e.type !== 5 || e.count < 1) return null
    const [d, m, s] = [0, 1, 2].map((k) => (k < e.count ? t.rational(e, k) : 0))
    const v = d! + m! / 60 + s! / 3600
    return Number.isFinite(v) ? v : null
  }
  const ref = (tag: number): string => { const e = byTag.get(tag); return e && e.type === 2 ? t.ascii(e).toUpperCase() : '' }
  const lat = degrees(2)
  const lon = degrees(4)
  if (lat === null || lon === null || lat > 90 || lon > 180) return null
  const out: GpsLocation = { lat: ref(1) === 'S' ? -lat : lat, lon: ref(3) === 'W' ? -lon : lon }
  const alt = byTag.get(6)
  if (alt && alt.type === 5) {
    const below = byTag.get(5)
    const m = t.rational(alt, 0)
    if (Number.isFinite(m)) out.altitudeM = below && t.b[below.valueAt] === 1 ? -m : m // GPSAltitudeRef 1: below sea level
  }
  return out
}

/**
 * The smallest TIFF block that says only the orientation (big-endian, one IFD with one entry), for
 * a picture whose other Exif tags are dropped but which must still be shown the right way up.
 */
export function orientationOnlyTiff(orientation: number): Uint8Array {
  return Uint8Array.from([
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // "MM", 42, IFD0 at 8
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, (orientation >> 8) & 0xff, orientation & 0xff, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, // no next IFD
  ])
}
