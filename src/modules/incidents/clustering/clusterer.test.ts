// The clusterer on hand-made reports with a known truth: reports of one event end in one incident,
// neighbours in time and place stay apart, the same input order gives the same incidents, and an
// analyst's merges, splits and constraints hold against later automatic assignment.
import { describe, expect, it } from 'vitest'
import { Clusterer } from './clusterer.ts'
import { ClusteringConstraintError, type ClusterReport } from './clustering.types.ts'
import { pairwiseQuality } from './evaluate.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const D0 = Date.UTC(2016, 4, 12)

type Truth = { event: string; report: ClusterReport }

function r(id: string, overrides: Partial<ClusterReport>): ClusterReport {
  return {
    id, occurredAt: D0 + 12 * HOUR, datePrecision: 1, lon: 37.05, lat: 36.27, wherePrecision: 1, category: 'shelling',
    description: '', sourceKind: 'media', sourceKey: `media:${id}`, ...overrides,
  }
}

/**
 * Three events: shelling of Kafr Hamra (4 killed) and, the same day 1.5 km away, an airstrike on
 * Hreitan (9 killed) by another perpetrator; and shelling of Kafr Hamra again two days later
 * (2 killed). Each told by several sources in several languages, in arrival order.
 */
const STORY: Truth[] = [
  { event: 'kafr-hamra', report: r('a1', { sourceKind: 'monitor_observation', sourceKey: 'monitor:aleppo-1', occurredAt: D0 + 9 * HOUR, perpetrator: { name: 'Syrian Arab Army', actorIds: ['gov'] }, target: { name: 'Syrian insurgents', actorIds: ['ins'] }, description: 'Shelling on Kafr Hamra: 4 killed' }) },
  { event: 'hreitan', report: r('b1', { sourceKind: 'monitor_observation', sourceKey: 'monitor:aleppo-2', occurredAt: D0 + 15 * HOUR, lon: 37.065, lat: 36.262, category: 'airstrike', perpetrator: { name: 'Russian Aerospace Forces', actorIds: ['ru'] }, target: { name: 'HTS', actorIds: ['hts'] }, description: 'Airstrike on Hreitan, 9 killed including 3 children' }) },
  { event: 'kafr-hamra', report: r('a2', { lon: 37.053, perpetrator: { name: 'regime forces' }, description: 'قصف مدفعي على كفر حمرة أسفر عن مقتل ٤ أشخاص' }) },
  { event: 'hreitan', report: r('b2', { lon: 37.062, lat: 36.263, category: 'explosion', perpetrator: { name: 'Russian air force' }, description: 'Explosions in Hreitan after warplanes passed: 9 dead' }) },
  { event: 'kafr-hamra', report: r('a3', { sourceKind: 'party_allegation', sourceKey: 'party:opposition', lon: 37.048, perpetrator: { name: 'Syrian insurgents', actorIds: ['ins'] }, target: { name: 'Syrian Arab Army', actorIds: ['gov'] }, description: 'Kafr Hamra shelled by the regime, 4 martyrs' }) },
  { event: 'kafr-hamra-later', report: r('c1', { sourceKind: 'monitor_observation', sourceKey: 'monitor:aleppo-1', occurredAt: D0 + 2 * DAY + 10 * HOUR, perpetrator: { name: 'Syrian Arab Army', actorIds: ['gov'] }, target: { name: 'Syrian insurgents', actorIds: ['ins'] }, description: 'Shelling on Kafr Hamra: 2 killed' }) },
  { event: 'hreitan', report: r('b3', { sourceKind: 'public', sourceKey: 'public:x7', wherePrecision: 2, lon: 37.1, lat: 36.3, category: 'airstrike', description: 'Air raid on Hraytan, many dead, 9 they say' }) },
  { event: 'kafr-hamra-later', report: r('c2', { occurredAt: D0 + 2 * DAY + 12 * HOUR, lon: 37.051, description: 'Обстрел в районе Кафр Хамра: погибли 2 человек' }) },
]

const incidentsOf = (c: Clusterer) => c.incidents().map((i) => i.reportIds)

describe('Clusterer', () => {
  it('puts the reports of each event together and keeps neighbouring events apart', () => {
    const c = new Clusterer()
    const assignments = c.addAll(STORY.map((s) => s.report))
    expect(assignments.map((a) => a.created)).toEqual([true, true, false, false, false, true, false, false])
    expect(incidentsOf(c)).toEqual([['a1', 'a2', 'a3'], ['b1', 'b2', 'b3'], ['c1', 'c2']])
    const q = pairwiseQuality(STORY.map((s) => s.event), STORY.map((s) => c.incidentOf(s.report.id)!))
    expect([q.precision, q.recall]).toEqual([1, 1])
  })

  it('gives the same incidents, ids and scores for the same input order', () => {
    const run = () => {
      const c = new Clusterer()
      return { assignments: c.addAll(STORY.map((s) => s.report)), incidents: c.incidents() }
    }
    expect(run()).toEqual(run())
  })

  it('says why a report joined: the signals of the pair', () => {
    const c = new Clusterer()
    c.addAll(STORY.map((s) => s.report))
    const why = c.explain('a1', 'a3')
    expect(why.score).toBeGreaterThan(0.5)
    expect(why.signals.find((s) => s.signal === 'actors')!.detail).toContain('other way round')
    expect(c.explain('a1', 'c1').signals.find((s) => s.signal === 'time')!.contribution).toBeLessThan(0)
  })

  it('answers a report added twice with where it is, adding nothing', () => {
    const c = new Clusterer()
    c.addAll(STORY.map((s) => s.report))
    expect(c.add(STORY[2]!.report)).toMatchObject({ incidentId: c.incidentOf('a2'), reason: 'known', created: false })
    expect(c.stats().reports).toBe(STORY.length)
  })

  describe('analysts', () => {
    it('merge incidents: the first keeps its id, later reports join the merged one', () => {
      const c = new Clusterer()
      c.addAll(STORY.slice(0, 6).map((s) => s.report))
      const a = c.incidentOf('a1')!, later = c.incidentOf('c1')!
      expect(c.merge(a, later)).toBe(a)
      expect(c.incident(later)).toBeUndefined()
      expect(c.incident(a)!.reportIds).toEqual(['a1', 'a2', 'a3', 'c1'])
      c.add(r('a4', { lon: 37.049, description: 'Kafr Hamra: four killed in shelling, 4 dead' }))
      expect(c.incidentOf('a4')).toBe(a)
    })

    it('split reports off, and automatic assignment never brings them back', () => {
      const c = new Clusterer()
      c.addAll(STORY.slice(0, 5).map((s) => s.report))
      const a = c.incidentOf('a1')!
      const off = c.split(a, ['a3'])
      expect(c.incident(a)!.reportIds).toEqual(['a1', 'a2'])
      expect(c.incident(off)!.reportIds).toEqual(['a3'])
      // A report the same as a3 (the same party resending it) would join a3's incident, never a1's.
      const resent = { ...STORY[4]!.report, id: 'a3-again' }
      expect(c.add(resent).incidentId).toBe(off)
      // One that must be with both a1 and a3 contradicts the split.
      expect(() => c.add(r('x', { constraint: { mustLink: ['a1', 'a3'] } }))).toThrow(ClusteringConstraintError)
      expect(c.incidentOf('x')).toBeUndefined()
      expect(() => c.link('a2', 'a3', 'must')).toThrow(/judged two events/)
      // The analyst's own merge overrides the split.
      c.merge(a, off)
      expect(c.incident(a)!.reportIds).toEqual(['a1', 'a2', 'a3', 'a3-again'])
    })

    it('refuse a split that leaves nothing behind or names a report elsewhere', () => {
      const c = new Clusterer()
      c.addAll(STORY.slice(0, 2).map((s) => s.report))
      expect(() => c.split(c.incidentOf('a1')!, ['a1'])).toThrow(/both sides/)
      expect(() => c.split(c.incidentOf('a1')!, ['b1'])).toThrow(/not in incident/)
      expect(() => c.merge('incident-1', 'incident-99')).toThrow(/no incident/)
    })

    it('must-link a report to another, whatever the scores, and cannot-link it away from a look-alike', () => {
      const c = new Clusterer()
      c.addAll(STORY.slice(0, 2).map((s) => s.report))
      const unlike = r('m', { occurredAt: D0 + 20 * DAY, lon: 38, category: 'aid_obstruction', description: 'Convoy stopped', constraint: { mustLink: ['b1'] } })
      expect(c.add(unlike)).toMatchObject({ incidentId: c.incidentOf('b1'), reason: 'must_link' })
      const lookAlike = { ...STORY[0]!.report, id: 'n', sourceKey: 'media:n', constraint: { cannotLink: ['a1'] } }
      expect(c.add(lookAlike)).toMatchObject({ created: true, reason: 'new' })
    })

    it('keep constraints that name a report not seen yet until it comes', () => {
      const c = new Clusterer()
      c.add({ ...STORY[0]!.report, constraint: { cannotLink: ['a2'] } })
      c.add(r('early', { occurredAt: D0 + 30 * DAY, lon: 39, description: 'unrelated', constraint: { mustLink: ['b1'] } }))
      c.add(STORY[1]!.report)
      expect(c.incidentOf('b1')).toBe(c.incidentOf('early'))
      c.add(STORY[2]!.report)
      expect(c.incidentOf('a2')).not.toBe(c.incidentOf('a1'))
    })

    it('link two reports: must merges their incidents, cannot within one incident asks for a split', () => {
      const c = new Clusterer()
      c.addAll(STORY.slice(0, 3).map((s) => s.report))
      expect(() => c.link('a1', 'a2', 'cannot')).toThrow(/split one of them off/)
      c.link('a2', 'b1', 'must')
      expect(c.incidentOf('b1')).toBe(c.incidentOf('a1'))
    })
  })

  it('finds candidates across precision levels and the antimeridian', () => {
    const c = new Clusterer()
    const fiji = (id: string, lon: number, overrides: Partial<ClusterReport> = {}) =>
      r(id, { lon, lat: -17, description: 'Explosion at the port, 3 injured', category: 'explosion', ...overrides })
    c.add(fiji('f1', 179.999))
    expect(c.add(fiji('f2', -179.999)).created).toBe(false)
    // A month-and-province report of the same explosion finds it too.
    expect(c.add(fiji('f3', 179.5, { datePrecision: 4, wherePrecision: 4, occurredAt: D0 + 10 * DAY })).created).toBe(false)
  })
})
