// Transliteration keys: where "Джебхат ан-Нусра", "Dzhebhat al-Nusra", "Jabhat al-Nusrah" and
// "جبهة النصرة" meet. Every word, whatever its script, becomes a phonetic string in one small
// alphabet built for Arabic names as Latin, Russian and Arabic writers spell them:
//
//   vowels a (a e), i (i), u (o u); consonants b t s j h d z r S(=sh) f k g l m n w y
//
// Sounds the spellings disagree on are merged: ث/th/s → s, ذ ظ/dh/z → z, ج/j/dj/dzh/zh/дж → j,
// ح ه خ/h/kh/х → h, ق ك/q/k/к → k, غ/gh/g → g, ش/sh/ch/ш → S, v/в → w, p → b. ʿayn and hamza vanish.
//
// From the phonetic string come two keys:
// - the consonant skeleton: no vowels, w/y only at the start, "V" for a word opening on a vowel,
//   doubled letters once, trailing h dropped (ة, -ah, -eh, and ح/ه which Latin cannot tell
//   apart). Arabic script writes no short vowels, so this is where Arabic meets the others:
//   جبهة → jb, Jabhat → jbht | jb (the construct "-at" is also tried without its t).
// - the vocalic key, for two vowelled spellings (Latin, Cyrillic): the phonetic string with y → i,
//   w → u, repeated letters once, trailing h and a final a dropped: nusrah, nusra, нусра → nusr.
//   Vowels are what transliterations disagree on most, so score.ts compares these keys with
//   vowels at half cost and lets them count for less than the skeleton.
import type { Script } from '../actors.types.ts'

const ARABIC_PHONETIC: Record<string, string> = {
  'ا': 'a', 'ب': 'b', 'ت': 't', 'ث': 's', 'ج': 'j', 'ح': 'h', 'خ': 'h', 'د': 'd', 'ذ': 'z', 'ر': 'r',
  'ز': 'z', 'س': 's', 'ش': 'S', 'ص': 's', 'ض': 'd', 'ط': 't', 'ظ': 'z', 'ع': '', 'غ': 'g', 'ف': 'f',
  'ق': 'k', 'ك': 'k', 'ل': 'l', 'م': 'm', 'ن': 'n', 'ه': 'h', 'و': 'w', 'ي': 'y',
  'پ': 'b', 'چ': 'S', 'ژ': 'j', 'گ': 'g', 'ڤ': 'w',
}

// Cyrillic straight to the phonetic alphabet, never through Latin digraphs ("Фатх" is f-a-t-h, not "th").
const CYRILLIC_PHONETIC: Record<string, string> = {
  'а': 'a', 'б': 'b', 'в': 'w', 'г': 'g', 'д': 'd', 'е': 'a', 'ж': 'j', 'з': 'z', 'и': 'i', 'й': 'y',
  'к': 'k', 'л': 'l', 'м': 'm', 'н': 'n', 'о': 'u', 'п': 'b', 'р': 'r', 'с': 's', 'т': 't', 'у': 'u',
  'ф': 'f', 'х': 'h', 'ц': 'ts', 'ч': 'S', 'ш': 'S', 'щ': 'S', 'ъ': '', 'ы': 'i', 'ь': '', 'э': 'a',
  'ю': 'u', 'я': 'a', 'і': 'i', 'ї': 'i', 'є': 'a', 'ґ': 'g', 'ў': 'w',
}
const CYRILLIC_VOWELS = new Set(['а', 'е', 'и', 'о', 'у', 'ы', 'э', 'ю', 'я', 'ь', 'ъ'])

// Longest first. Ambiguous digraphs (th, sh, dh) also read as two letters: see latinPhonetics.
const LATIN_DIGRAPHS: [string, string][] = [
  // German press: "Dschabhat", "Tschetschenien".
  ['dsch', 'j'], ['tsch', 'S'],
  ['dzh', 'j'], ['sch', 'S'], ['tch', 'S'],
  ['dj', 'j'], ['zh', 'j'], ['kh', 'h'], ['gh', 'g'], ['sh', 'S'], ['ch', 'S'], ['th', 's'], ['dh', 'z'],
  ['ph', 'f'], ['ck', 'k'], ['ou', 'u'], ['oo', 'u'], ['ee', 'i'],
]
const LATIN_SINGLE: Record<string, string> = {
  'a': 'a', 'e': 'a', 'i': 'i', 'o': 'u', 'u': 'u', 'y': 'y', 'w': 'w',
  'q': 'k', 'c': 'k', 'x': 'ks', 'v': 'w', 'p': 'b',
}
const AMBIGUOUS = new Set(['th', 'sh', 'dh'])

const isVowel = (c: string) => c === 'a' || c === 'i' || c === 'u'

/**
 * A folded Latin word as phonetic strings: the first reads th/sh/dh as one sound (ث ش ذ), the
 * others (at most three more) read them as two letters ("Fath" is ف ت ح, "Ishaq" is إ س ح ا ق).
 */
export function latinPhonetics(word: string): string[] {
  let variants = ['']
  for (let i = 0; i < word.length;) {
    let matched = false
    for (const [from, to] of LATIN_DIGRAPHS) {
      if (word.startsWith(from, i)) {
        const split = AMBIGUOUS.has(from) && variants.length < 4
          ? variants.map((v) => v + (LATIN_SINGLE[from[0]!] ?? from[0]!) + 'h')
          : []
        variants = [...variants.map((v) => v + to), ...split]
        i += from.length
        matched = true
        break
      }
    }
    if (matched) continue
    const c = word[i]!
    const mapped = c >= 'a' && c <= 'z' ? (LATIN_SINGLE[c] ?? c) : /\p{N}/u.test(c) ? c : ''
    variants = variants.map((v) => v + mapped)
    i++
  }
  return variants
}

/**
 * A folded Latin word as the German press writes Russian and Arabic names, respelled the way the
 * other Latin spellings write it, or null when it has nothing German about it (sch, w, tz, a final
 * -ow, z before a consonant): w → v, z before a consonant → ts, s between vowels → z (German
 * writes з as s and с as ss there), j before a vowel → y, ei → ai, ie → i, a final -ow / -ew → -ov ("Asow" is
 * Azov, "Donezk" Donetsk, "Sewastopol" Sevastopol).
 * @example germanReading('asow') === 'azov'
 */
export function germanReading(word: string): string | null {
  if (!/sch|w|ow$|ew$|tz|z[^aeiouyz]/.test(word) || /zh|dz|sh|kh|ts/.test(word)) return null
  const out = word
    .replace(/(ow|ew)$/, (m) => `${m[0]}v`)
    .replace(/w/g, 'v')
    .replace(/tz/g, 'ts')
    .replace(/z(?=[^aeiouyz])/g, 'ts')
    .replace(/([aeiou])s(?=[aeiou])/g, '$1z')
    .replace(/(^|[^d])j(?=[aeiou])/g, '$1y')
    .replace(/ei/g, 'ai')
    .replace(/ie/g, 'i')
  return out === word ? null : out
}

/** A folded Arabic word (articles already off) as a phonetic string; an initial ʿayn reads as a vowel. */
export function arabicPhonetic(word: string): string {
  let out = ''
  for (let i = 0; i < word.length; i++) {
    const c = word[i]!
    if (c === 'ع' && i === 0) out += 'a'
    else out += ARABIC_PHONETIC[c] ?? (/\p{N}/u.test(c) ? c : '')
  }
  return out
}

/** A folded Cyrillic word as a phonetic string: дж → j, я/ю/е after a vowel or at the start keep their y. */
export function cyrillicPhonetic(word: string): string {
  let out = ''
  for (let i = 0; i < word.length; i++) {
    const c = word[i]!
    if (c === 'д' && word[i + 1] === 'ж') { out += 'j'; i++; continue }
    if ((c === 'я' || c === 'ю') && (i === 0 || CYRILLIC_VOWELS.has(word[i - 1]!))) { out += 'y' }
    out += CYRILLIC_PHONETIC[c] ?? (/\p{N}/u.test(c) ? c : '')
  }
  return out
}

/** The phonetic strings of a folded word in its script, first the usual reading. */
export function phonetics(word: string, script: Script): string[] {
  switch (script) {
    case 'Arab': return [arabicPhonetic(word)]
    case 'Cyrl': return [cyrillicPhonetic(word)]
    case 'Latn': return latinPhonetics(word)
    default: return [word]
  }
}

/** Same letter twice in a row, once ("izza" → "iza", shadda written out). */
const undouble = (s: string) => s.replace(/(.)\1+/g, '$1')

function dropTrailingH(s: string): string {
  let end = s.length
  while (end > 1 && s[end - 1] === 'h') end--
  return s.slice(0, end)
}

/**
 * The consonant skeleton of a phonetic string: "V" if it opens on a vowel, then its consonants
 * (w and y only as the first letter), doubled letters once, trailing h dropped.
 * @example skeleton('jabhah') === 'jb'; skeleton('ahrar') === 'Vhrr'
 */
export function skeleton(phonetic: string): string {
  const p = undouble(phonetic)
  if (!p) return ''
  let out = isVowel(p[0]!) ? 'V' : (p[0] === 'w' || p[0] === 'y') ? p[0] : ''
  for (let i = out ? 1 : 0; i < p.length; i++) {
    const c = p[i]!
    if (isVowel(c) || c === 'w' || c === 'y') continue
    out += c
  }
  out = dropTrailingH(out)
  return out
}

/**
 * The skeletons a phonetic string may stand for: its own, and for a word ending in vowel + t (the
 * Arabic construct state, "Jabhat", "Harakat", "Hay'at") the same without that t, which is how
 * the word's ة appears when written in Arabic or on its own.
 */
export function skeletonVariants(phonetic: string): string[] {
  const out = [skeleton(phonetic)]
  if (/[aiu]t$/.test(phonetic) && phonetic.length > 3) out.push(skeleton(phonetic.slice(0, -1)))
  return [...new Set(out.filter(Boolean))]
}

/**
 * The vocalic key: the phonetic string with y → i, w → u, repeats once, trailing h dropped, and a
 * final a (ة as -a/-ah/-e, the Russian -а ending) dropped when three letters remain.
 * @example vocalic('nusrah') === 'nusr'; vocalic('jaysh') === 'jaiS'
 */
export function vocalic(phonetic: string): string {
  let p = undouble(dropTrailingH(undouble(phonetic.replace(/y/g, 'i').replace(/w/g, 'u'))))
  if (p.length > 3 && p.endsWith('a')) p = p.slice(0, -1)
  return p
}

// A readable Latin rendering for explanations; not a standard, just what an analyst can read.
const ARABIC_READABLE: Record<string, string> = {
  'ا': 'a', 'ب': 'b', 'ت': 't', 'ث': 'th', 'ج': 'j', 'ح': 'h', 'خ': 'kh', 'د': 'd', 'ذ': 'dh', 'ر': 'r',
  'ز': 'z', 'س': 's', 'ش': 'sh', 'ص': 's', 'ض': 'd', 'ط': 't', 'ظ': 'z', 'ع': "'", 'غ': 'gh', 'ف': 'f',
  'ق': 'q', 'ك': 'k', 'ل': 'l', 'م': 'm', 'ن': 'n', 'ه': 'h', 'و': 'w', 'ي': 'y',
}
const CYRILLIC_READABLE: Record<string, string> = {
  'а': 'a', 'б': 'b', 'в': 'v', 'г': 'g', 'д': 'd', 'е': 'e', 'ж': 'zh', 'з': 'z', 'и': 'i', 'й': 'y',
  'к': 'k', 'л': 'l', 'м': 'm', 'н': 'n', 'о': 'o', 'п': 'p', 'р': 'r', 'с': 's', 'т': 't', 'у': 'u',
  'ф': 'f', 'х': 'kh', 'ц': 'ts', 'ч': 'ch', 'ш': 'sh', 'щ': 'shch', 'ъ': '', 'ы': 'y', 'ь': '', 'э': 'e',
  'ю': 'yu', 'я': 'ya',
}

/**
 * A folded text in Latin letters for people to read (Arabic consonantal, Russian BGN-like).
 * @example readableLatin('джебхат ан-нусра') === 'dzhebkhat an-nusra'
 */
export function readableLatin(folded: string): string {
  let out = ''
  for (const c of folded) out += ARABIC_READABLE[c] ?? CYRILLIC_READABLE[c] ?? c
  return out
}
