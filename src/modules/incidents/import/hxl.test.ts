// HXL → reports: the hashtag row and its attributes on the libhxl-python test files (real HXL, not
// incident-shaped), then the mapping on an incident file written here, row errors naming the tag,
// and files refused for a missing hashtag row or tag.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ImportFormatError } from '../../actors/actors.types.ts'
import { decodeFile } from './decode.ts'
import { hxlCategory, hxlMatches, parseHxl, parseHxlSpec, readHxl } from './hxl.ts'
import { parseIncidentFile } from './index.ts'
import { HAVE_SHARED_DATA, HXL_INCIDENTS, HXL_TESTS } from './test-files.ts'

const thrown = (f: () => unknown): ImportFormatError => {
  try { f() } catch (e) { if (e instanceof ImportFormatError) return e; throw e }
  throw new Error('expected an ImportFormatError')
}

const now = new Date('2026-05-10T12:00:00Z')

describe('hashtags', () => {
  it('parses a tag and its attributes in any case and spacing, and refuses what is not one', () => {
    expect(parseHxlSpec(' #Geo +LAT ')).toEqual({ tag: 'geo', attributes: ['lat'], spec: '#geo+lat' })
    expect(parseHxlSpec('#affected+killed+combatants')).toEqual({ tag: 'affected', attributes: ['killed', 'combatants'], spec: '#affected+killed+combatants' })
    expect(['', 'country', '#', '# geo', '#1st', '#geo+', '#geo lat', 'Date #1'].map(parseHxlSpec)).toEqual(Array(8).fill(undefined))
  })

  it('matches patterns: the tag, every +attribute, none of the -attributes', () => {
    const column = parseHxlSpec('#date +occurred +start')!
    expect(['#date', '#date+occurred', '#DATE +start +occurred', '#date-reported', '#date+reported', '#date-start', '#event'].map((p) => hxlMatches(p, column)))
      .toEqual([true, true, true, true, false, false, false])
  })
})

const io = (name: string) => readFileSync(join(HXL_TESTS, 'test_io', name))

describe.runIf(HAVE_SHARED_DATA)('the hashtag row of real HXL (libhxl-python test files)', () => {
  const read = (file: string) => readHxl(io(file).toString('utf8'))
  const specs = (file: string) => read(file).columns.map((c) => c?.spec)

  it('finds it under two header rows, with an untagged first column', () => {
    const table = read('input-valid.csv')
    expect(table.tagLine).toBe(3)
    expect(specs('input-valid.csv')).toEqual([undefined, '#sector+es', '#subsector+es', '#org+es', '#targeted+f', '#targeted+m', '#country', '#adm1', '#date+reported'])
    expect(table.rows.map((r) => [r.line, r.fields[3]])).toEqual([[4, 'ACNUR'], [5, 'OMS'], [6, 'UNICEF'], [7, 'OMS']])
  })

  it('finds it under junk and a header row, empty cells being untagged columns', () => {
    expect([read('input-multiple-headers.csv').tagLine, specs('input-multiple-headers.csv')]).toEqual([3, ['#org', undefined, '#adm1', '#affected']])
  })

  it('takes a row where most cells are hashtags, those without # being untagged (as libhxl does for "fuzzy" rows)', () => {
    expect(specs('input-fuzzy.csv')).toEqual([undefined, '#sector+es', '#subsector+es', '#org+es', '#targeted+f', '#targeted+f', undefined, undefined])
  })

  it('finds it as the first row, with a value spanning lines under it and a space after each comma', () => {
    const multiline = read('input-multiline.csv')
    expect([multiline.tagLine, multiline.rows]).toEqual([1, [{ line: 2, fields: ['Line 1\nLine 2\nLine 3'] }]])
    const spaced = readHxl(readFileSync(join(HXL_TESTS, 'mock', 'append-source-1.csv'), 'utf8'))
    expect([spaced.tagLine, spaced.columns.map((c) => c?.spec)]).toEqual([2, ['#org', '#targeted', '#sector+list', '#sector+list']])
  })

  it('reads the Latin-1 copy to the same hashtags and rows as the UTF-8 one', () => {
    const latin1 = readHxl(decodeFile(io('input-valid-latin1.csv')).text)
    const utf8 = read('input-valid.csv')
    expect([latin1.tagLine, latin1.columns, latin1.rows]).toEqual([utf8.tagLine, utf8.columns, utf8.rows])
    expect(latin1.rows[2]!.fields[2]).toBe('Formación de enseñadores')
  })

  it('refuses a file whose tags lack the # (libhxl’s invalid example), or that has none', () => {
    expect(thrown(() => read('input-invalid.csv')).message).toBe('line 1: no HXL hashtag row (#date, #geo+lat …) in the first 25 rows: the file is not HXL-tagged')
    expect(thrown(() => read('input-untagged.csv')).code).toBe('missing_tag')
  })

  it('refuses real HXL that is not about incidents, naming every tag it lacks (a reported date is not when it happened)', () => {
    const e = thrown(() => parseIncidentFile(io('input-valid.csv'), 'hxl', { now }))
    expect([e.code, e.message]).toEqual(['missing_tag', 'line 3: the hashtag row has no #date+occurred, #geo+lat, #geo+lon, #event+type columns'])
  })
})

describe('parseHxl on an incident log', () => {
  const result = parseHxl(HXL_INCIDENTS, { now })

  it('maps each row to a report by its tags', () => {
    expect(result.reports[0]).toEqual({
      line: 4,
      report: {
        externalId: 'hxl:M-001',
        occurredAt: '2016-03-01T14:05:00.000Z',
        datePrecision: 1,
        where: { kind: 'point', lon: 37.1343, lat: 36.2021, precision: 1, placeName: 'Bustan al-Qasr' },
        category: 'shelling',
        casualties: { civiliansKilled: { low: 2, best: 2, high: 2 }, civiliansInjured: { low: 5, best: 5, high: 5 } },
        perpetrator: 'Government of Syria',
        target: 'Jaysh al-Islam',
        description: 'Mortar rounds hit the market, then a second salvo.',
        language: 'en',
        sources: [{ kind: 'media', reliability: 'F', name: 'Monitoring team North', url: 'https://example.org/r/1' }],
      },
    })
  })

  it('reads categories loosely, dates day first or as a month, combatants by +combatants, and short rows', () => {
    expect(result.reports.map((r) => [r.line, r.report.category, r.report.occurredAt.slice(0, 10), r.report.datePrecision, r.report.where.precision])).toEqual([
      [4, 'shelling', '2016-03-01', 1, 1],
      [5, 'airstrike', '2016-03-02', 1, 2],
      [6, 'drone_strike', '2016-03-01', 4, 3],
    ])
    expect(result.reports[1]!.report.casualties).toEqual({ civiliansKilled: { low: 0, best: 0, high: 0 }, combatantsKilled: { low: 3, best: 3, high: 3 } })
    expect(result.reports[2]!.report).not.toHaveProperty('casualties')
  })

  it('gives every problem of a row, naming the tag as the file spells it and the line the row starts on', () => {
    expect(result.errors).toEqual([
      { line: 7, field: '#date+occurred', message: 'is empty' },
      { line: 8, field: '#event+type', message: `"Bombing" is not a category: write one of shelling, airstrike, drone_strike, ground_attack, small_arms, explosion, heavy_weapons_in_zone, monitor_restriction, attack_on_protected_site, attack_on_humanitarian, aid_obstruction, civilian_harm (or an ACLED sub-event type)` },
      { line: 8, field: '#geo+lat', message: 'is empty' },
      { line: 10, field: '#geo+precision', message: '9 is out of range: 1 to 7' },
      { line: 10, field: '#affected+killed', message: '"two" is not a whole number' },
      { line: 10, field: '#meta+url', message: '"ftp://x" is not an http(s) address' },
      { line: 12, field: '#meta+id', message: '"M-001" is also the id of the row on line 4' },
    ])
    expect(result.skipped).toEqual([{ line: 9, reason: 'Peaceful protest is not a ceasefire incident' }])
    expect(result.rows).toBe(8)
  })

  it('reads a category by its name in any spelling, or as ACLED names it', () => {
    expect(['Drone strike', 'SMALL-ARMS', 'attack on humanitarian', 'Shelling/artillery/missile attack', 'Arrests', 'Bombing'].map((t) => hxlCategory(t, '')))
      .toEqual(['drone_strike', 'small_arms', 'attack_on_humanitarian', 'shelling', null, undefined])
  })

  it('refuses an incident file that lacks a required tag, naming it', () => {
    const e = thrown(() => parseHxl('#date+occurred,#geo+lat,#event+type\n2016-03-01,36.2,shelling\n', { now }))
    expect([e.code, e.where, e.message]).toEqual(['missing_tag', 'line 1', 'line 1: the hashtag row has no #geo+lon column'])
  })

  it('takes #date when there is no +occurred, but never a reported date', () => {
    const plain = parseHxl('#date,#date+reported,#geo+lat,#geo+lon,#category\n2016-03-05,2016-03-09,36.2,37.1,explosion\n', { now })
    expect(plain.reports[0]!.report.occurredAt).toBe('2016-03-05T00:00:00.000Z')
    expect(plain.reports[0]!.line).toBe(2)
  })
})
