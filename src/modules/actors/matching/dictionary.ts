// The cross-language dictionary of generic terms: the words armed groups' names are built from
// (front, army, brigade, movement, liberation, Levant …) in English, as transliterated from Arabic
// (jabhat, jaysh, liwa), in Arabic script and in Russian, both translated (фронт, армия) and
// transliterated (джебхат, джейш). A word found here matches its equivalents in any script by
// meaning, and weighs less than a name's distinctive words: "Jaysh al-Islam" and "Jaysh al-Fatah"
// share only "army".
import type { Script } from '../actors.types.ts'
import { foldText, stripArabicArticle } from './normalize.ts'
import { cyrillicPhonetic, latinPhonetics, vocalic } from './translit.ts'

export type GenericTerm = {
  /** Stable id of the meaning, e.g. "front". */
  concept: string
  /** How much the word says about which group a name means, 0..1 (a distinctive word is 1). */
  weight: number
  /** English words (plural -s is also accepted for these). */
  en: string[]
  /** Latin transliterations of the Arabic (or Kurdish, Persian) word; spelling variants are found by their vocalic key. */
  translit: string[]
  /** Arabic script, as written (folded and article-stripped when loaded). */
  ar: string[]
  /** Russian: stems of translations (армия → "арми"), and transliterations. */
  ru: string[]
}

export const GENERIC_TERMS: readonly GenericTerm[] = [
  { concept: 'front', weight: 0.3, en: ['front'], translit: ['jabhat', 'jabha', 'jabhah', 'jebhat', 'jabhet', 'djebhat', 'jebha', 'jabhe', 'jabhat'], ar: ['جبهة'], ru: ['фронт', 'джебхат', 'джабхат', 'джабха'] },
  { concept: 'army', weight: 0.3, en: ['army', 'armies', 'armee'], translit: ['jaysh', 'jaish', 'jeish', 'jaych', 'jesh', 'jish', 'jayish'], ar: ['جيش', 'جيوش'], ru: ['арми', 'джейш', 'джаиш', 'джиш'] },
  { concept: 'brigade', weight: 0.3, en: ['brigade'], translit: ['liwa', 'liwaa', 'alwiya', 'alwiyat', 'alwiyah', 'alwiyya'], ar: ['لواء', 'ألوية'], ru: ['бригад', 'лива', 'альвия'] },
  { concept: 'battalion', weight: 0.3, en: ['battalion'], translit: ['katiba', 'katibat', 'katibah', 'kataib', 'kataeb', 'katebat', 'katayib', 'kataaib'], ar: ['كتيبة', 'كتائب'], ru: ['батальон', 'катиба', 'катибат', 'катаиб', 'катаеб'] },
  { concept: 'company', weight: 0.3, en: ['company', 'companies', 'detachment'], translit: ['saraya', 'sariya', 'sariyya', 'sarayat'], ar: ['سرايا', 'سرية'], ru: ['рота', 'роты', 'сарая', 'сарайя'] },
  { concept: 'regiment', weight: 0.3, en: ['regiment'], translit: ['fawj', 'fauj'], ar: ['فوج'], ru: ['полк'] },
  { concept: 'division', weight: 0.3, en: ['division'], translit: ['firqa', 'firqat', 'firqah', 'firka'], ar: ['فرقة'], ru: ['дивизи', 'фирка', 'фиркат'] },
  { concept: 'corps', weight: 0.3, en: ['corps', 'legion'], translit: ['faylaq', 'failaq', 'feilaq', 'faylak', 'failak', 'filaq'], ar: ['فيلق'], ru: ['корпус', 'легион', 'файлак', 'фейлак', 'файляк'] },
  { concept: 'forces', weight: 0.3, en: ['forces', 'force'], translit: ['quwat', 'quwwat', 'qowat', 'quwa', 'qwat'], ar: ['قوات', 'قوة'], ru: ['сил', 'кувват', 'куват'] },
  { concept: 'units', weight: 0.3, en: ['units', 'unit'], translit: ['wahdat', 'wehdat', 'yekineyen'], ar: ['وحدات', 'وحدة'], ru: ['отряд', 'подразделени', 'вахдат'] },
  { concept: 'movement', weight: 0.3, en: ['movement', 'mouvement'], translit: ['harakat', 'haraka', 'harakah', 'harakeh'], ar: ['حركة'], ru: ['движени', 'харакат', 'харака'] },
  { concept: 'group', weight: 0.3, en: ['group', 'groupe'], translit: ['jamaat', 'jamaa', 'jamaah', 'jemaah', 'djamaat', 'gamaa', 'jamat', 'jamaa'], ar: ['جماعة'], ru: ['групп', 'джамаат', 'джамаа'] },
  { concept: 'organization', weight: 0.35, en: ['organization', 'organisation', 'committee', 'body'], translit: ['hayat', 'haya', 'hayah', 'haiat', 'hayet', 'hayaat', 'tanzim', 'tanzeem', 'munazzama', 'munazzamat'], ar: ['هيئة', 'تنظيم', 'منظمة'], ru: ['организаци', 'комитет', 'хайят', 'хейят', 'хаят', 'хайат', 'танзим'] },
  { concept: 'party', weight: 0.3, en: ['party'], translit: ['hizb', 'hezb'], ar: ['حزب'], ru: ['парти', 'хизб'] },
  { concept: 'union', weight: 0.35, en: ['union'], translit: ['ittihad', 'itihad', 'ittehad'], ar: ['اتحاد'], ru: ['союз', 'иттихад'] },
  { concept: 'council', weight: 0.35, en: ['council'], translit: ['majlis', 'majles', 'mejlis'], ar: ['مجلس'], ru: ['совет', 'меджлис', 'маджлис'] },
  { concept: 'gathering', weight: 0.35, en: ['gathering', 'assembly', 'grouping', 'bloc'], translit: ['tajammu', 'tajamu', 'tajamo'], ar: ['تجمع'], ru: ['объединени', 'таджамму'] },
  { concept: 'coalition', weight: 0.35, en: ['coalition', 'alliance'], translit: ['tahaluf'], ar: ['تحالف'], ru: ['коалици', 'альянс'] },
  { concept: 'liberation', weight: 0.5, en: ['liberation'], translit: ['tahrir', 'tahreer'], ar: ['تحرير'], ru: ['освобождени', 'тахрир'] },
  { concept: 'levant', weight: 0.6, en: ['levant', 'levantine'], translit: ['sham', 'shaam', 'cham', 'shami', 'shamiya', 'shamiyya', 'shamiyah'], ar: ['شام', 'شامي', 'شامية'], ru: ['левант', 'шам', 'шамия', 'шамийя'] },
  { concept: 'syria', weight: 0.45, en: ['syria', 'syrian', 'syrie', 'syrienne'], translit: ['suriya', 'souria', 'suriyya', 'suri', 'souri', 'suriyah'], ar: ['سوريا', 'سورية', 'سوري'], ru: ['сири', 'сирийск'] },
  { concept: 'state', weight: 0.45, en: ['state', 'etat'], translit: ['dawla', 'dawlat', 'dawlah', 'daula', 'dowla', 'dawlet'], ar: ['دولة'], ru: ['государств', 'даула', 'дауля', 'давля'] },
  { concept: 'islamic', weight: 0.3, en: ['islamic', 'islamique', 'islamiste', 'islamist'], translit: ['islami', 'islamiya', 'islamiyya', 'islamiyah', 'islamia', 'islamiyyah', 'islamiyeh'], ar: ['إسلامي', 'إسلامية'], ru: ['исламск', 'исламистск', 'ислами', 'исламия', 'исламийя'] },
  { concept: 'islam', weight: 0.5, en: ['islam'], translit: [], ar: ['إسلام'], ru: ['ислам'] },
  { concept: 'conquest', weight: 0.55, en: ['conquest'], translit: ['fath', 'fateh', 'fatah', 'fatih', 'fatth'], ar: ['فتح'], ru: ['завоевани', 'фатх', 'фатах', 'фатых'] },
  { concept: 'free', weight: 0.5, en: ['free', 'libre'], translit: ['hurr', 'hur'], ar: ['حر', 'حرة'], ru: ['свободн', 'хурр'] },
  { concept: 'freemen', weight: 0.5, en: ['freemen'], translit: ['ahrar'], ar: ['أحرار'], ru: ['ахрар'] },
  { concept: 'men', weight: 0.4, en: ['men'], translit: ['rijal', 'rejal', 'rijaal'], ar: ['رجال'], ru: ['мужчин', 'риджал'] },
  { concept: 'emigrants', weight: 0.5, en: ['emigrants', 'migrants', 'emigres', 'immigrants'], translit: ['muhajirin', 'muhajireen', 'mouhajirine', 'muhajiroun', 'muhajirun', 'mohajerin', 'muhajir'], ar: ['مهاجرين', 'مهاجرون', 'مهاجر'], ru: ['мухаджир', 'переселенц', 'эмигрант'] },
  { concept: 'descendants', weight: 0.5, en: ['grandsons', 'descendants', 'grandchildren', 'heirs'], translit: ['ahfad', 'ahfaad'], ar: ['أحفاد'], ru: ['потомк', 'внук', 'ахфад'] },
  { concept: 'prophet', weight: 0.5, en: ['prophet', 'messenger'], translit: ['rasul', 'rasoul', 'rasool', 'nabi'], ar: ['رسول', 'نبي'], ru: ['пророк', 'посланник', 'расул'] },
  { concept: 'commandos', weight: 0.55, en: ['commandos', 'commando', 'rangers'], translit: ['maghawir', 'mughawir', 'maghaweer', 'maghawer'], ar: ['مغاوير'], ru: ['коммандос', 'спецназ', 'магавир'] },
  { concept: 'knights', weight: 0.55, en: ['knights', 'knight', 'horsemen', 'cavaliers'], translit: ['fursan', 'forsan', 'foursan', 'fursaan'], ar: ['فرسان'], ru: ['рыцар', 'всадник', 'фурсан'] },
  { concept: 'dawn', weight: 0.55, en: ['dawn'], translit: ['fajr', 'fadjr', 'fajer'], ar: ['فجر'], ru: ['рассвет', 'заря', 'фаджр'] },
  { concept: 'sword', weight: 0.55, en: ['sword', 'swords'], translit: ['sayf', 'saif', 'seif', 'suyuf', 'suyouf'], ar: ['سيف', 'سيوف'], ru: ['меч', 'сейф', 'саиф'] },
  { concept: 'shield', weight: 0.55, en: ['shield'], translit: ['dir', 'dira', 'diraa'], ar: ['درع'], ru: ['щит'] },
  { concept: 'storm', weight: 0.55, en: ['storm', 'tempest'], translit: ['asifa', 'asifat', 'assifa'], ar: ['عاصفة'], ru: ['бур', 'шторм', 'асифа'] },
  { concept: 'mountain', weight: 0.5, en: ['mountain', 'mountains', 'mount'], translit: ['jabal', 'jebel', 'djebel', 'jibal'], ar: ['جبل', 'جبال'], ru: ['гор', 'джебель', 'джабаль'] },
  { concept: 'sons', weight: 0.4, en: ['sons', 'children'], translit: ['abna', 'abnaa', 'abnaa', 'abnah'], ar: ['أبناء'], ru: ['сынов', 'сыновья', 'абна'] },
  { concept: 'heroes', weight: 0.55, en: ['heroes', 'hero'], translit: ['abtal', 'abtaal', 'batal'], ar: ['أبطال', 'بطل'], ru: ['геро', 'абталь'] },
  { concept: 'companions', weight: 0.55, en: ['companions'], translit: ['sahaba', 'sahabah', 'sahabeh'], ar: ['صحابة'], ru: ['сподвижник', 'сахаба'] },
  { concept: 'supporters', weight: 0.5, en: ['supporters', 'partisans', 'helpers', 'followers', 'devotees'], translit: ['ansar', 'ansaar'], ar: ['أنصار'], ru: ['сторонник', 'ансар', 'помощник'] },
  { concept: 'soldiers', weight: 0.5, en: ['soldiers', 'soldier', 'troops'], translit: ['jund', 'ajnad', 'junud', 'jounoud'], ar: ['جند', 'أجناد', 'جنود'], ru: ['солдат', 'воин', 'джунд', 'аджнад'] },
  { concept: 'people', weight: 0.3, en: ['people', 'peoples', 'popular'], translit: ['ahl', 'ahel', 'ahle', 'shabi'], ar: ['أهل', 'شعب', 'شعبي', 'شعبية'], ru: ['народн', 'народ', 'люд', 'ахль', 'ахл'] },
  { concept: 'mujahideen', weight: 0.45, en: ['mujahideen'], translit: ['mujahidin', 'mujahedin', 'mujahedeen', 'mojahedin', 'mudjahidin', 'mujahid', 'mujahidun', 'mojahideen', 'mujahiddin', 'modzhakhedov'], ar: ['مجاهدين', 'مجاهدون', 'مجاهد', 'مجاهدي'], ru: ['моджахед', 'муджахид', 'муджахед', 'моджахид'] },
  { concept: 'jihad', weight: 0.45, en: [], translit: ['jihad', 'djihad', 'jehad', 'dzhikhad'], ar: ['جهاد'], ru: ['джихад'] },
  { concept: 'revolutionaries', weight: 0.45, en: ['revolutionaries', 'revolutionary', 'rebels'], translit: ['thuwar', 'thowar', 'thuwwar'], ar: ['ثوار'], ru: ['революционер', 'суар', 'повстанц'] },
  { concept: 'revolution', weight: 0.45, en: ['revolution'], translit: ['thawra', 'thawrat', 'thaura'], ar: ['ثورة'], ru: ['революци', 'саура'] },
  { concept: 'martyrs', weight: 0.5, en: ['martyrs', 'martyr'], translit: ['shuhada', 'shohada', 'shuhadaa', 'shahid', 'shaheed', 'shahids'], ar: ['شهداء', 'شهيد'], ru: ['мученик', 'шухада', 'шахид'] },
  { concept: 'falcons', weight: 0.55, en: ['falcons', 'falcon', 'hawks'], translit: ['suqur', 'suqour', 'soqour', 'saqr', 'suqoor', 'sukur'], ar: ['صقور', 'صقر'], ru: ['сокол', 'сукур', 'сокур'] },
  { concept: 'tigers', weight: 0.55, en: ['tigers', 'tiger'], translit: ['nimr', 'numur'], ar: ['نمر', 'نمور'], ru: ['тигр', 'нимр'] },
  { concept: 'eagles', weight: 0.55, en: ['eagles', 'eagle'], translit: ['nusur', 'nosour', 'nusour'], ar: ['نسور', 'نسر'], ru: ['орл', 'орел', 'нусур'] },
  { concept: 'truth', weight: 0.55, en: ['truth'], translit: ['haqq', 'haq', 'hak'], ar: ['حق'], ru: ['истин', 'правд', 'хакк'] },
  { concept: 'dignity', weight: 0.55, en: ['dignity'], translit: ['karama', 'karamah', 'karameh'], ar: ['كرامة'], ru: ['достоинств', 'карама'] },
  { concept: 'lions', weight: 0.55, en: ['lions', 'lion'], translit: ['usud', 'usoud', 'ousoud'], ar: ['أسود'], ru: ['льв', 'лев', 'усуд'] },
  { concept: 'religion', weight: 0.5, en: ['religion', 'faith'], translit: ['din', 'deen', 'dine', 'eddine', 'eddin'], ar: ['دين'], ru: ['религи', 'дин'] },
  { concept: 'god', weight: 0.5, en: ['god'], translit: ['allah', 'ullah', 'ollah'], ar: ['الله'], ru: ['аллах', 'бог'] },
  { concept: 'guardians', weight: 0.55, en: ['guardians', 'guards', 'guardian'], translit: ['hurras', 'horras', 'hurrass'], ar: ['حراس'], ru: ['страж', 'хуррас', 'хранител'] },
  { concept: 'national', weight: 0.35, en: ['national'], translit: ['watani', 'wataniya', 'wataniyya', 'qawmi'], ar: ['وطني', 'وطنية', 'قومي'], ru: ['национальн'] },
  { concept: 'defence', weight: 0.45, en: ['defence', 'defense', 'self-defence'], translit: ['difa', 'difaa', 'difaa'], ar: ['دفاع'], ru: ['оборон', 'самооборон'] },
  { concept: 'protection', weight: 0.45, en: ['protection'], translit: ['himaya', 'himayat', 'parastina', 'parastin'], ar: ['حماية'], ru: ['защит'] },
  { concept: 'democratic', weight: 0.4, en: ['democratic', 'democratique'], translit: ['dimuqratiya', 'dimokratiya', 'demokratik'], ar: ['ديمقراطية', 'ديموقراطية', 'ديمقراطي'], ru: ['демократическ'] },
  { concept: 'arab', weight: 0.35, en: ['arab', 'arabic', 'arabian'], translit: ['arabi', 'arabiya', 'arabiyya'], ar: ['عربي', 'عربية', 'عرب'], ru: ['арабск'] },
  { concept: 'south', weight: 0.5, en: ['south', 'southern'], translit: ['janubi', 'janubiya', 'janoubi', 'jenubi', 'janubiyya'], ar: ['جنوبي', 'جنوبية', 'جنوب'], ru: ['южн', 'юг'] },
  { concept: 'north', weight: 0.5, en: ['north', 'northern'], translit: ['shamali', 'shamaliya', 'shimali'], ar: ['شمالي', 'شمالية', 'شمال'], ru: ['северн', 'север'] },
  { concept: 'east', weight: 0.5, en: ['east', 'eastern'], translit: ['sharqi', 'sharqiya', 'sharqiyya', 'sharkia', 'sharqiyah'], ar: ['شرقي', 'شرقية', 'شرق'], ru: ['восточн', 'восток', 'шаркия', 'шарки'] },
  { concept: 'west', weight: 0.5, en: ['west', 'western'], translit: ['gharbi', 'gharbiya', 'gharbiyya'], ar: ['غربي', 'غربية', 'غرب'], ru: ['западн', 'запад', 'гарбия'] },
  { concept: 'victory', weight: 0.55, en: ['victory'], translit: ['nasr', 'nassr'], ar: ['نصر'], ru: ['побед', 'наср'] },
  { concept: 'son', weight: 0.2, en: [], translit: ['ibn', 'bin', 'ben'], ar: ['ابن', 'بن'], ru: ['ибн', 'бен', 'бин'] },
  { concept: 'monotheism', weight: 0.55, en: ['monotheism'], translit: ['tawhid', 'tawheed', 'tauhid', 'towhid'], ar: ['توحيد'], ru: ['таухид', 'тавхид', 'единобожи'] },
  { concept: 'salafi', weight: 0.45, en: ['salafist', 'salafi'], translit: ['salafiya', 'salafiyya', 'salafia', 'salafiyah'], ar: ['سلفية', 'سلفي'], ru: ['салафит', 'салафи'] },
  { concept: 'emirate', weight: 0.45, en: ['emirate'], translit: ['imara', 'imarat', 'emarat'], ar: ['إمارة'], ru: ['эмират', 'имарат'] },
  { concept: 'mobilization', weight: 0.45, en: ['mobilization', 'mobilisation'], translit: ['hashd'], ar: ['حشد'], ru: ['мобилизаци', 'хашд'] },
  { concept: 'resistance', weight: 0.45, en: ['resistance'], translit: ['muqawama', 'muqawamah', 'moqawama'], ar: ['مقاومة'], ru: ['сопротивлени', 'мукавама'] },
]

/** Meanings close enough that one name may use either ("Kata'ib Hizballah" is "Hezbollah Brigades"). */
export const CONCEPT_FAMILIES: readonly (readonly string[])[] = [
  ['brigade', 'battalion', 'company', 'regiment'],
  ['free', 'freemen'],
  ['levant', 'syria'],
  ['defence', 'protection'],
  ['revolution', 'revolutionaries'],
]
/**
 * Words for the unit a group is (army, brigade, movement …). Renderings of one group swap them
 * freely in number (liwa / alwiya, katiba / kata'ib), so two spellings of one are one word.
 */
export const UNIT_CONCEPTS: ReadonlySet<string> = new Set([
  'front', 'army', 'brigade', 'battalion', 'company', 'regiment', 'division', 'corps', 'forces', 'units',
  'movement', 'group', 'organization', 'party', 'union', 'council', 'gathering', 'coalition',
])
/**
 * Words for the kind of group a name is (its head noun): the units, and the members a group is
 * named by (Ansar al-X, Jund al-X, as Jaysh al-X names it by its unit). Two names that each have
 * one left unpaired disagree on what the group is ("Liwa al-Quds" / "Quds Force", "Jaysh Tahrir
 * al-Sham" / "Hay'at Tahrir al-Sham", "Ansar al-Sunna" / "Jaysh al-Sunna"): groups named after
 * one person or place differ by this word.
 */
export const FORM_CONCEPTS: ReadonlySet<string> = new Set([...UNIT_CONCEPTS, 'supporters', 'soldiers'])

/** Similarity of two words whose meanings are of one family. */
export const FAMILY_SIMILARITY = 0.7

// Russian endings after a stem: nouns and adjectives in every case and number.
const RUSSIAN_ENDINGS = new Set([
  '', 'а', 'я', 'ы', 'и', 'у', 'ю', 'е', 'о', 'ь', 'ой', 'ей', 'ий', 'ый', 'ая', 'яя', 'ое', 'ее', 'ие', 'ые',
  'ого', 'его', 'ому', 'ему', 'ом', 'ем', 'ам', 'ям', 'ами', 'ями', 'ах', 'ях', 'ов', 'ев', 'ых', 'их', 'ую', 'юю',
  'ым', 'им', 'ыми', 'ими', 'ью', 'ия', 'ии', 'ие', 'ию', 'ией', 'ий', 'иями', 'иях', 'ий', 'ство', 'й',
])

type Lookup = {
  byVocalic: Map<string, string>
  byEnglish: Map<string, string>
  byArabic: Map<string, string>
  russianStems: { stem: string; concept: string; translation: boolean }[]
  weight: Map<string, number>
  family: Map<string, number>
}

let lookup: Lookup | null = null

/** The keys a Latin or Cyrillic-transliterated word is looked up by: its vocalic key, and without a construct -t. */
export function vocalicKeys(phonetic: string): string[] {
  const keys = [vocalic(phonetic)]
  if (/[aiu]t$/.test(phonetic) && phonetic.length > 3) keys.push(vocalic(phonetic.slice(0, -1)))
  return keys
}

function build(): Lookup {
  const l: Lookup = { byVocalic: new Map(), byEnglish: new Map(), byArabic: new Map(), russianStems: [], weight: new Map(), family: new Map() }
  const put = (map: Map<string, string>, key: string, concept: string, what: string) => {
    const had = map.get(key)
    if (had && had !== concept) throw new Error(`dictionary: ${what} "${key}" is both ${had} and ${concept}`)
    map.set(key, concept)
  }
  for (const t of GENERIC_TERMS) {
    l.weight.set(t.concept, t.weight)
    for (const w of t.en) put(l.byEnglish, foldText(w).replace(/[^a-z]/g, ''), t.concept, 'English word')
    for (const w of [...t.translit, ...t.en]) {
      for (const p of latinPhonetics(foldText(w).replace(/[^a-z]/g, '')).slice(0, 1)) {
        for (const k of vocalicKeys(p)) put(l.byVocalic, k, t.concept, 'transliteration')
      }
    }
    for (const w of t.ar) put(l.byArabic, stripArabicArticle(foldText(w)), t.concept, 'Arabic word')
    // A Russian stem that reads as one of the term's transliterations ("джейш") is one; else it
    // is a translation ("армия", "бригада").
    const translitKeys = new Set(t.translit.flatMap((w) => vocalicKeys(latinPhonetics(foldText(w).replace(/[^a-z]/g, ''))[0]!)))
    for (const w of t.ru) {
      const stem = foldText(w)
      l.russianStems.push({ stem, concept: t.concept, translation: !vocalicKeys(cyrillicPhonetic(stem)).some((k) => translitKeys.has(k)) })
    }
  }
  l.russianStems.sort((a, b) => b.stem.length - a.stem.length)
  CONCEPT_FAMILIES.forEach((f, i) => f.forEach((c) => l.family.set(c, i)))
  return l
}

function dictionary(): Lookup {
  return (lookup ??= build())
}

/**
 * The generic term a folded word (articles already off) stands for, or null.
 * @example conceptOf('джейш', 'Cyrl') === 'army'; conceptOf('جبهه', 'Arab') === 'front'
 */
export function conceptOf(folded: string, script: Script, phonetic?: string): string | null {
  const d = dictionary()
  if (script === 'Arab') {
    const hit = d.byArabic.get(folded)
    if (hit) return hit
    // A clitic و ف ب ل ك ("and", "for", "with") written onto the word.
    if (folded.length >= 4 && /^[وفبلك]/.test(folded)) return d.byArabic.get(stripArabicArticle(folded.slice(1))) ?? null
    return null
  }
  if (script === 'Cyrl') {
    for (const { stem, concept } of d.russianStems) {
      if (folded.startsWith(stem) && RUSSIAN_ENDINGS.has(folded.slice(stem.length))) return concept
    }
  }
  if (script === 'Latn') {
    const en = d.byEnglish.get(folded) ?? (folded.length > 4 && folded.endsWith('s') ? d.byEnglish.get(folded.slice(0, -1)) : undefined)
    if (en) return en
  }
  if (script === 'Latn' || script === 'Cyrl') {
    const p = phonetic ?? folded
    for (const k of vocalicKeys(p)) {
      const hit = d.byVocalic.get(k)
      if (hit) return hit
    }
  }
  return null
}

/**
 * Whether a folded word is a translation of its generic term (English "brigades", Russian
 * "бригада") rather than the word itself, transliterated or in Arabic ("liwa", "лива", "لواء"). A
 * translation blurs words an Arabic name keeps apart: "brigades" renders liwa, kata'ib and saraya.
 * @example isTranslation('brigades', 'Latn') === true; isTranslation('liwa', 'Latn') === false
 */
export function isTranslation(folded: string, script: Script): boolean {
  const d = dictionary()
  if (script === 'Latn') return d.byEnglish.has(folded) || (folded.length > 4 && folded.endsWith('s') && d.byEnglish.has(folded.slice(0, -1)))
  if (script === 'Cyrl') {
    for (const { stem, translation } of d.russianStems) {
      if (folded.startsWith(stem) && RUSSIAN_ENDINGS.has(folded.slice(stem.length))) return translation
    }
  }
  return false
}

/** How much a generic term says about which group a name means. */
export function conceptWeight(concept: string): number {
  return dictionary().weight.get(concept) ?? 0.5
}

/**
 * 1 for one meaning; FAMILY_SIMILARITY for meanings of one family when a translation is involved
 * (`translated`: either word is one), else 0: "Hezbollah Brigades" may be Kata'ib Hizballah, but
 * Saraya al-Quds is not Liwa al-Quds.
 */
export function conceptSimilarity(a: string, b: string, translated = true): number {
  if (a === b) return 1
  if (!translated) return 0
  const d = dictionary()
  const fa = d.family.get(a)
  return fa !== undefined && fa === d.family.get(b) ? FAMILY_SIMILARITY : 0
}

/** Checks the table (every entry loads, no word means two things); throws on the first conflict. */
export function checkDictionary(): void {
  lookup = null
  dictionary()
}
