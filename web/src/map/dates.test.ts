// The map's date: a calendar day in UTC, the slider's day numbers, and the span the slider covers.
import { describe, expect, it } from 'vitest'
import { dateOfDay, dateOfInstant, dayNumber, instantOf, isIsoDate, sliderSpan } from './dates.ts'

describe('the map\'s date', () => {
  it('counts days from 1970 both ways, across a leap day', () => {
    expect(dayNumber('1970-01-02')).toBe(1)
    expect(dateOfDay(dayNumber('2016-02-29') + 1)).toBe('2016-03-01')
    expect(dateOfDay(dayNumber('2015-02-12'))).toBe('2015-02-12')
  })

  it('asks about the first instant of the day in UTC, and reads an instant\'s day in UTC', () => {
    expect(instantOf('2016-02-27')).toBe('2016-02-27T00:00:00Z')
    expect(dateOfInstant('2016-02-26T23:30:00-02:00')).toBe('2016-02-27')
    expect(dateOfInstant(null)).toBeNull()
  })

  it('takes only real calendar dates', () => {
    expect(isIsoDate('2016-02-29')).toBe(true)
    expect(isIsoDate('2016-2-29')).toBe(false)
    expect(isIsoDate('2016-13-01')).toBe(false)
    expect(isIsoDate('')).toBe(false)
  })

  it('spans the slider from its start to today, widened by the dates the features know', () => {
    expect(sliderSpan([], '2011-01-01', '2024-05-01')).toEqual([dayNumber('2011-01-01'), dayNumber('2024-05-01')])
    expect(sliderSpan(['2008-08-07', '2030-01-01', '2015-02-12'], '2011-01-01', '2024-05-01')).toEqual([dayNumber('2008-08-07'), dayNumber('2030-01-01')])
  })
})
