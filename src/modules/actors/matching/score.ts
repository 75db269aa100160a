// How alike two analysed names are, from 0 to 1, with the evidence for it. Several readings are
// scored and the best one counts:
// - exact: the same folded text (1.0, the only way to reach 1);
// - words: each word of one name paired with its best partner in the other (same dictionary
//   meaning, or close skeletons / vocalic keys), weighed by how distinctive each word is, as a
//   soft Dice coefficient blended with how much of the shorter name is covered;
// - compound: the names run together, for words split differently ("Hizballah" / "Hizb Allah");
// - acronym: an acronym against initials or against its table entry ("HTS" = "Hay'at Tahrir
//   al-Sham"), and a table acronym read as each of the names it stands for.
// Anything short of an exact hit is capped at 0.99.
import { expansionsOf } from './acronyms.ts'
import { analyzeName, type AnalyzedName, type AnalyzedToken } from './analyze.ts'
import { conceptSimilarity, FORM_CONCEPTS, UNIT_CONCEPTS } from './dictionary.ts'

export type FeatureName =
  | 'exact' | 'reference' | 'weak_alias' | 'token_overlap' | 'skeleton' | 'transliteration'
  | 'dictionary' | 'compound' | 'acronym' | 'date' | 'judgement'

/** One piece of evidence: what was compared, how alike (0..1), in words an analyst can check. */
export type MatchFeature = { feature: FeatureName; value: number; detail: string }

export type Comparison = { score: number; exact: boolean; features: MatchFeature[] }
type Reading = { score: number; features: MatchFeature[] }

/** A word's weight in a comparison (the index lowers words many registry names share). */
export type Weigh = (t: AnalyzedToken) => number
export const staticWeight: Weigh = (t) => t.weight

/** Two names that disagree on the kind of group (army / brigade / organization …) keep this share. */
const FORM_CONFLICT = 0.8
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
      const sub = ca === cb ? 0 : vowelA && vowelB ? 0.5 : 1
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
  return editSimilarity(a, b)
}

type WordSimilarity = { sim: number; how: 'concept' | 'family' | 'keys'; skeleton: number; vocalic: number | null; pair: [string, string] }

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
    if (sim === 1 && !translated && !UNIT_CONCEPTS.has(a.concept) && bestOf(a.skeletons, b.skeletons, skeletonSimilarity).v < SAME_WORD_SKELETON) {
      return keysSimilarity(a, b)
    }
    return { sim, how: sim === 1 ? 'concept' : 'family', skeleton: sim, vocalic: null, pair: [a.concept, b.concept] }
  }
  const k = keysSimilarity(a, b)
  // A dictionary word against one the dictionary does not know: perhaps a spelling it lacks.
  if (a.concept || b.concept) k.sim *= 0.9
  return k
}

/** How alike two words are by their skeletons and vocalic keys. */
function keysSimilarity(a: AnalyzedToken, b: AnalyzedToken): WordSimilarity {
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

type Aligned = { i: number; j: number; s: WordSimilarity }

function align(q: AnalyzedName, n: AnalyzedName): Aligned[] {
  const pairs: Aligned[] = []
  for (let i = 0; i < q.tokens.length; i++) {
    for (let j = 0; j < n.tokens.length; j++) {
      const s = wordSimilarity(q.tokens[i]!, n.tokens[j]!)
      if (s.sim >= MIN_WORD_SIMILARITY) pairs.push({ i, j, s })
    }
  }
  pairs.sort((x, y) => y.s.sim - x.s.sim || x.i - y.i || x.j - y.j)
  const usedQ = new Set<number>()
  const usedN = new Set<number>()
  const out: Aligned[] = []
  for (const p of pairs) {
    if (usedQ.has(p.i) || usedN.has(p.j)) continue
    usedQ.add(p.i)
    usedN.add(p.j)
    out.push(p)
  }
  return out
}

const round = (x: number) => Math.round(x * 1000) / 1000

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
    mq += c * wq[a.i]!
    mn += c * wn[a.j]!
  }
  const dice = (mq + mn) / (Wq + Wn)
  const cover = Math.max(mq / Wq, mn / Wn)
  let score = 0.8 * dice + 0.2 * cover

  const features: MatchFeature[] = []
  const pairedQ = new Set(aligned.map((a) => a.i))
  const pairedN = new Set(aligned.map((a) => a.j))
  const formQ = q.tokens.find((t, i) => !pairedQ.has(i) && t.concept !== null && FORM_CONCEPTS.has(t.concept))
  const formN = n.tokens.find((t, j) => !pairedN.has(j) && t.concept !== null && FORM_CONCEPTS.has(t.concept))
  if (formQ && formN) score *= FORM_CONFLICT
  if (!explain) return { score, features }
  if (formQ && formN) {
    features.push({ feature: 'dictionary', value: 0, detail: `different kinds of group: ${formQ.raw} (${formQ.concept}) ≠ ${formN.raw} (${formN.concept})` })
  }
  const words = aligned.map((a) => `${q.tokens[a.i]!.raw}~${n.tokens[a.j]!.raw}`)
  features.push({
    feature: 'token_overlap', value: round(dice),
    detail: `${aligned.length} of ${Math.max(q.tokens.length, n.tokens.length)} words paired${words.length ? `: ${words.join(', ')}` : ''}`,
  })
  const concepts = aligned.filter((a) => a.s.how !== 'keys')
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
  return { score, features }
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
    const shared = acr.acronymClasses.find((c) => full.acronymClasses.includes(c))
    if (shared) consider(INITIALS_TABLE_SCORE, `${acr.value} and the initials of ${full.value} are one acronym in the table (${shared})`)
  }
  return best
}

const expansionCache = new Map<string, AnalyzedName[]>()
function expansions(id: string): AnalyzedName[] {
  let e = expansionCache.get(id)
  if (!e) expansionCache.set(id, (e = expansionsOf(id).map(analyzeName)))
  return e
}

/** A table acronym on one side read as each name it stands for, against the other side. */
function expansionReading(q: AnalyzedName, n: AnalyzedName, weigh: Weigh, explain: boolean): Reading {
  let best = { score: 0, features: [] as MatchFeature[] }
  for (const [acr, full, flip] of [[q, n, false], [n, q, true]] as const) {
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
  const c = compoundReading(q, n, explain)
  const best = c.score > w.score ? { score: c.score, features: [...c.features, ...w.features] } : w
  return { score: Math.min(NON_EXACT_CAP, best.score), exact: false, features: best.features }
}

/**
 * Compares a query with a registry name, both analysed. With `explain` false the features are left
 * out (the score is the same), for ranking many names before explaining the few returned.
 * @example compareAnalyzed(analyzeName('Джебхат ан-Нусра'), analyzeName('Jabhat al-Nusra')).score // 0.99
 */
export function compareAnalyzed(q: AnalyzedName, n: AnalyzedName, weigh: Weigh = staticWeight, explain = true): Comparison {
  const plain = plainCompare(q, n, weigh, explain)
  if (plain.exact) return { score: 1, exact: true, features: plain.features }
  let best: Reading = plain
  for (const r of [acronymReading(q, n), expansionReading(q, n, weigh, explain)]) {
    if (r.score > best.score) best = { score: r.score, features: [...r.features, ...best.features.filter((f) => f.feature !== 'acronym')] }
  }
  return { score: round(Math.min(NON_EXACT_CAP, best.score)), exact: false, features: best.features }
}
