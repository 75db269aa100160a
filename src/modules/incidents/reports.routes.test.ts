// Reports through the API on both databases: recorded with their sources as a submission, actor
// names resolved when the registry is sure and kept verbatim either way, the place attributed
// (both guarantors' control claims over eastern Aleppo), an idempotency key making a resend
// create nothing, and bad reports refused naming the field with nothing written.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anonymous, DEMO, makeTestApp, signIn, type Session, type TestApp } from '../../../test/helpers/app.ts'
import { dialects } from '../../../test/helpers/db.ts'
import { worldX, worldY } from '../geo/tiles/project.ts'
import { decodeTile } from '../geo/tiles/test-support.ts'
import { parseIncidentFile } from './import/index.ts'

type Report = {
  id: string; replayed: boolean; perpetrator: { name: string; actorId: string | null } | null; target: { name: string; actorId: string | null } | null
  attribution: { features: string[]; sites: string[] } | null; sources: { kind: string; reliability: string }[]; geometry: { type: string }
  submissionId: string
}
type ErrorBody = { error: { code: string; details: { path?: string; message: string }[] } }

const shelling = {
  occurredAt: '2016-03-15T06:30:00Z', datePrecision: 1,
  where: { kind: 'point', lon: 37.185, lat: 36.21, precision: 1, placeName: 'Bustan al-Qasr' },
  category: 'shelling', counts: { explosions: 12 },
  casualties: { civiliansKilled: { low: 2, best: 3, high: 3 } },
  perpetrator: 'Джебхат ан-Нусра', target: 'the Syrian Arab Army',
  description: 'Twelve explosions heard in Bustan al-Qasr from 06:30.', language: 'en',
  sources: [{ kind: 'monitor_observation', reliability: 'A', name: 'Task force monitor' }, { kind: 'media', reliability: 'C', url: 'https://example.org/article' }],
}

describe.each(dialects())('reports on %s', (dialect) => {
  let t: TestApp
  let monitor: Session
  let us: Session
  const count = async () => Number((await t.db.kysely.selectFrom('reports').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

  beforeAll(async () => {
    t = await makeTestApp(dialect)
    monitor = await signIn(t.app, DEMO.monitor)
    us = await signIn(t.app, DEMO.coordinatorUs)
  })
  afterAll(async () => { await t?.close() })

  it('records a report with its sources, resolves the names it is sure of, and attributes its place', async () => {
    const res = await us.request('POST', '/api/reports', shelling)
    expect(res.statusCode, res.body).toBe(201)
    const r = res.json() as Report
    expect(r.sources.map((s) => [s.kind, s.reliability])).toEqual([['monitor_observation', 'A'], ['media', 'C']])
    // Russian media's spelling of Jabhat al-Nusra (valid until July 2016) is found; the army is not in the demo registry.
    expect(r.perpetrator!.actorId).not.toBeNull()
    expect(r.target).toMatchObject({ name: 'the Syrian Arab Army', actorId: null })
    // Eastern Aleppo: the US and the Russian control claims.
    expect(r.attribution!.features).toHaveLength(2)
    const sub = await t.db.kysely.selectFrom('submissions').select(['kind']).where('id', '=', r.submissionId).executeTakeFirstOrThrow()
    expect(sub.kind).toBe('report.create')
    const again = await us.request('GET', `/api/reports/${r.id}`)
    expect(again.json()).toMatchObject({ id: r.id, category: 'shelling', counts: { explosions: 12 } })
  })

  it('creates nothing new for a resent idempotency key, and refuses the key reused for another report', async () => {
    const headers = { 'idempotency-key': 'monitor-2016-03-15-0630' }
    const before = await count()
    const first = await monitor.request('POST', '/api/reports', { ...shelling, sources: [{ kind: 'monitor_observation', reliability: 'A' }] }, headers)
    expect(first.statusCode, first.body).toBe(201)
    const second = await monitor.request('POST', '/api/reports', { ...shelling, sources: [{ kind: 'monitor_observation', reliability: 'A' }] }, headers)
    expect(second.statusCode).toBe(200)
    expect(second.headers['idempotent-replayed']).toBe('true')
    expect((second.json() as Report).id).toBe((first.json() as Report).id)
    expect(await count()).toBe(before + 1)
    const other = await monitor.request('POST', '/api/reports', { ...shelling, category: 'airstrike', sources: [{ kind: 'monitor_observation', reliability: 'A' }] }, headers)
    expect(other.statusCode).toBe(409)
    expect((other.json() as ErrorBody).error.code).toBe('idempotency_key_reused')
    expect(await count()).toBe(before + 1)
  })

  it('takes a sector seen from an observer, and refuses the future and impossible places naming the field', async () => {
    const sector = await monitor.request('POST', '/api/reports', {
      ...shelling, where: { kind: 'sector', lon: 37.75, lat: 48.0, bearing: 'NNW', minDistanceM: 5000, maxDistanceM: 7000 }, perpetrator: undefined, target: undefined,
    })
    expect(sector.statusCode, sector.body).toBe(201)
    expect((sector.json() as Report).geometry.type).toBe('Polygon')
    const before = await count()
    const future = await monitor.request('POST', '/api/reports', { ...shelling, occurredAt: '2099-01-01T00:00:00Z' })
    expect(future.statusCode).toBe(400)
    expect((future.json() as ErrorBody).error.details[0]).toMatchObject({ path: 'body.occurredAt' })
    const impossible = await monitor.request('POST', '/api/reports', { ...shelling, where: { kind: 'point', lon: 37, lat: 95 } })
    expect(impossible.statusCode).toBe(400)
    expect((impossible.json() as ErrorBody).error.details[0]!.path).toBe('body.where.lat')
    const badCasualties = await monitor.request('POST', '/api/reports', { ...shelling, casualties: { civiliansKilled: { low: 5, best: 3, high: 4 } } })
    expect(badCasualties.statusCode).toBe(400)
    const noSource = await monitor.request('POST', '/api/reports', { ...shelling, sources: [] })
    expect((noSource.json() as ErrorBody).error.details[0]!.path).toBe('body.sources')
    const badKey = await monitor.request('POST', '/api/reports', shelling, { 'idempotency-key': 'has spaces' })
    expect((badKey.json() as ErrorBody).error.details[0]!.path).toBe('header.idempotency-key')
    expect(await count()).toBe(before)
  })

  it('refuses to change or remove a recorded report, for every role', async () => {
    for (const statement of [sql`update reports set description = 'rewritten'`, sql`delete from report_sources`, sql`truncate reports cascade`]) {
      await expect(statement.execute(t.db.kysely)).rejects.toThrow(/append-only/)
    }
  })

  it('answers a report another party keeps internal exactly like a missing one', async () => {
    const secret = await us.request('POST', '/api/reports', { ...shelling, visibility: 'internal' })
    const id = (secret.json() as Report).id
    const hidden = await monitor.request('GET', `/api/reports/${id}`)
    const missing = await monitor.request('GET', '/api/reports/00000000-0000-4000-8000-000000000000')
    expect(hidden.statusCode).toBe(404)
    expect(hidden.json().error).toEqual(missing.json().error)
    const listed = (await monitor.request('GET', '/api/reports?limit=500')).json() as { items: Report[] }
    expect(listed.items.map((r) => r.id)).not.toContain(id)
  })

  it('draws the reports each caller may see as vector tiles, by time', async () => {
    const z = 12
    const tile = `${z}/${Math.floor(worldX(37.185) * 2 ** z)}/${Math.floor(worldY(36.21) * 2 ** z)}.mvt`
    const seen = async (who: { request: Session['request'] }, query = '') => {
      const res = await who.request('GET', `/tiles/reports/${tile}${query}`)
      expect(res.statusCode, res.body).toBe(200)
      // The demo's own reports (one is in this tile, public) are not this test's.
      return (decodeTile(res.rawPayload).reports?.features ?? []).map((f) => f.id).filter((id) => !demoSeqs.includes(Number(id)))
    }
    const mine = (await us.request('GET', '/api/reports?limit=500')).json() as { items: { seq: number; where: { lon?: number }; description: string }[] }
    const demoSeqs = mine.items.filter((r) => r.description.startsWith('Demo entry')).map((r) => r.seq)
    const usSeqs = mine.items.filter((r) => r.where.lon === 37.185 && !demoSeqs.includes(r.seq)).map((r) => r.seq)
    const usSees = await seen(us)
    expect([...usSees].sort()).toEqual([...usSeqs].sort())
    // The monitor does not see the report the US keeps internal; the public sees none of these.
    expect((await seen(monitor)).length).toBe(usSees.length - 1)
    expect(await seen(anonymous(t.app))).toEqual([])
    expect(await seen(us, '?from=2016-03-16T00:00:00Z')).toEqual([])
    const layer = await us.request('GET', `/tiles/reports/${tile}?from=2016-03-16T00:00:00Z&to=2016-03-01T00:00:00Z`)
    expect(layer.statusCode).toBe(400)
    // A layer may not take the name the report tiles use.
    expect((await us.request('POST', '/api/geo/layers', { slug: 'reports', kind: 'admin', title: { en: 'x' } })).statusCode).toBe(400)
  })

  it('exports the reports a caller may see as CSV, HXL (which the HXL importer reads back), UCDP-like CSV and GeoJSON', async () => {
    await us.request('POST', '/api/reports', { ...shelling, description: '=HYPERLINK("http://evil")', occurredAt: '2016-03-14T06:30:00Z' })
    const csv = await monitor.request('GET', '/api/reports/export?format=csv&from=2016-03-14T00:00:00Z&to=2016-03-15T00:00:00Z')
    expect(csv.statusCode, csv.body).toBe(200)
    expect(csv.headers['content-type']).toContain('text/csv')
    const lines = csv.body.trim().split('\r\n')
    expect(lines[0]!.startsWith('id,seq,occurred_at')).toBe(true)
    expect(lines).toHaveLength(2)
    expect(csv.body).toContain(`"'=HYPERLINK(""http://evil"")"`)
    const hxl = await monitor.request('GET', '/api/reports/export?format=hxl')
    const read = parseIncidentFile(Buffer.from(hxl.body), 'hxl', { now: new Date() })
    expect(read.errors).toEqual([])
    const listed = (await monitor.request('GET', '/api/reports?limit=500')).json() as { items: unknown[] }
    expect(read.reports).toHaveLength(listed.items.length)
    // The demo's reports of 2016 are among them; these tests' are all shelling.
    expect(read.reports.filter((r) => r.report.occurredAt.startsWith('2016-03-1')).every((r) => r.report.category === 'shelling')).toBe(true)
    const geo = (await monitor.request('GET', '/api/reports/export?format=geojson')).json() as { type: string; features: unknown[] }
    expect(geo.type).toBe('FeatureCollection')
    expect(geo.features).toHaveLength(listed.items.length)
    const ucdp = await monitor.request('GET', '/api/reports/export?format=ucdp')
    expect(ucdp.body.split('\r\n')[0]).toBe('id,date_start,date_prec,latitude,longitude,where_prec,where_coordinates,side_a,side_b,deaths_civilians,low,best,high,source_article')
    expect((await anonymous(t.app).request('GET', '/api/reports/export?format=csv')).statusCode).toBe(401)
    expect((await monitor.request('GET', '/api/reports/export?format=xlsx')).statusCode).toBe(400)
  })

  it('takes an anonymous report from the public, coarsens its place for everyone else, and limits how many one address sends', async () => {
    const pub = anonymous(t.app)
    const body = { occurredAt: '2016-03-15T07:00:00Z', where: { kind: 'point', lon: 36.12345, lat: 33.67891 }, category: 'civilian_harm', description: 'Shelling near the bakery; two people hurt.' }
    const headers = { 'idempotency-key': 'offline-queue-7f3a', 'content-type': 'application/json' }
    const sent = await pub.request('POST', '/api/public/reports', body, headers)
    expect(sent.statusCode, sent.body).toBe(201)
    const id = (sent.json() as { id: string }).id
    expect(Object.keys(sent.json() as object).sort()).toEqual(['id', 'replayed'])
    const resent = await pub.request('POST', '/api/public/reports', body, headers)
    expect(resent.statusCode).toBe(200)
    expect((resent.json() as { id: string }).id).toBe(id)
    const seen = (await monitor.request('GET', `/api/reports/${id}`)).json() as { coarsened: boolean; where: { lon: number; lat: number }; geometry: { coordinates: number[] }; sources: { kind: string }[]; anonymous: boolean }
    expect(seen).toMatchObject({ coarsened: true, where: { lon: 36.12, lat: 33.68 }, anonymous: true })
    expect(seen.geometry.coordinates).toEqual([36.12, 33.68])
    expect(seen.sources.map((x) => x.kind)).toEqual(['public'])
    expect((await pub.request('POST', '/api/public/reports', { ...body, sources: [] })).statusCode).toBe(400)
    let status = 0
    for (let i = 0; i < 25 && status !== 429; i++) {
      status = (await pub.request('POST', '/api/public/reports', { ...body, description: `report ${i}` })).statusCode
    }
    expect(status).toBe(429)
  })
})
