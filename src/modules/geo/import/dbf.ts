// A shapefile's attribute table: dBASE III .dbf with character, number, float, logical and date
// fields. Text is decoded as the .cpg says; without one, as the table's language driver says for
// the code pages met in our regions (Cyrillic, Arabic…), else UTF-8 when every text field is valid
// UTF-8, else Windows-1252, so a Latin-1 table reads right instead of failing.
import { GeoImportError, type GeoImportWhere } from './types.ts'
import { textDecoder } from '../../../lib/windows-1252.ts'

export type DbfFieldType = 'C' | 'N' | 'F' | 'L' | 'D'
export type DbfField = { name: string; type: DbfFieldType; length: number; decimals: number; offset: number }
export type DbfValue = string | number | boolean | null

export type DbfTable = {
  fields: readonly DbfField[]
  records: number
  /** The WHATWG label text was decoded with, e.g. `utf-8`, `windows-1251`. */
  encoding: string
  /** Record `i` (0-based): its values by field name, or null when the record is marked deleted. */
  record(i: number): Record<string, DbfValue> | null
}

// dBASE language driver ids for the non-Latin code pages TextDecoder knows. The Latin ones (0x03,
// 0x57 "ANSI") are left to the UTF-8 test: tools write them over UTF-8 text too.
const LANGUAGE_DRIVERS: Record<number, string> = {
  0xc8: 'windows-1250', 0xc9: 'windows-1251', 0xca: 'windows-1254',
  0xcb: 'windows-1253', 0xcc: 'windows-1257', 0x7d: 'windows-1255', 0x7e: 'windows-1256', 0x26: 'ibm866', 0x65: 'ibm866',
}

/**
 * The WHATWG encoding label for a .cpg's content (`UTF-8`, `1251`, `ANSI 1252`, `ISO-8859-5`…).
 * One TextDecoder does not know is `encoding_unsupported`.
 */
export function encodingOfCpg(cpg: string, where: GeoImportWhere = {}): string {
  const s = cpg.replace(/^\uFEFF/, '').trim()
  const windows = /^(?:ansi\s*|cp|windows-?)?(125\d)$/i.exec(s)
  const iso = /^(?:iso[-_ ]?)?8859[-_]?(\d{1,2})$/i.exec(s)
  const label = /^utf-?8$/i.test(s) ? 'utf-8'
    : windows ? `windows-${windows[1]}`
    : iso ? `iso-8859-${iso[1]}`
    : /^(?:cp|ibm)?866$/i.test(s) ? 'ibm866'
    : s
  try {
    return new TextDecoder(label).encoding
  } catch {
    throw new GeoImportError('encoding_unsupported', `the .cpg names the encoding "${s.slice(0, 40)}", which cannot be read; re-export the layer in UTF-8`, where)
  }
}

/**
 * Reads a .dbf. `cpg` is the .cpg's text when the shapefile has one; `where` places errors (the
 * ZIP entry).
 *
 * @example
 * const table = readDbf(zip.read('regions.dbf'), { cpg: 'UTF-8' })
 * table.record(0) // { ADM1_PCODE: 'SY01', ADM1_EN: 'Damascus', AREA: 105.1, … }
 */
export function readDbf(bytes: Uint8Array, options: { cpg?: string; where?: GeoImportWhere } = {}): DbfTable {
  const where = options.where ?? {}
  const corrupt = (reason: string, at: GeoImportWhere = {}): never => {
    throw new GeoImportError('shapefile_corrupt', reason, { ...where, ...at })
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  if (buf.length < 33) corrupt('the .dbf is too short to be a dBASE table')
  const records = buf.readUInt32LE(4)
  const headerLength = buf.readUInt16LE(8)
  const recordLength = buf.readUInt16LE(10)
  const languageDriver = buf[29]!

  const raw: { name: Uint8Array; type: string; length: number; decimals: number; offset: number }[] = []
  let offset = 1 // after the deletion flag
  for (let p = 32; ; p += 32) {
    if (p >= buf.length || p >= headerLength) corrupt('the .dbf field list does not end')
    if (buf[p] === 0x0d) break
    if (p + 32 > headerLength) corrupt('the .dbf field list does not end')
    const nameBytes = buf.subarray(p, p + 11)
    const nul = nameBytes.indexOf(0)
    const field = { name: nul < 0 ? nameBytes : nameBytes.subarray(0, nul), type: String.fromCharCode(buf[p + 11]!), length: buf[p + 16]!, decimals: buf[p + 17]!, offset }
    raw.push(field)
    offset += field.length
  }
  if (offset !== recordLength) corrupt(`the .dbf's fields take ${offset} bytes a record but its header says ${recordLength}`)
  if (headerLength + records * recordLength > buf.length) corrupt(`the .dbf is cut short: it declares ${records} records`)

  let encoding: string
  if (options.cpg !== undefined) encoding = encodingOfCpg(options.cpg, where)
  else if (LANGUAGE_DRIVERS[languageDriver]) encoding = LANGUAGE_DRIVERS[languageDriver]
  else encoding = allTextIsUtf8() ? 'utf-8' : 'windows-1252'
  const decoder = textDecoder(encoding)

  const fields: DbfField[] = raw.map((f) => {
    const name = decoder.decode(f.name).trim()
    if (!['C', 'N', 'F', 'L', 'D'].includes(f.type)) {
      throw new GeoImportError('dbf_field_unsupported',
        `the field "${name}" is of dBASE type '${f.type}'; only character, number, float, logical and date fields are read`, { ...where, element: name })
    }
    return { name, type: f.type as DbfFieldType, length: f.length, decimals: f.decimals, offset: f.offset }
  })

  function allTextIsUtf8(): boolean {
    const strict = new TextDecoder('utf-8', { fatal: true })
    for (let r = 0; r < records; r++) {
      const start = headerLength + r * recordLength
      for (const f of raw) {
        if (f.type !== 'C') continue
        try { strict.decode(buf.subarray(start + f.offset, start + f.offset + f.length)) } catch { return false }
      }
    }
    return true
  }

  const value = (f: DbfField, cell: Buffer): DbfValue => {
    switch (f.type) {
      case 'C': {
        const s = decoder.decode(cell).replace(/[\s\0]+$/, '')
        return s === '' ? null : s
      }
      case 'N':
      case 'F': {
        const s = cell.toString('latin1').replace(/\0/g, '').trim()
        // Blank is null, and so is a row of '*', dBASE's mark for a number too wide for its field.
        return /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(s) ? Number(s) : null
      }
      case 'L': {
        const c = String.fromCharCode(cell[0] ?? 0x3f).toUpperCase()
        return c === 'T' || c === 'Y' ? true : c === 'F' || c === 'N' ? false : null
      }
      case 'D': {
        const s = cell.toString('latin1').trim()
        const m = /^(\d{4})(\d{2})(\d{2})$/.exec(s)
        if (!m || s === '00000000') return null
        const date = new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`)
        return Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(m[3]) ? null : `${m[1]}-${m[2]}-${m[3]}`
      }
    }
  }

  return {
    fields,
    records,
    encoding,
    record(i) {
      if (i < 0 || i >= records) return corrupt(`the .dbf has no record ${i}`)
      const start = headerLength + i * recordLength
      if (buf[start] === 0x2a) return null // '*': deleted
      const out: Record<string, DbfValue> = {}
      for (const f of fields) out[f.name] = value(f, buf.subarray(start + f.offset, start + f.offset + f.length))
      return out
    },
  }
}
