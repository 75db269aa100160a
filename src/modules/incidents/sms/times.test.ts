// Times read from messages: clock times in the sender's zone across a daylight-saving change,
// parts of the day, "ago", and how several expressions in one message combine.
import { describe, expect, it } from 'vitest'
import { findTimes, resolveTime } from './times.ts'

const at = (text: string, receivedAt: string, timeZone = 'Asia/Damascus') => {
  const { parts } = findTimes(text)
  return resolveTime(parts, Date.parse(receivedAt), timeZone)?.occurredAt
}

describe('times', () => {
  it('reads clock times in the sender\'s zone, on either side of a daylight-saving change', () => {
    // Syria moved to UTC+3 at midnight starting 25 March 2016.
    expect(at('at 14:00', '2016-03-24T15:00:00Z')).toBe('2016-03-24T12:00:00.000Z')
    expect(at('at 14:00', '2016-03-26T15:00:00Z')).toBe('2016-03-26T11:00:00.000Z')
    expect(at('yesterday at 23:30', '2016-03-26T09:00:00Z')).toBe('2016-03-25T20:30:00.000Z')
    expect(at('at 14:00', '2016-03-26T15:00:00Z', 'UTC')).toBe('2016-03-26T14:00:00.000Z')
  })

  it('combines a day and a time said apart, the first saying of each winning', () => {
    expect(findTimes('at 14:00 yesterday').parts).toEqual({ clock: { h: 14, mi: 0 }, dayOffset: -1 })
    expect(findTimes('since 6am this morning').parts).toMatchObject({ clock: { h: 6, mi: 0 }, since: true, dayOffset: 0, period: 'morning' })
  })

  it.each([
    ['2 hours ago', '2016-03-01T07:12:00.000Z'],
    ['an hour ago', '2016-03-01T08:12:00.000Z'],
    ['30 minutes ago', '2016-03-01T08:42:00.000Z'],
    ['полчаса назад', '2016-03-01T08:42:00.000Z'],
    ['час назад', '2016-03-01T08:12:00.000Z'],
    ['منذ ساعة', '2016-03-01T08:12:00.000Z'],
    ['منذ 3 ساعات', '2016-03-01T06:12:00.000Z'],
    ['this morning', '2016-03-01T07:00:00.000Z'],
    ['at dawn', '2016-03-01T03:00:00.000Z'],
    ['last night', '2016-02-29T21:00:00.000Z'],
    ['ночью', '2016-02-29T21:00:00.000Z'],
    ['صباح اليوم', '2016-03-01T07:00:00.000Z'],
    ['فجر اليوم', '2016-03-01T03:00:00.000Z'],
    ['الليلة الماضية', '2016-02-29T21:00:00.000Z'],
    ['вчера вечером', '2016-02-29T18:00:00.000Z'],
    ['в 9 вечера', '2016-02-29T19:00:00.000Z'],
    ['الساعة 9 مساءً', '2016-02-29T19:00:00.000Z'],
    ['nothing said', null],
    ['this evening', '2016-03-01T09:12:00.000Z'],
  ])('%s (received 11:12 in Damascus)', (text, expected) => {
    if (expected === null) expect(findTimes(text).hits).toEqual([])
    else expect(at(text, '2016-03-01T09:12:00Z')).toBe(expected)
  })

  it('resolves nothing from nothing, and refuses a date that is not one', () => {
    expect(resolveTime({}, Date.parse('2016-03-01T09:12:00Z'), 'UTC')).toBeNull()
    expect(resolveTime(findTimes('2016-13-45').parts, Date.parse('2016-03-01T09:12:00Z'), 'UTC')).toBeNull()
    expect(resolveTime(findTimes('at 25:00').parts, Date.parse('2016-03-01T09:12:00Z'), 'UTC')).toBeNull()
  })
})
