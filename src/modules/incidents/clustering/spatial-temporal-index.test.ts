// The candidate index against a brute-force scan: on random reports of every precision, a lookup
// finds every earlier report within reach and nothing beyond it.
import { describe, expect, it } from 'vitest'
import { DATE_PRECISION_DAYS, WHERE_PRECISION_M, type DatePrecision, type WherePrecision } from '../incidents.types.ts'
import { greatCircleM } from './place.ts'
import { DAY_MS } from './similarity.ts'
import { SpatialTemporalIndex, type Extent } from './spatial-temporal-index.ts'
import { seededRandom } from './synthetic.ts'

function randomExtents(n: number, seed: number, lon0: number, lonSpan: number): Extent[] {
  const random = seededRandom(seed)
  const t0 = Date.UTC(2016, 0, 1)
  return Array.from({ length: n }, () => {
    const dp = (1 + Math.floor(random() ** 3 * 5)) as DatePrecision
    const wp = (1 + Math.floor(random() ** 3 * 6)) as WherePrecision
    return {
      t: t0 + random() * 60 * DAY_MS, w: DATE_PRECISION_DAYS[dp] * DAY_MS,
      lon: ((lon0 + random() * lonSpan + 540) % 360) - 180, lat: 33 + random() * 4, r: WHERE_PRECISION_M[wp],
    }
  })
}

function check(extents: Extent[], reach: number): { found: number } {
  const index = new SpatialTemporalIndex(reach)
  let found = 0
  const wrong: string[] = []
  extents.forEach((e, i) => {
    const got = new Set<number>()
    index.query(e, (item) => {
      if (got.has(item)) wrong.push(`${item} twice for ${i}`)
      got.add(item)
    })
    for (let j = 0; j < i; j++) {
      const o = extents[j]!
      const dt = Math.abs(o.t - e.t) / (o.w + e.w)
      const dd = greatCircleM(o.lon, o.lat, e.lon, e.lat) / (o.r + e.r)
      if (got.has(j) !== (dt <= reach && dd <= reach)) wrong.push(`${j} and ${i}: ${dt}, ${dd}`)
    }
    found += got.size
    index.insert(i, e)
  })
  expect(wrong).toEqual([])
  return { found }
}

describe('SpatialTemporalIndex', () => {
  it('finds exactly the earlier reports within reach, at every precision', () => {
    expect(check(randomExtents(1500, 1, 35.5, 7), 1.25).found).toBeGreaterThan(1000)
    check(randomExtents(800, 2, 35.5, 7), 1)
  })

  it('finds them across the antimeridian', () => {
    expect(check(randomExtents(600, 3, 179, 2), 1.25).found).toBeGreaterThan(100)
  })

  it('says what its levels hold', () => {
    const index = new SpatialTemporalIndex(1)
    randomExtents(200, 4, 35.5, 7).forEach((e, i) => index.insert(i, e))
    const levels = index.levels()
    expect(levels.reduce((s, l) => s + l.items, 0)).toBe(200)
    expect(levels[0]).toMatchObject({ maxWindowDays: 0.5, maxRadiusKm: 1 })
  })
})
