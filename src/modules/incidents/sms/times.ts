// Times in short messages, read against when the message was received and in the sender's time
// zone: dates (ISO, day-first), clock times (24-hour, am/pm, "6 утра", "الساعة 6 صباحا"), parts
// of the day, "yesterday", "N hours ago" in English, Arabic and Russian, and "since …". A time of
// day still to come is yesterday's; nothing relative is put after the message.
import type { DatePrecision } from '../incidents.types.ts'
import { foldText } from '../../actors/matching/normalize.ts'

export type TimeParts = {
  date?: { y: number; m: number; d: number }
  dayOffset?: number
  clock?: { h: number; mi: number }
  period?: 'morning' | 'afternoon' | 'evening' | 'night' | 'dawn'
  agoMinutes?: number
  since?: boolean
}
export type TimeHit = { span: [number, number]; parts: TimeParts }

// Arabic patterns tolerate the letter forms people mix (ا/أ/إ/آ, ه/ة, ي/ى) and harakat.
function arabic(pattern: string): string {
  return [...pattern].map((c) => {
    const mark = '[\\u064B-\\u065F\\u0670\\u0640]*'
    if (c === 'ا') return `[اأإآ]${mark}`
    if (c === 'ه') return `[هة]${mark}`
    if (c === 'ي') return `[يى]${mark}`
    if (/\p{Script=Arabic}/u.test(c)) return c + mark
    return c
  }).join('')
}

const AR_NUM = '(\\d{1,2})'
const TIME_RULES: [RegExp, (m: RegExpExecArray) => TimeParts][] = [
  [/\b(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2}))?\b/g, (m) => ({ date: { y: +m[1]!, m: +m[2]!, d: +m[3]! }, ...(m[4] ? { clock: { h: +m[4], mi: +m[5]! } } : {}) })],
  [/\b(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})\b/g, (m) => ({ date: { y: m[3]!.length === 2 ? 2000 + +m[3]! : +m[3]!, m: +m[2]!, d: +m[1]! } })],
  [/(?<![\d:])(since\s+|from\s+|с\s+|منذ\s+(?:الساع[ةه]\s*)?)?(\d{1,2})[:h](\d{2})(?:\s*(am|pm|a\.m\.|p\.m\.))?(?![\d:])/giu, (m) => ({ clock: { h: hour12(+m[2]!, m[4]), mi: +m[3]! }, ...(m[1] ? { since: true } : {}) })],
  [/\b(since\s+|from\s+)?(\d{1,2})\s*(am|pm|a\.m\.|p\.m\.)(?!\w)/giu, (m) => ({ clock: { h: hour12(+m[2]!, m[3]), mi: 0 }, ...(m[1] ? { since: true } : {}) })],
  [/(?<![\p{L}\d])(с\s+)?(\d{1,2})\s*(утра|вечера|дня|ночи)(?!\p{L})/giu, (m) => ({ clock: { h: russianHour(+m[2]!, m[3]!.toLowerCase()), mi: 0 }, ...(m[1] ? { since: true } : {}) })],
  [new RegExp(`(${arabic('منذ')}\\s+)?${arabic('الساعه')}\\s*${AR_NUM}(?::(\\d{2}))?(?:\\s*(${arabic('صباحا')}|${arabic('مساء')}|${arabic('ظهرا')}|${arabic('ليلا')}|${arabic('فجرا')}))?`, 'gu'),
    (m) => ({ clock: { h: arabicHour(+m[2]!, m[4] ?? ''), mi: m[3] ? +m[3] : 0 }, ...(m[1] ? { since: true } : {}) })],
  [/\b(\d+|an?|one|two|three|few|couple of)\s+(hours?|hrs?|minutes?|mins?)\s+ago\b/gi, (m) => ({ agoMinutes: amount(m[1]!) * (/^h/i.test(m[2]!) ? 60 : 1) })],
  [/(?<!\p{L})(?:(\d+|два|две|три)\s+)?(полчаса|час(?:а|ов)?|минут(?:у|ы)?)\s+назад(?!\p{L})/giu, (m) => ({ agoMinutes: russianAgo(m[1], m[2]!) })],
  [new RegExp(`${arabic('منذ')}\\s+(\\d+\\s+)?(${arabic('ساعه')}|${arabic('ساعتين')}|${arabic('ساعات')}|${arabic('دقيقه')}|${arabic('دقايق')}|${arabic('دقائق')})`, 'gu'),
    (m) => ({ agoMinutes: arabicAgo(m[1], m[2]!) })],
  [/\blast night\b/gi, () => ({ dayOffset: -1, period: 'night' })],
  [/\b(this|since this|since the|since|in the)\s+(morning|afternoon|evening)\b/gi, (m) => ({ dayOffset: 0, period: m[2]!.toLowerCase() as TimeParts['period'], ...(/since/i.test(m[1]!) ? { since: true } : {}) })],
  [/\b(yesterday|today|tonight)(?:\s+(morning|afternoon|evening|night))?\b/gi, (m) => ({ dayOffset: /yesterday/i.test(m[1]!) ? -1 : 0, ...(m[2] ? { period: m[2].toLowerCase() as TimeParts['period'] } : /tonight/i.test(m[1]!) ? { period: 'evening' as const } : {}) })],
  [/\bat dawn\b/gi, () => ({ dayOffset: 0, period: 'dawn' })],
  [/(?<!\p{L})(вчера|сегодня)(?:\s+(утром|днем|днём|вечером|ночью))?(?!\p{L})/giu, (m) => ({ dayOffset: /вчера/i.test(m[1]!) ? -1 : 0, ...(m[2] ? { period: russianPeriod(m[2]) } : {}) })],
  [/(?<!\p{L})(с\s+)?(утра|утром|вечером|ночью|днем|днём|рассвете)(?!\p{L})/giu, (m) => ({ period: russianPeriod(m[2]!), ...(m[1] ? { since: true } : {}) })],
  [new RegExp(`(${arabic('منذ')}\\s+)?(${arabic('صباح')}|${arabic('فجر')}|${arabic('مساء')}|${arabic('ظهر')})\\s+${arabic('اليوم')}`, 'gu'), (m) => ({ dayOffset: 0, period: arabicPeriod(m[2]!), ...(m[1] ? { since: true } : {}) })],
  [new RegExp(`(${arabic('منذ')}\\s+)?(?:${arabic('هذا')}\\s+)?(${arabic('الصباح')}|${arabic('صباحا')}|${arabic('الفجر')}|${arabic('فجرا')}|${arabic('مساء')}|${arabic('ليلا')})`, 'gu'), (m) => ({ period: arabicPeriod(m[2]!), ...(m[1] ? { since: true } : {}) })],
  [new RegExp(`${arabic('الليله')}\\s+${arabic('الماضيه')}|${arabic('ليله')}\\s+${arabic('امس')}`, 'gu'), () => ({ dayOffset: -1, period: 'night' })],
  [new RegExp(`(?<!\\p{L})(${arabic('امس')}|${arabic('البارحه')}|${arabic('اليوم')})(?!\\p{L})`, 'gu'), (m) => ({ dayOffset: /اليوم/.test(m[1]!.replace(/[أإآ]/g, 'ا')) ? 0 : -1 })],
]

function hour12(h: number, suffix?: string): number {
  if (!suffix) return h
  const pm = /^p/i.test(suffix)
  return h === 12 ? (pm ? 12 : 0) : pm ? h + 12 : h
}
function russianHour(h: number, word: string): number {
  if (word === 'утра') return h === 12 ? 0 : h
  if (word === 'ночи') return h >= 9 ? h + 12 : h % 12
  return h < 12 ? h + 12 : h // вечера, дня
}
function arabicHour(h: number, word: string): number {
  const w = foldText(word)
  if (/مسا|ليل/.test(w)) return h < 12 ? h + 12 : h
  if (/ظهر/.test(w)) return h < 6 ? h + 12 : h
  return h
}
const amount = (s: string): number => (/^\d+$/.test(s) ? +s : /few/i.test(s) ? 3 : /two|couple/i.test(s) ? 2 : /three/i.test(s) ? 3 : 1)
function russianAgo(n: string | undefined, u: string): number {
  if (/^полчаса$/i.test(u)) return 30
  const value = !n ? 1 : /^дв/i.test(n) ? 2 : /^три$/i.test(n) ? 3 : +n
  return value * (/^час/i.test(u) ? 60 : 1)
}
function arabicAgo(n: string | undefined, u: string): number {
  const w = foldText(u)
  if (w === 'ساعتين') return 120
  const value = n ? +n.trim() : 1
  return value * (/ساع/.test(w) ? 60 : 1)
}
function russianPeriod(w: string): TimeParts['period'] {
  const s = w.toLowerCase()
  return /утр/.test(s) ? 'morning' : /вечер/.test(s) ? 'evening' : /ноч/.test(s) ? 'night' : /рассвет/.test(s) ? 'dawn' : 'afternoon'
}
function arabicPeriod(w: string): TimeParts['period'] {
  const s = foldText(w)
  return /صباح/.test(s) ? 'morning' : /فجر/.test(s) ? 'dawn' : /مسا/.test(s) ? 'evening' : /ليل/.test(s) ? 'night' : 'afternoon'
}

const PERIOD_HOUR: Record<NonNullable<TimeParts['period']>, number> = { dawn: 5, morning: 9, afternoon: 15, evening: 20, night: 23 }

/** The offset of a time zone from UTC at an instant, in milliseconds. */
function zoneOffset(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(new Date(instant))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return asUtc - Math.floor(instant / 1000) * 1000
}
/** The instant a wall-clock time in a zone is. */
function zonedInstant(y: number, m: number, d: number, h: number, mi: number, timeZone: string): number {
  const wall = Date.UTC(y, m - 1, d, h, mi)
  let instant = wall - zoneOffset(wall, timeZone)
  instant = wall - zoneOffset(instant, timeZone)
  return instant
}
/** The calendar date of an instant in a zone. */
function zonedDate(instant: number, timeZone: string): { y: number; m: number; d: number } {
  const local = new Date(instant + zoneOffset(instant, timeZone))
  return { y: local.getUTCFullYear(), m: local.getUTCMonth() + 1, d: local.getUTCDate() }
}
const addDays = (date: { y: number; m: number; d: number }, days: number) => {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d + days))
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() }
}

export type ResolvedTime = { occurredAt: string; datePrecision: DatePrecision; confidence: number; how: string }

export function resolveTime(parts: TimeParts, received: number, timeZone: string): ResolvedTime | null {
  if (Object.keys(parts).length === 0) return null
  if (parts.agoMinutes !== undefined) {
    return { occurredAt: new Date(received - parts.agoMinutes * 60_000).toISOString(), datePrecision: 1, confidence: 0.8, how: `${parts.agoMinutes} minutes before the message` }
  }
  const today = zonedDate(received, timeZone)
  let day = parts.date ?? addDays(today, parts.dayOffset ?? 0)
  if (parts.date && (day.m < 1 || day.m > 12 || day.d < 1 || day.d > 31)) return null
  const clock = parts.clock ?? (parts.period ? { h: PERIOD_HOUR[parts.period], mi: 0 } : { h: 12, mi: 0 })
  if (clock.h > 23 || clock.mi > 59) return null
  let instant = zonedInstant(day.y, day.m, day.d, clock.h, clock.mi, timeZone)
  // A time of day without a day that is still to come today was yesterday's ("at 23:00" sent at 01:00).
  if (!parts.date && parts.dayOffset === undefined && instant > received + 30 * 60_000) {
    day = addDays(day, -1)
    instant = zonedInstant(day.y, day.m, day.d, clock.h, clock.mi, timeZone)
  }
  let confidence = parts.date ? (parts.clock ? 0.95 : 0.85) : parts.clock ? 0.85 : parts.period ? 0.65 : 0.7
  let how = parts.clock ? 'the time given' : parts.period ? `the ${parts.period}` : 'the day given, time of day unknown'
  if (!parts.date && instant > received) {
    instant = received // "this evening" sent in the afternoon: no later than the message
    how += ', no later than the message'
  }
  if (parts.date && instant > received + 24 * 3600_000) { confidence = 0.4; how += ', which is after the message was received' }
  return { occurredAt: new Date(instant).toISOString(), datePrecision: 1, confidence, how }
}

/**
 * The time expressions of a text, without overlaps, in text order, and what they say together
 * (the first to say a part wins: "yesterday … at 14:00" is the day before at 14:00).
 */
export function findTimes(text: string): { hits: TimeHit[]; parts: TimeParts } {
  const hits: TimeHit[] = []
  for (const [rule, read] of TIME_RULES) {
    for (const m of text.matchAll(rule)) {
      const span: [number, number] = [m.index, m.index + m[0].length]
      if (m[0].trim() === '' || hits.some((h) => h.span[0] < span[1] && h.span[1] > span[0])) continue
      hits.push({ span, parts: read(m as RegExpExecArray) })
    }
  }
  hits.sort((a, b) => a.span[0] - b.span[0])
  const parts: Record<string, unknown> = {}
  for (const h of hits) for (const [k, v] of Object.entries(h.parts)) parts[k] ??= v
  return { hits, parts: parts as TimeParts }
}
