// The evaluation of an incident against an agreement, step by step, one conclusion at a time: on
// data shaped like the 2016 Syria cessation (two guarantors who disagree about who held eastern
// Aleppo, the UN list excluding Jabhat al-Nusra) and Minsk II (withdrawal zones, binding all).
import { describe, expect, it } from 'vitest'
import type { Cell } from '../actors/viewpoints.ts'
import { bboxOf, bboxesMeet, evaluateCompliance, type EvaluationInput } from './compliance.ts'

const US = '00000000-0000-4000-8000-0000000000a1'
const RU = '00000000-0000-4000-8000-0000000000a2'
const FSA = '00000000-0000-4000-8000-0000000000b1'
const NUSRA = '00000000-0000-4000-8000-0000000000b2'
const JAYSH = '00000000-0000-4000-8000-0000000000b3'
const OTHER = '00000000-0000-4000-8000-0000000000b4'

const joined = (claim: string): Cell => ({ status: 'joined', reasons: [{ kind: 'joined', via: [], claimIds: [claim], date: '2016-02-27' }] })
const designated: Cell = { status: 'excluded', reasons: [{ kind: 'designated', via: [], claimIds: ['c-nusra'], authority: 'UNSC-1267', reference: 'QDe.137', date: '2014-05-14' }] }

function syria(overrides: Partial<EvaluationInput> = {}): EvaluationInput {
  const cells = { [FSA]: joined('c-fsa'), [JAYSH]: joined('c-jaysh'), [NUSRA]: designated }
  return {
    agreement: {
      id: '00000000-0000-4000-8000-0000000000c1', slug: 'syria-coh-2016', title: 'Cessation of Hostilities in Syria',
      effectiveFrom: '2016-02-26T22:00:00.000Z', effectiveTo: null, guarantorIds: [US, RU],
      provisions: [{ number: '1', title: 'Acceptance', withdrawnAt: null }, { number: '2', title: 'Ending attacks', withdrawnAt: null }, { number: '6', title: 'Groups not covered', withdrawnAt: null }],
    },
    rules: { coverage: { kind: 'everywhere', bbox: [35.6, 32.3, 42.4, 37.4] }, prohibitions: [{ provision: '2', categories: ['shelling', 'airstrike'] }], bound: 'acceded' },
    incident: { at: '2016-03-10T08:00:00.000Z', categories: ['shelling'], bbox: [36.4, 33.57, 36.4, 33.57] },
    areas: [],
    perpetrators: [{ actorId: FSA, name: 'Free Syrian Army' }],
    targets: [],
    viewpoints: [
      { key: `party:${US}`, kind: 'party', label: 'United States of America', partyId: US },
      { key: `party:${RU}`, kind: 'party', label: 'Russian Federation', partyId: RU },
      { key: 'consensus', kind: 'consensus', label: 'consensus' },
      { key: 'authority:UNSC-1267', kind: 'authority', label: 'UNSC-1267' },
    ],
    cells: {
      [`party:${US}`]: cells, [`party:${RU}`]: cells, consensus: cells,
      'authority:UNSC-1267': { [NUSRA]: designated, [FSA]: { status: 'unknown', reasons: [] }, [JAYSH]: { status: 'unknown', reasons: [] } },
    },
    accessionGuarantors: { 'c-fsa': US, 'c-jaysh': US },
    partyNames: { [US]: 'United States of America', [RU]: 'Russian Federation' },
    actorNames: { [FSA]: 'Free Syrian Army', [NUSRA]: 'Jabhat al-Nusra', [JAYSH]: 'Jaysh al-Islam', [OTHER]: 'Some group' },
    ...overrides,
  }
}

const control = (party: string, actor: string) => ({
  featureId: `f-${party}-${actor}`, layer: 'control-2016', layerKind: 'control' as const, zoneKind: null, name: 'Eastern Aleppo', claimantPartyId: party, actorId: actor, confidence: 'high',
})

describe('evaluateCompliance', () => {
  it('finds a potential violation of the provision that prohibits the act, by a group that joined through a guarantor', () => {
    const e = evaluateCompliance(syria())
    expect(e.steps.map((s) => [s.step, s.outcome])).toEqual([['in_force', 'yes'], ['covered', 'yes'], ['control', 'none'], ['parties', 'evaluated'], ['prohibited', 'yes']])
    expect(e.overall).toEqual({ conclusion: 'potential_violation', provision: '2', sentence: 'Potential violation of provision 2 (Ending attacks) of Cessation of Hostilities in Syria.' })
    const parties = e.steps.find((s) => s.step === 'parties')!
    if (parties.step !== 'parties') throw new Error('unreachable')
    expect(parties.evidence.viewpoints[0]!.perpetrators[0]).toMatchObject({ status: 'joined', throughGuarantors: [{ partyId: US, name: 'United States of America' }] })
    // The authority's list says nothing of a group it does not list: no opinion, not a disagreement.
    expect(e.viewpoints.find((v) => v.viewpoint === 'authority:UNSC-1267')).toMatchObject({ conclusion: 'undetermined', opinion: false })
  })

  it('says the agreement was not in force before its effective date, and stops there', () => {
    const e = evaluateCompliance(syria({ incident: { at: '2016-02-20T00:00:00.000Z', categories: ['shelling'], bbox: [36.4, 33.57, 36.4, 33.57] } }))
    expect(e.overall.conclusion).toBe('not_in_force')
    expect(e.steps).toHaveLength(1)
  })

  it('says not covered outside the theatre, and inside a zone layer only where one of its features is', () => {
    expect(evaluateCompliance(syria({ incident: { at: '2016-03-10T08:00:00.000Z', categories: ['shelling'], bbox: [30.5, 50.4, 30.5, 50.4] } })).overall.conclusion).toBe('not_covered')
    const rules = { coverage: { kind: 'layers' as const, layers: ['minsk-ii-lines'] }, prohibitions: [{ provision: '2', categories: ['shelling' as const] }], bound: 'acceded' as const }
    expect(evaluateCompliance(syria({ rules })).overall.conclusion).toBe('not_covered')
    const zone = { featureId: 'z1', layer: 'minsk-ii-lines', layerKind: 'zone' as const, zoneKind: 'buffer', name: 'Withdrawal line 25 km', claimantPartyId: US, actorId: null, confidence: null }
    const e = evaluateCompliance(syria({ rules, areas: [zone] }))
    expect(e.steps[1]).toMatchObject({ step: 'covered', outcome: 'yes', evidence: { features: [{ featureId: 'z1' }] } })
  })

  it('says not prohibited when no provision prohibits the category, or only within a zone the place is not in', () => {
    expect(evaluateCompliance(syria({ incident: { at: '2016-03-10T08:00:00.000Z', categories: ['aid_obstruction'], bbox: [36.4, 33.57, 36.4, 33.57] } })).overall.conclusion).toBe('not_prohibited')
    const rules = { coverage: { kind: 'everywhere' as const }, prohibitions: [{ provision: '2', categories: ['shelling' as const], within: ['buffer'] }], bound: 'acceded' as const }
    expect(evaluateCompliance(syria({ rules })).overall.conclusion).toBe('not_prohibited')
    const buffer = { featureId: 'z2', layer: 'lines', layerKind: 'zone' as const, zoneKind: 'buffer', name: '35 km', claimantPartyId: US, actorId: null, confidence: null }
    const e = evaluateCompliance(syria({ rules, areas: [buffer] }))
    expect(e.overall.conclusion).toBe('potential_violation')
    expect(e.steps.at(-1)).toMatchObject({ step: 'prohibited', evidence: { provisions: [{ number: '2', within: [{ featureId: 'z2' }] }] } })
  })

  it('a withdrawn provision prohibits nothing after its withdrawal', () => {
    const input = syria()
    input.agreement.provisions[1]!.withdrawnAt = '2016-03-01T00:00:00.000Z'
    expect(evaluateCompliance(input).overall.conclusion).toBe('not_prohibited')
  })

  it('an act by an excluded group is outside the truce, in every viewpoint including the authority\'s', () => {
    const e = evaluateCompliance(syria({ perpetrators: [{ actorId: NUSRA, name: 'Jabhat al-Nusra' }] }))
    expect(e.overall.conclusion).toBe('perpetrator_excluded')
    expect(e.viewpoints.every((v) => v.conclusion === 'perpetrator_excluded' && v.opinion)).toBe(true)
    expect(e.overall.sentence).toContain('Jabhat al-Nusra')
  })

  it('an act against a named excluded target is outside the truce', () => {
    const e = evaluateCompliance(syria({ perpetrators: [{ actorId: JAYSH, name: 'Jaysh al-Islam' }], targets: [{ actorId: NUSRA, name: 'Nusra' }] }))
    expect(e.overall.conclusion).toBe('target_excluded')
  })

  it('where the guarantors disagree who held the place, each viewpoint answers from its own map, and the overall answer is disputed', () => {
    const e = evaluateCompliance(syria({ perpetrators: [{ actorId: JAYSH, name: 'Jaysh al-Islam' }], areas: [control(US, FSA), control(RU, NUSRA)] }))
    expect(e.steps[2]).toMatchObject({ step: 'control', outcome: 'disputed' })
    expect(e.steps[2]!.detail).toBe('Russian Federation says Jabhat al-Nusra held it; United States of America says Free Syrian Army held it.')
    const by = Object.fromEntries(e.viewpoints.map((v) => [v.viewpoint, v.conclusion]))
    expect(by).toEqual({ [`party:${US}`]: 'potential_violation', [`party:${RU}`]: 'target_excluded', consensus: 'potential_violation', 'authority:UNSC-1267': 'undetermined' })
    // The authority lists Nusra but not the FSA: whichever held the place, it cannot say all who did were excluded.
    expect(e.viewpoints.find((v) => v.viewpoint === 'authority:UNSC-1267')!.opinion).toBe(false)
    expect(e.overall.conclusion).toBe('disputed')
    expect(e.overall.provision).toBe('2')
    expect(e.overall.sentence).toMatch(/^Viewpoints differ: United States of America: potential violation of provision 2/)
  })

  it('is undetermined when the perpetrator is not identified, or not known to have joined an agreement that binds those who joined', () => {
    const unknown = evaluateCompliance(syria({ perpetrators: [{ actorId: null, name: 'unknown gunmen' }] }))
    expect(unknown.overall.conclusion).toBe('undetermined')
    expect(unknown.overall.sentence).toContain('unknown gunmen')
    expect(evaluateCompliance(syria({ perpetrators: [] })).overall.conclusion).toBe('undetermined')
    const outsider = evaluateCompliance(syria({ perpetrators: [{ actorId: OTHER, name: 'Some group' }] }))
    expect(outsider.overall).toMatchObject({ conclusion: 'undetermined', sentence: 'Undetermined: Some group is not known to have joined Cessation of Hostilities in Syria.' })
  })

  it('an agreement binding all with no exclusions is potentially violated whoever did it', () => {
    const minsk = syria({
      agreement: { id: '00000000-0000-4000-8000-0000000000c2', slug: 'minsk-ii-2015', title: 'Minsk II', effectiveFrom: '2015-02-14T22:00:00.000Z', effectiveTo: '2022-02-21T00:00:00.000Z', guarantorIds: [], provisions: [{ number: '1', title: 'Ceasefire', withdrawnAt: null }, { number: '2', title: 'Withdrawal of heavy weapons', withdrawnAt: null }] },
      rules: { coverage: { kind: 'layers', layers: ['minsk-ii-lines'] }, prohibitions: [{ provision: '1', categories: ['shelling'] }, { provision: '2', categories: ['heavy_weapons_in_zone'], within: ['buffer'] }], bound: 'all' },
      incident: { at: '2017-01-30T06:00:00.000Z', categories: ['heavy_weapons_in_zone'], bbox: [37.9, 48.1, 37.9, 48.1] },
      areas: [{ featureId: 'b25', layer: 'minsk-ii-lines', layerKind: 'zone', zoneKind: 'buffer', name: '25 km', claimantPartyId: US, actorId: null, confidence: null }],
      perpetrators: [],
      viewpoints: [{ key: 'consensus', kind: 'consensus', label: 'consensus' }], cells: { consensus: {} },
    })
    const e = evaluateCompliance(minsk)
    expect(e.overall).toEqual({ conclusion: 'potential_violation', provision: '2', sentence: 'Potential violation of provision 2 (Withdrawal of heavy weapons) of Minsk II (the perpetrator is not identified).' })
    expect(evaluateCompliance({ ...minsk, incident: { ...minsk.incident, at: '2022-03-01T00:00:00.000Z' } }).overall.conclusion).toBe('not_in_force')
  })
})

describe('bounding boxes', () => {
  it('reads any geometry and tells whether two boxes meet', () => {
    expect(bboxOf({ type: 'Point', coordinates: [36.4, 33.5] } as never)).toEqual([36.4, 33.5, 36.4, 33.5])
    expect(bboxOf({ type: 'Polygon', coordinates: [[[1, 2], [3, 2], [3, 5], [1, 2]]] } as never)).toEqual([1, 2, 3, 5])
    expect(bboxesMeet([0, 0, 1, 1], [1, 1, 2, 2])).toBe(true)
    expect(bboxesMeet([0, 0, 1, 1], [1.1, 0, 2, 1])).toBe(false)
  })
})
