// Normalisation of actor names before matching: Unicode and case folding, Arabic and Cyrillic
// letter folding, Latin diacritics, tokenisation, and the articles and particles a name's meaning
// does not depend on ("al-", "аль-", "ال", "of the"). Each step is its own function so it can be
// tested alone; `foldName` chains them into the exact-match key.

/** NFKC then a case fold: ligatures and full-width forms become plain letters, letters lower case. */
export function foldCase(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/ß/g, 'ss').replace(/ς/g, 'σ')
}

// Harakat, Quranic annotation marks, superscript alef; tatweel; invisible direction marks and joiners.
const ARABIC_MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u061C\u200B-\u200F\u2066-\u2069]/g
const ARABIC_LETTERS: Record<string, string> = {
  'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ٲ': 'ا', 'ٳ': 'ا',
  'ى': 'ي', 'ی': 'ي', 'ې': 'ي', 'ئ': 'ي',
  'ة': 'ه', 'ۀ': 'ه', 'ە': 'ه',
  'ؤ': 'و', 'ک': 'ك', 'ء': '',
  '،': ',', '؛': ';', '؟': '?',
}
const ARABIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g

/**
 * Arabic folding: drops diacritics (harakat), tatweel and direction marks; alef forms أ إ آ ٱ → ا;
 * ى → ي; ة → ه; hamza carriers ؤ → و, ئ → ي, a lone ء is dropped; Persian ک ی → ك ي; Arabic-Indic
 * digits → ASCII.
 * @example foldArabic('جَبْهَةُ النُّصْرَةِ') === 'جبهه النصره'
 */
export function foldArabic(s: string): string {
  return s
    .replace(ARABIC_MARKS, '')
    .replace(/[أإآٱٲٳىیېئةۀەؤکء،؛؟]/g, (c) => ARABIC_LETTERS[c] ?? c)
    .replace(ARABIC_DIGITS, (d) => String((d.codePointAt(0)! - (d >= '\u06F0' ? 0x06F0 : 0x0660))))
}

/** Cyrillic folding: ё → е (Russian writes both for one sound and most texts omit the dots). */
export function foldCyrillic(s: string): string {
  return s.replace(/ё/g, 'е').replace(/Ё/g, 'Е')
}

const LATIN_SPECIAL: Record<string, string> = { 'ø': 'o', 'đ': 'd', 'ð': 'd', 'ł': 'l', 'æ': 'ae', 'œ': 'oe', 'ı': 'i', 'þ': 'th', 'ħ': 'h' }

/**
 * Latin diacritics off (é → e, ï → i, ş → s, ḥ → h), leaving other scripts' marks alone (Cyrillic й
 * keeps its breve).
 */
export function stripLatinMarks(s: string): string {
  return s
    // Turkish and Kurdish ş and ç are sh and ch ("Şah" is Shah, "Çeçen" Chechen), not s and c.
    .replace(/[şș]/g, 'sh').replace(/ç/g, 'ch')
    .normalize('NFD')
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .normalize('NFC')
    .replace(/[øđðłæœıþħ]/g, (c) => LATIN_SPECIAL[c] ?? c)
}

// Apostrophes, ʿayn and hamza signs inside transliterations: "Hay'at", "Qa’ida", "Daʿesh".
const APOSTROPHES = /['’‘ʼʻʿʾ`´ʹ′]/g

/** Every fold in order: NFKC + case, Arabic, Cyrillic, Latin marks. Punctuation is left in place. */
export function foldText(s: string): string {
  return stripLatinMarks(foldCyrillic(foldArabic(foldCase(s))))
}

/** A word of a name as written and as folded. */
export type RawToken = { raw: string; folded: string }

/**
 * Splits a name into words on spaces, hyphens and punctuation. Apostrophes inside a word are
 * dropped ("Hay'at" → "hayat"); a French elision ("l'Ouest", "d'Afrique") is a word of its own.
 */
export function tokenize(value: string): RawToken[] {
  const out: RawToken[] = []
  for (const part of value.normalize('NFKC').split(/[^\p{L}\p{N}\p{M}'’‘ʼʻʿʾ`´ʹ′]+/u)) {
    if (!part) continue
    const elision = /^([ldLD])['’ʼ](\p{L}.*)$/u.exec(part)
    const pieces = elision ? [elision[1]!, elision[2]!] : [part]
    for (const p of pieces) {
      const raw = p.replace(APOSTROPHES, '')
      if (!raw) continue
      out.push({ raw, folded: foldText(raw) })
    }
  }
  return out
}

/**
 * The exact-match key: every fold, apostrophes dropped, punctuation and hyphens as single spaces.
 * "Jabhat al-Nusra" and "JABHAT AL NUSRA" share it; "Jabhat an-Nusra" does not (that is the
 * transliteration keys' job).
 */
export function foldName(value: string): string {
  return tokenize(value).map((t) => t.folded).join(' ')
}

/** Latin and Cyrillic definite articles, written apart or hyphenated: al-, el-, ad-, an-, ash-, … аль-, ан-, аш-. */
export const ARTICLES: ReadonlySet<string> = new Set([
  'al', 'el', 'il', 'ul', 'ol',
  'ad', 'adh', 'an', 'ar', 'as', 'ash', 'at', 'ath', 'az', 'ats',
  'ed', 'edh', 'en', 'er', 'es', 'esh', 'et', 'eth', 'ez',
  // French transliteration: "Ahrar ech-Cham", "Jabhat ach-Cham"; German: "Ansar asch-Scharia".
  'ech', 'ach', 'asch', 'esch',
  'ud', 'un', 'ur', 'us', 'ush', 'ut', 'uz',
  'аль', 'ал', 'эль', 'ад', 'ан', 'ар', 'ас', 'аш', 'ат', 'аз', 'ас', 'уль', 'ад', 'ат', 'ац', 'ат',
  'ед', 'эд', 'эн', 'эр', 'эс', 'эш', 'эт', 'эз',
])

/**
 * Particles that carry no identity: English and French function words, transliterated Arabic ones
 * ("fi", "wa", "li"), Persian/Urdu izafa ("-e-", "-i-"), Russian prepositions and conjunctions,
 * Arabic ones written apart (في، و، من).
 */
export const PARTICLES: ReadonlySet<string> = new Set([
  'the', 'of', 'for', 'in', 'and', 'a', 'to', 'on', 'by', 'from', 'with', 'its',
  'de', 'du', 'des', 'la', 'le', 'les', 'l', 'd', 'et', 'pour', 'au', 'aux', 'dans',
  'fi', 'fee', 'wa', 'wal', 'waal', 'wa-l', 'li', 'lil', 'bi', 'bil', 'min', 'w', 'e', 'i', 'y', 'o', 'u',
  'и', 'в', 'во', 'на', 'за', 'для', 'по', 'из', 'от', 'с', 'со', 'к', 'ко', 'о', 'об', 'ли', 'фи', 'ва', 'валь', 'валь',
  'في', 'و', 'من', 'على', 'عن', 'الى', 'الي', 'ل', 'ب', 'ف',
])

const ARABIC_ARTICLE = /^(?:[وفبك]?ال|لل)(?=.{2,})/u

/**
 * Arabic article stripping: ال (with a clitic و ف ب ك in front, or لل for li + al) comes off a
 * word of three letters or more after it; الله stays whole (it is one word, "Allah").
 * @example stripArabicArticle('والشام') === 'شام'
 */
export function stripArabicArticle(word: string): string {
  if (word === 'الله' || word === 'لله' || word === 'والله') return 'الله'
  return word.replace(ARABIC_ARTICLE, '')
}

/**
 * A Latin word with an article written onto it, the word without it, or null: "alislam" → "islam",
 * and the article assimilated to a sun letter, which doubles it: "attawhid" → "tawhid",
 * "ashsham" → "sham", "arrahman" → "rahman". The caller decides whether the rest is a word (a
 * dictionary word, or long enough not to be a coincidence: "Assad" is not "as-Sad").
 * @example joinedArticle('annusra') === 'nusra'
 */
export function joinedArticle(folded: string): string | null {
  const sun = /^[ae](sh|th|dh|[tdrzsn])\1(.+)$/.exec(folded)
  if (sun) return sun[1]! + sun[2]!
  const al = /^(?:al|el|ul)(.{3,})$/.exec(folded)
  return al ? al[1]! : null
}

/**
 * A Latin word with an article written after it, as South Asian and some Arabic spellings join the
 * construct to the next word ("Jaishul Islam", "Hizbut Tahrir", "Ansarul"): the word without it,
 * or null; French spelling writes the u as ou ("Ansaroul"). Only worth reading when the rest is a
 * dictionary word.
 * @example trailingArticle('jaishul') === 'jaish'; trailingArticle('ansaroul') === 'ansar'
 */
export function trailingArticle(folded: string): string | null {
  const french = /^(.{3,})ou[lt]$/.exec(folded)
  if (french) return french[1]!
  const m = /^(.{3,})(?:ul|ut|ud|us|un|ur|uz|ush)$/.exec(folded)
  return m ? m[1]! : null
}

/** True when a folded word is an article or a particle on its own. */
export function isParticle(folded: string): boolean {
  return ARTICLES.has(folded) || PARTICLES.has(folded)
}
