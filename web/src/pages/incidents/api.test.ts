// The incidents list's date filter: whole UTC days, inclusive, asked for as a half-open interval.
import { describe, expect, it } from 'vitest'
import { dayRange, isDay } from './api.ts'

describe('the incidents date filter', () => {
  it('asks for [the first moment of from, the first moment of the day after to), across month and leap-day ends', () => {
    expect(dayRange('2016-06-18', '2016-06-18')).toEqual({ from: '2016-06-18T00:00:00Z', to: '2016-06-19T00:00:00Z' })
    expect(dayRange('2016-02-01', '2016-02-29')).toEqual({ from: '2016-02-01T00:00:00Z', to: '2016-03-01T00:00:00Z' })
    expect(dayRange('', '2016-12-31')).toEqual({ from: undefined, to: '2017-01-01T00:00:00Z' })
  })

  it('leaves out what is not a calendar day (a shared address may hold anything)', () => {
    expect(dayRange('yesterday', '2016-13-45')).toEqual({ from: undefined, to: undefined })
    expect(isDay('2016-06-18')).toBe(true)
    expect(isDay('2016-6-18')).toBe(false)
    expect(isDay(null)).toBe(false)
  })
})
