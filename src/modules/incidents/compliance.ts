// Compliance of an incident with an agreement, step by step, as plain data in and out (no
// database): was the agreement in force then, does it cover the place, who held the place by
// each claimant's account, where do the alleged perpetrator and the holder stand (joined through
// which guarantor, excluded or designated, unknown) from each viewpoint, and which provisions
// prohibit this kind of act here. The answer is a *potential* violation at most: Truce shows the
// reasoning and never concludes guilt.
import type { Cell, DelineationStatus } from '../actors/viewpoints.ts'
import type { Category } from './incidents.types.ts'
import { ZONE_KINDS } from '../geo/geo.schemas.ts'

/** Where an agreement applies: everywhere in its theatre (optionally bounded), or where its zone layers' features are at the time. */
export type Coverage =
  | { kind: 'everywhere'; bbox?: [number, number, number, number] | undefined }
  | { kind: 'layers'; layers: string[] }

/** A provision that prohibits acts of these categories, anywhere covered or only within these zone layers (slugs) or zone kinds. */
export type Prohibition = { provision: string; categories: Category[]; within?: string[] | undefined }

/**
 * `bound`: whom the prohibitions bind. `acceded`: the actors that joined (the 2016 Syria
 * cessation, which groups accepted through a co-chair); `all`: every actor it does not exclude
 * (an agreement signed by the sides themselves, like Minsk II).
 */
export type ComplianceRules = { coverage: Coverage; prohibitions: Prohibition[]; bound: 'acceded' | 'all' }

export const CONCLUSIONS = ['potential_violation', 'not_in_force', 'not_covered', 'not_prohibited', 'perpetrator_excluded', 'target_excluded', 'undetermined', 'disputed'] as const
export type Conclusion = (typeof CONCLUSIONS)[number]

/** A map feature containing the incident's place at its time (attribution). */
export type AreaHit = {
  featureId: string
  layer: string
  layerKind: 'admin' | 'zone' | 'access' | 'control'
  zoneKind: string | null
  name: string
  claimantPartyId: string
  actorId: string | null
  confidence: string | null
}

export type ViewpointRef = { key: string; kind: 'party' | 'consensus' | 'authority'; label: string; partyId?: string | undefined }

export type NamedActor = { actorId: string | null; name: string }

export type EvaluationInput = {
  agreement: {
    id: string; slug: string; title: string; effectiveFrom: string | null; effectiveTo: string | null
    guarantorIds: string[]
    /** In order; withdrawn ones carry when. */
    provisions: { number: string; title: string; withdrawnAt: string | null }[]
  }
  rules: ComplianceRules
  incident: { at: string; categories: Category[]; bbox: [number, number, number, number] }
  areas: AreaHit[]
  perpetrators: NamedActor[]
  targets: NamedActor[]
  viewpoints: ViewpointRef[]
  /** The delineation cell of each actor per viewpoint key (absent: unknown, no claims). */
  cells: Record<string, Record<string, Cell>>
  /** The guarantor each accession claim went through, by claim id. */
  accessionGuarantors: Record<string, string | null>
  /** Display names of parties and actors. */
  partyNames: Record<string, string>
  actorNames: Record<string, string>
}

export type Standing = {
  actorId: string | null
  name: string
  status: DelineationStatus | 'unresolved'
  /** joined: the guarantors the accession went through. */
  throughGuarantors: { partyId: string; name: string }[]
  /** excluded: designations on the way (directly, as a member of, or as successor of a designated actor). */
  designations: { kind: string; authority: string | null; reference: string | null; via: string[] }[]
  claimIds: string[]
}

export type Step =
  | { step: 'in_force'; outcome: 'yes' | 'no'; detail: string; evidence: { at: string; effectiveFrom: string | null; effectiveTo: string | null } }
  | { step: 'covered'; outcome: 'yes' | 'no'; detail: string; evidence: { coverage: Coverage; features: { featureId: string; layer: string; name: string }[] } }
  | { step: 'control'; outcome: 'agreed' | 'disputed' | 'none'; detail: string; evidence: { claims: { claimantPartyId: string; claimant: string; actorId: string | null; actor: string; featureId: string; layer: string; confidence: string | null }[] } }
  | { step: 'parties'; outcome: 'evaluated'; detail: string; evidence: { viewpoints: { viewpoint: string; label: string; perpetrators: Standing[]; holders: Standing[]; targets: Standing[] }[] } }
  | { step: 'prohibited'; outcome: 'yes' | 'no'; detail: string; evidence: { categories: Category[]; provisions: { number: string; title: string; categories: Category[]; within: { featureId: string; layer: string; name: string }[] | null }[] } }

export type ViewpointConclusion = {
  viewpoint: string
  label: string
  conclusion: Conclusion
  provision: string | null
  sentence: string
  /** An authority's list can exclude but never admit: unless it excludes, it has no opinion on the overall answer. */
  opinion: boolean
}

export type Evaluation = {
  agreementId: string
  agreement: string
  steps: Step[]
  viewpoints: ViewpointConclusion[]
  overall: { conclusion: Conclusion; provision: string | null; sentence: string }
}

const EXCLUDED: readonly string[] = ['excluded', 'joined_and_excluded']

/** Whether the bbox of one geometry meets another ([w, s, e, n]). */
export const bboxesMeet = (a: readonly number[], b: readonly number[]) => a[0]! <= b[2]! && b[0]! <= a[2]! && a[1]! <= b[3]! && b[1]! <= a[3]!

/** The [w, s, e, n] bounding box of any GeoJSON geometry's coordinates. */
export function bboxOf(geometry: { coordinates?: unknown }): [number, number, number, number] {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as number[]
      w = Math.min(w, x!); e = Math.max(e, x!); s = Math.min(s, y!); n = Math.max(n, y!)
    } else if (Array.isArray(c)) for (const x of c) walk(x)
  }
  walk(geometry.coordinates)
  return [w, s, e, n]
}

/**
 * Whether an agreement's coverage takes in a place: its theatre's box meets the place's, or one of
 * the areas at the place (geo attribution, control claims aside) is on a covering layer.
 */
export function coverageAt(coverage: Coverage, bbox: readonly number[], areas: readonly AreaHit[]): { covered: boolean; coveredBy: AreaHit[] } {
  if (coverage.kind === 'everywhere') return { covered: coverage.bbox === undefined || bboxesMeet(coverage.bbox, bbox), coveredBy: [] }
  const coveredBy = areas.filter((a) => a.layerKind !== 'control' && coverage.layers.includes(a.layer))
  return { covered: coveredBy.length > 0, coveredBy }
}

const isZoneKind = (s: string) => (ZONE_KINDS as readonly string[]).includes(s)

/** The standing of one actor in one viewpoint's delineation. */
function standingOf(input: EvaluationInput, viewpoint: string, a: NamedActor): Standing {
  if (a.actorId === null) return { actorId: null, name: a.name, status: 'unresolved', throughGuarantors: [], designations: [], claimIds: [] }
  const cell = input.cells[viewpoint]?.[a.actorId]
  const reasons = cell?.reasons ?? []
  const joined = reasons.filter((r) => r.kind === 'joined')
  const guarantors = [...new Set(joined.flatMap((r) => r.claimIds.map((id) => input.accessionGuarantors[id]).filter((g): g is string => typeof g === 'string')))]
  return {
    actorId: a.actorId, name: input.actorNames[a.actorId] ?? a.name, status: cell?.status ?? 'unknown',
    throughGuarantors: guarantors.map((g) => ({ partyId: g, name: input.partyNames[g] ?? g })),
    designations: reasons.filter((r) => r.kind === 'designated' || r.kind === 'member_of_designated' || r.kind === 'successor_of_designated')
      .map((r) => ({ kind: r.kind, authority: r.authority ?? null, reference: r.reference ?? null, via: r.via.map((v) => input.actorNames[v] ?? v) })),
    claimIds: [...new Set(reasons.flatMap((r) => r.claimIds))],
  }
}

const describe = (s: Standing): string => {
  if (s.status === 'unresolved') return `${s.name} (not identified in the registry)`
  if (s.status === 'joined') return `${s.name} joined${s.throughGuarantors.length > 0 ? ` through ${s.throughGuarantors.map((g) => g.name).join(' and ')}` : ''}`
  if (EXCLUDED.includes(s.status)) {
    const d = s.designations[0]
    const how = d ? (d.kind === 'designated' ? `designated by ${d.authority ?? 'an authority'}${d.reference ? ` (${d.reference})` : ''}`
      : d.kind === 'member_of_designated' ? `a member of ${d.via.at(-1) ?? 'a designated group'}, designated by ${d.authority ?? 'an authority'}`
        : `successor of ${d.via.at(-1) ?? 'a designated group'}, designated by ${d.authority ?? 'an authority'}`) : 'excluded'
    return `${s.name} is excluded (${how}${s.status === 'joined_and_excluded' ? ', although it is also said to have joined' : ''})`
  }
  return `${s.name}: not known to have joined or to be excluded`
}

/** The actors holding the place from one viewpoint: a party's own control claims; for consensus, an actor every guarantor places there; for an authority, anyone any claimant places there. */
function holdersFor(input: EvaluationInput, v: ViewpointRef, control: AreaHit[]): NamedActor[] {
  const withActor = control.filter((c) => c.actorId !== null)
  let ids: string[]
  if (v.kind === 'party') ids = withActor.filter((c) => c.claimantPartyId === v.partyId).map((c) => c.actorId!)
  else if (v.kind === 'consensus') {
    const g = input.agreement.guarantorIds
    ids = g.length === 0 ? [] : withActor.map((c) => c.actorId!).filter((a) => g.every((p) => withActor.some((c) => c.claimantPartyId === p && c.actorId === a)))
  } else ids = withActor.map((c) => c.actorId!)
  return [...new Set(ids)].map((id) => ({ actorId: id, name: input.actorNames[id] ?? id }))
}

/**
 * Evaluates one incident against one agreement's rules.
 *
 * @example
 * const e = evaluateCompliance(input)
 * e.overall // { conclusion: 'potential_violation', provision: '2', sentence: 'Potential violation of provision 2 (Ending attacks) of …' }
 */
export function evaluateCompliance(input: EvaluationInput): Evaluation {
  const { agreement: ag, rules, incident } = input
  const steps: Step[] = []
  const titleOf = (n: string) => ag.provisions.find((p) => p.number === n)?.title ?? ''
  const provisionName = (n: string) => `provision ${n}${titleOf(n) ? ` (${titleOf(n)})` : ''}`
  const finish = (conclusion: Conclusion, sentence: string): Evaluation => ({
    agreementId: ag.id, agreement: ag.title, steps,
    viewpoints: input.viewpoints.map((v) => ({ viewpoint: v.key, label: v.label, conclusion, provision: null, sentence, opinion: true })),
    overall: { conclusion, provision: null, sentence },
  })

  // 1. In force then?
  const inForce = ag.effectiveFrom !== null && ag.effectiveFrom <= incident.at && (ag.effectiveTo === null || incident.at < ag.effectiveTo)
  steps.push({
    step: 'in_force', outcome: inForce ? 'yes' : 'no', evidence: { at: incident.at, effectiveFrom: ag.effectiveFrom, effectiveTo: ag.effectiveTo },
    detail: ag.effectiveFrom === null ? `${ag.title} has no effective date.`
      : `${ag.title} was in force from ${ag.effectiveFrom}${ag.effectiveTo ? ` to ${ag.effectiveTo}` : ''}; the incident is of ${incident.at}${inForce ? ', within it' : ', outside it'}.`,
  })
  if (!inForce) return finish('not_in_force', `${ag.title} was not in force at the time of the incident.`)

  // 2. Covered here?
  const { covered, coveredBy } = coverageAt(rules.coverage, incident.bbox, input.areas)
  steps.push({
    step: 'covered', outcome: covered ? 'yes' : 'no',
    evidence: { coverage: rules.coverage, features: coveredBy.map((a) => ({ featureId: a.featureId, layer: a.layer, name: a.name })) },
    detail: rules.coverage.kind === 'everywhere'
      ? (covered ? 'The agreement covers its whole theatre, and the place is in it.' : 'The place is outside the theatre the agreement covers.')
      : covered ? `The place is within ${coveredBy.map((a) => `${a.name} (${a.layer})`).join(', ')} at that time.`
        : `No feature of ${rules.coverage.layers.join(', ')} covered the place at that time.`,
  })
  if (!covered) return finish('not_covered', `The place is not covered by ${ag.title} at that time.`)

  // 3. Who held the place, by each claimant?
  const control = input.areas.filter((a) => a.layerKind === 'control')
  const holdersByClaimant = new Map<string, Set<string>>()
  for (const c of control) {
    const s = holdersByClaimant.get(c.claimantPartyId) ?? new Set<string>()
    s.add(c.actorId ?? '')
    holdersByClaimant.set(c.claimantPartyId, s)
  }
  const distinctHolders = new Set(control.map((c) => c.actorId ?? ''))
  steps.push({
    step: 'control', outcome: control.length === 0 ? 'none' : distinctHolders.size > 1 ? 'disputed' : 'agreed',
    evidence: {
      claims: control.map((c) => ({
        claimantPartyId: c.claimantPartyId, claimant: input.partyNames[c.claimantPartyId] ?? c.claimantPartyId, actorId: c.actorId,
        actor: c.actorId ? input.actorNames[c.actorId] ?? c.actorId : 'unknown', featureId: c.featureId, layer: c.layer, confidence: c.confidence,
      })),
    },
    detail: control.length === 0 ? 'No claim of control covers the place at that time.'
      // In the claimants' names' order, so the sentence does not depend on the order the map answered in.
      : [...holdersByClaimant].sort(([a], [b]) => (input.partyNames[a] ?? a).localeCompare(input.partyNames[b] ?? b)).map(([p, ids]) => `${input.partyNames[p] ?? p} says ${[...ids].map((id) => (id ? input.actorNames[id] ?? id : 'an unnamed actor')).join(' and ')} held it`).join('; ') + '.',
  })

  // 4. Where the alleged perpetrator, the holder and the target stand, per viewpoint.
  const perView = input.viewpoints.map((v) => {
    const holders = holdersFor(input, v, control)
    return {
      v,
      perpetrators: input.perpetrators.map((p) => standingOf(input, v.key, p)),
      holders: holders.map((h) => standingOf(input, v.key, h)),
      targets: input.targets.map((t) => standingOf(input, v.key, t)),
    }
  })
  steps.push({
    step: 'parties', outcome: 'evaluated',
    evidence: { viewpoints: perView.map((x) => ({ viewpoint: x.v.key, label: x.v.label, perpetrators: x.perpetrators, holders: x.holders, targets: x.targets })) },
    detail: perView.map((x) => `${x.v.label}: ${x.perpetrators.length === 0 ? 'no perpetrator named' : x.perpetrators.map(describe).join('; ')}`
      + `${x.holders.length > 0 ? `; the place held by ${x.holders.map(describe).join('; ')}` : ''}`
      + `${x.targets.length > 0 ? `; the target ${x.targets.map(describe).join('; ')}` : ''}.`).join(' '),
  })

  // 5. Which provisions prohibit this kind of act here?
  const zones = input.areas.filter((a) => a.layerKind === 'zone')
  const matched: Extract<Step, { step: 'prohibited' }>['evidence']['provisions'] = []
  for (const p of ag.provisions) {
    if (p.withdrawnAt !== null && p.withdrawnAt <= incident.at) continue
    for (const rule of rules.prohibitions.filter((r) => r.provision === p.number)) {
      const categories = rule.categories.filter((c) => incident.categories.includes(c))
      if (categories.length === 0) continue
      let within: { featureId: string; layer: string; name: string }[] | null = null
      if (rule.within !== undefined) {
        const inside = zones.filter((z) => rule.within!.some((w) => (isZoneKind(w) ? z.zoneKind === w : z.layer === w)))
        if (inside.length === 0) continue
        within = inside.map((z) => ({ featureId: z.featureId, layer: z.layer, name: z.name }))
      }
      if (!matched.some((m) => m.number === p.number)) matched.push({ number: p.number, title: p.title, categories, within })
    }
  }
  steps.push({
    step: 'prohibited', outcome: matched.length > 0 ? 'yes' : 'no', evidence: { categories: incident.categories, provisions: matched },
    detail: matched.length === 0 ? `No provision prohibits ${incident.categories.join(' or ')} here.`
      : matched.map((m) => `${provisionName(m.number)} prohibits ${m.categories.join(', ')}${m.within ? ` within ${m.within.map((w) => w.name).join(', ')}` : ''}`).join('; ') + '.',
  })
  if (matched.length === 0) return finish('not_prohibited', `No provision of ${ag.title} prohibits ${incident.categories.join(' or ')} at this place.`)
  const first = matched[0]!.number

  // Conclusions per viewpoint.
  const hasExclusions = input.viewpoints.some((v) => v.kind === 'authority')
  const viewpoints: ViewpointConclusion[] = perView.map((x) => {
    const at = (c: Conclusion, sentence: string, provision: string | null = null): ViewpointConclusion =>
      ({ viewpoint: x.v.key, label: x.v.label, conclusion: c, provision, sentence, opinion: x.v.kind !== 'authority' || c === 'perpetrator_excluded' || c === 'target_excluded' })
    const excludedPerp = x.perpetrators.find((p) => EXCLUDED.includes(p.status))
    if (excludedPerp) return at('perpetrator_excluded', `An act by ${excludedPerp.name}, excluded from ${ag.title}, is outside the truce.`)
    const targets = x.targets.some((t) => t.status !== 'unresolved') ? x.targets.filter((t) => t.status !== 'unresolved') : x.holders
    if (targets.length > 0 && targets.every((t) => EXCLUDED.includes(t.status))) {
      return at('target_excluded', `An act against ${targets.map((t) => t.name).join(' and ')}, excluded from ${ag.title}, is outside the truce.`)
    }
    const resolved = x.perpetrators.filter((p) => p.status !== 'unresolved')
    const violation = (suffix = '') => at('potential_violation', `Potential violation of ${provisionName(first)} of ${ag.title}${suffix}.`, first)
    if (resolved.length === 0) {
      // Who did it matters only if the agreement binds some actors and not others.
      if (rules.bound === 'all' && !hasExclusions) return violation(' (the perpetrator is not identified)')
      return at('undetermined', `Undetermined: the alleged perpetrator is not identified${input.perpetrators.length > 0 ? ` (${input.perpetrators.map((p) => p.name).join(', ')} is not resolved in the registry)` : ''}.`)
    }
    if (rules.bound === 'all') return violation()
    const joined = resolved.find((p) => p.status === 'joined')
    if (joined) return violation()
    return at('undetermined', `Undetermined: ${resolved.map((p) => p.name).join(' and ')} is not known to have joined ${ag.title}.`)
  })

  // Overall: the answer the viewpoints with an opinion agree on, or "disputed" with each one's.
  const opinions = viewpoints.filter((v) => v.opinion)
  const kinds = new Set(opinions.map((v) => `${v.conclusion}|${v.provision ?? ''}`))
  const overall = kinds.size === 1
    ? { conclusion: opinions[0]!.conclusion, provision: opinions[0]!.provision, sentence: opinions[0]!.sentence }
    : opinions.length === 0
      ? { conclusion: 'undetermined' as const, provision: null, sentence: 'Undetermined: no viewpoint holds an opinion.' }
      : {
          conclusion: 'disputed' as const,
          provision: opinions.find((v) => v.conclusion === 'potential_violation')?.provision ?? null,
          sentence: `Viewpoints differ: ${opinions.map((v) => `${v.label}: ${v.sentence.charAt(0).toLowerCase()}${v.sentence.slice(1, -1)}`).join('; ')}.`,
        }
  return { agreementId: ag.id, agreement: ag.title, steps, viewpoints, overall }
}
