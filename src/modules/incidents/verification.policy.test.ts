// The verification state machine and who may move it: every transition with the roles and party
// kinds that may and may not make it, the evidence verified and corroborated need, per agreement,
// and the parties an allegation involves never judging the incident.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { IncidentState } from '../../db/schema.ts'
import { permissionsOf, type Principal, type Role } from '../access/access.policy.ts'
import {
  checkAgreements, checkThresholds, decideTransition, DEFAULT_RULES, guarantorsDisagree, isOverdue, mayAllege, mayConcur, mayFind, mayRespond,
  narrower, sourceKey, summarise, transitionActions, TRANSITIONS, type EvidenceSource, type IncidentFacts,
} from './verification.policy.ts'

const MONITOR = randomUUID()
const GUARANTOR_A = randomUUID()
const GUARANTOR_B = randomUUID()
const SIGNATORY = randomUUID()
const HUMANITARIAN = randomUUID()
const PUBLIC = randomUUID()

const user = (roles: Role[], partyId: string, partyKind: string): Principal => ({
  kind: 'user', userId: randomUUID(), partyId, partyKind, roles, permissions: permissionsOf(roles), apiKeyId: null,
})
const monitor = user(['monitor'], MONITOR, 'monitor')
const monitorAnalyst = user(['analyst'], MONITOR, 'monitor')
const guarantor = user(['coordinator'], GUARANTOR_A, 'guarantor')
const otherGuarantor = user(['coordinator'], GUARANTOR_B, 'guarantor')
const signatory = user(['coordinator'], SIGNATORY, 'signatory')
const humanitarian = user(['humanitarian'], HUMANITARIAN, 'humanitarian')
const reporter = user(['reporter'], PUBLIC, 'public')

const src = (partyId: string, partyKind: string, kind: string, name: string | null = null, url: string | null = null): EvidenceSource =>
  ({ reportId: randomUUID(), partyId, partyKind, kind, name, url })
const observed = src(MONITOR, 'monitor', 'monitor_observation', 'Patrol 4')
const media = src(GUARANTOR_A, 'guarantor', 'media', 'Reuters')
const allegation = src(SIGNATORY, 'signatory', 'party_allegation')

const facts = (state: IncidentState, over: Partial<IncidentFacts> = {}): IncidentFacts =>
  ({ state, involvedParties: [], sources: [observed, media], agreements: [], positions: [], ...over })

const code = (d: ReturnType<typeof decideTransition>) => (d.ok ? 'ok' : `${d.status} ${d.code}`)

describe('the state machine', () => {
  it('lets an incident go only where the table says, and names from and to when it cannot', () => {
    const all = Object.keys(TRANSITIONS) as IncidentState[]
    for (const from of all) {
      for (const to of all) {
        const d = decideTransition(user(['admin'], MONITOR, 'monitor'), facts(from), to)
        if (!TRANSITIONS[from].includes(to)) {
          expect(d.ok, `${from} → ${to}`).toBe(false)
          if (!d.ok) {
            expect(d.code).toBe('invalid_transition')
            expect(d.details[0]).toMatchObject({ from, to })
          }
        }
      }
    }
    expect(TRANSITIONS.rejected).toEqual([])
    expect(TRANSITIONS.reported).toEqual(['under_review'])
  })

  it('opens a review for holders of incident.verify or incident.analyse, and no one else', () => {
    for (const who of [monitor, monitorAnalyst, guarantor, signatory]) expect(code(decideTransition(who, facts('reported'), 'under_review'))).toBe('ok')
    expect(code(decideTransition(humanitarian, facts('reported'), 'under_review'))).toBe('403 forbidden')
    expect(code(decideTransition(reporter, facts('reported'), 'under_review'))).toBe('403 forbidden')
  })

  it('lets analysts and monitors of monitor or guarantor parties corroborate, with two independent sources', () => {
    expect(code(decideTransition(monitorAnalyst, facts('under_review'), 'corroborated'))).toBe('ok')
    expect(code(decideTransition(guarantor, facts('under_review'), 'corroborated'))).toBe('ok')
    expect(code(decideTransition(signatory, facts('under_review'), 'corroborated'))).toBe('403 forbidden')
    expect(code(decideTransition(humanitarian, facts('under_review'), 'corroborated'))).toBe('403 forbidden')
    const one = decideTransition(monitor, facts('under_review', { sources: [observed] }), 'corroborated')
    expect(code(one)).toBe('409 not_corroborated')
    expect(code(decideTransition(monitor, facts('under_review', { sources: [] }), 'unverifiable'))).toBe('ok')
    expect(code(decideTransition(signatory, facts('under_review'), 'unverifiable'))).toBe('403 forbidden')
  })

  it('lets only a monitor party with incident.verify verify or reject', () => {
    expect(code(decideTransition(monitor, facts('corroborated'), 'verified'))).toBe('ok')
    // An analyst of the monitor party analyses but does not verify.
    expect(code(decideTransition(monitorAnalyst, facts('corroborated'), 'verified'))).toBe('403 forbidden')
    // A guarantor's coordinator holds incident.verify, but is not a monitor.
    expect(code(decideTransition(guarantor, facts('corroborated'), 'verified'))).toBe('403 forbidden')
    expect(code(decideTransition(user(['admin'], GUARANTOR_A, 'guarantor'), facts('corroborated'), 'verified'))).toBe('403 forbidden')
    for (const from of ['under_review', 'unverifiable', 'corroborated', 'disputed'] as const) {
      expect(code(decideTransition(monitor, facts(from), 'rejected')), from).toBe('ok')
      expect(code(decideTransition(guarantor, facts(from), 'rejected')), from).toBe('403 forbidden')
    }
  })

  it('lets a guarantor contest, and a monitor record a dispute only when the guarantors\' findings disagree', () => {
    expect(code(decideTransition(guarantor, facts('verified'), 'disputed'))).toBe('ok')
    expect(code(decideTransition(guarantor, facts('corroborated'), 'disputed'))).toBe('ok')
    expect(code(decideTransition(signatory, facts('verified'), 'disputed'))).toBe('403 forbidden')
    expect(code(decideTransition(monitor, facts('verified'), 'disputed'))).toBe('409 no_dispute')
    const split = [
      { partyId: GUARANTOR_A, partyKind: 'guarantor', conclusion: 'violation' },
      { partyId: GUARANTOR_B, partyKind: 'guarantor', conclusion: 'no_violation' },
    ]
    expect(code(decideTransition(monitor, facts('verified', { positions: split }), 'disputed'))).toBe('ok')
  })

  it('never lets a party that alleged or is accused judge the incident, though it may contest it', () => {
    const involved = facts('corroborated', { involvedParties: [MONITOR, GUARANTOR_A] })
    const verify = decideTransition(monitor, involved, 'verified')
    expect(code(verify)).toBe('403 forbidden')
    expect(code(decideTransition(monitor, involved, 'rejected'))).toBe('403 forbidden')
    expect(code(decideTransition(guarantor, involved, 'disputed'))).toBe('ok')
    expect(code(decideTransition(guarantor, facts('under_review', { involvedParties: [GUARANTOR_A] }), 'corroborated'))).toBe('403 forbidden')
    expect(code(decideTransition(otherGuarantor, facts('under_review', { involvedParties: [GUARANTOR_A] }), 'corroborated'))).toBe('ok')
  })

  it('lists the moves a caller may make now, with why the others are refused', () => {
    const a = transitionActions(monitor, facts('corroborated', { sources: [media] }))
    expect(a.allowed).toEqual(['rejected'])
    expect(a.refused).toEqual([
      expect.objectContaining({ to: 'verified', code: 'thresholds_not_met' }),
      expect.objectContaining({ to: 'disputed', code: 'no_dispute' }),
    ])
    expect(transitionActions(guarantor, facts('rejected'))).toEqual({ allowed: [], refused: [] })
  })
})

describe('the evidence', () => {
  it('counts sources as independent by reporting party and name, address, or one unnamed per party', () => {
    expect(sourceKey(src(MONITOR, 'monitor', 'media', ' Reuters  Wire'))).toBe(sourceKey(src(MONITOR, 'monitor', 'public', 'reuters wire')))
    expect(sourceKey(src(MONITOR, 'monitor', 'media', 'Reuters'))).not.toBe(sourceKey(src(GUARANTOR_A, 'guarantor', 'media', 'Reuters')))
    expect(sourceKey(src(MONITOR, 'monitor', 'media', null, 'https://Example.org/a/'))).toBe(sourceKey(src(MONITOR, 'monitor', 'media', null, 'https://example.org/a')))
    const e = summarise([src(SIGNATORY, 'signatory', 'media'), src(SIGNATORY, 'signatory', 'public'), src(SIGNATORY, 'signatory', 'party_allegation')])
    expect(e).toEqual({ monitorObservation: false, independentSources: 1, sourceKinds: ['media', 'party_allegation', 'public'] })
  })

  it('takes a monitor observation only from a monitor party as the monitor\'s own', () => {
    expect(summarise([observed]).monitorObservation).toBe(true)
    expect(summarise([src(GUARANTOR_A, 'guarantor', 'monitor_observation', 'Task force monitor')]).monitorObservation).toBe(false)
  })

  it('verifies on a monitor\'s own observation, or on enough independent sources of enough kinds, as each agreement says', () => {
    expect(checkThresholds(summarise([observed]), DEFAULT_RULES)).toEqual({ met: true, missing: [] })
    const strict = { ...DEFAULT_RULES, monitorObservationSuffices: false, independentSources: 3 }
    const r = checkThresholds(summarise([observed, media]), strict)
    expect(r.met).toBe(false)
    expect(r.missing.join(' ')).toMatch(/1 more independent source.*2 of 3/)
    expect(checkThresholds(summarise([observed, media, allegation]), strict).met).toBe(true)
    expect(checkThresholds(summarise([media, src(SIGNATORY, 'signatory', 'media', 'AP')]), DEFAULT_RULES).missing.join(' ')).toMatch(/kind/)
  })

  it('needs every agreement in force to be met, and the defaults when none is', () => {
    const lax = { agreementId: randomUUID(), slug: 'lax', rules: { ...DEFAULT_RULES } }
    const strict = { agreementId: randomUUID(), slug: 'strict', rules: { ...DEFAULT_RULES, monitorObservationSuffices: false, independentSources: 3 } }
    expect(checkAgreements({ sources: [observed], agreements: [] })).toMatchObject({ met: true, agreements: [{ agreementId: null, met: true }] })
    expect(checkAgreements({ sources: [observed], agreements: [lax] }).met).toBe(true)
    const both = checkAgreements({ sources: [observed], agreements: [lax, strict] })
    expect(both.met).toBe(false)
    expect(both.agreements.map((a) => [a.slug, a.met])).toEqual([['lax', true], ['strict', false]])
    const d = decideTransition(monitor, facts('corroborated', { sources: [observed], agreements: [lax, strict] }), 'verified')
    expect(code(d)).toBe('409 thresholds_not_met')
    if (!d.ok) expect(d.details).toEqual([expect.objectContaining({ path: 'agreements.strict', agreementId: strict.agreementId })])
  })

  it('sees guarantors disagree only across two guarantor parties', () => {
    expect(guarantorsDisagree([{ partyId: GUARANTOR_A, partyKind: 'guarantor', conclusion: 'violation' }, { partyId: GUARANTOR_A, partyKind: 'guarantor', conclusion: 'no_violation' }])).toBe(false)
    expect(guarantorsDisagree([{ partyId: GUARANTOR_A, partyKind: 'guarantor', conclusion: 'violation' }, { partyId: MONITOR, partyKind: 'monitor', conclusion: 'no_violation' }])).toBe(false)
    expect(guarantorsDisagree([{ partyId: GUARANTOR_A, partyKind: 'guarantor', conclusion: 'violation' }, { partyId: GUARANTOR_B, partyKind: 'guarantor', conclusion: 'violation' }])).toBe(false)
  })
})

describe('allegations, answers and findings', () => {
  it('lets participants allege, the addressed party answer, and analysts find and concur in other parties\' findings', () => {
    expect(mayAllege(signatory)).toBe(true)
    expect(mayAllege(humanitarian)).toBe(true)
    expect(mayAllege(reporter)).toBe(false)
    expect(mayRespond(signatory, { to_party_id: SIGNATORY })).toBe(true)
    expect(mayRespond(guarantor, { to_party_id: SIGNATORY })).toBe(false)
    expect(mayFind(monitorAnalyst)).toBe(true)
    expect(mayFind(humanitarian)).toBe(false)
    expect(mayConcur(otherGuarantor, { party_id: GUARANTOR_A, concurring: [] })).toBe(true)
    expect(mayConcur(guarantor, { party_id: GUARANTOR_A, concurring: [] })).toBe(false)
    expect(mayConcur(otherGuarantor, { party_id: GUARANTOR_A, concurring: [GUARANTOR_B] })).toBe(false)
  })

  it('calls a request overdue once its deadline passed unanswered', () => {
    const deadline = new Date('2026-01-02T00:00:00Z')
    expect(isOverdue({ deadline, answered: false }, new Date('2026-01-01T23:59:59Z'))).toBe(false)
    expect(isOverdue({ deadline, answered: false }, new Date('2026-01-02T00:00:00Z'))).toBe(true)
    expect(isOverdue({ deadline, answered: true }, new Date('2026-02-01T00:00:00Z'))).toBe(false)
  })
})

describe('the disclosure of a ledger entry', () => {
  it('is never wider than the record nor than the incident', () => {
    const pub = { visibility: 'public' as const, restrictedTo: [] }
    const parties = { visibility: 'parties' as const, restrictedTo: [] }
    const toA = { visibility: 'restricted' as const, restrictedTo: [GUARANTOR_A] }
    const toAB = { visibility: 'restricted' as const, restrictedTo: [GUARANTOR_A, GUARANTOR_B] }
    expect(narrower(pub, parties, MONITOR)).toEqual(parties)
    expect(narrower(parties, pub, MONITOR)).toEqual(parties)
    expect(narrower(parties, toA, MONITOR)).toEqual(toA)
    expect(narrower(toAB, parties, MONITOR)).toEqual(toAB)
    expect(narrower({ visibility: 'internal', restrictedTo: [] }, pub, MONITOR)).toEqual({ visibility: 'internal', restrictedTo: [] })
    // Restricted both ways: the parties both name, and the writer.
    expect(narrower(toAB, { visibility: 'restricted', restrictedTo: [GUARANTOR_B, MONITOR] }, MONITOR)).toEqual({ visibility: 'restricted', restrictedTo: [GUARANTOR_B, MONITOR].sort() })
  })
})
