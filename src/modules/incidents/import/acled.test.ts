// ACLED → reports, on rows written in the layout of ACLED's export (test-files.ts: not real events),
// saved as Excel on Windows saves CSV: Windows-1252, typographic quotes as 0x92, dates day first and
// in several styles.
import { describe, expect, it } from 'vitest'
import { ImportFormatError } from '../../actors/actors.types.ts'
import { ACLED_SUB_EVENTS, acledCategory, parseAcled } from './acled.ts'
import { parseIncidentFile } from './index.ts'
import { ACLED_COLUMNS, ACLED_ROWS, csvOf, windows1252 } from './test-files.ts'

const thrown = (f: () => unknown): ImportFormatError => {
  try { f() } catch (e) { if (e instanceof ImportFormatError) return e; throw e }
  throw new Error('expected an ImportFormatError')
}

const now = new Date('2026-05-10T12:00:00Z')

describe('parseAcled', () => {
  const result = parseIncidentFile(windows1252(csvOf(ACLED_COLUMNS, ACLED_ROWS)), 'acled', { now })
  const report = (id: string) => result.reports.find((r) => r.report.externalId === `acled:${id}`)!.report

  it('reads an Excel-saved Windows-1252 export, typographic quotes and all', () => {
    expect([result.encoding, result.rows, result.errors]).toEqual(['windows-1252', 9, []])
    expect(report('SYR2301').where).toEqual({ kind: 'point', lon: 36.6734, lat: 35.6476, precision: 1, placeName: 'Ma’arrat an Nu’man' })
    expect(report('SYR2388').description).toMatch(/The “second strike” hit the clinic\.$/)
  })

  it('maps an event to a report', () => {
    expect(result.reports[0]).toEqual({
      line: 2,
      report: {
        externalId: 'acled:SYR2301',
        occurredAt: '2017-03-15T00:00:00.000Z',
        datePrecision: 1,
        where: { kind: 'point', lon: 36.6734, lat: 35.6476, precision: 1, placeName: 'Ma’arrat an Nu’man' },
        category: 'shelling',
        perpetrator: 'Military Forces of Syria (2000-)',
        target: 'Hayat Tahrir al Sham',
        description: 'On 15 March 2017, regime forces shelled HTS positions in Ma’arrat an Nu’man (Ma’arrat an Nu’man, Idleb). 2 HTS fighters were killed. '
          + 'ACLED counts 2 fatalities without saying whether civilians or combatants.',
        language: 'en',
        sources: [{ kind: 'media', reliability: 'C', name: 'SOHR' }],
      },
    })
  })

  it('reads the mixed date styles, day first, with time_precision and geo_precision on our scales', () => {
    expect(result.reports.map((r) => [r.report.externalId, r.report.occurredAt.slice(0, 10), r.report.datePrecision, r.report.where.precision])).toEqual([
      ['acled:SYR2301', '2017-03-15', 1, 1],
      ['acled:SYR2388', '2017-04-04', 1, 1],
      ['acled:SYR2410', '2017-04-21', 3, 2],
      ['acled:SYR2475', '2017-04-21', 1, 4],
      ['acled:SYR2502', '2017-05-02', 4, 1],
      ['acled:SYR2520', '2017-05-02', 1, 1], // 02/05/2017: 2 May, as the column's 15/03/2017 shows
      ['acled:SYR2533', '2017-05-05', 1, 1],
      ['acled:SYR2601', '2017-05-14', 1, 1],
    ])
  })

  it('categorises by sub-event type, the notes (drone) and the target (civilians, aid workers)', () => {
    expect(result.reports.map((r) => r.report.category)).toEqual([
      'shelling', 'airstrike', 'drone_strike', 'ground_attack', 'explosion', 'attack_on_humanitarian', 'civilian_harm', 'civilian_harm',
    ])
  })

  it('counts fatalities as civilians when civilians were the target, as combatants in battles, and says so when ACLED does not tell', () => {
    expect(report('SYR2388').casualties).toEqual({ civiliansKilled: { low: 4, best: 4, high: 4 } })
    expect(report('SYR2475').casualties).toEqual({ combatantsKilled: { low: 11, best: 11, high: 11 } })
    expect(report('SYR2533').casualties).toEqual({ civiliansKilled: { low: 0, best: 0, high: 0 } })
    expect(report('SYR2410').casualties).toBeUndefined()
    expect(report('SYR2410').description).toMatch(/ACLED counts 2 fatalities without saying whether civilians or combatants\.$/)
  })

  it('skips what is not a ceasefire incident, saying so, and keeps the line of a row after one with a line break in its notes', () => {
    expect(result.skipped).toEqual([{ line: 10, reason: 'Peaceful protest is not a ceasefire incident' }])
    expect(result.reports.at(-1)!.line).toBe(11)
    expect(report('SYR2533').description).toBe('On 5 May 2017, HTS abducted a journalist in Saraqab.\nHis whereabouts are unknown.')
  })

  it('knows every ACLED sub-event type, and refines only those the row can tell apart', () => {
    expect(Object.keys(ACLED_SUB_EVENTS)).toHaveLength(25)
    expect(acledCategory('AIR/DRONE STRIKE', 'Israeli UAV struck near Quneitra')).toBe('drone_strike')
    expect(acledCategory('Chemical weapon', 'Helicopters dropped barrels of chlorine')).toBe('airstrike')
    expect(acledCategory('Chemical weapon', 'Chlorine was released in the town')).toBe('explosion')
    expect(acledCategory('Attack', 'Gunmen fired on a checkpoint', { civilians: false })).toBe('ground_attack')
    expect(acledCategory('Government regains territory', '')).toBe('ground_attack')
    expect(acledCategory('Arrests', '')).toBeNull()
    expect(acledCategory('Drone strike', '')).toBeUndefined()
  })

  it('refuses bad rows field by field, with the line, and lets the good ones through', () => {
    const bad = [
      { ...ACLED_ROWS[0]!, event_id_cnty: 'SYR9001', latitude: 95, geo_precision: 4 },
      { ...ACLED_ROWS[0]!, event_id_cnty: 'SYR9002', event_date: '03/06/2026', time_precision: 0 },
      { ...ACLED_ROWS[0]!, event_id_cnty: 'SYR9003', sub_event_type: 'Drone strike' },
      { ...ACLED_ROWS[0]!, event_id_cnty: 'SYR9001', fatalities: 'unknown', longitude: '36,6734' },
      { ...ACLED_ROWS[0]!, event_id_cnty: 'SYR9005', event_date: '' },
      { ...ACLED_ROWS[0]!, event_id_cnty: 'SYR9006' },
    ]
    const parsed = parseAcled(csvOf(ACLED_COLUMNS, bad), { now })
    expect(parsed.errors).toEqual([
      { line: 2, field: 'latitude', message: '95 is impossible: it lies between -90 and 90' },
      { line: 2, field: 'geo_precision', message: '4 is out of range: 1 to 3' },
      { line: 3, field: 'event_date', message: '"03/06/2026" is in the future (it is now 2026-05-10T12:00:00.000Z)' },
      { line: 3, field: 'time_precision', message: '0 is out of range: 1 to 3' },
      { line: 4, field: 'sub_event_type', message: '"Drone strike" is not an ACLED sub-event type (25 are known)' },
      { line: 5, field: 'event_id_cnty', message: '"SYR9001" is also the id of the row on line 2' },
      { line: 5, field: 'longitude', message: '"36,6734" is not a number of degrees' },
      { line: 5, field: 'fatalities', message: '"unknown" is not a whole number' },
      { line: 6, field: 'event_date', message: 'is empty' },
    ])
    expect(parsed.reports.map((r) => [r.line, r.report.externalId])).toEqual([[7, 'acled:SYR9006']])
  })

  it('refuses a date that could be read either way in a file that writes both orders', () => {
    const mixed = [
      { ...ACLED_ROWS[0]!, event_id_cnty: 'A', event_date: '15/03/2017' },
      { ...ACLED_ROWS[0]!, event_id_cnty: 'B', event_date: '03/16/2017' },
      { ...ACLED_ROWS[0]!, event_id_cnty: 'C', event_date: '04/03/2017' },
    ]
    expect(parseAcled(csvOf(ACLED_COLUMNS, mixed), { now }).errors).toEqual([
      { line: 4, field: 'event_date', message: '"04/03/2017" is ambiguous: this file writes dates both day first (15/03/2017) and month first (03/16/2017); write it as 2017-MM-DD' },
    ])
  })

  it('refuses a file without ACLED’s columns (a UCDP file given as ACLED)', () => {
    const e = thrown(() => parseAcled('id,date_start,side_a,side_b,latitude,longitude\n1,2016-01-01,a,b,1,2\n', { now }))
    expect(e.message).toBe('line 1: the header has no event_id_cnty, event_date, time_precision, event_type, sub_event_type, actor1, actor2, geo_precision, fatalities, notes, source columns: not ACLED data?')
  })
})
