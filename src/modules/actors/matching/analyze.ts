// A name taken apart for matching, once: its exact key, its distinctive words with their
// transliteration keys and dictionary meanings, the acronym it is or the initials it has. The
// index keeps this for every registry name; a query is analysed the same way.
import { scriptOf, type Script } from '../actors.types.ts'
import { acronymClass, acronymKeysOf, expansionsOf, type AcronymKey } from './acronyms.ts'
import { coreOfName } from './descriptors.ts'
import { arabicNisba, conceptInitials, conceptOf, conceptWeight, germanCompound, isTranslation, latinLetters, vocalicKeys } from './dictionary.ts'
import { ARTICLES, foldName, isParticle, joinedArticle, PARTICLES, stripArabicArticle, tokenize, trailingArticle, type RawToken } from './normalize.ts'
import { cyrillicPhonetic, germanReading, latinPhonetics, phonetics, skeletonVariants } from './translit.ts'

export type AnalyzedToken = {
  /** As written. */
  raw: string
  /** Folded, Arabic article off. */
  folded: string
  script: Script
  /** The generic term it is, if the dictionary knows it. */
  concept: string | null
  /** The word is a translation of its generic term (English, Russian), not the term itself. */
  translated: boolean
  /** Consonant skeletons, the usual reading first. */
  skeletons: string[]
  /** Vocalic keys, for words written with their vowels (Latin, Cyrillic); empty for Arabic script. */
  vocalics: string[]
  /** How much the word says on its own: the dictionary's weight for a generic term, else 1. */
  weight: number
  /** The key a registry counts the word under ("c:front", "k:nsr"). */
  key: string
  /** The word names where the group is, after "in" / "fi" / "в" ("Al-Qaida in Iraq"), or is a place after "of" ("Islamic State of Iraq"): a branch's place. */
  locative: boolean
  /** The word follows "and" / "wa" / "و" / "и" ("… of Iraq and the Levant", "والشام"): it widens what the name covers. */
  coordinated: boolean
  /**
   * The Latin letters an acronym may use for this word: its own first letter, and for a dictionary
   * word the first letters of its renderings ("Republic" → r; "Народная" → n, p, a …).
   */
  letters: string
  /** The word is an acronym inside a name ("DPR forces", "силы ДНР", "IRGC Quds Force"): its letters in Latin; else null. */
  acronym: string | null
}

/** Two neighbouring words run together ("Nour al-Din" as "Noureddine", "Salah al-Din" as "Salahuddin"). */
export type AnalyzedJoin = {
  /** The index of the first of the two words. */
  at: number
  /** The two words' folded forms run together. */
  folded: string
  skeletons: string[]
  vocalics: string[]
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
  /** Each pair of neighbouring words run together. */
  joins: AnalyzedJoin[]
  /**
   * The name without what reports write around it ("the Islamist group …", "… militia", "(Syria)"),
   * analysed; null when there is nothing around it.
   */
  core: AnalyzedName | null
  /**
   * A table acronym written as one word of a longer name ("ISIS-K", "Daesh Khorasan", "ISIS in the
   * Greater Sahara"): its table entry and the words around it, to read the name with the acronym
   * spelled out; null otherwise.
   */
  acronymWord: { id: string; before: string; after: string } | null
  /**
   * The name carries a bracketed aside of words ("(Gaza)", "(Burkina Faso)"): a qualifier that says
   * which of several groups of one name it is, so its core alone never makes an automatic match.
   */
  qualified: boolean
}

/**
 * A Latin word read without an article written onto it: the dictionary word it then is
 * ("Alislam", "Attawhid", "Jaishul", "Hizbut"), or for a word the dictionary does not know,
 * the rest when it opens on a consonant and is long enough ("Alqaida", "Annusra").
 */
function withoutJoinedArticle(folded: string): { word: string; concept: string | null } | null {
  const lead = joinedArticle(folded)
  if (lead) {
    const concept = conceptOf(lead, 'Latn', latinPhonetics(lead)[0])
    if (concept) return { word: lead, concept }
  }
  const head = trailingArticle(folded)
  if (head) {
    const concept = conceptOf(head, 'Latn', latinPhonetics(head)[0])
    if (concept) return { word: head, concept }
  }
  if (lead && lead.length >= 4 && !/^[aeiou]/.test(lead)) return { word: lead, concept: null }
  return null
}

function analyzeToken(t: RawToken): AnalyzedToken | null {
  const script = scriptOf(t.folded)
  let folded = script === 'Arab' ? stripArabicArticle(t.folded) : t.folded
  if (!folded) return null
  let ph = phonetics(folded, script)
  let concept = conceptOf(folded, script, ph[0])
  const skeletons = new Set<string>()
  let restVocalics: string[] | null = null
  if (script === 'Latn' && concept) {
    // "Eddin", "Addin": a dictionary word with its article on; its skeletons without it too.
    const rest = joinedArticle(folded)
    if (rest && conceptOf(rest, script, latinPhonetics(rest)[0]) === concept) {
      for (const p of phonetics(rest, script)) for (const s of skeletonVariants(p)) skeletons.add(s)
    }
  } else if (script === 'Latn') {
    const joined = withoutJoinedArticle(folded)
    if (joined?.concept) {
      folded = joined.word
      ph = phonetics(folded, script)
      concept = joined.concept
    } else if (joined) {
      // Kept as a second reading: "Alqaida" may be a name that starts with Al.
      const rest = phonetics(joined.word, script)
      for (const p of rest) for (const s of skeletonVariants(p)) skeletons.add(s)
      restVocalics = vocalicKeys(rest[0]!)
    }
  }
  const own = new Set<string>()
  for (const p of ph) for (const s of skeletonVariants(p)) own.add(s)
  // The German press's spelling ("Asow", "Donezk") read as the others write it, last.
  const german = script === 'Latn' ? germanReading(folded) : null
  const germanPh = german ? latinPhonetics(german)[0]! : null
  // A Russian or Ukrainian adjective of a place ("Туркестанская", "Донецкой") read as the place too.
  // The adjective's -ан- / -ий- is not the place's ("Африканский" → Африка, "Ливийская" → Ливия).
  const place = script === 'Cyrl' && !concept ? RUSSIAN_PLACE_ADJECTIVE.exec(folded) : null
  const placeStem = place ? RUSSIAN_ADJECTIVE_SUFFIX.exec(place[1]!) : null
  const placeSkeletons = place
    ? [place[1]!, place[1]! + place[2]!, ...(placeStem ? [placeStem[1]!] : [])].flatMap((w) => skeletonVariants(cyrillicPhonetic(w)))
    : []
  // A plural or nisba ending on a name ("Houthis", "Haqqanis", "Huthiyyun", الحوثيون): the word without it.
  const singular = concept ? null : script === 'Latn' ? latinSingular(folded) : script === 'Arab' ? arabicNisba(folded) : null
  const singularPh = singular ? phonetics(singular, script)[0]! : null
  // A German adjective of a place or people ("Libysche", "Tschetschenische") read as the English
  // one (Libyan, Chechen) and as the place.
  const adjective = script === 'Latn' && !concept && /[iy]sch(?:e|er|en|es|em)?$/.test(folded) ? GERMAN_ADJECTIVE.exec(folded) : null
  // An English adjective of a place in -ian / -yan ("Ukrainian", "Libyan") read as the place too.
  const english = script === 'Latn' && !concept && !adjective ? ENGLISH_ADJECTIVE.exec(folded) : null
  const adjectiveSkeletons = [
    ...(adjective ? [adjective[1]!, `${adjective[1]!}n`] : []), ...(english ? [english[1]!] : []),
  ].flatMap((w) => latinPhonetics(w).slice(0, 1).flatMap(skeletonVariants))
  const ordered = new Set([
    ...own, ...skeletons, ...(germanPh ? skeletonVariants(germanPh) : []), ...placeSkeletons, ...adjectiveSkeletons, ...(singularPh ? skeletonVariants(singularPh) : []),
  ])
  if (ordered.size === 0) ordered.add(folded)
  const vocalics = script === 'Latn' || script === 'Cyrl' ? vocalicKeys(ph[0]!) : []
  if (restVocalics) for (const v of restVocalics) if (!vocalics.includes(v)) vocalics.push(v)
  if (germanPh) for (const v of vocalicKeys(germanPh)) if (!vocalics.includes(v)) vocalics.push(v)
  if (singularPh && script === 'Latn') for (const v of vocalicKeys(singularPh)) if (!vocalics.includes(v)) vocalics.push(v)
  const skeletonList = [...ordered]
  return {
    raw: t.raw, folded, script, concept, translated: concept !== null && isTranslation(folded, script), skeletons: skeletonList, vocalics, weight: concept ? conceptWeight(concept) : 1,
    key: concept ? `c:${concept}` : `k:${skeletonList[0]}`, locative: false, coordinated: false,
    letters: [...new Set((latinLetters(folded)[0] ?? '') + (concept ? conceptInitials(concept) : ''))].join(''),
    acronym: !concept && script !== 'Arab' && ACRONYM_WORD.test(t.raw) ? latinLetters(folded) : null,
  }
}

/** The -ан- / -ий- / -ин- a Russian adjective adds to a place's name, after the place's stem. */
const RUSSIAN_ADJECTIVE_SUFFIX = /^(.{3,}?)(?:ан|ян|й|ин)$/u

/**
 * A Latin word without its plural or nisba-plural ending: "Houthis" → houthi, "Huthiyyun" → huthi,
 * "Haqqanis" → haqqani; null when it has none. Only -is and -es are read so: a name in -as or -us
 * (Hamas, Abbas) keeps its s. The word as written stays the usual reading.
 */
export function latinSingular(folded: string): string | null {
  const nisba = /^(.{3,}?i)(?:yy?un|yy?in|yy?oun|yy?ine)$/.exec(folded)
  if (nisba) return nisba[1]!
  const plural = /^(.{4,}[ie])s$/.exec(folded)
  return plural ? plural[1]! : null
}

/** An English adjective of a place in -ian or -yan: its stem ("ukrainian" → ukrain, "libyan" → liby). */
const ENGLISH_ADJECTIVE = /^(.{3,}?y?)i?an$/

/** A German adjective in -isch: its stem ("libysche" → liby, "syrischen" → syr). */
const GERMAN_ADJECTIVE = /^(.{3,}?)i?sch(?:e|er|en|es|em)?$/

/** A Russian or Ukrainian adjective made of a place name: the place, and its -ск / -цк. */
const RUSSIAN_PLACE_ADJECTIVE = /^(.{4,}?)(ск|цк|ськ|цьк)(?:ий|ый|ая|ое|ие|ого|ой|их|ом|ую|им|ому|ыми|ими|а|і|ої|ій|ого|ому|у|ий)$/u

// "Hezbollah", "Hizbullah", "Ansarullah", "Jundallah", "Хезболла": a dictionary word with Allah
// written onto it.
const LATIN_ALLAH = /^(.{3,}?)(?:[aeou]ll?ahh?|[aeou]lla)$/
const CYRILLIC_ALLAH = /^(.{3,}?)[аоуе]лл(?:ах)?(?:а|ы|е|у|ой|ом)?$/u

/**
 * A word that is a dictionary word with Allah written onto it, as the two words ("Hezbollah" →
 * hizb + Allah, "party" + "God"), or null.
 */
function splitAllah(t: RawToken): [RawToken, RawToken] | null {
  const script = scriptOf(t.folded)
  const m = script === 'Latn' ? LATIN_ALLAH.exec(t.folded) : script === 'Cyrl' ? CYRILLIC_ALLAH.exec(t.folded) : null
  if (!m) return null
  const head = m[1]!
  const concept = conceptOf(head, script, phonetics(head, script)[0])
  if (!concept || concept === 'god') return null
  const cut = head.length
  return [
    { raw: t.raw.slice(0, cut), folded: head },
    { raw: t.raw.slice(cut), folded: script === 'Latn' ? 'allah' : 'аллах' },
  ]
}

/**
 * A long German word made only of dictionary words, as those words ("Volksverteidigungseinheiten"
 * → Volks Verteidigungs Einheiten, "People's Defence Units"), or null.
 */
function splitCompound(t: RawToken): RawToken[] | null {
  if (scriptOf(t.folded) !== 'Latn' || conceptOf(t.folded, 'Latn', latinPhonetics(t.folded)[0])) return null
  return germanCompound(t.folded)?.map((part) => ({ raw: part, folded: part })) ?? null
}

/** Particles after which a name says where the group is: "in", "fi", "dans", "в", "на", "في". */
const LOCATIVES: ReadonlySet<string> = new Set(['in', 'fi', 'dans', 'в', 'во', 'на', 'في'])
/** "Of" before a place the dictionary knows ("Islamic State of Iraq"): that place is where the group is. */
const OF: ReadonlySet<string> = new Set(['of', 'de', 'du', 'des', 'der'])
/** Places the dictionary knows, whose names one group's renderings do not leave out. */
const PLACES: ReadonlySet<string> = new Set(['iraq', 'syria', 'levant', 'lebanon', 'palestine', 'jordan', 'egypt', 'turkey', 'caucasus', 'damascus', 'aleppo', 'golan', 'jerusalem', 'euphrates'])
/** Conjunctions: "and", "wa", "wal", "et", "und", "и", "і", "та", "و". */
const CONJUNCTIONS: ReadonlySet<string> = new Set(['and', 'wa', 'wal', 'waal', 'et', 'und', 'и', 'і', 'та', 'و'])
/**
 * A word of two to five capitals, as acronyms are written ("DPR", "ДНР", "IRGC"), or a lone capital
 * letter, as one word is cut to ("ISIS-K" for Khorasan).
 */
const ACRONYM_WORD = /^\p{Lu}{1,5}$/u

/** A bracketed aside that is a single acronym ("(HTS)") is another name, not a qualifier. */
const ACRONYM_ASIDE = /^[([]\s*[\p{Lu}\d.-]{2,8}\s*[)\]]$/u
/** An ordinal ending written apart from its number ("4-я", "5-й"). */
const ORDINAL_ENDING = /^(?:я|й|го|ая|ый|ой|st|nd|rd|th)$/u

function joinsOf(tokens: readonly AnalyzedToken[]): AnalyzedJoin[] {
  const out: AnalyzedJoin[] = []
  for (let i = 0; i + 1 < tokens.length; i++) {
    const a = tokens[i]!
    const b = tokens[i + 1]!
    if (a.script !== b.script) continue
    const folded = a.folded + b.folded
    const ph = phonetics(folded, a.script)
    const skeletons = [...new Set(ph.flatMap(skeletonVariants))]
    if (!skeletons.length) continue
    out.push({ at: i, folded, skeletons, vocalics: a.script === 'Latn' || a.script === 'Cyrl' ? vocalicKeys(ph[0]!) : [] })
  }
  return out
}

/**
 * The one word of a name of several that is an acronym of the table, written as acronyms are (in
 * capitals, or a capitalised word of four letters or more such as "Daesh"; any Arabic word), or null.
 */
function acronymWordOf(raw: readonly RawToken[]): AnalyzedName['acronymWord'] {
  if (raw.length < 2) return null
  let found: { at: number; id: string } | null = null
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i]!
    const script = scriptOf(t.folded)
    const looksLike = script === 'Arab' || /^\p{Lu}{2,}$/u.test(t.raw) || (/^\p{Lu}/u.test(t.raw) && [...t.raw].length >= 4)
    const id = looksLike ? acronymClass(`${script}:${t.folded.replace(/[^\p{L}]/gu, '')}`) : null
    if (!id) continue
    if (found) return null
    found = { at: i, id }
  }
  if (!found) return null
  const text = (ts: readonly RawToken[]) => ts.map((t) => t.raw).join(' ')
  return { id: found.id, before: text(raw.slice(0, found.at)), after: text(raw.slice(found.at + 1)) }
}

/**
 * The name read with its acronym word spelled out as each name the table gives it ("ISIS-K" →
 * "Islamic State K", …); none for a name without one.
 */
export function spelledOut(a: AnalyzedName): AnalyzedName[] {
  const w = a.acronymWord
  if (!w) return []
  let out = spelledOutCache.get(a.value)
  if (!out) {
    out = expansionsOf(w.id).map((e) => analyzeName(`${w.before} ${e} ${w.after}`.trim()))
    if (spelledOutCache.size > 10_000) spelledOutCache.clear()
    spelledOutCache.set(a.value, out)
  }
  return out
}
const spelledOutCache = new Map<string, AnalyzedName[]>()

const withoutV = (s: string) => (s[0] === 'V' ? s.slice(1) : s)
const initialOf = (folded: string) => [...folded][0] ?? ''

/**
 * Takes a name apart for matching.
 * @example analyzeName('Jabhat al-Nusra').tokens.map((t) => t.concept ?? t.skeletons[0]) // ['front', 'nsr']
 */
export function analyzeName(value: string, withCore = true): AnalyzedName {
  const raw = tokenize(value).flatMap((t) => splitAllah(t) ?? splitCompound(t) ?? [t])
  const script = scriptOf(value)
  let tokens: AnalyzedToken[] = []
  let locative = false
  let coordinated = false
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i]!
    if (LOCATIVES.has(t.folded) && tokens.length > 0) locative = true
    if (CONJUNCTIONS.has(t.folded) && tokens.length > 0) coordinated = true
    // A lone capital after the first word is a word cut to its letter ("ИГИЛ-К"), not a preposition.
    if (isParticle(t.folded) && !(i > 0 && /^\p{Lu}$/u.test(t.raw))) continue
    // "والشام": "and" written onto an Arabic word.
    const coordinatedHere = coordinated || (tokens.length > 0 && /^وال./u.test(t.folded))
    const ofPlace = i > 0 && OF.has(raw[i - 1]!.folded)
    if (i > 0 && /^\d+$/.test(raw[i - 1]!.folded) && ORDINAL_ENDING.test(t.folded)) continue
    // Two words the dictionary knows as one ("Free Men" = freemen = ahrar): read as that word.
    const next = raw[i + 1]
    if (next && !isParticle(next.folded)) {
      const joined = t.folded + next.folded
      if (scriptOf(joined) === 'Latn' && conceptOf(joined, 'Latn', latinPhonetics(joined)[0])) {
        const a = analyzeToken({ raw: `${t.raw} ${next.raw}`, folded: joined })
        if (a?.concept) {
          tokens.push({ ...a, locative, coordinated: coordinatedHere })
          coordinated = false
          i++
          continue
        }
      }
    }
    const a = analyzeToken(t)
    if (a && (!PARTICLES.has(a.folded) || (i > 0 && /^\p{Lu}$/u.test(t.raw)))) {
      tokens.push({ ...a, locative: locative || (ofPlace && a.concept !== null && PLACES.has(a.concept)), coordinated: coordinatedHere })
      coordinated = false
    }
  }
  // A name made only of particles ("The Base" is not one, but "IS" nearly is) keeps them all.
  if (tokens.length === 0) tokens = raw.map(analyzeToken).filter((a): a is AnalyzedToken => a !== null)
  // A name written in capitals ("JABHAT AL NUSRA") has no acronyms among its words.
  if (raw.some((t) => /^\p{Lu}{6,}$/u.test(t.raw))) tokens = tokens.map((t) => (t.acronym ? { ...t, acronym: null } : t))

  const concat = tokens.map((t) => withoutV(t.skeletons[0]!)).join('')
  const concatVocalic = tokens.length > 0 && tokens.every((t) => t.vocalics.length > 0) ? tokens.map((t) => t.vocalics[0]!).join('') : null

  // "the PKK": an acronym after an article is still one; a word after it ("ИГИЛ-К") is not an article.
  const leading = raw.findIndex((t) => !isParticle(t.folded))
  const words = leading < 0 ? [] : raw.slice(leading)
  const acronyms = acronymKeysOf(words.length ? words : raw, script)
  const initials: AcronymKey[] = []
  if (tokens.length >= 2 && tokens.length <= 8) {
    initials.push(`${script}:${tokens.map((t) => initialOf(t.folded)).join('')}`)
    // With the article's letter too, as in AQAP (Al-Qaida in the Arabian Peninsula) or JaN. Arabic
    // writes its article onto the word and its acronyms (داعش) leave it out.
    const withArticles = script === 'Arab' ? '' : raw.filter((t) => ARTICLES.has(t.folded) || !isParticle(t.folded)).map((t) => initialOf(t.folded)).join('')
    if (withArticles && `${script}:${withArticles}` !== initials[0]) initials.push(`${script}:${withArticles}`)
  }
  const acronymClasses = [...new Set([...acronyms, ...initials].map(acronymClass).filter((c): c is string => c !== null))]
  const coreValue = withCore ? coreOfName(value) : null
  const core = coreValue ? analyzeName(coreValue, false) : null
  return {
    value, script, exact: foldName(value), tokens, concat, concatVocalic, acronyms, initials, acronymClasses, joins: joinsOf(tokens),
    core: core && core.tokens.length ? core : null,
    acronymWord: acronymWordOf(raw),
    qualified: [...value.matchAll(/[([][^()[\]]*[)\]]/g)].some((m) => !ACRONYM_ASIDE.test(m[0]) && /\p{L}/u.test(m[0])),
  }
}
