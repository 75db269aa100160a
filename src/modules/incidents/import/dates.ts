// Dates as incident files write them → an instant in UTC, whether the text gave a time of day, and
// the coarsest precision the text itself allows (a month alone cannot be more precise than a
// month). Read: ISO 8601 (2016-03-01, 2016-03-01 14:05, 2016-03-01T14:05:00Z, 2016-03), numeric
// dates (01/03/2016, 1.3.2016, 01-03-16), English month names (1 March 2016, 01-Mar-2016,
// March 1, 2016, March 2016), a year alone, and Excel serial day numbers (42430, 42430.5).
//
// Numeric dates are day first, as ACLED and most sources outside the US write them. A numeric date
// that can only be month first (03/18/2016) is read so. One that could be either (03/04/2016)
// follows the other dates of the same column; when that column holds both orders, it is ambiguous
// and refused. A time without a zone is UTC. Nothing before 1900 or after `now` is accepted.
import type { DatePrecision } from '../incidents.types.ts'

export type DateOrder = 'dmy' | 'mdy'

export type ReadDate =
  | { ok: true; at: string; hasTime: boolean; precision: DatePrecision }
  | { ok: false; message: string }

export type DateOptions = {
  now: Date
  /** How a numeric date that could be either is read; day first unless the column says otherwise. */
  order?: DateOrder | 'ambiguous'
  /** Examples of both orders in the column, for the message when `order` is 'ambiguous'. */
  examples?: { dmy: string; mdy: string }
}

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11,
  dec: 12, december: 12,
}

const TIME = /^(.*?)(?:[T\s]\s*)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i
const ISO_DAY = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/
const ISO_MONTH = /^(\d{4})-(\d{1,2})$/
const YEAR = /^(\d{4})$/
const NUMERIC = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$/
const DAY_MONTH_YEAR = /^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]+)\.?,?[\s-]+(\d{4}|\d{2})$/i
const MONTH_DAY_YEAR = /^([a-z]+)\.?[\s-]+(\d{1,2})(?:st|nd|rd|th)?,?[\s-]+(\d{4})$/i
const MONTH_YEAR = /^([a-z]+)\.?[\s-]+(\d{4})$/i
const EXCEL_SERIAL = /^(\d{5})(?:\.(\d+))?$/
/** Excel's day 0 in its 1900 date system (1899-12-30, which absorbs Excel's fictitious 29 February 1900). */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30)
const DAY_MS = 86_400_000

type Parts = { year: number; month: number; day: number; precision: DatePrecision }

/**
 * Reads one date. `now` bounds it: a date after `now` is refused (a date alone counts from the
 * start of its day, so today is accepted).
 *
 * @example
 * parseDate('01/03/2016', { now }) // { ok: true, at: '2016-03-01T00:00:00.000Z', hasTime: false, precision: 1 }
 * parseDate('2016-03-01 14:05', { now }).at // '2016-03-01T14:05:00.000Z'
 * parseDate('31/02/2016', { now }) // { ok: false, message: '"31/02/2016" is not a date: February 2016 has no day 31' }
 */
export function parseDate(input: string, options: DateOptions): ReadDate {
  const text = input.trim().replace(/\s+/g, ' ')
  const quoted = JSON.stringify(text)
  if (!text) return { ok: false, message: 'is empty' }

  let ms: number
  let hasTime = false
  let precision: DatePrecision = 1
  const serial = EXCEL_SERIAL.exec(text)
  if (serial) {
    const fraction = serial[2] ? Number(`0.${serial[2]}`) : 0
    ms = EXCEL_EPOCH + Number(serial[1]) * DAY_MS + Math.round(fraction * 86_400) * 1000
    hasTime = fraction > 0
  } else {
    const time = text.includes(':') ? TIME.exec(text) : null
    const dateText = time ? time[1]!.trim() : text
    const parts = dateParts(dateText, options)
    if (typeof parts === 'string') return { ok: false, message: `${quoted} ${parts}` }
    const { year, month, day } = parts
    precision = parts.precision
    if (year < 1900) return { ok: false, message: `${quoted} is before 1900: a typing error?` }
    ms = Date.UTC(year, month - 1, day)
    const check = new Date(ms)
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
      return { ok: false, message: month < 1 || month > 12 ? `${quoted} is not a date: there is no month ${month}` : `${quoted} is not a date: ${MONTH_NAMES[month - 1]} ${year} has no day ${day}` }
    }
    if (time) {
      if (precision !== 1) return { ok: false, message: `${quoted} gives a time of day but no day` }
      const [hh, mm, ss] = [Number(time[2]), Number(time[3]), Number(time[4] ?? 0)]
      if (hh > 23 || mm > 59 || ss > 59) return { ok: false, message: `${quoted} is not a time of day (00:00 to 23:59:59)` }
      const milli = time[5] ? Math.floor(Number(`0.${time[5]}`) * 1000) : 0
      ms += ((hh * 60 + mm) * 60 + ss) * 1000 + milli - zoneOffsetMs(time[6])
      hasTime = true
    }
  }
  if (ms > options.now.getTime()) return { ok: false, message: `${quoted} is in the future (it is now ${options.now.toISOString()})` }
  return { ok: true, at: new Date(ms).toISOString(), hasTime, precision }
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/** The calendar parts a date text names, or why it names none (a phrase following the quoted text). */
function dateParts(text: string, options: DateOptions): Parts | string {
  let m = ISO_DAY.exec(text)
  if (m) return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), precision: 1 }
  if ((m = ISO_MONTH.exec(text))) return { year: Number(m[1]), month: Number(m[2]), day: 1, precision: 4 }
  if ((m = YEAR.exec(text))) return { year: Number(m[1]), month: 1, day: 1, precision: 5 }
  if ((m = NUMERIC.exec(text))) {
    const [a, b] = [Number(m[1]), Number(m[3])]
    const year = fullYear(m[4]!, options.now)
    let order: DateOrder
    if (a > 12 && b <= 12) order = 'dmy'
    else if (b > 12 && a <= 12) order = 'mdy'
    else if (a === b || a > 12) order = 'dmy' // the same either way, or impossible either way
    else if (options.order === 'ambiguous') {
      const e = options.examples
      return `is ambiguous: this file writes dates both day first${e ? ` (${e.dmy})` : ''} and month first${e ? ` (${e.mdy})` : ''}; write it as ${year}-MM-DD`
    } else order = options.order ?? 'dmy'
    return order === 'dmy' ? { year, month: b, day: a, precision: 1 } : { year, month: a, day: b, precision: 1 }
  }
  if ((m = DAY_MONTH_YEAR.exec(text))) {
    const month = MONTHS[m[2]!.toLowerCase()]
    if (month === undefined) return `is not a date: "${m[2]}" is not a month`
    return { year: fullYear(m[3]!, options.now), month, day: Number(m[1]), precision: 1 }
  }
  if ((m = MONTH_DAY_YEAR.exec(text))) {
    const month = MONTHS[m[1]!.toLowerCase()]
    if (month === undefined) return `is not a date: "${m[1]}" is not a month`
    return { year: Number(m[3]), month, day: Number(m[2]), precision: 1 }
  }
  if ((m = MONTH_YEAR.exec(text))) {
    const month = MONTHS[m[1]!.toLowerCase()]
    if (month === undefined) return `is not a date: "${m[1]}" is not a month`
    return { year: Number(m[2]), month, day: 1, precision: 4 }
  }
  return 'is not a date this importer reads (write 2016-03-01, 2016-03-01 14:05, 01/03/2016 or 1 March 2016)'
}

/** A two-digit year is in this century unless that would be after `now`'s year. */
function fullYear(text: string, now: Date): number {
  if (text.length === 4) return Number(text)
  const year = 2000 + Number(text)
  return year > now.getUTCFullYear() ? year - 100 : year
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || /^(z|utc|gmt)$/i.test(zone)) return 0
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000
}

/**
 * The order a column writes numeric dates in, from the dates that can only be read one way: day
 * first when only day-first ones occur (or none do), month first when only month-first ones do,
 * 'ambiguous' when both occur. `examples` names one of each for the message.
 *
 * @example
 * numericDateOrder(['13/03/2016', '01/04/2016']) // { order: 'dmy' }
 * numericDateOrder(['03/13/2016', '01/04/2016']) // { order: 'mdy' }
 */
export function numericDateOrder(texts: Iterable<string>): { order: DateOrder | 'ambiguous'; examples?: { dmy: string; mdy: string } } {
  let dmy: string | undefined
  let mdy: string | undefined
  for (const raw of texts) {
    const text = raw.trim().replace(/\s+/g, ' ')
    const date = text.includes(':') ? (TIME.exec(text)?.[1] ?? text).trim() : text
    const m = NUMERIC.exec(date)
    if (!m) continue
    const [a, b] = [Number(m[1]), Number(m[3])]
    if (a > 12 && b <= 12) dmy ??= text
    else if (b > 12 && a <= 12) mdy ??= text
    if (dmy !== undefined && mdy !== undefined) return { order: 'ambiguous', examples: { dmy, mdy } }
  }
  return { order: mdy !== undefined ? 'mdy' : 'dmy' }
}

/**
 * Reads a column of dates at once, so that numeric dates that could be read either way follow the
 * column's order (see numericDateOrder). Empty cells give `{ ok: false, message: 'is empty' }`.
 */
export function parseDateColumn(texts: readonly string[], options: { now: Date }): ReadDate[] {
  const { order, examples } = numericDateOrder(texts)
  return texts.map((t) => parseDate(t, { now: options.now, order, ...(examples ? { examples } : {}) }))
}
