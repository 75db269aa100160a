// What reports write around a group's name: taken off for one more reading, never more than that.
import { describe, expect, it } from 'vitest'
import { coreOfName } from './descriptors.ts'
import { compareNames } from './matcher.ts'

describe('the name without what reports write around it', () => {
  it('takes off a leading descriptor up to its noun, a marker or a "-backed"', () => {
    expect(coreOfName('the Islamist group Ahrar al-Sham')).toBe('Ahrar al Sham')
    expect(coreOfName('so-called Islamic State')).toBe('Islamic State')
    expect(coreOfName('pro-government militia National Defence Forces')).toBe('National Defence Forces')
    expect(coreOfName('Iranian-backed Liwa Fatemiyoun')).toBe('Liwa Fatemiyoun')
    // Only up to the "-backed": "Syrian" is part of this name.
    expect(coreOfName('Turkish-backed Syrian National Army')).toBe('Syrian National Army')
  })
  it('takes off a trailing descriptor, and an English "group" last', () => {
    expect(coreOfName('Hezbollah militia')).toBe('Hezbollah')
    expect(coreOfName('Free Syrian Army rebels')).toBe('Free Syrian Army')
    expect(coreOfName('Islamic State group')).toBe('Islamic State')
  })
  it('takes off bracketed asides', () => {
    expect(coreOfName('Jabhat al-Nusra (Syria)')).toBe('Jabhat al Nusra')
    expect(coreOfName("Hay'at Tahrir al-Sham (HTS)")).toBe('Hayat Tahrir al Sham')
  })
  it('reads Russian and Arabic reports the same way', () => {
    expect(coreOfName('террористическая группировка «Джебхат ан-Нусра» (запрещена в РФ)')).toBe('Джебхат ан Нусра')
    expect(coreOfName('так называемое Исламское государство')).toBe('Исламское государство')
    expect(coreOfName('تنظيم داعش الإرهابي')).toBe('داعش')
  })
  it("takes a leader's possessive off, but not a generic word's", () => {
    expect(coreOfName("Commander Nadim's Eastern Brigade")).toBe('Eastern Brigade')
    expect(coreOfName("Abu Omar's Falcons of the Desert")).toBe('Falcons of the Desert')
    expect(coreOfName("People's Protection Units")).toBeNull()
    expect(coreOfName("Women's Defence Units")).toBeNull()
  })
  it('takes off German and Russian words for rebels and a "-based" or "-controlled"', () => {
    expect(coreOfName('Zaidi-Rebellen')).toBe('Zaidi')
    expect(coreOfName('Nairobi-based Desert Falcons')).toBe('Desert Falcons')
    expect(coreOfName('повстанцы Юга')).toBe('Юга')
    // An unknown word between the article and a descriptor describes the group too.
    expect(coreOfName('the Zorani militant group Jaish al-Karama')).toBe('Jaish al Karama')
    expect(coreOfName('the Nairobi-based Desert Falcons')).toBe('Desert Falcons')
  })
  it('leaves names alone that only contain such words, or have nothing around them', () => {
    expect(coreOfName('Jabhat al-Nusra')).toBeNull()
    expect(coreOfName('Syrian Democratic Forces')).toBeNull()
    expect(coreOfName('Guardians of Religion Organization')).toBeNull()
    expect(coreOfName('Salvation Government')).toBeNull()
    expect(coreOfName('(HTS)')).toBeNull()
  })
  it('puts a described name in automatic, but not as an exact hit', () => {
    const r = compareNames('the Islamist group Ahrar al-Sham', 'Ahrar al-Sham')
    expect(r).toMatchObject({ band: 'automatic', exact: false })
    expect(r.score).toBeLessThan(0.99)
    expect(compareNames('Hezbollah militia', 'Hezbollah').band).toBe('automatic')
  })
  it('never takes the asides off both names: one name of two branches stays apart', () => {
    expect(compareNames('Ansar al-Sharia (Libya)', 'Ansar al-Sharia (Tunisia)').band).not.toBe('automatic')
  })
})
