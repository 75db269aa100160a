// What the incident importers share: the result they return, a CSV table read by its header, and
// the checks of one row's fields. A check that fails records a RowError naming the field (the
// column, or the HXL tag) and the line the row starts on, and the row goes on being checked, so
// one pass lists every problem of a row.
import { ImportFormatError } from '../../actors/actors.types.ts'
import { parseCsv, type CsvRecord } from '../../actors/import/csv.ts'
import type { ReportInput, RowError } from '../incidents.types.ts'
import type { ReadDate } from './dates.ts'

export type ParseOptions = {
  /** Dates after this are refused. */
  now: Date
  /** Data rows a file may hold; more is refused as a whole. */
  maxRows?: number
  /** Called after each data row with the number read so far. */
  onRow?: (n: number) => void
}

/** One report and the line its row starts on (1-based, physical: a field may span lines). */
export type LocatedReport = { line: number; report: ReportInput }

/** A row that is read without error but is not an incident (an ACLED peaceful protest). */
export type SkippedRow = { line: number; reason: string }

export type ParsedIncidents = {
  reports: LocatedReport[]
  errors: RowError[]
  skipped: SkippedRow[]
  /** Data rows in the file (blank lines aside): reports + skipped + rows with errors. */
  rows: number
}

/** Field lengths the report contract allows (reports.schemas.ts); longer text is cut with an ellipsis. */
export const MAX_NAME = 300
export const MAX_PLACE_NAME = 200
export const MAX_DESCRIPTION = 20_000

/** `text` cut to `max` characters, the last being an ellipsis; undefined when empty. */
export function clip(text: string, max: number): string | undefined {
  const t = text.trim()
  if (!t) return undefined
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`
}

export const isBlank = (record: CsvRecord): boolean => record.fields.every((f) => f.trim() === '')

/** A CSV file whose first row names its columns. */
export type Table = {
  header: CsvRecord
  /** The index of a column by name (trimmed, any case), or undefined. */
  column(name: string): number | undefined
  /** Data rows, blank lines left out. */
  rows: CsvRecord[]
}

/**
 * Reads CSV text with a header row, refusing a file that lacks a required column (all missing ones
 * are named) or has more than `maxRows` data rows.
 */
export function readTable(text: string, options: { format: string; required: readonly string[]; maxRows?: number | undefined }): Table {
  const records = parseCsv(text)
  const header = records[0]
  if (!header || isBlank(header)) throw new ImportFormatError('missing_column', 'line 1', `the file is empty: expected a ${options.format} header row`)
  const index = new Map<string, number>()
  header.fields.forEach((name, k) => {
    const key = name.trim().toLowerCase()
    if (!index.has(key)) index.set(key, k)
  })
  const missing = options.required.filter((c) => !index.has(c))
  if (missing.length > 0) {
    throw new ImportFormatError('missing_column', `line ${header.line}`, `the header has no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''}: not ${options.format} data?`)
  }
  const rows = dataRows(records.slice(1), options.maxRows)
  return { header, column: (name) => index.get(name.toLowerCase()), rows }
}

/** A row's value under a column name ('' when the column or the value is missing). */
export const cellOf = (table: Table) => (fields: readonly string[], name: string): string => {
  const k = table.column(name)
  return k === undefined ? '' : (fields[k] ?? '')
}

/** What reading one row gave: a report, a row that is not an incident (and why), or nothing (its errors say why). */
export type RowReading = ReportInput | { skip: string } | undefined

/**
 * Reads every row in turn: each gets its RowFields (values by field name), is refused as a whole
 * when `width` is given and the row is misaligned, else goes to `read`; reports, skipped rows and
 * every row's errors are gathered, and `onRow` is told after each.
 */
export function readRows(
  records: readonly CsvRecord[], options: ParseOptions, valueOf: (record: CsvRecord, name: string) => string,
  read: (row: RowFields, k: number, record: CsvRecord) => RowReading, width?: number,
): ParsedIncidents {
  const result: ParsedIncidents = { reports: [], errors: [], skipped: [], rows: records.length }
  records.forEach((record, k) => {
    const row = new RowFields(record.line, (name) => valueOf(record, name))
    const misaligned = width === undefined ? undefined : widthProblem(record, width)
    if (misaligned) row.fail(undefined, misaligned)
    else {
      const got = read(row, k, record)
      if (got !== undefined && 'skip' in got) result.skipped.push({ line: record.line, reason: got.skip })
      else if (got && row.ok) result.reports.push({ line: record.line, report: got })
    }
    result.errors.push(...row.errors)
    options.onRow?.(k + 1)
  })
  return result
}

/** Records that are not blank, refusing more than `maxRows`. */
export function dataRows(records: CsvRecord[], maxRows: number | undefined): CsvRecord[] {
  const rows = records.filter((r) => !isBlank(r))
  if (maxRows !== undefined && rows.length > maxRows) {
    throw new ImportFormatError('too_many_rows', `line ${rows[maxRows]!.line}`, `the file has ${rows.length.toLocaleString('en')} rows; an import takes at most ${maxRows.toLocaleString('en')}`)
  }
  return rows
}

/**
 * A row that has a field more or fewer than the header is misaligned: every value after the gap
 * would land in the wrong column. Extra fields that are all empty (a trailing comma) are harmless.
 */
export function widthProblem(record: CsvRecord, width: number): string | undefined {
  const n = record.fields.length
  if (n === width || (n > width && record.fields.slice(width).every((f) => f.trim() === ''))) return undefined
  return `the row has ${n} fields where the header has ${width}`
}

/** Checks the fields of one row, collecting a RowError for each that fails. */
export class RowFields {
  readonly line: number
  readonly errors: RowError[] = []
  readonly #read: (field: string) => string

  /** `read` gives a field's raw text ('' when the row or file has none). */
  constructor(line: number, read: (field: string) => string) {
    this.line = line
    this.#read = read
  }

  get ok(): boolean {
    return this.errors.length === 0
  }

  fail(field: string | undefined, message: string): undefined {
    this.errors.push(field === undefined ? { line: this.line, message } : { line: this.line, field, message })
    return undefined
  }

  /** The field's text, trimmed ('' when empty). */
  text(field: string): string {
    return this.#read(field).trim()
  }

  required(field: string): string | undefined {
    return this.text(field) || this.fail(field, 'is empty')
  }

  /** A whole number within [min, max]; undefined (and no error) when empty and not required. */
  integer(field: string, range: { min: number; max: number; required?: boolean }): number | undefined {
    const text = this.text(field)
    if (!text) return range.required === false ? undefined : this.fail(field, 'is empty')
    if (!/^[+-]?\d+(\.0+)?$/.test(text)) return this.fail(field, `${JSON.stringify(text)} is not a whole number`)
    const n = Number(text)
    if (n < range.min || n > range.max) return this.fail(field, `${text} is out of range: ${range.min} to ${range.max}`)
    return n
  }

  /**
   * A point in EPSG:4326 degrees. Impossible coordinates are refused with the field: beyond ±90
   * latitude or ±180 longitude, and 0, 0, where software puts a location it does not have.
   */
  point(latField: string, lonField: string): { lat: number; lon: number } | undefined {
    const lat = this.#degrees(latField, 90)
    const lon = this.#degrees(lonField, 180)
    if (lat === undefined || lon === undefined) return undefined
    if (lat === 0 && lon === 0) return this.fail(latField, '0, 0 is where a missing location is put by mistake, not a place an incident is reported at')
    return { lat, lon }
  }

  #degrees(field: string, limit: number): number | undefined {
    const text = this.text(field)
    if (!text) return this.fail(field, 'is empty')
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return this.fail(field, `${JSON.stringify(text)} is not a number of degrees`)
    const n = Number(text)
    if (Math.abs(n) > limit) return this.fail(field, `${text} is impossible: it lies between -${limit} and ${limit}`)
    return n
  }

  /** A date read by the date parser (column-aware); its message becomes this field's error. */
  date(field: string, read: ReadDate | undefined): Extract<ReadDate, { ok: true }> | undefined {
    if (read === undefined || !read.ok) return this.fail(field, read?.message ?? 'is empty')
    return read
  }

  /** An external id not seen before in this file. */
  unique(field: string, id: string | undefined, seen: Map<string, number>): string | undefined {
    if (id === undefined) return undefined
    const first = seen.get(id)
    if (first !== undefined) return this.fail(field, `${JSON.stringify(id)} is also the id of the row on line ${first}`)
    seen.set(id, this.line)
    return id
  }
}

/** Drops the keys whose value is undefined, so reports hold only what the file says. */
export function defined<T extends object>(value: T): T {
  for (const key in value) if (value[key] === undefined) delete value[key]
  return value
}
