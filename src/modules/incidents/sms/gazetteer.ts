// A gazetteer of the areas reports name: every area's names in every language, found in short
// free text however the sender spelled them. A mention meets a name
//   - exactly, once case, Arabic letter forms and diacritics, articles (ال, al-, аль-) and
//     apostrophes are folded away (the actor matcher's normalisation);
//   - by its Russian stem, so "в Думе", "Думы", "Идлибе" find Дума and Идлиб;
//   - by transliteration: Latin and Cyrillic spellings meet on their vocalic key ("Douma", "Duma",
//     "Дума"; "Deir ez-Zor", "Дейр-эз-Зор"), and a mention meets a name in another script by
//     consonant skeleton only when the area has no name in the mention's own script, so an
//     ordinary Arabic word is never read as a place whose Arabic name it is not.
// In free text the longest name wins ("Deir ez-Zor" over "Deir"), then the better score.
import { scriptOf, type Script } from '../../actors/actors.types.ts'
import { ARTICLES, foldText, joinedArticle, stripArabicArticle } from '../../actors/matching/normalize.ts'
import { phonetics, skeletonVariants, vocalic } from '../../actors/matching/translit.ts'

export type GazetteerArea = {
  id: string
  /** Language → name ("en", "ar", "ru", "en-alt" …); a list holds several names in one language. */
  names: Record<string, string | string[]>
  /** [longitude, latitude], EPSG:4326. */
  centroid: [number, number]
  /** What the area is: "governorate", "district", "subdistrict", "city", "town", "village", "neighbourhood", "site" … */
  kind: string
}

/** How a mention met a name, best first. */
export type MatchHow = 'exact' | 'stem' | 'transliteration' | 'skeleton'

export type PlaceMatch = {
  placeId: string
  kind: string
  centroid: [number, number]
  /** The gazetteer name it met, and that name's language. */
  name: string
  lang: string
  /** [start, end) in the text, in UTF-16 code units. */
  span: [number, number]
  /** The text of the span as written. */
  text: string
  /** 0–1: 1 exact, lower the further the spelling had to be bent. */
  score: number
  how: MatchHow
  /** Other areas the same words name equally well (two villages called the same). */
  alternatives: string[]
}

/** A word of a text with its place, folded, and how it joins the word before it. */
export type TextToken = {
  raw: string
  start: number
  end: number
  folded: string
  script: Script
  /** Only blanks or a hyphen between this word and the one before (no comma, no full stop). */
  joined: boolean
  article: boolean
}

const WORD = /[\p{L}\p{M}\p{N}'’ʼ`´]+/gu
const APOSTROPHES = /['’ʼ`´]/g
const JOINER = /^[\s\-‐‑–—_]*$/u

/** The words of a text with their offsets, folded (case, Arabic forms, ё, Latin marks), articles marked. */
export function textTokens(text: string): TextToken[] {
  const out: TextToken[] = []
  let previousEnd = -1
  for (const m of text.matchAll(WORD)) {
    const raw = m[0]
    const start = m.index
    const script = scriptOf(raw)
    // "Douma's" → "Douma"; other apostrophes inside a word go (Dar'a → Dara).
    const bare = script === 'Latn' ? raw.replace(/['’]s$/i, '') : raw
    let folded = foldText(bare).replace(APOSTROPHES, '')
    if (script === 'Arab') folded = stripArabicArticle(folded)
    if (!folded) continue
    out.push({
      raw, start, end: start + raw.length, folded, script,
      joined: previousEnd >= 0 && JOINER.test(text.slice(previousEnd, start)),
      article: script !== 'Arab' && ARTICLES.has(folded),
    })
    previousEnd = start + raw.length
  }
  return out
}

/** The keys one word is found by: exact, Russian stem, vocalic keys, consonant skeletons. */
type WordKeys = { folded: string; script: Script; stem: string | null; vocalics: string[]; skeletons: string[] }

const RUSSIAN_ENDING = /(?:ами|ями|ого|его|ому|ему|ой|ей|ом|ем|ою|ею|ью|ах|ях|ы|и|а|я|е|у|ю|о)$/

function keysOf(folded: string, script: Script): WordKeys {
  const stem = script === 'Cyrl' && folded.length >= 4 ? folded.replace(RUSSIAN_ENDING, '') : null
  const readings = phonetics(folded, script)
  return {
    folded, script, stem,
    // Diphthongs written out or not ("Dayr az-Zawr", "Deir ez-Zor") meet once au → u, ai → i.
    vocalics: script === 'Arab' ? [] : [...new Set(readings.map(vocalic).flatMap((v) => [v, v.replace(/au/g, 'u').replace(/ai/g, 'i')]))],
    skeletons: [...new Set(readings.flatMap(skeletonVariants))],
  }
}

/** Vowel-only edits between two vocalic keys, at most `max` (Idlib / Edlib). */
function vowelEdits(a: string, b: string, max: number): number {
  if (a.length !== b.length) return Infinity
  let n = 0
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue
    if (!'aiu'.includes(a[i]!) || !'aiu'.includes(b[i]!)) return Infinity
    if (++n > max) return n
  }
  return n
}

const SCORE: Record<MatchHow, number> = { exact: 1, stem: 0.92, transliteration: 0.88, skeleton: 0.75 }

/**
 * How well a word of the text meets a word of a name, or null. `crossScript` allows a name in
 * another script (the area has none in the word's script).
 */
function wordMatch(t: WordKeys, n: WordKeys, crossScript: boolean): MatchHow | null {
  if (t.folded === n.folded) return 'exact'
  if (t.script === n.script && t.stem && n.stem && t.stem.length >= 3 && t.stem === n.stem) return 'stem'
  if (t.script !== n.script && !crossScript) return null
  // Arabic writes its long vowels: two Arabic spellings that differ after folding are two words.
  if (t.script === 'Arab' && n.script === 'Arab') return null
  if (t.folded.length < 3 || n.folded.length < 3) return null
  if (t.vocalics.length && n.vocalics.length && t.vocalics.some((v) => n.vocalics.includes(v))) return 'transliteration'
  const sameSkeleton = t.skeletons.some((s) => s.length >= 2 && n.skeletons.includes(s))
  if (!sameSkeleton) return null
  // Arabic script writes no short vowels: the skeleton is all there is to compare.
  if (t.script === 'Arab' || n.script === 'Arab') return 'skeleton'
  // Two vowelled spellings differing in one vowel, in words long enough not to be a coincidence.
  if (t.folded.length >= 5 && t.vocalics.some((a) => a.length >= 4 && n.vocalics.some((b) => vowelEdits(a, b, 1) <= 1))) return 'skeleton'
  return null
}

type IndexedName = { area: GazetteerArea; name: string; lang: string; script: Script; words: WordKeys[]; leadingArticle: boolean }

/**
 * Place names found in text.
 *
 * @example
 * const gazetteer = new Gazetteer([{ id: 'douma', names: { en: 'Douma', ar: 'دوما', ru: 'Дума' }, centroid: [36.40, 33.57], kind: 'city' }])
 * gazetteer.find('обстрел в Думе с утра') // [{ placeId: 'douma', text: 'Думе', how: 'stem', score: 0.92, … }]
 */
export class Gazetteer {
  private readonly byKey = new Map<string, IndexedName[]>()
  private readonly scriptsOf = new Map<string, Set<Script>>()
  readonly size: number

  constructor(areas: readonly GazetteerArea[]) {
    for (const area of areas) {
      const scripts = new Set<Script>()
      for (const [lang, value] of Object.entries(area.names)) {
        for (const name of Array.isArray(value) ? value : [value]) {
          const tokens = textTokens(name)
          const words = tokens.filter((t) => !t.article)
          if (words.length === 0) continue
          const script = scriptOf(name)
          scripts.add(script)
          const entry: IndexedName = { area, name, lang, script, words: words.map((t) => keysOf(t.folded, t.script)), leadingArticle: tokens[0]!.article }
          for (const key of this.keysFor(entry.words[0]!)) {
            const list = this.byKey.get(key) ?? []
            if (!list.includes(entry)) list.push(entry)
            this.byKey.set(key, list)
          }
        }
      }
      this.scriptsOf.set(area.id, scripts)
    }
    this.size = areas.length
  }

  private keysFor(w: WordKeys): string[] {
    return [`f:${w.folded}`, ...(w.stem ? [`s:${w.stem}`] : []), ...w.vocalics.map((v) => `v:${v}`), ...w.skeletons.map((s) => `k:${s}`)]
  }

  /**
   * Every place named in a text, longest first, without overlaps, in text order. Words inside a
   * `skip` span (already read as something else: a keyword, a number, a time) are not places.
   */
  find(text: string, options: { skip?: readonly [number, number][]; minScore?: number } = {}): PlaceMatch[] {
    const minScore = options.minScore ?? 0.7
    const skip = options.skip ?? []
    const tokens = textTokens(text)
    const blocked = tokens.map((t) => skip.some(([s, e]) => t.start < e && t.end > s))
    const keys = tokens.map((t) => keysOf(t.folded, t.script))
    type Candidate = { from: number; to: number; entry: IndexedName; score: number; how: MatchHow }
    const candidates: Candidate[] = []
    for (let i = 0; i < tokens.length; i++) {
      if (blocked[i] || tokens[i]!.article) continue
      const variants = this.wordVariants(tokens[i]!, keys[i]!)
      const seen = new Set<IndexedName>()
      for (const { keys: first, factor } of variants) {
        for (const key of this.keysFor(first)) {
          for (const entry of this.byKey.get(key) ?? []) {
            if (seen.has(entry)) continue
            const m = this.matchAt(tokens, keys, blocked, i, entry, first)
            if (!m) continue
            seen.add(entry)
            const score = m.score * factor
            if (score >= minScore) candidates.push({ from: i, to: m.to, entry, score, how: m.how })
          }
        }
      }
    }
    // Longest first, then the better score, then the earlier.
    candidates.sort((a, b) => (b.to - b.from) - (a.to - a.from) || b.score - a.score || a.from - b.from)
    const taken: boolean[] = tokens.map(() => false)
    const out: PlaceMatch[] = []
    for (const c of candidates) {
      if (taken.slice(c.from, c.to + 1).some(Boolean)) {
        // The same span naming another area equally well is an alternative, not a second place.
        const same = out.find((m) => m.span[0] === spanStart(tokens, c) && m.span[1] === tokens[c.to]!.end)
        if (same && same.placeId !== c.entry.area.id && same.score === round(c.score) && !same.alternatives.includes(c.entry.area.id)) same.alternatives.push(c.entry.area.id)
        continue
      }
      for (let k = c.from; k <= c.to; k++) taken[k] = true
      const start = spanStart(tokens, c)
      const end = tokens[c.to]!.end
      out.push({
        placeId: c.entry.area.id, kind: c.entry.area.kind, centroid: c.entry.area.centroid, name: c.entry.name, lang: c.entry.lang,
        span: [start, end], text: text.slice(start, end), score: round(c.score), how: c.how, alternatives: [],
      })
    }
    return out.sort((a, b) => a.span[0] - b.span[0])
  }

  /** The best place a text names, or null. */
  match(text: string): PlaceMatch | null {
    return this.find(text).sort((a, b) => b.score - a.score || (b.span[1] - b.span[0]) - (a.span[1] - a.span[0]))[0] ?? null
  }

  // A text word as written, and the readings that may hide a name: an Arabic clitic letter (بدوما,
  // لدوما), a Latin article run on ("Alraqqa").
  private wordVariants(t: TextToken, k: WordKeys): { keys: WordKeys; factor: number }[] {
    const out = [{ keys: k, factor: 1 }]
    if (t.script === 'Arab' && /^[وفبلك]/.test(t.folded) && t.folded.length >= 4) out.push({ keys: keysOf(t.folded.slice(1), 'Arab'), factor: 0.95 })
    if (t.script === 'Latn') {
      const bare = joinedArticle(t.folded)
      if (bare && bare.length >= 4) out.push({ keys: keysOf(bare, 'Latn'), factor: 0.95 })
    }
    return out
  }

  // The name's words met in order from token i; articles in the text between them are passed over.
  private matchAt(tokens: TextToken[], keys: WordKeys[], blocked: boolean[], i: number, entry: IndexedName, first: WordKeys): { to: number; score: number; how: MatchHow } | null {
    const crossScript = !this.scriptsOf.get(entry.area.id)!.has(tokens[i]!.script)
    let score = 1
    let worst: MatchHow = 'exact'
    let k = i
    for (let w = 0; w < entry.words.length; w++) {
      if (w > 0) {
        k++
        while (k < tokens.length && tokens[k]!.article && tokens[k]!.joined) k++
        if (k >= tokens.length || blocked[k] || !tokens[k]!.joined) return null
      }
      const how = wordMatch(w === 0 ? first : keys[k]!, entry.words[w]!, crossScript)
      if (!how) return null
      if (SCORE[how] < score) { score = SCORE[how]; worst = how }
    }
    return { to: k, score, how: worst }
  }
}

/** Where a match starts: at its first word, or at the article before it when the name has one too ("al-Bab"). */
function spanStart(tokens: TextToken[], c: { from: number; entry: IndexedName }): number {
  const before = tokens[c.from - 1]
  return c.entry.leadingArticle && before?.article && tokens[c.from]!.joined ? before.start : tokens[c.from]!.start
}

const round = (x: number) => Math.round(x * 1000) / 1000
