// The transliteration keys: where the Arabic, Russian and English spellings of one name meet, and
// where different names stay apart.
import { describe, expect, it } from 'vitest'
import { analyzeName } from './analyze.ts'
import { foldText, stripArabicArticle } from './normalize.ts'
import { arabicPhonetic, cyrillicPhonetic, latinPhonetics, readableLatin, skeleton, skeletonVariants, vocalic } from './translit.ts'

/** Every skeleton a single word may have, whatever its script. */
function skeletonsOf(word: string): string[] {
  const t = analyzeName(word).tokens[0]!
  return t.skeletons
}
const meet = (a: string, b: string) => skeletonsOf(a).some((s) => skeletonsOf(b).includes(s))

describe('phonetic strings', () => {
  it('reads Arabic letters into the shared alphabet, an initial ʿayn as a vowel', () => {
    expect(arabicPhonetic(stripArabicArticle(foldText('النصرة')))).toBe('nsrh')
    expect(arabicPhonetic(foldText('جيش'))).toBe('jyS')
    expect(arabicPhonetic(foldText('عزة'))).toBe('azh')
  })
  it('reads Russian дж as j, х as h, ш as S, and keeps я/ю apart from a consonant', () => {
    expect(cyrillicPhonetic('джебхат')).toBe('jabhat')
    expect(cyrillicPhonetic('хайят')).toBe('hayat')
    expect(cyrillicPhonetic('ярмук')).toBe('yarmuk')
  })
  it('reads Latin th/sh/dh both as one sound and as two letters', () => {
    expect(latinPhonetics('fath')).toEqual(['fas', 'fath'])
    expect(latinPhonetics('dzhebhat')).toEqual(['jabhat'])
    expect(latinPhonetics('sham')).toEqual(['Sam', 'sham'])
    expect(latinPhonetics('kataib')).toEqual(['kataib'])
  })
})

describe('skeleton and vocalic keys', () => {
  it('keeps consonants, marks an opening vowel, drops trailing h', () => {
    expect(skeleton('jabhah')).toBe('jb')
    expect(skeleton('ahrar')).toBe('Vhrr')
    expect(skeleton('yarmuk')).toBe('yrmk')
    expect(skeleton('izza')).toBe('Vz')
    expect(skeleton('aziz')).toBe('Vzz')
  })
  it('tries a construct -at without its t', () => {
    expect(skeletonVariants('jabhat')).toEqual(['jbht', 'jb'])
    expect(skeletonVariants(latinPhonetics('levant')[0]!)).toEqual(['lnt'])
  })
  it('gives vowelled spellings one vocalic key', () => {
    expect(vocalic('nusrah')).toBe('nusr')
    expect(vocalic('nusra')).toBe('nusr')
    expect(vocalic(latinPhonetics('jaysh')[0]!)).toBe('jaiS')
    expect(vocalic(latinPhonetics('jaysh')[0]!)).toBe(vocalic(latinPhonetics('jeish')[0]!))
    expect(vocalic(latinPhonetics('islami')[0]!)).not.toBe(vocalic(latinPhonetics('islam')[0]!))
  })
})

describe('meeting points', () => {
  it('Джебхат ан-Нусра, Dzhebhat al-Nusra, Jabhat al-Nusrah and جبهة النصرة share their keys', () => {
    const forms = ['Джебхат ан-Нусра', 'Dzhebhat al-Nusra', 'Jabhat al-Nusrah', 'جبهة النصرة', 'Jabhet al-Nusra', 'Jebhat al-Nosra']
    const keys = forms.map((f) => analyzeName(f).tokens.map((t) => t.concept ?? t.skeletons[0]).join(' '))
    expect(new Set(keys)).toEqual(new Set(['front support']))
  })
  it('the word nusra meets across scripts by skeleton, not only by dictionary', () => {
    expect(meet('Нусра', 'Nusrah')).toBe(true)
    expect(meet('النصرة', 'Nusra')).toBe(true)
    expect(meet('Nosra', 'النصرة')).toBe(true)
  })
  it('proper names meet across scripts', () => {
    expect(meet('Ярмук', 'Yarmouk')).toBe(true)
    expect(meet('اليرموك', 'Yarmuk')).toBe(true)
    expect(meet('Халид', 'Khalid')).toBe(true)
    expect(meet('خالد', 'Khaled')).toBe(true)
    expect(meet('Зенки', 'Zinki')).toBe(true)
    expect(meet('الزنكي', 'Zenki')).toBe(true)
    expect(meet('Хезболла', 'Hizballah')).toBe(true)
    expect(meet('Мусанна', 'Muthanna')).toBe(true)
  })
  it('a word split by a Latin digraph still meets its Arabic letters ("Fath" is ف ت ح)', () => {
    expect(meet('Fath', 'فتح')).toBe(true)
    expect(meet('Fateh', 'فتح')).toBe(true)
  })
  it('a construct "-at" meets the word written with ة', () => {
    expect(meet('Katibat', 'كتيبة')).toBe(true)
  })
  it('different words stay apart', () => {
    expect(meet('Islam', 'Salam')).toBe(false)
    expect(meet('Izza', 'Aziz')).toBe(false)
    expect(meet('Ahrar', 'Hurras')).toBe(false)
  })
  it('renders folded Arabic and Cyrillic readably for explanations', () => {
    expect(readableLatin('джебхат ан-нусра')).toBe('dzhebkhat an-nusra')
    expect(readableLatin(foldText('جيش'))).toBe('jysh')
  })
})
