import { describe, expect, it } from 'vitest'
import type { ReportInput } from '../incidents.types.ts'
import { clusterReportOf } from './from-report.ts'
import { similarity } from './similarity.ts'

const input: ReportInput = {
  occurredAt: '2016-05-12T12:00:00Z', datePrecision: 1,
  where: { kind: 'point', lon: 37.05, lat: 36.27, precision: 1, placeName: 'Kafr Hamra' },
  category: 'shelling', perpetrator: 'Syrian Arab Army', target: 'Syrian insurgents',
  description: 'Shelling on Kafr Hamra, 4 killed',
  sources: [{ kind: 'media', reliability: 'B', name: 'Enab Baladi' }],
}

describe('clusterReportOf', () => {
  it('turns an intake report into what the clusterer compares', () => {
    const r = clusterReportOf(input, { id: 'report-1', perpetratorIds: ['actor-gov'] })
    expect(r).toMatchObject({
      id: 'report-1', occurredAt: Date.UTC(2016, 4, 12, 12), datePrecision: 1, lon: 37.05, lat: 36.27, wherePrecision: 1, radiusM: 0,
      perpetrator: { name: 'Syrian Arab Army', actorIds: ['actor-gov'] }, target: { name: 'Syrian insurgents' },
      sourceKind: 'media', sourceKey: 'media:Enab Baladi',
    })
  })

  it('gives each anonymous source its own key, so two members of the public are two sources', () => {
    const anonymous = { ...input, sources: [{ kind: 'public' as const, reliability: 'F' as const }] }
    const a = clusterReportOf(anonymous, { id: 'a' }), b = clusterReportOf(anonymous, { id: 'b' })
    expect(a.sourceKey).not.toBe(b.sourceKey)
    expect(similarity(a, b).signals.find((s) => s.signal === 'source')!.contribution).toBe(0)
  })

  it('places a sector at its arc, with a radius, and refuses a time that is not one', () => {
    const sector = clusterReportOf({ ...input, where: { kind: 'sector', lon: 37.8, lat: 48, bearing: 'NNW', minDistanceM: 5000, maxDistanceM: 7000, precision: 2 } }, { id: 's' })
    expect(sector.lat).toBeGreaterThan(48.04)
    expect(sector.radiusM).toBeGreaterThan(1000)
    expect(() => clusterReportOf({ ...input, occurredAt: 'yesterday' }, { id: 'x' })).toThrow(RangeError)
  })
})
