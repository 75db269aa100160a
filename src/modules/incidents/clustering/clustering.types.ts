// The contract of incident clustering: the report as the clusterer sees it (time and place with
// their precision, category, actors, description, source), the explanation of a similarity, the
// knobs of the scoring, and what the clusterer answers. Shared by the similarity, the clusterer,
// the synthetic reports of the benchmark and the incident service that feeds them. Pure.
import type { Category, DatePrecision, SourceKind, WherePrecision } from '../incidents.types.ts'

/**
 * A side named by a report: the name as the source wrote it (a coalition may be a list, "Ahrar
 * al-Sham, HTS") and the registry actors it resolved to, when the resolver knew them. Resolved ids
 * may include the groups an actor belongs to (its coalition, its umbrella) as the registry's
 * memberships say.
 */
export type ActorMention = {
  name?: string | undefined
  actorIds?: readonly string[] | undefined
}

/** An analyst's word on a report, given with it: the reports it is the same event as, or is not. */
export type LinkConstraint = {
  mustLink?: readonly string[] | undefined
  cannotLink?: readonly string[] | undefined
}

/**
 * One report as the clusterer sees it. Time is the centre of the window its precision allows
 * (DATE_PRECISION_DAYS each side); place is a point with the radius its precision allows
 * (WHERE_PRECISION_M), or, for an area or an observer's sector, a representative point and the
 * radius that covers it (see `placeOfWhere`).
 */
export type ClusterReport = {
  id: string
  /** Centre of the time window, epoch milliseconds UTC. */
  occurredAt: number
  datePrecision: DatePrecision
  lon: number
  lat: number
  wherePrecision: WherePrecision
  /** The radius of the area or sector around (lon, lat), metres, when it is wider than the precision's. */
  radiusM?: number | undefined
  category: Category
  perpetrator?: ActorMention | undefined
  target?: ActorMention | undefined
  description: string
  sourceKind: SourceKind
  /**
   * Who reported it (a monitoring team, a party, an outlet, a member of the public), stable across
   * their reports: one source rarely reports one event twice, so two of its reports are two events
   * unless they say the same thing.
   */
  sourceKey: string
  constraint?: LinkConstraint | undefined
}

/** The signals a similarity is made of. */
export const SIGNALS = ['time', 'distance', 'category', 'actors', 'text', 'numbers', 'source'] as const
export type Signal = (typeof SIGNALS)[number]

/**
 * One signal's part in a similarity: how alike the two reports are on it (0–1; null when one of
 * them does not say), what that adds to the log-odds that they are one event, and why, in words.
 */
export type SignalScore = { signal: Signal; value: number | null; contribution: number; detail: string }

/** How likely two reports describe one event (0–1), and each signal's part in it. */
export type Similarity = { score: number; logOdds: number; signals: SignalScore[] }

/**
 * The weights of the log-odds model: each signal adds up to its weight when the reports agree on
 * it and takes off up to its `…Against` weight when they disagree; a signal a report is silent on
 * adds nothing. Time and place also weigh by how precise they are: two exact days say more than two
 * months. Tuned on the UCDP GED 2016 events (bench/clustering.bench.ts --tune).
 */
export type ClusteringWeights = {
  /** Log-odds before any evidence. */
  bias: number
  /** Windows overlapping on half the narrower one or more (scaled by how sharp they are). */
  time: number
  /** Overlapping less, up to this; a gap adds this per sum of the half-widths (capped at `veto`). */
  timeAgainst: number
  /** Within the two radii (scaled by how sharp they are). */
  distance: number
  /** Beyond the two radii, per sum of the radii of gap (capped at `veto`). */
  distanceAgainst: number
  /** The same category (a quarter for a compatible one). */
  category: number
  /** Unrelated categories (three tenths for an act and an outcome). */
  categoryAgainst: number
  /** Both sides the same actors (half for one side). */
  actors: number
  /** Both sides resolved to different actors (names unlike, a tenth of it). */
  actorsAgainst: number
  /** A rare word shared (a place's name). */
  text: number
  /** No word shared at all (less for common words only). */
  textAgainst: number
  /** The weight (inverse document frequency) of the rarest shared word at which text is neither for nor against. */
  textPivot: number
  /** A rare figure shared (nothing for a common one like "1"). */
  numbers: number
  /** Figures stated by both, none shared and all far apart (a tenth when close). */
  numbersAgainst: number
  /** Two reports from one source that do not say the same thing. */
  sameSource: number
  /** The most time or place can take off. */
  veto: number
}

export type ClusteringOptions = {
  weights: ClusteringWeights
  /** A report joins the best incident whose score is at least this; else it starts one. */
  threshold: number
  /**
   * How a report's similarities to an incident's reports make its score with the incident:
   * `average` (of the log-odds; one strong disagreement weighs on it) or `single` (the best one).
   */
  linkage: 'average' | 'single'
  /** An incident is compared through at most this many of its reports (the first ones). */
  maxCompared: number
  /**
   * Candidates are looked up this many times the two windows (time) and the two radii (place)
   * apart (default 1: the windows touch, the radii meet); farther than that the time or place
   * signal all but vetoes the pair anyway.
   */
  reach: number
  /** Incident ids, in order of creation (default "incident-1", "incident-2", …). */
  incidentId?: ((n: number) => string) | undefined
}

/** Where a report went. */
export type Assignment = {
  reportId: string
  incidentId: string
  /** The report started the incident. */
  created: boolean
  /** Its score with the incident it joined, or the best score it had below the threshold (0 if none). */
  score: number
  /**
   * Why: `similar` (joined on its score), `new` (nothing scored enough), `must_link` (an analyst's
   * constraint decided), `known` (added before; where it is now).
   */
  reason: 'similar' | 'new' | 'must_link' | 'known'
}

export type Incident = { id: string; reportIds: string[] }

/** An analyst constraint that cannot hold together with the others. */
export class ClusteringConstraintError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.name = 'ClusteringConstraintError'
    this.code = code
  }
}
