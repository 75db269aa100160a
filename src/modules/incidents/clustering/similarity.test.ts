// The similarity of two reports, signal by signal: each signal pulls the way an analyst would
// expect, scaled by the precision the reports give, and the explanation says why.
import { describe, expect, it } from 'vitest'
import { categoryCompatibility } from './categories.ts'
import type { ClusterReport, Signal } from './clustering.types.ts'
import { DEFAULT_WEIGHTS, similarity } from './similarity.ts'

const NOON = Date.UTC(2016, 4, 12, 12)
const HOUR = 3_600_000
const DAY = 24 * HOUR

/** A report of shelling in Kafr Hamra by the Syrian army on 12 May 2016 at noon, 4 killed; override what a test varies. */
function report(overrides: Partial<ClusterReport> = {}): ClusterReport {
  return {
    id: 'r1', occurredAt: NOON, datePrecision: 1, lon: 37.05, lat: 36.27, wherePrecision: 1,
    category: 'shelling',
    perpetrator: { name: 'Syrian Arab Army' }, target: { name: 'Syrian insurgents' },
    description: 'Shelling on Kafr Hamra, 4 killed',
    sourceKind: 'monitor_observation', sourceKey: 'monitor:aleppo-1',
    ...overrides,
  }
}
const other = (overrides: Partial<ClusterReport> = {}) => report({ id: 'r2', sourceKind: 'media', sourceKey: 'media:outlet-1', ...overrides })
const signal = (a: ClusterReport, b: ClusterReport, name: Signal) => similarity(a, b).signals.find((s) => s.signal === name)!

describe('similarity', () => {
  it('scores two reports of one event high and explains every signal', () => {
    const s = similarity(report(), other({ occurredAt: NOON + 2 * HOUR, lon: 37.055, description: 'Kafr Hamra: artillery shelling killed 4 people' }))
    expect(s.score).toBeGreaterThan(0.9)
    expect(s.signals.map((x) => x.signal)).toEqual(['time', 'distance', 'category', 'actors', 'text', 'numbers', 'source'])
    for (const x of s.signals) expect(x.detail).not.toBe('')
  })

  it('scores reports of different days, places, acts and actors low', () => {
    const s = similarity(report(), other({
      occurredAt: NOON + 5 * DAY, lon: 36.6, lat: 35.9, category: 'aid_obstruction',
      perpetrator: { name: 'SDF' }, target: { name: 'civilians' }, description: 'Convoy stopped at a checkpoint near Idlib',
    }))
    expect(s.score).toBeLessThan(0.01)
  })

  describe('time', () => {
    it('counts for windows that overlap and against windows apart, in units of their width', () => {
      expect(signal(report(), other({ occurredAt: NOON + 3 * HOUR }), 'time').contribution).toBeGreaterThan(0)
      const nextDay = signal(report(), other({ occurredAt: NOON + 2 * DAY }), 'time')
      expect(nextDay.value).toBe(0)
      expect(nextDay.contribution).toBeLessThan(0)
      expect(signal(report(), other({ occurredAt: NOON + 4 * DAY }), 'time').contribution).toBeLessThanOrEqual(nextDay.contribution)
      // Half a window apart is less against than a whole one (until the veto caps both).
      const week = report({ datePrecision: 3 })
      const gentle = { ...DEFAULT_WEIGHTS, timeAgainst: 2 }
      const time = (b: ClusterReport) => similarity(week, b, gentle).signals.find((x) => x.signal === 'time')!.contribution
      expect(time(other({ datePrecision: 3, occurredAt: NOON + 15 * DAY }))).toBeGreaterThan(time(other({ datePrecision: 3, occurredAt: NOON + 21 * DAY })))
    })

    it('says less for wide windows: two months overlapping are weaker evidence than two days', () => {
      const days = signal(report(), other(), 'time').contribution
      const months = signal(report({ datePrecision: 4 }), other({ datePrecision: 4, occurredAt: NOON + 10 * DAY }), 'time').contribution
      expect(months).toBeGreaterThanOrEqual(0)
      expect(months).toBeLessThan(days / 2)
    })

    it('lets a wide window reach a day a narrow one cannot', () => {
      const week = report({ datePrecision: 3 })
      expect(signal(week, other({ occurredAt: NOON + 5 * DAY }), 'time').contribution).toBeGreaterThan(0)
      expect(signal(report(), other({ occurredAt: NOON + 5 * DAY }), 'time').contribution).toBeLessThan(0)
    })
  })

  describe('distance', () => {
    it('compares the distance with the sum of the precision radii', () => {
      // 0.045° of longitude at 36°N is about 4 km: beyond two exact places (1 + 1 km), within two "25 km" ones.
      const exact = signal(report(), other({ lon: 37.095 }), 'distance')
      expect(exact.contribution).toBeLessThan(0)
      expect(exact.detail).toContain('too far')
      expect(signal(report({ wherePrecision: 2 }), other({ lon: 37.095, wherePrecision: 2 }), 'distance').contribution).toBeGreaterThan(0)
    })

    it('says less for wide radii: two districts overlapping are weaker evidence than two villages, two provinces none', () => {
      const villages = signal(report(), other({ lon: 37.052 }), 'distance').contribution
      const districts = signal(report({ wherePrecision: 3 }), other({ lon: 37.052, wherePrecision: 3 }), 'distance').contribution
      expect(districts).toBeGreaterThan(0)
      expect(districts).toBeLessThan(villages / 2)
      expect(signal(report({ wherePrecision: 4 }), other({ lon: 37.052, wherePrecision: 4 }), 'distance').contribution).toBe(0)
    })

    it('uses an area’s radius when it is wider than the precision’s', () => {
      const far = other({ lon: 37.35 })
      expect(signal(report(), far, 'distance').contribution).toBeLessThan(0)
      expect(signal(report({ radiusM: 30_000 }), far, 'distance').contribution).toBeGreaterThan(0)
    })
  })

  describe('category', () => {
    it('takes compatible categories as the same event seen differently', () => {
      expect(categoryCompatibility('shelling', 'explosion')).toBeGreaterThan(0.5)
      expect(categoryCompatibility('airstrike', 'drone_strike')).toBeGreaterThan(0.5)
      expect(categoryCompatibility('drone_strike', 'airstrike')).toBe(categoryCompatibility('airstrike', 'drone_strike'))
      expect(signal(report(), other({ category: 'explosion' }), 'category').contribution).toBeGreaterThan(0)
      expect(signal(report(), other({ category: 'aid_obstruction' }), 'category').contribution).toBeLessThan(0)
    })
  })

  describe('actors', () => {
    it('takes the same resolved actors as decisive and different ones as strong evidence against', () => {
      const a = report({ perpetrator: { name: 'regime forces', actorIds: ['gov'] }, target: { name: 'rebels', actorIds: ['ins'] } })
      expect(signal(a, other({ perpetrator: { name: 'SAA', actorIds: ['gov'] }, target: { name: 'armed opposition', actorIds: ['ins'] } }), 'actors').value).toBe(1)
      const against = signal(a, other({ perpetrator: { name: 'IS', actorIds: ['is'] }, target: { name: 'SDF', actorIds: ['sdf'] } }), 'actors')
      expect(against.contribution).toBeLessThan(-1)
    })

    it('compares names in any script and spelling when they are not resolved', () => {
      const a = report({ perpetrator: { name: 'ISIS' }, target: { name: 'Syrian Democratic Forces' } })
      const same = signal(a, other({ perpetrator: { name: 'Islamic State' }, target: { name: 'SDF' } }), 'actors')
      expect(same.value).toBeGreaterThan(0.85)
      expect(same.contribution).toBeGreaterThan(0)
      expect(signal(a, other({ perpetrator: { name: 'داعش' }, target: { name: 'قسد' } }), 'actors').value).toBeGreaterThan(0.85)
      expect(signal(a, other({ perpetrator: { name: 'Jaysh al-Islam' }, target: { name: 'Syrian Arab Army' } }), 'actors').contribution).toBeLessThan(0)
    })

    it('reads a party’s allegation the other way round', () => {
      const s = signal(report(), other({ perpetrator: { name: 'Syrian insurgents' }, target: { name: 'Syrian Arab Army' } }), 'actors')
      expect(s.value).toBe(1)
      expect(s.contribution).toBeGreaterThan(0)
      expect(s.detail).toContain('other way round')
    })

    it('has nothing against two sides that may be the event’s two sides: each report names only one', () => {
      const a = report({ perpetrator: undefined, target: { name: 'Syrian Arab Army', actorIds: ['gov'] } })
      const s = signal(a, other({ perpetrator: undefined, target: { name: 'rebels', actorIds: ['ins'] } }), 'actors')
      expect(s.contribution).toBe(0)
      // Both sides named by one report leave no room: a side unlike both is another actor.
      expect(signal(report(), other({ perpetrator: undefined, target: { name: 'Islamic State', actorIds: ['is'] } }), 'actors').contribution).toBeLessThan(0)
    })

    it('finds one member of a coalition named by another source', () => {
      const a = report({ perpetrator: { name: 'Ahrar al-Sham, HTS and Southern Front' }, target: undefined })
      expect(signal(a, other({ perpetrator: { name: "Hay'at Tahrir al-Sham" }, target: undefined }), 'actors').contribution).toBeGreaterThan(0)
    })

    it('has nothing to say when a report names nobody', () => {
      const s = signal(report({ perpetrator: undefined, target: undefined }), other(), 'actors')
      expect(s.value).toBeNull()
      expect(s.contribution).toBe(0)
    })
  })

  describe('text and numbers', () => {
    it('meets place names across scripts, spellings and languages, and leaves out particles', () => {
      const s = signal(report({ description: 'Shelling on Kafr Hamra, 4 killed' }), other({ description: 'قصف على كفر حمرة أسفر عن مقتل ٤ أشخاص' }), 'text')
      expect(s.detail).toMatch(/kafr/i)
      expect(s.detail).toMatch(/hamra/i)
      expect(signal(report({ description: 'Bombardement sur Kfar Hamrah' }), other({ description: 'Обстрел в районе Кафр Хамра' }), 'text').value).toBeGreaterThan(0.3)
    })

    it('counts a shared figure for, and figures that all differ against', () => {
      const shared = signal(report(), other({ description: 'قصف على كفر حمرة أسفر عن مقتل ٤ أشخاص' }), 'numbers')
      expect(shared.contribution).toBeGreaterThan(0)
      expect(shared.detail).toContain('4')
      const far = signal(report(), other({ description: 'Shelling on Kafr Hamra, 11 killed' }), 'numbers')
      expect(far.contribution).toBeLessThan(0)
      expect(far.detail).toContain('no figure in common')
      // Counts other than tolls differ between sources (shells heard, houses hit): close ones are little against.
      const shells = (n: number) => other({ description: `Shelling on Kafr Hamra, ${n} shells` })
      const closeCounts = signal(report({ description: 'Shelling on Kafr Hamra, 40 shells' }), shells(42), 'numbers')
      expect(closeCounts.contribution).toBeLessThan(0)
      expect(closeCounts.contribution).toBeGreaterThan(signal(report({ description: 'Shelling on Kafr Hamra, 40 shells' }), shells(9), 'numbers').contribution / 3)
      expect(signal(report(), other({ description: 'Shelling on Kafr Hamra, casualties' }), 'numbers').contribution).toBe(0)
    })

    it('takes two death tolls that differ, even a little, as two events, unless the higher is a party’s', () => {
      const close = signal(report(), other({ description: 'Shelling on Kafr Hamra, 5 killed' }), 'numbers')
      const far = signal(report(), other({ description: 'Shelling on Kafr Hamra, 11 killed' }), 'numbers')
      expect(close.contribution).toBeLessThan(far.contribution / 2)
      const party = (n: number) => other({ sourceKind: 'party_allegation', sourceKey: 'party:opposition', description: `Kafr Hamra shelled, ${n} martyrs` })
      const higher = signal(report(), party(7), 'numbers')
      expect(higher.contribution).toBeLessThan(0)
      expect(higher.contribution).toBeGreaterThan(close.contribution / 3)
      expect(signal(report(), party(2), 'numbers').contribution).toBeLessThan(close.contribution / 2)
    })

    it('compares the death tolls when both state one, not an injured count that happens to match', () => {
      const s = signal(report(), other({ description: 'Shelling on Kafr Hamra: 9 killed, 4 injured' }), 'numbers')
      expect(s.contribution).toBeLessThan(0)
      expect(signal(report(), other({ description: 'قصف على كفر حمرة أسفر عن مقتل ٤ أشخاص وإصابة ٩' }), 'numbers').contribution).toBeGreaterThan(0)
    })
  })

  describe('source', () => {
    it('takes one source’s two different reports as two events, and the same report sent twice as one', () => {
      const twice = similarity(report(), report({ id: 'r2', description: 'Shelling on Kafr Hamra, 11 killed' }))
      expect(twice.signals.find((s) => s.signal === 'source')!.contribution).toBeLessThan(0)
      const resent = similarity(report(), report({ id: 'r2' }))
      expect(resent.signals.find((s) => s.signal === 'source')!.contribution).toBe(0)
      expect(resent.score).toBeGreaterThan(twice.score)
    })
  })
})
