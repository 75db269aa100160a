// The words short messages use, in English, Arabic and Russian, and what each says: a category
// of incident, a counted unit, killed or injured, civilians or fighters, a protected site, aid,
// monitors, obstruction, a word before a place, the structured form's opening word. Phrases are
// matched on folded words (case, Arabic letter forms and diacritics, ё), Arabic with its article
// and a clitic letter off, a trailing "*" for any ending (Russian cases, English plurals).
import type { Category, CountUnit } from '../incidents.types.ts'
import { foldText, stripArabicArticle } from '../../actors/matching/normalize.ts'
import type { TextToken } from './gazetteer.ts'

export type Feature =
  | { kind: 'category'; category: Category; confidence: number }
  | { kind: 'unit'; unit: CountUnit; count?: number }
  | { kind: 'killed' | 'injured'; count?: number }
  | { kind: 'site' | 'aid' | 'monitor' | 'obstruct' | 'civilian' | 'combatant' | 'locative' | 'trigger' }
  | { kind: 'number'; value: number; implicit?: boolean }

type Entry = { phrase: string[]; features: Feature[] }

const cat = (category: Category, confidence = 0.85): Feature => ({ kind: 'category', category, confidence })
const unit = (u: CountUnit, count?: number): Feature => (count === undefined ? { kind: 'unit', unit: u } : { kind: 'unit', unit: u, count })

// Each line: features, then alternatives separated by "|"; words of a phrase by spaces; a trailing
// "*" matches any ending. Written as people type them; folded (case, Arabic letter forms, ё) when built.
const LEXICON: [Feature[], string][] = [
  // shelling
  [[cat('shelling')], 'shelling|shelled|shell|artillery|mortar*|howitzer*|mlrs|grad rocket*|rocket fire|tank fire|tank shell*'],
  [[cat('shelling', 0.6)], 'bombard*|bombing'],
  [[cat('shelling')], 'قصف|قصفت|يقصف|مدفعي*|هاون|راجمات|قصف مدفعي|قصف صاروخي'],
  [[cat('shelling')], 'обстрел*|артобстрел*|обстрелял*|обстрелива*|артиллери*|миномет*|минометн*|гаубиц*|рсзо|град'],
  [[cat('shelling', 0.6)], 'бомбардир*'],
  // airstrike
  [[cat('airstrike')], 'airstrike*|air strike*|air-strike*|air raid*|warplane*|war plane*|jet*|aircraft|helicopter*|barrel bomb*|plane*'],
  [[cat('airstrike')], 'غاره|غارات|غارتين|غارتان|قصف جوي|طيران|طيران حربي|طايرات حربيه|طايره حربيه|مروحي*|براميل|براميل متفجره|برميل متفجر|برميل'],
  [[cat('airstrike')], 'авиаудар*|авианалет*|авиаци*|воздушн* удар*|самолет*|вертолет*|бочк*'],
  // drone
  [[cat('drone_strike')], 'drone*|uav*|unmanned aerial|quadcopter*'],
  [[cat('drone_strike')], 'مسيره|مسيرات|طايره مسيره|طايرات مسيره|طايره بدون طيار|درون'],
  [[cat('drone_strike')], 'беспилотн*|дрон*|бпла|квадрокоптер*'],
  // explosion
  [[cat('explosion')], 'explosion*|explod*|blast*|ied*|vbied*|car bomb*|explosive*|landmine*|land mine*|suicide bomb*|detonation*'],
  [[cat('explosion')], 'انفجار|تفجير|انفجارات|عبوه ناسفه|عبوه|مفخخه|سياره مفخخه|لغم|الغام'],
  [[cat('explosion')], 'взрыв*|подрыв*|сву|фугас*|заминирован*'],
  // small arms
  [[cat('small_arms')], 'gunfire|shooting|shots fired|sniper*|sniping|small arms|small-arms|machine gun*|machinegun*|bullet*|gunmen|gun fire'],
  [[cat('small_arms')], 'اطلاق نار|اطلاق النار|رصاص|قنص|قناص*|رشاش*|اطلاق رصاص'],
  [[cat('small_arms')], 'стрельб*|перестрелк*|снайпер*|пулемет*|стрелков* оруж*|автоматн*'],
  // heavy weapons in a zone
  [[cat('heavy_weapons_in_zone')], 'tank|tanks|heavy weapon*|armoured vehicle*|armored vehicle*|armour|armor'],
  [[cat('heavy_weapons_in_zone')], 'دبابه|دبابات|اسلحه ثقيله|مدرعه|مدرعات|اليات ثقيله'],
  [[cat('heavy_weapons_in_zone')], 'танк*|тяжел* вооружени*|тяжел* техник*|бронетехник*|бтр'],
  // ground attack
  [[cat('ground_attack')], 'attack*|assault*|offensive|advance*|storm*|clash*|clashes|infiltrat*|raid*|incursion*'],
  [[cat('ground_attack')], 'هجوم|هجوما|هجمات|هاجم*|اقتحام|اقتحم*|اشتباك*|اشتباكات|تقدم|تسلل|معارك'],
  [[cat('ground_attack')], 'наступлени*|наступа*|штурм*|атак*|атаков*|бой|бои|боев*|столкновени*|прорыв*'],
  // counted units (a number before them is a count; alone they also hint at the category)
  [[unit('explosions')], 'explosions|explosion|blasts|blast|detonations|انفجار|انفجارات|взрыв|взрыва|взрывов|взрывы'],
  [[unit('explosions', 2)], 'انفجاران|انفجارين'],
  [[unit('projectiles'), cat('shelling', 0.5)], 'shells|rounds|rockets|rocket|missiles|missile|projectiles|projectile|mortars|mortar rounds|mortar shells|artillery shells|grenades'],
  [[unit('projectiles'), cat('shelling', 0.5)], 'قذيفه|قذايف|صاروخ|صواريخ|قذيفه هاون|قذايف هاون'],
  [[unit('projectiles', 2), cat('shelling', 0.5)], 'قذيفتان|قذيفتين|قذيفتي|صاروخان|صاروخين|صاروخي'],
  [[unit('projectiles'), cat('shelling', 0.5)], 'снаряд*|мин|мины|мина|ракет*|реактивн* снаряд*'],
  [[unit('bursts'), cat('small_arms', 0.5)], 'bursts|burst|رشقه|رشقات|صليه|صليات|очеред*'],
  [[unit('shots'), cat('small_arms', 0.5)], 'shots|shot|gunshots|gunshot|طلقه|طلقات|выстрел*'],
  // casualties
  [[{ kind: 'killed' }], 'killed|dead|died|death*|fatalit*|martyr*|martyred'],
  [[{ kind: 'killed' }], 'قتيل|قتلي|قتلوا|قتل|مقتل|شهيد|شهدا|استشهاد|استشهد*|وفاه|وفيات|ضحايا'],
  [[{ kind: 'killed', count: 2 }], 'قتيلان|قتيلين|شهيدان|شهيدين'],
  [[{ kind: 'killed' }], 'погиб*|убит*|убиты|убил*|гибел*|смерт*|жертв*'],
  [[{ kind: 'injured' }], 'injured|injuries|injury|wounded|wounding|hurt'],
  [[{ kind: 'injured' }], 'جريح|جرحي|اصابه|اصابات|مصاب*|اصيب*|جرح'],
  [[{ kind: 'injured', count: 2 }], 'جريحان|جريحين'],
  [[{ kind: 'injured' }], 'ранен*|ранены|ранил*|пострадал*|пострадавш*'],
  // A person in the singular is one, unless a number says otherwise ("a child killed", "مقتل طفل").
  [[{ kind: 'civilian' }, { kind: 'number', value: 1, implicit: true }], 'civilian|child|man|woman|boy|girl|مدني|طفل|طفله|رجل|امراه|شاب|سيده|ребенок|мужчина|женщина|мальчик|девочка|житель'],
  [[{ kind: 'civilian' }], 'civilian*|people|persons|children|child|women|residents|family|مدني*|اطفال|طفل|نساء|اشخاص|شخص|مواطن*|мирн*|жител*|человек*|детей|ребен*|женщин*|гражданск*'],
  [[{ kind: 'combatant' }], 'soldier*|fighter*|militant*|troops|combatant*|servicem*|جندي|جنود|عناصر|عنصر|مقاتل*|مسلح*|عسكري*|военн*|боевик*|солдат*|военнослужащ*|бойц*|бойцов'],
  // what was hit, who was stopped
  [[{ kind: 'site' }], 'hospital*|school*|clinic*|mosque*|church*|medical|bakery|market*|مستشفي|مشفي|مستوصف|مدرسه|مدارس|مسجد|جامع|كنيسه|فرن|سوق|больниц*|госпитал*|школ*|мечет*|церк*|поликлиник*|рынок|рынк*|пекарн*'],
  [[{ kind: 'aid' }], 'aid|humanitarian|convoy*|ambulance*|relief|red crescent|مساعدات|قافله|قوافل|اسعاف|سياره اسعاف|انساني*|الهلال الاحمر|гуманитарн*|колонн*|конво*|скор* помощ*|помощ*'],
  [[{ kind: 'monitor' }], 'monitor*|observer*|patrol*|مراقب*|المراقبين|دوريه|наблюдател*|мониторинг*|патрул*'],
  [[{ kind: 'obstruct' }], 'blocked|block|denied|deny|refused|prevented|stopped|restricted|obstructed|turned back|منع|منعت|منعوا|رفض|عرقله|ايقاف|منع دخول|не пропуст*|не пусти*|запрет*|блокир*|ограничи*|остановил*|отказ*'],
  // places follow these words; they are never places themselves
  [[{ kind: 'locative' }], 'in|at|near|on|around|outskirts|between|from|into|towards|toward|في|علي|قرب|بالقرب|محيط|حي|اطراف|ريف|بين|نحو|باتجاه|в|во|на|у|около|под|близ|возле|рядом|окрестност*|район|районе'],
  // the structured form's opening word
  [[{ kind: 'trigger' }], 'truce|هدنه|перемирие'],
]

// The structured form's category codes, after TRUCE or as a hashtag.
export const CODES: Record<string, Category> = {
  shell: 'shelling', shelling: 'shelling', art: 'shelling', artillery: 'shelling', mortar: 'shelling',
  air: 'airstrike', airstrike: 'airstrike', drone: 'drone_strike', drone_strike: 'drone_strike', uav: 'drone_strike',
  ground: 'ground_attack', ground_attack: 'ground_attack', attack: 'ground_attack', clash: 'ground_attack', clashes: 'ground_attack',
  arms: 'small_arms', small_arms: 'small_arms', smallarms: 'small_arms', sa: 'small_arms', gun: 'small_arms', gunfire: 'small_arms', sniper: 'small_arms',
  expl: 'explosion', explosion: 'explosion', ied: 'explosion', blast: 'explosion',
  hw: 'heavy_weapons_in_zone', heavy: 'heavy_weapons_in_zone', heavy_weapons: 'heavy_weapons_in_zone', heavy_weapons_in_zone: 'heavy_weapons_in_zone', tanks: 'heavy_weapons_in_zone',
  monitor: 'monitor_restriction', monitors: 'monitor_restriction', restriction: 'monitor_restriction', monitor_restriction: 'monitor_restriction',
  site: 'attack_on_protected_site', protected: 'attack_on_protected_site', attack_on_protected_site: 'attack_on_protected_site',
  hum: 'attack_on_humanitarian', humanitarian: 'attack_on_humanitarian', attack_on_humanitarian: 'attack_on_humanitarian',
  aid: 'aid_obstruction', aid_obstruction: 'aid_obstruction', obstruction: 'aid_obstruction',
  harm: 'civilian_harm', civ: 'civilian_harm', civilian_harm: 'civilian_harm', casualties: 'civilian_harm',
  قصف: 'shelling', غاره: 'airstrike', مسيره: 'drone_strike', اشتباك: 'ground_attack', اشتباكات: 'ground_attack', رصاص: 'small_arms', انفجار: 'explosion',
  обстрел: 'shelling', авиаудар: 'airstrike', дрон: 'drone_strike', бой: 'ground_attack', стрельба: 'small_arms', взрыв: 'explosion',
}

/** The unit a bare number counts in, after a category code ("#shelling 5"). */
export const DEFAULT_UNIT: Partial<Record<Category, CountUnit>> = {
  shelling: 'projectiles', airstrike: 'explosions', drone_strike: 'explosions', explosion: 'explosions', small_arms: 'bursts',
}

export const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, fifteen: 15, twenty: 20, dozen: 12, dozens: 24,
  واحد: 1, واحده: 1, اثنان: 2, اثنين: 2, اثنتان: 2, اثنتين: 2, ثلاث: 3, ثلاثه: 3, اربع: 4, اربعه: 4, خمس: 5, خمسه: 5, ست: 6, سته: 6,
  سبع: 7, سبعه: 7, ثمان: 8, ثماني: 8, ثمانيه: 8, تسع: 9, تسعه: 9, عشر: 10, عشره: 10,
  один: 1, одна: 1, одно: 1, одного: 1, два: 2, две: 2, двух: 2, три: 3, трех: 3, четыре: 4, четырех: 4, пять: 5, пяти: 5,
  шесть: 6, шести: 6, семь: 7, семи: 7, восемь: 8, восьми: 8, девять: 9, девяти: 9, десять: 10, десяти: 10, двенадцать: 12, двадцать: 20, десятки: 24,
}

/** Words that say nothing a report needs; left out of notUnderstood. */
export const FUNCTION_WORDS = new Set([
  'the', 'a', 'an', 'and', 'or', 'also', 'of', 'to', 'by', 'with', 'was', 'were', 'is', 'are', 'has', 'have', 'had', 'been', 'be', 'this', 'that', 'there',
  'since', 'about', 'after', 'before', 'again', 'today', 'now', 'still', 'very', 'many', 'several', 'some', 'heavy', 'intense', 'continues', 'continuing', 'ongoing',
  'reported', 'report', 'reports', 'heard', 'hit', 'hits', 'fell', 'targeted', 'targeting', 'struck', 'least', 'more', 'than', 'please', 'urgent', 'hello', 'hi',
  'و', 'او', 'ثم', 'من', 'الي', 'عن', 'مع', 'منذ', 'بعد', 'قبل', 'هذا', 'هذه', 'هناك', 'الان', 'حتي', 'لا', 'ما', 'تم', 'كان', 'كانت', 'عنيف', 'عنيفه', 'مكثف', 'استهداف', 'استهدف', 'سقوط', 'عدد', 'اكثر',
  'и', 'или', 'с', 'со', 'к', 'по', 'из', 'за', 'от', 'до', 'после', 'был', 'была', 'были', 'было', 'это', 'есть', 'уже', 'еще', 'сильный', 'сильные', 'интенсивный', 'продолжается', 'не', 'более', 'менее', 'около',
])

export const foldWord = (w: string): string => {
  const f = foldText(w)
  return /\p{Script=Arabic}/u.test(f) ? stripArabicArticle(f) : f
}

const LEXICON_ENTRIES: Entry[] = LEXICON.flatMap(([features, alternatives]) =>
  alternatives.split('|').map((phrase) => ({ phrase: phrase.trim().split(/\s+/).map((w) => (w.endsWith('*') ? `${foldWord(w.slice(0, -1))}*` : foldWord(w))), features })))

// Entries by the literal start of their first word, for a quick first test.
const ENTRIES_BY_HEAD = new Map<string, Entry[]>()
for (const e of LEXICON_ENTRIES) {
  const head = e.phrase[0]!.replace(/\*$/, '').slice(0, 2)
  ENTRIES_BY_HEAD.set(head, [...(ENTRIES_BY_HEAD.get(head) ?? []), e])
}

/** The forms a token may be read as: itself and, in Arabic, without a clitic letter (وقصف → قصف). */
export function readings(t: TextToken): string[] {
  const out = [t.folded]
  if (t.script === 'Arab' && /^[وفبلك]/.test(t.folded) && t.folded.length >= 4) out.push(stripArabicArticle(t.folded.slice(1)))
  return out
}

const wordMatches = (pattern: string, forms: string[]) =>
  pattern.endsWith('*') ? forms.some((f) => f.startsWith(pattern.slice(0, -1)) && f.length >= pattern.length - 1) : forms.includes(pattern)

/**
 * The longest phrase of the lexicon starting at token i (words not `used`, joined by blanks or
 * hyphens), with the features of every phrase of that length; or a number; or null.
 * @example phraseAt(textTokens('air strike on Idlib'), 0, []) // { length: 2, features: [{ kind: 'category', category: 'airstrike', … }] }
 */
export function phraseAt(tokens: readonly TextToken[], i: number, used: readonly boolean[]): { length: number; features: Feature[] } | null {
  let best: { length: number; features: Feature[] } | null = null
  const forms = readings(tokens[i]!)
  const candidates = new Set(forms.flatMap((f) => ENTRIES_BY_HEAD.get(f.slice(0, 2)) ?? []))
  for (const e of candidates) {
    if (!wordMatches(e.phrase[0]!, forms)) continue
    let ok = true
    for (let k = 1; k < e.phrase.length; k++) {
      const t = tokens[i + k]
      if (!t || used[i + k] || !t.joined || !wordMatches(e.phrase[k]!, readings(t))) { ok = false; break }
    }
    if (!ok) continue
    if (!best || e.phrase.length > best.length) best = { length: e.phrase.length, features: [...e.features] }
    else if (e.phrase.length === best.length) best.features.push(...e.features)
  }
  if (best) return best
  const folded = tokens[i]!.folded
  const value = /^\d+$/.test(folded) ? Number(folded) : NUMBER_WORDS[folded]
  return value === undefined ? null : { length: 1, features: [{ kind: 'number', value }] }
}
