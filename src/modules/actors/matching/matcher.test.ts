// The matcher as its callers see it: scores and bands, hard negatives, dates, judgements, the
// index kept in step with the registry, and explanations.
import { describe, expect, it } from 'vitest'
import type { NameKind } from '../actors.types.ts'
import { scriptOf } from '../actors.types.ts'
import { analyzeName } from './analyze.ts'
import { bandOf, buildMatchIndex, compareNames, dateStatusOf, matchName, scoreName, type RegistryName } from './matcher.ts'

let seq = 0
/** A registry name; the actor and dates as given, the rest filled in. */
function nameOf(actorId: string, value: string, extra: Partial<RegistryName> = {}): RegistryName {
  return {
    actorId, nameId: `${actorId}/${seq++}`, value, kind: 'name' as NameKind, lang: null, script: scriptOf(value),
    validFrom: null, validTo: null, ...extra,
  }
}

/** Jabhat al-Nusra → Jabhat Fateh al-Sham → Hay'at Tahrir al-Sham, one actor with dated names; and neighbours. */
function registry() {
  return buildMatchIndex([
    nameOf('hts', 'Jabhat al-Nusra', { validFrom: '2012-01-23', validTo: '2016-07-28' }),
    nameOf('hts', 'Jabhat Fateh al-Sham', { kind: 'previous_name', validFrom: '2016-07-28', validTo: '2017-01-28' }),
    nameOf('hts', "Hay'at Tahrir al-Sham", { validFrom: '2017-01-28' }),
    nameOf('hts', 'HTS', { kind: 'abbreviation', validFrom: '2017-01-28' }),
    nameOf('hts', 'QDe.137', { isReference: true }),
    nameOf('jaysh-islam', 'Jaysh al-Islam'),
    nameOf('jaysh-fatah', 'Jaysh al-Fatah'),
    nameOf('jaysh-izza', 'Jaysh al-Izza'),
    nameOf('jaysh-nasr', 'Jaysh al-Nasr'),
    nameOf('ahrar', 'Ahrar al-Sham'),
    nameOf('ahrar', 'Harakat Ahrar al-Sham al-Islamiyya', { kind: 'alias' }),
    nameOf('isil', 'Islamic State', { validFrom: '2014-06-29' }),
    nameOf('zenki', 'Nour al-Din al-Zenki Movement'),
  ])
}

describe('bands', () => {
  it('cuts at 0.95, 0.70 and 0.50', () => {
    expect(bandOf(1)).toBe('automatic')
    expect(bandOf(0.95)).toBe('automatic')
    expect(bandOf(0.949)).toBe('review')
    expect(bandOf(0.7)).toBe('review')
    expect(bandOf(0.69)).toBe('possible')
    expect(bandOf(0.5)).toBe('possible')
    expect(bandOf(0.49)).toBeNull()
  })
  it('gives 1.0 only to an exact hit and caps every other reading at 0.99', () => {
    expect(compareNames('JABHAT AL-NUSRA', 'Jabhat al-Nusra')).toMatchObject({ score: 1, exact: true, band: 'automatic' })
    expect(compareNames('Jabhat an-Nusra', 'Jabhat al-Nusra')).toMatchObject({ score: 0.99, exact: false, band: 'automatic' })
  })
  it('puts the cross-script spellings of one name in automatic', () => {
    for (const q of ['Джебхат ан-Нусра', 'Dzhebhat al-Nusra', 'Jabhat al-Nusrah', 'جبهة النصرة', 'Фронт ан-Нусра', 'Al-Nusra Front']) {
      expect([q, compareNames(q, 'Jabhat al-Nusra').band]).toEqual([q, 'automatic'])
    }
    expect(compareNames('Хайят Тахрир аш-Шам', "Hay'at Tahrir al-Sham").band).toBe('automatic')
    expect(compareNames('هيئة تحرير الشام', "Hay'at Tahrir al-Sham").band).toBe('automatic')
    expect(compareNames('Армия ислама', 'Jaysh al-Islam').band).toBe('automatic')
  })
  it('puts a name with words added or left out in review', () => {
    expect(compareNames('Jabhat al-Nusra li-Ahl al-Sham', 'Jabhat al-Nusra').band).toBe('review')
    expect(compareNames('Tahrir al-Sham', "Hay'at Tahrir al-Sham").band).toBe('review')
  })
})

describe('Latin spelling variants', () => {
  const auto = (a: string, b: string) => expect([a, b, compareNames(a, b).band]).toEqual([a, b, 'automatic'])
  it('takes the same words under another article as all but exact', () => {
    expect(compareNames('Jaysh el-Izza', 'Jaysh al-Izza').score).toBe(0.99)
    expect(compareNames('Ahrar ech-Cham', 'Ahrar al-Sham').score).toBe(0.99)
    expect(compareNames('The Islamic State', 'Islamic State').score).toBe(0.99)
  })
  it('takes a short word spelt with its letters doubled or a final h as the same word', () => {
    auto('Jaysh al-Izzah', 'Jaysh al-Izza')
    auto('Jaysh al-Iza', 'Jaysh al-Izza')
  })
  it('reads an article joined to a word, before or after it', () => {
    auto('Jaysh Alislam', 'Jaysh al-Islam')
    auto('Jaishul Islam', 'Jaysh al-Islam')
    auto('Jaysh Attawhid', 'Jaysh al-Tawhid')
    auto('Ahrar Ashsham', 'Ahrar al-Sham')
    auto('Jabhat Alnusra', 'Jabhat al-Nusra')
    auto('Alqaida', 'Al-Qaida')
  })
  it('matches translations through two-word dictionary terms and new generic words', () => {
    expect(compareNames('Free Men of the Levant', 'Ahrar al-Sham').score).toBeGreaterThanOrEqual(0.7)
    expect(compareNames('Emigrants and Supporters Army', 'Jaysh al-Muhajireen wal-Ansar').score).toBeGreaterThanOrEqual(0.7)
  })
})

describe('hard negatives', () => {
  it('keeps groups that share only a generic word out of the results', () => {
    expect(compareNames('Jaysh al-Islam', 'Jaysh al-Fatah').band).toBeNull()
    expect(compareNames('Jaysh al-Islam', 'Jaysh al-Izza').band).toBeNull()
    expect(compareNames('Jaysh al-Fatah', 'Jaysh al-Izza').band).toBeNull()
    expect(compareNames('Ahrar al-Sham', 'Ahrar al-Sharqiya').band).toBeNull()
  })
  it('keeps groups sharing a proper word below automatic', () => {
    const below = (a: string, b: string) => expect([a, b, compareNames(a, b).score < 0.95]).toEqual([a, b, true])
    below('Al-Qaida in Iraq', 'Al-Qaida in the Arabian Peninsula')
    below('Jaysh al-Nasr', 'Jabhat al-Nusra')
    below('Jabhat Fateh al-Sham', 'Jaysh al-Fatah')
    below('Free Syrian Army', 'Syrian Arab Army')
    below("Kata'ib Hizballah", 'Hezbollah')
    below('Ansar Dine', 'Jabhat Ansar al-Din')
  })
  it('keeps unit words a translation would blur apart when both are Arabic words', () => {
    expect(compareNames('Saraya al-Quds', 'Liwa al-Quds').score).toBeLessThan(0.7)
    // An English "brigades" may render kata'ib.
    expect(compareNames('Hezbollah Brigades', "Kata'ib Hizballah").score).toBeGreaterThanOrEqual(0.7)
  })
  it('keeps two Arabic words of one meaning apart, but not two spellings of one word', () => {
    // Jund and Ajnad both translate as "soldiers"; they are different groups' words.
    expect(compareNames('Ajnad al-Sham', 'Jund al-Sham').score).toBeLessThan(0.7)
    expect(compareNames('Soldiers of the Levant', 'Jund al-Sham').band).toBe('automatic')
    expect(compareNames('Hurras Addin', 'Hurras al-Din').band).toBe('automatic')
    expect(compareNames('Liwa Suqur al-Sham', 'Alwiyat Suqur al-Sham').band).toBe('automatic')
  })
  it('tells Ansar al-X and Jund al-X from Jaysh al-X', () => {
    expect(compareNames('Ansar al-Sunna', 'Jaysh al-Sunna').score).toBeLessThan(0.7)
    expect(compareNames('Jund al-Aqsa', 'Jaysh al-Aqsa').score).toBeLessThan(0.7)
  })
  it('lowers names that disagree on the kind of group', () => {
    const r = compareNames('Quds Force', 'Liwa al-Quds')
    expect(r.band).not.toBe('automatic')
    expect(r.features.some((f) => f.detail.startsWith('different kinds of group'))).toBe(true)
    expect(compareNames('Jaysh Tahrir al-Sham', "Hay'at Tahrir al-Sham").score).toBeLessThan(compareNames('Tahrir al-Sham', "Hay'at Tahrir al-Sham").score)
  })
})

describe('translations and words run together', () => {
  const atLeast = (a: string, b: string, min: number) => expect([a, b, compareNames(a, b).score >= min]).toEqual([a, b, true])
  it('matches the English, French and Russian translations groups are known by', () => {
    atLeast('Army of Glory', 'Jaysh al-Izza', 0.95)
    atLeast('Армия славы', 'Jaysh al-Izza', 0.95)
    atLeast('Party of God', 'Hezbollah', 0.95)
    atLeast('Партия Аллаха', 'Hezbollah', 0.95)
    atLeast('Parti de Dieu', 'Hezbollah', 0.95)
    atLeast("Armée de l'Islam", 'Jaysh al-Islam', 0.95)
    atLeast('Army of the Nation', 'Jaysh al-Umma', 0.95)
    atLeast('Mahdi Army', 'Jaysh al-Mahdi', 0.95)
    atLeast('Revolutionary Commando Army', 'Maghawir al-Thawra', 0.7)
    atLeast('Army of the Free', 'Jaysh al-Ahrar', 0.7)
    atLeast('Levant Front', 'Jabhat al-Shamiya', 0.7)
  })
  it('reads a word with Allah written onto it as the two words', () => {
    expect(analyzeName('Hezbollah').tokens.map((t) => t.concept)).toEqual(['party', 'god'])
    expect(analyzeName('Бригады Хезболлы').tokens.map((t) => t.concept)).toEqual(['brigade', 'party', 'god'])
    expect(analyzeName('Abdullah').tokens.map((t) => t.concept)).toEqual([null])
    atLeast('Hizbullah', 'Hezbollah', 0.95)
    atLeast('Ansarullah', 'Ansar Allah', 0.95)
  })
  it('reads one word against two of the other name run together', () => {
    atLeast('Noureddine al-Zenki', 'Nour al-Din al-Zenki Movement', 0.7)
    atLeast('Нуреддин аз-Зенки', 'Nour al-Din al-Zenki Movement', 0.7)
  })
  it('matches a numbered unit however the number is written', () => {
    for (const q of ['5th Corps', 'Пятый корпус', 'الفيلق الخامس', 'al-Faylaq al-Khamis']) atLeast(q, 'Fifth Corps', 0.95)
    atLeast('13th Division', 'Division 13', 0.95)
    expect(compareNames('Division 13', 'Division 30').band).toBeNull()
    expect(compareNames('Fifth Corps', 'Fourth Corps').band).toBeNull()
  })
})

describe('names inside names', () => {
  const below = (a: string, b: string) => expect([a, b, compareNames(a, b).score < 0.7]).toEqual([a, b, true])
  it('tells a branch named by its place from the group', () => {
    below('Al-Qaida in Iraq', 'Al-Qaida')
    below('Islamic State in Libya', 'Islamic State')
    below('Аль-Каида на Аравийском полуострове', 'Al-Qaida')
    expect(compareNames('Islamic Army of Iraq', 'Islamic Army in Iraq').band).not.toBeNull()
  })
  it('tells a name of generic words from a name that adds to it', () => {
    below('Hezbollah', "Kata'ib Hizballah")
    below('Islamic Front', 'Syrian Islamic Front')
    below('Syrian Islamic Front', 'Syrian Islamic Liberation Front')
    // A filler word added is the same name.
    expect(compareNames('Syrian Army', 'Syrian Arab Army').score).toBeGreaterThanOrEqual(0.7)
    // A name with a word of its own keeps its short forms.
    expect(compareNames('Suqur al-Sham', 'Suqour al-Sham Brigades').score).toBeGreaterThanOrEqual(0.7)
  })
  it('keeps the land and its adjective apart unless a translation blurs them', () => {
    below('Jabhat Fateh al-Sham', 'Jabhat al-Shamiya')
  })
  it('lowers two names of one person under different unit words', () => {
    below('Liwa Khalid ibn al-Walid', 'Jaysh Khalid ibn al-Walid')
  })
})

describe('matchName', () => {
  it('returns one candidate per actor, its best name, with the evidence', () => {
    const [top, ...rest] = matchName(registry(), { name: 'Джебхат ан-Нусра' })
    expect(top).toMatchObject({ actorId: 'hts', band: 'automatic', matchedName: { value: 'Jabhat al-Nusra' } })
    expect(rest.every((c) => c.actorId !== 'hts')).toBe(true)
    expect(top!.features.map((f) => f.feature)).toEqual(expect.arrayContaining(['token_overlap', 'dictionary']))
    expect(top!.features.find((f) => f.feature === 'dictionary')!.detail).toContain('front')
    // A proper name is compared by its letters, and the explanation shows how each script was read.
    const [zenki] = matchName(registry(), { name: 'Движение Нур ад-Дин аз-Зинки' })
    expect(zenki).toMatchObject({ actorId: 'zenki' })
    expect(zenki!.features.map((f) => f.feature)).toEqual(expect.arrayContaining(['token_overlap', 'dictionary', 'skeleton', 'transliteration']))
  })
  it('leaves out what scores below 0.50 and honours the limit', () => {
    const index = registry()
    expect(matchName(index, { name: 'Jaysh al-Islam' }).map((c) => c.actorId)).toEqual(['jaysh-islam'])
    expect(matchName(index, { name: 'Jaysh', limit: 2 }).length).toBeLessThanOrEqual(2)
    expect(matchName(index, { name: '' })).toEqual([])
  })
  it('answers an exact reference hit as automatic and never matches references loosely', () => {
    const index = registry()
    expect(matchName(index, { name: 'qde.137' })[0]).toMatchObject({ actorId: 'hts', score: 1, band: 'automatic' })
    expect(matchName(index, { name: 'QDe.138' })).toEqual([])
  })
  it('puts an exact hit on a weak alias in review', () => {
    const index = buildMatchIndex([nameOf('aqi', 'Al-Qaida in Iraq'), nameOf('aqi', 'al-Tawhid', { kind: 'weak_alias' })])
    const [c] = matchName(index, { name: 'al-Tawhid' })
    expect(c).toMatchObject({ actorId: 'aqi', score: 0.94, band: 'review' })
    expect(c!.features.map((f) => f.feature)).toContain('weak_alias')
  })
  it('finds an actor through an acronym it holds or the table knows', () => {
    expect(matchName(registry(), { name: 'ХТШ' })[0]).toMatchObject({ actorId: 'hts', band: 'automatic' })
    expect(matchName(registry(), { name: 'ИГИЛ' })[0]).toMatchObject({ actorId: 'isil' })
  })
})

describe('dates', () => {
  it('places a date against a half-open validity', () => {
    const v = { validFrom: '2016-07-28', validTo: '2017-01-28' }
    expect(dateStatusOf(v, '2016-07-27')).toBe('came_into_use_later')
    expect(dateStatusOf(v, '2016-07-28')).toBe('valid')
    expect(dateStatusOf(v, '2017-01-27')).toBe('valid')
    expect(dateStatusOf(v, '2017-01-28')).toBe('no_longer_in_use')
    expect(dateStatusOf(v, undefined)).toBe('valid')
    expect(dateStatusOf({ validFrom: null, validTo: null }, '1990-01-01')).toBe('valid')
  })
  it('flags a name that only came into use after the date', () => {
    const [c] = matchName(registry(), { name: "Hay'at Tahrir al-Sham", at: '2016-03-01' })
    expect(c).toMatchObject({ actorId: 'hts', dateStatus: 'came_into_use_later', cameIntoUseLater: true })
    expect(c!.features.find((f) => f.feature === 'date')!.detail).toContain('came into use later')
    const [now] = matchName(registry(), { name: "Hay'at Tahrir al-Sham", at: '2018-03-01' })
    expect(now).toMatchObject({ dateStatus: 'valid', cameIntoUseLater: false })
  })
  it('says when a name is no longer in use', () => {
    const [c] = matchName(registry(), { name: 'Jabhat al-Nusra', at: '2018-03-01' })
    expect(c).toMatchObject({ actorId: 'hts', dateStatus: 'no_longer_in_use', cameIntoUseLater: false })
  })
  it('ranks a name valid at the date first within a band', () => {
    const index = buildMatchIndex([
      nameOf('old', 'Jaysh al-Islam', { validTo: '2013-01-01' }),
      nameOf('new', 'Jaish al-Islam', { validFrom: '2013-09-29' }),
    ])
    const at2016 = matchName(index, { name: 'Jaysh al-Islam', at: '2016-01-01' })
    expect(at2016.map((c) => [c.actorId, c.band])).toEqual([['new', 'automatic'], ['old', 'automatic']])
    expect(at2016[1]!.score).toBeGreaterThan(at2016[0]!.score)
    const at2012 = matchName(index, { name: 'Jaysh al-Islam', at: '2012-01-01' })
    expect(at2012.map((c) => c.actorId)).toEqual(['old', 'new'])
  })
  it('represents an actor by the name valid at the date', () => {
    const index = buildMatchIndex([
      nameOf('a', 'Liwa al-Tawhid', { validTo: '2014-01-01' }),
      nameOf('a', 'Liwa at-Tawheed', { validFrom: '2014-01-01' }),
    ])
    expect(matchName(index, { name: 'Liwa al-Tawhid', at: '2015-01-01' })[0]!.matchedName.value).toBe('Liwa at-Tawheed')
    expect(matchName(index, { name: 'Liwa al-Tawhid', at: '2013-01-01' })[0]!.matchedName.value).toBe('Liwa al-Tawhid')
  })
})

describe('judgements', () => {
  it('drops an actor an analyst judged not the same', () => {
    const index = registry()
    const blocked = new Set(['hts'])
    const got = matchName(index, { name: 'Jabhat al-Nusra' }, { blocked: (id) => blocked.has(id) })
    expect(got.some((c) => c.actorId === 'hts')).toBe(false)
  })
  it('makes an actor an analyst judged the same automatic, and says so', () => {
    const [c] = matchName(registry(), { name: 'Tahrir al-Sham' }, { confirmed: (id) => id === 'hts' })
    expect(c).toMatchObject({ actorId: 'hts', score: 1, band: 'automatic' })
    expect(c!.features[0]!.feature).toBe('judgement')
  })
})

describe('the index as the registry changes', () => {
  it('adds, replaces and removes names', () => {
    const index = buildMatchIndex([nameOf('a', 'Liwa al-Quds')])
    expect(index.size).toBe(1)
    const added = nameOf('b', 'Faylaq al-Rahman')
    index.add(added)
    expect(matchName(index, { name: 'Файлак ар-Рахман' })[0]?.actorId).toBe('b')
    index.add({ ...added, value: 'Faylaq al-Sham' })
    expect(index.size).toBe(2)
    expect(matchName(index, { name: 'Файлак ар-Рахман' })).toEqual([])
    expect(index.remove(added.nameId)).toBe(true)
    expect(index.remove(added.nameId)).toBe(false)
    expect(matchName(index, { name: 'Faylaq al-Sham' })).toEqual([])
    expect(index.actorCount).toBe(1)
  })
  it('stays correct after many removals compact it', () => {
    const names = Array.from({ length: 3000 }, (_, i) => nameOf(`x${i}`, `Katibat Shuhada ${i}`))
    const index = buildMatchIndex([...names, nameOf('keep', 'Liwa Shuhada al-Yarmouk')])
    for (const n of names) index.remove(n.nameId)
    expect(index.size).toBe(1)
    expect(matchName(index, { name: 'Лива Шухада аль-Ярмук' })[0]?.actorId).toBe('keep')
  })
  it('scores a query against one held name, whatever the score', () => {
    const target = nameOf('jaysh-fatah', 'Jaysh al-Fatah')
    const index = buildMatchIndex([target])
    const s = scoreName(index, 'Jaysh al-Islam', target.nameId)!
    expect(s.band).toBeNull()
    expect(s.score).toBeGreaterThan(0)
    expect(scoreName(index, 'x', 'no such name')).toBeNull()
  })
})
