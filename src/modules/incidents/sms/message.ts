// Short messages (SMS, chat) read into a partial report. Two shapes arrive:
//   structured  "TRUCE SHELL 12 EXPLOSIONS AT Douma 2016-03-01 14:00", "#shelling 5 Aleppo"
//   free text   "shelling in Douma since 6am, 3 killed", "قصف على دوما", "обстрел Дума"
// Both are read the same way, in English, Arabic and Russian: times first (from the text, against
// when the message was received, in the sender's time zone), then keywords (what happened, units,
// killed and injured, sites, aid, monitors), then numbers tied to units and casualty words, then
// the place, from the gazetteer, among the words nothing else took. What was read is returned
// field by field with the words it came from and a confidence; what was not is returned too, so a
// person can finish the report or ask the sender.
import type { Casualties, Category, CountUnit, ReportInput, WherePrecision } from '../incidents.types.ts'
import { textTokens, type Gazetteer, type PlaceMatch } from './gazetteer.ts'
import { CODES, DEFAULT_UNIT, foldWord, FUNCTION_WORDS, phraseAt, type Feature } from './lexicon.ts'
import { findTimes, resolveTime } from './times.ts'

export type MessageLanguage = 'en' | 'ar' | 'ru' | 'und'

export type UnderstoodField = 'category' | 'counts' | 'casualties' | 'occurredAt' | 'where' | 'site'

/** One thing read from the message: the field, its value, the words it came from and how sure. */
export type Understood = { field: UnderstoodField; value: unknown; text: string; span: [number, number]; confidence: number }

export type ParsedMessage = {
  form: 'structured' | 'free_text'
  language: MessageLanguage
  /** What could be read, as the fields of a report; `description` is always the message itself. */
  report: Partial<ReportInput>
  understood: Understood[]
  /** Words nothing was made of (function words aside): an unknown place, a misspelling, a weapon we do not know. */
  notUnderstood: string[]
  /** Report fields that could not be read at all. */
  missing: ('category' | 'where')[]
  /** What was filled in without the message saying it. */
  assumed: string[]
  /** 0–1: what happened (0.4), where (0.4) and when (0.2), each by how sure its reading is. */
  confidence: number
  /** Other readings: categories also named, places also named. */
  alternatives: { categories: Category[]; places: PlaceMatch[] }
}

export type ParseOptions = {
  /** When the gateway received the message: "this morning", "2 hours ago" and "at 14:00" are read against it. */
  receivedAt: string | Date
  /** Where place names are looked up; without one the place stays missing. */
  gazetteer?: Gazetteer
  /** The IANA time zone the sender's clock times are in (default UTC), e.g. "Asia/Damascus". */
  timeZone?: string
  /** The gateway's id for the message, kept as the report's externalId. */
  messageId?: string
}

// ------------------------------------------------------------------ reading

type Hit = { from: number; to: number; features: Feature[] }

const WHERE_PRECISION: Record<string, WherePrecision> = {
  site: 1, building: 1, neighbourhood: 1, neighborhood: 1, village: 1, town: 1, camp: 1, city: 2, subdistrict: 3, district: 3,
  admin3: 3, admin2: 3, governorate: 4, province: 4, admin1: 4, region: 5, country: 6,
}

/** The language of a message by the script most of its letters are in. */
export function languageOf(text: string): MessageLanguage {
  let ar = 0, ru = 0, en = 0
  for (const ch of text) {
    if (/\p{Script=Arabic}/u.test(ch)) ar++
    else if (/\p{Script=Cyrillic}/u.test(ch)) ru++
    else if (/\p{Script=Latin}/u.test(ch)) en++
  }
  const most = Math.max(ar, ru, en)
  return most === 0 ? 'und' : most === ar ? 'ar' : most === ru ? 'ru' : 'en'
}

const SPECIFICITY: Category[] = ['drone_strike', 'airstrike', 'explosion', 'shelling', 'small_arms', 'heavy_weapons_in_zone', 'ground_attack']

/**
 * Reads a short message into a partial report.
 *
 * @example
 * parseMessage('shelling in Douma since 6am, 3 killed', { receivedAt: '2016-03-01T09:12:00Z', gazetteer, timeZone: 'Asia/Damascus' })
 * // report: { category: 'shelling', where: { kind: 'point', … placeName: 'Douma' }, occurredAt: '2016-03-01T04:00:00.000Z',
 * //           casualties: { civiliansKilled: { low: 3, best: 3, high: 3 } }, … }, confidence: 0.9
 */
export function parseMessage(text: string, options: ParseOptions): ParsedMessage {
  const received = new Date(options.receivedAt).getTime()
  if (Number.isNaN(received)) throw new Error(`receivedAt is not a time: ${String(options.receivedAt)}`)
  const timeZone = options.timeZone ?? 'UTC'
  // Arabic-Indic digits become ASCII, one code unit for one, so offsets stay those of the text.
  const norm = text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String((d.codePointAt(0)! - (d >= '\u06F0' ? 0x06f0 : 0x0660))))
  const language = languageOf(text)
  const understood: Understood[] = []
  const consumed: [number, number][] = []
  const say = (field: UnderstoodField, value: unknown, span: [number, number], confidence: number) => {
    understood.push({ field, value, text: text.slice(span[0], span[1]), span, confidence: Math.round(confidence * 100) / 100 })
  }

  // 1. Times, from the text itself.
  const { hits: timeHits, parts: timeParts } = findTimes(norm)
  for (const h of timeHits) consumed.push(h.span)

  // 2. Words, and the lexicon's phrases among those no time took.
  const tokens = textTokens(norm).map((t) => ({ ...t, raw: text.slice(t.start, t.end) }))
  const used = tokens.map((t) => consumed.some(([s, e]) => t.start < e && t.end > s))
  const hits: Hit[] = []
  const hitAt: (Hit | undefined)[] = tokens.map(() => undefined)
  for (let i = 0; i < tokens.length;) {
    if (used[i]) { i++; continue }
    const best = phraseAt(tokens, i, used)
    if (!best) { i++; continue }
    const hit: Hit = { from: i, to: i + best.length - 1, features: best.features }
    hits.push(hit)
    for (let k = hit.from; k <= hit.to; k++) hitAt[k] = hit
    i += best.length
  }
  const spanOf = (h: Hit): [number, number] => [tokens[h.from]!.start, tokens[h.to]!.end]
  const kinds = (h: Hit | undefined) => new Set(h?.features.map((f) => f.kind) ?? [])
  const numberFeature = (h: Hit | undefined) => h?.features.find((f): f is { kind: 'number'; value: number; implicit?: boolean } => f.kind === 'number')
  const numberOf = (h: Hit | undefined) => numberFeature(h)?.value
  const spent = new Set<Hit>()

  // 3. The structured form: TRUCE <code>, or #code anywhere.
  const trigger = hits[0] && kinds(hits[0]).has('trigger') && hits[0].from === 0 ? hits[0] : undefined
  const hashtags = [...norm.matchAll(/#([\p{L}_]+)/gu)]
  let codeCategory: { category: Category; span: [number, number] } | null = null
  const codeAt = (index: number) => {
    const t = tokens[index]
    if (!t) return null
    const code = CODES[t.folded] ?? CODES[hashtags.find((m) => m.index + 1 === t.start)?.[1]?.toLowerCase() ?? '']
    return code ? { category: code, span: [t.start, t.end] as [number, number] } : null
  }
  if (trigger) codeCategory = codeAt(trigger.to + 1)
  for (const m of hashtags) {
    if (codeCategory) break
    const index = tokens.findIndex((t) => t.start === m.index + 1)
    const code = CODES[m[1]!.toLowerCase()] ?? CODES[foldWord(m[1]!)]
    if (index >= 0 && code) codeCategory = { category: code, span: [m.index, m.index + m[0].length] }
  }
  // TRUCE without a code after it is a sender saying "truce", not the structured form.
  const structured = !!codeCategory || hashtags.length > 0
  if (trigger) { spent.add(trigger); consumed.push(spanOf(trigger)) }
  if (codeCategory) consumed.push(codeCategory.span)

  // 4. Counts: a number with a unit after it (words between may be a weapon: "12 artillery shells").
  const counts: Partial<Record<CountUnit, number>> = {}
  for (const h of hits) {
    const unitFeature = h.features.find((f): f is { kind: 'unit'; unit: CountUnit; count?: number } => f.kind === 'unit')
    if (!unitFeature) continue
    let n = unitFeature.count
    let from = h
    if (n === undefined) {
      for (let k = h.from - 1; k >= Math.max(0, h.from - 3); k--) {
        const before = hitAt[k]
        if (before && numberOf(before) !== undefined && !spent.has(before)) { n = numberOf(before); from = before; break }
        if (before && !kinds(before).has('category')) break
      }
    }
    if (n === undefined) continue
    counts[unitFeature.unit] = (counts[unitFeature.unit] ?? 0) + n
    spent.add(from).add(h)
    const span: [number, number] = [tokens[from.from]!.start, tokens[h.to]!.end]
    consumed.push(span)
    say('counts', { [unitFeature.unit]: n }, span, 0.9)
  }

  // 5. Casualties: killed or injured with a number before or after (people, civilians between).
  const casualties: NonNullable<ReportInput['casualties']> = {}
  for (const h of hits) {
    const f = h.features.find((x): x is { kind: 'killed' | 'injured'; count?: number } => x.kind === 'killed' || x.kind === 'injured')
    if (!f) continue
    let n = f.count
    let first = h.from
    let last = h.to
    const passable = (x: Hit | undefined, k: number) => (x ? kinds(x).has('civilian') || kinds(x).has('combatant') : FUNCTION_WORDS.has(tokens[k]!.folded))
    // The nearest number before (then after) the word, across words for people; a person in the
    // singular ("a child") counts one only when no number is found.
    let implicit: { n: number; k: number; hit: Hit } | null = null
    const search = (from: number, to: number, step: number): boolean => {
      for (let k = from; step < 0 ? k >= to : k <= to; k += step) {
        const x = hitAt[k]
        const f = numberFeature(x)
        if (f && !spent.has(x!)) {
          if (!f.implicit) { n = f.value; if (step < 0) first = k; else last = k; spent.add(x!); return true }
          implicit ??= { n: f.value, k, hit: x! }
          continue
        }
        if (!passable(x, k)) return false
      }
      return false
    }
    if (n === undefined && !search(h.from - 1, Math.max(0, h.from - 4), -1)) search(h.to + 1, Math.min(tokens.length - 1, h.to + 3), 1)
    if (n === undefined && implicit) {
      const { n: one, k, hit } = implicit
      n = one
      if (k < first) first = k
      else last = k
      spent.add(hit)
    }
    spent.add(h)
    const span: [number, number] = [tokens[first]!.start, tokens[last]!.end]
    consumed.push(span)
    if (n === undefined) { say('casualties', { [f.kind]: 'number not given' }, span, 0.5); continue }
    // Soldiers or fighters near the casualty word make them combatants; otherwise civilians.
    const near = hits.filter((x) => x.to >= first - 3 && x.from <= last + 3)
    const combatant = near.some((x) => kinds(x).has('combatant'))
    const civilianSaid = near.some((x) => kinds(x).has('civilian'))
    for (const x of near) if (kinds(x).has('combatant') || kinds(x).has('civilian')) { spent.add(x); consumed.push(spanOf(x)) }
    const key = `${combatant ? 'combatants' : 'civilians'}${f.kind === 'killed' ? 'Killed' : 'Injured'}` as keyof typeof casualties
    const value: Casualties = { low: n, best: n, high: n }
    casualties[key] = value
    say('casualties', { [key]: value }, span, combatant || civilianSaid ? 0.85 : 0.7)
  }

  // 6. What happened.
  const categoryHits = hits.filter((h) => !spent.has(h) && h.features.some((f) => f.kind === 'category'))
  const found = new Map<Category, { confidence: number; hit: Hit }>()
  for (const h of categoryHits) {
    for (const f of h.features) {
      if (f.kind !== 'category') continue
      const prior = found.get(f.category)
      if (!prior || prior.confidence < f.confidence) found.set(f.category, { confidence: f.confidence, hit: h })
    }
  }
  const mentioned = (kind: Feature['kind']) => hits.filter((h) => kinds(h).has(kind))
  const attacks = SPECIFICITY.filter((c) => found.has(c))
  const obstruct = mentioned('obstruct')
  const decide = (): { category: Category; confidence: number; span: [number, number] | null } | null => {
    if (codeCategory) return { category: codeCategory.category, confidence: 0.95, span: codeCategory.span }
    const first = (kind: Feature['kind']) => spanOf(mentioned(kind)[0]!)
    if (mentioned('monitor').length && obstruct.length) return { category: 'monitor_restriction', confidence: 0.8, span: first('monitor') }
    if (mentioned('aid').length && obstruct.length && !attacks.length) return { category: 'aid_obstruction', confidence: 0.8, span: first('aid') }
    if (mentioned('aid').length && attacks.length) return { category: 'attack_on_humanitarian', confidence: 0.75, span: first('aid') }
    if (mentioned('site').length && attacks.length) return { category: 'attack_on_protected_site', confidence: 0.75, span: first('site') }
    if (attacks.length) {
      // The most specific weapon named: "warplanes shelled" is an air strike; a weapon named
      // outright beats one only hinted at by a unit ("12 shells" alone says shelling, weakly).
      const strongest = Math.max(...attacks.map((c) => found.get(c)!.confidence))
      const c = attacks.find((x) => found.get(x)!.confidence === strongest)!
      const rivals = attacks.filter((x) => found.get(x)!.confidence >= 0.85).length > 1
      return { category: c, confidence: strongest - (rivals ? 0.05 : 0), span: spanOf(found.get(c)!.hit) }
    }
    // Only counted: what is counted says what was heard, weakly (explosions and shells are shelling).
    const counted = (Object.keys(counts) as CountUnit[])[0]
    if (counted) return { category: counted === 'bursts' || counted === 'shots' ? 'small_arms' : 'shelling', confidence: 0.5, span: null }
    // Casualties alone: harm to civilians is a category of its own; fighters killed in an unnamed way are not.
    if (casualties.civiliansKilled || casualties.civiliansInjured) return { category: 'civilian_harm', confidence: 0.6, span: null }
    return null
  }
  const decision = decide()
  const category = decision?.category
  const categoryConfidence = decision?.confidence ?? 0
  for (const h of [...categoryHits, ...mentioned('site'), ...mentioned('aid'), ...mentioned('monitor'), ...obstruct]) { spent.add(h); consumed.push(spanOf(h)) }
  if (decision) say('category', decision.category, decision.span ?? [0, 0], decision.confidence)
  for (const h of mentioned('site')) say('site', tokens[h.from]!.folded, spanOf(h), 0.8)

  // A bare number in the structured form counts in the category's usual unit ("#shelling 5").
  if (structured && category && Object.keys(counts).length === 0) {
    const bare = hits.find((h) => numberOf(h) !== undefined && !spent.has(h))
    const u = DEFAULT_UNIT[category]
    if (bare && u) {
      counts[u] = numberOf(bare)!
      spent.add(bare)
      consumed.push(spanOf(bare))
      say('counts', { [u]: counts[u] }, spanOf(bare), 0.6)
    }
  }

  // 7. Where: the gazetteer over the words nothing else took; after "in", "في", "в" is likelier.
  let where: ReportInput['where'] | undefined
  let whereConfidence = 0
  let places: PlaceMatch[] = []
  if (options.gazetteer) {
    places = options.gazetteer.find(text, { skip: consumed })
    const locativeBefore = (p: PlaceMatch) => {
      const index = tokens.findIndex((t) => t.start >= p.span[0])
      const before = hitAt[index - 1]
      return !!before && kinds(before).has('locative') && before.to === index - 1
    }
    const ranked = places
      .map((p) => ({ p, rank: p.score * (locativeBefore(p) || structured ? 1 : 0.95) * (p.alternatives.length ? 0.7 : 1) }))
      .sort((a, b) => b.rank - a.rank || (b.p.span[1] - b.p.span[0]) - (a.p.span[1] - a.p.span[0]))
    const best = ranked[0]
    if (best) {
      const precision = WHERE_PRECISION[best.p.kind.toLowerCase()] ?? 2
      where = { kind: 'point', lon: best.p.centroid[0], lat: best.p.centroid[1], precision, placeName: best.p.name }
      whereConfidence = best.rank
      say('where', { placeId: best.p.placeId, name: best.p.name, alternatives: best.p.alternatives }, best.p.span, whereConfidence)
      places = ranked.slice(1).map((r) => r.p)
    }
  }

  // 8. When.
  const assumed: string[] = []
  let time = Object.keys(timeParts).length ? resolveTime(timeParts, received, timeZone) : null
  if (time) {
    const first = timeHits[0]!.span
    const last = timeHits.at(-1)!.span
    say('occurredAt', { occurredAt: time.occurredAt, how: time.how, ...(timeParts.since ? { since: true } : {}) }, [first[0], last[1]], time.confidence)
  } else {
    time = { occurredAt: new Date(received).toISOString(), datePrecision: 1, confidence: 0.3, how: 'when the message was received' }
    assumed.push('occurredAt: when the message was received')
  }

  // 9. What is left.
  const named = [...understood.filter((u) => u.field === 'where').map((u) => u.span), ...places.map((p) => p.span)]
  const inPlace = (t: { start: number; end: number }) => named.some(([s, e]) => t.start < e && t.end > s)
  const notUnderstood = tokens
    .filter((t, i) => {
      const h = hitAt[i]
      if (h && (spent.has(h) || kinds(h).has('locative'))) return false
      if (consumed.some(([s, e]) => t.start < e && t.end > s) || inPlace(t)) return false
      return !FUNCTION_WORDS.has(t.folded) && !(h && kinds(h).has('civilian'))
    })
    .map((t) => t.raw)

  const report: Partial<ReportInput> = {
    occurredAt: time.occurredAt,
    datePrecision: time.datePrecision,
    description: text,
  }
  if (language !== 'und') report.language = language
  if (options.messageId) report.externalId = options.messageId
  if (category) report.category = category
  if (where) report.where = where
  if (Object.keys(counts).length) report.counts = counts
  if (Object.keys(casualties).length) report.casualties = casualties

  const missing: ParsedMessage['missing'] = []
  if (!category) missing.push('category')
  if (!where) missing.push('where')
  const confidence = Math.round((0.4 * categoryConfidence + 0.4 * whereConfidence + 0.2 * time.confidence) * 100) / 100
  return {
    form: structured ? 'structured' : 'free_text',
    language,
    report,
    understood,
    notUnderstood,
    missing,
    assumed,
    confidence: category || where ? confidence : 0,
    alternatives: { categories: [...found.keys()].filter((c) => c !== category), places },
  }
}
