// Buckets, totals and the before/after comparison of incident statistics, on small known counts.
import { describe, expect, it } from 'vitest'
import { beforeAfter, bucketize, daysBetween, slope, weekStart } from './stats.ts'

describe('weeks and days', () => {
  it('starts ISO weeks on Monday (UTC) and counts days inclusively', () => {
    expect(weekStart('2016-02-29')).toBe('2016-02-29') // a Monday
    expect(weekStart('2016-03-06')).toBe('2016-02-29') // the Sunday after
    expect(weekStart('2016-01-01')).toBe('2015-12-28') // across a year
    expect(daysBetween('2016-02-01', '2016-02-29')).toBe(29)
  })
})

describe('bucketize', () => {
  const rows = [
    { day: '2016-02-22', key: 'shelling', label: 'shelling', n: 3 },
    { day: '2016-02-28', key: 'airstrike', label: 'airstrike', n: 1 },
    { day: '2016-03-01', key: 'shelling', label: 'shelling', n: 2 },
    { day: '2016-03-20', key: 'shelling', label: 'shelling', n: 1 },
  ]
  it('counts per week with the empty weeks kept, and totals per group, largest first', () => {
    const s = bucketize(rows, 'week', '2016-02-22', '2016-03-20')
    expect(s.buckets.map((b) => [b.start, b.total])).toEqual([['2016-02-22', 4], ['2016-02-29', 2], ['2016-03-07', 0], ['2016-03-14', 1]])
    expect(s.buckets[0]!.counts).toEqual({ shelling: 3, airstrike: 1 })
    expect(s.groups).toEqual([{ key: 'shelling', label: 'shelling', total: 6 }, { key: 'airstrike', label: 'airstrike', total: 1 }])
    expect(s.total).toBe(7)
  })
  it('counts per day within the range only', () => {
    const s = bucketize(rows, 'day', '2016-02-28', '2016-03-01')
    expect(s.buckets.map((b) => [b.start, b.total])).toEqual([['2016-02-28', 1], ['2016-02-29', 0], ['2016-03-01', 2]])
    expect(s.total).toBe(3)
  })
})

describe('before and after', () => {
  it('gives the slope of a line, and none of a flat series', () => {
    expect(slope([1, 3, 5, 7])).toBeCloseTo(2)
    expect(slope([4, 4, 4])).toBe(0)
    expect(slope([9])).toBe(0)
  })

  it('compares the mean per day before and after the effective instant, and the weekly trend after', () => {
    // 28 days before (20 incidents), 28 days after in 4 whole weeks: 8, 6, 4, 2.
    const weeks = [{ week: -4, n: 5 }, { week: -1, n: 15 }, { week: 0, n: 8 }, { week: 1, n: 6 }, { week: 2, n: 4 }, { week: 3, n: 2 }]
    const r = beforeAfter(weeks, '2016-03-01T00:00:00.000Z', null, '2016-02-02', '2016-03-28')
    expect(r.before).toMatchObject({ days: 28, incidents: 20 })
    expect(r.before!.meanPerDay).toBeCloseTo(20 / 28)
    expect(r.after).toMatchObject({ days: 28, incidents: 20 })
    expect(r.changePercent).toBeCloseTo(0)
    expect(r.trend).toEqual({ slopePerWeek: -2, direction: 'falling', weeks: 4 })
  })

  it('counts the part of a day on each side of an instant inside it, and stops at the end of the agreement', () => {
    const r = beforeAfter([{ week: -1, n: 3 }, { week: 0, n: 1 }], '2016-02-26T22:00:00.000Z', '2016-03-01T00:00:00.000Z', '2016-02-26', '2016-03-31')
    expect(r.before!.days).toBe(1) // 22 hours
    expect(r.before!.meanPerDay).toBeCloseTo(3 / (22 / 24))
    expect(r.after!.to).toBe('2016-03-01T00:00:00.000Z') // 2 h of the 27th and the 27th–29th February
    expect(r.changePercent).toBeCloseTo(((1 / (74 / 24)) - 3 / (22 / 24)) / (3 / (22 / 24)) * 100)
    expect(r.trend).toBeNull() // no two whole weeks
  })

  it('has no before when the range starts after the effective date, and no change without incidents before', () => {
    const r = beforeAfter([{ week: 0, n: 2 }], '2016-02-01T00:00:00.000Z', null, '2016-03-01', '2016-03-31')
    expect(r.before).toBeNull()
    expect(r.changePercent).toBeNull()
    expect(r.trend).toBeNull()
  })
})
