// Decoding incident files: byte-order marks, UTF-8, Windows-1252 (all of 0x80–0x9F), UTF-16 without
// a mark, gzip with its size limit, and the binary files people upload instead of CSV.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { ImportFormatError } from '../../actors/actors.types.ts'
import { decodeFile, decodeText, decodeWindows1252 } from './decode.ts'
import { HAVE_SHARED_DATA, HXL_TESTS } from './test-files.ts'

const thrown = (f: () => unknown): ImportFormatError => {
  try { f() } catch (e) { if (e instanceof ImportFormatError) return e; throw e }
  throw new Error('expected an ImportFormatError')
}
const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))))

describe('decodeText', () => {
  it('reads UTF-8, with or without a byte-order mark, the mark not being text', () => {
    expect(decodeText(Buffer.from('id,location\n1,Ma’arrat al-Nu’man\n'))).toEqual({ text: 'id,location\n1,Ma’arrat al-Nu’man\n', encoding: 'utf-8' })
    expect(decodeText(Buffer.from('\uFEFFid\n1\n'))).toEqual({ text: 'id\n1\n', encoding: 'utf-8' })
  })

  it('reads UTF-16 by its byte-order mark, little- and big-endian', () => {
    const text = 'id,location\r\n1,حلب\r\n'
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toEqual({ text, encoding: 'utf-16le' })
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]))).toEqual({ text, encoding: 'utf-16be' })
  })

  it('reads UTF-16 without a mark by the NUL bytes its ASCII leaves', () => {
    const text = 'event_id_cnty,event_date\r\nSYR1,01/03/2017\r\n'
    expect(decodeText(Buffer.from(text, 'utf16le'))).toEqual({ text, encoding: 'utf-16le' })
    expect(decodeText(Buffer.from(text, 'utf16le').swap16())).toEqual({ text, encoding: 'utf-16be' })
  })

  it('reads text that is not UTF-8 as Windows-1252: the typographic quote 0x92 and accented Latin-1 letters', () => {
    expect(decodeText(bytes('1,Ma', [0x92], 'arrat al-Nu', [0x92], 'man,Al', [0xe9], 'po\n'))).toEqual({ text: '1,Ma’arrat al-Nu’man,Alépo\n', encoding: 'windows-1252' })
  })

  it('maps every byte 0x80–0x9F as Windows-1252 does (not as Latin-1 control characters)', () => {
    const all = decodeWindows1252(Uint8Array.from({ length: 32 }, (_, k) => 0x80 + k))
    // The WHATWG index-windows-1252, rows 0x80 and 0x90; 0x81, 0x8D, 0x8F, 0x90, 0x9D are unassigned.
    expect([...all].map((c) => c.codePointAt(0)!.toString(16).padStart(4, '0'))).toEqual([
      '20ac', '0081', '201a', '0192', '201e', '2026', '2020', '2021', '02c6', '2030', '0160', '2039', '0152', '008d', '017d', '008f',
      '0090', '2018', '2019', '201c', '201d', '2022', '2013', '2014', '02dc', '2122', '0161', '203a', '0153', '009d', '017e', '0178',
    ])
    expect(decodeWindows1252(Uint8Array.from([0x41, 0xa0, 0xff]))).toBe('A\u00a0ÿ')
  })

  it('refuses workbooks and other binary files, saying what to do', () => {
    expect(thrown(() => decodeText(bytes([0x50, 0x4b, 0x03, 0x04], 'xl/workbook.xml'))).message).toMatch(/ZIP archive.*export it as CSV/)
    expect(thrown(() => decodeText(bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).message).toMatch(/\.xls workbook/)
    expect(thrown(() => decodeText(bytes([0x89], 'PNG', [0, 0, 0, 0x0d], 'IHDR'))).code).toBe('not_text')
  })
})

describe('decodeFile', () => {
  it('inflates gzip (by its magic bytes, whatever the name), then decodes', () => {
    const csv = bytes('id,location\n1,Ma', [0x92], 'arrat\n')
    expect(decodeFile(gzipSync(csv))).toEqual({ text: 'id,location\n1,Ma’arrat\n', encoding: 'windows-1252', gzip: true })
    expect(decodeFile(csv).gzip).toBe(false)
  })

  it('stops inflating at the size limit, and refuses a file beyond it before inflating', () => {
    const bomb = gzipSync(Buffer.alloc(4 * 2 ** 20, 0x2c)) // 4 MiB of commas in a few KiB
    expect(bomb.length).toBeLessThan(10_000)
    const e = thrown(() => decodeFile(bomb, { maxBytes: 2 ** 20 }))
    expect([e.code, e.message]).toEqual(['too_large', 'file: the gzip file inflates to more than 1,048,576 bytes, the most an import reads'])
    expect(decodeFile(bomb, { maxBytes: 4 * 2 ** 20 }).text).toHaveLength(4 * 2 ** 20)
    expect(thrown(() => decodeFile(Buffer.alloc(101, 0x41), { maxBytes: 100 })).code).toBe('too_large')
  })

  it('refuses a gzip file cut short', () => {
    const gz = gzipSync(Buffer.from('id,side_a\n'.repeat(1000)))
    const e = thrown(() => decodeFile(gz.subarray(0, gz.length - 20)))
    expect(e.code).toBe('malformed_gzip')
    expect(e.message).toMatch(/cut short/)
  })
})

const HXL = join(HXL_TESTS, 'test_io')
describe.runIf(HAVE_SHARED_DATA)('decodeFile on libhxl-python test files', () => {
  it('reads the Latin-1 copy of a file as Windows-1252, to the same text as its UTF-8 copy', () => {
    const latin1 = decodeFile(readFileSync(join(HXL, 'input-valid-latin1.csv')))
    const utf8 = decodeFile(readFileSync(join(HXL, 'input-valid.csv')))
    expect([latin1.encoding, utf8.encoding]).toEqual(['windows-1252', 'utf-8'])
    expect(latin1.text).toContain('Organización,Hombres,Mujeres,País')
    // The UTF-8 copy has a header cell ("¿Qué?") the Latin-1 one writes without "¿"; the tagged rows are the same.
    const tagged = (t: string) => t.split('\n').slice(2).join('\n')
    expect(tagged(latin1.text)).toBe(tagged(utf8.text))
  })
})
