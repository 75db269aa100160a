// The map's date: a calendar day (YYYY-MM-DD, UTC) chosen with the slider or the date input, and
// the instant it stands for when features are asked for: the start of that day in UTC, the same
// for every reader whatever their time zone.
const DAY_MS = 86_400_000
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

export const isIsoDate = (value: string): boolean => ISO_DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
export const dayNumber = (date: string): number => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS)

/** The YYYY-MM-DD date of a day number. */
export const dateOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10)

export const todayUtc = (): string => new Date().toISOString().slice(0, 10)

/** The instant the map asks about for a date: its first moment, UTC. */
export const instantOf = (date: string): string => `${date}T00:00:00Z`

/** The date of an instant, UTC (null for none). */
export const dateOfInstant = (iso: string | null): string | null => (iso === null ? null : new Date(iso).toISOString().slice(0, 10))

/**
 * The slider's span: from a default start (or earlier, if the features say so) to today (or
 * later), in day numbers.
 * @example sliderSpan(['2016-02-27'], '2011-01-01', '2024-05-01') → [dayNumber('2011-01-01'), dayNumber('2024-05-01')]
 */
export function sliderSpan(known: readonly string[], start: string, today: string): [number, number] {
  let min = dayNumber(start)
  let max = dayNumber(today)
  for (const d of known) {
    const n = dayNumber(d)
    if (n < min) min = n
    if (n > max) max = n
  }
  return [min, max]
}
