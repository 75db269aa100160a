// The UN Security Council Consolidated List (XML) as an ImportBatch: every ENTITY becomes an actor
// with its names, its designation, the countries of its addresses and, for the sub-units the list
// names inside an entity's aliases ("… (sub-unit name: Ansar al-Mujahideen Network)"), an actor of
// its own that is a member of it. The mergers, splits and renames an entity's COMMENTS1 states
// between entries of the list (by reference number) become successions. INDIVIDUALs are not
// actors in this registry; they are only counted. Pure: bytes in, batch out.
import {
  ImportFormatError, scriptOf,
  type ImportBatch, type ImportedActor, type ImportedDesignation, type ImportedName, type ImportedSuccession, type IsoDate, type NameKind,
  type SuccessionKind,
} from '../actors.types.ts'
import { countryCode } from '../countries.ts'
import { element, elements, parseXml, textOf, type XmlDocument, type XmlElement } from './xml.ts'

/**
 * The committee behind each UN_LIST_TYPE, named by the resolution that set the regime up, so that
 * a designation reads "UNSC 1267" whatever the list calls itself that year. A list type not here
 * becomes "UNSC <list type>" rather than being refused: the designation still counts, and the name
 * says where it came from.
 */
export const UN_LIST_AUTHORITIES: Readonly<Record<string, string>> = {
  'Al-Qaida': 'UNSC 1267',
  "ISIL (Da'esh) & Al-Qaida": 'UNSC 1267',
  Taliban: 'UNSC 1988',
  Iraq: 'UNSC 1518',
  Iran: 'UNSC 1737',
  DPRK: 'UNSC 1718',
  DRC: 'UNSC 1533',
  Liberia: 'UNSC 1521',
  Libya: 'UNSC 1970',
  Somalia: 'UNSC 751',
  Sudan: 'UNSC 1591',
  CdI: 'UNSC 1572',
  GB: 'UNSC 2048',
  CAR: 'UNSC 2127',
  Yemen: 'UNSC 2140',
  'South Sudan': 'UNSC 2206',
  Mali: 'UNSC 2374',
  Haiti: 'UNSC 2653',
}

export type UnImportOptions = {
  /** Only entities on these UN_LIST_TYPEs (e.g. ["Al-Qaida"]); the others are counted as skipped. */
  listTypes?: readonly string[]
}

/** One value out of a packed UN name string, and what the list says it is. */
export type PackedName =
  | { role: 'name' | 'abbreviation' | 'previous'; value: string }
  | { role: 'sub-unit'; names: string[] }

/**
 * Reads a UN Security Council Consolidated List.
 *
 * @example
 * const batch = parseUnConsolidatedList(readFileSync('consolidated.xml'))
 * batch.actors.find((a) => a.key === 'un:QDe.137')?.names.map((n) => n.value)
 */
export function parseUnConsolidatedList(xml: string | Buffer, options: UnImportOptions = {}): ImportBatch {
  const head = (typeof xml === 'string' ? xml.slice(0, 64) : xml.subarray(0, 64).toString('latin1')).replace(/^(\uFEFF|\xEF\xBB\xBF|\xFF\xFE|\xFE\xFF)/, '').trimStart()
  if (!head.startsWith('<')) throw new ImportFormatError('not_un_list', 'line 1, column 1', 'not XML: a UN Security Council Consolidated List is an XML file')
  const doc = parseXml(xml)
  const { root } = doc
  if (root.name !== 'CONSOLIDATED_LIST') {
    const { line, column } = doc.position(root.offset)
    throw new ImportFormatError('not_un_list', `line ${line}, column ${column}`, `the root element is <${root.name}>, not <CONSOLIDATED_LIST>: not a UN Security Council Consolidated List`)
  }
  const asOf = listDate(root.attributes.dateGenerated ?? '', doc, root, 'CONSOLIDATED_LIST/@dateGenerated')
  const skipped: Record<string, number> = {}
  const count = (what: string) => { skipped[what] = (skipped[what] ?? 0) + 1 }
  for (const group of elements(root, 'INDIVIDUALS')) for (const _ of elements(group, 'INDIVIDUAL')) count('INDIVIDUAL')

  const actors: ImportedActor[] = []
  const entries = new Map<string, Entry>()
  const seen = new Map<string, number>()
  const wanted = options.listTypes ? new Set(options.listTypes) : null
  for (const group of elements(root, 'ENTITIES')) {
    elements(group, 'ENTITY').forEach((entity, index) => {
      const listType = clean(childText(entity, 'UN_LIST_TYPE'))
      if (wanted && !wanted.has(listType)) { count(`ENTITY on list ${listType || '(none)'}`); return }
      const parsed = entityActors(entity, index, doc)
      const key = parsed.actors[0]!.key
      const before = seen.get(key)
      if (before !== undefined) {
        const { line } = doc.position(entity.offset)
        throw new ImportFormatError('duplicate_reference', `line ${line}, ${entityPath(entity, index)}/REFERENCE_NUMBER`, `${key.slice(3)} is listed twice (first at line ${doc.position(before).line})`)
      }
      seen.set(key, entity.offset)
      actors.push(...parsed.actors)
      entries.set(parsed.entry.reference, parsed.entry)
      for (const country of parsed.unreadCountries) count(`address COUNTRY "${country}" (not read as a country)`)
    })
  }
  for (const what of attachSuccessions(entries)) count(what)
  return {
    source: `UN Security Council Consolidated List${asOf ? ` ${asOf}` : ''}`,
    asOf,
    actors,
    candidates: [],
    skipped,
  }
}

/** An entity as the successions in COMMENTS1 need it. */
type Entry = { reference: string; actor: ImportedActor; listedOn: IsoDate | null; comments: string }

/** The entity's actor, then one actor per sub-unit, each a member of it; and address countries it could not read. */
function entityActors(entity: XmlElement, index: number, doc: XmlDocument): { actors: ImportedActor[]; entry: Entry; unreadCountries: string[] } {
  const path = entityPath(entity, index)
  const required = (name: string): string => {
    const value = clean(childText(entity, name))
    if (value) return value
    const { line } = doc.position(entity.offset)
    throw new ImportFormatError('missing_element', `line ${line}, ${path}/${name}`, `${name} is missing or empty in the ENTITY with ${dataId(entity) ? `DATAID ${dataId(entity)}` : `no DATAID (entity ${index + 1})`}`)
  }
  const reference = required('REFERENCE_NUMBER')
  const firstName = required('FIRST_NAME')
  const key = `un:${reference}`
  const listType = clean(childText(entity, 'UN_LIST_TYPE'))
  const date = (name: string, el: XmlElement | undefined, value: string) => listDate(value, doc, el ?? entity, `${path}/${name}`)
  const listedOn = date('LISTED_ON', element(entity, 'LISTED_ON'), childText(entity, 'LISTED_ON'))
  const amendedOn = [...new Set(elements(entity, 'LAST_DAY_UPDATED').flatMap((updated) =>
    elements(updated, 'VALUE').map((v) => date('LAST_DAY_UPDATED/VALUE', v, textOf(v))).filter((d): d is IsoDate => d !== null)))].sort()
  const designation: ImportedDesignation = {
    authority: UN_LIST_AUTHORITIES[listType] ?? (listType ? `UNSC ${listType}` : 'UNSC'),
    reference,
    listedOn,
    delistedOn: null,
    amendedOn,
  }

  const names = new NameList()
  const subUnits: string[][] = []
  const take = (pieces: PackedName[], kind: NameKind) => {
    let first = kind === 'name'
    for (const piece of pieces) {
      if (piece.role === 'sub-unit') subUnits.push(piece.names)
      else if (piece.role === 'previous') names.add('previous_name', piece.value)
      // A former name's abbreviation is former too, and a weak alias stays weak: only current names
      // give an 'abbreviation'.
      else if (piece.role === 'abbreviation') names.add(kind === 'previous_name' || kind === 'weak_alias' ? kind : 'abbreviation', piece.value)
      else if (first) { names.add('name', piece.value); first = false }
      // A standalone alias such as "AQI" or "JTJ" is an abbreviation in all but name.
      else if (kind === 'name' || kind === 'alias') names.add(isAbbreviation(piece.value) && piece.value.length <= 6 ? 'abbreviation' : 'alias', piece.value)
      else names.add(kind, piece.value)
    }
  }
  take(splitPackedName(firstName), 'name')
  const original = clean(childText(entity, 'NAME_ORIGINAL_SCRIPT'))
  if (original) take(splitPackedName(original), 'name')
  // QDe.144 carries its COMMENTS1 text again as an alias: a data-entry slip, not a name.
  const comments = clean(childText(entity, 'COMMENTS1'))
  for (const alias of elements(entity, 'ENTITY_ALIAS')) {
    const value = clean(childText(alias, 'ALIAS_NAME'))
    if (!value || value === comments) continue
    take(splitPackedName(value), aliasKind(childText(alias, 'QUALITY')))
  }

  const countries = new Set<string>()
  const unreadCountries: string[] = []
  for (const address of elements(entity, 'ENTITY_ADDRESS')) {
    const value = clean(childText(address, 'COUNTRY'))
    if (!value) continue
    const code = addressCountry(value)
    if (code) countries.add(code)
    else unreadCountries.push(value)
  }

  const subActors: ImportedActor[] = subUnits.map((subNames, n) => {
    const own = new NameList()
    for (const value of subNames) own.add('name', value)
    return {
      key: `${key}/sub/${n + 1}`,
      type: 'armed_group',
      names: own.list,
      designations: [],
      memberships: [{ umbrellaKey: key, role: 'sub-unit', validFrom: null, validTo: null }],
      successions: [],
      countries: [],
    }
  })
  const actor: ImportedActor = {
    key,
    type: subActors.length > 0 ? 'umbrella' : 'armed_group',
    names: names.list,
    designations: [designation],
    memberships: [],
    successions: [],
    countries: [...countries].sort(),
  }
  return { actors: [actor, ...subActors], entry: { reference, actor, listedOn, comments }, unreadCountries }
}

/**
 * An address's COUNTRY as a code: a country's name in any of the forms the list uses ("Syrian
 * Arab Republic", "DPRK", "The Netherlands"), or "Operates in Syria", which the list also writes
 * there. Anything else ("Support network in Iraq", "Branch Office 11: Iran") is not read: it
 * says more than where the entity is.
 */
function addressCountry(value: string): string | null {
  const operates = /^operates in (.+)$/i.exec(value)
  return countryCode(operates ? operates[1]! : value)
}

/**
 * Reads every entry's COMMENTS1 for successions and gives each to its successor's actor, keyed
 * by the reference numbers. A succession two entries both state (QDe.140 "merged with … and
 * established Al Mourabitoun (QDe.141)", QDe.141 "founded … as result of a merger between …") is
 * one. A date the text gives wins; without one, the successor's listing date stands in, and the
 * claim's source says so. A predecessor outside this list (an entry delisted since, or on a list
 * type left out) is resolved against the registry on import, and left out if it is not there.
 * Returns what was left out, for the batch's `skipped`.
 */
function attachSuccessions(entries: ReadonlyMap<string, Entry>): string[] {
  const groups = new Map<string, StatedSuccession[]>()
  for (const entry of entries.values()) {
    for (const s of successionsInComments({ reference: entry.reference, names: entry.actor.names.map((n) => n.value) }, entry.comments)) {
      const k = `${s.successor}|${s.predecessor}|${s.kind}`
      const group = groups.get(k)
      if (group) group.push(s)
      else groups.set(k, [s])
    }
  }
  const skipped: string[] = []
  for (const statements of groups.values()) {
    const { successor, predecessor, kind } = statements[0]!
    const target = entries.get(successor)
    if (!target) { skipped.push('COMMENTS1 succession to an entry not in this list'); continue }
    // The successor's own words first: they are about itself.
    statements.sort((a, b) => Number(b.statedBy === successor) - Number(a.statedBy === successor))
    const dated = statements.filter((s) => s.date !== null)
    const byDate = new Map<string | null, StatedSuccession[]>()
    for (const s of dated.length > 0 ? dated : statements.slice(0, 1)) {
      const d = s.date?.date ?? null
      byDate.set(d, [...(byDate.get(d) ?? []), s])
    }
    for (const [date, said] of byDate) {
      const first = said[0]!
      const others = [...new Set(statements.map((s) => s.statedBy).filter((r) => r !== first.statedBy))]
      const how = first.date === null
        ? (target.listedOn ? `; no date given: dated ${target.listedOn}, the listing date of ${successor}` : '; no date given')
        : first.date.precision === 'day' ? '' : `; "${first.date.text}" gives the ${first.date.precision} only: dated ${first.date.date}`
      const succession: ImportedSuccession = {
        predecessorKey: `un:${predecessor}`,
        kind,
        date: date ?? target.listedOn,
        source: `COMMENTS1 of ${first.statedBy}: “${clip(first.sentence, 300)}”${others.length > 0 ? ` (also stated by ${others.join(', ')})` : ''}${how}`,
      }
      if (!entries.has(predecessor)) succession.optional = true
      target.actor.successions.push(succession)
    }
  }
  return skipped
}

const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`)

/** A date a comment gives, and how much of it: "20 Aug. 2013" a day, "Nov. 2007" a month, "2012" a year. */
export type StatedDate = { date: IsoDate; precision: 'day' | 'month' | 'year'; text: string }

/** A succession one sentence of an entry's COMMENTS1 states between entries, by reference number. */
export type StatedSuccession = {
  kind: SuccessionKind
  predecessor: string
  successor: string
  date: StatedDate | null
  /** The reference of the entry whose COMMENTS1 says it. */
  statedBy: string
  sentence: string
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6, jul: 7, july: 7, aug: 8, august: 8,
  sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11, dec: 12, december: 12,
}
const MONTH = String.raw`(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?`
const DATE = String.raw`(\d{1,2} ${MONTH} \d{4}|${MONTH} \d{4}|\d{4})`
/** An entity's reference number: QDe.141, TAe.012, CDe.001 (not an individual's, QDi.136). */
const REF = String.raw`[A-Z]{2,3}e\.\d{1,4}`
/**
 * An entry named with its reference, and maybe an abbreviation: "the Mouvement … (MUJAO) (QDe.134)".
 * No comma in the name: "a splinter group of X, which later joined Y (QDe.014)" is not about Y.
 */
const ENTRY = String.raw`[^(),;]+?(?: \([^()]+\))? \(${REF}\)`
const ENTRIES = String.raw`${ENTRY}(?:(?:,| and|, and) ${ENTRY})*`
/** The entry itself, by one of its names (checked after the match). */
const SUBJECT = String.raw`([^(),;]+?)`
const LEAD = String.raw`(?:(?:On|In) ${DATE}, )?`
const TAIL = String.raw`(?: (?:on|in) ${DATE})?`

type Reading = { re: RegExp; read: (m: RegExpExecArray, self: string) => { kind: SuccessionKind; predecessors: string[]; successor: string; subject?: string; dates: (string | undefined)[] } | null }

/**
 * The sentences read, each a whole sentence (a sentence that says more, or says it otherwise, is
 * not read). They are the forms the Consolidated List uses, and their plain variants:
 * - "Founded on 20 Aug. 2013 as result of a merger between A (QDe.140) and B (MUJAO) (QDe.134)":
 *   a merger of A and B into this entry;
 * - "On 20 Aug. 2013, A merged with B (QDe.134) and established C (QDe.141)": a merger of this
 *   entry (A) and B into C;
 * - "Absorbed into Al-Qaida (QDe.004)", "A merged into C (…)": a merger of this entry into C;
 * - "Founded in 2012 as a splinter group of X (QDe.014)", "A split from X (…)": a split from X;
 * - "A is the new name for X (…)", "Formerly known as X (…)": a rename of X into this entry;
 *   "A changed its name to Y (…)": a rename of this entry into Y.
 * Every party must carry its reference number: "merged with Harakat ul-Mujahidin (QDe.008) to form
 * Harakat ul-Ansar" names its successor by name only, and yields nothing.
 */
const READINGS: readonly Reading[] = [
  {
    re: new RegExp(String.raw`^(?:Founded|Formed|Established|Created)(?: (?:on|in) ${DATE})?,? (?:as (?:a |the )?result of|by|through) (?:a |the )?merger (?:between|of) (${ENTRIES})${TAIL}$`),
    read: (m, self) => {
      const predecessors = refsIn(m[2]!)
      return predecessors.length < 2 ? null : { kind: 'merger', predecessors, successor: self, dates: [m[1], m[3]] }
    },
  },
  {
    re: new RegExp(String.raw`^${LEAD}${SUBJECT} merged with (${ENTRIES})${TAIL},? (?:and|to) (?:establish|established|form|formed|create|created) (${ENTRY})${TAIL}$`),
    read: (m, self) => ({ kind: 'merger', subject: m[2], predecessors: [self, ...refsIn(m[3]!)], successor: refsIn(m[5]!)[0]!, dates: [m[1], m[4], m[6]] }),
  },
  {
    re: new RegExp(String.raw`^${LEAD}(?:${SUBJECT} (?:was absorbed|merged) into|Absorbed into) (${ENTRY})${TAIL}$`),
    read: (m, self) => ({ kind: 'merger', ...(m[2] === undefined ? {} : { subject: m[2] }), predecessors: [self], successor: refsIn(m[3]!)[0]!, dates: [m[1], m[4]] }),
  },
  {
    re: new RegExp(String.raw`^(?:Founded|Formed|Established|Created)(?: (?:on|in) ${DATE})?,? as an? (?:splinter|breakaway) (?:group|faction) (?:of|from) (${ENTRY})${TAIL}$`),
    read: (m, self) => ({ kind: 'split', predecessors: refsIn(m[2]!), successor: self, dates: [m[1], m[3]] }),
  },
  {
    re: new RegExp(String.raw`^${LEAD}${SUBJECT} (?:split|broke away) from (${ENTRY})${TAIL}$`),
    read: (m, self) => ({ kind: 'split', subject: m[2], predecessors: refsIn(m[3]!), successor: self, dates: [m[1], m[4]] }),
  },
  {
    re: new RegExp(String.raw`^(?:${SUBJECT} is the new name (?:for|of)|(?:Formerly|Previously) known as) (${ENTRY})$`),
    read: (m, self) => ({ kind: 'rename', ...(m[1] === undefined ? {} : { subject: m[1] }), predecessors: refsIn(m[2]!), successor: self, dates: [] }),
  },
  {
    re: new RegExp(String.raw`^${LEAD}${SUBJECT} (?:changed its name to|was renamed|renamed itself) (${ENTRY})${TAIL}$`),
    read: (m, self) => ({ kind: 'rename', subject: m[2], predecessors: [self], successor: refsIn(m[3]!)[0]!, dates: [m[1], m[4]] }),
  },
]

const refsIn = (text: string): string[] => [...text.matchAll(new RegExp(String.raw`\((${REF})\)`, 'g'))].map((m) => m[1]!)

/**
 * The successions an entry's COMMENTS1 states, sentence by sentence (see READINGS). A sentence
 * whose subject is not one of the entry's names ("Members in Afghanistan merged with Al-Qaida
 * (QDe.004) in Nov. 2007"), or that gives two different dates, yields nothing.
 *
 * @example
 * successionsInComments({ reference: 'QDe.012', names: ['MAKHTAB AL-KHIDAMAT'] }, 'Absorbed into Al-Qaida (QDe.004).')
 * // [{ kind: 'merger', predecessor: 'QDe.012', successor: 'QDe.004', date: null, statedBy: 'QDe.012', sentence: 'Absorbed into Al-Qaida (QDe.004).' }]
 */
export function successionsInComments(self: { reference: string; names: readonly string[] }, comments: string): StatedSuccession[] {
  const own = new Set(self.names.map(nameKey))
  const out: StatedSuccession[] = []
  for (const sentence of sentencesOf(clean(comments))) {
    const text = sentence.replace(/\.$/, '')
    for (const { re, read } of READINGS) {
      const m = re.exec(text)
      if (!m) continue
      const found = read(m, self.reference)
      if (!found) break
      if (found.subject !== undefined && !own.has(nameKey(found.subject))) break
      const dates = [...new Set(found.dates.filter((d): d is string => d !== undefined))]
      if (dates.length > 1) break
      const date = dates[0] === undefined ? null : statedDate(dates[0])
      if (dates[0] !== undefined && date === null) break
      for (const predecessor of new Set(found.predecessors)) {
        if (predecessor === found.successor) continue
        out.push({ kind: found.kind, predecessor, successor: found.successor, date, statedBy: self.reference, sentence })
      }
      break
    }
  }
  return out
}

/** Sentences of a comment. "20 Aug. 2013" and "QDe.140" do not end one: a sentence ends at ". " before a capital. */
function sentencesOf(text: string): string[] {
  const out: string[] = []
  let from = 0
  for (const m of text.matchAll(/\.\s+(?=[A-Z"“])/g)) {
    const lastWord = /(\S+)$/.exec(text.slice(from, m.index))?.[1] ?? ''
    // "… in Dec. Al-Qaida …" would be odd, but a month's or a title's abbreviation never ends a sentence.
    if (/^(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mr|Mrs|Dr|St|No)$/i.test(lastWord) || /^[A-Z]$/.test(lastWord)) continue
    out.push(text.slice(from, m.index + 1).trim())
    from = m.index + m[0].length
  }
  out.push(text.slice(from).trim())
  return out.filter((s) => s !== '')
}

function statedDate(text: string): StatedDate | null {
  const m = /^(?:(\d{1,2}) )?(?:([A-Za-z]+)\.? )?(\d{4})$/.exec(text)
  if (!m) return null
  const year = Number(m[3])
  const month = m[2] === undefined ? null : MONTHS[m[2].toLowerCase()] ?? null
  if (m[2] !== undefined && month === null) return null
  const day = m[1] === undefined ? null : Number(m[1])
  if (day !== null && (month === null || !validDay(year, month, day))) return null
  const pad = (n: number) => String(n).padStart(2, '0')
  return { date: `${year}-${pad(month ?? 1)}-${pad(day ?? 1)}`, precision: day !== null ? 'day' : month !== null ? 'month' : 'year', text }
}

/** A name as the subject of a sentence is compared: no accents, case, apostrophes or punctuation, no leading "the". */
function nameKey(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/['’`ʼ]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim().replace(/^the /, '')
}

/** QUALITY → kind: a.k.a. (and an entity's empty or "Good") is an alias, f.k.a. a previous name, "Low" a weak alias. */
function aliasKind(quality: string): NameKind {
  const q = quality.toLowerCase().replace(/[\s.]/g, '')
  if (q === 'fka') return 'previous_name'
  if (q === 'low' || q === 'lowquality') return 'weak_alias'
  return 'alias'
}

/**
 * Splits one packed UN name string into the names it holds. The list packs alternatives with ';'
 * and in parentheses, and marks some with notes:
 * - "A; B; C" → three names;
 * - "جبهة النصرة (the Victory Front; Jabhat al-Nusrah)" → the Arabic name and each alternative
 *   (a parenthesis holds alternatives when it holds a ';' list or is in another script);
 * - "Al-Qaida in Yemen (AQY)" → the name and its abbreviation;
 * - "شبكة أنصار المجاهدين (sub-unit name: Ansar al-Mujahideen Network)" or "X (sub-unit name)" → a
 *   sub-unit with its names;
 * - "X (original script)" → X (its script is read from X itself), "X (formerly listed as)" → a
 *   previous name;
 * - any other parenthesis ("… battalion of Shahids (martyrs)", an unclosed one) is part of the name.
 *
 * @example
 * splitPackedName('Al-Qaida in Yemen (AQY)')
 * // [{ role: 'name', value: 'Al-Qaida in Yemen' }, { role: 'abbreviation', value: 'AQY' }]
 */
export function splitPackedName(raw: string): PackedName[] {
  return splitTopLevel(clean(raw), ';').flatMap((segment) => splitSegment(segment.trim()))
}

function splitSegment(raw: string): PackedName[] {
  const segment = raw.replace(/^["“”](.*)["“”]$/u, '$1').trim()
  if (!segment) return []
  const open = segment.endsWith(')') ? matchingOpen(segment) : -1
  if (open === -1) return [{ role: 'name', value: segment }]
  const outer = segment.slice(0, open).trim()
  const inner = segment.slice(open + 1, -1).trim()
  if (!outer) return splitPackedName(inner)
  const note = inner.toLowerCase()
  if (note === 'original script') return splitSegment(outer)
  if (note === 'formerly listed as') return splitSegment(outer).map((p) => (p.role === 'name' ? { role: 'previous', value: p.value } : p))
  if (/^sub-?units? names?$/.test(note)) return [{ role: 'sub-unit', names: namesOf(splitSegment(outer)) }]
  const subUnit = /^sub-?units? names?\s*:\s*(.+)$/is.exec(inner)
  if (subUnit) return [{ role: 'sub-unit', names: [...namesOf(splitSegment(outer)), ...namesOf(splitPackedName(subUnit[1]!))] }]
  if (isAbbreviation(inner) && abbreviates(inner, outer)) return [...splitSegment(outer), { role: 'abbreviation', value: inner }]
  if (hasTopLevel(inner, ';') || differentScripts(outer, inner)) return [...splitSegment(outer), ...splitPackedName(inner)]
  return [{ role: 'name', value: segment }]
}

const namesOf = (pieces: PackedName[]): string[] => pieces.flatMap((p) => (p.role === 'sub-unit' ? p.names : [p.value]))

/** "AQAP", "AAS-T", "ADF/NALU": capitals (and digits, '-', '/', '&', '.') without spaces. */
function isAbbreviation(s: string): boolean {
  return s.length >= 2 && s.length <= 12 && /^[A-Z0-9][A-Z0-9&./-]*$/.test(s) && (s.match(/[A-Z]/g)?.length ?? 0) >= 2
}

/**
 * Whether `short` can be read as an abbreviation of `long`: it starts with the initial of one of
 * long's words, and its other letters follow in order. Tells "AL-HARAMAIN FOUNDATION (INDONESIA)"
 * (a place) from "ABDALLAH AZZAM BRIGADES (AAB)" when both are in capitals.
 */
function abbreviates(short: string, long: string): boolean {
  const letters = short.toUpperCase().replace(/[^\p{L}\p{N}]/gu, '')
  const text = long.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase()
  const first = letters[0]
  if (!first) return false
  for (const word of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    if (word[0][0] !== first) continue
    let k = 1
    for (let at = word.index + 1; at < text.length && k < letters.length; at++) if (text[at] === letters[k]) k++
    if (k === letters.length) return true
  }
  return false
}

function differentScripts(a: string, b: string): boolean {
  const sa = scriptOf(a)
  const sb = scriptOf(b)
  return sa !== sb && sa !== 'Other' && sb !== 'Other'
}

/** Index of the '(' that the final ')' closes, or -1 when the parentheses do not balance. */
function matchingOpen(s: string): number {
  let depth = 0
  for (let k = s.length - 1; k >= 0; k--) {
    if (s[k] === ')') depth++
    else if (s[k] === '(' && --depth === 0) return k
  }
  return -1
}

function splitTopLevel(s: string, separator: string): string[] {
  const out: string[] = []
  let depth = 0
  let from = 0
  for (let k = 0; k < s.length; k++) {
    const c = s[k]
    if (c === '(') depth++
    else if (c === ')') depth = Math.max(0, depth - 1)
    else if (c === separator && depth === 0) { out.push(s.slice(from, k)); from = k + 1 }
  }
  out.push(s.slice(from))
  return out
}

const hasTopLevel = (s: string, separator: string) => splitTopLevel(s, separator).length > 1

/** Names of one actor, each value once (the first kind it was given wins), in list order. */
class NameList {
  readonly list: ImportedName[] = []
  private readonly values = new Set<string>()
  add(kind: NameKind, raw: string): void {
    const value = clean(raw)
    if (!value || this.values.has(value)) return
    this.values.add(value)
    this.list.push({ kind, value, lang: null, script: scriptOf(value), validFrom: null, validTo: null })
  }
}

/** Whitespace runs (non-breaking spaces included) become one space; ends are trimmed. */
function clean(s: string): string {
  return s.replace(/[\s\u00A0\u200B]+/gu, ' ').trim()
}

function childText(parent: XmlElement, name: string): string {
  const child = element(parent, name)
  return child ? textOf(child) : ''
}

function dataId(entity: XmlElement): string {
  return clean(childText(entity, 'DATAID'))
}

function entityPath(entity: XmlElement, index: number): string {
  const id = dataId(entity)
  return `CONSOLIDATED_LIST/ENTITIES/ENTITY[${id ? `DATAID=${id}` : index + 1}]`
}

/**
 * A date as the list writes it: "2014-05-14", with a time zone ("2015-03-23-04:00") or a time
 * ("2015-03-27T17:37:13.737-04:00"); the calendar date it states is kept. Empty is null.
 */
function listDate(raw: string, doc: XmlDocument, at: XmlElement, path: string): IsoDate | null {
  const value = clean(raw)
  if (!value) return null
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]+)?(?:Z|[+-]\d{2}:\d{2})?$/.exec(value)
  if (m && validDay(Number(m[1]), Number(m[2]), Number(m[3]))) return `${m[1]}-${m[2]}-${m[3]}`
  const { line } = doc.position(at.offset)
  throw new ImportFormatError('bad_date', `line ${line}, ${path}`, `"${value}" is not a date (YYYY-MM-DD)`)
}

function validDay(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}
