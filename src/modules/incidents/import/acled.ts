// ACLED (Armed Conflict Location & Event Data) CSV export → reports. One ACLED event is one report:
//   occurredAt      event_date (ACLED writes it day first, or "01 March 2016", or ISO)
//   datePrecision   time_precision 1 day / 2 week / 3 month → 1 / 3 / 4
//   where           a point at latitude/longitude, geo_precision 1 the place / 2 near it / 3 the
//                   province → where precision 1 / 2 / 4, named by location
//   category        sub_event_type (ACLED_SUB_EVENTS below); protests, riots and strategic
//                   developments are not ceasefire incidents and are skipped, with the reason
//   casualties      fatalities: civilians killed when civilians were the target (violence against
//                   civilians, civilian_targeting), combatants killed for battles; otherwise ACLED
//                   does not say who died, and the description says so
//   perpetrator     actor1; target actor2
//   description     notes
//   sources         one media source, reliability C, named by source
//   externalId      acled:<event_id_cnty>
import type { Category, DatePrecision, ReportInput, WherePrecision } from '../incidents.types.ts'
import { parseDateColumn, type ReadDate } from './dates.ts'
import { namesDrone, weaponCategory } from './keywords.ts'
import { clip, defined, MAX_DESCRIPTION, MAX_NAME, MAX_PLACE_NAME, cellOf, readRows, readTable, RowFields, type ParsedIncidents, type ParseOptions } from './rows.ts'

export const ACLED_REQUIRED_COLUMNS = [
  'event_id_cnty', 'event_date', 'time_precision', 'event_type', 'sub_event_type', 'actor1', 'actor2',
  'latitude', 'longitude', 'geo_precision', 'fatalities', 'notes', 'source',
] as const

/**
 * ACLED's sub-event types (codebook 2019 onwards) and the category each becomes; null for those that
 * are not incidents under a ceasefire. Two are refined by the row (acledCategory): "Air/drone strike"
 * is a drone strike when the notes name a drone, and "Attack" is civilian harm when civilians are the
 * target, an attack on humanitarians when aid workers are, and a ground attack otherwise.
 */
export const ACLED_SUB_EVENTS: Readonly<Record<string, Category | null>> = {
  'armed clash': 'ground_attack',
  'government regains territory': 'ground_attack',
  'non-state actor overtakes territory': 'ground_attack',
  'shelling/artillery/missile attack': 'shelling',
  'air/drone strike': 'airstrike',
  'remote explosive/landmine/ied': 'explosion',
  'suicide bomb': 'explosion',
  'grenade': 'explosion',
  // How a chemical weapon was delivered is in the notes, when anywhere (keywords.ts); else an explosion.
  'chemical weapon': 'explosion',
  'attack': 'civilian_harm',
  'sexual violence': 'civilian_harm',
  'abduction/forced disappearance': 'civilian_harm',
  'excessive force against protesters': 'civilian_harm',
  'looting/property destruction': 'civilian_harm',
  'peaceful protest': null,
  'protest with intervention': null,
  'violent demonstration': null,
  'mob violence': null,
  'agreement': null,
  'arrests': null,
  'change to group/activity': null,
  'disrupted weapons use': null,
  'headquarters or base established': null,
  'non-violent transfer of territory': null,
  'other': null,
}

const DATE_PRECISION: Record<number, DatePrecision> = { 1: 1, 2: 3, 3: 4 }
const WHERE_PRECISION: Record<number, WherePrecision> = { 1: 1, 2: 2, 3: 4 }

/**
 * Reports from ACLED CSV text. Rows with errors give RowErrors naming their columns; rows that are
 * not incidents are listed in `skipped`; a file without ACLED's columns is refused as a whole.
 *
 * @example
 * parseAcled(text, { now: new Date() }).reports[0].report.externalId // 'acled:SYR2301'
 */
export function parseAcled(text: string, options: ParseOptions): ParsedIncidents {
  const table = readTable(text, { format: 'ACLED', required: ACLED_REQUIRED_COLUMNS, maxRows: options.maxRows })
  const cell = cellOf(table)
  const dates = parseDateColumn(table.rows.map((r) => cell(r.fields, 'event_date')), options)
  const seen = new Map<string, number>()
  return readRows(table.rows, options, (record, name) => cell(record.fields, name), (row, k) => {
    const read = acledReport(row, dates[k]!, seen)
    return read === 'skip' ? { skip: `${row.text('sub_event_type')} is not a ceasefire incident` } : read
  }, table.header.fields.length)
}

function acledReport(row: RowFields, date: ReadDate, seen: Map<string, number>): ReportInput | 'skip' | undefined {
  const notes = row.text('notes')
  const civilians = targetsCivilians(row)
  const subEvent = row.required('sub_event_type')
  const category = subEvent === undefined ? undefined : acledCategory(subEvent, notes, { civilians, aidWorkers: targetsAidWorkers(row) })
  if (subEvent !== undefined && category === undefined) {
    return row.fail('sub_event_type', `${JSON.stringify(subEvent)} is not an ACLED sub-event type (${Object.keys(ACLED_SUB_EVENTS).length} are known)`)
  }
  if (category === null) return 'skip'

  const id = row.unique('event_id_cnty', row.required('event_id_cnty'), seen)
  const occurred = row.date('event_date', date)
  const timePrec = row.integer('time_precision', { min: 1, max: 3 })
  const point = row.point('latitude', 'longitude')
  const geoPrec = row.integer('geo_precision', { min: 1, max: 3 })
  const fatalities = row.integer('fatalities', { min: 0, max: 1_000_000 })
  if (!category || id === undefined || !occurred || timePrec === undefined || !point || geoPrec === undefined || fatalities === undefined) return undefined

  const casualty = { low: fatalities, best: fatalities, high: fatalities }
  const killed = civilians ? 'civiliansKilled' : row.text('event_type').toLowerCase() === 'battles' ? 'combatantsKilled' : undefined
  const unsplit = killed === undefined && fatalities > 0
    ? `ACLED counts ${fatalities} fatalit${fatalities === 1 ? 'y' : 'ies'} without saying whether civilians or combatants.` : ''
  return defined({
    externalId: `acled:${id}`,
    occurredAt: occurred.at,
    datePrecision: Math.max(DATE_PRECISION[timePrec]!, occurred.precision) as DatePrecision,
    where: defined({ kind: 'point' as const, lon: point.lon, lat: point.lat, precision: WHERE_PRECISION[geoPrec]!, placeName: clip(row.text('location'), MAX_PLACE_NAME) }),
    category,
    casualties: killed === undefined ? undefined : { [killed]: casualty },
    perpetrator: clip(row.text('actor1'), MAX_NAME),
    target: clip(row.text('actor2'), MAX_NAME),
    description: clip([notes, unsplit].filter(Boolean).join(' '), MAX_DESCRIPTION) ?? '',
    language: 'en',
    sources: [defined({ kind: 'media' as const, reliability: 'C' as const, name: clip(row.text('source'), MAX_NAME) ?? 'ACLED' })],
  })
}

/**
 * The category of an ACLED sub-event type (any case), refined by the notes and the target; undefined
 * for a type ACLED does not have, null for one that is not an incident.
 *
 * @example
 * acledCategory('Air/drone strike', 'A Turkish drone struck a car near Qamishli') // 'drone_strike'
 */
export function acledCategory(subEvent: string, notes: string, target: { civilians?: boolean; aidWorkers?: boolean } = {}): Category | null | undefined {
  const key = subEvent.trim().toLowerCase()
  const category = ACLED_SUB_EVENTS[key]
  if (key === 'air/drone strike') return namesDrone(notes) ? 'drone_strike' : 'airstrike'
  if (key === 'chemical weapon') return weaponCategory(notes) ?? 'explosion'
  if (key === 'attack' || key === 'abduction/forced disappearance') {
    if (target.aidWorkers) return 'attack_on_humanitarian'
    if (key === 'attack' && target.civilians === false) return 'ground_attack'
  }
  return category
}

/**
 * Civilians are the target of violence against civilians by ACLED's definition; ACLED also marks it
 * in its own column (2019 onwards) and names them as actor2 ("Civilians (Syria)", inter2 7).
 */
function targetsCivilians(row: RowFields): boolean {
  return row.text('event_type').toLowerCase() === 'violence against civilians' || /civilian targeting/i.test(row.text('civilian_targeting'))
    || /^civilians\b/i.test(row.text('actor2')) || row.text('inter2') === '7'
}

/** ACLED names aid workers as an associated actor of the civilians attacked ("Aid Workers (Syria)"). */
function targetsAidWorkers(row: RowFields): boolean {
  return /\b(aid|humanitarian) workers?\b/i.test(`${row.text('actor2')} ${row.text('assoc_actor_2')}`)
}
