// Cross-script armed-actor name matching: the public API. Pure and in memory, no database: the
// registry hands its names to an index, and a name in any script (Latin, Arabic, Cyrillic) with
// an optional date comes back as ranked candidate actors, each with a score, a band and the
// evidence behind it.
//
//   const index = buildMatchIndex(names)            // RegistryName[] from the registry
//   index.add(name); index.remove(nameId)           // keep it in step as the registry changes
//   matchName(index, { name: 'Джебхат ан-Нусра', at: '2016-03-01', limit: 10 },
//             { blocked: (actorId) => notSame.has(actorId) })
//   // → [{ actorId, score: 0.99, band: 'automatic', matchedName: { value: 'Jabhat al-Nusra', … },
//   //      dateStatus: 'valid', cameIntoUseLater: false, features: [{ feature: 'dictionary', … }, …] }]
//   scoreName(index, 'جبهة النصرة', nameId)        // one query against one registry name
//   compareNames('Jaysh al-Islam', 'Jaysh al-Fatah') // two strings, no registry
//
// Score and band: 1.0 only for an exact hit (same name once folded); any other reading is capped
// at 0.99. Bands: automatic ≥ 0.95 (or an exact hit on a name, alias or reference), review
// 0.70–0.95, possible 0.50–0.70; below 0.50 a candidate is not returned. An exact hit on a weak
// alias scores 0.94 (review): weak aliases are the source's own low-confidence names. A reference
// ("QDe.137") is matched exactly or not at all.
//
// Dates: validity is half-open, [validFrom, validTo). With `at`, each candidate's name is valid
// then, came into use later (flagged: `cameIntoUseLater`), or no longer in use; within a band
// valid names rank first, then names no longer in use, then later ones. An actor is represented
// by its best name by the same order. Without `at`, every name counts as valid.
//
// A query is cut at MAX_QUERY_LENGTH (300) characters.
//
// Judgements: `blocked(actorId)` true (an analyst's "not same" for this name) drops the actor;
// `confirmed(actorId)` true (a "same") makes it automatic with score 1 and says so.
//
// Features (MatchFeature: { feature, value 0..1, detail }): exact, reference, weak_alias,
// token_overlap (weighted share of paired words; also "a branch" when one name says where the group
// is and the other does not, and "read as … without what is written around it" for a name with
// "the Islamist group …", "… militia" or "(Syria)" taken off), dictionary (generic terms shared
// across languages, "different kinds of group" when army/brigade/organization … disagree, and
// "another group" when a name of generic words sits inside a longer one), skeleton
// (consonant skeletons of the paired words), transliteration (the keys the other scripts were
// read into), compound (names run together), acronym, date, judgement.
//
// Word weights come from the registry: a word many names share counts for less, so one query can
// score a little differently against a large registry than against a small one; compareNames
// uses the dictionary's weights only.
//
// How the score is made is in score.ts, the keys in translit.ts, the words in dictionary.ts and
// acronyms.ts, what reports write around names in descriptors.ts, candidate gathering in
// match-index.ts. bench/matching.bench.ts measures it.
import type { NameKind, Script } from '../actors.types.ts'
import { analyzeName, type AnalyzedName } from './analyze.ts'
import { MatchIndex, type IndexEntry } from './match-index.ts'
import { compareAnalyzed, staticWeight, type MatchFeature } from './score.ts'

export { MatchIndex } from './match-index.ts'
export type { MatchFeature, FeatureName } from './score.ts'

/** One name of one actor as the registry holds it. */
export type RegistryName = {
  actorId: string
  nameId: string
  value: string
  kind: NameKind
  lang: string | null
  script: Script
  /** YYYY-MM-DD; the name is in use from this date (inclusive). */
  validFrom: string | null
  /** YYYY-MM-DD; the name is in use until this date (exclusive). */
  validTo: string | null
  /** A designation reference such as "QDe.137": matched exactly only. */
  isReference?: boolean
}

export type Band = 'automatic' | 'review' | 'possible'
export type DateStatus = 'valid' | 'came_into_use_later' | 'no_longer_in_use'

export type MatchQuery = {
  name: string
  /** YYYY-MM-DD: the date the name was used at (a report's date). */
  at?: string
  /** How many actors to return (default 10, at most 100). */
  limit?: number
}

export type Judgements = {
  /** An analyst said this actor is not the one the name means. */
  blocked?: (actorId: string) => boolean
  /** An analyst said this actor is the one the name means. */
  confirmed?: (actorId: string) => boolean
}

export type MatchedName = Omit<RegistryName, 'actorId'>

export type Candidate = {
  actorId: string
  score: number
  band: Band
  /** The actor's name that matched best. */
  matchedName: MatchedName
  dateStatus: DateStatus
  /** The matched name only came into use after the query's date. */
  cameIntoUseLater: boolean
  features: MatchFeature[]
}

/** A query against one registry name, whatever the score (for evaluation and explanations). */
export type NameScore = { score: number; band: Band | null; exact: boolean; features: MatchFeature[] }

export const BAND_THRESHOLDS = { automatic: 0.95, review: 0.7, possible: 0.5 } as const
/** An exact hit on a weak alias. */
const WEAK_ALIAS_EXACT = 0.94
/** Any other reading of a weak alias counts for this share. */
const WEAK_ALIAS_FACTOR = 0.95
/** Names scored fully per query, gathered by shared keys. */
const GATHER = 60
const DEFAULT_LIMIT = 10
/** A query longer than this is cut (no actor name is; the cost of a comparison grows with the words). */
export const MAX_QUERY_LENGTH = 300
const MAX_LIMIT = 100

/** The band of a score, or null below 0.50. */
export function bandOf(score: number): Band | null {
  if (score >= BAND_THRESHOLDS.automatic) return 'automatic'
  if (score >= BAND_THRESHOLDS.review) return 'review'
  if (score >= BAND_THRESHOLDS.possible) return 'possible'
  return null
}

const BAND_RANK: Record<Band, number> = { automatic: 0, review: 1, possible: 2 }
const DATE_RANK: Record<DateStatus, number> = { valid: 0, no_longer_in_use: 1, came_into_use_later: 2 }

/** Where a date falls against a name's validity [validFrom, validTo). */
export function dateStatusOf(name: Pick<RegistryName, 'validFrom' | 'validTo'>, at: string | undefined): DateStatus {
  if (!at) return 'valid'
  const day = at.slice(0, 10)
  if (name.validFrom && day < name.validFrom.slice(0, 10)) return 'came_into_use_later'
  if (name.validTo && day >= name.validTo.slice(0, 10)) return 'no_longer_in_use'
  return 'valid'
}

function dateFeature(name: RegistryName, status: DateStatus, at: string | undefined): MatchFeature | null {
  if (!at) return null
  const span = `${name.validFrom ?? '…'} to ${name.validTo ?? '…'}`
  switch (status) {
    case 'valid': return { feature: 'date', value: 1, detail: `in use at ${at} (${span})` }
    case 'came_into_use_later': return { feature: 'date', value: 0, detail: `came into use later: from ${name.validFrom}, after ${at}` }
    case 'no_longer_in_use': return { feature: 'date', value: 0.5, detail: `no longer in use at ${at}: until ${name.validTo}` }
  }
}

/** Builds an index over registry names; add and remove keep it current. */
export function buildMatchIndex(names: Iterable<RegistryName>): MatchIndex {
  const index = new MatchIndex()
  for (const n of names) index.add(n)
  return index
}

function scoreEntry(q: AnalyzedName, e: IndexEntry, weigh: MatchIndex['weigh'], explain = true): NameScore {
  if (e.name.isReference) {
    const hit = q.exact !== '' && q.exact === e.analyzed.exact
    return {
      score: hit ? 1 : 0, band: hit ? 'automatic' : null, exact: hit,
      features: hit && explain ? [{ feature: 'reference', value: 1, detail: `reference ${e.name.value}` }] : [],
    }
  }
  const c = compareAnalyzed(q, e.analyzed, weigh, explain)
  let score = c.score
  const features = [...c.features]
  if (e.name.kind === 'weak_alias') {
    score = c.exact ? WEAK_ALIAS_EXACT : Math.round(score * WEAK_ALIAS_FACTOR * 1000) / 1000
    if (explain) features.push({ feature: 'weak_alias', value: WEAK_ALIAS_FACTOR, detail: 'a weak alias (the source marks it low-confidence)' })
  }
  return { score, band: bandOf(score), exact: c.exact, features }
}

/**
 * A query against one registry name the index holds (null if it holds no such name).
 * @example scoreName(index, 'Джебхат ан-Нусра', 'name-17') // { score: 0.99, band: 'automatic', … }
 */
export function scoreName(index: MatchIndex, query: string, nameId: string): NameScore | null {
  const e = index.entry(nameId)
  return e ? scoreEntry(analyzeName(query), e, index.weigh) : null
}

/**
 * Two names compared on their own, every word at its dictionary weight (no registry frequencies).
 * @example compareNames('Jaysh al-Islam', 'Jaysh al-Fatah').band // null
 */
export function compareNames(a: string, b: string): NameScore {
  const c = compareAnalyzed(analyzeName(a), analyzeName(b), staticWeight)
  return { score: c.score, band: bandOf(c.score), exact: c.exact, features: c.features }
}

function matchedNameOf(n: RegistryName): MatchedName {
  const { actorId: _actorId, ...rest } = n
  return rest
}

/**
 * Ranked candidate actors for a name in any script, best first.
 * @example matchName(index, { name: 'HTS', at: '2016-03-01' }) // HTS's actor, flagged cameIntoUseLater
 */
export function matchName(index: MatchIndex, query: MatchQuery, judgements: Judgements = {}): Candidate[] {
  const limit = Math.min(MAX_LIMIT, Math.max(1, query.limit ?? DEFAULT_LIMIT))
  const q = analyzeName(query.name.slice(0, MAX_QUERY_LENGTH))
  if (!q.exact) return []
  type Ranked = Candidate & { entry: IndexEntry }
  const best = new Map<string, Ranked>()
  const better = (a: Candidate, b: Candidate) =>
    BAND_RANK[a.band] - BAND_RANK[b.band] || DATE_RANK[a.dateStatus] - DATE_RANK[b.dateStatus] || b.score - a.score
  // Rank on scores alone, then explain only what is returned.
  for (const e of index.gather(q, Math.max(GATHER, limit * 3))) {
    const actorId = e.name.actorId
    if (judgements.blocked?.(actorId)) continue
    const confirmed = judgements.confirmed?.(actorId) ?? false
    const s = scoreEntry(q, e, index.weigh, false)
    const score = confirmed ? 1 : s.score
    const band = confirmed ? 'automatic' : s.band
    if (!band) continue
    const dateStatus = dateStatusOf(e.name, query.at)
    const c: Ranked = {
      actorId, score, band, matchedName: matchedNameOf(e.name), dateStatus,
      cameIntoUseLater: dateStatus === 'came_into_use_later', features: [], entry: e,
    }
    const had = best.get(actorId)
    if (!had || better(c, had) < 0) best.set(actorId, c)
  }
  const ranked = [...best.values()].sort((a, b) => better(a, b) || a.actorId.localeCompare(b.actorId)).slice(0, limit)
  return ranked.map(({ entry, ...c }) => {
    const features = scoreEntry(q, entry, index.weigh, true).features
    if (judgements.confirmed?.(c.actorId)) features.unshift({ feature: 'judgement', value: 1, detail: 'an analyst judged this actor the same' })
    const df = dateFeature(entry.name, c.dateStatus, query.at)
    if (df) features.push(df)
    return { ...c, features }
  })
}
