// dBASE attribute tables: the five field types, blanks and overflow as null, deleted records, and
// the encoding from the .cpg, the language driver, or the text itself.
import { describe, expect, it } from 'vitest'
import { encodingOfCpg, readDbf } from './dbf.ts'
import { buildDbf, type DbfFieldSpec } from './test-files.ts'
import { GeoImportError } from './types.ts'

const thrown = (f: () => unknown): GeoImportError => {
  try { f() } catch (e) { if (e instanceof GeoImportError) return e; throw e }
  throw new Error('expected a GeoImportError')
}

const fields: DbfFieldSpec[] = [
  { name: 'PCODE', type: 'C', length: 6 }, { name: 'NAME', type: 'C', length: 40 }, { name: 'POP', type: 'N', length: 9 },
  { name: 'AREA', type: 'F', length: 12, decimals: 3 }, { name: 'CONTESTED', type: 'L', length: 1 }, { name: 'VALID_ON', type: 'D', length: 8 },
]

describe('readDbf', () => {
  it('reads character, number, float, logical and date fields, and blanks as null', () => {
    const table = readDbf(buildDbf(fields, [
      ['SY01', 'Damascus', 1711000, 105.125, false, '20201217'],
      ['SY02', '', null, -3.5, true, ''],
      ['SY03', 'Homs', Buffer.from('*********'), null, Buffer.from('?'), '00000000'],
      ['SY04', 'Hama', 5, 1, Buffer.from('y'), '20230230'],
    ]))
    expect(table.fields.map((f) => [f.name, f.type, f.length, f.decimals])).toEqual([
      ['PCODE', 'C', 6, 0], ['NAME', 'C', 40, 0], ['POP', 'N', 9, 0], ['AREA', 'F', 12, 3], ['CONTESTED', 'L', 1, 0], ['VALID_ON', 'D', 8, 0],
    ])
    expect(table.records).toBe(4)
    expect(table.record(0)).toEqual({ PCODE: 'SY01', NAME: 'Damascus', POP: 1711000, AREA: 105.125, CONTESTED: false, VALID_ON: '2020-12-17' })
    expect(table.record(1)).toEqual({ PCODE: 'SY02', NAME: null, POP: null, AREA: -3.5, CONTESTED: true, VALID_ON: null })
    expect(table.record(2)).toEqual({ PCODE: 'SY03', NAME: 'Homs', POP: null, AREA: null, CONTESTED: null, VALID_ON: null })
    expect(table.record(3)).toMatchObject({ CONTESTED: true, VALID_ON: null }) // 30 February is no date
  })

  it('gives null for a record marked deleted', () => {
    const table = readDbf(buildDbf(fields.slice(0, 1), [['SY01'], ['SY02']], { deleted: [0] }))
    expect([table.record(0), table.record(1)]).toEqual([null, { PCODE: 'SY02' }])
  })

  describe('encoding', () => {
    const names = [{ name: 'NAME', type: 'C', length: 30 }]
    it('is UTF-8 without a .cpg when all text is valid UTF-8 (Arabic)', () => {
      const table = readDbf(buildDbf(names, [['دمشق'], ['Damascus']]))
      expect([table.encoding, table.record(0)]).toEqual(['utf-8', { NAME: 'دمشق' }])
    })
    it('is Windows-1252 without a .cpg when the text is not UTF-8', () => {
      const table = readDbf(buildDbf(names, [['Damas'], ['Alep'], [Buffer.from('Alépo', 'latin1')], [Buffer.from([0x4d, 0x61, 0x92, 0x61, 0x72, 0x72, 0x61, 0x74])]]))
      expect([table.encoding, table.record(2)]).toEqual(['windows-1252', { NAME: 'Alépo' }])
      // 0x92 is a right single quote in Windows-1252 (Node's own TextDecoder gives a C1 control).
      expect(table.record(3)).toEqual({ NAME: 'Ma’arrat' })
    })
    it('is what the .cpg says (1251 for Cyrillic, UTF-8)', () => {
      const cp1251 = new Uint8Array([0xc4, 0xee, 0xed, 0xe5, 0xf6, 0xfc, 0xea]) // Донецьк
      expect(readDbf(buildDbf(names, [[cp1251]]), { cpg: '1251\r\n' }).record(0)).toEqual({ NAME: 'Донецьк' })
      expect(readDbf(buildDbf(names, [['Київ']]), { cpg: 'UTF-8' }).record(0)).toEqual({ NAME: 'Київ' })
    })
    it('follows the language driver for a non-Latin code page when there is no .cpg', () => {
      const cp1256 = new Uint8Array([0xcf, 0xe3, 0xd4, 0xde]) // دمشق
      const table = readDbf(buildDbf(names, [[cp1256]], { languageDriver: 0x7e }))
      expect([table.encoding, table.record(0)]).toEqual(['windows-1256', { NAME: 'دمشق' }])
    })
    it.each([['UTF-8', 'utf-8'], ['utf8', 'utf-8'], ['ANSI 1252', 'windows-1252'], ['CP1251', 'windows-1251'], ['1256', 'windows-1256'],
      ['ISO-8859-5', 'iso-8859-5'], ['88591', 'windows-1252'], ['866', 'ibm866'], ['koi8-u', 'koi8-u']])('reads the .cpg %s as %s', (cpg, label) => {
      expect(encodingOfCpg(cpg)).toBe(label)
    })
    it('refuses a .cpg naming an encoding it cannot read', () => {
      const e = thrown(() => readDbf(buildDbf(names, [['x']]), { cpg: 'OEM 437', where: { entry: 'a.dbf' } }))
      expect([e.code, e.where]).toEqual(['encoding_unsupported', { entry: 'a.dbf' }])
      expect(e.message).toMatch(/"OEM 437"/)
    })
  })

  it('refuses a memo (or any other) field type, naming the field', () => {
    const e = thrown(() => readDbf(buildDbf([{ name: 'NOTES', type: 'M', length: 10 }], [['1']]), { where: { entry: 'a.dbf' } }))
    expect([e.code, e.where]).toEqual(['dbf_field_unsupported', { entry: 'a.dbf', element: 'NOTES' }])
  })

  it.each([
    ['cut short', (b: Buffer) => b.subarray(0, b.length - 20), /cut short/],
    ['a header whose record length disagrees with its fields', (b: Buffer) => { b.writeUInt16LE(99, 10); return b }, /take 47 bytes a record but its header says 99/],
    ['a field list that never ends', (b: Buffer) => { b[b.readUInt16LE(8) - 1] = 0x20; return b.subarray(0, b.readUInt16LE(8)) }, /does not end/],
    ['too short to be a table', (b: Buffer) => b.subarray(0, 20), /too short/],
  ])('refuses a table %s as shapefile_corrupt', (_what, damage, message) => {
    const e = thrown(() => readDbf(damage(buildDbf(fields.slice(0, 2), [['SY01', 'Damascus'], ['SY02', 'Aleppo']])), { where: { entry: 'a.dbf' } }))
    expect([e.code, e.where.entry]).toEqual(['shapefile_corrupt', 'a.dbf'])
    expect(e.message).toMatch(message)
  })
})
