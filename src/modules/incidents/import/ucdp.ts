// UCDP Georeferenced Event Dataset (GED) CSV → reports. One GED event is one report:
//   occurredAt      date_start (date_end, when given, may not come before it)
//   datePrecision   date_prec (UCDP's own scale, which is ours)
//   where           a point at latitude/longitude with where_prec; its name is where_coordinates
//   category        type_of_violence: 1 state-based → ground_attack, unless the headline names a
//                   weapon (keywords.ts: drone, air strike, explosive device, shelling); 2 non-state
//                   → ground_attack; 3 one-sided → civilian_harm
//   casualties      civilians killed = deaths_civilians, combatants killed = deaths_a + deaths_b, each
//                   with low and high in the proportion of the event's low and high to its best
//   perpetrator     side_a; target side_b (as written; actors are resolved later)
//   description     where_description (or where_coordinates), the headline, and deaths of unknown
//                   status, which the report has no place for
//   sources         one media source, reliability C, named by source_office (else source_article)
//   externalId      ucdp:<id>
import type { Casualties, Category, DatePrecision, ReportInput, WherePrecision } from '../incidents.types.ts'
import { parseDateColumn, type ReadDate } from './dates.ts'
import { weaponCategory } from './keywords.ts'
import { clip, defined, MAX_DESCRIPTION, MAX_NAME, MAX_PLACE_NAME, cellOf, readRows, readTable, RowFields, type ParsedIncidents, type ParseOptions } from './rows.ts'

export const UCDP_REQUIRED_COLUMNS = [
  'id', 'date_start', 'date_prec', 'where_prec', 'latitude', 'longitude', 'type_of_violence', 'side_a', 'side_b',
  'deaths_a', 'deaths_b', 'deaths_civilians', 'low', 'best', 'high',
] as const

const MAX_DEATHS = 1_000_000

/**
 * Reports from UCDP GED CSV text. Rows with errors give RowErrors (every problem of the row, each
 * naming its column) and no report; a file without the required columns is refused as a whole.
 *
 * @example
 * parseUcdp(text, { now: new Date() }).reports[0]
 * // { line: 2, report: { externalId: 'ucdp:214797', occurredAt: '2016-01-01T00:00:00.000Z', category: 'shelling', … } }
 */
export function parseUcdp(text: string, options: ParseOptions): ParsedIncidents {
  const table = readTable(text, { format: 'UCDP GED', required: UCDP_REQUIRED_COLUMNS, maxRows: options.maxRows })
  const cell = cellOf(table)
  const starts = parseDateColumn(table.rows.map((r) => cell(r.fields, 'date_start')), options)
  const ends = parseDateColumn(table.rows.map((r) => cell(r.fields, 'date_end')), options)
  const seen = new Map<string, number>()
  return readRows(table.rows, options, (record, name) => cell(record.fields, name),
    (row, k) => ucdpReport(row, starts[k]!, ends[k]!, seen), table.header.fields.length)
}

function ucdpReport(row: RowFields, start: ReadDate, end: ReadDate, seen: Map<string, number>): ReportInput | undefined {
  const id = row.unique('id', row.required('id'), seen)
  const occurred = row.date('date_start', start)
  if (row.text('date_end')) {
    const ended = row.date('date_end', end)
    if (occurred && ended && ended.at < occurred.at) row.fail('date_end', `${row.text('date_end')} is before date_start`)
  }
  const datePrec = row.integer('date_prec', { min: 1, max: 5 })
  const wherePrec = row.integer('where_prec', { min: 1, max: 7 })
  const point = row.point('latitude', 'longitude')
  const violence = row.integer('type_of_violence', { min: 1, max: 3 })
  const deaths = { required: true, min: 0, max: MAX_DEATHS }
  const [a, b, civilians] = [row.integer('deaths_a', deaths), row.integer('deaths_b', deaths), row.integer('deaths_civilians', deaths)]
  const unknown = row.integer('deaths_unknown', { ...deaths, required: false }) ?? 0
  const [low, best, high] = [row.integer('low', deaths), row.integer('best', deaths), row.integer('high', deaths)]
  if (!occurred || datePrec === undefined || wherePrec === undefined || !point || violence === undefined || id === undefined) return undefined
  if (a === undefined || b === undefined || civilians === undefined || low === undefined || best === undefined || high === undefined) return undefined

  const headline = row.text('source_headline') || row.text('source_article')
  const place = row.text('where_coordinates') || row.text('where_description')
  const description = [
    row.text('where_description') || place,
    row.text('source_headline'),
    unknown > 0 ? `UCDP counts ${unknown} death${unknown === 1 ? '' : 's'} of unknown status.` : '',
  ].filter(Boolean).join(' — ')
  return defined({
    externalId: `ucdp:${id}`,
    occurredAt: occurred.at,
    datePrecision: Math.max(datePrec, occurred.precision) as DatePrecision,
    where: defined({ kind: 'point' as const, lon: point.lon, lat: point.lat, precision: wherePrec as WherePrecision, placeName: clip(place, MAX_PLACE_NAME) }),
    category: ucdpCategory(violence, headline),
    casualties: {
      civiliansKilled: proportioned(civilians, { low, best, high }),
      combatantsKilled: proportioned(a + b, { low, best, high }),
    },
    perpetrator: clip(row.text('side_a'), MAX_NAME),
    target: clip(row.text('side_b'), MAX_NAME),
    description: clip(description, MAX_DESCRIPTION) ?? '',
    language: 'en',
    sources: [defined({ kind: 'media' as const, reliability: 'C' as const, name: clip(sourceName(row.text('source_office')) || row.text('source_article'), MAX_NAME) })],
  })
}

/** type_of_violence → category; only state-based violence is refined by the text (see keywords.ts). */
export function ucdpCategory(typeOfViolence: number, text: string): Category {
  if (typeOfViolence === 3) return 'civilian_harm'
  if (typeOfViolence === 2) return 'ground_attack'
  return weaponCategory(text) ?? 'ground_attack'
}

/**
 * A part of an event's deaths, with the event's uncertainty: low and high scaled by the part's share
 * of the best estimate. GED sometimes has low above best or high below it; the part keeps
 * low ≤ best ≤ high all the same. An event whose best estimate is 0 gives the part 0 throughout.
 *
 * @example
 * proportioned(2, { low: 3, best: 4, high: 8 }) // { low: 2, best: 2, high: 4 }
 */
export function proportioned(part: number, event: Casualties): Casualties {
  if (event.best === 0) return { low: 0, best: part, high: part }
  const share = part / event.best
  return { low: Math.min(part, Math.round(event.low * share)), best: part, high: Math.max(part, Math.round(event.high * share)) }
}

/** GED's source_office lists one office per article ("SOHR;SOHR;Airwars"): each once, in order. */
function sourceName(offices: string): string {
  return [...new Set(offices.split(';').map((s) => s.trim()).filter(Boolean))].join('; ')
}
