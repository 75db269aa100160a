// Each normalisation step on its own, then the articles and particles a name's identity does not
// depend on.
import { describe, expect, it } from 'vitest'
import { analyzeName } from './analyze.ts'
import {
  ARTICLES, foldArabic, foldCase, foldCyrillic, foldName, isParticle, joinedArticle, stripArabicArticle, stripLatinMarks, tokenize,
  trailingArticle,
} from './normalize.ts'

describe('foldCase', () => {
  it('applies NFKC, so ligatures and full-width letters become plain ones', () => {
    expect(foldCase('ﬁrqat')).toBe('firqat')
    expect(foldCase('ＨＴＳ')).toBe('hts')
  })
  it('lower-cases Latin, Cyrillic and Greek, with the full fold of ß', () => {
    expect(foldCase('JABHAT AL-NUSRA')).toBe('jabhat al-nusra')
    expect(foldCase('ДЖЕБХАТ')).toBe('джебхат')
    expect(foldCase('Straße')).toBe('strasse')
  })
})

describe('foldArabic', () => {
  it('drops harakat, shadda, sukun and tatweel', () => {
    expect(foldArabic('جَبْهَةُ النُّصْرَةِ')).toBe('جبهه النصره')
    expect(foldArabic('جـــيش')).toBe('جيش')
  })
  it('folds alef forms أ إ آ ٱ to ا', () => {
    expect(foldArabic('أحرار')).toBe('احرار')
    expect(foldArabic('إسلام')).toBe('اسلام')
    expect(foldArabic('آل')).toBe('ال')
    expect(foldArabic('ٱلشام')).toBe('الشام')
  })
  it('folds ى to ي and ة to ه', () => {
    expect(foldArabic('الأقصى')).toBe('الاقصي')
    expect(foldArabic('حركة')).toBe('حركه')
  })
  it('folds hamza carriers and drops a lone hamza', () => {
    expect(foldArabic('هيئة')).toBe('هييه')
    expect(foldArabic('مؤتة')).toBe('موته')
    expect(foldArabic('لواء')).toBe('لوا')
  })
  it('folds Persian letters and Arabic-Indic digits', () => {
    expect(foldArabic('کی')).toBe('كي')
    expect(foldArabic('لواء ٢٥')).toBe('لوا 25')
    expect(foldArabic('۱۷')).toBe('17')
  })
})

describe('foldCyrillic', () => {
  it('folds ё to е', () => {
    expect(foldCyrillic('объединённые')).toBe('объединенные')
    expect(foldCyrillic('Ёж')).toBe('Еж')
  })
})

describe('stripLatinMarks', () => {
  it('takes diacritics off Latin letters only', () => {
    expect(stripLatinMarks('al qaïda au maghreb islamique')).toBe('al qaida au maghreb islamique')
    expect(stripLatinMarks('armée')).toBe('armee')
    expect(stripLatinMarks('ḥizb')).toBe('hizb')
    expect(stripLatinMarks('yekîneyên')).toBe('yekineyen')
  })
  it('leaves the Cyrillic й whole', () => {
    expect(stripLatinMarks('хайят')).toBe('хайят')
    expect(stripLatinMarks('джейш')).toBe('джейш')
  })
})

describe('tokenize and foldName', () => {
  it('splits on spaces, hyphens and punctuation and drops apostrophes inside words', () => {
    expect(tokenize("Hay'at Tahrir al-Sham").map((t) => t.folded)).toEqual(['hayat', 'tahrir', 'al', 'sham'])
    expect(tokenize('Qa’idat al-Jihad').map((t) => t.folded)).toEqual(['qaidat', 'al', 'jihad'])
  })
  it('makes a French elision a word of its own', () => {
    expect(tokenize("Jihad en Afrique de l'Ouest").map((t) => t.folded)).toEqual(['jihad', 'en', 'afrique', 'de', 'l', 'ouest'])
  })
  it('keeps what was written for acronym detection', () => {
    expect(tokenize('JaN').map((t) => t.raw)).toEqual(['JaN'])
  })
  it('gives spellings that differ only in case, punctuation or marks one exact key', () => {
    expect(foldName('JABHAT AL NUSRA')).toBe(foldName('Jabhat al-Nusra'))
    expect(foldName('جَبْهَةُ النُّصْرَة')).toBe(foldName('جبهة النصرة'))
    expect(foldName('Ахрар аш-Шам')).toBe('ахрар аш шам')
    expect(foldName('Jabhat an-Nusra')).not.toBe(foldName('Jabhat al-Nusra'))
  })
})

describe('articles and particles', () => {
  it('knows the Latin and Cyrillic articles, hyphenated or apart', () => {
    for (const a of ['al', 'el', 'ad', 'an', 'ash', 'as', 'at', 'ar', 'az', 'аль', 'ан', 'аш', 'ар', 'ад']) expect(ARTICLES.has(a)).toBe(true)
    expect(isParticle('of')).toBe(true)
    expect(isParticle('fi')).toBe(true)
    expect(isParticle('и')).toBe(true)
    expect(isParticle('nusra')).toBe(false)
  })
  it('knows the French ech- and ach- ("Ahrar ech-Cham")', () => {
    expect(isParticle('ech')).toBe(true)
    expect(isParticle('ach')).toBe(true)
  })
  it('finds an article written onto a Latin word, assimilated to a sun letter or not', () => {
    expect(joinedArticle('alislam')).toBe('islam')
    expect(joinedArticle('elsham')).toBe('sham')
    expect(joinedArticle('attawhid')).toBe('tawhid')
    expect(joinedArticle('ashsham')).toBe('sham')
    expect(joinedArticle('arrahman')).toBe('rahman')
    expect(joinedArticle('annusra')).toBe('nusra')
    expect(joinedArticle('ansar')).toBeNull()
    expect(joinedArticle('ahrar')).toBeNull()
  })
  it('finds an article written after a word ("Jaishul Islam", "Hizbut Tahrir")', () => {
    expect(trailingArticle('jaishul')).toBe('jaish')
    expect(trailingArticle('hizbut')).toBe('hizb')
    expect(trailingArticle('ansarush')).toBe('ansar')
    expect(trailingArticle('nusra')).toBeNull()
  })
  it('strips ال, also after a clitic و ف ب ك and as لل, but not from الله', () => {
    expect(stripArabicArticle(foldArabic('النصرة'))).toBe('نصره')
    expect(stripArabicArticle('والشام')).toBe('شام')
    expect(stripArabicArticle('بالشام')).toBe('شام')
    expect(stripArabicArticle('للتحرير')).toBe('تحرير')
    expect(stripArabicArticle('الله')).toBe('الله')
    expect(stripArabicArticle('جيش')).toBe('جيش')
  })
  it('leaves only the words that carry identity in an analysed name', () => {
    const keys = (v: string) => analyzeName(v).tokens.map((t) => t.concept ?? t.skeletons[0])
    expect(keys('Jabhat al-Nusra')).toEqual(['front', 'support'])
    expect(keys('Jabhat an-Nusra')).toEqual(['front', 'support'])
    expect(keys('Джебхат ан-Нусра')).toEqual(['front', 'support'])
    expect(keys('جبهة النصرة')).toEqual(['front', 'support'])
    expect(keys('Nour al-Din al-Zenki')).toEqual(['nr', 'religion', 'znk'])
    expect(keys('Islamic State of Iraq and the Levant')).toEqual(['islamic', 'state', 'iraq', 'levant'])
    expect(keys('Исламское государство Ирака и Леванта')).toEqual(['islamic', 'state', 'iraq', 'levant'])
  })
  it('reads a dictionary word with an article joined to it as that word', () => {
    const keys = (v: string) => analyzeName(v).tokens.map((t) => t.concept ?? t.skeletons[0])
    expect(keys('Jaysh Alislam')).toEqual(['army', 'islam'])
    expect(keys('Jaishul Islam')).toEqual(['army', 'islam'])
    expect(keys('Liwa Attawhid')).toEqual(['brigade', 'monotheism'])
    expect(keys('Ahrar Ashsham')).toEqual(['freemen', 'levant'])
    // A dictionary word that has its article on already keeps the skeleton without it too.
    expect(analyzeName('Eddin').tokens[0]!.skeletons).toContain('dn')
    // A word the dictionary does not know keeps its own reading first and the one without Al- second.
    expect(analyzeName('Alnujaba').tokens[0]!.skeletons.slice(0, 2)).toEqual(['Vlnjb', 'njb'])
    expect(keys('Alqaida')).toEqual(['base'])
    // "Assad" is not as-Sad: three letters left are too few to be sure.
    expect(analyzeName('Assad').tokens[0]!.skeletons).toEqual(['Vsd'])
  })
  it('reads two words the dictionary knows as one as that word ("Free Men" = freemen)', () => {
    const keys = (v: string) => analyzeName(v).tokens.map((t) => t.concept ?? t.skeletons[0])
    expect(keys('Free Men of the Levant')).toEqual(['freemen', 'levant'])
    expect(keys('Free Syrian Army')).toEqual(['free', 'syria', 'army'])
  })
})
