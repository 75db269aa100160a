// Countries of operation: ISO 3166-1 alpha-2 codes, and reading the country names sources write
// (a UN list's address COUNTRY, a UCDP row's country) as codes. Only officially assigned codes
// count: user-assigned ones (XK for Kosovo, the EU, "ZZ") are not countries here, so a code the
// registry stores means the same thing in every tool that reads ISO 3166-1.

/** The 249 officially assigned ISO 3166-1 alpha-2 codes. */
export const ISO_COUNTRY_CODES: ReadonlySet<string> = new Set((
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
  'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
  'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
  'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ ' +
  'UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW').split(' '))

/** Whether `code` is an assigned ISO 3166-1 alpha-2 code, in capitals ("SY"; not "sy", "XK" or "SYR"). */
export function isCountryCode(code: string): boolean {
  return ISO_COUNTRY_CODES.has(code)
}

/**
 * Names sources write that the English short names (below) do not cover: the UN's formal names
 * ("Syrian Arab Republic", "Iran (Islamic Republic of)"), older names, the abbreviations the UN
 * list's addresses use, and one misspelling that list carries. A name that could mean two
 * countries ("Korea", "Guinea" aside from Guinea itself) is not here, so it stays unread.
 */
const OTHER_NAMES: Readonly<Record<string, string>> = {
  'syrian arab republic': 'SY', syria: 'SY',
  'iran islamic republic of': 'IR', 'islamic republic of iran': 'IR', iran: 'IR',
  'russian federation': 'RU', russia: 'RU',
  'united kingdom of great britain and northern ireland': 'GB', 'united kingdom': 'GB', uk: 'GB', 'great britain': 'GB',
  'united states of america': 'US', 'united states': 'US', usa: 'US',
  'democratic peoples republic of korea': 'KP', dprk: 'KP', 'north korea': 'KP',
  'republic of korea': 'KR', 'south korea': 'KR',
  'democratic republic of the congo': 'CD', drc: 'CD', 'dr congo': 'CD', 'congo kinshasa': 'CD',
  congo: 'CG', 'republic of the congo': 'CG', 'congo brazzaville': 'CG',
  'cote divoire': 'CI', 'ivory coast': 'CI',
  'libyan arab jamahiriya': 'LY', libya: 'LY',
  'united arab emirates': 'AE', uae: 'AE',
  'united republic of tanzania': 'TZ', tanzania: 'TZ',
  'republic of moldova': 'MD', moldova: 'MD',
  'lao peoples democratic republic': 'LA', laos: 'LA',
  'viet nam': 'VN', vietnam: 'VN',
  'bolivia plurinational state of': 'BO', bolivia: 'BO',
  'venezuela bolivarian republic of': 'VE', venezuela: 'VE',
  'micronesia federated states of': 'FM',
  'state of palestine': 'PS', palestine: 'PS', 'occupied palestinian territory': 'PS', 'palestinian territories': 'PS',
  'the former yugoslav republic of macedonia': 'MK', 'north macedonia': 'MK', macedonia: 'MK',
  'czech republic': 'CZ', czechia: 'CZ',
  swaziland: 'SZ', eswatini: 'SZ',
  burma: 'MM', myanmar: 'MM',
  'cape verde': 'CV', 'cabo verde': 'CV',
  turkey: 'TR', turkiye: 'TR',
  'union of the comoros': 'KM', comoros: 'KM',
  'brunei darussalam': 'BN',
  'kyrgyz republic': 'KG',
  'timor leste': 'TL', 'east timor': 'TL',
  'holy see': 'VA',
  netherlands: 'NL',
  'bosnia and herzegovina': 'BA',
  'saint kitts and nevis': 'KN', 'saint vincent and the grenadines': 'VC', 'sao tome and principe': 'ST', 'antigua and barbuda': 'AG',
  'trinidad and tobago': 'TT',
  // (sic): as the UN Consolidated List of March 2015 spells Kazakhstan in an address.
  khazakhstan: 'KZ',
}

/** A name as compared: no accents, capitals, apostrophes or punctuation, "&" as "and", no leading "the". */
export function countryNameKey(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
    .replace(/&/g, ' and ').replace(/['’`ʼ]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim()
    .replace(/^the /, '')
}

let byName: Map<string, string> | null = null

/** Every name read as a code: the English short names (from the runtime's CLDR data), then OTHER_NAMES. */
function names(): Map<string, string> {
  if (byName) return byName
  const map = new Map<string, string>()
  const english = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' })
  for (const code of ISO_COUNTRY_CODES) {
    const name = english.of(code)
    if (name) map.set(countryNameKey(name), code)
  }
  for (const [name, code] of Object.entries(OTHER_NAMES)) map.set(countryNameKey(name), code)
  byName = map
  return map
}

/**
 * The code of a country named in English, or null when the name is not one this knows for sure.
 *
 * @example
 * countryCode('Syrian Arab Republic') // 'SY'
 * countryCode('The Netherlands') // 'NL'
 * countryCode('Korea') // null: which one?
 */
export function countryCode(name: string): string | null {
  return names().get(countryNameKey(name)) ?? null
}

/** The English short name of a code, for explanations ("SY" → "Syria"); the code itself when unknown. */
export function countryName(code: string): string {
  if (!isCountryCode(code)) return code
  return new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' }).of(code) ?? code
}
