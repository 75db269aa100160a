// A name taken apart for matching, once: its exact key, its distinctive words with their
// transliteration keys and dictionary meanings, the acronym it is or the initials it has. The
// index keeps this for every registry name; a query is analysed the same way.
import { scriptOf, type Script } from '../actors.types.ts'
import { acronymClass, acronymKeysOf, type AcronymKey } from './acronyms.ts'
import { conceptOf, conceptWeight, vocalicKeys } from './dictionary.ts'
import { ARTICLES, foldName, isParticle, PARTICLES, stripArabicArticle, tokenize, type RawToken } from './normalize.ts'
import { phonetics, skeletonVariants } from './translit.ts'

export type AnalyzedToken = {
  /** As written. */
  raw: string
  /** Folded, Arabic article off. */
  folded: string
  script: Script
  /** The generic term it is, if the dictionary knows it. */
  concept: string | null
  /** Consonant skeletons, the usual reading first. */
  skeletons: string[]
  /** Vocalic keys, for words written with their vowels (Latin, Cyrillic); empty for Arabic script. */
  vocalics: string[]
  /** How much the word says on its own: the dictionary's weight for a generic term, else 1. */
  weight: number
  /** The key a registry counts the word under ("c:front", "k:nsr"). */
  key: string
}

export type AnalyzedName = {
  value: string
  script: Script
  /** The exact-match key (foldName). */
  exact: string
  /** The words that carry identity: no articles, no particles. */
  tokens: AnalyzedToken[]
  /** Every word's usual skeleton run together, for names split differently ("Hizballah" / "Hizb Allah"). */
  concat: string
  /** Every word's vocalic key run together, when every word has one. */
  concatVocalic: string | null
  /** This name read as an acronym ("HTS" → Latn:hts). */
  acronyms: AcronymKey[]
  /** This name's initials ("Free Syrian Army" → Latn:fsa), for names of two words or more. */
  initials: AcronymKey[]
  /** The acronym-table entries its acronym or initials belong to. */
  acronymClasses: string[]
}

function analyzeToken(t: RawToken): AnalyzedToken | null {
  const script = scriptOf(t.folded)
  const folded = script === 'Arab' ? stripArabicArticle(t.folded) : t.folded
  if (!folded) return null
  const ph = phonetics(folded, script)
  const concept = conceptOf(folded, script, ph[0])
  const skeletons = new Set<string>()
  for (const p of ph) for (const s of skeletonVariants(p)) skeletons.add(s)
  // "Alqaida", "Aljawlani": an article written onto the word.
  if (script === 'Latn' && !concept && /^(al|el)[^aeiou]/.test(folded) && folded.length >= 6) {
    for (const p of phonetics(folded.slice(2), script)) for (const s of skeletonVariants(p)) skeletons.add(s)
  }
  if (skeletons.size === 0) skeletons.add(folded)
  const vocalics = script === 'Latn' || script === 'Cyrl' ? vocalicKeys(ph[0]!) : []
  const skeletonList = [...skeletons]
  return {
    raw: t.raw, folded, script, concept, skeletons: skeletonList, vocalics, weight: concept ? conceptWeight(concept) : 1,
    key: concept ? `c:${concept}` : `k:${skeletonList[0]}`,
  }
}

const withoutV = (s: string) => (s[0] === 'V' ? s.slice(1) : s)
const initialOf = (folded: string) => [...folded][0] ?? ''

/**
 * Takes a name apart for matching.
 * @example analyzeName('Jabhat al-Nusra').tokens.map((t) => t.concept ?? t.skeletons[0]) // ['front', 'nsr']
 */
export function analyzeName(value: string): AnalyzedName {
  const raw = tokenize(value)
  const script = scriptOf(value)
  let tokens: AnalyzedToken[] = []
  for (const t of raw) {
    if (isParticle(t.folded)) continue
    const a = analyzeToken(t)
    if (a && !PARTICLES.has(a.folded)) tokens.push(a)
  }
  // A name made only of particles ("The Base" is not one, but "IS" nearly is) keeps them all.
  if (tokens.length === 0) tokens = raw.map(analyzeToken).filter((a): a is AnalyzedToken => a !== null)

  const concat = tokens.map((t) => withoutV(t.skeletons[0]!)).join('')
  const concatVocalic = tokens.length > 0 && tokens.every((t) => t.vocalics.length > 0) ? tokens.map((t) => t.vocalics[0]!).join('') : null

  const acronyms = acronymKeysOf(raw, script)
  const initials: AcronymKey[] = []
  if (tokens.length >= 2 && tokens.length <= 8) {
    initials.push(`${script}:${tokens.map((t) => initialOf(t.folded)).join('')}`)
    // With the article's letter too, as in AQAP (Al-Qaida in the Arabian Peninsula) or JaN. Arabic
    // writes its article onto the word and its acronyms (داعش) leave it out.
    const withArticles = script === 'Arab' ? '' : raw.filter((t) => ARTICLES.has(t.folded) || !isParticle(t.folded)).map((t) => initialOf(t.folded)).join('')
    if (withArticles && `${script}:${withArticles}` !== initials[0]) initials.push(`${script}:${withArticles}`)
  }
  const acronymClasses = [...new Set([...acronyms, ...initials].map(acronymClass).filter((c): c is string => c !== null))]
  return { value, script, exact: foldName(value), tokens, concat, concatVocalic, acronyms, initials, acronymClasses }
}
