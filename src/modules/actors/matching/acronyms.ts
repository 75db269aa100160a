// Acronyms: a table of the ones the Syrian war's reporting uses (HTS, JFS, ISIL/ISIS/IS/Daesh/داعش/
// ДАИШ/ИГИЛ, FSA/ССА, SDF/QSD/قسد/СДС …), each with the names it stands for, and the detection of
// acronyms in a query and of a name's own initials ("Hay'at Tahrir al-Sham" → HTS, "Исламское
// государство Ирака и Леванта" → ИГИЛ, "الدولة الإسلامية في العراق والشام" → داعش).
import type { Script } from '../actors.types.ts'
import { foldText, type RawToken } from './normalize.ts'

export type AcronymEntry = {
  /** Stable id of the group of equivalent acronyms. */
  id: string
  /** The acronym as written in each script (any case). */
  forms: Partial<Record<Script, string[]>>
  /** Names it stands for, in any script; an acronym query is also matched as each of these. */
  expansions: string[]
}

export const ACRONYMS: readonly AcronymEntry[] = [
  {
    id: 'islamic-state',
    forms: { Latn: ['ISIL', 'ISIS', 'IS', 'Daesh', 'Daish', 'Daech', 'Da’esh'], Cyrl: ['ИГИЛ', 'ИГ', 'ДАИШ', 'ИГИШ'], Arab: ['داعش'] },
    expansions: [
      'Islamic State', 'Islamic State of Iraq and the Levant', 'Islamic State of Iraq and al-Sham', 'Islamic State of Iraq and Syria',
      'al-Dawla al-Islamiya fi al-Iraq wa al-Sham', 'الدولة الإسلامية في العراق والشام', 'الدولة الإسلامية',
      'Исламское государство', 'Исламское государство Ирака и Леванта',
    ],
  },
  { id: 'isi', forms: { Latn: ['ISI'] }, expansions: ['Islamic State of Iraq', 'دولة العراق الإسلامية'] },
  { id: 'aqi', forms: { Latn: ['AQI'] }, expansions: ['Al-Qaida in Iraq'] },
  { id: 'aqap', forms: { Latn: ['AQAP'] }, expansions: ['Al-Qaida in the Arabian Peninsula'] },
  { id: 'aqim', forms: { Latn: ['AQIM', 'AQMI'] }, expansions: ['Al-Qaida in the Islamic Maghreb'] },
  { id: 'hts', forms: { Latn: ['HTS'], Cyrl: ['ХТШ'] }, expansions: ["Hay'at Tahrir al-Sham", 'هيئة تحرير الشام', 'Хайят Тахрир аш-Шам'] },
  { id: 'jfs', forms: { Latn: ['JFS'] }, expansions: ['Jabhat Fateh al-Sham', 'جبهة فتح الشام', 'Джебхат Фатх аш-Шам'] },
  { id: 'jan', forms: { Latn: ['JaN', 'JN'] }, expansions: ['Jabhat al-Nusra', 'جبهة النصرة', 'Джебхат ан-Нусра'] },
  { id: 'fsa', forms: { Latn: ['FSA'], Cyrl: ['ССА'] }, expansions: ['Free Syrian Army', 'الجيش السوري الحر', 'Свободная сирийская армия'] },
  { id: 'sna', forms: { Latn: ['SNA'], Cyrl: ['СНА'] }, expansions: ['Syrian National Army', 'الجيش الوطني السوري', 'Сирийская национальная армия'] },
  { id: 'saa', forms: { Latn: ['SAA'], Cyrl: ['САА'] }, expansions: ['Syrian Arab Army', 'الجيش العربي السوري', 'Сирийская арабская армия'] },
  { id: 'sdf', forms: { Latn: ['SDF', 'QSD'], Cyrl: ['СДС'], Arab: ['قسد'] }, expansions: ['Syrian Democratic Forces', 'قوات سوريا الديمقراطية', 'Сирийские демократические силы'] },
  { id: 'ypg', forms: { Latn: ['YPG'] }, expansions: ["People's Protection Units", 'Yekîneyên Parastina Gel', 'وحدات حماية الشعب', 'Отряды народной самообороны'] },
  { id: 'ypj', forms: { Latn: ['YPJ'] }, expansions: ["Women's Protection Units", 'Yekîneyên Parastina Jin'] },
  { id: 'pyd', forms: { Latn: ['PYD'] }, expansions: ['Democratic Union Party', 'Partiya Yekîtiya Demokrat', 'حزب الاتحاد الديمقراطي'] },
  { id: 'pkk', forms: { Latn: ['PKK'], Cyrl: ['РПК'] }, expansions: ["Kurdistan Workers' Party", 'Partiya Karkerên Kurdistanê', 'Рабочая партия Курдистана'] },
  { id: 'ndf', forms: { Latn: ['NDF'], Cyrl: ['СНО'] }, expansions: ['National Defence Forces', 'قوات الدفاع الوطني', 'Силы национальной обороны'] },
  { id: 'irgc', forms: { Latn: ['IRGC'], Cyrl: ['КСИР'] }, expansions: ['Islamic Revolutionary Guard Corps', 'Корпус стражей исламской революции'] },
  { id: 'pmf', forms: { Latn: ['PMF', 'PMU'] }, expansions: ['Popular Mobilization Forces', 'الحشد الشعبي', 'Силы народной мобилизации'] },
  { id: 'tip', forms: { Latn: ['TIP'] }, expansions: ['Turkistan Islamic Party', 'الحزب الإسلامي التركستاني', 'Исламская партия Туркестана'] },
  { id: 'nlf', forms: { Latn: ['NLF', 'NFL'] }, expansions: ['National Liberation Front', 'الجبهة الوطنية للتحرير', 'Национальный фронт освобождения'] },
  { id: 'sdc', forms: { Latn: ['SDC'], Arab: ['مسد'] }, expansions: ['Syrian Democratic Council', 'مجلس سوريا الديمقراطية', 'Совет демократической Сирии'] },
  { id: 'srf', forms: { Latn: ['SRF'] }, expansions: ['Syria Revolutionaries Front', 'Jabhat Thuwar Suriya', 'جبهة ثوار سوريا'] },
  { id: 'aah', forms: { Latn: ['AAH'] }, expansions: ["Asa'ib Ahl al-Haq", 'عصائب أهل الحق'] },
  { id: 'hamas', forms: { Latn: ['Hamas'], Cyrl: ['ХАМАС'], Arab: ['حماس'] }, expansions: ['Harakat al-Muqawama al-Islamiya', 'Islamic Resistance Movement', 'حركة المقاومة الإسلامية', 'Движение исламского сопротивления'] },
  { id: 'pij', forms: { Latn: ['PIJ'] }, expansions: ['Palestinian Islamic Jihad', 'Harakat al-Jihad al-Islami fi Filastin', 'حركة الجهاد الإسلامي في فلسطين'] },
  { id: 'jnim', forms: { Latn: ['JNIM'] }, expansions: ["Jama'at Nusrat al-Islam wal-Muslimin", 'Group for the Support of Islam and Muslims', 'جماعة نصرة الإسلام والمسلمين'] },
  { id: 'iskp', forms: { Latn: ['ISKP', 'ISK'] }, expansions: ['Islamic State Khorasan Province', 'Wilayat Khorasan', 'ولاية خراسان'] },
  { id: 'iswap', forms: { Latn: ['ISWAP'] }, expansions: ['Islamic State West Africa Province', 'Wilayat Gharb Afriqiya'] },
  { id: 'isgs', forms: { Latn: ['ISGS'] }, expansions: ['Islamic State in the Greater Sahara'] },
  { id: 'aqis', forms: { Latn: ['AQIS'] }, expansions: ['Al-Qaida in the Indian Subcontinent'] },
  { id: 'ttp', forms: { Latn: ['TTP'] }, expansions: ['Tehrik-i-Taliban Pakistan'] },
  { id: 'imu', forms: { Latn: ['IMU'] }, expansions: ['Islamic Movement of Uzbekistan'] },
  { id: 'iju', forms: { Latn: ['IJU'] }, expansions: ['Islamic Jihad Union'] },
  { id: 'let', forms: { Latn: ['LeT'] }, expansions: ['Lashkar-e-Taiba', 'Army of the Pure'] },
  { id: 'jem', forms: { Latn: ['JeM'] }, expansions: ['Jaish-e-Mohammed'] },
  { id: 'ssnp', forms: { Latn: ['SSNP'] }, expansions: ['Syrian Social Nationalist Party', 'الحزب السوري القومي الاجتماعي'] },
  { id: 'lna', forms: { Latn: ['LNA'] }, expansions: ['Libyan National Army'] },
  { id: 'ldf', forms: { Latn: ['LDF'] }, expansions: ['Local Defence Forces', 'قوات الدفاع المحلي'] },
]

/** An acronym in its script, as lower-case letters ("hts", "игил", "داعش"). */
export type AcronymKey = `${Script}:${string}`

const acronymKey = (script: Script, letters: string): AcronymKey => `${script}:${letters}`

let classes: Map<AcronymKey, string> | null = null
const byId = new Map(ACRONYMS.map((a) => [a.id, a]))

function lettersOf(form: string): string {
  return foldText(form).replace(/[^\p{L}]/gu, '')
}

/** The table entry an acronym belongs to, if any. */
export function acronymClass(key: AcronymKey): string | null {
  if (!classes) {
    classes = new Map()
    for (const a of ACRONYMS) {
      for (const [script, forms] of Object.entries(a.forms) as [Script, string[]][]) {
        for (const f of forms) {
          const k = acronymKey(script, lettersOf(f))
          const had = classes.get(k)
          if (had && had !== a.id) throw new Error(`acronyms: ${k} is both ${had} and ${a.id}`)
          classes.set(k, a.id)
        }
      }
    }
  }
  return classes.get(key) ?? null
}

/** The names an acronym of the table stands for. */
export function expansionsOf(id: string): readonly string[] {
  return byId.get(id)?.expansions ?? []
}

const isUpper = (c: string) => c !== c.toLowerCase() && c === c.toUpperCase()

/**
 * The acronym a name is, if it looks like one: a single word of 2–6 letters in capitals
 * ("HTS", "ИГИЛ"), with capitals and the odd small letter ("JaN" → jan and jn), any single word of
 * 2–5 letters (people type "hts", and Arabic has no capitals: "داعش", "قسد"), or letters
 * written apart ("I.S.I.L.").
 */
export function acronymKeysOf(tokens: readonly RawToken[], script: Script): AcronymKey[] {
  if (tokens.length > 1 && tokens.length <= 6 && tokens.every((t) => [...t.raw].length === 1)) {
    return [acronymKey(script, tokens.map((t) => t.folded).join(''))]
  }
  if (tokens.length !== 1) return []
  const raw = tokens[0]!.raw.replace(/[^\p{L}]/gu, '')
  const chars = [...raw]
  if (chars.length < 2 || chars.length > 6) return []
  const folded = foldText(raw)
  const upper = chars.filter(isUpper).length
  if (upper === chars.length || chars.length <= 5) {
    const keys = [acronymKey(script, folded)]
    if (upper >= 2 && upper < chars.length) keys.push(acronymKey(script, foldText(chars.filter(isUpper).join(''))))
    return keys
  }
  if (upper >= 2) return [acronymKey(script, foldText(chars.filter(isUpper).join('')))]
  return []
}
