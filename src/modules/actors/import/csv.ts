// RFC 4180 CSV for the importers: quoted fields (with "" for a quote, and line breaks inside),
// CRLF or LF line ends, a UTF-8 byte-order mark. Each record keeps the line it starts on, so an
// importer's error can name it. Malformed quoting is an ImportFormatError located by line and column.
import { ImportFormatError } from '../actors.types.ts'

export type CsvRecord = { fields: string[]; line: number }

/**
 * Splits CSV text into records. A last line without a line break is still a record; blank lines
 * are records of one empty field, which callers usually skip.
 *
 * @example
 * parseCsv('a,b\n"x, y",z\n') // [{ fields: ['a', 'b'], line: 1 }, { fields: ['x, y', 'z'], line: 2 }]
 */
export function parseCsv(input: string | Buffer): CsvRecord[] {
  const text = (typeof input === 'string' ? input : input.toString('utf8')).replace(/^\uFEFF/, '')
  const records: CsvRecord[] = []
  let fields: string[] = []
  let line = 1
  let recordLine = 1
  let lineStart = 0
  let i = 0
  const fail = (at: number, message: string): never => {
    throw new ImportFormatError('malformed_csv', `line ${line}, column ${at - lineStart + 1}`, message)
  }
  const endRecord = () => {
    records.push({ fields, line: recordLine })
    fields = []
  }
  while (i <= text.length) {
    if (text[i] === '"') {
      const openedAt = i
      const openedLine = line
      const openedLineStart = lineStart
      let value = ''
      i++
      for (;;) {
        const quote = text.indexOf('"', i)
        if (quote === -1) {
          line = openedLine
          lineStart = openedLineStart
          return fail(openedAt, 'a quoted field is never closed (truncated?)')
        }
        const chunk = text.slice(i, quote)
        for (let k = chunk.indexOf('\n'); k !== -1; k = chunk.indexOf('\n', k + 1)) { line++; lineStart = i + k + 1 }
        value += chunk
        if (text[quote + 1] === '"') { value += '"'; i = quote + 2; continue }
        i = quote + 1
        break
      }
      fields.push(value.replace(/\r\n/g, '\n'))
      const next = text[i]
      if (next !== ',' && next !== '\n' && next !== '\r' && next !== undefined) fail(i, `'${next}' after a closing quote (a quote inside a field is written "")`)
    } else {
      let end = i
      while (end < text.length && text[end] !== ',' && text[end] !== '\n' && text[end] !== '\r') end++
      const value = text.slice(i, end)
      const quote = value.indexOf('"')
      if (quote !== -1) fail(i + quote, 'a quote inside an unquoted field (quote the whole field and write "" for the quote)')
      fields.push(value)
      i = end
    }
    const sep = text[i]
    if (sep === ',') { i++; continue }
    if (sep === '\r' && text[i + 1] !== '\n') fail(i, 'a carriage return alone is not a line break')
    if (sep === undefined) {
      // The final line break ends the last record; what follows it is nothing, not an empty record.
      if (!(fields.length === 1 && fields[0] === '' && i === text.length && (text.endsWith('\n') || text.length === 0))) endRecord()
      break
    }
    endRecord()
    i += sep === '\r' ? 2 : 1
    line++
    lineStart = i
    recordLine = line
  }
  return records
}
