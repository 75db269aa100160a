// RFC 4180 CSV: quoting, line breaks inside fields, line numbers of records, and malformed quoting.
import { describe, expect, it } from 'vitest'
import { ImportFormatError } from '../actors.types.ts'
import { parseCsv } from './csv.ts'

const thrown = (f: () => unknown): ImportFormatError => {
  try { f() } catch (e) { if (e instanceof ImportFormatError) return e; throw e }
  throw new Error('expected an ImportFormatError')
}

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and says where each record starts', () => {
    const csv = 'id,side_b,note\r\n1,"HTS, Southern Front","say ""hi"""\r\n2,IS,"two\r\nlines"\r\n3,,\r\n'
    expect(parseCsv(csv)).toEqual([
      { fields: ['id', 'side_b', 'note'], line: 1 },
      { fields: ['1', 'HTS, Southern Front', 'say "hi"'], line: 2 },
      { fields: ['2', 'IS', 'two\nlines'], line: 3 },
      { fields: ['3', '', ''], line: 5 },
    ])
  })

  it('reads a last record without a line break, a byte-order mark, bytes, and blank lines', () => {
    expect(parseCsv(Buffer.from('\uFEFFa,b\n\n"x",y'))).toEqual([
      { fields: ['a', 'b'], line: 1 }, { fields: [''], line: 2 }, { fields: ['x', 'y'], line: 3 },
    ])
    expect(parseCsv('')).toEqual([])
    expect(parseCsv('a,\n')).toEqual([{ fields: ['a', ''], line: 1 }])
  })

  const bad: [string, string, string, RegExp][] = [
    ['a quoted field never closed (a file cut short)', 'a,b\n1,"HTS, South', 'line 2, column 3', /never closed/],
    ['text after a closing quote', 'a,b\n1,"x"y\n', 'line 2, column 6', /after a closing quote/],
    ['a quote inside an unquoted field', 'a,b\n1,x"y\n', 'line 2, column 4', /quote inside an unquoted field/],
    ['a lone carriage return', 'a,b\r1,2\n', 'line 1, column 4', /carriage return/],
    ['text after a closing quote on a later line of a multi-line field', 'a\n"x\ny"z\n', 'line 3, column 3', /after a closing quote/],
  ]
  it.each(bad)('refuses %s, with line and column', (_what, csv, where, message) => {
    const e = thrown(() => parseCsv(csv))
    expect([e.code, e.where]).toEqual(['malformed_csv', where])
    expect(e.message).toMatch(message)
  })
})
