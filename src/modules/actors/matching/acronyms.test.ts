// Acronyms: detection, the table of equivalents across scripts, initials generated from names.
import { describe, expect, it } from 'vitest'
import { acronymClass, acronymKeysOf } from './acronyms.ts'
import { analyzeName } from './analyze.ts'
import { compareNames } from './matcher.ts'
import { tokenize } from './normalize.ts'

describe('acronym detection', () => {
  it('reads capitals, capitals with small letters, and letters written apart', () => {
    expect(acronymKeysOf(tokenize('HTS'), 'Latn')).toEqual(['Latn:hts'])
    expect(acronymKeysOf(tokenize('JaN'), 'Latn')).toEqual(['Latn:jan', 'Latn:jn'])
    expect(acronymKeysOf(tokenize('I.S.I.L.'), 'Latn')).toEqual(['Latn:isil'])
    expect(acronymKeysOf(tokenize('ИГИЛ'), 'Cyrl')).toEqual(['Cyrl:игил'])
    expect(acronymKeysOf(tokenize('داعش'), 'Arab')).toEqual(['Arab:داعش'])
  })
  it('does not read a name of several words as one', () => {
    expect(acronymKeysOf(tokenize('Jabhat al-Nusra'), 'Latn')).toEqual([])
    expect(acronymKeysOf(tokenize('Harakat'), 'Latn')).toEqual([])
  })
})

describe('the acronym table', () => {
  it('makes ISIL, ISIS, IS, Daesh, داعش, ДАИШ and ИГИЛ one entry', () => {
    const keys = ['Latn:isil', 'Latn:isis', 'Latn:is', 'Latn:daesh', 'Arab:داعش', 'Cyrl:даиш', 'Cyrl:игил', 'Cyrl:иг'] as const
    expect(new Set(keys.map((k) => acronymClass(k)))).toEqual(new Set(['islamic-state']))
  })
  it('keeps HTS, JFS and JaN apart', () => {
    expect(acronymClass('Latn:hts')).toBe('hts')
    expect(acronymClass('Latn:jfs')).toBe('jfs')
    expect(acronymClass('Latn:jn')).toBe('jan')
  })
  it('matches acronyms of one entry across scripts as automatic', () => {
    expect(compareNames('ДАИШ', 'ISIS').band).toBe('automatic')
    expect(compareNames('ИГИЛ', 'Daesh').band).toBe('automatic')
    expect(compareNames('قسد', 'SDF').band).toBe('automatic')
  })
  it('matches a table acronym with the names it stands for', () => {
    expect(compareNames('HTS', "Hay'at Tahrir al-Sham").band).toBe('automatic')
    expect(compareNames('ИГИЛ', 'Islamic State of Iraq and the Levant').band).toBe('automatic')
    expect(compareNames('Free Syrian Army', 'FSA').band).toBe('automatic')
  })
  it('does not match acronyms of different entries', () => {
    expect(compareNames('HTS', 'JFS').band).toBeNull()
  })
})

describe('initials generated from names', () => {
  it('takes the first letter of each word that carries identity, in the name\'s script', () => {
    expect(analyzeName("Hay'at Tahrir al-Sham").initials).toContain('Latn:hts')
    expect(analyzeName('Jabhat Fateh al-Sham').initials).toContain('Latn:jfs')
    expect(analyzeName('Исламское государство Ирака и Леванта').initials).toContain('Cyrl:игил')
    expect(analyzeName('الدولة الإسلامية في العراق والشام').initials).toContain('Arab:داعش')
  })
  it('also counts the article, as AQAP and JaN do', () => {
    expect(analyzeName('Al-Qaida in the Arabian Peninsula').initials).toContain('Latn:aqap')
    expect(analyzeName('Jabhat al-Nusra').initials).toContain('Latn:jan')
  })
  it('puts an acronym outside the table that equals a name\'s initials in review', () => {
    const r = compareNames('JTJ', "Jama'at al-Tawhid wal-Jihad")
    expect(r.band).toBe('review')
    expect(r.features.some((f) => f.feature === 'acronym')).toBe(true)
  })
})
