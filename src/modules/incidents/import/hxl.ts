// HXL (Humanitarian Exchange Language) tagged CSV → reports. An HXL file is a spreadsheet with a
// row of hashtags under (or instead of) its header rows: `#date+occurred`, `#geo+lat`, `#affected
// +killed`. The hashtag row is found among the first rows (people leave titles and several header
// rows above it); a cell is a tag (`#name`) with attributes (`+name`), in any case and with spaces
// between them (`#geo +lat`). Columns are matched by tag patterns, as HXL does: `#affected+killed`
// matches a column with that tag and at least those attributes, `#date-reported` one without +reported.
//
// What the importer reads (the first pattern with a column wins; * is required):
//   * occurredAt     #date+occurred, #date+start, #date-reported-end (datePrecision from the text, or #date+precision)
//   * where          #geo+lat, #geo+lon (where precision #geo+precision, else 1 as for any report);
//                    placeName #loc+name, #loc, #adm3+name, #adm2+name, #adm1+name
//   * category       #event+type, #category: a category (shelling, "Drone strike") or an ACLED sub-event type
//     casualties     #affected+killed, #affected+injured are civilians (the people HXL data counts);
//                    with +combatants they are combatants
//     perpetrator    #actor+perpetrator, else an #actor that is not +target; target #actor+target
//     description    every #description column, in order; language from an +i_xx attribute (+i_ar)
//     sources        one media source named by #meta+source or #org (who reported it), reliability F
//                    (cannot be judged), url #meta+url
//     externalId     hxl:<#meta+id or #event+id>
import { ImportFormatError } from '../../actors/actors.types.ts'
import { parseCsv, type CsvRecord } from '../../actors/import/csv.ts'
import { CATEGORIES, type Category, type DatePrecision, type ReportInput, type WherePrecision } from '../incidents.types.ts'
import { acledCategory } from './acled.ts'
import { parseDateColumn, type ReadDate } from './dates.ts'
import { clip, dataRows, defined, MAX_DESCRIPTION, MAX_NAME, MAX_PLACE_NAME, readRows, RowFields, type ParsedIncidents, type ParseOptions } from './rows.ts'

/** One column's hashtag: `#geo +lat` is { tag: 'geo', attributes: ['lat'], spec: '#geo+lat' }. */
export type HxlColumn = { tag: string; attributes: string[]; spec: string }

export type HxlTable = {
  /** The line of the hashtag row. */
  tagLine: number
  /** One entry per cell of the hashtag row; undefined for an untagged column. */
  columns: (HxlColumn | undefined)[]
  /** Data rows below the hashtag row, blank lines left out. */
  rows: CsvRecord[]
}

/** How far down a file the hashtag row is looked for. */
export const HXL_TAG_ROW_SEARCH = 25

const SPEC = /^#([a-z][a-z0-9_]*)((?:\s*\+\s*[a-z][a-z0-9_]*)*)$/i

/**
 * Parses one hashtag cell, or gives undefined for a cell that is not one.
 *
 * @example
 * parseHxlSpec(' #Geo +lat ') // { tag: 'geo', attributes: ['lat'], spec: '#geo+lat' }
 */
export function parseHxlSpec(cell: string): HxlColumn | undefined {
  const m = SPEC.exec(cell.trim())
  if (!m) return undefined
  const tag = m[1]!.toLowerCase()
  const attributes = m[2]!.split('+').map((a) => a.trim().toLowerCase()).filter(Boolean)
  return { tag, attributes, spec: `#${tag}${attributes.map((a) => `+${a}`).join('')}` }
}

/**
 * Whether a column matches a tag pattern: the same tag, every +attribute, none of the -attributes.
 *
 * @example
 * hxlMatches('#date-reported', parseHxlSpec('#date+occurred')!) // true
 */
export function hxlMatches(pattern: string, column: HxlColumn): boolean {
  const m = /^#([a-z][a-z0-9_]*)((?:[+-][a-z][a-z0-9_]*)*)$/i.exec(pattern.replace(/\s+/g, ''))
  if (!m) throw new Error(`not an HXL tag pattern: ${pattern}`)
  if (m[1]!.toLowerCase() !== column.tag) return false
  for (const [, sign, attribute] of m[2]!.matchAll(/([+-])([a-z0-9_]+)/gi)) {
    if (column.attributes.includes(attribute!.toLowerCase()) !== (sign === '+')) return false
  }
  return true
}

/**
 * Finds the hashtag row — the first of the first 25 rows where at least half the non-empty cells
 * are hashtags (a spreadsheet may leave a few columns untagged, or tag them without the #) — and
 * the data rows under it. A file without one is refused.
 */
export function readHxl(text: string, options: { maxRows?: number | undefined } = {}): HxlTable {
  const records = parseCsv(text)
  const at = records.slice(0, HXL_TAG_ROW_SEARCH).findIndex((r) => {
    const cells = r.fields.filter((f) => f.trim() !== '')
    const tags = cells.filter((f) => parseHxlSpec(f) !== undefined).length
    return tags > 0 && tags * 2 >= cells.length
  })
  const tagRow = records[at]
  if (at === -1 || !tagRow) {
    throw new ImportFormatError('missing_tag', 'line 1', `no HXL hashtag row (#date, #geo+lat …) in the first ${HXL_TAG_ROW_SEARCH} rows: the file is not HXL-tagged`)
  }
  return { tagLine: tagRow.line, columns: tagRow.fields.map(parseHxlSpec), rows: dataRows(records.slice(at + 1), options.maxRows) }
}

/** Patterns for each thing read, in order of preference. */
const ROLES = {
  date: ['#date+occurred', '#date+start', '#date-reported-end'],
  datePrecision: ['#date+precision'],
  lat: ['#geo+lat'],
  lon: ['#geo+lon'],
  wherePrecision: ['#geo+precision'],
  place: ['#loc+name', '#loc', '#adm3+name', '#adm2+name', '#adm1+name'],
  category: ['#event+type', '#category'],
  civiliansKilled: ['#affected+killed-combatants'],
  civiliansInjured: ['#affected+injured-combatants'],
  combatantsKilled: ['#affected+killed+combatants'],
  combatantsInjured: ['#affected+injured+combatants'],
  perpetrator: ['#actor+perpetrator', '#actor-target'],
  target: ['#actor+target'],
  source: ['#meta+source', '#org'],
  url: ['#meta+url'],
  id: ['#meta+id', '#event+id'],
} as const
type Role = keyof typeof ROLES
const REQUIRED: readonly Role[] = ['date', 'lat', 'lon', 'category']

/**
 * Reports from HXL-tagged CSV text. A file without a hashtag row, or without a required tag, is
 * refused as a whole (naming every missing tag); a row whose required cell is empty, or whose value
 * cannot be read, gives RowErrors naming the tag.
 *
 * @example
 * parseHxl('Date,Lat,Lon,Type\n#date+occurred,#geo+lat,#geo+lon,#event+type\n2016-03-01,36.2,37.1,shelling\n', { now })
 * // { reports: [{ line: 3, report: { occurredAt: '2016-03-01T00:00:00.000Z', category: 'shelling', … } }], … }
 */
export function parseHxl(text: string, options: ParseOptions): ParsedIncidents {
  const table = readHxl(text, options)
  const columnOf = {} as Record<Role, number | undefined>
  for (const role of Object.keys(ROLES) as Role[]) columnOf[role] = findColumn(table.columns, ROLES[role])
  const missing = REQUIRED.filter((r) => columnOf[r] === undefined).map((r) => ROLES[r][0])
  if (missing.length > 0) {
    throw new ImportFormatError('missing_tag', `line ${table.tagLine}`, `the hashtag row has no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''}`)
  }
  // Errors name the tag as the file spells it (normalised): '#geo+lat', '#date+occurred'.
  const field = (role: Role) => {
    const k = columnOf[role]
    return k === undefined ? ROLES[role][0] : table.columns[k]!.spec
  }
  const byField = new Map<string, number>()
  for (const role of Object.keys(ROLES) as Role[]) if (columnOf[role] !== undefined) byField.set(field(role), columnOf[role])
  const descriptions = table.columns.flatMap((c, k) => (c && hxlMatches('#description', c) ? [k] : []))
  const language = descriptions.map((k) => table.columns[k]!.attributes.find((a) => /^i_[a-z]{2,3}$/.test(a))).find(Boolean)?.slice(2)

  const dates = parseDateColumn(table.rows.map((r) => r.fields[columnOf.date!] ?? ''), options)
  const seen = new Map<string, number>()
  return readRows(table.rows, options, (record, name) => {
    const at = byField.get(name)
    return at === undefined ? '' : (record.fields[at] ?? '')
  }, (row, k, record) => {
    const description = descriptions.map((d) => (record.fields[d] ?? '').trim()).filter(Boolean).join('\n')
    const read = hxlReport(row, { field, date: dates[k]!, description, language, seen })
    return read === 'skip' ? { skip: `${row.text(field('category'))} is not a ceasefire incident` } : read
  })
}

function findColumn(columns: (HxlColumn | undefined)[], patterns: readonly string[]): number | undefined {
  for (const pattern of patterns) {
    const k = columns.findIndex((c) => c !== undefined && hxlMatches(pattern, c))
    if (k !== -1) return k
  }
  return undefined
}

type RowContext = { field: (role: Role) => string; date: ReadDate; description: string; language: string | undefined; seen: Map<string, number> }

function hxlReport(row: RowFields, { field, date, description, language, seen }: RowContext): ReportInput | 'skip' | undefined {
  const categoryText = row.required(field('category'))
  const category = categoryText === undefined ? undefined : hxlCategory(categoryText, description)
  if (categoryText !== undefined && category === undefined) {
    row.fail(field('category'), `${JSON.stringify(categoryText)} is not a category: write one of ${CATEGORIES.join(', ')} (or an ACLED sub-event type)`)
  }
  if (category === null) return 'skip'
  const occurred = row.date(field('date'), date)
  const datePrec = row.integer(field('datePrecision'), { min: 1, max: 5, required: false })
  const point = row.point(field('lat'), field('lon'))
  const wherePrec = row.integer(field('wherePrecision'), { min: 1, max: 7, required: false }) ?? 1
  const count = (role: Role) => {
    const n = row.integer(field(role), { min: 0, max: 1_000_000, required: false })
    return n === undefined ? undefined : { low: n, best: n, high: n }
  }
  const casualties = defined({
    civiliansKilled: count('civiliansKilled'), civiliansInjured: count('civiliansInjured'),
    combatantsKilled: count('combatantsKilled'), combatantsInjured: count('combatantsInjured'),
  })
  const idText = row.text(field('id'))
  const id = row.unique(field('id'), idText || undefined, seen)
  const url = row.text(field('url'))
  if (url && !/^https?:\/\/\S+$/i.test(url)) row.fail(field('url'), `${JSON.stringify(url)} is not an http(s) address`)
  if (!category || !occurred || !point) return undefined

  return defined({
    externalId: id === undefined ? undefined : `hxl:${id}`,
    occurredAt: occurred.at,
    datePrecision: Math.max(datePrec ?? 1, occurred.precision) as DatePrecision,
    where: defined({ kind: 'point' as const, lon: point.lon, lat: point.lat, precision: wherePrec as WherePrecision, placeName: clip(row.text(field('place')), MAX_PLACE_NAME) }),
    category,
    casualties: Object.keys(casualties).length > 0 ? casualties : undefined,
    perpetrator: clip(row.text(field('perpetrator')), MAX_NAME),
    target: clip(row.text(field('target')), MAX_NAME),
    description: clip(description, MAX_DESCRIPTION) ?? '',
    language,
    sources: [defined({ kind: 'media' as const, reliability: 'F' as const, name: clip(row.text(field('source')), MAX_NAME), url: url || undefined })],
  })
}

const BY_LOOSE_NAME = new Map<string, Category>(CATEGORIES.map((c) => [c.replace(/_/g, ''), c]))

/**
 * An HXL category cell → a category: a category's name in any case, with spaces, hyphens or
 * underscores or none ("Drone strike", "airstrike"), or an ACLED sub-event type. Null for an ACLED
 * type that is not an incident; undefined when it is neither.
 */
export function hxlCategory(text: string, description: string): Category | null | undefined {
  const own = BY_LOOSE_NAME.get(text.toLowerCase().replace(/[\s_-]+/g, ''))
  if (own) return own
  return acledCategory(text, description)
}
