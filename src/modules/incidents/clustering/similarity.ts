// How likely two reports describe one event, and why. Each signal is a piece of evidence added to
// the log-odds that they do (a naive-Bayes-like sum, so a signal a report is silent on simply adds
// nothing, and strong agreement on one signal can outweigh weak disagreement on another):
// - time: the overlap of the two precision windows: on half the narrower one or more (for two
//   day-precise reports: the same day) it counts for, the more the narrower the windows are (two
//   exact days are evidence, two months hardly any); less, or a gap, counts against;
// - distance: the great-circle distance against the sum of the two precision radii: within, for
//   (again weighed by how sharp the radii are), beyond, against in units of the sum;
// - category: same, compatible (shelling / explosion, airstrike / drone strike), act and outcome,
//   or unrelated;
// - actors: the same resolved actors, else the names' likeness, either way round (a party's
//   allegation names the other side as the perpetrator);
// - text: how rare the rarest word the descriptions share is (a village's name, a group's, in any
//   language and script), none shared counting against;
// - numbers: the figures the descriptions state (a death toll, a count of shells): a shared rare
//   figure is evidence; figures that all differ are evidence against, little when some are close
//   (sources' tolls differ: a range, an early count, a party's higher one), much when all are far;
// - source: one source's two reports are two events unless they say the same thing.
import { ActorNames, type PreparedMention } from './actors.ts'
import { categoryCompatibilityAt, categoryIndex, COMPATIBLE, OUTCOME } from './categories.ts'
import type { ClusteringWeights, ClusterReport, Signal, SignalScore, Similarity } from './clustering.types.ts'
import { DATE_PRECISION_DAYS, WHERE_PRECISION_M } from '../incidents.types.ts'
import { greatCircleM } from './place.ts'
import { keyOverlap, rarestShared, textTerms, Vocabulary } from './text.ts'
import { deathTolls } from './tolls.ts'

export const DAY_MS = 86_400_000

/**
 * The weights tuned on the UCDP GED 2016 events with simulated reports (bench/clustering.bench.ts
 * --tune, coordinate ascent on pairwise F1); the held-out 2017–2019 events measure them. Time and
 * place beyond the windows and radii are near-vetoes, as sources in the simulation never get them
 * wrong; the same source is a strong penalty but not a veto (the tuning would make it one, since
 * simulated sources never report an event twice; real ones send updates).
 */
export const DEFAULT_WEIGHTS: Readonly<ClusteringWeights> = Object.freeze({
  bias: -4.46,
  time: 2.5,
  timeAgainst: 6.188,
  distance: 2.832,
  distanceAgainst: 57.2,
  category: 0.66,
  categoryAgainst: 2.48,
  actors: 0.08,
  actorsAgainst: 6.238,
  text: 4.39,
  textAgainst: 0.34,
  textPivot: 2.2,
  numbers: 3.5,
  numbersAgainst: 7.18,
  sameSource: 6,
  veto: 12,
})

/** Windows overlapping on less than this share of the narrower one are two times (two days, for day-precise reports). */
const TIME_PIVOT = 0.5
/** Two windows this narrow (sum of half-widths) make an overlap full evidence; … */
const TIME_SHARP_MS = 1 * DAY_MS
/** … this wide, none (a month either way: most places see several events a month). */
const TIME_VAGUE_MS = 30 * DAY_MS
/** Two radii summing to this little make closeness full evidence; … */
const PLACE_SHARP_M = 2_000
/** … this much, none. */
const PLACE_VAGUE_M = 300_000
/** One source's two reports sharing this much of their words and figures are one report sent again. */
const SAME_TEXT = 0.9
/** A shared figure weighing this little (said by one description in three) is no evidence; … */
const NUMBER_PIVOT = Math.log(1 + 3)
/** … one this rare (one in ninety), full evidence. */
const NUMBER_RARE = Math.log(1 + 90)
/**
 * Two death tolls that differ are this much against (in units) however close they are: sources
 * mostly give one event's best count, so 3 dead and 4 dead are two events; except a party's higher
 * count, which is only a tenth against (parties count their losses high).
 */
const TOLLS_APART = 0.7
/** A shared word this rare (said by one description in ~400) is full evidence. */
const WORD_RARE = 6

const NO_IDS = new Int32Array(0)
const NO_VALUES = new Float64Array(0)

/** A report with everything the comparisons need worked out once. */
export type PreparedReport = {
  report: ClusterReport
  t: number
  /** Half-width of the time window, ms. */
  w: number
  lon: number
  lat: number
  /** Radius, metres. */
  r: number
  category: number
  perpetrator: PreparedMention | null
  target: PreparedMention | null
  /** The description's word keys and number keys (vocabulary ids, sorted). */
  words: Int32Array
  numbers: Int32Array
  /** The figures' values. */
  values: Float64Array
  /** The figures that are death tolls ("4 killed", "مقتل ٤"): their keys and values, a part of `numbers` and `values`. */
  tolls: Int32Array
  tollValues: Float64Array
  source: number
}

/**
 * The state comparisons share: the vocabulary of descriptions with its weights, the actor names,
 * the sources. A clusterer has one; `similarity` makes one for two reports.
 */
export class SimilarityContext {
  readonly vocabulary = new Vocabulary()
  readonly actors = new ActorNames()
  private readonly sources = new Map<string, number>()

  /** Works a report out for comparisons. `count` adds its description to the weights' statistics. */
  prepare(report: ClusterReport, count = true): PreparedReport {
    const text = this.vocabulary.intern(textTerms(report.description))
    if (count) this.vocabulary.addDocument(text)
    const words = text.filter((id) => !this.vocabulary.isNumber(id))
    const numbers = text.filter((id) => this.vocabulary.isNumber(id))
    const values = Float64Array.from(numbers, (id) => Number(this.vocabulary.keyOf(id).slice(1)))
    const stated = numbers.length > 0 ? deathTolls(report.description) : []
    const tolls = stated.length > 0 ? numbers.filter((_, i) => stated.includes(values[i]!)) : NO_IDS
    let source = this.sources.get(report.sourceKey)
    if (source === undefined) {
      source = this.sources.size
      this.sources.set(report.sourceKey, source)
    }
    return {
      report,
      t: report.occurredAt,
      w: DATE_PRECISION_DAYS[report.datePrecision] * DAY_MS,
      lon: report.lon,
      lat: report.lat,
      r: Math.max(WHERE_PRECISION_M[report.wherePrecision], report.radiusM ?? 0),
      category: categoryIndex(report.category),
      perpetrator: this.actors.prepare(report.perpetrator),
      target: this.actors.prepare(report.target),
      words,
      numbers,
      values,
      tolls,
      tollValues: stated.length > 0 ? Float64Array.from(tolls, (id) => Number(this.vocabulary.keyOf(id).slice(1))) : NO_VALUES,
      source,
    }
  }
}

/** How precise a span is as evidence: 1 at `sharp` or below, 0 at `vague` or above, log-linear between. */
export function sharpness(span: number, sharp: number, vague: number): number {
  if (span <= sharp) return 1
  if (span >= vague) return 0
  return Math.log(vague / span) / Math.log(vague / sharp)
}

/** Time: the windows' gap (ms, 0 when they overlap) and the share of the narrower window they have in common. */
function timeOverlap(a: PreparedReport, b: PreparedReport): { value: number; gap: number } {
  const overlap = Math.min(a.t + a.w, b.t + b.w) - Math.max(a.t - a.w, b.t - b.w)
  return overlap > 0 ? { value: Math.min(1, overlap / (2 * Math.min(a.w, b.w))), gap: 0 } : { value: 0, gap: -overlap }
}

/**
 * Time: for when the windows overlap on at least half of the narrower one (for two day-precise
 * reports: they name the same day), weighed by how sharp they are; against when they overlap less
 * (another day), more against the wider the gap between them, in units of their width.
 */
function timeContribution(a: PreparedReport, b: PreparedReport, wt: ClusteringWeights): number {
  const tol = a.w + b.w
  const overlap = Math.min(a.t + a.w, b.t + b.w) - Math.max(a.t - a.w, b.t - b.w)
  if (overlap <= 0) return -Math.min(wt.veto, wt.timeAgainst * (1 - overlap / tol))
  const value = Math.min(1, overlap / (2 * Math.min(a.w, b.w)))
  if (value < TIME_PIVOT) return -wt.timeAgainst * (1 - value)
  return wt.time * sharpness(tol, TIME_SHARP_MS, TIME_VAGUE_MS) * (0.75 + 0.25 * value)
}

/**
 * Place: for points within the two radii (hardly more for closer: events are coded to their town,
 * so neighbours share coordinates), weighed by how sharp the radii are; against beyond, in units of
 * their sum.
 */
function distanceContribution(d: number, sum: number, wt: ClusteringWeights): number {
  if (d <= sum) return wt.distance * sharpness(sum, PLACE_SHARP_M, PLACE_VAGUE_M) * (0.75 + 0.25 * (1 - d / sum))
  return -Math.min(wt.veto, (wt.distanceAgainst * (d - sum)) / sum)
}

function categoryContribution(c: number, wt: ClusteringWeights): number {
  if (c >= 1) return wt.category
  if (c >= COMPATIBLE) return wt.category * 0.25
  if (c >= OUTCOME) return -wt.categoryAgainst * 0.3
  return -wt.categoryAgainst
}

const known = (u: number) => (u === u ? u : 0) // NaN: the side was not compared
const counted = (u: number) => (u === u ? 1 : 0)

/**
 * Whether the swapped reading (perpetrator against target) is the better: it agrees more. A reading
 * that compares nothing (one report names only the perpetrator, the other only the target) is a
 * reading the names allow, neither for nor against: a side unlike the other report's same side may
 * be its other side, which that report does not name.
 */
function readSwapped(p: number, t: number, ps: number, ts: number): boolean {
  const straight = known(p) + known(t), swapped = known(ps) + known(ts)
  return swapped > straight || (swapped === straight && counted(p) + counted(t) === 0 && counted(ps) + counted(ts) > 0)
}

/** Actors: the better reading of the two sides, straight or swapped, in units (each side -1 to 1), and how many sides it compared. */
function actorsReading(names: ActorNames, a: PreparedReport, b: PreparedReport): { units: number; sides: number; swapped: boolean } {
  const p = names.units(a.perpetrator, b.perpetrator), t = names.units(a.target, b.target)
  const ps = names.units(a.perpetrator, b.target), ts = names.units(a.target, b.perpetrator)
  return readSwapped(p, t, ps, ts)
    ? { units: known(ps) + known(ts), sides: counted(ps) + counted(ts), swapped: true }
    : { units: known(p) + known(t), sides: counted(p) + counted(t), swapped: false }
}

/** Actors' part: each side counts for half the weight. */
function actorsContribution(units: number, wt: ClusteringWeights): number {
  return units >= 0 ? (wt.actors * units) / 2 : (wt.actorsAgainst * units) / 2
}

/** actorsReading's units without the allocation, for the inner loop. */
function actorsUnits(names: ActorNames, a: PreparedReport, b: PreparedReport): number {
  const p = names.units(a.perpetrator, b.perpetrator), t = names.units(a.target, b.target)
  const ps = names.units(a.perpetrator, b.target), ts = names.units(a.target, b.perpetrator)
  return readSwapped(p, t, ps, ts) ? known(ps) + known(ts) : known(p) + known(t)
}

/**
 * Numbers in units of evidence, from the death tolls when both state one, else from all their
 * figures: when the descriptions share a figure, as much as the rarest shared figure is rare (from
 * 0 for one as common as NUMBER_PIVOT, "1" or "2", to 1 for NUMBER_RARE); when both state figures
 * and share none, against by how far apart the closest two are (figures: from -0.1 when within a
 * few percent to -1 when one is under a fifth of the other or less; tolls: from TOLLS_APART, and
 * -0.1 when the higher is a party's); NaN when either states none. Tolls first, because the
 * injured counts sources add would otherwise match another event's toll.
 */
function numberUnits(vocabulary: Vocabulary, a: PreparedReport, b: PreparedReport, shared?: number[]): number {
  if (!a.numbers.length || !b.numbers.length) return NaN
  const tolls = a.tolls.length > 0 && b.tolls.length > 0
  const rarest = rarestShared(vocabulary, tolls ? a.tolls : a.numbers, tolls ? b.tolls : b.numbers, shared)
  if (rarest > 0) return Math.max(0, Math.min(1, (rarest - NUMBER_PIVOT) / (NUMBER_RARE - NUMBER_PIVOT)))
  let closest = 1, partyHigher = false
  const xs = tolls ? a.tollValues : a.values, ys = tolls ? b.tollValues : b.values
  const aParty = a.report.sourceKind === 'party_allegation', bParty = b.report.sourceKind === 'party_allegation'
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!
    for (let j = 0; j < ys.length; j++) {
      const y = ys[j]!
      const top = x > y ? x : y
      const d = (x > y ? x - y : y - x) / (top > 1 ? top : 1)
      if (d < closest) {
        closest = d
        partyHigher = (aParty && x > y) || (bParty && y > x)
      }
    }
  }
  if (!tolls) return -Math.min(1, Math.max(0.1, (closest - 0.3) / 0.5))
  if (partyHigher) return -0.1
  return -Math.min(1, Math.max(TOLLS_APART, closest / 0.5))
}

function numbersContribution(u: number, wt: ClusteringWeights): number {
  if (u !== u) return 0
  return u >= 0 ? wt.numbers * u : wt.numbersAgainst * u
}

/** Text in units of evidence from the rarest shared word's weight: -1 (none shared) to 1 (WORD_RARE or rarer). */
function textUnits(rarest: number, wt: ClusteringWeights): number {
  return rarest >= wt.textPivot ? Math.min(1, (rarest - wt.textPivot) / (WORD_RARE - wt.textPivot)) : (rarest - wt.textPivot) / wt.textPivot
}

function textContribution(u: number, wt: ClusteringWeights): number {
  return u >= 0 ? wt.text * u : wt.textAgainst * u
}

/** One source's two reports with the same words and figures: the same report sent again. */
const saysTheSame = (a: PreparedReport, b: PreparedReport) => keyOverlap(a.words, b.words) >= SAME_TEXT && keyOverlap(a.numbers, b.numbers) >= SAME_TEXT

/** The log-odds from time and place alone, with the bias: the cheap part, computed first. */
export function timePlaceLogOdds(a: PreparedReport, b: PreparedReport, wt: ClusteringWeights): number {
  return wt.bias + timeContribution(a, b, wt) + distanceContribution(greatCircleM(a.lon, a.lat, b.lon, b.lat), a.r + b.r, wt)
}

/** Category and figures: cheap, and they tell apart many neighbours. */
function categoryNumbersLogOdds(ctx: SimilarityContext, a: PreparedReport, b: PreparedReport, wt: ClusteringWeights): number {
  return categoryContribution(categoryCompatibilityAt(a.category, b.category), wt) + numbersContribution(numberUnits(ctx.vocabulary, a, b), wt)
}

/** Words, and the same source saying something else. */
function wordsSourceLogOdds(ctx: SimilarityContext, a: PreparedReport, b: PreparedReport, wt: ClusteringWeights): number {
  let z = textContribution(textUnits(rarestShared(ctx.vocabulary, a.words, b.words), wt), wt)
  if (a.source === b.source && !saysTheSame(a, b)) z -= wt.sameSource
  return z
}

function actorsLogOdds(ctx: SimilarityContext, a: PreparedReport, b: PreparedReport, wt: ClusteringWeights): number {
  return actorsContribution(actorsUnits(ctx.actors, a, b), wt)
}

/**
 * The log-odds in stages, cheapest first, each with the most the stages after it can still add,
 * so a clusterer can stop comparing an incident as soon as it cannot reach its threshold.
 * The first stage is `timePlaceLogOdds` (with the bias).
 */
export const LATER_STAGES: readonly ((ctx: SimilarityContext, a: PreparedReport, b: PreparedReport, wt: ClusteringWeights) => number)[] = [
  categoryNumbersLogOdds, wordsSourceLogOdds, actorsLogOdds,
]

/** The most the stages from `stage` on (0: the first of LATER_STAGES) can add. */
export function maxFromStage(wt: ClusteringWeights, stage: number): number {
  const parts = [Math.max(0, wt.category) + Math.max(0, wt.numbers), Math.max(0, wt.text), Math.max(0, wt.actors)]
  return parts.slice(stage).reduce((s, x) => s + x, 0)
}

/** The most category, actors, text and numbers can add. */
export const maxOtherLogOdds = (wt: ClusteringWeights): number => maxFromStage(wt, 0)

/** The log-odds from category, actors, text, numbers and source, to add to `timePlaceLogOdds`. */
export function otherLogOdds(ctx: SimilarityContext, a: PreparedReport, b: PreparedReport, wt: ClusteringWeights): number {
  return categoryNumbersLogOdds(ctx, a, b, wt) + wordsSourceLogOdds(ctx, a, b, wt) + actorsLogOdds(ctx, a, b, wt)
}

/** The log-odds that two prepared reports describe one event (no explanation). */
export function logOdds(ctx: SimilarityContext, a: PreparedReport, b: PreparedReport, wt: ClusteringWeights): number {
  return timePlaceLogOdds(a, b, wt) + otherLogOdds(ctx, a, b, wt)
}

/**
 * The most time and place can give a pair (with the bias) when its time windows sum to at least
 * `tol` and its radii to at least `sum`: the clusterer skips index levels whose reports cannot
 * reach its threshold.
 */
export function maxTimePlaceLogOdds(wt: ClusteringWeights, tol: number, sum: number): number {
  return wt.bias + wt.time * sharpness(tol, TIME_SHARP_MS, TIME_VAGUE_MS) + wt.distance * sharpness(sum, PLACE_SHARP_M, PLACE_VAGUE_M)
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits
const km = (m: number) => (m >= 10_000 ? `${Math.round(m / 1000)} km` : `${round(m / 1000, 1)} km`)
const days = (ms: number) => (ms >= DAY_MS ? `${round(ms / DAY_MS, 1)} d` : `${round(ms / 3_600_000, 1)} h`)

/** Every signal of a pair, in words: the clusterer's explanation of an assignment. */
export function explainPrepared(ctx: SimilarityContext, a: PreparedReport, b: PreparedReport, wt: ClusteringWeights): Similarity {
  const signals: SignalScore[] = []
  const add = (signal: Signal, value: number | null, contribution: number, detail: string) =>
    signals.push({ signal, value: value === null ? null : round(value), contribution: round(contribution), detail })

  const time = timeOverlap(a, b)
  add('time', time.value, timeContribution(a, b, wt), time.gap > 0
    ? `windows ±${days(a.w)} and ±${days(b.w)} are ${days(time.gap)} apart`
    : `windows ±${days(a.w)} and ±${days(b.w)} overlap on ${Math.round(time.value * 100)}% of the narrower one`)

  const d = greatCircleM(a.lon, a.lat, b.lon, b.lat), sum = a.r + b.r
  add('distance', Math.max(0, 1 - d / sum), distanceContribution(d, sum, wt), `${km(d)} apart, within ${km(sum)} (${km(a.r)} + ${km(b.r)}) the precisions allow${d > sum ? ': too far' : ''}`)

  const c = categoryCompatibilityAt(a.category, b.category)
  add('category', c, categoryContribution(c, wt), `${a.report.category} / ${b.report.category}: ${c >= 1 ? 'same' : c >= COMPATIBLE ? 'compatible' : c >= OUTCOME ? 'an act and an outcome' : 'unrelated'}`)

  const actors = actorsReading(ctx.actors, a, b)
  const sideName = (m: PreparedMention | null) => (m ? [...m.names].map((i) => ctx.actors.nameOf(i)).join(', ') || 'a resolved actor' : '—')
  add('actors', actors.sides ? (1 + actors.units / actors.sides) / 2 : null, actorsContribution(actors.units, wt), actors.sides === 0
    ? 'not both named'
    : `${sideName(a.perpetrator)} → ${sideName(a.target)} / ${sideName(b.perpetrator)} → ${sideName(b.target)}${actors.swapped ? ' (read the other way round)' : ''}, ${actors.sides === 2 ? 'both sides' : 'one side'} compared`)

  const shared: number[] = []
  const rarest = rarestShared(ctx.vocabulary, a.words, b.words, shared)
  const v = ctx.vocabulary
  // A short word's two keys (skeleton and fine) name it once, at its rarer key's weight.
  const named = new Set<string>()
  const sharedWords = shared.sort((x, y) => v.weight(y) - v.weight(x) || x - y)
    .filter((id) => !named.has(v.wordOf(id)) && named.add(v.wordOf(id))).slice(0, 10).map((id) => `${v.wordOf(id)} (${round(v.weight(id), 1)})`)
  add('text', Math.min(1, rarest / WORD_RARE), textContribution(textUnits(rarest, wt), wt), shared.length
    ? `share ${sharedWords.join(', ')}${shared.length > 10 ? ', …' : ''}, rarest first (weight: ln(1 + reports / reports saying it))`
    : 'no word in common')

  const sharedNumbers: number[] = []
  const u = numberUnits(ctx.vocabulary, a, b, sharedNumbers)
  const figures = (p: PreparedReport) => [...p.numbers].map((id) => ctx.vocabulary.wordOf(id)).join(', ')
  add('numbers', u === u ? (1 + u) / 2 : null, numbersContribution(u, wt), u !== u
    ? 'not both state figures'
    : sharedNumbers.length ? `share ${sharedNumbers.map((id) => ctx.vocabulary.wordOf(id)).join(', ')}` : `${figures(a)} / ${figures(b)}: no figure in common${u > -1 ? ', some close' : ''}`)

  const sameSource = a.source === b.source
  const same = saysTheSame(a, b)
  add('source', null, sameSource && !same ? -wt.sameSource : 0, sameSource
    ? (same ? `both from ${a.report.sourceKey}, saying the same: sent again` : `both from ${a.report.sourceKey}, saying different things: likely two events`)
    : `${a.report.sourceKey} / ${b.report.sourceKey}`)

  const z = wt.bias + signals.reduce((s, x) => s + x.contribution, 0)
  return { score: round(sigmoid(z), 4), logOdds: round(z), signals }
}

/**
 * How likely two reports describe one event (0–1), with each signal's part. Text is weighed as
 * if the two were the only reports (every word counts the same); a clusterer weighs words by how
 * rare they are among all the reports it has seen.
 *
 * @example
 * similarity(a, b).score // 0.97
 * similarity(a, b).signals.find((s) => s.signal === 'time') // { value: 1, contribution: 2.5, detail: 'windows ±12 h and ±12 h overlap on 100% …' }
 */
export function similarity(a: ClusterReport, b: ClusterReport, weights: ClusteringWeights = DEFAULT_WEIGHTS): Similarity {
  const ctx = new SimilarityContext()
  return explainPrepared(ctx, ctx.prepare(a, false), ctx.prepare(b, false), weights)
}

/** The log-odds a score stands for (the clusterer compares with the threshold in log-odds). */
export const logit = (p: number): number => Math.log(p / (1 - p))
export const probability = sigmoid
