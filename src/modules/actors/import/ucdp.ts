// UCDP actor strings as analyst candidates. UCDP's GED names the sides of an event with one string
// each; a side fought by several groups together is written as a comma list ("HTS, Southern
// Front"). Each distinct list becomes a coalition candidate with its parts, counted by the rows that
// carry it, and the countries of those rows (GED's `country`, when present and a country name this
// reads); an analyst confirms it (a coalition actor whose parts are its members) or not.
//
// A single name gives no candidate, "X (Y)" included: UCDP uses the parenthesis to tell apart
// actors that share a name ("NDF (Syria)"), not to say that X belongs to Y, so reading it as a
// membership would invent one. Commas inside such a parenthesis do not split a side.
import { ImportFormatError, type ImportBatch, type ImportCandidate } from '../actors.types.ts'
import { countryCode } from '../countries.ts'
import { parseCsv } from './csv.ts'

export const UCDP_SIDE_COLUMNS = ['side_a', 'side_b'] as const

/** A row's sides, and its country as GED names it ("Syria"), when the file has the column. */
export type UcdpSides = { side_a: string; side_b: string; country?: string }

/**
 * Coalition candidates from UCDP GED CSV (the `side_a` and `side_b` columns; other columns are
 * not read). The batch has candidates only.
 *
 * @example
 * ucdpCandidates(readFileSync('ged_syria_2016.csv')).candidates[0]
 * // { kind: 'coalition', raw: 'Ahrar al-Sham, Jabhat Fateh al-Sham, Southern Front', parts: [...], occurrences: 56 }
 */
export function ucdpCandidates(csv: string | Buffer, options: { source?: string } = {}): ImportBatch {
  const records = parseCsv(csv)
  const header = records[0]
  if (!header) throw new ImportFormatError('missing_column', 'line 1', 'empty file: expected a header with side_a and side_b')
  const names = header.fields.map((f) => f.trim().toLowerCase())
  const columns = UCDP_SIDE_COLUMNS.map((c) => {
    const at = names.indexOf(c)
    if (at === -1) throw new ImportFormatError('missing_column', `line ${header.line}, column ${c}`, `the header has no ${c} column: not UCDP GED`)
    return at
  })
  const countryColumn = names.indexOf('country')
  const rows: UcdpSides[] = []
  for (const record of records.slice(1)) {
    if (record.fields.length === 1 && record.fields[0] === '') continue
    if (record.fields.length !== header.fields.length) {
      throw new ImportFormatError('malformed_csv', `line ${record.line}`, `${record.fields.length} fields where the header has ${header.fields.length}`)
    }
    rows.push({ side_a: record.fields[columns[0]!]!, side_b: record.fields[columns[1]!]!, ...(countryColumn === -1 ? {} : { country: record.fields[countryColumn]! }) })
  }
  const candidates = parseUcdpSides(rows)
  const single = rows.length * 2 - rows.reduce((n, r) => n + (splitSide(r.side_a).length > 1 ? 1 : 0) + (splitSide(r.side_b).length > 1 ? 1 : 0), 0)
  return { source: options.source ?? 'UCDP GED', asOf: null, actors: [], candidates, skipped: { 'side naming one actor': single } }
}

/**
 * Coalition candidates from rows' sides: one per distinct multi-actor string, most frequent first.
 * A row counts once for a string even if both its sides carry it.
 */
export function parseUcdpSides(rows: Iterable<UcdpSides>): ImportCandidate[] {
  const found = new Map<string, ImportCandidate>()
  for (const row of rows) {
    for (const raw of new Set([row.side_a, row.side_b])) {
      const parts = splitSide(raw)
      if (parts.length < 2) continue
      const country = row.country === undefined ? null : countryCode(row.country)
      const candidate = found.get(raw) ?? { kind: 'coalition' as const, raw, parts, occurrences: 0, countries: [] }
      candidate.occurrences++
      if (country !== null && !candidate.countries.includes(country)) candidate.countries = [...candidate.countries, country].sort()
      found.set(raw, candidate)
    }
  }
  return [...found.values()].sort((a, b) => b.occurrences - a.occurrences || (a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0))
}

/** The actors a side names: split on commas outside parentheses, trimmed, empty parts dropped. */
export function splitSide(side: string): string[] {
  const parts: string[] = []
  let depth = 0
  let from = 0
  for (let k = 0; k <= side.length; k++) {
    const c = side[k]
    if (c === '(') depth++
    else if (c === ')') depth = Math.max(0, depth - 1)
    else if ((c === ',' && depth === 0) || c === undefined) {
      const part = side.slice(from, k).replace(/\s+/g, ' ').trim()
      if (part) parts.push(part)
      from = k + 1
    }
  }
  return parts
}
