// FollowTheMoney (FtM) JSON lines in and out, so the registry reads and writes what OpenSanctions
// tooling does: one entity per line, `{"id", "schema", "properties": {prop: [string, …]}}`.
// Organizations (and LegalEntity, Company, PublicBody, read as organizations) are actors;
// Membership, Succession and Sanction entities link them; an organization's `country` holds its
// countries of operation (FtM writes ISO 3166-1 alpha-2 codes in lower case). Anything else
// (Person, Address, …) is counted and left out. Import is pure text → ImportBatch; export is
// registry view → text.
import { createHash } from 'node:crypto'
import {
  ACTOR_TYPES, ImportFormatError, NAME_KINDS, SUCCESSION_KINDS, scriptOf,
  type ActorType, type ImportBatch, type ImportedActor, type ImportedDesignation, type ImportedName, type IsoDate, type NameKind,
  type SuccessionKind,
} from '../actors.types.ts'
import { isCountryCode } from '../countries.ts'

/** Schemata read as actors. */
export const FTM_ACTOR_SCHEMATA = ['Organization', 'LegalEntity', 'Company', 'PublicBody'] as const

/**
 * FtM name properties and the kinds they carry. FtM has no abbreviation property: an
 * `abbreviation` property is still read (some producers add it), but export writes abbreviations
 * as `alias`, the property FtM tools match on.
 */
const NAME_PROPERTIES: readonly [string, NameKind][] = [
  ['name', 'name'], ['alias', 'alias'], ['previousName', 'previous_name'], ['weakAlias', 'weak_alias'], ['abbreviation', 'abbreviation'],
]

type FtmProperties = Record<string, string[]>
type FtmRecord = { id: string; schema: string; properties: FtmProperties; line: number }

export type FtmImportOptions = {
  /** What the batch says it came from; "FollowTheMoney" by default. */
  source?: string
}

/**
 * Reads FtM JSON lines. Entity order does not matter (links may come before what they link);
 * lines with the same id are fragments of one entity and are merged, as FtM tools do.
 *
 * @example
 * const batch = parseFtm(readFileSync('entities.ftm.json'))
 */
export function parseFtm(text: string | Buffer, options: FtmImportOptions = {}): ImportBatch {
  const records = readRecords(typeof text === 'string' ? text : text.toString('utf8'))
  const skipped: Record<string, number> = {}
  const count = (what: string) => { skipped[what] = (skipped[what] ?? 0) + 1 }
  const isActor = (r: FtmRecord) => (FTM_ACTOR_SCHEMATA as readonly string[]).includes(r.schema)

  const actors = new Map<string, ImportedActor>()
  const typed = new Set<string>()
  const umbrellas = new Set<string>()
  for (const r of records.values()) {
    if (!isActor(r)) continue
    const names: ImportedName[] = []
    const seen = new Set<string>()
    for (const [prop, kind] of NAME_PROPERTIES) {
      for (const raw of r.properties[prop] ?? []) {
        const value = raw.replace(/\s+/g, ' ').trim()
        if (!value || seen.has(value)) continue
        seen.add(value)
        names.push({ kind, value, lang: null, script: scriptOf(value), validFrom: null, validTo: null })
      }
    }
    if (names.length === 0) throw new ImportFormatError('missing_property', `line ${r.line}, property name`, `${r.schema} ${r.id} has no name`)
    const declared = (r.properties.classification ?? []).find((c): c is ActorType => (ACTOR_TYPES as readonly string[]).includes(c))
    if (declared) typed.add(r.id)
    // FtM also has codes of its own ("xk", "suhh", "zz"): not ISO countries, so not read.
    const countries = new Set<string>()
    for (const raw of r.properties.country ?? []) {
      const code = raw.trim().toUpperCase()
      if (isCountryCode(code)) countries.add(code)
      else count('country that is not an ISO 3166-1 code')
    }
    actors.set(r.id, { key: r.id, type: declared ?? 'armed_group', names, designations: [], memberships: [], successions: [], countries: [...countries].sort() })
  }

  // A link names entities by id: an actor, something this registry does not keep (skipped, and so
  // is the link), or nothing in the file at all, which is an error.
  const resolve = (r: FtmRecord, prop: string): (ImportedActor | null)[] => {
    const ids = r.properties[prop] ?? []
    if (ids.length === 0) throw new ImportFormatError('missing_property', `line ${r.line}, property ${prop}`, `${r.schema} ${r.id} has no ${prop}`)
    return ids.map((id) => {
      const actor = actors.get(id)
      if (actor) return actor
      if (records.has(id)) return null
      throw new ImportFormatError('unknown_entity', `line ${r.line}, property ${prop}`, `${prop} ${id} is not an entity of this file`)
    })
  }
  const dates = (r: FtmRecord, prop: string): IsoDate[] => (r.properties[prop] ?? []).map((v) => ftmDate(v, r, prop)).sort()
  const earliest = (r: FtmRecord, prop: string): IsoDate | null => dates(r, prop)[0] ?? null
  const latest = (r: FtmRecord, prop: string): IsoDate | null => dates(r, prop).at(-1) ?? null
  const first = (r: FtmRecord, prop: string): string | null => r.properties[prop]?.find((v) => v.trim() !== '')?.trim() ?? null

  for (const r of records.values()) {
    if (isActor(r)) continue
    if (r.schema === 'Membership') {
      const members = resolve(r, 'member')
      const organizations = resolve(r, 'organization')
      const membership = { role: first(r, 'role'), validFrom: earliest(r, 'startDate'), validTo: latest(r, 'endDate') }
      for (const member of members) for (const organization of organizations) {
        if (!member || !organization) { count('Membership of a non-organization'); continue }
        member.memberships.push({ umbrellaKey: organization.key, ...membership })
        umbrellas.add(organization.key)
      }
    } else if (r.schema === 'Succession') {
      const predecessors = resolve(r, 'predecessor')
      const successors = resolve(r, 'successor')
      // FtM has no kind of succession; ours travels in `role` (see exportFtm).
      const role = first(r, 'role')
      const kind: SuccessionKind = (SUCCESSION_KINDS as readonly string[]).includes(role ?? '') ? role as SuccessionKind : 'rename'
      const date = earliest(r, 'date') ?? earliest(r, 'startDate')
      for (const predecessor of predecessors) for (const successor of successors) {
        if (!predecessor || !successor) { count('Succession of a non-organization'); continue }
        successor.successions.push({ predecessorKey: predecessor.key, kind, date })
      }
    } else if (r.schema === 'Sanction') {
      const program = first(r, 'program')
      const authority = first(r, 'authority') ?? program
      if (!authority) throw new ImportFormatError('missing_property', `line ${r.line}, property authority`, `Sanction ${r.id} names neither an authority nor a program`)
      const designation: ImportedDesignation = {
        authority,
        // Without an identifier from the authority, the Sanction's own id is what recognises the
        // same listing on the next import.
        reference: first(r, 'authorityId') ?? first(r, 'unscId') ?? r.id,
        listedOn: earliest(r, 'listingDate') ?? earliest(r, 'startDate'),
        delistedOn: latest(r, 'endDate'),
        amendedOn: [...new Set(dates(r, 'modifiedAt'))],
        program,
        sourceUrl: first(r, 'sourceUrl'),
      }
      for (const entity of resolve(r, 'entity')) {
        if (!entity) { count('Sanction of a non-organization'); continue }
        entity.designations.push({ ...designation, amendedOn: [...designation.amendedOn] })
      }
    } else {
      count(r.schema)
    }
  }
  // An organization with members is an umbrella, unless the file says what it is.
  for (const key of umbrellas) if (!typed.has(key)) actors.get(key)!.type = 'umbrella'
  return { source: options.source ?? 'FollowTheMoney', asOf: null, actors: [...actors.values()], candidates: [], skipped }
}

function readRecords(text: string): Map<string, FtmRecord> {
  const records = new Map<string, FtmRecord>()
  const lines = text.replace(/^\uFEFF/, '').split('\n')
  lines.forEach((raw, index) => {
    const line = index + 1
    const source = raw.trim()
    if (!source) return
    let value: unknown
    try {
      value = JSON.parse(source)
    } catch (e) {
      throw new ImportFormatError('invalid_json', `line ${line}`, `not JSON: ${(e as Error).message}`)
    }
    if (!isObject(value)) throw new ImportFormatError('invalid_entity', `line ${line}`, 'an FtM entity is a JSON object')
    const { id, schema, properties = {} } = value
    if (typeof id !== 'string' || id.trim() === '') throw new ImportFormatError('invalid_entity', `line ${line}, field id`, 'id must be a non-empty string')
    if (typeof schema !== 'string' || !/^[A-Z][A-Za-z]*$/.test(schema)) throw new ImportFormatError('invalid_entity', `line ${line}, field schema`, 'schema must be an FtM schema name, e.g. "Organization"')
    if (!isObject(properties)) throw new ImportFormatError('invalid_property', `line ${line}, field properties`, 'properties must be an object')
    const props: FtmProperties = {}
    for (const [prop, values] of Object.entries(properties)) {
      if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) {
        throw new ImportFormatError('invalid_property', `line ${line}, property ${prop}`, 'a property is a list of strings')
      }
      props[prop] = values as string[]
    }
    const before = records.get(id)
    if (!before) { records.set(id, { id, schema, properties: props, line }); return }
    const schemaOf = mergedSchema(before.schema, schema)
    if (!schemaOf) throw new ImportFormatError('conflicting_schema', `line ${line}, field schema`, `${id} is a ${before.schema} at line ${before.line} and a ${schema} here`)
    before.schema = schemaOf
    for (const [prop, values] of Object.entries(props)) before.properties[prop] = [...new Set([...(before.properties[prop] ?? []), ...values])]
  })
  return records
}

/** Fragments of one entity: the same schema, or a LegalEntity made precise by an organization schema. */
function mergedSchema(a: string, b: string): string | null {
  if (a === b) return a
  if (a === 'LegalEntity' && (FTM_ACTOR_SCHEMATA as readonly string[]).includes(b)) return b
  if (b === 'LegalEntity' && (FTM_ACTOR_SCHEMATA as readonly string[]).includes(a)) return a
  return null
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * An FtM date: "2016-07-28", a date-time ("2016-07-28T10:00:00"), or a partial "2016-07" / "2016".
 * A partial date becomes the first day of its month or year: the registry's dates are days.
 */
function ftmDate(raw: string, r: FtmRecord, prop: string): IsoDate {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)?)?$/.exec(raw.trim())
  const [y, mo = '01', d = '01'] = m ? [m[1]!, m[2], m[3]] : []
  const date = `${y}-${mo}-${d}`
  const t = new Date(`${date}T00:00:00Z`)
  if (!m || Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== date) {
    throw new ImportFormatError('invalid_date', `line ${r.line}, property ${prop}`, `"${raw}" is not a date (YYYY-MM-DD, YYYY-MM or YYYY)`)
  }
  return date
}

/** One actor as the registry hands it to export: its current view, ids being the registry's. */
export type FtmExportActor = {
  id: string
  type: ActorType
  names: { kind: NameKind; value: string }[]
  /** ISO 3166-1 alpha-2 codes, capitals. */
  countries?: readonly string[]
  memberships: { id?: string; umbrellaId: string; role: string | null; validFrom: IsoDate | null; validTo: IsoDate | null }[]
  successions: { id?: string; predecessorId: string; kind: SuccessionKind; date: IsoDate | null }[]
  designations: (ImportedDesignation & { id?: string })[]
}

/**
 * Writes actors as FtM JSON lines: an Organization per actor, then its Memberships, Successions and
 * Sanctions. Ids are stable: `truce-actor-<id>`, and for links `truce-membership-<id>` (or, for a
 * link without an id, a hash of what it says). A link to an actor outside `actors` is left out, so
 * every id a line names is in the file. The actor type travels in `classification`, a succession's
 * kind in `role`, the countries of operation in `country` (in lower case, as FtM writes codes).
 *
 * @example
 * writeFileSync('actors.ftm.json', exportFtm(view))
 */
export function exportFtm(actors: readonly FtmExportActor[]): string {
  const exported = new Set(actors.map((a) => a.id))
  const actorId = (id: string) => `truce-actor-${id}`
  const lines: string[] = []
  const emit = (id: string, schema: string, properties: Record<string, (string | null | undefined)[]>) => {
    const props: Record<string, string[]> = {}
    for (const prop of Object.keys(properties).sort()) {
      const values = [...new Set(properties[prop]!.filter((v): v is string => typeof v === 'string' && v !== ''))]
      if (values.length > 0) props[prop] = values
    }
    lines.push(JSON.stringify({ id, schema, properties: props }))
  }
  for (const actor of actors) {
    const byKind = new Map<NameKind, string[]>(NAME_KINDS.map((k) => [k, []]))
    for (const n of actor.names) byKind.get(n.kind === 'abbreviation' ? 'alias' : n.kind)!.push(n.value)
    const alias = byKind.get('alias')!
    // FtM requires a name: an actor known only by other names exports its first one as name too.
    const name = byKind.get('name')!.length > 0 ? byKind.get('name')! : actor.names.slice(0, 1).map((n) => n.value)
    if (name.length === 0) throw new TypeError(`actor ${actor.id} has no name to export`)
    emit(actorId(actor.id), 'Organization', {
      name, alias, previousName: byKind.get('previous_name')!, weakAlias: byKind.get('weak_alias')!, classification: [actor.type],
      country: (actor.countries ?? []).map((c) => c.toLowerCase()),
    })
  }
  for (const actor of actors) {
    for (const m of actor.memberships) {
      if (!exported.has(m.umbrellaId)) continue
      const id = m.id ?? digest(actor.id, m.umbrellaId, m.role, m.validFrom, m.validTo)
      emit(`truce-membership-${id}`, 'Membership', {
        member: [actorId(actor.id)], organization: [actorId(m.umbrellaId)], role: [m.role], startDate: [m.validFrom], endDate: [m.validTo],
      })
    }
    for (const s of actor.successions) {
      if (!exported.has(s.predecessorId)) continue
      const id = s.id ?? digest(s.predecessorId, actor.id, s.kind, s.date)
      emit(`truce-succession-${id}`, 'Succession', {
        predecessor: [actorId(s.predecessorId)], successor: [actorId(actor.id)], role: [s.kind], date: [s.date],
      })
    }
    for (const d of actor.designations) {
      const id = d.id ?? digest(actor.id, d.authority, d.reference)
      emit(`truce-sanction-${id}`, 'Sanction', {
        entity: [actorId(actor.id)],
        authority: [d.authority],
        authorityId: [d.reference],
        // FtM keeps UN Security Council references in their own property too (at most 16 characters).
        unscId: /^UNSC\b/i.test(d.authority) && d.reference.length <= 16 ? [d.reference] : [],
        program: [d.program],
        listingDate: [d.listedOn],
        startDate: [d.listedOn],
        endDate: [d.delistedOn],
        modifiedAt: [...d.amendedOn].sort(),
        sourceUrl: [d.sourceUrl],
      })
    }
  }
  return lines.map((l) => `${l}\n`).join('')
}

function digest(...parts: (string | null)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32)
}
