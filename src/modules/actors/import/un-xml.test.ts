// The UN Security Council Consolidated List importer: small lists written here for each rule and
// each bad input (names, address countries, successions read from COMMENTS1), then the real March
// 2015 lists from ../shared/data/un_sc_sanctions.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { sharedDataDir } from '../../../config.ts'
import { ImportFormatError, type ImportBatch, type ImportedActor } from '../actors.types.ts'
import { parseUnConsolidatedList, splitPackedName, successionsInComments } from './un-xml.ts'

const thrown = (f: () => unknown): ImportFormatError => {
  try { f() } catch (e) { if (e instanceof ImportFormatError) return e; throw e }
  throw new Error('expected an ImportFormatError')
}

type EntityFixture = {
  dataId?: string; ref?: string; name?: string; listType?: string; listedOn?: string; original?: string; comments?: string; updated?: string[]; aliases?: [string, string][]
  /** Each address's COUNTRY ('' for an address without one). */
  countries?: string[]
}

const entityXml = (e: EntityFixture) => [
  '    <ENTITY>',
  e.dataId === undefined ? '' : `      <DATAID>${e.dataId}</DATAID>`,
  e.name === undefined ? '' : `      <FIRST_NAME>${e.name}</FIRST_NAME>`,
  `      <UN_LIST_TYPE>${e.listType ?? 'Al-Qaida'}</UN_LIST_TYPE>`,
  e.ref === undefined ? '' : `      <REFERENCE_NUMBER>${e.ref}</REFERENCE_NUMBER>`,
  `      <LISTED_ON>${e.listedOn ?? '2014-05-14'}</LISTED_ON>`,
  e.original ? `      <NAME_ORIGINAL_SCRIPT>${e.original}</NAME_ORIGINAL_SCRIPT>` : '',
  e.comments ? `      <COMMENTS1>${e.comments}</COMMENTS1>` : '',
  e.updated ? `      <LAST_DAY_UPDATED>${e.updated.map((d) => `<VALUE>${d}</VALUE>`).join('')}</LAST_DAY_UPDATED>` : '',
  ...(e.aliases ?? []).map(([q, n]) => `      <ENTITY_ALIAS><QUALITY>${q}</QUALITY><ALIAS_NAME>${n}</ALIAS_NAME></ENTITY_ALIAS>`),
  ...(e.countries ?? []).map((c) => `      <ENTITY_ADDRESS><CITY>Somewhere</CITY>${c ? `<COUNTRY>${c}</COUNTRY>` : ''}</ENTITY_ADDRESS>`),
  '    </ENTITY>',
].filter((l) => l !== '').join('\n')

const listXml = (entities: EntityFixture[], individuals = 1) => [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<CONSOLIDATED_LIST dateGenerated="2016-07-29T10:00:00.000-04:00">',
  '  <INDIVIDUALS>',
  ...Array.from({ length: individuals }, (_, k) => `    <INDIVIDUAL><DATAID>${k}</DATAID><FIRST_NAME>PERSON</FIRST_NAME><REFERENCE_NUMBER>QDi.${k}</REFERENCE_NUMBER></INDIVIDUAL>`),
  '  </INDIVIDUALS>',
  '  <ENTITIES>',
  ...entities.map((e, k) => entityXml({ dataId: String(100 + k), ref: `QDe.${100 + k}`, name: `GROUP ${k}`, ...e })),
  '  </ENTITIES>',
  '</CONSOLIDATED_LIST>',
].join('\n')

const names = (a: ImportedActor | undefined) => a?.names.map((n) => [n.kind, n.value, n.script])

describe('parseUnConsolidatedList on lists written here', () => {
  it('makes an actor of each ENTITY with its designation, and only counts INDIVIDUALs', () => {
    const batch = parseUnConsolidatedList(listXml([
      { ref: 'QDe.115', name: 'AL-QAIDA IN IRAQ', listedOn: '2004-10-18', updated: ['2014-05-14', '2009-03-05', '2014-05-14-04:00'] },
    ], 3))
    expect(batch.source).toBe('UN Security Council Consolidated List 2016-07-29')
    expect(batch.asOf).toBe('2016-07-29')
    expect(batch.skipped).toEqual({ INDIVIDUAL: 3 })
    expect(batch.candidates).toEqual([])
    expect(batch.actors).toEqual([{
      key: 'un:QDe.115',
      type: 'armed_group',
      names: [{ kind: 'name', value: 'AL-QAIDA IN IRAQ', lang: null, script: 'Latn', validFrom: null, validTo: null }],
      designations: [{ authority: 'UNSC 1267', reference: 'QDe.115', listedOn: '2004-10-18', delistedOn: null, amendedOn: ['2009-03-05', '2014-05-14'] }],
      memberships: [],
      successions: [],
      countries: [],
    }])
  })

  it('maps QUALITY to the name kind: a.k.a./empty/Good → alias, f.k.a. → previous name, Low → weak alias', () => {
    const [actor] = parseUnConsolidatedList(listXml([{
      name: 'THE ORGANIZATION',
      aliases: [['a.k.a.', 'Known As'], ['', 'Empty Quality'], ['Good', 'Good One'], ['f.k.a.', 'Formerly Known'], ['Low', 'Weak One'], ['low quality', 'Weaker One']],
    }])).actors
    expect(names(actor)).toEqual([
      ['name', 'THE ORGANIZATION', 'Latn'], ['alias', 'Known As', 'Latn'], ['alias', 'Empty Quality', 'Latn'], ['alias', 'Good One', 'Latn'],
      ['previous_name', 'Formerly Known', 'Latn'], ['weak_alias', 'Weak One', 'Latn'], ['weak_alias', 'Weaker One', 'Latn'],
    ])
  })

  it('splits packed aliases on ";" and on parenthesised alternatives, abbreviations and script notes', () => {
    const [actor] = parseUnConsolidatedList(listXml([{
      name: 'AL-NUSRAH FRONT FOR THE PEOPLE OF THE LEVANT',
      original: ' جبهة النصرة لأهل الشام',
      aliases: [
        ['a.k.a.', 'جبهة النصرة (the Victory Front; Jabhat al-Nusrah; Jabhet al-Nusra)'],
        ['a.k.a.', 'Jabhat Fath al-Sham; جبهة فتح الشام (original script); Jabhat Fateh al-Sham'],
        ['a.k.a.', 'أنصار الشريعة بليبيا (Ansar al Charia in Libya (ASL))'],
        ['f.k.a.', 'Al-Qaida in Yemen (AQY)'],
        ['a.k.a.', 'Al Qa’ida/Islamic Army (formerly listed as)'],
        ['a.k.a.', '"The Base"'],
        ['a.k.a.', 'AQI'],
        ['a.k.a.', 'Battalion of Shahids (martyrs)'],
        ['a.k.a.', 'STATE ESTABLISHMENT (ROADS'],
        ['a.k.a.', 'Jabhat al-Nusrah'],
      ],
    }])).actors
    expect(names(actor)).toEqual([
      ['name', 'AL-NUSRAH FRONT FOR THE PEOPLE OF THE LEVANT', 'Latn'],
      ['name', 'جبهة النصرة لأهل الشام', 'Arab'],
      ['alias', 'جبهة النصرة', 'Arab'],
      ['alias', 'the Victory Front', 'Latn'],
      ['alias', 'Jabhat al-Nusrah', 'Latn'],
      ['alias', 'Jabhet al-Nusra', 'Latn'],
      ['alias', 'Jabhat Fath al-Sham', 'Latn'],
      ['alias', 'جبهة فتح الشام', 'Arab'],
      ['alias', 'Jabhat Fateh al-Sham', 'Latn'],
      ['alias', 'أنصار الشريعة بليبيا', 'Arab'],
      ['alias', 'Ansar al Charia in Libya', 'Latn'],
      ['abbreviation', 'ASL', 'Latn'],
      ['previous_name', 'Al-Qaida in Yemen', 'Latn'],
      ['previous_name', 'AQY', 'Latn'],
      ['previous_name', 'Al Qa’ida/Islamic Army', 'Latn'],
      ['alias', 'The Base', 'Latn'],
      ['abbreviation', 'AQI', 'Latn'],
      ['alias', 'Battalion of Shahids (martyrs)', 'Latn'],
      ['alias', 'STATE ESTABLISHMENT (ROADS', 'Latn'],
    ])
  })

  it('splits an abbreviation off the listed name, but not a place in capitals', () => {
    const batch = parseUnConsolidatedList(listXml([{ name: 'ABDALLAH AZZAM BRIGADES (AAB)' }, { name: 'AL-HARAMAIN FOUNDATION (INDONESIA)' }]))
    expect(batch.actors.map(names)).toEqual([
      [['name', 'ABDALLAH AZZAM BRIGADES', 'Latn'], ['abbreviation', 'AAB', 'Latn']],
      [['name', 'AL-HARAMAIN FOUNDATION (INDONESIA)', 'Latn']],
    ])
  })

  it('makes each sub-unit name an actor that is a member of the entity, which becomes an umbrella', () => {
    const batch = parseUnConsolidatedList(listXml([{
      ref: 'QDe.137',
      name: 'AL-NUSRAH FRONT FOR THE PEOPLE OF THE LEVANT',
      aliases: [
        ['a.k.a.', ' شبكة أنصار المجاهدين (sub-unit name: Ansar al-Mujahideen Network) '],
        ['a.k.a.', 'مجاهدو الشام في ساحات الجهاد (sub-unit name: Levantine Mujahideen on the Battlefields of Jihad)'],
        ['a.k.a.', 'Jabhat al-Nusrah; Ansar al-Mujtahidin (sub-unit name)'],
      ],
    }]))
    expect(batch.actors.map((a) => [a.key, a.type])).toEqual([
      ['un:QDe.137', 'umbrella'], ['un:QDe.137/sub/1', 'armed_group'], ['un:QDe.137/sub/2', 'armed_group'], ['un:QDe.137/sub/3', 'armed_group'],
    ])
    expect(names(batch.actors[0])).toEqual([['name', 'AL-NUSRAH FRONT FOR THE PEOPLE OF THE LEVANT', 'Latn'], ['alias', 'Jabhat al-Nusrah', 'Latn']])
    const [, first, , third] = batch.actors
    expect(names(first)).toEqual([['name', 'شبكة أنصار المجاهدين', 'Arab'], ['name', 'Ansar al-Mujahideen Network', 'Latn']])
    expect(names(third)).toEqual([['name', 'Ansar al-Mujtahidin', 'Latn']])
    for (const sub of batch.actors.slice(1)) {
      expect(sub.memberships).toEqual([{ umbrellaKey: 'un:QDe.137', role: 'sub-unit', validFrom: null, validTo: null }])
      expect(sub.designations).toEqual([])
    }
  })

  it('leaves out an alias that repeats the comments, and names given twice', () => {
    const comment = 'An armed group that has carried out joint attacks with Al-Nusrah Front for the People of the Levant (QDe.137).'
    const [actor] = parseUnConsolidatedList(listXml([{
      name: 'ABDALLAH AZZAM BRIGADES', comments: comment,
      aliases: [['Good', `${comment} `], ['Good', 'Ziyad al-Jarrah Battalions'], ['Good', 'Ziyad al-Jarrah  Battalions']],
    }])).actors
    expect(names(actor)).toEqual([['name', 'ABDALLAH AZZAM BRIGADES', 'Latn'], ['alias', 'Ziyad al-Jarrah Battalions', 'Latn']])
  })

  it('names each list type by its committee, and keeps only the list types asked for', () => {
    const entities = [{ listType: 'Al-Qaida' }, { listType: 'Taliban' }, { listType: 'Iraq' }, { listType: 'Some New Regime' }]
    expect(parseUnConsolidatedList(listXml(entities)).actors.map((a) => a.designations[0]?.authority))
      .toEqual(['UNSC 1267', 'UNSC 1988', 'UNSC 1518', 'UNSC Some New Regime'])
    const only = parseUnConsolidatedList(listXml(entities), { listTypes: ['Al-Qaida'] })
    expect(only.actors.map((a) => a.key)).toEqual(['un:QDe.100'])
    expect(only.skipped).toEqual({ INDIVIDUAL: 1, 'ENTITY on list Taliban': 1, 'ENTITY on list Iraq': 1, 'ENTITY on list Some New Regime': 1 })
  })

  it("reads each address's COUNTRY as a country of operation, whatever name the list uses, and counts what it cannot read", () => {
    const batch = parseUnConsolidatedList(listXml([
      { name: 'A', countries: ['Syrian Arab Republic', 'Iraq', 'Syria', ''] },
      { name: 'B', countries: ['DPRK', 'The Netherlands', 'Iran (Islamic Republic of)', 'Operates in Syria', 'CHINA', 'Libyan Arab Jamahiriya'] },
      { name: 'C', countries: ['Support network in Iraq', 'Korea'] },
      { name: 'D', aliases: [['a.k.a.', 'D (sub-unit name: E)']], countries: ['Yemen'] },
    ]))
    expect(batch.actors.map((a) => [a.key, a.countries])).toEqual([
      ['un:QDe.100', ['IQ', 'SY']],
      ['un:QDe.101', ['CN', 'IR', 'KP', 'LY', 'NL', 'SY']],
      ['un:QDe.102', []],
      // A sub-unit's whereabouts are not its umbrella's address.
      ['un:QDe.103', ['YE']], ['un:QDe.103/sub/1', []],
    ])
    expect(batch.skipped).toEqual({
      INDIVIDUAL: 1, 'address COUNTRY "Support network in Iraq" (not read as a country)': 1, 'address COUNTRY "Korea" (not read as a country)': 1,
    })
  })

  it('gives the same batch for the same list, as text or as bytes', () => {
    const xml = listXml([{ name: 'A (AB)', aliases: [['a.k.a.', 'B; C']] }, { name: 'D', aliases: [['a.k.a.', 'E (sub-unit name: F)']] }])
    const once = parseUnConsolidatedList(xml)
    expect(parseUnConsolidatedList(Buffer.from(xml))).toEqual(once)
    expect(parseUnConsolidatedList(xml)).toEqual(once)
  })

  describe('bad input', () => {
    it('is not a UN list: another root element, or not XML at all', () => {
      const other = thrown(() => parseUnConsolidatedList('<?xml version="1.0"?>\n<sdnList><sdnEntry/></sdnList>'))
      expect([other.code, other.where]).toEqual(['not_un_list', 'line 2, column 1'])
      expect(other.message).toMatch(/<sdnList>/)
      expect(thrown(() => parseUnConsolidatedList('{"id": "x"}')).code).toBe('not_un_list')
      expect(thrown(() => parseUnConsolidatedList(Buffer.from('id,name\n1,x\n'))).code).toBe('not_un_list')
    })

    it('uses a DTD or entities: refused, whatever the root', () => {
      const xxe = '<?xml version="1.0"?>\n<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<CONSOLIDATED_LIST>&x;</CONSOLIDATED_LIST>'
      const e = thrown(() => parseUnConsolidatedList(xxe))
      expect([e.code, e.where]).toEqual(['xml_entities_refused', 'line 2, column 1'])
    })

    it('is truncated or malformed, with line and column', () => {
      const xml = listXml([{ name: 'A' }, { name: 'B' }])
      const cut = xml.slice(0, xml.indexOf('<FIRST_NAME>B') + 15)
      const e = thrown(() => parseUnConsolidatedList(cut))
      expect(e.code).toBe('malformed_xml')
      expect(e.where).toBe(`line ${cut.split('\n').length}, column ${cut.split('\n').at(-1)!.length + 1}`)
      expect(e.message).toMatch(/truncated/)
      const mismatched = thrown(() => parseUnConsolidatedList(xml.replace('</FIRST_NAME>', '</FIRST>')))
      expect(mismatched.code).toBe('malformed_xml')
      expect(mismatched.where).toMatch(/^line \d+, column \d+$/)
    })

    it('lacks REFERENCE_NUMBER or FIRST_NAME: names the element path, the DATAID and the line', () => {
      const noRef = thrown(() => parseUnConsolidatedList(listXml([{ name: 'A' }, { dataId: '6908429', ref: undefined, name: 'B' }])))
      expect(noRef.code).toBe('missing_element')
      expect(noRef.where).toMatch(/^line \d+, CONSOLIDATED_LIST\/ENTITIES\/ENTITY\[DATAID=6908429\]\/REFERENCE_NUMBER$/)
      expect(noRef.message).toMatch(/DATAID 6908429/)
      const noName = thrown(() => parseUnConsolidatedList(listXml([{ name: '  ' }])))
      expect(noName.where).toMatch(/ENTITY\[DATAID=100\]\/FIRST_NAME$/)
      const noId = thrown(() => parseUnConsolidatedList(listXml([{ name: 'A' }, { dataId: undefined, name: undefined }])))
      expect(noId.where).toMatch(/ENTITY\[2\]\/FIRST_NAME$/)
    })

    it('has a date that is not one, or the same reference twice', () => {
      const date = thrown(() => parseUnConsolidatedList(listXml([{ listedOn: '14 May 2014' }])))
      expect([date.code, date.where.replace(/^line \d+, /, '')]).toEqual(['bad_date', 'CONSOLIDATED_LIST/ENTITIES/ENTITY[DATAID=100]/LISTED_ON'])
      const twice = thrown(() => parseUnConsolidatedList(listXml([{ ref: 'QDe.137' }, { ref: 'QDe.137' }])))
      expect(twice.code).toBe('duplicate_reference')
    })
  })
})

describe('successions from COMMENTS1', () => {
  const successions = (batch: ImportBatch) => batch.actors.flatMap((a) => a.successions.map((s) => ({ successor: a.key, ...s })))

  it('reads a merger the successor states, with its date, from each predecessor', () => {
    const batch = parseUnConsolidatedList(listXml([
      { ref: 'QDe.140', name: 'AL MOULATHAMOUN', listedOn: '2014-06-02' },
      { ref: 'QDe.134', name: 'MUJAO' },
      { ref: 'QDe.141', name: 'AL MOURABITOUN', listedOn: '2014-06-02',
        comments: 'Founded on 20 Aug. 2013 as result of a merger between Al Moulathamoun (QDe.140) and the Mouvement pour l’Unification et le Jihad en Afrique de l’Ouest (MUJAO) (QDe.134). Associated with the Organization of Al-Qaida in the Islamic Maghreb (QDe.014) and led by Mokhtar Belmokhtar (QDi.136).' },
    ]))
    expect(successions(batch).map(({ successor, predecessorKey, kind, date, optional }) => ({ successor, predecessorKey, kind, date, optional }))).toEqual([
      { successor: 'un:QDe.141', predecessorKey: 'un:QDe.140', kind: 'merger', date: '2013-08-20', optional: undefined },
      { successor: 'un:QDe.141', predecessorKey: 'un:QDe.134', kind: 'merger', date: '2013-08-20', optional: undefined },
    ])
    expect(successions(batch)[0]!.source).toBe('COMMENTS1 of QDe.141: “Founded on 20 Aug. 2013 as result of a merger between Al Moulathamoun (QDe.140) and the Mouvement pour l’Unification et le Jihad en Afrique de l’Ouest (MUJAO) (QDe.134).”')
  })

  it('reads the same merger stated by a predecessor ("merged with … and established …") once, citing both entries', () => {
    const both = parseUnConsolidatedList(listXml([
      { ref: 'QDe.140', name: 'AL MOULATHAMOUN', aliases: [['a.k.a.', 'Al Moulathamoun']],
        comments: 'Founded in 2012 as a splinter group of the Organization of Al-Qaida in the Islamic Maghreb (QDe.014). On 20 Aug. 2013, Al Moulathamoun merged with the Mouvement pour l’Unification et le Jihad en Afrique de l’Ouest (MUJAO) (QDe.134) and established Al Mourabitoun (QDe.141). Active in the Sahel/Sahara region.' },
      { ref: 'QDe.134', name: 'MUJAO' },
      { ref: 'QDe.141', name: 'AL MOURABITOUN', comments: 'Founded on 20 Aug. 2013 as result of a merger between Al Moulathamoun (QDe.140) and MUJAO (QDe.134).' },
      { ref: 'QDe.014', name: 'THE ORGANIZATION OF AL-QAIDA IN THE ISLAMIC MAGHREB' },
    ]))
    expect(successions(both).map((s) => [s.successor, s.predecessorKey, s.kind, s.date])).toEqual([
      ['un:QDe.140', 'un:QDe.014', 'split', '2012-01-01'],
      ['un:QDe.141', 'un:QDe.140', 'merger', '2013-08-20'],
      ['un:QDe.141', 'un:QDe.134', 'merger', '2013-08-20'],
    ])
    const merger = successions(both)[1]!
    expect(merger.source).toMatch(/^COMMENTS1 of QDe\.141: “Founded on 20 Aug\. 2013 .*” \(also stated by QDe\.140\)$/)
    // A year alone is dated on its first day, and the claim says so.
    expect(successions(both)[0]!.source).toMatch(/; "2012" gives the year only: dated 2012-01-01$/)
  })

  it('dates an undated succession by the successor\'s listing, and says so', () => {
    const batch = parseUnConsolidatedList(listXml([
      { ref: 'QDe.004', name: 'AL-QAIDA', listedOn: '2001-10-06' },
      { ref: 'QDe.012', name: 'MAKHTAB AL-KHIDAMAT', comments: 'Absorbed into Al-Qaida (QDe.004). Review pursuant to Security Council resolution 1822 (2008) was concluded on 21 Jun. 2010.' },
    ]))
    expect(successions(batch)).toEqual([{
      successor: 'un:QDe.004', predecessorKey: 'un:QDe.012', kind: 'merger', date: '2001-10-06',
      source: 'COMMENTS1 of QDe.012: “Absorbed into Al-Qaida (QDe.004).”; no date given: dated 2001-10-06, the listing date of QDe.004',
    }])
  })

  it('reads renames and splits between entries, by reference number', () => {
    const read = (comments: string, names = ['NEW FRONT']) => successionsInComments({ reference: 'QDe.200', names }, comments)
      .map((s) => [s.predecessor, s.successor, s.kind, s.date?.date ?? null, s.date?.precision ?? null])
    expect(read('New Front is the new name for Old Front (QDe.199).')).toEqual([['QDe.199', 'QDe.200', 'rename', null, null]])
    expect(read('Formerly known as Old Front (OF) (QDe.199).')).toEqual([['QDe.199', 'QDe.200', 'rename', null, null]])
    expect(read('In July 2016, New Front changed its name to Newer Front (QDe.201).')).toEqual([['QDe.200', 'QDe.201', 'rename', '2016-07-01', 'month']])
    expect(read('New Front split from Old Front (QDe.199) in 1997.')).toEqual([['QDe.199', 'QDe.200', 'split', '1997-01-01', 'year']])
    expect(read('Established on 3 March 2015 as a breakaway faction of Old Front (QDe.199).')).toEqual([['QDe.199', 'QDe.200', 'split', '2015-03-03', 'day']])
    expect(read('Formed by the merger of A (QDe.198), B (QDe.199) and C (QDe.197).')).toEqual([
      ['QDe.198', 'QDe.200', 'merger', null, null], ['QDe.199', 'QDe.200', 'merger', null, null], ['QDe.197', 'QDe.200', 'merger', null, null],
    ])
    expect(read('The New Front was absorbed into Big Front (QDe.004) in Nov. 2007.')).toEqual([['QDe.200', 'QDe.004', 'merger', '2007-11-01', 'month']])
  })

  it('reads nothing it cannot read with confidence', () => {
    const read = (comments: string) => successionsInComments({ reference: 'QDe.130', names: ['HARAKAT-UL JIHAD ISLAMI'] }, comments)
    // The real list's sentences that yield nothing: a successor named without a reference, a
    // subject that is not the entry, a hedged report, a listing's history, a membership.
    for (const sentence of [
      'In 1993, Harakat-ul Jihad Islami merged with Harakat ul-Mujahidin (QDe.008) to form Harakat ul-Ansar.',
      'In 1997, Harakat-ul Jihad Islami split from Harakat ul-Ansar and resumed using its former name.',
      'Members in Afghanistan merged with Al-Qaida (QDe.004) in Nov. 2007.',
      'Reported to have operated in Somalia and Ethiopia and to have merged with Harakat Al-Shabaab Al-Mujaahidiin (Al-Shabaab), which was accepted as an affiliate of Al-Qaida (QDe.004).',
      'The two entries Al Rashid Trust (QDe.005) and Aid Organization of the Ulema, Pakistan (QDe.073) were consolidated into this entity on 21 Oct. 2008.',
      'Previously listed between 30 May 2013 and 13 May 2014 as an aka of Al-Qaida in Iraq (QDe.115).',
      'Wafa was a component of Al-Qaida (QDe.004) in 2001.',
      'Formed in Jan. 2009 when Al-Qaida in Yemen combined with Saudi Arabian Al-Qaida operatives.',
      // An individual is no predecessor; a merger needs two; a date that is not one; a comma clause.
      'Formerly known as Abu Bakr (QDi.058).',
      'Founded in 2010 as result of a merger between Old Front (QDe.199).',
      'On 31 Feb. 2013, Harakat-ul Jihad Islami merged with X (QDe.001) and established Y (QDe.002).',
      'Founded in 2012 as a splinter group of X, which later joined Y (QDe.014).',
      'Some Other Group split from X (QDe.014).',
    ]) expect(read(sentence), sentence).toEqual([])
  })

  it('keeps a predecessor outside the list for the import to find, and leaves out a successor outside it', () => {
    const batch = parseUnConsolidatedList(listXml([
      { ref: 'QDe.141', name: 'AL MOURABITOUN', comments: 'Founded on 20 Aug. 2013 as result of a merger between Al Moulathamoun (QDe.140) and MUJAO (QDe.134).' },
      { ref: 'QDe.134', name: 'MUJAO' },
      { ref: 'QDe.012', name: 'MAKHTAB AL-KHIDAMAT', comments: 'Absorbed into Al-Qaida (QDe.004).' },
    ]))
    // QDe.140 is no longer listed (an earlier import may have it); QDe.004 is not in this list at all.
    expect(successions(batch).map((s) => [s.successor, s.predecessorKey, s.optional ?? false])).toEqual([
      ['un:QDe.141', 'un:QDe.140', true], ['un:QDe.141', 'un:QDe.134', false],
    ])
    expect(batch.skipped).toEqual({ INDIVIDUAL: 1, 'COMMENTS1 succession to an entry not in this list': 1 })
  })
})

describe('splitPackedName', () => {
  it('reads sub-unit notes with several names', () => {
    expect(splitPackedName('X (sub-unit name: Y; Z)')).toEqual([{ role: 'sub-unit', names: ['X', 'Y', 'Z'] }])
  })
  it('keeps a parenthesis in the same script that is neither a list nor an abbreviation', () => {
    expect(splitPackedName('Leader (Hong Kong) International Trading Limited')).toEqual([{ role: 'name', value: 'Leader (Hong Kong) International Trading Limited' }])
  })
})

const UN = join(sharedDataDir(), 'un_sc_sanctions')
const HAVE_DATA = existsSync(join(UN, 'un_1267_alqaida_isil_list_2015-03-30.xml'))

describe.runIf(HAVE_DATA)('parseUnConsolidatedList on the real lists (March 2015)', () => {
  // Read only when the suite runs: a skipped describe is still collected.
  let al1267 = Buffer.alloc(0)
  let batch: ImportBatch
  beforeAll(() => {
    al1267 = readFileSync(join(UN, 'un_1267_alqaida_isil_list_2015-03-30.xml'))
    batch = parseUnConsolidatedList(al1267)
  })
  const actor = (key: string) => batch.actors.find((a) => a.key === key)
  const values = (key: string) => actor(key)?.names.map((n) => n.value) ?? []

  it('has every entity (71, plus the two QDe.137 sub-units) and counts the 234 individuals', () => {
    expect(batch.asOf).toBe('2015-03-26')
    expect(batch.actors.filter((a) => !a.key.includes('/sub/'))).toHaveLength(71)
    expect(batch.actors).toHaveLength(73)
    expect(batch.skipped).toEqual({ INDIVIDUAL: 234, 'address COUNTRY "Support network in Iraq" (not read as a country)': 1 })
    expect(new Set(batch.actors.map((a) => a.designations[0]?.authority ?? 'sub-unit'))).toEqual(new Set(['UNSC 1267', 'sub-unit']))
  })

  it('reads the mergers and the split COMMENTS1 states between entries, and nothing else', () => {
    const all = batch.actors.flatMap((a) => a.successions.map((s) => [a.key, s.predecessorKey, s.kind, s.date, s.optional ?? false]))
    expect(all).toEqual([
      // "Absorbed into Al-Qaida (QDe.004)": no date, so Al-Qaida's listing date.
      ['un:QDe.004', 'un:QDe.012', 'merger', '2001-10-06', false],
      // "Founded in 2012 as a splinter group of the Organization of Al-Qaida in the Islamic Maghreb (QDe.014)".
      ['un:QDe.140', 'un:QDe.014', 'split', '2012-01-01', false],
      // Al Mourabitoun, stated by both QDe.141 and QDe.140.
      ['un:QDe.141', 'un:QDe.140', 'merger', '2013-08-20', false],
      ['un:QDe.141', 'un:QDe.134', 'merger', '2013-08-20', false],
    ])
  })

  it('reads the address countries: QDe.137 Al-Nusrah Front "Operates in Syria"', () => {
    expect(actor('un:QDe.137')!.countries).toEqual(['SY'])
    expect(batch.actors.filter((a) => a.countries.length > 0)).toHaveLength(39)
  })

  it('reads QDe.137 Al-Nusrah Front: "Jabhat al-Nusrah", the Arabic-script names, and its sub-units', () => {
    const nusra = actor('un:QDe.137')!
    expect(nusra.type).toBe('umbrella')
    expect(nusra.designations).toEqual([{ authority: 'UNSC 1267', reference: 'QDe.137', listedOn: '2014-05-14', delistedOn: null, amendedOn: [] }])
    expect(values('un:QDe.137')).toEqual(expect.arrayContaining(['AL-NUSRAH FRONT FOR THE PEOPLE OF THE LEVANT', 'Jabhat al-Nusrah', 'Al-Nusra Front', 'جبهة النصرة']))
    expect(nusra.names.find((n) => n.value === 'جبهة النصرة لأهل الشام')).toMatchObject({ kind: 'name', script: 'Arab' })
    expect(values('un:QDe.137/sub/1')).toEqual(['شبكة أنصار المجاهدين', 'Ansar al-Mujahideen Network'])
    expect(values('un:QDe.137/sub/2')).toEqual(['مجاهدو الشام في ساحات الجهاد', 'Levantine Mujahideen on the Battlefields of Jihad'])
    expect(actor('un:QDe.137/sub/1')!.memberships).toEqual([{ umbrellaKey: 'un:QDe.137', role: 'sub-unit', validFrom: null, validTo: null }])
  })

  it('reads QDe.115 Al-Qaida in Iraq with its ISIL aliases and amendment dates', () => {
    expect(values('un:QDe.115')).toEqual(expect.arrayContaining(['AL-QAIDA IN IRAQ', 'القاعده في العراق', 'Islamic State in Iraq and the Levant', 'Islamic State of Iraq', 'ISI']))
    expect(actor('un:QDe.115')!.designations[0]).toMatchObject({ listedOn: '2004-10-18', amendedOn: ['2004-12-02', '2009-03-05', '2011-12-13', '2013-05-30', '2014-05-14', '2014-06-02'] })
  })

  it('reads f.k.a. as previous names (QDe.014 was the GSPC)', () => {
    expect(actor('un:QDe.014')!.names.filter((n) => n.kind === 'previous_name').map((n) => n.value))
      .toEqual(['Le Groupe Salafiste pour La Prédication et le Combat', 'GSPC', 'Salafist Group For Call and Combat'])
  })

  it('is deterministic, and the consolidated list gives the same QDe.137 under the same keys', () => {
    expect(parseUnConsolidatedList(al1267)).toEqual(batch)
    const all = parseUnConsolidatedList(readFileSync(join(UN, 'un_consolidated_list.xml')))
    expect(all.asOf).toBe('2015-03-27')
    expect(all.actors.filter((a) => !a.key.includes('/sub/'))).toHaveLength(424)
    expect(all.skipped).toEqual({
      INDIVIDUAL: 622,
      'address COUNTRY "Support network in Iraq" (not read as a country)': 1, 'address COUNTRY "Branch Office 11: Iran" (not read as a country)': 1,
    })
    expect(all.actors.flatMap((a) => a.successions)).toHaveLength(4)
    expect(all.actors.find((a) => a.key === 'un:QDe.137')).toEqual(actor('un:QDe.137'))
    expect(all.actors.filter((a) => a.key.startsWith('un:QDe.137/')).map((a) => a.key)).toEqual(['un:QDe.137/sub/1', 'un:QDe.137/sub/2'])
  })
})

describe.runIf(!HAVE_DATA)('the real UN lists', () => {
  // Absent data skips these on a workstation and fails under CI, which must run them.
  if (process.env.CI) {
    it('are present (CI is set)', () => expect.fail(`${UN} is absent; CI must run the real-list tests (set TRUCE_SHARED_DATA)`))
  } else {
    // Skipped only on a workstation without ../shared/data, saying where to put it; under CI the branch above fails instead.
    it.skip(`skipped: ${UN} is absent (set TRUCE_SHARED_DATA, or put the data at ../shared/data/un_sc_sanctions)`, () => {})
  }
})
