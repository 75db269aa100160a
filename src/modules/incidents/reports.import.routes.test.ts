// POST /api/reports/import through the real API on both databases: small UCDP, ACLED (Windows-1252,
// dates written five ways) and HXL (gzip) files become the party's reports; a file with bad rows is
// refused with every problem by line and field and nothing written, or with skipInvalid imports
// the good rows and lists the bad; a dry run writes nothing; the same file twice adds nothing, also
// when sent twice at once, and a longer file resumes where a shorter one stopped; async=true runs it
// as a job with progress (and the real UCDP GED Syria 2016 file goes in that way, skipped when the
// shared data is absent); a file signed by the party's key is checked by its SHA-256 before
// anything is written and the signature kept with the import's submissions; and who may import,
// read the job, and send what is checked.
import { createHash, generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anonymous, DEMO, makeTestApp, signIn, type Session, type TestApp } from '../../../test/helpers/app.ts'
import { dialects } from '../../../test/helpers/db.ts'
import { signatureHeader } from '../../cli/commands/sign.ts'
import { canonicalize } from '../../lib/canonical-json.ts'
import { ACLED_COLUMNS, ACLED_ROWS, csvOf, GED_2016, HAVE_SHARED_DATA, HXL_INCIDENTS, windows1252 } from './import/test-files.ts'
import type { ReportImportAnswer } from './reports.import.routes.ts'

type ErrorBody = { error: { code: string; message: string; details: { path?: string; line?: number; field?: string | null; message: string }[] } }
type JobBody = { id: string; kind: string; state: string; done: number; total: number | null; result: ReportImportAnswer | null }

const UCDP_COLUMNS = [
  'id', 'date_start', 'date_end', 'date_prec', 'where_prec', 'where_coordinates', 'latitude', 'longitude', 'type_of_violence', 'side_a', 'side_b',
  'deaths_a', 'deaths_b', 'deaths_civilians', 'deaths_unknown', 'low', 'best', 'high', 'source_office', 'source_headline',
]
/** A GED event near Homs on a day of 2016; `n` makes its id and its place. */
const gedEvent = (n: number, overrides: Record<string, string | number> = {}) => ({
  id: 900_000 + n, date_start: `2016-0${1 + (n % 9)}-1${n % 10}`, date_end: `2016-0${1 + (n % 9)}-1${n % 10}`, date_prec: 1, where_prec: 1,
  where_coordinates: `Test village ${n}`, latitude: 34.8 + (n % 100) / 1000, longitude: 36.7 + Math.floor(n / 100) / 1000, type_of_violence: 1,
  side_a: 'Government of Syria', side_b: 'Syrian insurgents', deaths_a: 1, deaths_b: 1, deaths_civilians: 0, deaths_unknown: 0, low: 2, best: 2, high: 2,
  source_office: 'SOHR', source_headline: `Clashes at test village ${n}`, ...overrides,
})
const ged = (events: Record<string, string | number>[]) => Buffer.from(csvOf(UCDP_COLUMNS, events))

describe.each(dialects())('report import over HTTP on %s', (dialect) => {
  let t: TestApp
  let monitor: Session
  let analyst: Session
  const count = async (table: 'reports' | 'submissions') =>
    Number((await t.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
  const upload = (who: Session, query: string, bytes: Buffer, contentType = 'text/csv') =>
    who.request('POST', `/api/reports/import?${query}`, bytes, { 'content-type': contentType })

  /** Follows a job to its end. */
  const settled = async (who: Session, id: string): Promise<JobBody> => {
    for (;;) {
      const job = (await who.request('GET', `/api/jobs/${id}`)).json() as JobBody
      if (job.state !== 'running') return job
      await new Promise((r) => setTimeout(r, 200))
    }
  }

  beforeAll(async () => {
    t = await makeTestApp(dialect, { TRUCE_IMPORT_MAX_BYTES: String(6 * 1024 * 1024) })
    monitor = await signIn(t.app, DEMO.monitor)
    analyst = await signIn(t.app, DEMO.analyst)
  })
  afterAll(async () => { await t?.close() })

  it('imports a UCDP file as the party\'s reports, and the same file again adds nothing; a longer one resumes after the rows already in', async () => {
    const first = ged([gedEvent(1), gedEvent(2), gedEvent(3)])
    const res = await upload(monitor, 'format=ucdp&fileName=ged-part.csv', first)
    expect(res.statusCode, res.body).toBe(201)
    const r = res.json() as ReportImportAnswer
    expect(r).toMatchObject({ fileName: 'ged-part.csv', format: 'ucdp', encoding: 'utf-8', gzip: false, dryRun: false, rows: 3, valid: 3, added: 3, alreadyImported: 0, invalidRows: 0, invalid: [] })
    expect(r.occurred).toEqual({ from: '2016-02-11T00:00:00.000Z', to: '2016-04-13T00:00:00.000Z' })
    expect(res.headers['x-truce-submissions']).toBeTruthy()
    const rows = await t.db.kysely.selectFrom('reports as r').innerJoin('parties as p', 'p.id', 'r.party_id').innerJoin('submissions as s', 's.id', 'r.submission_id')
      .select(['r.channel', 'r.external_id', 'p.slug', 's.kind']).where('r.external_id', 'in', ['ucdp:900001', 'ucdp:900002', 'ucdp:900003']).execute()
    expect(rows).toHaveLength(3)
    for (const row of rows) expect(row).toMatchObject({ channel: 'import', slug: 'osce', kind: 'report.import' })

    const before = await count('submissions')
    const again = await upload(monitor, 'format=ucdp&fileName=ged-part.csv', first)
    expect(again.statusCode, again.body).toBe(201)
    expect(again.json()).toMatchObject({ added: 0, alreadyImported: 3 })
    expect(await count('submissions')).toBe(before)

    const longer = await upload(monitor, 'format=ucdp&fileName=ged.csv', ged([1, 2, 3, 4, 5].map((n) => gedEvent(n))))
    expect(longer.json()).toMatchObject({ rows: 5, added: 2, alreadyImported: 3 })
    // Another party importing the same events has its own reports of them.
    const other = await upload(analyst, 'format=ucdp', first)
    expect(other.json()).toMatchObject({ added: 3, alreadyImported: 0 })
  })

  it('writes a file sent twice at once only once', async () => {
    const file = ged([30, 31, 32, 33].map((n) => gedEvent(n)))
    const [a, b] = await Promise.all([upload(monitor, 'format=ucdp', file), upload(monitor, 'format=ucdp&async=true', file)])
    expect(a.statusCode, a.body).toBe(201)
    const job = await settled(monitor, (b.json() as JobBody).id)
    expect((a.json() as ReportImportAnswer).added + job.result!.added).toBe(4)
    const ids = ['ucdp:900030', 'ucdp:900031', 'ucdp:900032', 'ucdp:900033']
    const rows = await t.db.kysely.selectFrom('reports as r').innerJoin('parties as p', 'p.id', 'r.party_id').select('r.external_id').where('p.slug', '=', 'osce').where('r.external_id', 'in', ids).execute()
    expect(rows).toHaveLength(4)
  })

  it('reads an ACLED export saved as Windows-1252 with dates written five ways, leaving the protest out', async () => {
    const bytes = windows1252(csvOf(ACLED_COLUMNS, ACLED_ROWS))
    const res = await upload(monitor, 'format=acled&fileName=acled.csv', bytes, 'application/vnd.ms-excel')
    expect(res.statusCode, res.body).toBe(201)
    const r = res.json() as ReportImportAnswer
    expect(r).toMatchObject({ encoding: 'windows-1252', rows: ACLED_ROWS.length, invalidRows: 0 })
    // Line 10: the abduction's notes run over two lines.
    expect(r.notIncidents.map((s) => s.line)).toEqual([10])
    expect(r.added).toBe(r.valid)
    const dates = await t.db.kysely.selectFrom('reports').select(['external_id', 'occurred_at', 'place_name', 'description'])
      .where('external_id', 'in', ['acled:SYR2301', 'acled:SYR2388', 'acled:SYR2475', 'acled:SYR2502']).orderBy('external_id').execute()
    expect(dates.map((d) => [d.external_id, d.occurred_at.toISOString().slice(0, 10)])).toEqual([
      ['acled:SYR2301', '2017-03-15'], ['acled:SYR2388', '2017-04-04'], ['acled:SYR2475', '2017-04-21'], ['acled:SYR2502', '2017-05-02'],
    ])
    // 0x92 read as the typographic apostrophe, not as a control character.
    expect(dates[0]!.description).toContain('Ma’arrat an Nu’man')
  })

  it('refuses a file with bad rows whole, listing every problem by line and field, and writes nothing', async () => {
    const [reports, submissions] = [await count('reports'), await count('submissions')]
    const res = await upload(monitor, 'format=hxl&fileName=incidents.csv', Buffer.from(HXL_INCIDENTS))
    expect(res.statusCode).toBe(400)
    const err = res.json() as ErrorBody
    expect(err.error.code).toBe('invalid_rows')
    expect(err.error.message).toContain('nothing was imported')
    expect(err.error.details.map((d) => [d.line, d.field])).toEqual([
      [7, '#date+occurred'], [8, '#event+type'], [8, '#geo+lat'], [10, '#geo+precision'], [10, '#affected+killed'], [10, '#meta+url'], [12, '#meta+id'],
    ])
    expect(err.error.details[0]).toMatchObject({ path: 'line 7.#date+occurred', message: 'is empty' })
    // A dry run answers what the import would, and refuses the same way.
    expect((await upload(monitor, 'format=hxl&dryRun=true', Buffer.from(HXL_INCIDENTS))).statusCode).toBe(400)
    expect([await count('reports'), await count('submissions')]).toEqual([reports, submissions])
  })

  it('with skipInvalid imports the good rows of a gzip file and lists the bad; a dry run before writes nothing', async () => {
    const gz = gzipSync(Buffer.from(HXL_INCIDENTS))
    const [reports, submissions] = [await count('reports'), await count('submissions')]
    const dry = await upload(monitor, 'format=hxl&skipInvalid=true&dryRun=true&fileName=incidents.csv.gz', gz, 'application/gzip')
    expect(dry.statusCode, dry.body).toBe(200)
    expect(dry.json()).toMatchObject({ dryRun: true, gzip: true, rows: 8, valid: 3, added: 0, alreadyImported: 0, invalidRows: 4 })
    expect([await count('reports'), await count('submissions')]).toEqual([reports, submissions])

    const res = await upload(monitor, 'format=hxl&skipInvalid=true&fileName=incidents.csv.gz', gz, 'application/gzip')
    expect(res.statusCode, res.body).toBe(201)
    const r = res.json() as ReportImportAnswer
    expect(r).toMatchObject({ dryRun: false, valid: 3, added: 3, invalidRows: 4 })
    expect(r.invalid).toHaveLength(7)
    expect(r.invalid[0]).toEqual({ line: 7, field: '#date+occurred', message: 'is empty' })
    expect(r.notIncidents).toEqual([{ line: 9, reason: 'Peaceful protest is not a ceasefire incident' }])
    expect(await count('reports')).toBe(reports + 3)
  })

  it('runs as a job with progress, rows done out of the valid rows, and the same result at the end', async () => {
    const events = Array.from({ length: 1500 }, (_, i) => gedEvent(1000 + i))
    const bytes = ged(events)
    const res = await upload(analyst, 'format=ucdp&async=true&fileName=ged-1500.csv', bytes, 'application/octet-stream')
    expect(res.statusCode, res.body).toBe(202)
    const started = res.json() as JobBody
    expect(res.headers.location).toBe(`/api/jobs/${started.id}`)
    // The total is known once the file is checked, before the job answers.
    expect(started).toMatchObject({ kind: 'reports.import', state: 'running', done: 0, total: 1500 })
    const seen: { done: number; total: number | null }[] = []
    let job = started
    for (let i = 0; i < 600 && job.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100))
      job = (await analyst.request('GET', `/api/jobs/${started.id}`)).json() as JobBody
      seen.push({ done: job.done, total: job.total })
    }
    expect(job.state).toBe('succeeded')
    expect(job).toMatchObject({ done: 1500, total: 1500 })
    for (const s of seen) {
      expect(s.total).toBe(1500)
      expect(s.done).toBeLessThanOrEqual(1500)
    }
    // Progress only moves forward.
    expect(seen.map((s) => s.done)).toEqual([...seen.map((s) => s.done)].sort((a, b) => a - b))
    expect(job.result).toMatchObject({ rows: 1500, valid: 1500, added: 1500, alreadyImported: 0, placesAttributed: 1500 })
    // The job is its starter's: anyone else is told there is no such job.
    expect((await monitor.request('GET', `/api/jobs/${started.id}`)).statusCode).toBe(404)

    // Sent again, every row is done already.
    const again = await upload(analyst, 'format=ucdp&async=true', bytes)
    let second = again.json() as JobBody
    while (second.state === 'running') {
      await new Promise((r) => setTimeout(r, 50))
      second = (await analyst.request('GET', `/api/jobs/${second.id}`)).json() as JobBody
    }
    expect(second).toMatchObject({ state: 'succeeded', done: 1500, total: 1500, result: { added: 0, alreadyImported: 1500 } })
  })

  it('refuses bad rows at once even as a job, before any job starts', async () => {
    const res = await upload(monitor, 'format=hxl&async=true', Buffer.from(HXL_INCIDENTS))
    expect(res.statusCode).toBe(400)
    expect((res.json() as ErrorBody).error.code).toBe('invalid_rows')
  })

  it('checks a signed file by its SHA-256 before writing, and keeps the party\'s signature with the import', async () => {
    const us = await signIn(t.app, DEMO.coordinatorUs)
    const keys = generateKeyPairSync('ed25519')
    const pem = keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
    const registered = await us.request('POST', '/api/parties/us/keys', {
      name: 'US import key', publicKey: keys.publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64'), validFrom: new Date(Date.now() - 60_000).toISOString(),
    })
    expect(registered.statusCode, registered.body).toBe(201)
    const keyId = (registered.json() as { id: string }).id
    const file = ged([gedEvent(20), gedEvent(21)])
    const path = '/api/reports/import?format=ucdp&fileName=signed.csv'
    const sha256 = createHash('sha256').update(file).digest('hex')
    const send = (body: { sha256: string }) => us.request('POST', path, file, { 'content-type': 'text/csv', 'x-truce-signature': signatureHeader(pem, keyId, 'POST', path, body) })
    const before = await count('submissions')
    const forged = await send({ sha256: sha256.replace(/^./, (c) => (c === '0' ? '1' : '0')) })
    expect(forged.statusCode).toBe(401)
    expect((forged.json() as ErrorBody).error.code).toBe('invalid_signature')
    expect(await count('submissions')).toBe(before)
    const res = await send({ sha256 })
    expect(res.statusCode, res.body).toBe(201)
    const rows = await t.db.kysely.selectFrom('reports as r').innerJoin('submissions as s', 's.id', 'r.submission_id')
      .select(['s.party_key_id', 's.statement']).where('r.external_id', 'in', ['ucdp:900020', 'ucdp:900021']).execute()
    expect(rows).toEqual([1, 2].map(() => ({ party_key_id: keyId, statement: canonicalize({ method: 'POST', path, body: { sha256 } }) })))
  })

  it('answers who may import: not anonymous callers, not the public reporter, not a key without incident.import', async () => {
    const bytes = ged([gedEvent(7)])
    const anon = await anonymous(t.app).request('POST', '/api/reports/import?format=ucdp', bytes, { 'content-type': 'text/csv' })
    expect(anon.statusCode).toBe(401)
    const reporter = await signIn(t.app, DEMO.reporter)
    const refused = await upload(reporter, 'format=ucdp', bytes)
    expect(refused.statusCode).toBe(403)
    expect((refused.json() as ErrorBody).error.code).toBe('forbidden')

    const key = await monitor.request('POST', '/api/api-keys', { name: 'reports only', scopes: ['incident.report'] })
    expect(key.statusCode, key.body).toBe(201)
    const bearer = { authorization: `Bearer ${(key.json() as { token: string }).token}`, 'content-type': 'text/csv' }
    expect((await t.app.inject({ method: 'POST', url: '/api/reports/import?format=ucdp', headers: bearer, payload: bytes })).statusCode).toBe(403)
    const importer = await monitor.request('POST', '/api/api-keys', { name: 'importer', scopes: ['incident.import'] })
    const withImport = await t.app.inject({
      method: 'POST', url: '/api/reports/import?format=ucdp', payload: bytes,
      headers: { authorization: `Bearer ${(importer.json() as { token: string }).token}`, 'content-type': 'text/csv' },
    })
    expect(withImport.statusCode, withImport.body).toBe(201)
    expect(await t.db.kysely.selectFrom('reports as r').innerJoin('parties as p', 'p.id', 'r.party_id').select('p.slug').where('r.external_id', '=', 'ucdp:900007').execute())
      .toEqual([{ slug: 'osce' }])
  })

  it.runIf(HAVE_SHARED_DATA)('imports the 6,170 real UCDP GED Syria events of 2016 as a job, and the same file again adds nothing', async () => {
    const file = readFileSync(GED_2016)
    const humanitarian = await signIn(t.app, DEMO.humanitarian)
    const started = await upload(humanitarian, 'format=ucdp&async=true&fileName=ged_syria_2016.csv', file)
    expect(started.statusCode, started.body).toBe(202)
    const job = await settled(humanitarian, (started.json() as JobBody).id)
    expect(job).toMatchObject({ state: 'succeeded', done: 6170, total: 6170, result: { rows: 6170, valid: 6170, added: 6170, invalidRows: 0, encoding: 'utf-8' } })
    expect(job.result!.occurred).toEqual({ from: '2016-01-01T00:00:00.000Z', to: '2016-12-31T00:00:00.000Z' })
    const again = await settled(humanitarian, ((await upload(humanitarian, 'format=ucdp&async=true', file)).json() as JobBody).id)
    expect(again.result).toMatchObject({ added: 0, alreadyImported: 6170 })
  }, 300_000)
  // Absent data skips this on a workstation and fails under CI, which must run it.
  if (!HAVE_SHARED_DATA && process.env.CI) it('has the UCDP events (CI is set)', () => expect.fail(`${GED_2016} is absent; CI must run the real-data tests (set TRUCE_SHARED_DATA)`))
  if (!HAVE_SHARED_DATA && !process.env.CI) it.skip(`skipped: ${GED_2016} is absent (set TRUCE_SHARED_DATA, or put the data at ../shared/data/ucdp_ged_syria)`, () => {})

  it('refuses what cannot be imported with a clear 4xx naming where: the query, the file, its size', async () => {
    const bytes = ged([gedEvent(8)])
    const noFormat = await upload(monitor, 'fileName=x.csv', bytes)
    expect(noFormat.statusCode).toBe(400)
    expect((noFormat.json() as ErrorBody).error).toMatchObject({ code: 'validation_failed', details: [{ path: 'query.format' }] })
    const restricted = await upload(monitor, 'format=ucdp&visibility=restricted', bytes)
    expect((restricted.json() as ErrorBody).error.details[0]).toMatchObject({ path: 'query.visibility' })

    // An ACLED file said to be UCDP: the columns UCDP needs are missing.
    const wrong = await upload(monitor, 'format=ucdp', Buffer.from(csvOf(ACLED_COLUMNS, ACLED_ROWS)))
    expect(wrong.statusCode).toBe(400)
    const e = (wrong.json() as ErrorBody).error
    expect(e.code).toBe('missing_column')
    expect(e.details[0]!.message).toContain('date_start')

    const big = await upload(monitor, 'format=ucdp', Buffer.alloc(7 * 1024 * 1024, 0x41))
    expect(big.statusCode).toBe(413)
    expect((big.json() as ErrorBody).error.code).toBe('file_too_large')
    // Sent without a declared type (as curl --data-binary does), the body is still the file.
    const plain = await upload(monitor, 'format=ucdp&dryRun=true', bytes, 'application/x-www-form-urlencoded')
    expect(plain.statusCode, plain.body).toBe(200)
    expect(plain.json()).toMatchObject({ valid: 1, dryRun: true })
  })
})
