// The current view of the registry, derived from claims per viewpoint; nothing here reads the
// database. A viewpoint is whose claims count:
// - a party: that party's own live (unretracted) claims;
// - consensus: a fact every guarantor claims (each guarantor's own live claim of the same fact);
// - an authority: the claims that restate that authority's list (designations by it, and the
//   memberships and successions its list states, e.g. a UN sub-unit).
//
// Delineation asks, for an agreement and a date, whether an actor joined the truce or is
// excluded: designated at that date, or a member at that date of a designated umbrella (up the
// membership chain), where a designation carries over to a successor by rename or merger from
// the succession's date. Every answer carries the claims behind it. Cycles in the claimed graph
// (which different parties' claims can make) are walked once and never loop.

export type Confidence = 'high' | 'medium' | 'low'

/** A claim as the derivation needs it: one row of actor_claims, plus whether it was retracted. */
export type Claim = {
  id: string
  fact: 'name' | 'membership' | 'succession' | 'designation' | 'accession' | 'country'
  actorId: string
  otherActorId: string | null
  agreementId: string | null
  guarantorPartyId: string | null
  kind: string | null
  value: string | null
  authority: string | null
  reference: string | null
  validFrom: string | null
  validTo: string | null
  partyId: string
  retracted: boolean
}

export type Viewpoint =
  | { kind: 'party'; partyId: string }
  | { kind: 'consensus'; guarantors: readonly string[] }
  | { kind: 'authority'; authority: string }

/** "UNSC 1267", "unsc-1267" and "UNSC_1267" are one authority. */
export const authorityKey = (a: string): string => a.trim().toUpperCase().replace(/[\s_-]+/g, '-')

/** Whether a fact's interval holds on `at` (dates as YYYY-MM-DD compare as strings). */
export function holdsOn(c: Pick<Claim, 'validFrom' | 'validTo' | 'fact'>, at: string): boolean {
  if (c.validFrom !== null && c.validFrom > at) return false
  if (c.validTo === null) return true
  // A delisting date ends the designation that day; other intervals include their last day.
  return c.fact === 'designation' ? at < c.validTo : at <= c.validTo
}

/** What makes two claims claim the same fact (values aside from who claims it and when it holds). */
export function factKey(c: Claim): string {
  switch (c.fact) {
    case 'name': return `name|${c.actorId}|${c.kind}|${(c.value ?? '').normalize('NFKC').toLowerCase()}`
    case 'membership': return `membership|${c.actorId}|${c.otherActorId}`
    case 'succession': return `succession|${c.actorId}|${c.otherActorId}|${c.kind}`
    case 'designation': return `designation|${c.actorId}|${authorityKey(c.authority ?? '')}|${c.reference}`
    case 'accession': return `accession|${c.actorId}|${c.agreementId}|${c.kind}|${c.validFrom}`
    case 'country': return `country|${c.actorId}|${c.value}`
  }
}

/**
 * The claims that count from a viewpoint, each group being one fact with the claims behind it.
 * For consensus, a fact counts only when every guarantor claims it; its interval is where all
 * their intervals overlap.
 */
export function factsOf(claims: readonly Claim[], viewpoint: Viewpoint): Fact[] {
  const live = claims.filter((c) => !c.retracted)
  if (viewpoint.kind === 'party') return live.filter((c) => c.partyId === viewpoint.partyId).map((c) => ({ ...c, claimIds: [c.id] }))
  if (viewpoint.kind === 'authority') {
    const key = authorityKey(viewpoint.authority)
    return live.filter((c) => c.authority !== null && authorityKey(c.authority) === key).map((c) => ({ ...c, claimIds: [c.id] }))
  }
  if (viewpoint.guarantors.length === 0) return []
  const groups = new Map<string, Claim[]>()
  for (const c of live) {
    if (!viewpoint.guarantors.includes(c.partyId)) continue
    const k = factKey(c)
    const g = groups.get(k)
    if (g) g.push(c)
    else groups.set(k, [c])
  }
  const out: Fact[] = []
  for (const group of groups.values()) {
    if (!viewpoint.guarantors.every((p) => group.some((c) => c.partyId === p))) continue
    // The overlap of every guarantor's widest interval for the fact.
    let from: string | null = null
    let to: string | null = null
    let empty = false
    for (const p of viewpoint.guarantors) {
      const mine = group.filter((c) => c.partyId === p)
      const pFrom = mine.some((c) => c.validFrom === null) ? null : mine.map((c) => c.validFrom!).sort()[0]!
      const pTo = mine.some((c) => c.validTo === null) ? null : mine.map((c) => c.validTo!).sort().at(-1)!
      if (pFrom !== null && (from === null || pFrom > from)) from = pFrom
      if (pTo !== null && (to === null || pTo < to)) to = pTo
    }
    if (from !== null && to !== null && to < from) empty = true
    if (!empty) out.push({ ...group[0]!, validFrom: from, validTo: to, claimIds: group.map((c) => c.id) })
  }
  return out
}

/** A fact as a viewpoint holds it: the claim's fields, and every claim behind it. */
export type Fact = Claim & { claimIds: string[] }

export type DelineationStatus = 'joined' | 'excluded' | 'joined_and_excluded' | 'unknown'

export type Reason = {
  /** joined: an accession; designated: the actor itself; member_of_designated / successor_of_designated: by way of another actor. */
  kind: 'joined' | 'withdrew' | 'designated' | 'member_of_designated' | 'successor_of_designated'
  /** The chain from the actor to the designated one, for the indirect reasons. */
  via: string[]
  claimIds: string[]
  authority?: string
  reference?: string
  date?: string | null
}

export type Cell = { status: DelineationStatus; reasons: Reason[] }

/**
 * Whether `actorId` joined `agreementId` and whether it is excluded on `at`, from the facts of
 * one viewpoint. `authorities` limits the designations that exclude to those the agreement names
 * (empty: any authority).
 */
export function delineate(facts: readonly Fact[], actorId: string, agreementId: string, at: string, authorities: readonly string[]): Cell {
  const reasons: Reason[] = []

  // Accession: the latest joined/withdrew on or before `at`.
  const accessions = facts.filter((f) => f.fact === 'accession' && f.actorId === actorId && f.agreementId === agreementId && f.validFrom !== null && f.validFrom <= at)
    .sort((a, b) => (a.validFrom! < b.validFrom! ? -1 : a.validFrom! > b.validFrom! ? 1 : a.kind === 'withdrew' ? 1 : -1))
  const lastAccession = accessions.at(-1)
  const joined = lastAccession?.kind === 'joined'
  if (lastAccession) reasons.push({ kind: lastAccession.kind === 'joined' ? 'joined' : 'withdrew', via: [], claimIds: lastAccession.claimIds, date: lastAccession.validFrom })

  const allowed = new Set(authorities.map(authorityKey))
  const designationsOf = (id: string) => facts.filter((f) => f.fact === 'designation' && f.actorId === id && holdsOn(f, at)
    && (allowed.size === 0 || allowed.has(authorityKey(f.authority ?? ''))))

  // Walk from the actor up memberships (held on `at`) and back along rename/merger successions
  // (dated on or before `at`), collecting designations found on the way.
  type Step = { id: string; via: string[]; claimIds: string[]; how: 'self' | 'member' | 'successor' }
  const seen = new Set<string>([actorId])
  const queue: Step[] = [{ id: actorId, via: [], claimIds: [], how: 'self' }]
  let excluded = false
  while (queue.length > 0) {
    const step = queue.shift()!
    for (const d of designationsOf(step.id)) {
      excluded = true
      reasons.push({
        kind: step.how === 'self' ? 'designated' : step.how === 'member' ? 'member_of_designated' : 'successor_of_designated',
        via: step.via, claimIds: [...step.claimIds, ...d.claimIds], authority: d.authority ?? undefined, reference: d.reference ?? undefined, date: d.validFrom,
      })
    }
    for (const m of facts) {
      let next: string | null = null
      let how: Step['how'] = 'member'
      if (m.fact === 'membership' && m.actorId === step.id && m.otherActorId && holdsOn(m, at)) next = m.otherActorId
      else if (m.fact === 'succession' && m.actorId === step.id && m.otherActorId && (m.kind === 'rename' || m.kind === 'merger')
        && (m.validFrom === null || m.validFrom <= at)) {
        next = m.otherActorId
        how = 'successor'
      }
      if (next === null || seen.has(next)) continue
      seen.add(next)
      queue.push({ id: next, via: [...step.via, next], claimIds: [...step.claimIds, ...m.claimIds], how: step.how === 'self' ? how : step.how })
    }
  }
  const status: DelineationStatus = joined && excluded ? 'joined_and_excluded' : joined ? 'joined' : excluded ? 'excluded' : 'unknown'
  return { status, reasons }
}

/**
 * Whether claiming `memberId` ∈ `umbrellaId` over [from, to] closes a loop: some chain of
 * memberships (among `facts`) leads from the umbrella back to the member at a moment inside
 * that interval. Returns the loop's actors, or null.
 */
export function membershipLoop(facts: readonly Pick<Claim, 'fact' | 'actorId' | 'otherActorId' | 'validFrom' | 'validTo'>[],
  memberId: string, umbrellaId: string, from: string | null, to: string | null): string[] | null {
  const overlaps = (f: { validFrom: string | null; validTo: string | null }, lo: string | null, hi: string | null) =>
    (f.validTo === null || lo === null || f.validTo >= lo) && (f.validFrom === null || hi === null || f.validFrom <= hi)
  type Path = { id: string; path: string[]; lo: string | null; hi: string | null }
  const queue: Path[] = [{ id: umbrellaId, path: [memberId, umbrellaId], lo: from, hi: to }]
  const seen = new Set<string>()
  while (queue.length > 0) {
    const p = queue.shift()!
    if (p.id === memberId) return p.path
    const key = `${p.id}|${p.lo}|${p.hi}`
    if (seen.has(key)) continue
    seen.add(key)
    for (const f of facts) {
      if (f.fact !== 'membership' || f.actorId !== p.id || f.otherActorId === null || !overlaps(f, p.lo, p.hi)) continue
      const lo = f.validFrom === null ? p.lo : p.lo === null || f.validFrom > p.lo ? f.validFrom : p.lo
      const hi = f.validTo === null ? p.hi : p.hi === null || f.validTo < p.hi ? f.validTo : p.hi
      queue.push({ id: f.otherActorId, path: f.otherActorId === memberId ? [...p.path, memberId] : [...p.path, f.otherActorId], lo, hi })
    }
  }
  return null
}

/**
 * The actors an agreement's delineation concerns: those with an accession to it, or designated by
 * an authority its exclusions name (any, when it names none), and everything linked to those by
 * membership or succession, from any live claim.
 */
export function concernedActors(claims: readonly Claim[], agreementId: string, authorities: readonly string[]): Set<string> {
  const authorityKeys = new Set(authorities.map(authorityKey))
  const concerned = new Set<string>()
  for (const c of claims) {
    if (c.retracted) continue
    if ((c.fact === 'accession' && c.agreementId === agreementId) || (c.fact === 'designation' && (authorityKeys.size === 0 || authorityKeys.has(authorityKey(c.authority ?? ''))))) concerned.add(c.actorId)
  }
  for (let grew = true; grew;) {
    grew = false
    for (const c of claims) {
      if (c.retracted || (c.fact !== 'membership' && c.fact !== 'succession') || !c.otherActorId) continue
      if (concerned.has(c.otherActorId) && !concerned.has(c.actorId)) { concerned.add(c.actorId); grew = true }
      if (concerned.has(c.actorId) && !concerned.has(c.otherActorId)) { concerned.add(c.otherActorId); grew = true }
    }
  }
  return concerned
}
