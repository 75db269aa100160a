// What reports write around a group's name that is not part of it: "the Islamist group Ahrar
// al-Sham", "Hezbollah militia", "so-called Islamic State", "Iranian-backed Liwa Fatemiyoun",
// "Jabhat al-Nusra (Syria)", «террористическая группировка "Джебхат ан-Нусра" (запрещена в РФ)»,
// "تنظيم داعش الإرهابي". `coreOfName` gives the name without them; the matcher scores that core as
// one more reading of a name, never as an exact hit.
import { conceptOf } from './dictionary.ts'
import { foldText, isParticle, stripArabicArticle, tokenize, type RawToken } from './normalize.ts'

type Role = 'marker' | 'modifier' | 'participle' | 'head' | 'weak_head' | 'filler'

// "So-called", "self-styled": the name that follows is the group's own.
const MARKERS = new Set([
  'so', 'called', 'socalled', 'self', 'styled', 'selfstyled', 'proclaimed', 'selfproclaimed', 'dit', 'dite', 'dits', 'soi', 'disant', 'pretendu', 'pretendue',
  'так', 'ما', 'يسمي', 'مسمي', 'مزعوم', 'مزعومه',
])
const RUSSIAN_MARKER_STEMS = ['называем', 'самопровозглашенн']
// Words that describe a group and are never its name on their own.
const MODIFIERS = new Set([
  'islamist', 'islamists', 'jihadist', 'jihadists', 'jihadi', 'jihadiste', 'djihadiste', 'jihadistes', 'djihadistes', 'islamiste', 'islamistes',
  'terrorist', 'terror', 'terroriste', 'terroristes', 'extremist', 'extremiste', 'militant', 'radical', 'armed', 'arme', 'armes',
  'rebel', 'rebelle', 'opposition', 'insurgent', 'hardline', 'sunni', 'shia', 'shiite', 'chiite', 'sunnite',
  'pro', 'government', 'regime', 'assad', 'iran', 'iranian', 'turkish', 'turkey', 'russian', 'us', 'american', 'western',
  'syrian', 'iraqi', 'lebanese', 'afghan', 'pakistani', 'foreign', 'local', 'notorious', 'powerful', 'former', 'ex', 'paramilitary',
  'banned', 'outlawed', 'proscribed', 'designated', 'loyalist', 'россии', 'рф',
  'ارهابي', 'ارهابيه', 'متطرف', 'متطرفه', 'مسلح', 'مسلحه', 'معارض', 'معارضه', 'تكفيري', 'تكفيريه',
  // Nationality adjectives after an Arabic name ("حزب الله اللبناني", "الحشد الشعبي العراقي").
  'لبناني', 'لبنانيه', 'عراقي', 'عراقيه', 'كردي', 'كرديه', 'روسي', 'روسيه', 'ايراني', 'ايرانيه', 'تركي', 'تركيه', 'افغاني', 'افغانيه',
  'kurdish', 'palestinian', 'ukrainian', 'chechen', 'separatist', 'separatists', 'backed',
])
const RUSSIAN_MODIFIER_STEMS = [
  'террористическ', 'экстремистск', 'исламистск', 'джихадистск', 'радикальн', 'вооруженн', 'запрещен', 'протурецк', 'проиранск',
  'проправительственн', 'провластн', 'оппозиционн', 'незаконн', 'бандитск',
]
// "-backed", "-linked": what precedes them describes the group, whatever it is.
const PARTICIPLES = new Set([
  'backed', 'sponsored', 'supported', 'linked', 'affiliated', 'allied', 'aligned', 'led', 'funded', 'trained', 'inspired', 'soutenu', 'soutenue', 'lie', 'liee',
  'based', 'controlled', 'run', 'commanded', 'basiert', 'gestutzt',
])
// Nouns for "a group" that reports put around a name.
const HEADS = new Set([
  'militia', 'militias', 'milice', 'milices', 'faction', 'factions', 'fighters', 'combattants', 'rebels', 'rebelles', 'insurgents',
  'militants', 'outfit', 'gunmen', 'rebellen', 'miliz', 'milizen', 'kampfer', 'milicia', 'ميليشيا', 'ميليشيات', 'مليشيا', 'مليشيات', 'فصيل', 'فصائل', 'مسلحو', 'مسلحي', 'عناصر',
])
const RUSSIAN_HEAD_STEMS = ['повстанц', 'группировк', 'боевик', 'бойовик', 'бандформировани', 'формировани', 'фракци', 'угруповань', 'угрупуванн']
// Nouns that are often part of a name ("Jihad Group", "Guardians of Religion Organization"): a
// descriptor only beside a modifier ("the terrorist organisation X"), or an English "group" last.
const WEAK_HEADS = new Set(['group', 'groups', 'groupe', 'groupes', 'organization', 'organisation', 'جماعه', 'تنظيم', 'منظمه'])
const RUSSIAN_WEAK_HEAD_STEMS = ['организаци', 'групп']
const FILLERS = new Set(['the', 'a', 'an', 'of', 'le', 'la', 'les', 'l', 'des', 'du', 'de', 'un', 'une', 'в', 'на'])

const startsWithAny = (w: string, stems: readonly string[]) => stems.some((s) => w.startsWith(s))

function roleOf(t: RawToken): Role | null {
  const w = /[\u0600-\u06FF]/.test(t.folded) ? stripArabicArticle(t.folded) : t.folded
  if (MARKERS.has(w) || startsWithAny(w, RUSSIAN_MARKER_STEMS)) return 'marker'
  if (PARTICIPLES.has(w)) return 'participle'
  if (HEADS.has(w) || startsWithAny(w, RUSSIAN_HEAD_STEMS)) return 'head'
  if (WEAK_HEADS.has(w) || startsWithAny(w, RUSSIAN_WEAK_HEAD_STEMS)) return 'weak_head'
  if (MODIFIERS.has(w) || startsWithAny(w, RUSSIAN_MODIFIER_STEMS)) return 'modifier'
  if (FILLERS.has(w)) return 'filler'
  return null
}

/** A Latin word with an English possessive ending ('s), and what follows it. */
const POSSESSIVE = /^.*?(\p{L}+)['’]s\s+(\p{L}.*)$/u

/** Words in quotation marks: «…», „…“, "…", “…”. */
const QUOTED = /[«„"“]([^«»„“”"]+)[»“”"]/u

/** Bracketed asides: "(Syria)", "(HTS)", "(запрещена в РФ)", "[Iraq]". */
const BRACKETS = /[([][^()[\]]*[)\]]/g

/**
 * The name without the descriptors and bracketed asides around it, or null when there are none
 * (or nothing would be left). A leading run of descriptor words comes off up to its last head,
 * participle or marker ("Turkish-backed Syrian National Army" keeps "Syrian"); a trailing run comes
 * off from its first word when it holds a head.
 * @example coreOfName('the Islamist group Ahrar al-Sham') === 'Ahrar al-Sham'
 * @example coreOfName('Hezbollah militia') === 'Hezbollah'
 * @example coreOfName('Jihad Group') === 'Jihad'; coreOfName('Jabhat al-Nusra') === null
 */
export function coreOfName(value: string): string | null {
  // "Tareq Saleh's National Resistance Forces", "the SSNP's Eagles of the Whirlwind": what follows a
  // possessive is the group; a possessive that is a generic word belongs to the name ("People's
  // Protection Units", "Women's …").
  const possessive = POSSESSIVE.exec(value)
  if (possessive && !conceptOf(foldText(possessive[1]!), 'Latn') && tokenize(possessive[2]!).length) {
    return coreOfName(possessive[2]!) ?? tokenize(possessive[2]!).map((t) => t.raw).join(' ')
  }
  // A name in quotation marks with words outside them: the quoted words are the name
  // (ливанская «Хезболла», полк «Азов» Нацгвардии Украины, the "Wagner" group).
  const quoted = QUOTED.exec(value)
  if (quoted && value.replace(quoted[0], '').replace(BRACKETS, ' ').trim() && tokenize(quoted[1]!).length) {
    return tokenize(quoted[1]!).map((t) => t.raw).join(' ')
  }
  const unbracketed = value.replace(BRACKETS, ' ').replace(/\s+/g, ' ').trim()
  const tokens = tokenize(unbracketed)
  const roles = tokens.map(roleOf)
  // "Kurdish-led", "Turkish-backed": the word before a participle describes the group; so does a
  // word between an article and a descriptor ("the Baluch militant group X", "the Pakistan-based X").
  if (roles[0] === null && roles[1] === 'participle') roles[0] = 'modifier'
  if (roles[0] === 'filler' && roles[1] === null && roles[2] !== null && roles[2] !== 'filler' && roles[2] !== undefined) roles[1] = 'modifier'
  // Russian and Ukrainian write a name's first word with a capital: small words before it
  // describe the group ("курдские Отряды народной самообороны", "иракская Катаиб Хезболла").
  if (/[\u0400-\u04FF]/.test(unbracketed)) {
    const first = tokens.findIndex((t) => /^\p{Lu}/u.test(t.raw))
    if (first > 0 && tokens.slice(0, first).every((t) => /^\p{Ll}/u.test(t.raw))) for (let i = 0; i < first; i++) roles[i] ??= 'marker'
  }
  const arabic = /[\u0600-\u06FF]/.test(unbracketed)

  let lead = 0
  while (lead < tokens.length && roles[lead] !== null) lead++
  let trail = tokens.length
  while (trail > lead && roles[trail - 1] !== null) trail--
  const leading = roles.slice(0, lead)
  const trailing = roles.slice(trail)
  const modified = [...leading, ...trailing].some((r) => r === 'modifier' || r === 'participle' || r === 'marker')

  // Leading: cut after the last word that makes the run a descriptor; "تنظيم داعش", "Tanzim
  // al-Qaida": a word for an organisation before one word is that word's descriptor.
  let from = roles[0] === 'weak_head' && tokens.slice(1).filter((t) => !isParticle(t.folded)).length === 1 && roles[tokens.length - 1] === null ? 1 : 0
  for (let i = lead - 1; i >= 0; i--) {
    const r = roles[i]
    if (r === 'head' || r === 'participle' || r === 'marker' || (r === 'weak_head' && modified)) {
      from = i + 1
      break
    }
  }
  // Trailing: cut from the first word when the run holds a head ("X armed group", "X militia").
  let to = tokens.length
  const trailingHead = trailing.some((r, k) => r === 'head' || (r === 'weak_head' && (modified || (!arabic && /^groupe?s?$/.test(tokens[trail + k]!.folded)))))
  if (trailingHead || (arabic && trailing.length > 0 && trailing.every((r) => r === 'modifier'))) to = trail

  const core = tokens.slice(from, to)
  if (!core.some((t) => roleOf(t) === null)) return null
  if (from === 0 && to === tokens.length && unbracketed === value.trim()) return null
  return core.map((t) => t.raw).join(' ')
}
