// The bytes of an uploaded incident file → its text, and which encoding that was. A gzip file
// (magic bytes 1f 8b, what `.csv.gz` holds) is inflated first, never beyond a size limit. Then a
// byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE); without one, UTF-16 is recognised by its
// NUL bytes, text that is valid UTF-8 is UTF-8, and anything else is Windows-1252 — what Excel on a
// Western-European Windows writes when it saves "CSV", typographic quotes (0x92 ’) included.
//
// Windows-1252 is decoded here rather than by TextDecoder: Node 24's TextDecoder('windows-1252')
// decodes bytes 0x80–0x9F as Latin-1 control characters (nodejs/node#56542, #60888), which would
// turn "Ma’arrat" into "Ma\u0092arrat".
import { gunzipSync } from 'node:zlib'
import { ImportFormatError } from '../../actors/actors.types.ts'
import { decodeWindows1252 } from '../../../lib/windows-1252.ts'

export const TEXT_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const
export type TextEncodingName = (typeof TEXT_ENCODINGS)[number]

export type DecodedFile = {
  text: string
  encoding: TextEncodingName
  /** The file was gzip-compressed and has been inflated. */
  gzip: boolean
}

/** Bytes of text a file may hold once inflated, unless the caller says otherwise. */
export const DEFAULT_MAX_BYTES = 256 * 2 ** 20

/**
 * Decodes an incident file: inflates gzip, then picks the encoding (BOM, else UTF-16 by its NUL
 * bytes, else UTF-8 when valid, else Windows-1252). A BOM is not part of the text. Throws an
 * ImportFormatError for a file beyond `maxBytes` (before or after inflating), a broken gzip, and
 * binary files (a workbook or archive instead of its CSV export).
 *
 * @example
 * decodeFile(readFileSync('acled.csv')) // { text: 'event_id_cnty,…', encoding: 'windows-1252', gzip: false }
 */
export function decodeFile(bytes: Uint8Array, options: { maxBytes?: number } = {}): DecodedFile {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const tooLarge = (what: string): never => {
    throw new ImportFormatError('too_large', 'file', `${what} more than ${maxBytes.toLocaleString('en')} bytes, the most an import reads`)
  }
  if (bytes.length > maxBytes) tooLarge('the file holds')
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b
  if (gzip) bytes = gunzip(bytes, maxBytes, tooLarge)
  return { ...decodeText(bytes), gzip }
}

function gunzip(bytes: Uint8Array, maxBytes: number, tooLarge: (what: string) => never): Uint8Array {
  try {
    // One byte over the limit tells "exactly at the limit" from "beyond it" without inflating the rest.
    const out = gunzipSync(bytes, { maxOutputLength: maxBytes + 1 })
    if (out.length > maxBytes) tooLarge('the gzip file inflates to')
    return out
  } catch (e) {
    if (e instanceof ImportFormatError) throw e
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') tooLarge('the gzip file inflates to')
    throw new ImportFormatError('malformed_gzip', 'file', `the gzip file cannot be inflated (${(e as Error).message}); is it cut short?`)
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Text from bytes that are not compressed; see decodeFile for the order of the checks. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: decodeUtf8AfterBom(bytes.subarray(3)), encoding: 'utf-8' }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' }
  refuseBinary(bytes)
  const utf16 = utf16WithoutBom(bytes)
  if (utf16) return { text: new TextDecoder(utf16).decode(bytes), encoding: utf16 }
  if (bytes.includes(0)) throw new ImportFormatError('not_text', 'file', 'the file holds NUL bytes: it is binary, not CSV text')
  try {
    return { text: utf8.decode(bytes), encoding: 'utf-8' }
  } catch {
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' }
  }
}

function decodeUtf8AfterBom(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes)
  } catch {
    throw new ImportFormatError('not_text', 'file', 'the file starts with a UTF-8 byte-order mark but is not valid UTF-8')
  }
}

/** Spreadsheets and archives, which people upload instead of exporting CSV. */
function refuseBinary(bytes: Uint8Array): void {
  const starts = (...magic: number[]) => magic.every((b, k) => bytes[k] === b)
  if (starts(0x50, 0x4b, 0x03, 0x04)) throw new ImportFormatError('not_text', 'file', 'the file is a ZIP archive (an .xlsx workbook?): save or export it as CSV')
  if (starts(0xd0, 0xcf, 0x11, 0xe0)) throw new ImportFormatError('not_text', 'file', 'the file is an .xls workbook: save or export it as CSV')
}

/**
 * UTF-16 without a byte-order mark: ASCII characters (the commas, line breaks and digits of any
 * CSV) put a NUL in every other byte, in the high half of each code unit.
 */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(bytes.length, 4096) & ~1
  if (n < 4) return undefined
  let evenNul = 0
  let oddNul = 0
  for (let k = 0; k < n; k += 2) {
    if (bytes[k] === 0) evenNul++
    if (bytes[k + 1] === 0) oddNul++
  }
  const pairs = n / 2
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return 'utf-16le'
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return 'utf-16be'
  return undefined
}

/** Windows-1252 (src/lib/windows-1252.ts: TextDecoder gets 0x80–0x9F wrong). */
export { decodeWindows1252 }
