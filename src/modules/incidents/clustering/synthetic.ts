// Simulated reports of real events, for measuring the clustering: each UCDP GED event is reported
// one to five times by different sources (monitoring teams, the parties, media outlets, members of
// the public), each seeing it its own way, as sources do:
// - time jittered within the event's date precision (a monitor gives the hour, others the day);
// - place jittered within the event's where precision (uniformly over the precision's disc);
// - category the event's, often a compatible one (an airstrike reported as an explosion), rarely
//   another;
// - actors named as each source names them (acronyms, other spellings and scripts, generic words
//   like "rebels", part of a coalition, the sides swapped in a party's allegation, or nobody), and
//   resolved to registry actors only as often as an intake resolver would manage;
// - a description from templates in English, French, Arabic or Russian, with the place's name (in
//   that script, spelled variously, or only the district) and the death toll as that source gives
//   it (the best estimate, a figure within UCDP's low–high range, an inflated one, or none);
// - arrival mostly in order of time, each source with its own lag.
// Seeded: the same events and seed give the same reports in the same order.
import { parseCsv } from '../../actors/import/csv.ts'
import type { Category, DatePrecision, SourceKind, WherePrecision } from '../incidents.types.ts'
import { CATEGORIES, DATE_PRECISION_DAYS, WHERE_PRECISION_M } from '../incidents.types.ts'
import { categoryCompatibility, COMPATIBLE } from './categories.ts'
import type { ActorMention, ClusterReport } from './clustering.types.ts'
import { destinationPoint } from './place.ts'
import { seededRandom } from '../../../lib/random.ts'

const DAY = 86_400_000
const HOUR = 3_600_000

/** One UCDP GED event, the fields the simulation uses. */
export type GedEvent = {
  id: string
  /** date_start and date_end, epoch ms at 00:00 UTC. */
  dateStart: number
  dateEnd: number
  datePrecision: DatePrecision
  lat: number
  lon: number
  wherePrecision: WherePrecision
  /** where_coordinates ("Teir Maaleh village"), adm_1, adm_2. */
  place: string
  adm1: string
  adm2: string
  sideA: string
  sideB: string
  typeOfViolence: 1 | 2 | 3
  low: number
  best: number
  high: number
  headline: string
}

/**
 * The events of a UCDP GED CSV (the candidate/extended layout: id, date_start, date_prec,
 * latitude, longitude, where_prec, where_coordinates, side_a, side_b, type_of_violence, low, best,
 * high …).
 */
export function readGedEvents(csv: string | Buffer): GedEvent[] {
  const records = parseCsv(csv)
  const header = records[0]?.fields ?? []
  const col = (name: string) => {
    const i = header.indexOf(name)
    if (i < 0) throw new Error(`UCDP GED CSV without a ${name} column`)
    return i
  }
  const c = {
    id: col('id'), dateStart: col('date_start'), dateEnd: col('date_end'), datePrec: col('date_prec'), lat: col('latitude'), lon: col('longitude'),
    wherePrec: col('where_prec'), place: col('where_coordinates'), adm1: col('adm_1'), adm2: col('adm_2'), sideA: col('side_a'), sideB: col('side_b'),
    type: col('type_of_violence'), low: col('low'), best: col('best'), high: col('high'), headline: col('source_headline'),
  }
  const out: GedEvent[] = []
  for (const r of records.slice(1)) {
    const f = r.fields
    if (f.length < header.length) continue
    const get = (i: number) => f[i] ?? ''
    out.push({
      id: get(c.id),
      dateStart: Date.parse(get(c.dateStart) + 'T00:00:00Z'),
      dateEnd: Date.parse((get(c.dateEnd) || get(c.dateStart)) + 'T00:00:00Z'),
      datePrecision: Math.min(5, Math.max(1, Number(get(c.datePrec)) || 1)) as DatePrecision,
      lat: Number(get(c.lat)),
      lon: Number(get(c.lon)),
      wherePrecision: Math.min(7, Math.max(1, Number(get(c.wherePrec)) || 1)) as WherePrecision,
      place: get(c.place), adm1: get(c.adm1), adm2: get(c.adm2),
      sideA: get(c.sideA), sideB: get(c.sideB),
      typeOfViolence: (Number(get(c.type)) || 1) as 1 | 2 | 3,
      low: Number(get(c.low)) || 0, best: Number(get(c.best)) || 0, high: Number(get(c.high)) || 0,
      headline: get(c.headline),
    })
  }
  return out
}

export { seededRandom }

/** A simulated report with the event it truly reports and when it reached the platform. */
export type SimulatedReport = { report: ClusterReport; eventId: string; arrivesAt: number }

export type SimulationOptions = {
  seed?: number
  /** Reports per event, drawn uniformly (default 1–5). */
  minReports?: number
  maxReports?: number
}

// ---------- the event's category ----------

const HEADLINE_CATEGORIES: [RegExp, Category][] = [
  [/drone|\buav/i, 'drone_strike'],
  [/air ?strike|air ?raid|warplane|aerial|helicopter|barrel|jets?\b|raids?\b/i, 'airstrike'],
  [/shell|artillery|rocket|mortar|missile|bombard|cannon/i, 'shelling'],
  [/explo|\bbomb|ied\b|mine\b|blast|booby/i, 'explosion'],
  [/sniper|gunfire|gunshot|shot|bullet|shooting/i, 'small_arms'],
  [/clash|battle|advance|assault|offensive|fight|attack|storm/i, 'ground_attack'],
]

/** What the event was, as far as its headline and kind of violence tell: the truth the sources see. */
export function eventCategory(e: GedEvent, random: () => number): Category {
  if (e.typeOfViolence === 3 && random() < 0.6) return 'civilian_harm'
  const hinted = HEADLINE_CATEGORIES.filter(([re]) => re.test(e.headline)).map(([, c]) => c)
  if (hinted.length) return pick(random, hinted)
  if (e.typeOfViolence === 1) return pickWeighted(random, [['ground_attack', 4], ['shelling', 3], ['airstrike', 3]])
  return pickWeighted(random, [['ground_attack', 5], ['small_arms', 3], ['explosion', 2]])
}

function reportedCategory(truth: Category, random: () => number): Category {
  const u = random()
  if (u < 0.75) return truth
  if (u < 0.97) {
    const near = CATEGORIES.filter((c) => c !== truth && categoryCompatibility(c, truth) >= COMPATIBLE)
    if (near.length) return pick(random, near)
    return truth
  }
  return pick(random, CATEGORIES.filter((c) => c !== truth))
}

// ---------- sources ----------

type Source = { kind: SourceKind; key: string; language: Language; resolves: number; omitsPerpetrator: number; omitsTarget: number; meanLagH: number }
type Language = 'en' | 'fr' | 'ar' | 'ru'

const slug = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'x'
const MEDIA_OUTLETS = 20

function chooseSource(e: GedEvent, random: () => number): Source {
  const kind = pickWeighted<SourceKind>(random, [['monitor_observation', 25], ['party_allegation', 20], ['media', 35], ['public', 20]])
  const language = pickWeighted<Language>(random, [['en', 60], ['ar', 15], ['fr', 12], ['ru', 13]])
  switch (kind) {
    case 'monitor_observation':
      // Two monitoring teams per governorate.
      return { kind, key: `monitor:${slug(e.adm1 || 'syria')}-${1 + Math.floor(random() * 2)}`, language: 'en', resolves: 0.9, omitsPerpetrator: 0.1, omitsTarget: 0.1, meanLagH: 6 }
    case 'party_allegation': {
      const sides = [e.sideA, e.sideB].filter((s) => s && s !== 'Civilians')
      const party = sides.length ? pick(random, sides) : 'Government of Syria'
      return { kind, key: `party:${slug(party.split(',')[0]!)}`, language, resolves: 0.8, omitsPerpetrator: 0.02, omitsTarget: 0.05, meanLagH: 8 }
    }
    case 'media':
      return { kind, key: `media:outlet-${1 + Math.floor(random() * MEDIA_OUTLETS)}`, language, resolves: 0.6, omitsPerpetrator: 0.15, omitsTarget: 0.15, meanLagH: 12 }
    default:
      return { kind, key: `public:${Math.floor(random() * 1e9).toString(36)}`, language, resolves: 0.3, omitsPerpetrator: 0.35, omitsTarget: 0.3, meanLagH: 24 }
  }
}

// ---------- actors ----------

/** How sources name the frequent actors: [name, whether the registry holds it as an alias]. */
const ALIASES: Record<string, [string, boolean][]> = {
  'Government of Syria': [['Government of Syria', true], ['Syrian government', true], ['Syrian Arab Army', true], ['SAA', true], ['Syrian regime', false], ['regime forces', false], ['government forces', false], ['Assad forces', false], ['الجيش العربي السوري', true], ['Сирийская арабская армия', true]],
  'IS': [['IS', true], ['ISIS', true], ['ISIL', true], ['Islamic State', true], ['Daesh', true], ['داعش', true], ['ИГИЛ', true], ['Islamic State of Iraq and the Levant', true], ['jihadists', false]],
  'SDF': [['SDF', true], ['Syrian Democratic Forces', true], ['QSD', true], ['قسد', true], ['Kurdish-led forces', false]],
  'Syrian insurgents': [['Syrian insurgents', true], ['rebels', false], ['opposition factions', false], ['armed opposition', false], ['insurgents', false], ['المعارضة المسلحة', false], ['боевики', false]],
  'Civilians': [['civilians', true], ['residents', false], ['civilian population', false], ['المدنيين', false], ['мирные жители', false]],
  'HTS': [['HTS', true], ["Hay'at Tahrir al-Sham", true], ['Hayat Tahrir al-Sham', true], ['Tahrir al-Sham', true], ['هيئة تحرير الشام', true]],
  'Jabhat Fateh al-Sham': [['Jabhat Fateh al-Sham', true], ['JFS', true], ['Jabhat Fatah al-Sham', true], ['جبهة فتح الشام', true], ['Nusra Front', false]],
  'Government of Turkey': [['Government of Turkey', true], ['Turkish army', true], ['Turkish Armed Forces', true], ['TSK', true], ['Turkish forces', false]],
  'Government of Israel': [['Government of Israel', true], ['IDF', true], ['Israel Defense Forces', true], ['Israeli army', true]],
  'Government of Iraq': [['Government of Iraq', true], ['Iraqi army', true], ['Iraqi forces', false]],
  'Government of Iran': [['Government of Iran', true], ['IRGC', true], ['Iranian forces', false]],
  'SNA': [['SNA', true], ['Syrian National Army', true], ['الجيش الوطني السوري', true], ['Turkish-backed factions', false]],
  'National Front for Liberation': [['National Front for Liberation', true], ['NLF', true], ['National Liberation Front', true], ['الجبهة الوطنية للتحرير', true]],
  'Ahrar al-Sham': [['Ahrar al-Sham', true], ['Ahrar ash-Sham', true], ['Harakat Ahrar al-Sham', true], ['أحرار الشام', true]],
  'Jaysh al-Islam': [['Jaysh al-Islam', true], ['Jaish al-Islam', true], ['Army of Islam', true], ['جيش الإسلام', true]],
  'Rahman Corps': [['Rahman Corps', true], ['Faylaq al-Rahman', true], ['Failaq al-Rahman', true]],
  'Sham Legion': [['Sham Legion', true], ['Faylaq al-Sham', true]],
  'Nour al-Din al-Zenki': [['Nour al-Din al-Zenki', true], ['Nureddin Zinki', true], ['Zenki Movement', true]],
  'Hawar Kilis Operations Room': [['Hawar Kilis Operations Room', true], ['Hawar Kilis', false], ['Euphrates Shield factions', false]],
}

/** Another spelling of a transliterated name: an article changed or dropped, a vowel, a doubled letter, hyphens. */
export function respell(name: string, random: () => number): string {
  const edits: ((s: string) => string)[] = [
    (s) => s.replace(/\bal-/i, random() < 0.5 ? 'el-' : ''),
    (s) => s.replace(/\bal-/gi, 'al '),
    (s) => s.replace(/ou/, 'u').replace(/ay/, 'ai'),
    (s) => s.replace(/([aeiou])([bcdfghjklmnpqrstvwxz])\2/, '$1$2'),
    (s) => s.replace(/([aeiou])([lmnrst])([aeiou])/, '$1$2$2$3'),
    (s) => s.replace(/e/, 'a'),
    (s) => s.replace(/-/g, ' ').replace(/'/g, ''),
    (s) => s.replace(/i/, 'ee'),
  ]
  let out = name
  const n = 1 + Math.floor(random() * 2)
  for (let i = 0; i < n; i++) out = pick(random, edits)(out)
  return out
}

function nameActor(actor: string, random: () => number): { name: string; registry: boolean } {
  const aliases = ALIASES[actor]
  if (aliases) {
    const [name, registry] = pick(random, aliases)
    return { name, registry }
  }
  if (random() < 0.5) return { name: actor, registry: true }
  const name = respell(actor, random)
  return { name, registry: name === actor }
}

/** A side as a source names it, and the actors a resolver finds for it when it does. */
function mentionOf(side: string, source: Source, random: () => number, omits: number): ActorMention | undefined {
  if (!side || random() < omits) return undefined
  let members = side.split(/,\s*/).filter(Boolean)
  if (members.length > 1 && random() < 0.45) {
    const keep = members.filter(() => random() < 0.6)
    members = keep.length ? keep : [pick(random, members)]
  }
  if (members.length > 1 && random() < 0.3) members = shuffle(random, members)
  const named = members.map((m) => nameActor(m, random))
  const joiner = source.language === 'ar' ? ' و ' : members.length > 2 || random() < 0.5 ? ', ' : ' and '
  const name = named.map((n) => n.name).join(joiner)
  const resolved = named.every((n) => n.registry) && random() < source.resolves
  if (!resolved) return { name }
  // The registry knows the members and, through memberships, the coalition they fought in.
  const actorIds = members.map((m) => `actor:${slug(m)}`)
  if (side.includes(',')) actorIds.push(`actor:${slug(side)}`)
  return { name, actorIds }
}

// ---------- descriptions ----------

const CATEGORY_WORDS: Record<Language, Record<Category, string>> = {
  en: {
    shelling: 'shelling', airstrike: 'airstrike', drone_strike: 'drone strike', ground_attack: 'ground attack', small_arms: 'gunfire', explosion: 'explosion',
    heavy_weapons_in_zone: 'heavy weapons', monitor_restriction: 'monitors blocked', attack_on_protected_site: 'attack on a hospital', attack_on_humanitarian: 'attack on aid workers',
    aid_obstruction: 'aid blocked', civilian_harm: 'civilians harmed',
  },
  fr: {
    shelling: 'bombardement', airstrike: 'frappe aérienne', drone_strike: 'frappe de drone', ground_attack: 'attaque terrestre', small_arms: 'tirs', explosion: 'explosion',
    heavy_weapons_in_zone: 'armes lourdes', monitor_restriction: 'observateurs bloqués', attack_on_protected_site: 'attaque contre un hôpital', attack_on_humanitarian: 'attaque contre des humanitaires',
    aid_obstruction: 'aide bloquée', civilian_harm: 'civils touchés',
  },
  ar: {
    shelling: 'قصف مدفعي', airstrike: 'غارة جوية', drone_strike: 'غارة بطائرة مسيرة', ground_attack: 'هجوم بري', small_arms: 'إطلاق نار', explosion: 'انفجار',
    heavy_weapons_in_zone: 'أسلحة ثقيلة', monitor_restriction: 'منع المراقبين', attack_on_protected_site: 'استهداف مستشفى', attack_on_humanitarian: 'استهداف عمال الإغاثة',
    aid_obstruction: 'منع المساعدات', civilian_harm: 'إصابة مدنيين',
  },
  ru: {
    shelling: 'обстрел', airstrike: 'авиаудар', drone_strike: 'удар беспилотника', ground_attack: 'наземная атака', small_arms: 'стрельба', explosion: 'взрыв',
    heavy_weapons_in_zone: 'тяжёлое вооружение', monitor_restriction: 'наблюдателей не пустили', attack_on_protected_site: 'удар по больнице', attack_on_humanitarian: 'нападение на гуманитариев',
    aid_obstruction: 'помощь заблокирована', civilian_harm: 'пострадали мирные жители',
  },
}

type Fill = { kind: string; place: string; region: string; perp: string; target: string; n: string; injured: string }
const TEMPLATES: Record<Language, { withToll: ((f: Fill) => string)[]; withoutToll: ((f: Fill) => string)[] }> = {
  en: {
    withToll: [
      (f) => `${cap(f.kind)} on ${f.place}: ${f.n} killed${f.injured ? `, ${f.injured} injured` : ''}.`,
      (f) => `${f.perp || 'Unknown forces'} hit ${f.place} (${f.region}), killing ${f.n}${f.target ? ` ${f.target}` : ' people'}.`,
      (f) => `${f.n} people were killed in a ${f.kind} in ${f.place}${f.perp ? `, blamed on ${f.perp}` : ''}.`,
      (f) => `Reports from ${f.place}: ${f.kind}, ${f.n} dead${f.target ? ` among ${f.target}` : ''}. ${f.injured ? `${f.injured} wounded.` : ''}`,
      (f) => `${f.region}: ${f.kind} by ${f.perp || 'unidentified attackers'} near ${f.place} left ${f.n} dead.`,
    ],
    withoutToll: [
      (f) => `${cap(f.kind)} reported in ${f.place}${f.perp ? ` by ${f.perp}` : ''}, no word on casualties.`,
      (f) => `${f.place} (${f.region}): ${f.kind}${f.target ? ` against ${f.target}` : ''}, damage to houses.`,
    ],
  },
  fr: {
    withToll: [
      (f) => `${cap(f.kind)} sur ${f.place} : ${f.n} morts${f.injured ? ` et ${f.injured} blessés` : ''}.`,
      (f) => `${f.n} tués lors d'une ${f.kind} à ${f.place} (${f.region})${f.perp ? `, attribuée à ${f.perp}` : ''}.`,
    ],
    withoutToll: [(f) => `${cap(f.kind)} signalé à ${f.place}${f.perp ? ` par ${f.perp}` : ''}, bilan inconnu.`],
  },
  ar: {
    withToll: [
      (f) => `${f.kind} على ${f.place} أسفر عن مقتل ${f.n} أشخاص${f.injured ? ` وإصابة ${f.injured}` : ''}`,
      (f) => `مقتل ${f.n} في ${f.kind} استهدف ${f.place} في ${f.region}${f.perp ? ` من قبل ${f.perp}` : ''}`,
    ],
    withoutToll: [(f) => `${f.kind} على ${f.place}${f.perp ? ` من قبل ${f.perp}` : ''} دون أنباء عن إصابات`],
  },
  ru: {
    withToll: [
      (f) => `${cap(f.kind)} в районе ${f.place}: погибли ${f.n} человек${f.injured ? `, ранены ${f.injured}` : ''}.`,
      (f) => `${f.perp ? `${f.perp}: ` : ''}${f.kind} по ${f.place} (${f.region}), ${f.n} погибших.`,
    ],
    withoutToll: [(f) => `${cap(f.kind)} в ${f.place}${f.perp ? ` (${f.perp})` : ''}, данных о жертвах нет.`],
  },
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** The place's name without the kind of place GED adds ("Teir Maaleh village" → "Teir Maaleh"). */
export function placeName(place: string): string {
  return place.replace(/\s+(town|village|city|area|district|governorate|camp|mountain|hill|region|neighbou?rhood|province|subdistrict|road|valley|plain|desert)$/i, '').split('/')[0]!.trim()
}

const CYRILLIC_DIGRAPHS: [string, string][] = [['sh', 'ш'], ['kh', 'х'], ['ch', 'ч'], ['zh', 'ж'], ['ts', 'ц'], ['ya', 'я'], ['yu', 'ю'], ['ou', 'у'], ['ee', 'и'], ['th', 'с'], ['dh', 'з'], ['gh', 'г']]
const CYRILLIC_LETTERS: Record<string, string> = {
  a: 'а', b: 'б', c: 'к', d: 'д', e: 'е', f: 'ф', g: 'г', h: 'х', i: 'и', j: 'дж', k: 'к', l: 'л', m: 'м', n: 'н', o: 'о', p: 'п', q: 'к', r: 'р', s: 'с', t: 'т', u: 'у', v: 'в', w: 'в', x: 'кс', y: 'й', z: 'з',
}
const ARABIC_DIGRAPHS: [string, string][] = [['sh', 'ش'], ['kh', 'خ'], ['th', 'ث'], ['dh', 'ذ'], ['gh', 'غ'], ['aa', 'ا'], ['ee', 'ي'], ['ou', 'و'], ['oo', 'و']]
const ARABIC_LETTERS: Record<string, string> = {
  b: 'ب', t: 'ت', j: 'ج', h: 'ح', d: 'د', r: 'ر', z: 'ز', s: 'س', f: 'ف', q: 'ق', k: 'ك', l: 'ل', m: 'م', n: 'ن', w: 'و', y: 'ي', g: 'غ', c: 'ك', p: 'ب', v: 'ف', x: 'كس',
}

/** A Latin place name as a Russian report writes it (roughly: letters and the common digraphs). */
export function toCyrillic(latin: string): string {
  return transliterate(latin, CYRILLIC_DIGRAPHS, (c) => CYRILLIC_LETTERS[c] ?? c)
}

/** A Latin place name as an Arabic report writes it (consonants, long vowels, an initial vowel as alef, "al-" as ال). */
export function toArabicScript(latin: string): string {
  return latin.split(/\s+/).map((word) => {
    const w = word.toLowerCase().replace(/^[ae]l-/, 'ال').replace(/['’-]/g, '')
    return transliterate(w, ARABIC_DIGRAPHS, (c, first) => ARABIC_LETTERS[c] ?? (first && 'aeiou'.includes(c) ? 'ا' : c === 'i' || c === 'e' ? '' : c === 'o' || c === 'u' ? 'و' : c === 'a' ? '' : c))
  }).join(' ')
}

function transliterate(s: string, digraphs: [string, string][], single: (c: string, first: boolean) => string): string {
  const lower = s.toLowerCase()
  let out = ''
  for (let i = 0; i < lower.length;) {
    const d = digraphs.find(([from]) => lower.startsWith(from, i))
    const first = i === 0 || !/[a-z]/.test(lower[i - 1]!)
    if (d) {
      out += d[1]
      i += d[0].length
    } else {
      const c = lower[i]!
      out += /[a-z]/.test(c) ? single(c, first) : c
      i++
    }
  }
  return out
}

const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩'
const arabicDigits = (n: string) => n.replace(/[0-9]/g, (d) => ARABIC_INDIC[Number(d)]!)

function toll(e: GedEvent, source: Source, random: () => number): number | null {
  const best = e.best
  switch (source.kind) {
    case 'monitor_observation': return random() < 0.9 ? best : null
    case 'party_allegation': return random() < 0.3 ? Math.round(Math.max(e.high, best) * (1 + random())) : best
    case 'media': return e.high > e.low ? e.low + Math.floor(random() * (e.high - e.low + 1)) : best
    default: return random() < 0.5 ? best : null
  }
}

function describe(e: GedEvent, category: Category, source: Source, perp: ActorMention | undefined, target: ActorMention | undefined, random: () => number): string {
  const lang = source.language
  const u = random()
  let place = u < 0.1 && e.adm2 ? e.adm2 : u < 0.15 && e.adm1 ? e.adm1 : placeName(e.place) || e.adm2 || e.adm1
  if (random() < 0.3) place = respell(place, random)
  let region = (e.adm1 || 'Syria').replace(/\s+Governorate$/i, '')
  if (lang === 'ru') {
    place = toCyrillic(place)
    region = toCyrillic(region)
  } else if (lang === 'ar') {
    place = toArabicScript(place)
    region = toArabicScript(region)
  }
  const n = toll(e, source, random)
  const injured = n !== null && random() < 0.2 ? String(Math.floor(random() * (2 * n + 3))) : ''
  const fill: Fill = {
    kind: CATEGORY_WORDS[lang][category], place, region,
    perp: perp?.name ?? '', target: target?.name ?? '',
    n: n === null ? '' : lang === 'ar' && random() < 0.5 ? arabicDigits(String(n)) : String(n),
    injured: lang === 'ar' && injured ? arabicDigits(injured) : injured,
  }
  const templates = n === null || n === 0 ? TEMPLATES[lang].withoutToll : TEMPLATES[lang].withToll
  return pick(random, templates)(fill).replace(/\s+/g, ' ').trim()
}

// ---------- reports ----------

/**
 * Simulated reports of the events, in order of arrival, each with the event it reports.
 *
 * @example
 * const reports = simulateReports(readGedEvents(csv), { seed: 1 })
 * reports[0] // { report: { id: 'report-1', occurredAt: …, description: 'Shelling on Teir Maaleh: 4 killed.', … }, eventId: '214797', arrivesAt: … }
 */
export function simulateReports(events: readonly GedEvent[], options: SimulationOptions = {}): SimulatedReport[] {
  const random = seededRandom(options.seed ?? 1)
  const min = options.minReports ?? 1, max = options.maxReports ?? 5
  const out: (Omit<SimulatedReport, 'report'> & { report: Omit<ClusterReport, 'id'> })[] = []
  for (const e of events) {
    const truth = eventCategory(e, random)
    // The hour it happened, which UCDP does not record and a monitor logs (give or take an hour).
    const hour = random() * 24
    const count = min + Math.floor(random() * (max - min + 1))
    const used = new Set<string>()
    for (let k = 0; k < count; k++) {
      let source = chooseSource(e, random)
      for (let tries = 0; used.has(source.key) && tries < 20; tries++) source = chooseSource(e, random)
      if (used.has(source.key)) continue
      used.add(source.key)

      const occurredAt = reportedTime(e, source, hour, random)
      const [lon, lat] = jitterPlace(e, random)
      // A party alleges the other side attacked it; others mostly follow who attacked whom.
      const partySide = source.kind === 'party_allegation' ? source.key.slice('party:'.length) : ''
      const swap = e.typeOfViolence !== 3 && (partySide ? partySide === slug(e.sideA.split(',')[0]!) : random() < 0.3)
      const [perpSide, targetSide] = swap ? [e.sideB, e.sideA] : [e.sideA, e.sideB]
      const perpetrator = mentionOf(perpSide, source, random, source.omitsPerpetrator)
      const target = mentionOf(targetSide, source, random, source.omitsTarget)
      const category = reportedCategory(truth, random)
      const lagH = random() < 0.05 ? 24 + random() * 216 : -Math.log(1 - random()) * source.meanLagH
      out.push({
        eventId: e.id,
        arrivesAt: Math.max(occurredAt, e.dateEnd + (e.datePrecision > 1 ? DAY : 0)) + lagH * HOUR,
        report: {
          occurredAt, datePrecision: e.datePrecision, lon, lat, wherePrecision: e.wherePrecision, category,
          perpetrator, target, description: describe(e, category, source, perpetrator, target, random),
          sourceKind: source.kind, sourceKey: source.key,
        },
      })
    }
  }
  // Arrival order; ids numbered in it, so they say nothing about the event.
  const order = out.map((_, i) => i).sort((a, b) => out[a]!.arrivesAt - out[b]!.arrivesAt || a - b)
  return order.map((i, k) => {
    const s = out[i]!
    return { eventId: s.eventId, arrivesAt: s.arrivesAt, report: { id: `report-${k + 1}`, ...s.report } }
  })
}

function reportedTime(e: GedEvent, source: Source, hour: number, random: () => number): number {
  if (e.datePrecision === 1) {
    // A monitor logs the hour; the others give the day.
    if (source.kind !== 'monitor_observation') return e.dateStart + 12 * HOUR
    return e.dateStart + Math.round(Math.min(23.99, Math.max(0, hour + 2 * random() - 1)) * HOUR)
  }
  const span = e.dateEnd + DAY - e.dateStart
  const half = DATE_PRECISION_DAYS[e.datePrecision] * DAY
  const mid = e.dateStart + span / 2
  const jitter = Math.min(span / 2, half)
  return Math.round(mid + (2 * random() - 1) * jitter)
}

function jitterPlace(e: GedEvent, random: () => number): [number, number] {
  const radius = WHERE_PRECISION_M[e.wherePrecision]
  const d = radius * Math.sqrt(random())
  return destinationPoint(e.lon, e.lat, random() * 360, d)
}

function pick<T>(random: () => number, xs: readonly T[]): T {
  return xs[Math.floor(random() * xs.length)]!
}

function pickWeighted<T>(random: () => number, xs: readonly [T, number][]): T {
  const total = xs.reduce((s, [, w]) => s + w, 0)
  let u = random() * total
  for (const [x, w] of xs) {
    u -= w
    if (u < 0) return x
  }
  return xs[xs.length - 1]![0]
}

function shuffle<T>(random: () => number, xs: readonly T[]): T[] {
  const out = [...xs]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}
