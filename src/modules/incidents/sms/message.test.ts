// Short messages read into partial reports: the structured form, free text in English, Arabic and
// Russian, times against when the message came (in Damascus time), places from the gazetteer, and
// messages that cannot be understood, which say so instead of guessing.
import { describe, expect, it } from 'vitest'
import { Gazetteer } from './gazetteer.ts'
import { languageOf, parseMessage, type ParsedMessage } from './message.ts'
import { AREAS } from './test-places.ts'

const gazetteer = new Gazetteer(AREAS)
// 11:12 in Damascus (UTC+2 in March 2016).
const receivedAt = '2016-03-01T09:12:00Z'
const read = (text: string, messageId?: string): ParsedMessage => parseMessage(text, { receivedAt, gazetteer, timeZone: 'Asia/Damascus', ...(messageId ? { messageId } : {}) })
const fieldOf = (p: ParsedMessage, field: string) => p.understood.find((u) => u.field === field)

const DOUMA = { kind: 'point', lon: 36.4, lat: 33.57, precision: 2 }

describe('the structured form', () => {
  it('reads TRUCE <category> <count> <unit> AT <place> <date> <time>', () => {
    const p = read('TRUCE SHELL 12 EXPLOSIONS AT Douma 2016-03-01 14:00', 'SM5f0c')
    expect(p.form).toBe('structured')
    expect(p.report).toEqual({
      externalId: 'SM5f0c',
      category: 'shelling',
      counts: { explosions: 12 },
      where: { ...DOUMA, placeName: 'Douma' },
      occurredAt: '2016-03-01T12:00:00.000Z',
      datePrecision: 1,
      description: 'TRUCE SHELL 12 EXPLOSIONS AT Douma 2016-03-01 14:00',
      language: 'en',
    })
    expect(p.notUnderstood).toEqual([])
    expect(p.missing).toEqual([])
    expect(p.assumed).toEqual([])
    expect(p.confidence).toBeGreaterThanOrEqual(0.95)
    expect(p.understood.map((u) => [u.field, u.text])).toEqual([
      ['counts', '12 EXPLOSIONS'], ['category', 'SHELL'], ['where', 'Douma'], ['occurredAt', '2016-03-01 14:00'],
    ])
  })

  it('reads a hashtag, a bare number as a count in the usual unit, and assumes the time it was sent', () => {
    const p = read('#shelling 5 Aleppo')
    expect(p.report).toMatchObject({ category: 'shelling', counts: { projectiles: 5 }, where: { placeName: 'Aleppo', precision: 2 }, occurredAt: '2016-03-01T09:12:00.000Z' })
    expect(p.assumed).toEqual(['occurredAt: when the message was received'])
    expect(fieldOf(p, 'counts')!.confidence).toBe(0.6)
  })

  it('reads codes and day words in other forms', () => {
    expect(read('truce air Idlib yesterday 23:30').report).toMatchObject({ category: 'airstrike', where: { placeName: 'Idlib' }, occurredAt: '2016-02-29T21:30:00.000Z' })
    expect(read('TRUCE ARMS 3 bursts Harasta').report).toMatchObject({ category: 'small_arms', counts: { bursts: 3 } })
    const hashtags = read('#drone_strike #Idlib')
    expect(hashtags.report).toMatchObject({ category: 'drone_strike', where: { placeName: 'Idlib' } })
    expect(hashtags.notUnderstood).toEqual([])
    expect(read('هدنة قصف 7 دوما').report).toMatchObject({ category: 'shelling', counts: { projectiles: 7 }, where: { placeName: 'دوما' }, language: 'ar' })
    expect(read('ПЕРЕМИРИЕ обстрел 4 снаряда Дума').report).toMatchObject({ category: 'shelling', counts: { projectiles: 4 }, language: 'ru' })
  })
})

describe('free text', () => {
  it.each([
    ['shelling in Douma since 6am, 3 killed', 'en', { category: 'shelling', where: { ...DOUMA, placeName: 'Douma' }, occurredAt: '2016-03-01T04:00:00.000Z', casualties: { civiliansKilled: { low: 3, best: 3, high: 3 } } }],
    ['قصف على دوما', 'ar', { category: 'shelling', where: { ...DOUMA, placeName: 'دوما' } }],
    ['обстрел Дума', 'ru', { category: 'shelling', where: { ...DOUMA, placeName: 'Дума' } }],
    ['قصف مدفعي على دوما منذ الساعة 6 صباحا ومقتل 3 مدنيين وإصابة 5', 'ar', {
      category: 'shelling', occurredAt: '2016-03-01T04:00:00.000Z',
      casualties: { civiliansKilled: { low: 3, best: 3, high: 3 }, civiliansInjured: { low: 5, best: 5, high: 5 } },
    }],
    ['обстрел Думы с 6 утра, погибли 3 человека, 2 ранены', 'ru', {
      category: 'shelling', where: { placeName: 'Дума' }, occurredAt: '2016-03-01T04:00:00.000Z',
      casualties: { civiliansKilled: { low: 3, best: 3, high: 3 }, civiliansInjured: { low: 2, best: 2, high: 2 } },
    }],
    ['سقوط ١٢ قذيفة على حرستا', 'ar', { category: 'shelling', counts: { projectiles: 12 }, where: { placeName: 'Harasta' } }],
    ['12 взрывов в районе Идлиба', 'ru', { category: 'shelling', counts: { explosions: 12 }, where: { placeName: 'Идлиб' } }],
    ['два взрыва в Думе', 'ru', { counts: { explosions: 2 }, where: { placeName: 'Дума' } }],
    ['three killed in Douma', 'en', { category: 'civilian_harm', casualties: { civiliansKilled: { low: 3, best: 3, high: 3 } } }],
    ['قتيلان في دوما', 'ar', { category: 'civilian_harm', casualties: { civiliansKilled: { low: 2, best: 2, high: 2 } } }],
    ['warplanes hit a hospital in Aleppo this morning, 4 dead 10 injured', 'en', {
      category: 'attack_on_protected_site', where: { placeName: 'Aleppo' }, occurredAt: '2016-03-01T07:00:00.000Z',
      casualties: { civiliansKilled: { low: 4, best: 4, high: 4 }, civiliansInjured: { low: 10, best: 10, high: 10 } },
    }],
    ['5 soldiers killed near Harasta yesterday', 'en', { where: { placeName: 'Harasta' }, occurredAt: '2016-02-29T10:00:00.000Z', casualties: { combatantsKilled: { low: 5, best: 5, high: 5 } } }],
    ['monitors blocked at checkpoint near Douma', 'en', { category: 'monitor_restriction', where: { placeName: 'Douma' } }],
    ['aid convoy blocked at Harasta', 'en', { category: 'aid_obstruction', where: { placeName: 'Harasta' } }],
    ['aid convoy shelled near Zamalka', 'en', { category: 'attack_on_humanitarian', where: { placeName: 'زملكا' } }],
    ['heavy gunfire in Zamalka 2 hours ago', 'en', { category: 'small_arms', where: { placeName: 'زملكا' }, occurredAt: '2016-03-01T07:12:00.000Z' }],
    ['стрельба в Думе 3 часа назад', 'ru', { category: 'small_arms', occurredAt: '2016-03-01T06:12:00.000Z' }],
    ['اطلاق نار في دوما منذ ساعتين', 'ar', { category: 'small_arms', occurredAt: '2016-03-01T07:12:00.000Z' }],
    ['طائرة مسيرة استهدفت سيارة في إدلب', 'ar', { category: 'drone_strike', where: { placeName: 'إدلب' } }],
    ['غارات جوية على الرقة أمس', 'ar', { category: 'airstrike', where: { placeName: 'الرقة' }, occurredAt: '2016-02-29T10:00:00.000Z' }],
    ['авиаудар по Ракке вчера вечером', 'ru', { category: 'airstrike', where: { placeName: 'Ракка' }, occurredAt: '2016-02-29T18:00:00.000Z' }],
    ['clashes and mortar fire in Deir ez-Zor', 'en', { category: 'shelling', where: { placeName: 'Deir ez-Zor', precision: 2 } }],
    ['tanks moving in Aleppo Governorate', 'en', { category: 'heavy_weapons_in_zone', where: { placeName: 'Aleppo Governorate', precision: 4 } }],
    ['IED exploded on the road to al-Bab', 'en', { category: 'explosion', where: { placeName: 'Al-Bab', precision: 1 } }],
  ])('reads %j', (text, language, report) => {
    const p = read(text)
    expect(p.form).toBe('free_text')
    expect(p.language).toBe(language)
    expect(p.report).toMatchObject(report)
    expect(p.report.description).toBe(text)
  })

  it('says which words each field came from, and how sure', () => {
    const p = read('shelling in Douma since 6am, 3 killed')
    expect(p.understood.map((u) => [u.field, u.text, u.confidence])).toEqual([
      ['casualties', '3 killed', 0.7],
      ['category', 'shelling', 0.85],
      ['where', 'Douma', 1],
      ['occurredAt', 'since 6am', 0.85],
    ])
    expect(fieldOf(p, 'occurredAt')!.value).toEqual({ occurredAt: '2016-03-01T04:00:00.000Z', how: 'the time given', since: true })
    expect(p.confidence).toBe(0.91)
  })

  it('names the other categories and places a message mentions', () => {
    const p = read('warplanes hit a hospital in Aleppo this morning, then shelling on Idlib')
    expect(p.report.category).toBe('attack_on_protected_site')
    expect(p.alternatives.categories).toEqual(['airstrike', 'shelling'])
    expect(p.alternatives.places.map((m) => m.placeId)).toEqual(['idlib'])
    expect(fieldOf(p, 'site')!.value).toBe('hospital')
  })

  it('counts a person in the singular as one, unless a number is given', () => {
    expect(read('مقتل طفل بقصف على دوما').report).toMatchObject({ category: 'shelling', casualties: { civiliansKilled: { low: 1, best: 1, high: 1 } } })
    expect(read('a child killed in Douma').report.casualties).toEqual({ civiliansKilled: { low: 1, best: 1, high: 1 } })
    expect(read('3 civilian deaths in Douma').report.casualties).toEqual({ civiliansKilled: { low: 3, best: 3, high: 3 } })
    expect(read('снайпер убил двух мирных жителей в Думе').report).toMatchObject({ category: 'small_arms', casualties: { civiliansKilled: { low: 2, best: 2, high: 2 } } })
  })

  it('reads Arabic dual and construct forms as two', () => {
    expect(read('سقوط قذيفتي هاون على حي في دوما').report).toMatchObject({ category: 'shelling', counts: { projectiles: 2 }, where: { placeName: 'دوما' } })
  })

  it('does not take a word for a weapon it only starts like', () => {
    expect(read('tanker truck exploded in Douma').report.category).toBe('explosion')
  })

  it('reads TRUCE without a category code after it as free text', () => {
    const p = read('Truce is holding in Douma, all quiet')
    expect(p.form).toBe('free_text')
    expect(p.report.category).toBeUndefined()
    expect(p.notUnderstood).toEqual(['holding', 'all', 'quiet'])
  })

  it('does not list a second place among the words it did not understand', () => {
    const p = read('Shelling on Douma. Harasta also hit.')
    expect(p.report.where).toMatchObject({ placeName: 'Douma' })
    expect(p.alternatives.places.map((m) => m.placeId)).toEqual(['harasta'])
    expect(p.notUnderstood).toEqual([])
  })

  it('puts a time of day still to come today on the day before', () => {
    expect(read('shelling on Douma at 23:00').report.occurredAt).toBe('2016-02-29T21:00:00.000Z')
    expect(read('shelling on Douma at 10:30').report.occurredAt).toBe('2016-03-01T08:30:00.000Z')
  })

  it('reads day-first dates and 12-hour clocks', () => {
    expect(read('обстрел Алеппо 01.03.2016 в 14:00').report.occurredAt).toBe('2016-03-01T12:00:00.000Z')
    expect(read('shelling Aleppo 29/02/2016 at 2pm').report.occurredAt).toBe('2016-02-29T12:00:00.000Z')
    expect(read('قصف على حلب الساعة 9 مساء أمس').report.occurredAt).toBe('2016-02-29T19:00:00.000Z')
  })

  it('is less sure of a place named by two areas, and of a date after the message', () => {
    const p = read('shelling in Kafr Batna')
    expect(fieldOf(p, 'where')!.confidence).toBeLessThan(0.75)
    expect((fieldOf(p, 'where')!.value as { alternatives: string[] }).alternatives).toHaveLength(1)
    expect(fieldOf(read('shelling in Douma 2016-03-05'), 'occurredAt')!.confidence).toBe(0.4)
  })
})

describe('messages that cannot be understood', () => {
  it.each(['hello', '???', '', '   ', 'ok thanks', 'مرحبا', 'привет'])('%j: nothing read, nothing guessed', (text) => {
    const p = read(text)
    expect(p.confidence).toBe(0)
    expect(p.missing).toEqual(['category', 'where'])
    expect(p.understood).toEqual([])
    expect(p.report.category).toBeUndefined()
    expect(p.report.where).toBeUndefined()
    expect(p.assumed).toEqual(['occurredAt: when the message was received'])
  })

  it('returns the words it could not read', () => {
    expect(read('blah xyz qwerty').notUnderstood).toEqual(['blah', 'xyz', 'qwerty'])
    expect(read('ok thanks').notUnderstood).toEqual(['ok', 'thanks'])
  })

  it('keeps a place it does not know as not understood, and says where is missing', () => {
    const p = read('shelling in Qaboun since morning')
    expect(p.report.category).toBe('shelling')
    expect(p.missing).toEqual(['where'])
    expect(p.notUnderstood).toEqual(['Qaboun'])
    expect(p.confidence).toBeLessThan(0.6)
  })

  it('reads a place with no category, and a category with no gazetteer', () => {
    const p = read('Douma')
    expect(p.missing).toEqual(['category'])
    expect(p.report.where).toMatchObject({ placeName: 'Douma' })
    const q = parseMessage('shelling in Douma', { receivedAt })
    expect(q.missing).toEqual(['where'])
    expect(q.notUnderstood).toEqual(['Douma'])
  })

  it('says killed without a number, without making one up', () => {
    const p = read('people killed in Douma')
    expect(p.report.casualties).toBeUndefined()
    expect(fieldOf(p, 'casualties')!.value).toEqual({ killed: 'number not given' })
  })

  it('refuses a receivedAt that is not a time', () => {
    expect(() => parseMessage('x', { receivedAt: 'soon' })).toThrow(/receivedAt is not a time/)
  })
})

describe('languageOf', () => {
  it.each([['shelling', 'en'], ['قصف', 'ar'], ['обстрел', 'ru'], ['12:00', 'und'], ['TRUCE قصف دوما', 'ar']])('%j is %s', (text, lang) => expect(languageOf(text)).toBe(lang))
})
