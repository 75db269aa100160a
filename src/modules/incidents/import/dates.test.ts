// Mixed date formats: what each reads as, which are refused and why, day-first numeric dates and the
// column that decides an ambiguous one, Excel serials, zones, and dates in the future.
import { describe, expect, it } from 'vitest'
import { numericDateOrder, parseDate, parseDateColumn, type ReadDate } from './dates.ts'

const now = new Date('2026-05-10T12:00:00Z')
const read = (text: string) => parseDate(text, { now })
const at = (text: string) => {
  const r = read(text)
  return r.ok ? [r.at, r.hasTime, r.precision] : r.message
}

describe('parseDate', () => {
  it.each([
    ['2016-03-01', '2016-03-01T00:00:00.000Z', false, 1],
    ['2016-03-01 14:05', '2016-03-01T14:05:00.000Z', true, 1],
    ['2016-03-01T14:05:00Z', '2016-03-01T14:05:00.000Z', true, 1],
    ['2016-03-01T14:05:30.250+02:00', '2016-03-01T12:05:30.250Z', true, 1],
    ['2016-03-01 14:05 -0130', '2016-03-01T15:35:00.000Z', true, 1],
    ['2016/3/1', '2016-03-01T00:00:00.000Z', false, 1],
    ['01/03/2016', '2016-03-01T00:00:00.000Z', false, 1],
    ['1.3.2016', '2016-03-01T00:00:00.000Z', false, 1],
    ['01-03-16', '2016-03-01T00:00:00.000Z', false, 1],
    ['31/12/2016 23:59:59', '2016-12-31T23:59:59.000Z', true, 1],
    ['03/18/2016', '2016-03-18T00:00:00.000Z', false, 1], // month first: 18 is no month
    ['1 March 2016', '2016-03-01T00:00:00.000Z', false, 1],
    ['01 march 2016', '2016-03-01T00:00:00.000Z', false, 1],
    ['1st Sept 2016', '2016-09-01T00:00:00.000Z', false, 1],
    ['01-Mar-2016', '2016-03-01T00:00:00.000Z', false, 1],
    ['1-Mar-16', '2016-03-01T00:00:00.000Z', false, 1],
    ['March 1, 2016', '2016-03-01T00:00:00.000Z', false, 1],
    ['Mar. 1 2016', '2016-03-01T00:00:00.000Z', false, 1],
    ['  1   March   2016 ', '2016-03-01T00:00:00.000Z', false, 1],
    ['2016-03', '2016-03-01T00:00:00.000Z', false, 4],
    ['March 2016', '2016-03-01T00:00:00.000Z', false, 4],
    ['2016', '2016-01-01T00:00:00.000Z', false, 5],
    ['42430', '2016-03-01T00:00:00.000Z', false, 1], // Excel serial day
    ['42430.5', '2016-03-01T12:00:00.000Z', true, 1],
    ['29/02/2016', '2016-02-29T00:00:00.000Z', false, 1],
    ['10/05/2026', '2026-05-10T00:00:00.000Z', false, 1], // today, as a day, is not in the future
  ])('reads %s as %s', (text, iso, hasTime, precision) => {
    expect(at(text)).toEqual([iso, hasTime, precision])
  })

  it('reads a two-digit year in this century unless that is after now', () => {
    expect(at('01/03/26')).toEqual(['2026-03-01T00:00:00.000Z', false, 1])
    expect(at('01/03/27')).toEqual(['1927-03-01T00:00:00.000Z', false, 1])
  })

  it.each([
    ['31/02/2016', '"31/02/2016" is not a date: February 2016 has no day 31'],
    ['29/02/2015', '"29/02/2015" is not a date: February 2015 has no day 29'],
    ['2016-13-01', '"2016-13-01" is not a date: there is no month 13'],
    ['2016-00-10', '"2016-00-10" is not a date: there is no month 0'],
    ['13/13/2016', '"13/13/2016" is not a date: there is no month 13'],
    ['2016-03-01 24:00', '"2016-03-01 24:00" is not a time of day (00:00 to 23:59:59)'],
    ['2016-03-01 12:60', '"2016-03-01 12:60" is not a time of day (00:00 to 23:59:59)'],
    ['March 2016 10:00', '"March 2016 10:00" gives a time of day but no day'],
    ['1 Marzo 2016', '"1 Marzo 2016" is not a date: "Marzo" is not a month'],
    ['0216-03-01', '"0216-03-01" is before 1900: a typing error?'],
    ['yesterday', '"yesterday" is not a date this importer reads (write 2016-03-01, 2016-03-01 14:05, 01/03/2016 or 1 March 2016)'],
    ['2016-03-01 2pm', '"2016-03-01 2pm" is not a date this importer reads (write 2016-03-01, 2016-03-01 14:05, 01/03/2016 or 1 March 2016)'],
    ['', 'is empty'],
  ])('refuses %j: %s', (text, message) => {
    expect(read(text)).toEqual({ ok: false, message })
  })

  it('refuses a time in the future, to the second, and a day that starts after now', () => {
    expect(at('2026-05-10 12:00')).toEqual(['2026-05-10T12:00:00.000Z', true, 1])
    expect(at('2026-05-10 12:00:01')).toBe('"2026-05-10 12:00:01" is in the future (it is now 2026-05-10T12:00:00.000Z)')
    expect(at('2026-05-10T13:30+02:00')).toEqual(['2026-05-10T11:30:00.000Z', true, 1])
    expect(at('11/05/2026')).toMatch(/in the future/)
    expect(at('46153')).toMatch(/in the future/) // Excel's 11 May 2026
    expect(at('2026-06')).toMatch(/in the future/)
  })

  it('reads a date that could be either order day first, or month first when told', () => {
    expect(at('03/04/2016')).toEqual(['2016-04-03T00:00:00.000Z', false, 1])
    expect(parseDate('03/04/2016', { now, order: 'mdy' })).toMatchObject({ at: '2016-03-04T00:00:00.000Z' })
    expect(parseDate('05/05/2016', { now, order: 'ambiguous' })).toMatchObject({ at: '2016-05-05T00:00:00.000Z' })
  })
})

describe('numericDateOrder and parseDateColumn', () => {
  const ok = (r: ReadDate) => (r.ok ? r.at.slice(0, 10) : r.message)

  it('reads a column day first when its unambiguous dates are, or none are', () => {
    expect(numericDateOrder(['13/03/2016', '03/04/2016', '2016-05-01'])).toEqual({ order: 'dmy' })
    expect(numericDateOrder(['03/04/2016', '1 March 2016'])).toEqual({ order: 'dmy' })
    expect(parseDateColumn(['13/03/2016', '03/04/2016'], { now }).map(ok)).toEqual(['2016-03-13', '2016-04-03'])
  })

  it('reads a column month first when its unambiguous dates are (a US export)', () => {
    expect(numericDateOrder(['03/18/2016 10:00', '03/04/2016'])).toEqual({ order: 'mdy' })
    expect(parseDateColumn(['03/18/2016 10:00', '03/04/2016'], { now }).map(ok)).toEqual(['2016-03-18', '2016-03-04'])
  })

  it('refuses a date that could be either in a column that writes both orders, and reads the others', () => {
    const column = ['13/03/2016', '03/14/2016', '03/04/2016', '05/05/2016', '2016-03-04']
    expect(numericDateOrder(column)).toEqual({ order: 'ambiguous', examples: { dmy: '13/03/2016', mdy: '03/14/2016' } })
    expect(parseDateColumn(column, { now }).map(ok)).toEqual([
      '2016-03-13', '2016-03-14',
      '"03/04/2016" is ambiguous: this file writes dates both day first (13/03/2016) and month first (03/14/2016); write it as 2016-MM-DD',
      '2016-05-05', '2016-03-04',
    ])
  })
})
