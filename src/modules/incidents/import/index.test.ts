// parseIncidentFile: bytes in any of the encodings and gzip → the format's parser; the limits and
// the progress callback; and every report the importers make passes the API's report contract, so
// an import cannot produce what a client could not have sent.
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { reportBody } from '../reports.schemas.ts'
import { ImportFormatError, INCIDENT_FORMATS, parseIncidentFile, type IncidentFile } from './index.ts'
import { ACLED_COLUMNS, ACLED_ROWS, csvOf, GED_2016, HAVE_SHARED_DATA, HXL_INCIDENTS, windows1252 } from './test-files.ts'

const now = new Date('2026-05-10T12:00:00Z')
const HXL = [
  'Date,Lat,Lon,Type,Place',
  '#date+occurred,#geo+lat,#geo+lon,#event+type,#loc+name',
  '01/03/2016,36.2,37.1,Shelling,Ḥalab',
  '02/03/2016,36.2,37.1,Airstrike,حلب',
  '',
].join('\r\n')

const thrown = (f: () => unknown): ImportFormatError => {
  try { f() } catch (e) { if (e instanceof ImportFormatError) return e; throw e }
  throw new Error('expected an ImportFormatError')
}
const places = (file: IncidentFile) => file.reports.map((r) => r.report.where.kind === 'point' ? r.report.where.placeName : undefined)

describe('parseIncidentFile', () => {
  it('reads the formats it names', () => {
    expect(INCIDENT_FORMATS).toEqual(['ucdp', 'acled', 'hxl'])
  })

  it('reads UTF-8, UTF-16 with a mark, and gzip of either, saying which', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HXL, 'utf16le')])
    const cases = [Buffer.from(HXL), utf16, gzipSync(HXL), gzipSync(utf16)]
    expect(cases.map((bytes) => {
      const file = parseIncidentFile(bytes, 'hxl', { now })
      return [file.encoding, file.gzip, places(file)]
    })).toEqual([
      ['utf-8', false, ['Ḥalab', 'حلب']], ['utf-16le', false, ['Ḥalab', 'حلب']], ['utf-8', true, ['Ḥalab', 'حلب']], ['utf-16le', true, ['Ḥalab', 'حلب']],
    ])
  })

  it('reports progress after each row, and refuses a file beyond its row or byte limit', () => {
    const seen: number[] = []
    expect(parseIncidentFile(Buffer.from(HXL), 'hxl', { now, onRow: (n) => seen.push(n) }).rows).toBe(2)
    expect(seen).toEqual([1, 2])
    expect(thrown(() => parseIncidentFile(Buffer.from(HXL), 'hxl', { now, maxRows: 1 })).where).toBe('line 4')
    expect(thrown(() => parseIncidentFile(gzipSync(HXL), 'hxl', { now, maxBytes: 100 })).code).toBe('too_large')
  })

  it('reads a file only as the format it is told: an HXL file given as UCDP is refused, not guessed', () => {
    expect(thrown(() => parseIncidentFile(Buffer.from(HXL), 'ucdp', { now })).code).toBe('missing_column')
  })
})

describe.runIf(HAVE_SHARED_DATA)('the report contract', () => {
  it('holds for every report of the real GED 2016 file', () => {
    const file = parseIncidentFile(readFileSync(GED_2016), 'ucdp', { now })
    const refused = file.reports.flatMap((r) => {
      const parsed = reportBody.safeParse(r.report)
      return parsed.success ? [] : [{ line: r.line, issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }]
    })
    expect(refused).toEqual([])
    expect(file.reports).toHaveLength(6170)
  })
})

describe('the report contract on the files written here', () => {
  it.each([
    ['ACLED', windows1252(csvOf(ACLED_COLUMNS, ACLED_ROWS)), 'acled', 8],
    ['HXL incident log', Buffer.from(HXL_INCIDENTS), 'hxl', 3],
    ['HXL', Buffer.from(HXL), 'hxl', 2],
  ] as const)('holds for every %s report', (_name, bytes, format, count) => {
    const file = parseIncidentFile(bytes, format, { now })
    expect(file.reports.map((r) => reportBody.safeParse(r.report).error?.issues ?? [])).toEqual(Array(count).fill([]))
  })
})
