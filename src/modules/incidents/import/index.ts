// Bulk import of incident files, without a database: the bytes of a UCDP GED, ACLED or HXL file
// (gzip or not, in whatever encoding) → reports, each with the line its row starts on, and a
// RowError for each problem of each row that cannot be imported (its line, the field, why).
//
// What to do with a file that has row errors is the caller's: the import refuses the whole file
// unless told to skip invalid rows, and then imports `reports` and lists `errors`. A file that
// cannot be read at all (not text, not CSV, without the format's columns or hashtags, too large)
// throws an ImportFormatError saying where.
import type { RowError } from '../incidents.types.ts'
import { parseAcled } from './acled.ts'
import { decodeFile, type TextEncodingName } from './decode.ts'
import { parseHxl } from './hxl.ts'
import type { LocatedReport, ParsedIncidents, ParseOptions, SkippedRow } from './rows.ts'
import { parseUcdp } from './ucdp.ts'

export { ImportFormatError } from '../../actors/actors.types.ts'
export type { LocatedReport, ParseOptions, SkippedRow, TextEncodingName }

export const INCIDENT_FORMATS = ['ucdp', 'acled', 'hxl'] as const
export type IncidentFormat = (typeof INCIDENT_FORMATS)[number]

export type IncidentFileOptions = ParseOptions & {
  /** Bytes the file may hold, before and after inflating gzip (decode.ts's default otherwise). */
  maxBytes?: number
}

export type IncidentFile = {
  encoding: TextEncodingName
  gzip: boolean
  /** Data rows read (blank lines aside). */
  rows: number
  reports: LocatedReport[]
  /** Rows with problems, one entry per problem, in file order; a row with any gives no report. */
  errors: RowError[]
  /** Rows read without error that are not incidents (an ACLED protest), with the reason. */
  skipped: SkippedRow[]
}

const PARSERS: Record<IncidentFormat, (text: string, options: ParseOptions) => ParsedIncidents> = {
  ucdp: parseUcdp,
  acled: parseAcled,
  hxl: parseHxl,
}

/**
 * Reads an incident file of the given format into reports and row errors.
 *
 * @example
 * const file = parseIncidentFile(readFileSync('ged_syria_2016_2019.csv.gz'), 'ucdp', { now: new Date() })
 * // { encoding: 'utf-8', gzip: true, rows: 16566, reports: [{ line: 2, report: { externalId: 'ucdp:214797', … } }, …], errors: [], skipped: [] }
 * if (file.errors.length > 0 && !skipInvalid) refuse(file.errors) // each { line, field, message }
 */
export function parseIncidentFile(bytes: Uint8Array, format: IncidentFormat, options: IncidentFileOptions): IncidentFile {
  const decoded = decodeFile(bytes, options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes })
  const parsed = PARSERS[format](decoded.text, options)
  return { encoding: decoded.encoding, gzip: decoded.gzip, ...parsed }
}
