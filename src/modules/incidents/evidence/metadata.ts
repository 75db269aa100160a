// Location and camera metadata in evidence files: reading it (so a reporter can be told what would
// be published, and an opted-in location compared with the report's place) and stripping it from
// public submissions. Each format's walker validates the structure on the way, so a truncated or
// damaged file is refused with the offset where it breaks, and the output is built only from
// pieces the walker checked — it is never a broken file.
import { heifExif, heifItems, stripHeif, walkIsoBmff } from './bmff.ts'
import { readExif, type ExifSummary, type GpsLocation } from './exif.ts'
import { stripGif, walkGif } from './gif.ts'
import { jpegExif, stripJpeg, walkJpeg } from './jpeg.ts'
import { pngExif, stripPng, walkPng } from './png.ts'
import { sniffType, type EvidenceType } from './sniff.ts'
import { stripWebp, walkWebp, webpExif } from './webp.ts'

export type { GpsLocation } from './exif.ts'

/** What a file says about where it was made and with what. `unreadable` says why part could not be read. */
export type MetadataFindings = {
  location?: GpsLocation
  camera: Record<string, string>
  orientation?: number
  takenAt?: string
  unreadable?: string
}

/** The image types whose metadata is stripped here, whole file in memory. (MP4/MOV stream through bmff.ts.) */
export const STRIPPABLE_IMAGES: ReadonlySet<EvidenceType> = new Set(['jpeg', 'png', 'webp', 'gif', 'heic', 'heif'])

export type StripResult = {
  bytes: Uint8Array
  /** What went, by name: "Exif", "XMP", "tEXt", "moov/udta", "312 bytes after the end of the picture". */
  removed: string[]
  /** What the original said before stripping. */
  found: MetadataFindings
  width?: number
  height?: number
}

function exifOf(bytes: Uint8Array, type: EvidenceType): Uint8Array | ExifSummary | null {
  switch (type) {
    case 'jpeg': return jpegExif(bytes)
    case 'png': return pngExif(bytes)
    case 'webp': return webpExif(bytes)
    case 'heic': case 'heif': return heifExif(bytes)
    default: return null
  }
}

/**
 * What a file's Exif says: GPS position, device, orientation, time taken. A damaged Exif block
 * does not make the file unusable (it is dropped when stripping); it is reported as `unreadable`.
 * A damaged file structure throws `evidence_malformed`.
 *
 * @example
 * readMetadata(jpeg) // { location: { lat: 33.57, lon: 36.40 }, camera: { make: 'Apple', model: 'iPhone 6' }, orientation: 6 }
 */
export function readMetadata(bytes: Uint8Array, type: EvidenceType = sniffType(bytes).type): MetadataFindings {
  const exif = exifOf(bytes, type)
  if (!exif) return { camera: {} }
  let summary: ExifSummary
  try {
    summary = exif instanceof Uint8Array ? readExif(exif) : exif
  } catch (e) {
    return { camera: {}, unreadable: `the Exif block cannot be read: ${e instanceof Error ? e.message : String(e)}` }
  }
  const out: MetadataFindings = { camera: summary.camera }
  if (summary.location) out.location = summary.location
  if (summary.orientation !== undefined) out.orientation = summary.orientation
  if (summary.takenAt) out.takenAt = summary.takenAt
  return out
}

/**
 * The GPS position a photo's Exif records (JPEG, and PNG, WebP and HEIF Exif too), or null when
 * it records none or the file is not a photo.
 *
 * @example
 * readLocation(photo) // { lat: 33.5702, lon: 36.4031, altitudeM: 712 }
 */
export function readLocation(bytes: Uint8Array): GpsLocation | null {
  let type: EvidenceType
  try { type = sniffType(bytes.subarray(0, 4096)).type } catch { return null }
  return readMetadata(bytes, type).location ?? null
}

/**
 * The file's structure walked and checked; the picture's dimensions when the format says them.
 * Throws `evidence_malformed` naming the offset.
 */
export function validateStructure(bytes: Uint8Array, type: EvidenceType): { width?: number; height?: number } {
  switch (type) {
    case 'jpeg': { const s = walkJpeg(bytes); return { width: s.width, height: s.height } }
    case 'png': { const s = walkPng(bytes); return { width: s.width, height: s.height } }
    case 'webp': { const s = walkWebp(bytes); return { width: s.width, height: s.height } }
    case 'gif': { const s = walkGif(bytes); return { width: s.width, height: s.height } }
    case 'heic': case 'heif': {
      walkIsoBmff(bytes)
      heifItems(bytes)
      return {}
    }
    case 'mp4': case 'mov': walkIsoBmff(bytes); return {}
    default: return {}
  }
}

/**
 * The file without location and camera metadata, for the image types in STRIPPABLE_IMAGES; other
 * types are returned as they are with nothing removed. JPEG and PNG keep their orientation (in a
 * minimal Exif block) unless `keepOrientation` is false. Throws `evidence_malformed` for a damaged file.
 *
 * @example
 * const { bytes, removed, found } = stripMetadata(upload, 'jpeg')
 * // removed: ['Exif', 'XMP', 'comment'], found.location: { lat: 33.57, lon: 36.40 }
 */
export function stripMetadata(bytes: Uint8Array, type: EvidenceType, options: { keepOrientation?: boolean } = {}): StripResult {
  const found = readMetadata(bytes, type)
  switch (type) {
    case 'jpeg': return { ...stripJpeg(bytes, options), found }
    case 'png': return { ...stripPng(bytes, options), found }
    case 'webp': return { ...stripWebp(bytes), found }
    case 'gif': return { ...stripGif(bytes), found }
    case 'heic': case 'heif': return { ...stripHeif(bytes), found }
    default: return { bytes, removed: [], found }
  }
}

/**
 * Re-reads a stripped file: it must walk cleanly, keep its dimensions and hold no location. A
 * failure here is our fault, not the sender's, so it is a plain Error (a 500), and nothing is stored.
 */
export function checkStripped(result: StripResult, type: EvidenceType): void {
  let again: { width?: number; height?: number }
  try {
    again = validateStructure(result.bytes, type)
  } catch (e) {
    throw new Error(`stripping metadata from a ${type} produced a file that does not walk: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
  }
  if (result.width !== undefined && (again.width !== result.width || again.height !== result.height)) {
    throw new Error(`stripping metadata from a ${type} changed its dimensions`)
  }
  if (readMetadata(result.bytes, type).location) throw new Error(`a location survived stripping metadata from a ${type}`)
}
