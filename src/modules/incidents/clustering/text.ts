// Text likeness of two descriptions, in any language: what two reports of one event share across
// paraphrases and languages is their numbers, their place names and their actors' names, not their
// wording. So a description becomes a set of keys:
// - a number is its value ("٤" and "4" are one key, "04" too);
// - a word is its consonant skeleton (the actor matcher's transliteration keys), so "Kafr Hamra",
//   "Kfar Hamrah" and "كفر حمرة" meet, and the articles and particles of the languages we read
//   (al-, the, de, في, в …) are left out.
// - a short word (two consonants or fewer) has a second, finer key that keeps its i/y and u/w
//   sounds, which every script writes ("Darayya", "داريا", "Дарайя" meet; "Daraa" and "Dayr",
//   which share their skeleton with them, do not): a shared fine key is as rare as the name.
// The keys are weighed by how rare they are among the reports seen so far (inverse document
// frequency), which needs no word list per language: "killed", "shelling" or "قصف" weigh little
// once many reports say them, a village's name or a casualty count weighs a lot. Two descriptions
// are as alike as the rarest key they share is rare (on the UCDP 2016 simulation the odds that two
// neighbouring reports tell one event grow about e-fold per unit of that weight, up to ~6).
import { foldText, isParticle, stripArabicArticle } from '../../actors/matching/normalize.ts'
import { arabicPhonetic, cyrillicPhonetic, latinPhonetics, skeleton } from '../../actors/matching/translit.ts'

const APOSTROPHES = /['’‘ʼʻʿʾ`´ʹ′]/g
const ASCII = /^[\x20-\x7e\t\n\r]*$/
// Words as written, apostrophes inside them kept ("Hay'at" is one word), folded one by one.
const ASCII_WORDS = /[A-Za-z0-9']+/g
const WORDS = /[\p{L}\p{N}\p{M}'’‘ʼʻʿʾ`´ʹ′]+/gu
const DIGITS = /^\p{Nd}+$/u

/** Words seen as written, with their keys ('' for a word left out, a fine key after a space); cleared when it grows past this. */
const WORD_CACHE_LIMIT = 200_000
const wordKeys = new Map<string, string>()
/** Skeletons this short (with the script's letter) get a fine key too. */
const SHORT_SKELETON = 3

/**
 * The key of one folded word: "#" and its value for a number, else a letter for its script and its
 * consonant skeleton (a word too short to have one keeps its letters); '' for an article or particle.
 */
export function wordKey(word: string): string {
  if (DIGITS.test(word)) return '#' + String(Number(word))
  const c = word.charCodeAt(0)
  if (c >= 0x600 && c <= 0x6ff) {
    const w = stripArabicArticle(word)
    if (isParticle(w)) return ''
    const s = skeleton(arabicPhonetic(w))
    return s.length >= 2 ? 's' + s : 'w' + w
  }
  if (isParticle(word)) return ''
  const phonetic = c >= 0x400 && c <= 0x4ff ? cyrillicPhonetic(word) : (latinPhonetics(word)[0] ?? word)
  const s = skeleton(phonetic)
  return s.length >= 2 && word.length >= 3 ? 's' + s : 'w' + word
}

/**
 * The fine key of a folded word whose skeleton is short: its consonants with i/y as "y" and u/w as
 * "w" (a, the vowel no script writes the same, left out), repeats once; '' for other words.
 * @example fineKey('darayya') // 'fdry'
 * @example fineKey('dayr') // 'fdyr'
 */
export function fineKey(word: string): string {
  const coarse = wordKey(word)
  if (coarse[0] !== 's' || coarse.length > SHORT_SKELETON) return ''
  const c = word.charCodeAt(0)
  const phonetic = c >= 0x600 && c <= 0x6ff ? arabicPhonetic(stripArabicArticle(word))
    : c >= 0x400 && c <= 0x4ff ? cyrillicPhonetic(word) : (latinPhonetics(word)[0] ?? word)
  let out = ''
  for (let i = 0; i < phonetic.length; i++) {
    const x = phonetic[i]!
    const k = x === 'i' || x === 'y' ? 'y' : x === 'u' || x === 'w' ? 'w' : x === 'a' ? (i === 0 ? 'V' : '') : x
    if (k && out[out.length - 1] !== k) out += k
  }
  if (out.length > 1 && out.endsWith('h')) out = out.slice(0, -1)
  return out === coarse.slice(1) ? '' : 'f' + out
}

/** A word as written: its folded form's key, remembered. */
function keyOf(written: string): string {
  let k = wordKeys.get(written)
  if (k === undefined) {
    if (wordKeys.size >= WORD_CACHE_LIMIT) wordKeys.clear()
    const folded = foldText(written).replace(APOSTROPHES, '')
    // Folding may split what was one written word (a ligature, a stray mark); the first part keys it.
    const word = folded.match(WORDS)?.[0] ?? folded
    k = folded ? wordKey(word) : ''
    const fine = k ? fineKey(word) : ''
    if (fine) k += ' ' + fine
    wordKeys.set(written, k)
  }
  return k
}

/** A description's distinct keys in order of first appearance, each with the first word that gave it. */
export type TextTerms = { keys: string[]; words: string[] }

/**
 * The distinct keys of a description, in order of first appearance.
 * @example textTerms('Shelling on Kafr Hamra: 4 killed').keys // ['sSlng', 'skfr', 'shmr', '#4', 'skld']
 */
export function textTerms(description: string): TextTerms {
  const found = ASCII.test(description) ? description.match(ASCII_WORDS) : description.match(WORDS)
  const keys: string[] = []
  const words: string[] = []
  const seen = new Set<string>()
  for (const w of found ?? []) {
    for (const k of keyOf(w).split(' ')) {
      if (k && !seen.has(k)) {
        seen.add(k)
        keys.push(k)
        words.push(w.replace(APOSTROPHES, ''))
      }
    }
  }
  return { keys, words }
}

/**
 * Pseudo-descriptions every weight starts from: before many descriptions are counted, every word
 * weighs as one said by one description in a hundred, and the counts take over as they grow.
 */
const PRIOR_DOCUMENTS = 1000
const PRIOR_FREQUENCY = 10

/**
 * The keys of the descriptions seen so far, numbered, with how many descriptions have each, and
 * their weights: the inverse document frequency ln(1 + N / df), smoothed by a prior. The weights
 * are recomputed each time the count of descriptions has grown by a tenth, so a comparison costs
 * no logarithm and the same input order gives the same weights.
 */
export class Vocabulary {
  private readonly ids = new Map<string, number>()
  private readonly keys: string[] = []
  private readonly words: string[] = []
  private df = new Uint32Array(1024)
  private idf = new Float64Array(1024)
  private documents = 0
  private nextEpochAt = 1
  /** The weight of a key first seen since the last epoch: as if seen once. */
  private unseenWeight = idf(0, 0)

  /** The sorted, distinct ids of a description's keys, numbering new keys. */
  intern(terms: TextTerms): Int32Array {
    const { keys, words } = terms
    const out = new Int32Array(keys.length)
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!
      let id = this.ids.get(k)
      if (id === undefined) {
        id = this.keys.length
        this.ids.set(k, id)
        this.keys.push(k)
        this.words.push(words[i] ?? k)
        if (id >= this.df.length) {
          const df = new Uint32Array(this.df.length * 2)
          df.set(this.df)
          this.df = df
          const w = new Float64Array(this.idf.length * 2)
          w.set(this.idf)
          this.idf = w
        }
        this.idf[id] = this.unseenWeight
      }
      out[i] = id
    }
    return out.sort()
  }

  /** Counts a description's keys (ids from `intern`). */
  addDocument(ids: Int32Array): void {
    for (const id of ids) this.df[id]!++
    this.documents++
    if (this.documents >= this.nextEpochAt) {
      const n = this.documents
      for (let id = 0; id < this.keys.length; id++) this.idf[id] = idf(n, this.df[id]!)
      this.unseenWeight = idf(n, 1)
      this.nextEpochAt = Math.max(n + 1, Math.ceil(n * 1.1))
    }
  }

  /** A key's weight as of the last epoch. */
  weight(id: number): number {
    return this.idf[id]!
  }

  /** The key an id stands for. */
  keyOf(id: number): string {
    return this.keys[id] ?? ''
  }

  /** Whether an id's key is a number. */
  isNumber(id: number): boolean {
    return this.keys[id]?.startsWith('#') ?? false
  }

  /** The first word seen with an id's key, for explanations. */
  wordOf(id: number): string {
    return this.words[id] ?? ''
  }
}

const idf = (documents: number, frequency: number) => Math.log(1 + (documents + PRIOR_DOCUMENTS) / (frequency + PRIOR_FREQUENCY))

/**
 * The weight of the rarest key two sorted id lists share (0 when they share none): a village's
 * name said by a few reports is strong evidence that two of them tell one event, "killed" is none.
 * `shared` collects the shared ids.
 */
export function rarestShared(vocabulary: Vocabulary, a: Int32Array, b: Int32Array, shared?: number[]): number {
  let i = 0, j = 0, rarest = 0
  while (i < a.length && j < b.length) {
    const x = a[i]!, y = b[j]!
    if (x === y) {
      const w = vocabulary.weight(x)
      if (w > rarest) rarest = w
      shared?.push(x)
      i++
      j++
    } else if (x < y) i++
    else j++
  }
  return rarest
}

/** The share of the keys of the longer of two sorted id lists that the other has too. */
export function keyOverlap(a: Int32Array, b: Int32Array): number {
  let i = 0, j = 0, common = 0
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      common++
      i++
      j++
    } else if (a[i]! < b[j]!) i++
    else j++
  }
  const longest = Math.max(a.length, b.length)
  return longest ? common / longest : 1
}
