// Matching names against the registry (matching/ is the pure matcher). A viewer matches only
// against the names it may see: one index per party (and one for a viewer without a party),
// built from that party's visible, live name claims and designation references, and rebuilt
// when the registry changed (the latest actor.* submission moved). A name of a merged actor
// answers as the actor it was merged into. With `actorId` as context (looking for that actor's
// duplicates), "not same" judgements block a candidate and "same" ones confirm it. With an
// agreement as context, each candidate says whether the agreement's delineation concerns it
// (acceded to it, designated by an authority its exclusions name, or linked to one of those),
// and within a band those come first.
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { badRequest, notFound } from '../../lib/errors.ts'
import { visibleTo } from '../../lib/visibility.ts'
import type { Principal } from '../access/access.policy.ts'
import { agreementsRepository } from '../agreements/agreements.repository.ts'
import { actorsRepository, toClaim } from './actors.repository.ts'
import type { NameKind, Script } from './actors.types.ts'
import { buildMatchIndex, matchName, type Band, type Candidate, type MatchIndex, type RegistryName } from './matching/matcher.ts'
import { concernedActors } from './viewpoints.ts'

const BAND_ORDER: Record<Band, number> = { automatic: 0, review: 1, possible: 2 }

type Built = { version: string; index: MatchIndex; mergedInto: Map<string, string>; displayName: Map<string, Record<string, string>> }

/** The day after a date: claims' intervals include their last day, the matcher's end before it. */
const dayAfter = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)

/** `concerned`: whether the context agreement's delineation concerns the actor (null without one). */
export type MatchResult = Candidate & { displayName: Record<string, string>; concerned: boolean | null }

export function actorMatcher(db: Kysely<DB>) {
  const built = new Map<string, Built>()
  const building = new Map<string, Promise<Built>>()

  /** Moves whenever an actor, claim, retraction, merge or judgement is recorded. */
  async function registryVersion(): Promise<string> {
    const r = await db.selectFrom('submissions').select((eb) => eb.fn.max('seq').as('seq'))
      .where('kind', '>=', 'actor.').where('kind', '<', 'actor/').executeTakeFirst()
    return String(r?.seq ?? 0)
  }

  async function build(viewer: Principal, version: string): Promise<Built> {
    const names = await db.selectFrom('actor_claims as c')
      .innerJoin('actors as a', 'a.id', 'c.actor_id')
      .leftJoin('actor_claim_retractions as r', 'r.claim_id', 'c.id')
      .select(['c.id', 'c.actor_id', 'c.fact', 'c.kind', 'c.value', 'c.lang', 'c.script', 'c.valid_from', 'c.valid_to', 'c.reference'])
      .where('c.fact', 'in', ['name', 'designation']).where('r.claim_id', 'is', null)
      .where(visibleTo(viewer, 'c')).where(visibleTo(viewer, 'a')).execute()
    const actors = await db.selectFrom('actors as a').select(['a.id', 'a.merged_into', 'a.display_name']).where(visibleTo(viewer, 'a')).execute()
    const entries: RegistryName[] = []
    for (const n of names) {
      if (n.fact === 'name' && n.value) {
        entries.push({
          actorId: n.actor_id, nameId: n.id, value: n.value, kind: n.kind as NameKind, lang: n.lang, script: (n.script ?? 'Other') as Script,
          validFrom: n.valid_from, validTo: n.valid_to === null ? null : dayAfter(n.valid_to),
        })
      } else if (n.fact === 'designation' && n.reference) {
        entries.push({ actorId: n.actor_id, nameId: n.id, value: n.reference, kind: 'name', lang: null, script: 'Latn', validFrom: null, validTo: null, isReference: true })
      }
    }
    return {
      version, index: buildMatchIndex(entries),
      mergedInto: new Map(actors.filter((a) => a.merged_into !== null).map((a) => [a.id, a.merged_into!])),
      displayName: new Map(actors.map((a) => [a.id, a.display_name])),
    }
  }

  async function indexFor(viewer: Principal): Promise<Built> {
    const key = viewer.partyId ?? 'anonymous'
    const version = await registryVersion()
    const current = built.get(key)
    if (current && current.version === version) return current
    const inFlight = building.get(`${key}@${version}`)
    if (inFlight) return inFlight
    const p = build(viewer, version).then((b) => { built.set(key, b); return b }).finally(() => building.delete(`${key}@${version}`))
    building.set(`${key}@${version}`, p)
    return p
  }

  /** The survivor a merged actor now answers as (merges chain; a cycle cannot be stored). */
  const survivor = (b: Built, id: string) => {
    let at = id
    for (let i = 0; i < 64 && b.mergedInto.has(at); i++) at = b.mergedInto.get(at)!
    return at
  }

  async function judgementsOf(actorId: string) {
    const rows = await db.selectFrom('actor_judgements').select(['actor_a', 'actor_b', 'verdict'])
      .where((eb) => eb.or([eb('actor_a', '=', actorId), eb('actor_b', '=', actorId)])).orderBy('created_at').execute()
    const verdicts = new Map<string, 'same' | 'not_same'>()
    for (const r of rows) {
      const other = r.actor_a === actorId ? r.actor_b : r.actor_a
      // "Not same" wins over "same" whenever anyone said it.
      if (verdicts.get(other) !== 'not_same') verdicts.set(other, r.verdict)
    }
    return verdicts
  }

  async function matchOne(b: Built, query: { name: string; at?: string | undefined; limit?: number | undefined }, context: Map<string, 'same' | 'not_same'> | null,
    self: string | null, concerned: Set<string> | null = null): Promise<MatchResult[]> {
    const limit = query.limit ?? 10
    const raw = matchName(b.index, { name: query.name, at: query.at, limit: Math.min(100, limit * 2) }, {
      blocked: (id) => id === self || context?.get(survivor(b, id)) === 'not_same',
      confirmed: (id) => context?.get(survivor(b, id)) === 'same',
    })
    // Merged actors answer as their survivor; keep each survivor's best candidate.
    const out = new Map<string, MatchResult>()
    for (const c of raw) {
      const actorId = survivor(b, c.actorId)
      if (actorId === self || out.has(actorId)) continue
      out.set(actorId, { ...c, actorId, displayName: b.displayName.get(actorId) ?? {}, concerned: concerned === null ? null : concerned.has(actorId) })
    }
    const ranked = [...out.values()]
    // Within a band, the actors the agreement concerns first; otherwise the matcher's order.
    if (concerned !== null) ranked.sort((x, y) => BAND_ORDER[x.band] - BAND_ORDER[y.band] || Number(y.concerned) - Number(x.concerned))
    return ranked.slice(0, limit)
  }

  /** The actors an agreement the viewer may see concerns, from the claims the viewer may see. */
  async function concernedBy(viewer: Principal, agreement: string): Promise<Set<string>> {
    const a = await agreementsRepository(db).find(viewer, agreement)
    if (!a) throw badRequest('unknown_agreement', 'No such agreement.', [{ path: 'body.agreement', message: 'no agreement you may see has this id or slug' }])
    const repo = actorsRepository(db)
    const [authorities, claims, merges] = await Promise.all([
      repo.agreementExclusionAuthorities(a.id), repo.claimsOfFacts(viewer, ['membership', 'succession', 'designation', 'accession']), repo.merges(),
    ])
    return concernedActors(claims.map((c) => toClaim(c, merges)), a.id, authorities)
  }

  return {
    /** Candidates for one name, best first. */
    async match(viewer: Principal, query: { name: string; at?: string | undefined; limit?: number | undefined; actorId?: string | undefined; agreement?: string | undefined }) {
      const concerned = query.agreement === undefined ? null : await concernedBy(viewer, query.agreement)
      const b = await indexFor(viewer)
      let context: Map<string, 'same' | 'not_same'> | null = null
      if (query.actorId !== undefined) {
        const visible = await db.selectFrom('actors as a').select('a.id').where(visibleTo(viewer, 'a')).where('a.id', '=', query.actorId).executeTakeFirst()
        if (!visible) throw notFound('actor')
        context = await judgementsOf(query.actorId)
      }
      return { candidates: await matchOne(b, query, context, query.actorId ?? null, concerned) }
    },

    /** A list of names (a party's list of hundreds), each with its candidates. */
    async matchMany(viewer: Principal, names: readonly { name: string; at?: string | undefined }[], limit: number, agreement?: string) {
      const concerned = agreement === undefined ? null : await concernedBy(viewer, agreement)
      const b = await indexFor(viewer)
      const results = []
      for (const n of names) results.push({ name: n.name, at: n.at ?? null, candidates: await matchOne(b, { ...n, limit }, null, null, concerned) })
      return { results }
    },

    /** For tests and benchmarks: how many names the viewer's index holds. */
    async indexSize(viewer: Principal): Promise<number> {
      const b = await indexFor(viewer)
      return b.index.size
    },
  }
}

export type ActorMatcher = ReturnType<typeof actorMatcher>
