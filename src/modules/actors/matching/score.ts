// How alike two analysed names are, from 0 to 1, with the evidence for it. Several readings are
// scored and the best one counts:
// - exact: the same folded text (1.0, the only way to reach 1);
// - words: each word of one name paired with its best partner in the other (same dictionary
//   meaning, or close skeletons / vocalic keys, or two words run together: "Noureddine" / "Nour
//   al-Din"), weighed by how distinctive each word is, as a soft Dice coefficient blended with how
//   much of the shorter name is covered; lowered when the words left unpaired say the names differ
//   (two kinds of group, a branch "in" a place, a name of generic words inside a longer one);
// - compound: the names run together, for words split differently ("Hizballah" / "Hizb Allah");
// - acronym: an acronym against initials or against its table entry ("HTS" = "Hay'at Tahrir
//   al-Sham"), and a table acronym read as each of the names it stands for;
// - core: either name without what reports write around it ("the Islamist group …", "(Syria)"),
//   never both.
// Anything short of an exact hit is capped at 0.99.
import { expansionsOf } from './acronyms.ts'
import { analyzeName, spelledOut, type AnalyzedJoin, type AnalyzedName, type AnalyzedToken } from './analyze.ts'
import { conceptSimilarity, FORM_CONCEPTS, isNumberConcept, UNIT_CONCEPTS } from './dictionary.ts'

export type FeatureName =
  | 'exact' | 'reference' | 'weak_alias' | 'token_overlap' | 'skeleton' | 'transliteration'
  | 'dictionary' | 'compound' | 'acronym' | 'date' | 'judgement'

/** One piece of evidence: what was compared, how alike (0..1), in words an analyst can check. */
export type MatchFeature = { feature: FeatureName; value: number; detail: string }

export type Comparison = { score: number; exact: boolean; features: MatchFeature[] }
type Reading = { score: number; features: MatchFeature[]; /** The words say the names differ in what they cover (a branch, a wider group). */ structural?: boolean }

/** A word's weight in a comparison (the index lowers words many registry names share). */
export type Weigh = (t: AnalyzedToken) => number
export const staticWeight: Weigh = (t) => t.weight

/** Two names that disagree on the kind of group (army / brigade / organization …) keep this share … */
const FORM_CONFLICT = 0.8
/** … or this, when neither word is a translation: the names themselves say two different things. */
const FORM_CONFLICT_NAMED = 0.75
/**
 * A name with a place after "in" that the other leaves out or names otherwise is a branch: Al-Qaida
 * in Iraq is not Al-Qaida, nor Al-Qaida in the Arabian Peninsula.
 */
const BRANCH = 0.85
/**
 * A name that adds a word with "and" ("Islamic State of Iraq and the Levant" against "Islamic State
 * of Iraq") names a wider group, often the successor.
 */
const WIDER = 0.8
/** Dictionary words of this weight or less ("Bilad", the lands of) say too little to make a branch or a wider group. */
const LITTLE_WEIGHT = 0.25
/** A name read without a bracketed qualifier ("(Gaza)") is at most review: the qualifier says which group it is. */
const QUALIFIED_CAP = 0.94
/**
 * A name made only of generic words with its own unit word (Hezbollah, "Party of God", "Islamic
 * Front") inside a name that adds another unit word or a word that means something (Kata'ib
 * Hizballah, "Syrian Islamic Front") is another group: the brigades of the party, not the party.
 */
const NESTED_UNIT = 0.75
/** Dictionary words up to this weight are generic (unit words, "Islamic", "Syrian", "God"); a group's own words weigh more. */
const GENERIC_WEIGHT = 0.5
/** A word added around such a name that weighs this much or more means something. */
const NESTED_MEANINGFUL = 0.45
/** Two different Arabic words of one meaning (Jund / Ajnad) count for this share of their letters' likeness. */
const SYNONYM_FACTOR = 0.8
/** The least likeness between a word and two words run together to read them as one ("Noureddine" / "Nour al-Din"). */
const MIN_JOIN_SIMILARITY = 0.85
/** A reading of a name without what reports write around it ("the Islamist group …") counts for this share. */
const CORE_FACTOR = 0.98
/**
 * When both words are written with vowels (Latin, Cyrillic), the share of their likeness that
 * comes from the vowels; the rest is the consonant skeleton. Vowels are what spellings vary in
 * most, so they count for less.
 */
const VOCALIC_SHARE = 0.3
/** Two words of one meaning whose skeletons are less alike than this are two different words. */
const SAME_WORD_SKELETON = 0.8
/** Below this a word pair is no evidence at all. */
const MIN_WORD_SIMILARITY = 0.5
/** The best any reading short of an exact hit can score. */
export const NON_EXACT_CAP = 0.99
/** An acronym equal to a name's initials: likely, but three letters are easily shared. */
const INITIALS_SCORE = 0.85
/** Two acronyms of one table entry (ISIL, ISIS, ДАИШ). */
const ACRONYM_TABLE_SCORE = 0.96
/** An acronym's initials-or-table entry equal to a name's initials' entry (ИГИЛ vs "Islamic State of Iraq and the Levant"). */
const INITIALS_TABLE_SCORE = 0.9
/** A table acronym matched through one of the names it stands for. */
const EXPANSION_FACTOR = 0.97

/**
 * Consonants the spellings of one name swap (s/z: "Hisbollah", "Asow"; k/g/q: "Peshmerga" /
 * البيشمركة; f/v: Arabic writes v as ف, "Wagner" / فاغنر; t/d: Turkish "Ahmet"; j/g: Egyptian
 * "Gamaa" / jamaa; S/s: ش / ص / "Shaam" / "Sham"; b/v: Russian writes a Greek b as в, "Ливия" /
 * Libya): a swap of two of them costs half.
 */
const CLOSE_CONSONANTS = ['sz', 'kg', 'fw', 'td', 'jg', 'Ss', 'jy', 'Sj', 'bw'] as const
const closeTable = new Uint8Array(128 * 128)
for (const pair of CLOSE_CONSONANTS) {
  const x = pair.charCodeAt(0)
  const y = pair.charCodeAt(1)
  closeTable[x * 128 + y] = 1
  closeTable[y * 128 + x] = 1
}
const close = (a: number, b: number) => a < 128 && b < 128 && closeTable[a * 128 + b] === 1

const levenshteinRow: number[] = []
/** Edit distance between two short strings. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0
  if (!a.length) return b.length
  if (!b.length) return a.length
  const row = levenshteinRow
  for (let j = 0; j <= b.length; j++) row[j] = j
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1))
      diag = up
    }
  }
  return row[b.length]!
}

const skeletonRow: number[] = []
/** Edit distance between two skeletons where a swap of close consonants (CLOSE_CONSONANTS) costs half. */
export function skeletonDistance(a: string, b: string): number {
  if (a === b) return 0
  if (!a.length) return b.length
  if (!b.length) return a.length
  const row = skeletonRow
  for (let j = 0; j <= b.length; j++) row[j] = j
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!
    row[0] = i
    const ca = a.charCodeAt(i - 1)
    for (let j = 1; j <= b.length; j++) {
      const cb = b.charCodeAt(j - 1)
      const up = row[j]!
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (ca === cb ? 0 : close(ca, cb) ? 0.5 : 1))
      diag = up
    }
  }
  return row[b.length]!
}

const isVowelCode = (c: number) => c === 97 || c === 105 || c === 117 // a i u
const vowelRow: number[] = []
/**
 * Edit distance where vowels count half: a vowel written differently, added or left out costs 0.5
 * (transliterations disagree most on vowels: Hezbollah / Hizballah, Zenki / Zinki), a consonant 1.
 */
export function vowelWeightedDistance(a: string, b: string): number {
  if (a === b) return 0
  const row = vowelRow
  row[0] = 0
  for (let j = 1; j <= b.length; j++) row[j] = row[j - 1]! + (isVowelCode(b.charCodeAt(j - 1)) ? 0.5 : 1)
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1)
    const vowelA = isVowelCode(ca)
    const costA = vowelA ? 0.5 : 1
    let diag: number = row[0]!
    row[0] = diag + costA
    for (let j = 1; j <= b.length; j++) {
      const cb = b.charCodeAt(j - 1)
      const vowelB = isVowelCode(cb)
      const up = row[j]!
      const sub = ca === cb ? 0 : (vowelA && vowelB) || close(ca, cb) ? 0.5 : 1
      row[j] = Math.min(up + costA, row[j - 1]! + (vowelB ? 0.5 : 1), diag + sub)
      diag = up
    }
  }
  return row[b.length]!
}

/** 1 − vowel-weighted distance / longer length: for vocalic keys. */
export function vocalicSimilarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length)
  return longest === 0 ? 1 : 1 - vowelWeightedDistance(a, b) / longest
}

/** 1 − edit distance / longer length. */
export function editSimilarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length)
  return longest === 0 ? 1 : 1 - levenshtein(a, b) / longest
}

function skeletonSimilarity(a: string, b: string): number {
  if (a === b) return a.replace('V', '').length <= 1 ? 0.9 : 1
  const longest = Math.max(a.length, b.length)
  return 1 - skeletonDistance(a, b) / longest
}

type WordSimilarity = { sim: number; how: 'concept' | 'family' | 'keys' | 'initials'; skeleton: number; vocalic: number | null; pair: [string, string] }

function bestOf(as: string[], bs: string[], f: (a: string, b: string) => number): { v: number; a: string; b: string } {
  let best = { v: -1, a: as[0] ?? '', b: bs[0] ?? '' }
  for (const a of as) for (const b of bs) {
    const v = f(a, b)
    if (v > best.v) best = { v, a, b }
  }
  return best
}

/** How alike two words are: by dictionary meaning when both have one, else by their keys. */
export function wordSimilarity(a: AnalyzedToken, b: AnalyzedToken): WordSimilarity {
  if (a.concept && b.concept) {
    const translated = a.translated || b.translated
    const sim = conceptSimilarity(a.concept, b.concept, translated)
    // One meaning, but two different Arabic words for it ("Jund" / "Ajnad", both "soldiers"): a
    // translation cannot tell them apart, the names can. Unit words (liwa / alwiya) are left alone.
    if (sim === 1 && !translated && !UNIT_CONCEPTS.has(a.concept) && !isNumberConcept(a.concept) && bestOf(a.skeletons, b.skeletons, skeletonSimilarity).v < SAME_WORD_SKELETON) {
      const k = keysSimilarity(a, b)
      k.sim *= SYNONYM_FACTOR
      return k
    }
    return { sim, how: sim === 1 ? 'concept' : 'family', skeleton: sim, vocalic: null, pair: [a.concept, b.concept] }
  }
  const k = keysSimilarity(a, b)
  // A dictionary word against one the dictionary does not know: perhaps a spelling it lacks.
  if (a.concept || b.concept) k.sim *= 0.9
  return k
}

/** How alike two words are by their skeletons and vocalic keys. */
function keysSimilarity(a: Pick<AnalyzedToken, 'skeletons' | 'vocalics'>, b: Pick<AnalyzedToken, 'skeletons' | 'vocalics'>): WordSimilarity {
  const sk = bestOf(a.skeletons, b.skeletons, skeletonSimilarity)
  let sim = sk.v
  let vocalic: number | null = null
  if (a.vocalics.length && b.vocalics.length) {
    // Skeletons too far apart for the vowels to lift the pair to evidence: the vowels are not read.
    vocalic = (1 - VOCALIC_SHARE) * sk.v + VOCALIC_SHARE < MIN_WORD_SIMILARITY ? 0 : bestOf(a.vocalics, b.vocalics, vocalicSimilarity).v
    sim = (1 - VOCALIC_SHARE) * sk.v + VOCALIC_SHARE * vocalic
    // One consonant and the same vowels ("Izza" / "Izzah"): the same word, however short.
    if (vocalic === 1 && sk.a === sk.b) sim = 1
  }
  return { sim, how: 'keys', skeleton: sk.v, vocalic, pair: [sk.a, sk.b] }
}

/** Partial word likeness is weak evidence: full value from 0.9 up, falling off faster below. */
const credit = (s: number) => (s >= 0.9 ? s : s * (s / 0.9) ** 2)

/**
 * Words of each name paired: usually one and one; a word with two words run together ("Noureddine"
 * / "Nour al-Din"), or an acronym with the words it stands for ("DPR" / "Donetsk People's Republic").
 */
type Aligned = { i: number; j: number; qs: number[]; ns: number[]; s: WordSimilarity }

/**
 * An acronym against words whose letters it has, in order ("DPR", "ДНР" / "Donetsk People's
 * Republic"): this much when every letter is a word's own first letter, down to ACRONYM_RUN −
 * ACRONYM_OWN when every letter comes from a translation of the word (н for "People's": народная).
 */
const ACRONYM_RUN = 0.9
const ACRONYM_OWN = 0.12
/** A lone acronym against every word of a name in another order, as translations reorder them ("ASL" / "Free Syrian Army"). */
const ACRONYM_UNORDERED = 0.8

/** The share of an acronym's letters that are the first letters of the words themselves. */
function ownShare(acronym: string, tokens: readonly AnalyzedToken[]): number {
  let own = 0
  for (let x = 0; x < acronym.length; x++) if (tokens[x]?.letters[0] === acronym[x]) own++
  return own / acronym.length
}

/** Whether each letter of an acronym can stand for a different one of the words, in any order. */
function lettersCover(acronym: string, tokens: readonly AnalyzedToken[]): boolean {
  const used = new Array<boolean>(tokens.length).fill(false)
  const place = (k: number): boolean => {
    if (k === acronym.length) return true
    for (let x = 0; x < tokens.length; x++) {
      if (used[x] || !tokens[x]!.letters.includes(acronym[k]!)) continue
      used[x] = true
      if (place(k + 1)) return true
      used[x] = false
    }
    return false
  }
  return place(0)
}

/** Pairs of an acronym word of one name with the run of words of the other it stands for. */
function acronymRuns(a: AnalyzedName, b: AnalyzedName, push: (i: number, js: number[], sim: number, letters: string) => void) {
  for (let i = 0; i < a.tokens.length; i++) {
    const acr = a.tokens[i]!.acronym
    if (!acr) continue
    const k = acr.length
    for (let j = 0; j + k <= b.tokens.length; j++) {
      let ok = true
      for (let x = 0; x < k && ok; x++) ok = b.tokens[j + x]!.letters.includes(acr[x]!) && !b.tokens[j + x]!.acronym
      if (ok) push(i, Array.from({ length: k }, (_, x) => j + x), ACRONYM_RUN - ACRONYM_OWN * (1 - ownShare(acr, b.tokens.slice(j, j + k))), acr)
    }
  }
}

/** A word against two neighbouring words of the other name run together, when it is no dictionary word. */
function joinSimilarity(t: AnalyzedToken, join: AnalyzedJoin): WordSimilarity | null {
  if (t.concept || !canReachJoin(t, join)) return null
  const k = keysSimilarity(t, join)
  return k.sim >= MIN_JOIN_SIMILARITY ? k : null
}

/**
 * Whether the skeletons' lengths alone leave a word and a join room to reach MIN_JOIN_SIMILARITY
 * (the edit distance is at least the difference in length): most pairs are ruled out without
 * computing one.
 */
function canReachJoin(t: AnalyzedToken, join: AnalyzedJoin): boolean {
  let best = 0
  for (const a of t.skeletons) {
    for (const b of join.skeletons) {
      const longest = Math.max(a.length, b.length)
      const bound = longest === 0 ? 1 : 1 - Math.abs(a.length - b.length) / longest
      if (bound > best) best = bound
    }
  }
  const vowelled = t.vocalics.length > 0 && join.vocalics.length > 0
  return (vowelled ? (1 - VOCALIC_SHARE) * best + VOCALIC_SHARE : best) >= MIN_JOIN_SIMILARITY
}

function align(q: AnalyzedName, n: AnalyzedName): Aligned[] {
  const pairs: Aligned[] = []
  for (let i = 0; i < q.tokens.length; i++) {
    for (let j = 0; j < n.tokens.length; j++) {
      const s = wordSimilarity(q.tokens[i]!, n.tokens[j]!)
      if (s.sim >= MIN_WORD_SIMILARITY) pairs.push({ i, j, qs: [i], ns: [j], s })
    }
  }
  // "Noureddine" / "Nour al-Din", "Salahuddin" / "Salah al-Din": one word against two.
  for (let i = 0; i < q.tokens.length; i++) {
    for (const join of n.joins) {
      const s = joinSimilarity(q.tokens[i]!, join)
      if (s) pairs.push({ i, j: join.at, qs: [i], ns: [join.at, join.at + 1], s })
    }
  }
  for (let j = 0; j < n.tokens.length; j++) {
    for (const join of q.joins) {
      const s = joinSimilarity(n.tokens[j]!, join)
      if (s) pairs.push({ i: join.at, j, qs: [join.at, join.at + 1], ns: [j], s })
    }
  }
  const initials = (sim: number, a: string): WordSimilarity => ({ sim, how: 'initials', skeleton: sim, vocalic: null, pair: [a, a] })
  acronymRuns(q, n, (i, js, sim, a) => pairs.push({ i, j: js[0]!, qs: [i], ns: js, s: initials(sim, a) }))
  acronymRuns(n, q, (j, is, sim, a) => pairs.push({ i: is[0]!, j, qs: is, ns: [j], s: initials(sim, a) }))
  pairs.sort((x, y) => y.s.sim - x.s.sim || x.i - y.i || x.j - y.j)
  const usedQ = new Set<number>()
  const usedN = new Set<number>()
  const out: Aligned[] = []
  for (const p of pairs) {
    if (p.qs.some((x) => usedQ.has(x)) || p.ns.some((x) => usedN.has(x))) continue
    usedQ.add(p.i)
    usedN.add(p.j)
    for (const x of p.qs) usedQ.add(x)
    for (const x of p.ns) usedN.add(x)
    out.push(p)
  }
  return out
}

const round = (x: number) => Math.round(x * 1000) / 1000

/**
 * What the other name adds to this one, when this one is made only of generic dictionary words with
 * a unit word of its own, every one of them paired: such a name is told from others by exactly its words,
 * so another unit word ("Hezbollah" inside "Kata'ib Hizballah") or a word that means something
 * ("Islamic Front" inside "Syrian Islamic Front") makes another group. A filler word does not
 * ("Syrian Army" / "Syrian Arab Army").
 */
function nestedUnit(inner: AnalyzedName, innerUnpaired: AnalyzedToken[], outerUnpaired: AnalyzedToken[]): AnalyzedToken | null {
  if (innerUnpaired.length || !inner.tokens.every((t) => t.concept !== null && t.weight <= GENERIC_WEIGHT)) return null
  if (!inner.tokens.some((t) => UNIT_CONCEPTS.has(t.concept!))) return null
  return outerUnpaired.find((t) => (t.concept !== null && UNIT_CONCEPTS.has(t.concept)) || t.weight >= NESTED_MEANINGFUL) ?? null
}

function wordsReading(q: AnalyzedName, n: AnalyzedName, weigh: Weigh, explain: boolean): Reading {
  if (!q.tokens.length || !n.tokens.length) return { score: 0, features: [] }
  const wq = q.tokens.map(weigh)
  const wn = n.tokens.map(weigh)
  const Wq = wq.reduce((a, b) => a + b, 0)
  const Wn = wn.reduce((a, b) => a + b, 0)
  const aligned = align(q, n)
  let mq = 0
  let mn = 0
  for (const a of aligned) {
    const c = credit(a.s.sim)
    for (const x of a.qs) mq += c * wq[x]!
    for (const x of a.ns) mn += c * wn[x]!
  }
  const dice = (mq + mn) / (Wq + Wn)
  const cover = Math.max(mq / Wq, mn / Wn)
  let score = 0.8 * dice + 0.2 * cover

  const features: MatchFeature[] = []
  const pairedQ = new Set(aligned.flatMap((a) => a.qs))
  const pairedN = new Set(aligned.flatMap((a) => a.ns))
  const unpairedQ = q.tokens.filter((_, i) => !pairedQ.has(i))
  const unpairedN = n.tokens.filter((_, j) => !pairedN.has(j))
  const formQ = unpairedQ.find((t) => t.concept !== null && FORM_CONCEPTS.has(t.concept))
  const formN = unpairedN.find((t) => t.concept !== null && FORM_CONCEPTS.has(t.concept))
  if (formQ && formN) score *= formQ.translated || formN.translated ? FORM_CONFLICT : FORM_CONFLICT_NAMED
  // A place word that says little ("Bilad", the lands of) is not a branch's place.
  const placed = (t: AnalyzedToken) => t.locative && !(t.concept !== null && t.weight <= LITTLE_WEIGHT)
  // A province (wilaya) one name adds with its own place names a branch too ("Islamic State Sahel
  // Province" against "Islamic State"); with its place paired it is one group's two renderings.
  const province = (unpaired: AnalyzedToken[]) => (unpaired.some((t) => t.concept !== 'province' && t.weight >= GENERIC_WEIGHT) ? unpaired.find((t) => t.concept === 'province') : undefined)
  const branch = unpairedQ.find(placed) ?? unpairedN.find(placed) ?? province(unpairedQ) ?? province(unpairedN)
  if (branch) score *= BRANCH
  const wider = unpairedQ.find((t) => t.coordinated && t.weight > LITTLE_WEIGHT) ?? unpairedN.find((t) => t.coordinated && t.weight > LITTLE_WEIGHT)
  if (wider) score *= WIDER
  const nested = nestedUnit(q, unpairedQ, unpairedN) ?? nestedUnit(n, unpairedN, unpairedQ)
  if (nested && !(formQ && formN)) score *= NESTED_UNIT
  const structural = branch !== undefined || wider !== undefined
  if (!explain) return { score, features, structural }
  if (formQ && formN) {
    features.push({ feature: 'dictionary', value: 0, detail: `different kinds of group: ${formQ.raw} (${formQ.concept}) ≠ ${formN.raw} (${formN.concept})` })
  }
  if (branch) features.push({ feature: 'token_overlap', value: 0, detail: `a branch: "${branch.raw}" says where or which province one of them is and the other does not` })
  if (wider) features.push({ feature: 'token_overlap', value: 0, detail: `a wider group: "${wider.raw}" is added with "and" to what one of them names` })
  if (nested && !(formQ && formN)) features.push({ feature: 'dictionary', value: 0, detail: `another group: ${nested.raw} added to a name made of generic words with its own kind` })
  const rawOf = (tokens: AnalyzedToken[], ks: number[]) => ks.map((k) => tokens[k]!.raw).join(' ')
  const words = aligned.map((a) => `${rawOf(q.tokens, a.qs)}~${rawOf(n.tokens, a.ns)}`)
  features.push({
    feature: 'token_overlap', value: round(dice),
    detail: `${aligned.length} of ${Math.max(q.tokens.length, n.tokens.length)} words paired${words.length ? `: ${words.join(', ')}` : ''}`,
  })
  const acronyms = aligned.filter((a) => a.s.how === 'initials')
  if (acronyms.length) {
    features.push({
      feature: 'acronym', value: round(acronyms.reduce((x, a) => x + a.s.sim, 0) / acronyms.length),
      detail: acronyms.map((a) => `${rawOf(q.tokens, a.qs)} / ${rawOf(n.tokens, a.ns)}: initials in any of their languages`).join('; '),
    })
  }
  const concepts = aligned.filter((a) => a.s.how === 'concept' || a.s.how === 'family')
  if (concepts.length) {
    features.push({
      feature: 'dictionary', value: round(concepts.reduce((x, a) => x + a.s.sim, 0) / concepts.length),
      detail: concepts.map((a) => `${a.s.pair[0] === a.s.pair[1] ? a.s.pair[0] : `${a.s.pair[0]}≈${a.s.pair[1]}`}: ${q.tokens[a.i]!.raw} = ${n.tokens[a.j]!.raw}`).join('; '),
    })
  }
  const keyed = aligned.filter((a) => a.s.how === 'keys')
  if (keyed.length) {
    features.push({
      feature: 'skeleton', value: round(keyed.reduce((x, a) => x + a.s.skeleton, 0) / keyed.length),
      detail: keyed.map((a) => `${a.s.pair[0]}${a.s.pair[0] === a.s.pair[1] ? ' = ' : ' ~ '}${a.s.pair[1]}`).join(', '),
    })
    const cross = keyed.filter((a) => q.tokens[a.i]!.script !== n.tokens[a.j]!.script || a.s.vocalic !== null)
    if (cross.length) {
      features.push({
        feature: 'transliteration', value: round(cross.reduce((x, a) => x + (a.s.vocalic ?? a.s.skeleton), 0) / cross.length),
        detail: cross.map((a) => {
          const x = q.tokens[a.i]!
          const y = n.tokens[a.j]!
          const key = (t: AnalyzedToken) => (t.vocalics[0] && a.s.vocalic !== null ? t.vocalics[0] : t.skeletons[0])
          return `${x.raw} (${x.script}) → ${key(x)} / ${y.raw} (${y.script}) → ${key(y)}`
        }).join('; '),
      })
    }
  }
  return { score, features, structural }
}

const NO_READING: Reading = { score: 0, features: [] }
/** The least run-together likeness worth a reading. */
const MIN_COMPOUND = 0.8

function compoundReading(q: AnalyzedName, n: AnalyzedName, explain: boolean): Reading {
  const a = q.concat
  const b = n.concat
  if (q.tokens.length === n.tokens.length || a.length < 4 || b.length < 4) return NO_READING
  // Skeletons whose lengths alone put them too far apart are not compared.
  const vowelled = q.concatVocalic !== null && n.concatVocalic !== null
  const floor = vowelled ? (MIN_COMPOUND - VOCALIC_SHARE) / (1 - VOCALIC_SHARE) : MIN_COMPOUND
  if (Math.abs(a.length - b.length) > (1 - floor) * Math.max(a.length, b.length)) return NO_READING
  let sim = editSimilarity(a, b)
  if (sim < floor) return NO_READING
  if (vowelled) sim = (1 - VOCALIC_SHARE) * sim + VOCALIC_SHARE * vocalicSimilarity(q.concatVocalic!, n.concatVocalic!)
  if (sim < MIN_COMPOUND) return NO_READING
  return { score: sim * 0.97, features: explain ? [{ feature: 'compound', value: round(sim), detail: `run together: ${q.concat} ~ ${n.concat}` }] : [] }
}

function acronymReading(q: AnalyzedName, n: AnalyzedName): Reading {
  let best = { score: 0, features: [] as MatchFeature[] }
  const consider = (score: number, detail: string) => {
    if (score > best.score) best = { score, features: [{ feature: 'acronym', value: score, detail }] }
  }
  const qAcr = q.acronyms.length > 0
  const nAcr = n.acronyms.length > 0
  if (qAcr && nAcr) {
    const shared = q.acronymClasses.find((c) => n.acronymClasses.includes(c))
    if (shared) consider(ACRONYM_TABLE_SCORE, `${q.value} and ${n.value} are one acronym in the table (${shared})`)
  }
  for (const [acr, full] of [[q, n], [n, q]] as const) {
    if (!acr.acronyms.length || !full.initials.length) continue
    if (acr.acronyms.some((k) => full.initials.includes(k))) consider(INITIALS_SCORE, `${acr.value} = initials of ${full.value}`)
    const letters = acr.tokens.length === 1 ? acr.tokens[0]!.acronym : null
    if (letters && letters.length >= 3 && letters.length === full.tokens.length && lettersCover(letters, full.tokens)) {
      consider(ACRONYM_UNORDERED, `${acr.value}: the initials of ${full.value}'s words in one of their languages, in another order`)
    }
    const shared = acr.acronymClasses.find((c) => full.acronymClasses.includes(c))
    if (shared) consider(INITIALS_TABLE_SCORE, `${acr.value} and the initials of ${full.value} are one acronym in the table (${shared})`)
  }
  return best
}

const expansionCache = new Map<string, AnalyzedName[]>()
function expansions(id: string): AnalyzedName[] {
  let e = expansionCache.get(id)
  if (!e) expansionCache.set(id, (e = expansionsOf(id).map((v) => analyzeName(v))))
  return e
}

/** A table acronym on one side read as each name it stands for, against the other side. */
function expansionReading(q: AnalyzedName, n: AnalyzedName, weigh: Weigh, explain: boolean): Reading {
  let best = { score: 0, features: [] as MatchFeature[] }
  for (const [acr, full, flip] of [[q, n, false], [n, q, true]] as const) {
    // A table acronym as one word of a longer name ("ISIS-K", "Daesh Khorasan"): that name spelled out.
    for (const e of spelledOut(acr)) {
      const r = plainCompare(flip ? full : e, flip ? e : full, weigh, explain)
      const score = r.score * EXPANSION_FACTOR
      if (score > best.score) {
        best = { score, features: explain ? [{ feature: 'acronym', value: round(score), detail: `${acr.value} read as ${e.value} (acronym table)` }, ...r.features] : [] }
      }
    }
    if (!acr.acronyms.length || full.acronyms.length) continue
    for (const id of acr.acronymClasses) {
      for (const e of expansions(id)) {
        const r = plainCompare(flip ? full : e, flip ? e : full, weigh, explain)
        const score = r.score * EXPANSION_FACTOR
        if (score > best.score) {
          best = { score, features: explain ? [{ feature: 'acronym', value: round(score), detail: `${acr.value} stands for ${e.value} (acronym table)` }, ...r.features] : [] }
        }
      }
    }
  }
  return best
}

/** The exact, words and compound readings; a non-exact one never reaches 1. */
function plainCompare(q: AnalyzedName, n: AnalyzedName, weigh: Weigh, explain: boolean): Reading & { exact: boolean } {
  if (q.exact && q.exact === n.exact) {
    return { score: 1, exact: true, features: [{ feature: 'exact', value: 1, detail: `same name once folded: "${q.exact}"` }] }
  }
  // The same words in the same order once articles and particles are off ("Jaysh el-Izza",
  // "Ahrar ash-Sham", "The Islamic State"): as close as a non-exact reading gets.
  if (q.tokens.length && q.tokens.length === n.tokens.length && q.tokens.every((t, i) => t.folded === n.tokens[i]!.folded)) {
    return {
      score: NON_EXACT_CAP, exact: false,
      features: explain ? [{ feature: 'token_overlap', value: 1, detail: `same words once articles and particles are left out: "${q.tokens.map((t) => t.folded).join(' ')}"` }] : [],
    }
  }
  const w = wordsReading(q, n, weigh, explain)
  // Run together, a name that adds a branch's place or a word with "and" reads as the shorter one.
  const c = w.structural ? NO_READING : compoundReading(q, n, explain)
  const best = c.score > w.score ? { score: c.score, features: [...c.features, ...w.features] } : w
  return { score: Math.min(NON_EXACT_CAP, best.score), exact: false, features: best.features }
}

/**
 * Compares a query with a registry name, both analysed. With `explain` false the features are left
 * out (the score is the same), for ranking many names before explaining the few returned.
 * @example compareAnalyzed(analyzeName('Джебхат ан-Нусра'), analyzeName('Jabhat al-Nusra')).score // 0.99
 */
export function compareAnalyzed(q: AnalyzedName, n: AnalyzedName, weigh: Weigh = staticWeight, explain = true): Comparison {
  const whole = compareReadings(q, n, weigh, explain)
  if (whole.exact) return whole
  let best: Reading = whole
  // Either name without what reports write around it; never both, so "X (Libya)" stays apart from "X (Tunisia)".
  for (const [a, b, stripped] of [[q.core, n, q.core], [q, n.core, n.core]] as const) {
    if (!a || !b || !stripped) continue
    const r = compareReadings(a, b, weigh, explain)
    const qualified = stripped === q.core ? q.qualified : n.qualified
    const score = qualified ? Math.min(QUALIFIED_CAP, r.score * CORE_FACTOR) : r.score * CORE_FACTOR
    if (score > best.score) {
      best = {
        score,
        features: explain ? [{ feature: 'token_overlap', value: round(score), detail: `read as "${stripped.value}" without what is written around it` }, ...r.features] : [],
      }
    }
  }
  return { score: round(Math.min(NON_EXACT_CAP, best.score)), exact: false, features: best.features }
}

/** The exact, words, compound and acronym readings of two names as they are. */
function compareReadings(q: AnalyzedName, n: AnalyzedName, weigh: Weigh, explain: boolean): Comparison {
  const plain = plainCompare(q, n, weigh, explain)
  if (plain.exact) return { score: 1, exact: true, features: plain.features }
  let best: Reading = plain
  for (const r of [acronymReading(q, n), expansionReading(q, n, weigh, explain)]) {
    if (r.score > best.score) best = { score: r.score, features: [...r.features, ...best.features.filter((f) => f.feature !== 'acronym')] }
  }
  return { score: best.score, exact: false, features: best.features }
}
