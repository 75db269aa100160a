// Description keys: numbers by value in any digits, words by consonant skeleton in any script,
// articles and particles out; and word weights that fall as a word becomes common.
import { describe, expect, it } from 'vitest'
import { fineKey, keyOverlap, rarestShared, textTerms, Vocabulary } from './text.ts'

const keys = (s: string) => textTerms(s).keys

describe('textTerms', () => {
  it('keys numbers by value, whatever the digits', () => {
    expect(keys('4 killed')).toContain('#4')
    expect(keys('مقتل ٤ أشخاص')).toContain('#4')
    expect(keys('04')).toEqual(['#4'])
  })

  it('meets one place name across spellings and scripts', () => {
    const latin = keys('Kafr Hamra'), other = keys('Kfar Hamrah'), arabic = keys('كفر حمرة'), russian = keys('Кафр Хамра')
    for (const k of [other, arabic, russian]) expect(k).toEqual(latin)
  })

  it('leaves out articles and particles, and repeats', () => {
    expect(keys('the shelling of al-Bab and the shelling')).toEqual(keys('shelling Bab'))
    expect(keys('في الباب')).toEqual(keys('الباب'))
  })

  it('tells apart short names that share a skeleton, in every script, by a fine key', () => {
    const darayya = keys('Darayya')
    for (const k of [keys('Daraiya'), keys('داريا'), keys('Дарайя')]) expect(k).toEqual(darayya)
    expect(darayya).toEqual(['sdr', 'fdry'])
    expect(keys('Daraa')).toEqual(['sdr'])
    expect(keys('Dayr')).toEqual(['sdr', 'fdyr'])
    expect(keys('Duma')).toEqual(keys('دوما'))
    expect(keys('Duma')).not.toEqual(keys('Dam'))
    // A longer skeleton is rare enough by itself.
    expect(fineKey('idlib')).toBe('')
  })

  it('keeps the first written form of each word for explanations', () => {
    // One word per key: a short word's fine key repeats it.
    expect([...new Set(textTerms("Hay'at Tahrir").words)]).toEqual(['Hayat', 'Tahrir'])
  })
})

describe('Vocabulary', () => {
  it('weighs a word by how rare it is among the descriptions counted', () => {
    const v = new Vocabulary()
    const common = v.intern(textTerms('killed'))
    const before = v.weight(common[0]!)
    for (let i = 0; i < 2000; i++) v.addDocument(v.intern(textTerms(`killed in village${i}`)))
    const rare = v.intern(textTerms('village7'))
    expect(v.weight(common[0]!)).toBeLessThan(before / 2)
    expect(v.weight(rare[0]!)).toBeGreaterThan(3 * v.weight(common[0]!))
  })

  it('finds the rarest word two descriptions share, and how much of their words they share', () => {
    const v = new Vocabulary()
    for (let i = 0; i < 40; i++) v.addDocument(v.intern(textTerms(`Kafr shelling ${i}`)))
    const a = v.intern(textTerms('shelling Kafr Hamra')), b = v.intern(textTerms('Kafr Hamra shelled'))
    const shared: number[] = []
    expect(rarestShared(v, a, b, shared)).toBe(v.weight(v.intern(textTerms('Hamra'))[0]!))
    expect(shared.map((id) => v.wordOf(id)).sort()).toEqual(['Hamra', 'Kafr'])
    expect(rarestShared(v, a, v.intern(textTerms('Aleppo')))).toBe(0)
    expect(keyOverlap(a, b)).toBeCloseTo(2 / 3, 10)
  })
})
