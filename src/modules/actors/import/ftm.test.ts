// FollowTheMoney JSON lines: import of a small hand-written file, every bad line with its line
// number and property, export as valid FtM with stable ids, and the round trip between the two.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sharedDataDir } from '../../../config.ts'
import { ImportFormatError, scriptOf, type ImportBatch, type ImportedActor } from '../actors.types.ts'
import { exportFtm, parseFtm, type FtmExportActor } from './ftm.ts'
import { parseUnConsolidatedList } from './un-xml.ts'

const thrown = (f: () => unknown): ImportFormatError => {
  try { f() } catch (e) { if (e instanceof ImportFormatError) return e; throw e }
  throw new Error('expected an ImportFormatError')
}
const jsonl = (...entities: object[]) => entities.map((e) => JSON.stringify(e)).join('\n') + '\n'
const org = (id: string, properties: Record<string, string[]>, schema = 'Organization') => ({ id, schema, properties })
const name = (kind: ImportedActor['names'][number]['kind'], value: string, script = 'Latn') =>
  ({ kind, value, lang: null, script, validFrom: null, validTo: null })

describe('parseFtm', () => {
  const file = jsonl(
    // Links first: FtM files come in any order.
    { id: 'm1', schema: 'Membership', properties: { member: ['jfs'], organization: ['hts'], role: ['founding member'], startDate: ['2017-01-28'], endDate: ['2017-12'] } },
    { id: 's1', schema: 'Succession', properties: { predecessor: ['nusra'], successor: ['jfs'], date: ['2016-07-28'] } },
    { id: 'sanc1', schema: 'Sanction', properties: { entity: ['nusra'], authority: ['UNSC 1267'], unscId: ['QDe.137'], program: ['ISIL (Da\'esh) & Al-Qaida'], listingDate: ['2014-05-14'], modifiedAt: ['2018-06-05', '2017-06-05'], sourceUrl: ['https://example.org/qde137'] } },
    org('nusra', { name: ['Al-Nusrah Front'], alias: ['جبهة النصرة', 'Jabhat al-Nusrah'], weakAlias: ['Nusra'] }),
    org('jfs', { name: ['Jabhat Fateh al-Sham'], previousName: ['Al-Nusrah Front'], abbreviation: ['JFS'] }, 'LegalEntity'),
    org('hts', { name: ['Hay\'at Tahrir al-Sham'], alias: ['Hayat Tahrir al-Sham'] }, 'Company'),
    org('jfs', { alias: ['Джебхат Фатх аш-Шам'] }, 'Organization'),
    { id: 'p1', schema: 'Person', properties: { name: ['Abu Mohammed al-Jawlani'] } },
    { id: 'm2', schema: 'Membership', properties: { member: ['p1'], organization: ['hts'] } },
    { id: 'sanc2', schema: 'Sanction', properties: { entity: ['p1'], authority: ['UNSC 1267'] } },
    { id: 'a1', schema: 'Address', properties: { full: ['Idlib'] } },
  )

  it('reads organizations, memberships, successions and sanctions, and counts the rest', () => {
    const batch = parseFtm(file)
    expect(batch).toEqual({
      source: 'FollowTheMoney',
      asOf: null,
      candidates: [],
      skipped: { 'Membership of a non-organization': 1, 'Sanction of a non-organization': 1, Person: 1, Address: 1 },
      actors: [
        {
          key: 'nusra', type: 'armed_group',
          names: [name('name', 'Al-Nusrah Front'), name('alias', 'جبهة النصرة', 'Arab'), name('alias', 'Jabhat al-Nusrah'), name('weak_alias', 'Nusra')],
          designations: [{
            authority: 'UNSC 1267', reference: 'QDe.137', listedOn: '2014-05-14', delistedOn: null, amendedOn: ['2017-06-05', '2018-06-05'],
            program: 'ISIL (Da\'esh) & Al-Qaida', sourceUrl: 'https://example.org/qde137',
          }],
          memberships: [], successions: [], countries: [],
        },
        {
          key: 'jfs', type: 'armed_group',
          names: [name('name', 'Jabhat Fateh al-Sham'), name('alias', 'Джебхат Фатх аш-Шам', 'Cyrl'), name('previous_name', 'Al-Nusrah Front'), name('abbreviation', 'JFS')],
          designations: [],
          memberships: [{ umbrellaKey: 'hts', role: 'founding member', validFrom: '2017-01-28', validTo: '2017-12-01' }],
          successions: [{ predecessorKey: 'nusra', kind: 'rename', date: '2016-07-28' }],
          countries: [],
        },
        {
          key: 'hts', type: 'umbrella',
          names: [name('name', 'Hay\'at Tahrir al-Sham'), name('alias', 'Hayat Tahrir al-Sham')],
          designations: [], memberships: [], successions: [], countries: [],
        },
      ],
    })
  })

  it('reads `country` as countries of operation: ISO codes in either case, FtM\'s own codes ("xk", "zz") counted and left out', () => {
    const batch = parseFtm(jsonl(org('x', { name: ['X'], country: ['sy', 'IQ', 'SY', 'xk', 'zz'] }), org('y', { name: ['Y'], country: [] })))
    expect(batch.actors.map((a) => [a.key, a.countries])).toEqual([['x', ['IQ', 'SY']], ['y', []]])
    expect(batch.skipped).toEqual({ 'country that is not an ISO 3166-1 code': 2 })
  })

  it('uses the Sanction id as the reference when the authority gave none, and the program when no authority is named', () => {
    const batch = parseFtm(jsonl(org('x', { name: ['X'] }), { id: 'us-fto-x', schema: 'Sanction', properties: { entity: ['x'], program: ['US FTO'], startDate: ['2018-05-31T00:00:00'], endDate: ['2020'] } }))
    expect(batch.actors[0]!.designations).toEqual([{ authority: 'US FTO', reference: 'us-fto-x', listedOn: '2018-05-31', delistedOn: '2020-01-01', amendedOn: [], program: 'US FTO', sourceUrl: null }])
  })

  it('is deterministic, from text or bytes, and ignores blank lines and a byte-order mark', () => {
    expect(parseFtm(Buffer.from(`\uFEFF\n${file}\n\n`))).toEqual(parseFtm(file))
  })

  describe('bad input names the line and the property', () => {
    const cases: [string, string, string, string][] = [
      ['a line that is not JSON', `${JSON.stringify(org('x', { name: ['X'] }))}\n{"id": "y",`, 'invalid_json', 'line 2'],
      ['a line that is not an object', '[1, 2]', 'invalid_entity', 'line 1'],
      ['an entity without an id', jsonl({ schema: 'Organization', properties: {} }), 'invalid_entity', 'line 1, field id'],
      ['an entity without a schema', jsonl({ id: 'x', properties: {} }), 'invalid_entity', 'line 1, field schema'],
      ['properties that are not an object', jsonl({ id: 'x', schema: 'Organization', properties: [] }), 'invalid_property', 'line 1, field properties'],
      ['a property that is not a list of strings', jsonl(org('x', { name: ['X'] }), { id: 'y', schema: 'Organization', properties: { name: 'Y' } }), 'invalid_property', 'line 2, property name'],
      ['an organization without a name', jsonl(org('x', { alias: [] })), 'missing_property', 'line 1, property name'],
      ['a membership without a member', jsonl(org('x', { name: ['X'] }), { id: 'm', schema: 'Membership', properties: { organization: ['x'] } }), 'missing_property', 'line 2, property member'],
      ['a membership naming an entity not in the file', jsonl(org('x', { name: ['X'] }), { id: 'm', schema: 'Membership', properties: { member: ['x'], organization: ['nowhere'] } }), 'unknown_entity', 'line 2, property organization'],
      ['a succession without a successor', jsonl(org('x', { name: ['X'] }), { id: 's', schema: 'Succession', properties: { predecessor: ['x'] } }), 'missing_property', 'line 2, property successor'],
      ['a sanction with neither authority nor program', jsonl(org('x', { name: ['X'] }), { id: 's', schema: 'Sanction', properties: { entity: ['x'] } }), 'missing_property', 'line 2, property authority'],
      ['a date that is not one', jsonl(org('x', { name: ['X'] }), org('y', { name: ['Y'] }), { id: 'm', schema: 'Membership', properties: { member: ['x'], organization: ['y'], startDate: ['2016-02-30'] } }), 'invalid_date', 'line 3, property startDate'],
      ['one id with two schemata', jsonl(org('x', { name: ['X'] }), { id: 'x', schema: 'Sanction', properties: { entity: ['x'] } }), 'conflicting_schema', 'line 2, field schema'],
    ]
    it.each(cases)('%s', (_what, text, code, where) => {
      const e = thrown(() => parseFtm(text))
      expect([e.code, e.where]).toEqual([code, where])
    })
  })
})

// The properties FtM defines for the schemata we write (followthemoney/schema/*.yaml).
const FTM_PROPERTIES: Record<string, { required: string[]; allowed: string[] }> = {
  Organization: { required: ['name'], allowed: ['name', 'alias', 'previousName', 'weakAlias', 'classification', 'country'] },
  Membership: { required: ['member', 'organization'], allowed: ['member', 'organization', 'role', 'startDate', 'endDate'] },
  Succession: { required: ['predecessor', 'successor'], allowed: ['predecessor', 'successor', 'role', 'date'] },
  Sanction: { required: ['entity'], allowed: ['entity', 'authority', 'authorityId', 'unscId', 'program', 'listingDate', 'startDate', 'endDate', 'modifiedAt', 'sourceUrl'] },
}

const view: FtmExportActor[] = [
  {
    id: '0b5b8a9e-1111-4c1e-9d0a-000000000001', type: 'armed_group',
    names: [{ kind: 'name', value: 'Al-Nusrah Front' }, { kind: 'alias', value: 'جبهة النصرة' }, { kind: 'abbreviation', value: 'JN' }, { kind: 'weak_alias', value: 'Nusra' }],
    countries: ['IQ', 'SY'],
    memberships: [],
    successions: [],
    designations: [{ id: 'd-1', authority: 'UNSC 1267', reference: 'QDe.137', listedOn: '2014-05-14', delistedOn: null, amendedOn: ['2018-06-05', '2017-06-05'], program: null, sourceUrl: null }],
  },
  {
    id: '0b5b8a9e-1111-4c1e-9d0a-000000000002', type: 'armed_group',
    names: [{ kind: 'name', value: 'Jabhat Fateh al-Sham' }, { kind: 'previous_name', value: 'Jabhat al-Nusra' }, { kind: 'alias', value: 'Джебхат Фатх аш-Шам' }],
    memberships: [{ id: 'c-7', umbrellaId: '0b5b8a9e-1111-4c1e-9d0a-000000000003', role: 'founding member', validFrom: '2017-01-28', validTo: null }],
    successions: [{ predecessorId: '0b5b8a9e-1111-4c1e-9d0a-000000000001', kind: 'rename', date: '2016-07-28' }],
    designations: [],
  },
  {
    id: '0b5b8a9e-1111-4c1e-9d0a-000000000003', type: 'umbrella',
    names: [{ kind: 'name', value: 'Hay\'at Tahrir al-Sham' }],
    memberships: [{ umbrellaId: 'not-exported', role: null, validFrom: null, validTo: null }],
    successions: [{ predecessorId: '0b5b8a9e-1111-4c1e-9d0a-000000000002', kind: 'merger', date: '2017-01-28' }],
    designations: [{ authority: 'US Department of State', reference: 'FTO-HTS', listedOn: '2018-05-31', delistedOn: '2025-07-08', amendedOn: [], program: 'FTO', sourceUrl: 'https://example.org/fto' }],
  },
]

/** What parseFtm should give back for a view: every field FtM carries (not languages or name dates). */
function expectedBatch(actors: readonly FtmExportActor[]): ImportedActor[] {
  const key = (id: string) => `truce-actor-${id}`
  const exported = new Set(actors.map((a) => a.id))
  const order = ['name', 'alias', 'previous_name', 'weak_alias'] as const
  return actors.map((a) => {
    const byKind = (k: (typeof order)[number]) => a.names.filter((n) => (n.kind === 'abbreviation' ? 'alias' : n.kind) === k).map((n) => n.value)
    const values = order.flatMap((k) => [...new Set(byKind(k))].map((value) => ({ kind: k, value })))
    const seen = new Set<string>()
    return {
      key: key(a.id),
      type: a.type,
      names: values.filter((n) => !seen.has(n.value) && seen.add(n.value)).map((n) => ({ ...n, lang: null, script: scriptOf(n.value), validFrom: null, validTo: null })),
      designations: a.designations.map((d) => ({
        authority: d.authority, reference: d.reference, listedOn: d.listedOn, delistedOn: d.delistedOn, amendedOn: [...new Set(d.amendedOn)].sort(),
        program: d.program ?? null, sourceUrl: d.sourceUrl ?? null,
      })),
      memberships: a.memberships.filter((m) => exported.has(m.umbrellaId)).map((m) => ({ umbrellaKey: key(m.umbrellaId), role: m.role, validFrom: m.validFrom, validTo: m.validTo })),
      successions: a.successions.filter((s) => exported.has(s.predecessorId)).map((s) => ({ predecessorKey: key(s.predecessorId), kind: s.kind, date: s.date })),
      countries: [...new Set(a.countries ?? [])].sort(),
    }
  })
}

describe('exportFtm', () => {
  const text = exportFtm(view)
  const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string; schema: string; properties: Record<string, string[]> })

  it('writes valid FtM: known schemata, required and defined properties only, lists of non-empty strings', () => {
    expect(text.endsWith('\n')).toBe(true)
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(['id', 'schema', 'properties'])
      const schema = FTM_PROPERTIES[line.schema]!
      expect(schema, line.schema).toBeDefined()
      for (const prop of schema.required) expect(line.properties[prop]?.length, `${line.id} ${prop}`).toBeGreaterThan(0)
      for (const [prop, values] of Object.entries(line.properties)) {
        expect(schema.allowed, `${line.schema}.${prop}`).toContain(prop)
        expect(values.every((v) => typeof v === 'string' && v !== '')).toBe(true)
      }
    }
    const ids = new Set(lines.map((l) => l.id))
    expect(ids.size).toBe(lines.length)
    // Every entity a link names is in the file: the membership of an actor outside the view is left out.
    for (const line of lines) for (const prop of ['member', 'organization', 'predecessor', 'successor', 'entity']) for (const id of line.properties[prop] ?? []) expect(ids).toContain(id)
  })

  it('gives stable ids: the registry\'s where it has them, a hash of the link otherwise', () => {
    expect(lines.map((l) => [l.schema, l.id])).toEqual([
      ['Organization', 'truce-actor-0b5b8a9e-1111-4c1e-9d0a-000000000001'],
      ['Organization', 'truce-actor-0b5b8a9e-1111-4c1e-9d0a-000000000002'],
      ['Organization', 'truce-actor-0b5b8a9e-1111-4c1e-9d0a-000000000003'],
      ['Sanction', 'truce-sanction-d-1'],
      ['Membership', 'truce-membership-c-7'],
      ['Succession', expect.stringMatching(/^truce-succession-[0-9a-f]{32}$/)],
      ['Succession', expect.stringMatching(/^truce-succession-[0-9a-f]{32}$/)],
      ['Sanction', expect.stringMatching(/^truce-sanction-[0-9a-f]{32}$/)],
    ])
    expect(exportFtm(structuredClone(view))).toBe(text)
    expect(lines[3]!.properties).toEqual({
      authority: ['UNSC 1267'], authorityId: ['QDe.137'], entity: ['truce-actor-0b5b8a9e-1111-4c1e-9d0a-000000000001'],
      listingDate: ['2014-05-14'], modifiedAt: ['2017-06-05', '2018-06-05'], startDate: ['2014-05-14'], unscId: ['QDe.137'],
    })
    expect(lines[0]!.properties).toEqual({ alias: ['جبهة النصرة', 'JN'], classification: ['armed_group'], country: ['iq', 'sy'], name: ['Al-Nusrah Front'], weakAlias: ['Nusra'] })
  })

  it('round-trips: parseFtm(exportFtm(view)) gives back what FtM carries', () => {
    const batch = parseFtm(text)
    expect(batch.actors).toEqual(expectedBatch(view))
    expect(batch.skipped).toEqual({})
    // A second trip changes nothing.
    const again: FtmExportActor[] = batch.actors.map((a) => ({
      id: a.key.replace(/^truce-actor-/, ''), type: a.type, names: a.names, countries: a.countries,
      memberships: a.memberships.map((m) => ({ ...m, umbrellaId: m.umbrellaKey.replace(/^truce-actor-/, '') })),
      successions: a.successions.map((s) => ({ ...s, predecessorId: s.predecessorKey.replace(/^truce-actor-/, '') })),
      designations: a.designations,
    }))
    expect(parseFtm(exportFtm(again)).actors).toEqual(batch.actors)
  })

  it('refuses an actor with no name at all', () => {
    expect(() => exportFtm([{ ...view[0]!, names: [] }])).toThrow(/no name/)
  })
})

const UN_1267 = join(sharedDataDir(), 'un_sc_sanctions', 'un_1267_alqaida_isil_list_2015-03-30.xml')

describe.runIf(existsSync(UN_1267))('the real 1267 list through FtM and back', () => {
  it('keeps every name, designation, country and sub-unit membership', () => {
    const un: ImportBatch = parseUnConsolidatedList(readFileSync(UN_1267))
    const view: FtmExportActor[] = un.actors.map((a) => ({
      id: a.key, type: a.type, names: a.names, countries: a.countries,
      memberships: a.memberships.map((m) => ({ ...m, umbrellaId: m.umbrellaKey })),
      successions: [],
      designations: a.designations,
    }))
    const back = parseFtm(exportFtm(view))
    expect(back.actors).toEqual(expectedBatch(view))
    expect(back.actors).toHaveLength(73)
  })
})
