// A ZIP reader for uploaded shapefile sets, over a buffer already capped by the upload limit. It
// trusts nothing in the archive: the central directory's sizes are checked against limits before
// anything is inflated (entry count, total size, compression ratio), inflation stops at the size
// the entry declares (a header that lies about its size is caught, not believed), entries may not
// overlap (the "overlapping files" bomb), and every entry's CRC-32 is verified. Encrypted entries,
// methods other than stored and deflate, multi-part archives and names with `..` are refused.
import { crc32, inflateRawSync } from 'node:zlib'
import { GeoImportError } from './types.ts'

export type ZipLimits = {
  /** Entries (directories included) in the archive. */
  maxEntries: number
  /** Uncompressed bytes of all entries together. */
  maxTotalBytes: number
  /** Uncompressed ÷ compressed size of one entry, for entries larger than `ratioAppliesAbove`. */
  maxRatio: number
  /** Small entries (a .prj, a .cpg, a .dbf of blank fields) may compress better than maxRatio harmlessly. */
  ratioAppliesAbove: number
}

export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = Object.freeze({
  maxEntries: 1000,
  maxTotalBytes: 512 * 2 ** 20,
  maxRatio: 200,
  ratioAppliesAbove: 2 ** 20,
})

export type ZipEntry = {
  name: string
  /** Uncompressed size as declared by the central directory (and held to it). */
  size: number
  compressedSize: number
  method: 0 | 8
  crc32: number
  /** Where the entry's data starts and ends in the archive. */
  dataStart: number
  dataEnd: number
}

export type ZipArchive = {
  /** Files in central-directory order; directories are left out. */
  entries: readonly ZipEntry[]
  /** The entry's bytes, inflated and CRC-checked. */
  read(entry: ZipEntry | string): Buffer
}

const EOCD = 0x06054b50, ZIP64_LOCATOR = 0x07064b50, ZIP64_EOCD = 0x06064b50
const CENTRAL = 0x02014b50, LOCAL = 0x04034b50

const METHOD_NAMES: Record<number, string> = { 9: 'Deflate64', 12: 'bzip2', 14: 'LZMA', 93: 'Zstandard', 95: 'XZ', 99: 'AES' }
const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Reads a ZIP's central directory, checking it against the limits, and returns its files.
 *
 * @example
 * const zip = openZip(upload, { maxTotalBytes: 500 * 2 ** 20 })
 * zip.entries.map((e) => e.name) // ['regions.shp', 'regions.dbf', 'regions.prj']
 * zip.read('regions.prj').toString('utf8')
 */
export function openZip(bytes: Uint8Array, limits: Partial<ZipLimits> = {}): ZipArchive {
  const lim: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...limits }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  const corrupt = (reason: string, entry?: string): never => {
    throw new GeoImportError('zip_corrupt', reason, entry === undefined ? {} : { entry })
  }
  const bomb = (reason: string, entry?: string): never => {
    throw new GeoImportError('zip_bomb', reason, entry === undefined ? {} : { entry })
  }
  const u64 = (at: number): number => {
    if (at + 8 > buf.length) corrupt('the ZIP64 directory is cut short')
    const v = buf.readBigUInt64LE(at)
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? bomb(`a ZIP64 size of ${v} bytes`) : Number(v)
  }

  // The end-of-central-directory record is in the last 64 KiB + 22 bytes (it ends with a comment).
  let eocd = -1
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD && i + 22 + buf.readUInt16LE(i + 20) <= buf.length) { eocd = i; break }
  }
  if (eocd < 0) corrupt('not a ZIP archive, or one cut short (no end of central directory)')
  if (buf.readUInt16LE(eocd + 4) !== 0 || buf.readUInt16LE(eocd + 6) !== 0 || buf.readUInt16LE(eocd + 8) !== buf.readUInt16LE(eocd + 10)) {
    throw new GeoImportError('zip_unsupported', 'a ZIP split into several parts is not taken; make one archive')
  }
  let count = buf.readUInt16LE(eocd + 10)
  let cdSize = buf.readUInt32LE(eocd + 12)
  let cdOffset = buf.readUInt32LE(eocd + 16)
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20
    if (locator < 0 || buf.readUInt32LE(locator) !== ZIP64_LOCATOR) corrupt('the ZIP64 locator is missing')
    const at = u64(locator + 8)
    if (at + 56 > buf.length || buf.readUInt32LE(at) !== ZIP64_EOCD) corrupt('the ZIP64 end of central directory is missing')
    count = u64(at + 32)
    cdSize = u64(at + 40)
    cdOffset = u64(at + 48)
  }
  if (count > lim.maxEntries) bomb(`the archive has ${count.toLocaleString('en')} entries; the limit is ${lim.maxEntries.toLocaleString('en')}`)
  if (cdOffset + cdSize > buf.length) corrupt('the central directory lies outside the file (cut short?)')

  const entries: ZipEntry[] = []
  const localOffsets = new Map<ZipEntry, number>()
  let total = 0
  let p = cdOffset
  for (let k = 0; k < count; k++) {
    if (p + 46 > cdOffset + cdSize || buf.readUInt32LE(p) !== CENTRAL) corrupt(`central directory entry ${k} is damaged`)
    const flags = buf.readUInt16LE(p + 8)
    const method = buf.readUInt16LE(p + 10)
    const crc = buf.readUInt32LE(p + 16)
    let compressedSize = buf.readUInt32LE(p + 20)
    let size = buf.readUInt32LE(p + 24)
    const nameLength = buf.readUInt16LE(p + 28)
    const extraLength = buf.readUInt16LE(p + 30)
    const commentLength = buf.readUInt16LE(p + 32)
    let localOffset = buf.readUInt32LE(p + 42)
    const nameEnd = p + 46 + nameLength
    if (nameEnd + extraLength + commentLength > cdOffset + cdSize) corrupt(`central directory entry ${k} is damaged`)
    const name = entryName(buf.subarray(p + 46, nameEnd), (flags & 0x800) !== 0)

    // ZIP64 extra field: the 64-bit values, in this order, of whichever 32-bit fields are all ones.
    for (let e = nameEnd; e + 4 <= nameEnd + extraLength;) {
      const id = buf.readUInt16LE(e)
      const len = buf.readUInt16LE(e + 2)
      if (id === 0x0001) {
        let q = e + 4
        if (size === 0xffffffff) { size = u64(q); q += 8 }
        if (compressedSize === 0xffffffff) { compressedSize = u64(q); q += 8 }
        if (localOffset === 0xffffffff) localOffset = u64(q)
      }
      e += 4 + len
    }
    p = nameEnd + extraLength + commentLength

    if (name.includes('\0') || /^[/\\]|^[A-Za-z]:/.test(name) || name.split(/[/\\]/).includes('..')) {
      throw new GeoImportError('zip_entry_name_unsafe', 'an entry name leads outside the archive (absolute, or with "..")', { entry: name })
    }
    if ((flags & 0x1) !== 0 || method === 99) throw new GeoImportError('zip_encrypted', 'the entry is encrypted; upload an archive without a password', { entry: name })
    if (method !== 0 && method !== 8) {
      throw new GeoImportError('zip_unsupported', `the entry is compressed with ${METHOD_NAMES[method] ?? `method ${method}`}; only stored and deflate are taken`, { entry: name })
    }
    if (name.endsWith('/')) continue

    total += size
    if (size > lim.maxTotalBytes || total > lim.maxTotalBytes) {
      bomb(`the archive unpacks to more than ${lim.maxTotalBytes.toLocaleString('en')} bytes`, name)
    }
    if (size > lim.ratioAppliesAbove && size > compressedSize * lim.maxRatio) {
      bomb(`the entry would unpack ${Math.round(size / Math.max(1, compressedSize))} times its size (${size.toLocaleString('en')} bytes); the limit is ${lim.maxRatio}:1`, name)
    }
    if (method === 0 && size !== compressedSize) corrupt('a stored entry whose two sizes differ', name)

    if (localOffset + 30 > cdOffset || buf.readUInt32LE(localOffset) !== LOCAL) corrupt('the entry\'s local header is missing', name)
    const dataStart = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28)
    const dataEnd = dataStart + compressedSize
    if (dataEnd > cdOffset) corrupt('the entry\'s data runs past the central directory (cut short?)', name)
    const entry: ZipEntry = { name, size, compressedSize, method, crc32: crc, dataStart, dataEnd }
    entries.push(entry)
    localOffsets.set(entry, localOffset)
  }

  // Entries that share bytes let a small archive declare many large files: refuse them.
  const byOffset = [...entries].sort((a, b) => a.dataStart - b.dataStart)
  for (let k = 1; k < byOffset.length; k++) {
    const next = byOffset[k]!
    if (byOffset[k - 1]!.dataEnd > localOffsets.get(next)!) bomb('entries overlap one another (a crafted archive)', next.name)
  }

  const read = (which: ZipEntry | string): Buffer => {
    const entry = typeof which === 'string' ? entries.find((e) => e.name === which) : which
    if (!entry) throw new Error(`no entry ${String(which)} in the archive`) // a caller's bug
    const data = buf.subarray(entry.dataStart, entry.dataEnd)
    let out: Buffer
    if (entry.method === 0) {
      out = data
    } else {
      try {
        // One byte of room beyond the declared size is enough to know the header lied.
        out = inflateRawSync(data, { maxOutputLength: entry.size + 1 })
      } catch (e) {
        if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') out = bomb(`the entry inflates beyond the ${entry.size.toLocaleString('en')} bytes it declares`, entry.name)
        else out = corrupt(`the entry is not valid deflate data (${(e as Error).message})`, entry.name)
      }
      if (out.length > entry.size) bomb(`the entry inflates beyond the ${entry.size.toLocaleString('en')} bytes it declares`, entry.name)
      if (out.length < entry.size) corrupt(`the entry inflates to ${out.length} bytes, not the ${entry.size} it declares`, entry.name)
    }
    if (crc32(out) !== entry.crc32) corrupt('the entry fails its CRC-32 check (damaged in transfer?)', entry.name)
    return out
  }
  return { entries, read }
}

// Names are UTF-8 when the entry says so; otherwise UTF-8 if they decode as such (most tools write
// it without saying), else Latin-1 rather than a refusal over a name.
function entryName(raw: Uint8Array, flaggedUtf8: boolean): string {
  try {
    return utf8.decode(raw)
  } catch {
    return flaggedUtf8 ? Buffer.from(raw).toString('utf8') : Buffer.from(raw).toString('latin1')
  }
}
