// Verification between adversaries, as plain functions: the states an incident moves through, who
// may move it (by permission and by the kind of their party), and the evidence each move needs.
// The service decides with these and the verification view lists the caller's actions with the
// same functions, so a client never re-implements a rule. Pure: no database.
//
//   reported → under_review → corroborated | unverifiable → verified | disputed | rejected
//
// - under_review: anyone holding incident.verify or incident.analyse opens the review; an
//   unverifiable or disputed incident may be reopened the same way.
// - corroborated / unverifiable: an analyst or monitor (incident.analyse) of a monitor or
//   guarantor party; corroborated needs at least two independent sources.
// - verified: only a monitor party (kind `monitor`) with incident.verify, and only when the
//   thresholds of every agreement in force at the incident's time and place are met.
// - disputed: a guarantor party contests (incident.verify or incident.analyse), or a monitor
//   (incident.verify) records that the guarantors' findings disagree.
// - rejected: a monitor party with incident.verify. Rejected is final.
// - A party that alleged, or is accused of, a violation in the incident never judges it
//   (corroborated, unverifiable, verified, rejected); it may still contest it.
import type { IncidentState, Visibility } from '../../db/schema.ts'
import { can, type Principal } from '../access/access.policy.ts'
import type { SourceKind } from './incidents.types.ts'

export type VerificationRules = {
  /** A monitor's own observation verifies on its own. */
  monitorObservationSuffices: boolean
  /** Otherwise: at least this many independent sources … */
  independentSources: number
  /** … of at least this many different kinds. */
  distinctSourceKinds: number
  /** How long the accused party has to answer a request for information, by default. */
  rfiDeadlineHours: number
}

export const DEFAULT_RULES: Readonly<VerificationRules> = Object.freeze({
  monitorObservationSuffices: true, independentSources: 2, distinctSourceKinds: 2, rfiDeadlineHours: 72,
})

/** Independent sources an incident needs before it is corroborated, whatever the agreements say. */
export const CORROBORATION_SOURCES = 2

/** Where each state may go. */
export const TRANSITIONS: Readonly<Record<IncidentState, readonly IncidentState[]>> = {
  reported: ['under_review'],
  under_review: ['corroborated', 'unverifiable', 'rejected'],
  unverifiable: ['under_review', 'rejected'],
  corroborated: ['verified', 'disputed', 'rejected'],
  verified: ['disputed'],
  disputed: ['verified', 'under_review', 'rejected'],
  rejected: [],
}

/** One source of one report in the incident, with the party that reported it. */
export type EvidenceSource = {
  reportId: string
  partyId: string
  partyKind: string
  kind: SourceKind | string
  name: string | null
  url: string | null
}

/** An agreement in force at the incident's time and place and the rules it sets (the defaults when it set none). */
export type AgreementRules = { agreementId: string | null; slug: string | null; rules: VerificationRules }

export type IncidentFacts = {
  state: IncidentState
  /** Parties that alleged, or are accused of, a violation in this incident. */
  involvedParties: readonly string[]
  /** The sources of the reports the caller may see. */
  sources: readonly EvidenceSource[]
  /** The agreements in force at the incident's time that cover its place; empty means none, and the defaults apply. */
  agreements: readonly AgreementRules[]
  /** Findings (and concurrences) as the caller sees them: party, its kind, conclusion. */
  positions: readonly { partyId: string; partyKind: string; conclusion: string }[]
}

export type Refusal = { status: 403 | 409; code: string; message: string; details: { path?: string; message: string; [k: string]: unknown }[] }
export type Decision = { ok: true; evidence: unknown } | ({ ok: false } & Refusal)

/**
 * Which sources are independent: one per reporting party and source, a source known by its name
 * (case and spacing ignored), else its address, else the party's unnamed sources count as one.
 * Two parties citing the same name are two sources: each vouches for it separately.
 */
export function sourceKey(s: EvidenceSource): string {
  const name = s.name?.trim().toLowerCase().replace(/\s+/g, ' ')
  if (name) return `${s.partyId}|name:${name}`
  if (s.url) {
    try {
      const u = new URL(s.url)
      return `${s.partyId}|url:${u.host.toLowerCase()}${u.pathname.replace(/\/$/, '')}`
    } catch { return `${s.partyId}|url:${s.url}` }
  }
  return `${s.partyId}|unnamed`
}

export type EvidenceSummary = {
  monitorObservation: boolean
  independentSources: number
  sourceKinds: string[]
}

export function summarise(sources: readonly EvidenceSource[]): EvidenceSummary {
  return {
    // A monitor's own: the observation is reported by a monitor party, not cited by someone else.
    monitorObservation: sources.some((s) => s.kind === 'monitor_observation' && s.partyKind === 'monitor'),
    independentSources: new Set(sources.map(sourceKey)).size,
    sourceKinds: [...new Set(sources.map((s) => s.kind))].sort(),
  }
}

export type ThresholdCheck = { met: boolean; missing: string[] }

/** One agreement's rules against the evidence: met, or what is missing, in words. */
export function checkThresholds(evidence: EvidenceSummary, rules: VerificationRules): ThresholdCheck {
  if (rules.monitorObservationSuffices && evidence.monitorObservation) return { met: true, missing: [] }
  const missing: string[] = []
  if (evidence.independentSources < rules.independentSources) {
    missing.push(`${rules.independentSources - evidence.independentSources} more independent source(s): ${evidence.independentSources} of ${rules.independentSources}`)
  }
  if (evidence.sourceKinds.length < rules.distinctSourceKinds) {
    missing.push(`${rules.distinctSourceKinds - evidence.sourceKinds.length} more kind(s) of source: ${evidence.sourceKinds.length} of ${rules.distinctSourceKinds} (${evidence.sourceKinds.join(', ') || 'none'})`)
  }
  if (missing.length > 0 && rules.monitorObservationSuffices) missing.unshift('a monitor\'s own observation, or else:')
  return { met: missing.length === 0, missing }
}

/** Every agreement in force (or the defaults when none is), checked. */
export function checkAgreements(facts: Pick<IncidentFacts, 'sources' | 'agreements'>) {
  const evidence = summarise(facts.sources)
  const agreements = facts.agreements.length > 0 ? facts.agreements : [{ agreementId: null, slug: null, rules: { ...DEFAULT_RULES } }]
  const results = agreements.map((a) => ({ agreementId: a.agreementId, slug: a.slug, rules: a.rules, ...checkThresholds(evidence, a.rules) }))
  return { evidence, met: results.every((r) => r.met), agreements: results }
}

/** Whether guarantors' findings (or the findings they concur in) reach different conclusions. */
export function guarantorsDisagree(positions: IncidentFacts['positions']): boolean {
  const g = positions.filter((p) => p.partyKind === 'guarantor')
  return g.some((a) => g.some((b) => a.partyId !== b.partyId && a.conclusion !== b.conclusion))
}

const JUDGING: readonly IncidentState[] = ['corroborated', 'unverifiable', 'verified', 'rejected']

const forbid = (message: string, needs: string): Refusal =>
  ({ status: 403, code: 'forbidden', message, details: [{ message: needs }] })

/** May the actor's role and party make this move at all (before the evidence is looked at)? */
function roleRefusal(actor: Principal, to: IncidentState, facts: IncidentFacts): Refusal | null {
  const verify = can(actor, 'incident.verify')
  const analyse = can(actor, 'incident.analyse')
  const kind = actor.partyKind
  if (actor.partyId === null || kind === 'public') return forbid('Only a participant may move an incident.', 'a participant party')
  if (JUDGING.includes(to) && facts.involvedParties.includes(actor.partyId)) {
    return forbid('Your party alleged or is accused of a violation in this incident, so it does not judge it.', 'a party not involved in the incident\'s allegations')
  }
  switch (to) {
    case 'under_review':
      return verify || analyse ? null : forbid('Opening a review needs incident.verify or incident.analyse.', 'incident.verify or incident.analyse')
    case 'corroborated':
    case 'unverifiable':
      if (!analyse) return forbid(`Marking an incident ${to} needs incident.analyse.`, 'incident.analyse')
      return kind === 'monitor' || kind === 'guarantor' ? null : forbid(`Only a monitor or guarantor party marks an incident ${to}.`, 'a monitor or guarantor party')
    case 'verified':
    case 'rejected':
      if (!verify) return forbid(`Marking an incident ${to} needs incident.verify.`, 'incident.verify')
      return kind === 'monitor' ? null : forbid(`Only a monitor party marks an incident ${to}.`, 'a monitor party')
    case 'disputed':
      if (kind === 'guarantor') return verify || analyse ? null : forbid('Contesting needs incident.verify or incident.analyse.', 'incident.verify or incident.analyse')
      if (kind === 'monitor') {
        if (!verify) return forbid('Recording a dispute needs incident.verify.', 'incident.verify')
        return guarantorsDisagree(facts.positions) ? null
          : { status: 409, code: 'no_dispute', message: 'A monitor records a dispute only when the guarantors\' findings disagree.', details: [{ path: 'body.to', message: 'no two guarantors\' findings disagree' }] }
      }
      return forbid('Only a guarantor contests an incident, or a monitor records that the guarantors disagree.', 'a guarantor or monitor party')
    default:
      return forbid('No one moves an incident back to reported.', 'nothing')
  }
}

/**
 * Whether the actor may move the incident to `to` now: the state machine first (409
 * invalid_transition), then role and party (403), then the evidence (409 thresholds_not_met or
 * not_corroborated). On success, the evidence it was judged on, to keep with the transition.
 */
export function decideTransition(actor: Principal, facts: IncidentFacts, to: IncidentState): Decision {
  const from = facts.state
  if (!TRANSITIONS[from].includes(to)) {
    return {
      ok: false, status: 409, code: 'invalid_transition', message: `An incident cannot go from ${from} to ${to}.`,
      details: [{ path: 'body.to', message: `from ${from} an incident goes to ${TRANSITIONS[from].join(', ') || 'nowhere: it is final'}`, from, to, allowed: TRANSITIONS[from] }],
    }
  }
  const refused = roleRefusal(actor, to, facts)
  if (refused) return { ok: false, ...refused }
  if (to === 'corroborated') {
    const evidence = summarise(facts.sources)
    if (evidence.independentSources < CORROBORATION_SOURCES) {
      return {
        ok: false, status: 409, code: 'not_corroborated', message: `Corroboration needs ${CORROBORATION_SOURCES} independent sources.`,
        details: [{ path: 'evidence.independentSources', message: `${evidence.independentSources} of ${CORROBORATION_SOURCES}`, have: evidence.independentSources, need: CORROBORATION_SOURCES }],
      }
    }
    return { ok: true, evidence: { independentSources: evidence.independentSources, sourceKinds: evidence.sourceKinds } }
  }
  if (to === 'verified') {
    const check = checkAgreements(facts)
    if (!check.met) {
      return {
        ok: false, status: 409, code: 'thresholds_not_met', message: 'The evidence does not meet the verification thresholds of every agreement in force at the incident\'s time and place.',
        details: check.agreements.filter((a) => !a.met).map((a) => ({
          path: `agreements.${a.slug ?? a.agreementId ?? 'default'}`, message: a.missing.join(' '), agreementId: a.agreementId, rules: a.rules, missing: a.missing,
        })),
      }
    }
    return { ok: true, evidence: check }
  }
  return { ok: true, evidence: null }
}

/** Who may file an allegation: a participant (not the public) with incident.report, against another participant. */
export function mayAllege(actor: Principal): boolean {
  return actor.partyId !== null && actor.partyKind !== 'public' && can(actor, 'incident.report')
}

/** Who may answer a request for information: the party it is addressed to. */
export function mayRespond(actor: Principal, request: { to_party_id: string }): boolean {
  return actor.partyId !== null && actor.partyId === request.to_party_id && can(actor, 'incident.report')
}

/** Who may record a finding: a participant with incident.analyse. */
export function mayFind(actor: Principal): boolean {
  return actor.partyId !== null && actor.partyKind !== 'public' && can(actor, 'incident.analyse')
}

/** Who may concur in a finding: another participant with incident.analyse that has not concurred yet. */
export function mayConcur(actor: Principal, finding: { party_id: string; concurring: readonly string[] }): boolean {
  return mayFind(actor) && actor.partyId !== finding.party_id && !finding.concurring.includes(actor.partyId!)
}

/** A request is overdue when it has no answer and its deadline has passed. */
export function isOverdue(request: { deadline: Date; answered: boolean }, now: Date): boolean {
  return !request.answered && now.getTime() >= request.deadline.getTime()
}

/** The transitions the actor may make now, and why each other one is refused (for the view's actions). */
export function transitionActions(actor: Principal, facts: IncidentFacts) {
  const allowed: IncidentState[] = []
  const refused: { to: IncidentState; code: string; message: string }[] = []
  for (const to of TRANSITIONS[facts.state]) {
    const d = decideTransition(actor, facts, to)
    if (d.ok) allowed.push(to)
    else refused.push({ to, code: d.code, message: d.message })
  }
  return { allowed, refused }
}

export type Disclosure = { visibility: Visibility; restrictedTo: string[] }

/**
 * The narrower of two disclosures, for a ledger entry about a record on an incident: never wider
 * than the record, nor than the incident. `self` (the writer's party) may see both.
 */
export function narrower(a: Disclosure, b: Disclosure, self: string): Disclosure {
  if (a.visibility === 'public') return b
  if (b.visibility === 'public') return a
  if (a.visibility === 'internal' || b.visibility === 'internal') return { visibility: 'internal', restrictedTo: [] }
  if (a.visibility === 'parties') return b
  if (b.visibility === 'parties') return a
  const other = new Set([...b.restrictedTo, self])
  return { visibility: 'restricted', restrictedTo: [...new Set([...a.restrictedTo, self])].filter((p) => other.has(p)).sort() }
}
