// Matching names against the registry (matching/ is the pure matcher). A viewer matches only
// against the names it may see: one index per party (and one for a viewer without a party),
// built from that party's visible, live name claims and designation references, and rebuilt
// when the registry changed (the latest actor.* submission moved). A name of a merged actor
// answers as the actor it was merged into. With `actorId` as context (looking for that actor's
// duplicates), "not same" judgements block a candidate and "same" ones confirm it. With an
// agreement as context, each candidate says whether the agreement's delineation concerns it
// (acceded to it, designated by an authority its exclusions name, or linked to one of those),
// and within a band those come first. With a country as context, each candidate gets a `country`
// feature (the actor operates there, elsewhere, or nobody said) from the live country claims the
// viewer may see, and within a band (after the agreement's) those operating there come first. A
// context only orders a band: it never changes a score, so it never lifts a candidate into a
// higher band.
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { badRequest, notFound } from '../../lib/errors.ts'
import { visibleTo } from '../../lib/visibility.ts'
import type { Principal } from '../access/access.policy.ts'
import { agreementsRepository } from '../agreements/agreements.repository.ts'
import { actorsRepository, toClaim } from './actors.repository.ts'
import type { NameKind, Script } from './actors.types.ts'
import { countryName } from './countries.ts'
import { buildMatchIndex, matchName, type Band, type Candidate, type MatchFeature, type MatchIndex, type RegistryName } from './matching/matcher.ts'
import { concernedActors } from './viewpoints.ts'

const BAND_ORDER: Record<Band, number> = { automatic: 0, review: 1, possible: 2 }

/** A live country claim, as matching reads it: [validFrom, validTo], both days included, null open. */
type CountrySpan = { country: string; validFrom: string | null; validTo: string | null }

type Built = {
  version: string; index: MatchIndex; mergedInto: Map<string, string>; displayName: Map<string, Record<string, string>>
  /** The countries each actor operates in, by the claims the viewer may see (a merged actor's count for its survivor). */
  countries: Map<string, CountrySpan[]>
}

/** The day after a date: claims' intervals include their last day, the matcher's end before it. */
const dayAfter = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)

/** Where the actor operates, against the country given as context: the `country` feature. */
export type CountryStatus = 'match' | 'other_country' | 'unknown'
export type CountryFeature = { feature: 'country'; status: CountryStatus; country: string; countries: string[]; detail: string }

/**
 * `concerned`: whether the context agreement's delineation concerns the actor (null without one).
 * With a country as context, `features` ends with a CountryFeature.
 */
export type MatchResult = Omit<Candidate, 'features'> & {
  displayName: Record<string, string>; concerned: boolean | null; features: (MatchFeature | CountryFeature)[]
}

/** The context a name is matched in: looking for one actor's duplicates, an agreement's actors, a country. */
type Context = { judgements: Map<string, 'same' | 'not_same'> | null; self: string | null; concerned: Set<string> | null; country: string | null }

/** The countries an actor operates in on `at` (at any time without a date), and what that says of `country`. */
function countryFeature(spans: readonly CountrySpan[], country: string, at: string | undefined): CountryFeature {
  const countries = [...new Set(spans.filter((s) => at === undefined || ((s.validFrom === null || s.validFrom <= at) && (s.validTo === null || at <= s.validTo)))
    .map((s) => s.country))].sort()
  const when = at === undefined ? '' : ` on ${at}`
  if (countries.length === 0) return { feature: 'country', status: 'unknown', country, countries, detail: `no country of operation recorded${when}` }
  if (countries.includes(country)) return { feature: 'country', status: 'match', country, countries, detail: `operates in ${country} (${countryName(country)})${when}` }
  return { feature: 'country', status: 'other_country', country, countries, detail: `operates in ${countries.join(', ')}${when}, not in ${country} (${countryName(country)})` }
}

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
    const countryClaims = await db.selectFrom('actor_claims as c')
      .innerJoin('actors as a', 'a.id', 'c.actor_id')
      .leftJoin('actor_claim_retractions as r', 'r.claim_id', 'c.id')
      .select(['c.actor_id', 'c.value', 'c.valid_from', 'c.valid_to'])
      .where('c.fact', '=', 'country').where('r.claim_id', 'is', null)
      .where(visibleTo(viewer, 'c')).where(visibleTo(viewer, 'a')).execute()
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
    const mergedInto = new Map(actors.filter((a) => a.merged_into !== null).map((a) => [a.id, a.merged_into!]))
    const countries = new Map<string, CountrySpan[]>()
    for (const c of countryClaims) {
      const id = survivorIn(mergedInto, c.actor_id)
      countries.set(id, [...(countries.get(id) ?? []), { country: c.value!, validFrom: c.valid_from, validTo: c.valid_to }])
    }
    return { version, index: buildMatchIndex(entries), mergedInto, displayName: new Map(actors.map((a) => [a.id, a.display_name])), countries }
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

  /** The survivor a merged actor now answers as. */
  const survivor = (b: Built, id: string) => survivorIn(b.mergedInto, id)

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

  function matchOne(b: Built, query: { name: string; at?: string | undefined; limit?: number | undefined }, context: Context): MatchResult[] {
    const limit = query.limit ?? 10
    const { judgements, self, concerned, country } = context
    const raw = matchName(b.index, { name: query.name, at: query.at, limit: Math.min(100, limit * 2) }, {
      blocked: (id) => id === self || judgements?.get(survivor(b, id)) === 'not_same',
      confirmed: (id) => judgements?.get(survivor(b, id)) === 'same',
    })
    // Merged actors answer as their survivor; keep each survivor's best candidate.
    const out = new Map<string, MatchResult>()
    for (const c of raw) {
      const actorId = survivor(b, c.actorId)
      if (actorId === self || out.has(actorId)) continue
      const features: MatchResult['features'] = [...c.features]
      if (country !== null) features.push(countryFeature(b.countries.get(actorId) ?? [], country, query.at))
      out.set(actorId, { ...c, actorId, displayName: b.displayName.get(actorId) ?? {}, concerned: concerned === null ? null : concerned.has(actorId), features })
    }
    const ranked = [...out.values()]
    // Within a band: the actors the agreement concerns, then those operating in the country,
    // then the matcher's order (the sort is stable). The band itself always comes first.
    const inCountry = (r: MatchResult) => r.features.some((f) => f.feature === 'country' && 'status' in f && f.status === 'match')
    if (concerned !== null || country !== null) {
      ranked.sort((x, y) => BAND_ORDER[x.band] - BAND_ORDER[y.band] || Number(y.concerned === true) - Number(x.concerned === true) || Number(inCountry(y)) - Number(inCountry(x)))
    }
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
    async match(viewer: Principal, query: {
      name: string; at?: string | undefined; limit?: number | undefined; actorId?: string | undefined; agreement?: string | undefined; country?: string | undefined
    }) {
      const concerned = query.agreement === undefined ? null : await concernedBy(viewer, query.agreement)
      const b = await indexFor(viewer)
      let judgements: Map<string, 'same' | 'not_same'> | null = null
      if (query.actorId !== undefined) {
        const visible = await db.selectFrom('actors as a').select('a.id').where(visibleTo(viewer, 'a')).where('a.id', '=', query.actorId).executeTakeFirst()
        if (!visible) throw notFound('actor')
        judgements = await judgementsOf(query.actorId)
      }
      return { candidates: matchOne(b, query, { judgements, self: query.actorId ?? null, concerned, country: query.country ?? null }) }
    },

    /**
     * A list of names (a party's list of hundreds), each with its candidates; `options.country`
     * is every name's country unless the name gives its own.
     */
    async matchMany(viewer: Principal, names: readonly { name: string; at?: string | undefined; country?: string | undefined }[], limit: number,
      options: { agreement?: string | undefined; country?: string | undefined } = {}) {
      const concerned = options.agreement === undefined ? null : await concernedBy(viewer, options.agreement)
      const b = await indexFor(viewer)
      const results = []
      for (const n of names) {
        const country = n.country ?? options.country ?? null
        results.push({ name: n.name, at: n.at ?? null, country, candidates: matchOne(b, { name: n.name, at: n.at, limit }, { judgements: null, self: null, concerned, country }) })
      }
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

/** The survivor a merged actor now answers as (merges chain; a cycle cannot be stored). */
function survivorIn(mergedInto: ReadonlyMap<string, string>, id: string): string {
  let at = id
  for (let i = 0; i < 64 && mergedInto.has(at); i++) at = mergedInto.get(at)!
  return at
}
