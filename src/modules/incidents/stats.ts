// Statistics of incidents, pure: daily counts per group (from one SQL aggregation) become buckets
// of days or ISO weeks (Monday to Sunday, UTC) with the empty ones kept, totals per group, and —
// for an agreement — the mean per day before and after its effective date, the change, and the
// trend after it (least-squares slope of weekly counts).

export type DailyCount = { day: string; key: string; label: string; n: number }
/** Incidents per 7-day block counted from the effective instant (negative: before it). */
export type WeekCount = { week: number; n: number }

export type Window = { from: string; to: string; days: number; incidents: number; meanPerDay: number | null }

const DAY = 86_400_000
const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`)
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** The Monday (UTC) of the ISO week holding `day`. */
export function weekStart(day: string): string {
  const ms = dayMs(day)
  const dow = (new Date(ms).getUTCDay() + 6) % 7
  return dayOf(ms - dow * DAY)
}

/** The number of days of [from, to] (inclusive). */
export const daysBetween = (from: string, to: string) => Math.round((dayMs(to) - dayMs(from)) / DAY) + 1

/**
 * Buckets over [from, to] (days, inclusive), every bucket present even when empty, and each
 * group's total; groups by total, largest first, then by label.
 *
 * @example
 * bucketize([{ day: '2016-03-02', key: 'shelling', label: 'shelling', n: 2 }], 'week', '2016-02-29', '2016-03-06')
 * // buckets: [{ start: '2016-02-29', total: 2, counts: { shelling: 2 } }]
 */
export function bucketize(rows: readonly DailyCount[], interval: 'day' | 'week', from: string, to: string) {
  const startOf = (d: string) => (interval === 'week' ? weekStart(d) : d)
  const step = interval === 'week' ? 7 * DAY : DAY
  const buckets = new Map<string, { start: string; total: number; counts: Record<string, number> }>()
  for (let ms = dayMs(startOf(from)); ms <= dayMs(to); ms += step) buckets.set(dayOf(ms), { start: dayOf(ms), total: 0, counts: {} })
  const groups = new Map<string, { key: string; label: string; total: number }>()
  let total = 0
  for (const r of rows) {
    if (r.day < from || r.day > to) continue
    const b = buckets.get(startOf(r.day))
    if (!b) continue
    b.total += r.n
    b.counts[r.key] = (b.counts[r.key] ?? 0) + r.n
    const g = groups.get(r.key) ?? { key: r.key, label: r.label, total: 0 }
    g.total += r.n
    groups.set(r.key, g)
    total += r.n
  }
  return {
    total,
    groups: [...groups.values()].sort((a, b) => b.total - a.total || a.label.localeCompare(b.label)),
    buckets: [...buckets.values()],
  }
}

/** The least-squares slope of ys over 0, 1, 2, … (per step). */
export function slope(ys: readonly number[]): number {
  const n = ys.length
  if (n < 2) return 0
  const mx = (n - 1) / 2
  const my = ys.reduce((a, b) => a + b, 0) / n
  let num = 0
  let den = 0
  ys.forEach((y, x) => { num += (x - mx) * (y - my); den += (x - mx) ** 2 })
  return num / den
}

/**
 * Before and after an agreement's effective instant, within [from, to] (days, inclusive) and
 * before its end: incidents, days (fractional where the instant falls inside a day) and the mean
 * per day; the change of the mean in percent; the trend after it over its complete weeks.
 */
export function beforeAfter(weeks: readonly WeekCount[], effectiveFrom: string, effectiveTo: string | null, from: string, to: string) {
  const start = dayMs(from)
  const end = dayMs(to) + DAY
  const eff = Date.parse(effectiveFrom)
  const afterEnd = Math.min(end, effectiveTo === null ? Infinity : Date.parse(effectiveTo))
  const window = (lo: number, hi: number, incidents: number): Window | null => {
    if (hi <= lo) return null
    const days = (hi - lo) / DAY
    return { from: new Date(lo).toISOString(), to: new Date(hi).toISOString(), days: Math.round(days), incidents, meanPerDay: incidents / days }
  }
  const before = window(start, Math.min(eff, end), weeks.filter((w) => w.week < 0).reduce((a, w) => a + w.n, 0))
  const completeWeeks = Math.floor((afterEnd - Math.max(eff, start)) / (7 * DAY))
  const afterCounts = weeks.filter((w) => w.week >= 0)
  const after = window(Math.max(eff, start), afterEnd, afterCounts.reduce((a, w) => a + w.n, 0))
  const changePercent = before && after && before.meanPerDay! > 0 ? ((after.meanPerDay! - before.meanPerDay!) / before.meanPerDay!) * 100 : null
  let trend: { slopePerWeek: number; direction: 'rising' | 'falling' | 'flat'; weeks: number } | null = null
  // Weeks are counted from the effective instant, so a window starting after it has no whole weeks of its own.
  if (eff >= start && completeWeeks >= 2) {
    const ys = Array.from({ length: completeWeeks }, (_, i) => afterCounts.find((w) => w.week === i)?.n ?? 0)
    const s = slope(ys)
    trend = { slopePerWeek: s, direction: Math.abs(s) < 1e-9 ? 'flat' : s > 0 ? 'rising' : 'falling', weeks: completeWeeks }
  }
  return { before, after, changePercent, trend }
}
