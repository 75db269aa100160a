// The dictionary of generic terms: one meaning for a word in every script and form it comes in.
import { describe, expect, it } from 'vitest'
import { analyzeName } from './analyze.ts'
import { arabicNisba, checkDictionary, conceptOf, conceptSimilarity, FAMILY_SIMILARITY, isTranslation, numberOf } from './dictionary.ts'
import { foldText } from './normalize.ts'

/** The meaning the dictionary gives a one-word name, as the matcher sees the word. */
const meaning = (word: string) => analyzeName(word).tokens[0]?.concept ?? null

describe('the generic-terms dictionary', () => {
  it('loads with no word meaning two things', () => {
    expect(() => checkDictionary()).not.toThrow()
  })

  it.each([
    ['front', ['front', 'Jabhat', 'jabha', 'Jabhet', 'Jebhat', 'Djebhat', 'جبهة', 'الجبهة', 'фронт', 'Фронта', 'Джебхат', 'Джабхат']],
    ['army', ['army', 'Jaysh', 'Jaish', 'Jeish', 'جيش', 'الجيش', 'армия', 'армии', 'Армией', 'Джейш', 'Джаиш']],
    ['brigade', ['brigade', 'brigades', 'Liwa', 'Liwaa', 'لواء', 'ألوية', 'бригада', 'бригады', 'Лива']],
    ['battalion', ['battalions', 'Kataib', "Kata'ib", 'Katibat', 'كتائب', 'كتيبة', 'батальоны', 'Катаиб']],
    ['movement', ['movement', 'Harakat', 'Haraka', 'حركة', 'движение', 'движения', 'Харакат']],
    ['liberation', ['liberation', 'Tahrir', 'تحرير', 'освобождение', 'освобождения', 'Тахрир']],
    ['levant', ['Levant', 'Sham', 'الشام', 'Шам', 'Шама', 'Леванта']],
    ['state', ['state', 'Dawla', 'Dawlat', 'الدولة', 'государство', 'государства', 'Даула']],
    ['islamic', ['Islamic', 'Islamiyya', 'al-Islamiya', 'الإسلامية', 'إسلامي', 'исламская', 'Исламского']],
    ['conquest', ['conquest', 'Fath', 'Fateh', 'Fatah', 'فتح', 'Фатх', 'завоевания']],
    ['organization', ['committee', 'organization', "Hay'at", 'Hayat', 'Hayet', 'هيئة', 'Хайят', 'Хейят', 'комитет', 'организация']],
    ['freemen', ['Ahrar', 'أحرار', 'Ахрар']],
    ['free', ['free', 'Hurr', 'الحر', 'свободная']],
    ['supporters', ['supporters', 'Ansar', 'أنصار', 'Ансар', 'сторонники']],
    ['men', ['men', 'Rijal', 'رجال']],
    ['soldiers', ['soldiers', 'Jund', 'Ajnad', 'جند', 'أجناد', 'Джунд']],
  ])('knows %s in every script', (concept, words) => {
    for (const w of words) expect([w, meaning(w)]).toEqual([w, concept])
  })

  it('reads a clitic ل or و written onto an Arabic word', () => {
    expect(meaning('لأهل')).toBe('people')
    expect(meaning('وجيش')).toBe('army')
  })

  it('keeps words apart that only look alike', () => {
    expect(meaning('Islam')).toBe('islam')
    expect(meaning('Islami')).toBe('islamic')
    expect(meaning('Nasr')).toBe('victory')
    // Nusra is "support", another word from the same root.
    expect(meaning('Nusra')).toBe('support')
    expect(meaning('Shamiya')).toBe('levantine')
    expect(meaning('Sham')).toBe('levant')
    expect(meaning('Hurras')).toBe('guardians')
    expect(meaning('Sharqiya')).toBe('east')
    expect(meaning('Zenki')).toBeNull()
  })

  it('relates meanings of one family partly, others not at all', () => {
    expect(conceptSimilarity('brigade', 'brigade')).toBe(1)
    expect(conceptSimilarity('brigade', 'battalion')).toBe(FAMILY_SIMILARITY)
    expect(conceptSimilarity('army', 'front')).toBe(0)
  })

  it('relates meanings of one family only through a translation', () => {
    expect(conceptSimilarity('brigade', 'battalion', false)).toBe(0)
    expect(conceptSimilarity('brigade', 'brigade', false)).toBe(1)
  })

  it('tells a translation of a generic term from the term transliterated', () => {
    expect(isTranslation('brigades', 'Latn')).toBe(true)
    expect(isTranslation('army', 'Latn')).toBe(true)
    expect(isTranslation('liwa', 'Latn')).toBe(false)
    expect(isTranslation('kataib', 'Latn')).toBe(false)
    expect(isTranslation('бригада', 'Cyrl')).toBe(true)
    expect(isTranslation('армия', 'Cyrl')).toBe(true)
    expect(isTranslation('лива', 'Cyrl')).toBe(false)
    expect(isTranslation('джейш', 'Cyrl')).toBe(false)
    expect(isTranslation('لواء', 'Arab')).toBe(false)
  })

  it('knows the emigrants, descendants and the Prophet of group names', () => {
    expect(meaning('Muhajireen')).toBe('emigrants')
    expect(meaning('Emigrants')).toBe('emigrants')
    expect(meaning('مهاجرين')).toBe('emigrants')
    expect(meaning('Ahfad')).toBe('descendants')
    expect(meaning('Grandsons')).toBe('descendants')
    expect(meaning('Rasul')).toBe('prophet')
    expect(meaning('Levantine')).toBe('levantine')
    expect(meaning('Mujahideen')).toBe('mujahideen')
  })

  it('knows more words groups name themselves with, in English, French and Russian too', () => {
    expect(meaning('Izza')).toBe('glory')
    expect(meaning('Glory')).toBe('glory')
    expect(meaning('славы')).toBe('glory')
    expect(meaning('Shabaab')).toBe('youth')
    expect(meaning('Ashair')).toBe('tribes')
    expect(meaning('Umma')).toBe('nation')
    expect(meaning('Nukhba')).toBe('elite')
    expect(meaning('Qaida')).toBe('base')
    expect(meaning('Asaib')).toBe('league')
    expect(meaning('Dieu')).toBe('god')
    expect(meaning('Légion')).toBe('corps')
    expect(meaning('гвардия')).toBe('guardians')
    expect(meaning('Quds')).toBe('jerusalem')
    expect(meaning('Furat')).toBe('euphrates')
    expect(meaning('Евфрат')).toBe('euphrates')
    // "Revolutionary" is of the revolution (thawra), "revolutionaries" are thuwar.
    expect(meaning('Revolutionary')).toBe('revolution')
    expect(meaning('Revolutionaries')).toBe('revolutionaries')
    // A short English word is read only as written: "Cote" is French for a coast, "Kut" a town.
    expect(meaning('Kut')).toBeNull()
    expect(meaning('Sunna')).toBeNull()
  })

  it('reads numbers and ordinals in every script as one meaning', () => {
    for (const w of ['5', '5th', 'fifth', 'cinquième', 'Khamis', 'الخامس', 'الخامسة', 'пятый', 'Пятая']) expect([w, meaning(w)]).toEqual([w, 'n:5'])
    expect(numberOf('13th', 'Latn')).toBe(13)
    expect(numberOf('١٣', 'Arab')).toBeNull()
    expect(numberOf('третья', 'Cyrl')).toBe(3)
    expect(numberOf('пятница', 'Cyrl')).toBeNull()
    expect(conceptSimilarity('n:5', 'n:4')).toBe(0)
  })

  it('relates some families more closely than others', () => {
    expect(conceptSimilarity('levant', 'levantine')).toBe(0.9)
    expect(conceptSimilarity('levant', 'levantine', false)).toBe(0)
    expect(conceptSimilarity('brigade', 'division')).toBe(FAMILY_SIMILARITY)
    expect(conceptSimilarity('free', 'freemen')).toBe(0.8)
  })

  it('knows the words Syrian groups name themselves with: commandos, knights, dawn, sword, shield …', () => {
    expect(meaning('Maghawir')).toBe('commandos')
    expect(meaning('Commando')).toBe('commandos')
    expect(meaning('Fursan')).toBe('knights')
    expect(meaning('Fajr')).toBe('dawn')
    expect(meaning('Saif')).toBe('sword')
    expect(meaning('Jebel')).toBe('mountain')
    expect(meaning('Abtal')).toBe('heroes')
    // Place names that look alike stay names.
    expect(meaning('Daraa')).toBeNull()
    expect(meaning('Deir')).toBeNull()
  })

  it('knows the words of transitional councils, security belts, giants and armoured units in several languages', () => {
    for (const w of ['Transitional', 'Intiqali', 'الانتقالي', 'переходный', 'Übergangs']) expect([w, meaning(w)]).toEqual([w, 'transitional'])
    for (const w of ['Belt', 'Hizam', 'الحزام', 'пояса', 'ceinture']) expect([w, meaning(w)]).toEqual([w, 'belt'])
    for (const w of ['Giants', 'Amaliqa', 'Amalika', 'العمالقة', 'гиганты']) expect([w, meaning(w)]).toEqual([w, 'giants'])
    for (const w of ['Armoured', 'Armored', 'blindée', 'مدرعات', 'бронетанковая', 'Panzer']) expect([w, meaning(w)]).toEqual([w, 'armoured'])
    for (const w of ['Freedom', 'Liberty', 'Свобода', 'Freiheit', 'الحرية']) expect([w, meaning(w)]).toEqual([w, 'freedom'])
    expect(meaning('свободная')).toBe('free')
    expect(conceptSimilarity('free', 'freedom')).toBe(0.8)
    // A German compound made of them: "Südlicher Übergangsrat".
    expect(analyzeName('Übergangsrat').tokens.map((t) => t.concept)).toEqual(['transitional', 'council'])
    expect(meaning('Südlicher')).toBe('south')
  })

  it('knows "greater", the desert, networks, dawn and volunteers as Russian writes them in Latin letters', () => {
    for (const w of ['Greater', 'Grand', 'الكبرى', 'Большой', 'Größeren']) expect([w, meaning(w)]).toEqual([w, 'greater'])
    expect(meaning('Sahara')).toBe('desert')
    expect(meaning('Сеть')).toBe('network')
    expect(meaning('Мережа')).toBe('network')
    expect(meaning('Zarya')).toBe('dawn')
    expect(meaning('Dobrovolcheskiy')).toBe('volunteers')
  })

  it('reads German ordinals with their endings', () => {
    expect(numberOf('funftes', 'Latn')).toBe(5)
    expect(numberOf('dritte', 'Latn')).toBe(3)
    expect(numberOf('achtung', 'Latn')).toBeNull()
    expect(meaning('Fünfte')).toBe('n:5')
  })

  it('reads an Arabic nisba adjective in the feminine or the plural as the masculine', () => {
    expect(arabicNisba(foldText('لبنانية'))).toBe(foldText('لبناني'))
    expect(arabicNisba(foldText('سلفيون'))).toBe(foldText('سلفي'))
    expect(arabicNisba(foldText('جبهة'))).toBeNull()
    expect(conceptOf(foldText('لبنانية'), 'Arab')).toBe('lebanon')
    // A masculine nisba is of its noun: أمني, "of security".
    expect(conceptOf(foldText('أمني'), 'Arab')).toBe('security')
    expect(conceptOf(foldText('أمنيون'), 'Arab')).toBe('security')
    expect(conceptOf(foldText('العسكريين').replace(/^ال/, ''), 'Arab')).toBe('military')
  })
})
