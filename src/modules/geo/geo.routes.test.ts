// Geography through the API on both databases: layers and features are claims (each a
// submission), competing areas of control coexist, a bad geometry is repaired and reported, a
// point on a border counts for both sides, protected sites come with geodesic distances, a
// contact line gets its withdrawal buffers in metres, an observer's sector gets the share of it
// in each area, and hidden features answer like missing ones.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anonymous, DEMO, makeTestApp, signIn, type Session, type TestApp } from '../../../test/helpers/app.ts'
import { dialects } from '../../../test/helpers/db.ts'
import { destination } from './sector.ts'

type Feature = { id: string; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> & { id: string } }
type Attribution = {
  admin: { featureId: string; share: number | null }[]
  nearestAdmin: { featureId: string; distanceM: number }[]
  control: { featureId: string; claimantPartyId: string; actorId: string }[]
  zones: { featureId: string; layer: string; bufferM: number | null; share: number | null }[]
  access: { featureId: string }[]
  sites: { featureId: string; distanceM: number; insideRadius: boolean }[]
}
type ErrorBody = { error: { code: string; details: { path?: string; code?: string; message: string }[] } }

/** A square ring [lon0, lat0]–[lon1, lat1], counter-clockwise. */
const square = (lon0: number, lat0: number, lon1: number, lat1: number) =>
  ({ type: 'Polygon', coordinates: [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]] })

describe.each(dialects())('geography on %s', (dialect) => {
  let t: TestApp
  let us: Session
  let ru: Session
  let analyst: Session
  let usParty: string
  let ruParty: string
  let actorId: string
  const f = {} as Record<'west' | 'east' | 'usControl' | 'ruControl' | 'hospital' | 'line', string>

  const layer = async (slug: string, kind: string, extra: Record<string, unknown> = {}) => {
    const res = await analyst.request('POST', '/api/geo/layers', { slug, kind, title: { en: slug }, visibility: 'parties', ...extra })
    expect(res.statusCode, res.body).toBe(201)
  }
  const add = async (who: Session, slug: string, body: Record<string, unknown>) => {
    const res = await who.request('POST', `/api/geo/layers/${slug}/features`, { source: 'test fixture', ...body })
    expect(res.statusCode, res.body).toBe(201)
    return (res.json() as Feature).id
  }
  const attribute = async (who: Session, query: string) => {
    const res = await who.request('GET', `/api/geo/attribute?${query}`)
    expect(res.statusCode, res.body).toBe(200)
    return res.json() as Attribution
  }

  beforeAll(async () => {
    t = await makeTestApp(dialect)
    us = await signIn(t.app, DEMO.coordinatorUs)
    ru = await signIn(t.app, DEMO.coordinatorRu)
    analyst = await signIn(t.app, DEMO.analyst)
    usParty = ((await us.request('GET', '/api/auth/me')).json() as { partyId: string }).partyId
    ruParty = ((await ru.request('GET', '/api/auth/me')).json() as { partyId: string }).partyId
    const actor = await us.request('POST', '/api/actors', { type: 'armed_group', displayName: { en: 'Test Brigade' }, source: 'test fixture' })
    actorId = (actor.json() as { id: string }).id
    await layer('t-admin', 'admin')
    await layer('t-control', 'control')
    await layer('t-zones', 'zone', { agreement: 'minsk-ii-2015' })
    await layer('t-sites', 'site')
    f.west = await add(analyst, 't-admin', { geometry: square(36, 35, 37, 36), externalId: 'W', name: { en: 'West' } })
    f.east = await add(analyst, 't-admin', { geometry: square(37, 35, 38, 36), externalId: 'E', name: { en: 'East' } })
    f.usControl = await add(us, 't-control', { geometry: square(36.4, 35.4, 36.6, 35.6), actorId, confidence: 'medium', validFrom: '2016-01-01T00:00:00Z', validTo: '2016-06-01T00:00:00Z' })
    f.ruControl = await add(ru, 't-control', { geometry: square(36.45, 35.45, 36.7, 35.7), actorId, confidence: 'high', validFrom: '2016-02-01T00:00:00Z', visibility: 'internal' })
    f.hospital = await add(analyst, 't-sites', { geometry: { type: 'Point', coordinates: [36.5, 35.5] }, siteKind: 'hospital', radiusM: 300, name: { en: 'Field hospital' } })
  })
  afterAll(async () => { await t?.close() })

  it('records layers and features as submissions, and lists the features as GeoJSON', async () => {
    const res = await us.request('GET', '/api/geo/layers/t-admin/features')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('application/geo+json')
    const body = res.json() as { type: string; features: Feature[] }
    expect(body.type).toBe('FeatureCollection')
    expect(body.features.map((x) => x.properties.externalId).sort()).toEqual(['E', 'W'])
    const sub = await t.db.kysely.selectFrom('geo_features as g').innerJoin('submissions as s', 's.id', 'g.submission_id')
      .select(['s.kind', 's.party_id']).where('g.id', '=', f.usControl).executeTakeFirstOrThrow()
    expect(sub).toEqual({ kind: 'geo.feature.create', party_id: usParty })
  })

  it('attributes a point on the shared border to both units, and each party’s control claim as it may see it', async () => {
    const onBorder = await attribute(us, 'lon=37&lat=35.5&at=2016-03-01T00:00:00Z')
    expect(onBorder.admin.map((a) => a.featureId).sort()).toEqual([f.west, f.east].sort())
    const usView = await attribute(us, 'lon=36.5&lat=35.5&at=2016-03-01T00:00:00Z')
    expect(usView.control.map((c) => c.featureId)).toEqual([f.usControl])
    const ruView = await attribute(ru, 'lon=36.5&lat=35.5&at=2016-03-01T00:00:00Z')
    expect(ruView.control.map((c) => [c.featureId, c.claimantPartyId]).sort()).toEqual([[f.usControl, usParty], [f.ruControl, ruParty]].sort())
    const later = await attribute(ru, 'lon=36.5&lat=35.5&at=2016-07-01T00:00:00Z')
    expect(later.control.map((c) => c.featureId)).toEqual([f.ruControl])
  })

  it('reports protected sites within the distance asked, by geodesic distance', async () => {
    const [lon, lat] = destination(36.5, 35.5, 90, 1000)
    const near = await attribute(us, `lon=${lon}&lat=${lat}&within=1500`)
    expect(near.sites).toHaveLength(1)
    expect(near.sites[0]!.featureId).toBe(f.hospital)
    expect(near.sites[0]!.distanceM).toBeCloseTo(1000, 0)
    expect(near.sites[0]!.insideRadius).toBe(false)
    expect((await attribute(us, `lon=${lon}&lat=${lat}&within=900`)).sites).toEqual([])
  })

  it('gives the nearest unit and its distance for a point no unit contains', async () => {
    const [lon, lat] = destination(36, 35.5, 270, 2500)
    const out = await attribute(us, `lon=${lon}&lat=${lat}`)
    expect(out.admin).toEqual([])
    expect(out.nearestAdmin).toHaveLength(1)
    expect(out.nearestAdmin[0]!.featureId).toBe(f.west)
    expect(out.nearestAdmin[0]!.distanceM).toBeGreaterThan(2490)
    expect(out.nearestAdmin[0]!.distanceM).toBeLessThan(2510)
  })

  it('attributes an observer’s sector with the share of it in each unit', async () => {
    // Due east of a point 3 km west of the border, 2–6 km: a third in the west unit, two thirds in the east.
    const [lon, lat] = destination(37, 35.5, 270, 3000)
    const res = await us.request('POST', '/api/geo/attribute', { sector: { lon, lat, bearing: 'E', minDistanceM: 2000, maxDistanceM: 6000 } })
    expect(res.statusCode, res.body).toBe(200)
    const out = res.json() as Attribution
    const share = Object.fromEntries(out.admin.map((a) => [a.featureId, a.share!]))
    expect(share[f.west]! + share[f.east]!).toBeCloseTo(1, 2)
    expect(share[f.east]).toBeGreaterThan(share[f.west]!)
    const bad = await us.request('POST', '/api/geo/attribute', { sector: { lon, lat, bearing: 'NORTHISH', minDistanceM: 0, maxDistanceM: 10 } })
    expect(bad.statusCode).toBe(400)
    const inverted = await us.request('POST', '/api/geo/attribute', { sector: { lon, lat, bearing: 10, minDistanceM: 500, maxDistanceM: 100 } })
    expect(inverted.statusCode).toBe(400)
    expect((inverted.json() as ErrorBody).error.details[0]!.path).toBe('body.sector.maxDistance')
  })

  it('draws withdrawal buffers around a contact line in metres', async () => {
    f.line = await add(us, 't-zones', { geometry: { type: 'LineString', coordinates: [[37.5, 47.0], [38.5, 48.5]] }, zoneKind: 'contact_line', name: { en: 'Line' } })
    const res = await us.request('POST', `/api/geo/features/${f.line}/buffers`, { distancesM: [25_000, 70_000] })
    expect(res.statusCode, res.body).toBe(201)
    const buffers = (res.json() as { features: Feature[] }).features
    expect(buffers.map((b) => b.properties.bufferM)).toEqual([25_000, 70_000])
    // A point 20 km from the line's start, perpendicular to it, is inside the 25 km buffer; 30 km is not.
    const inside = destination(37.5, 47.0, 300, 20_000)
    const outside = destination(37.5, 47.0, 300, 30_000)
    const zonesAt = async (p: [number, number]) => (await attribute(us, `lon=${p[0]}&lat=${p[1]}`)).zones.filter((z) => z.layer === 't-zones').map((z) => z.bufferM)
    expect((await zonesAt(inside)).sort()).toEqual([25_000, 70_000])
    expect(await zonesAt(outside)).toEqual([70_000])
  })

  it('repairs a self-intersecting polygon and reports why; refuses the wrong kind of geometry, naming the field', async () => {
    const bowtie = { type: 'Polygon', coordinates: [[[36, 34], [37, 34.5], [37, 34], [36, 34.5], [36, 34]]] }
    const res = await analyst.request('POST', '/api/geo/layers/t-admin/features', { geometry: bowtie, source: 'test' })
    expect(res.statusCode, res.body).toBe(201)
    expect((res.json() as Feature).geometry.type).toBe('MultiPolygon')
    const sub = await t.db.kysely.selectFrom('geo_features as g').innerJoin('submissions as s', 's.id', 'g.submission_id')
      .select('s.payload').where('g.id', '=', (res.json() as Feature).id).executeTakeFirstOrThrow()
    expect(JSON.parse(sub.payload).repaired).toMatch(/self-intersection/i)
    const point = await analyst.request('POST', '/api/geo/layers/t-admin/features', { geometry: { type: 'Point', coordinates: [36, 35] } })
    expect(point.statusCode).toBe(400)
    expect((point.json() as ErrorBody).error.details).toContainEqual(expect.objectContaining({ path: 'body.geometry.type', code: 'geometry_type_not_allowed' }))
    const open = await analyst.request('POST', '/api/geo/layers/t-admin/features', { geometry: { type: 'Polygon', coordinates: [[[36, 34], [37, 34], [37, 35], [36, 35]]] } })
    expect(open.statusCode).toBe(400)
    const range = await analyst.request('POST', '/api/geo/layers/t-admin/features', { geometry: square(36, 34, 200, 35) })
    expect(range.statusCode).toBe(400)
    const noActor = await us.request('POST', '/api/geo/layers/t-control/features', { geometry: square(36, 34, 37, 35) })
    expect((noActor.json() as ErrorBody).error.details).toContainEqual(expect.objectContaining({ path: 'body.actorId' }))
  })

  it('lets only the claimant replace or retract a feature; the old version stays, retracted', async () => {
    const other = await ru.request('POST', `/api/geo/features/${f.usControl}/retract`, { reason: 'not yours' })
    expect(other.statusCode).toBe(403)
    const res = await us.request('PUT', `/api/geo/features/${f.usControl}`, { geometry: square(36.4, 35.4, 36.8, 35.8), actorId, validFrom: '2016-01-01T00:00:00Z', source: 'revised' })
    expect(res.statusCode, res.body).toBe(200)
    const next = res.json() as Feature
    expect(next.properties.replaces).toBe(f.usControl)
    const old = await us.request('GET', `/api/geo/features/${f.usControl}`)
    expect((old.json() as Feature).properties.retracted).toMatchObject({ reason: 'replaced' })
    expect((await attribute(us, 'lon=36.75&lat=35.75&at=2016-03-01T00:00:00Z')).control.map((c) => c.featureId)).toEqual([next.id])
  })

  it('refuses to change or remove a recorded feature, for every role', async () => {
    for (const statement of [sql`update geo_features set source = 'rewritten'`, sql`delete from geo_features`, sql`truncate geo_features cascade`, sql`truncate geo_imports`]) {
      await expect(statement.execute(t.db.kysely)).rejects.toThrow(/append-only/)
    }
  })

  it('answers a hidden feature and an invisible layer exactly like missing ones', async () => {
    const hidden = await us.request('GET', `/api/geo/features/${f.ruControl}`)
    const missing = await us.request('GET', '/api/geo/features/00000000-0000-4000-8000-000000000000')
    expect(hidden.statusCode).toBe(404)
    expect(hidden.json().error).toEqual(missing.json().error)
    const pub = anonymous(t.app)
    const layerRes = await pub.request('GET', '/api/geo/layers/t-admin')
    const none = await pub.request('GET', '/api/geo/layers/no-such-layer')
    expect(layerRes.statusCode).toBe(404)
    expect(layerRes.json().error).toEqual(none.json().error)
    expect((await pub.request('POST', '/api/geo/layers/t-admin/features', { geometry: square(1, 1, 2, 2) })).statusCode).toBe(401)
  })
})

describe.each(dialects())('the demo geography on %s', (dialect) => {
  let t: TestApp
  beforeAll(async () => { t = await makeTestApp(dialect) })
  afterAll(async () => { await t?.close() })

  it('shows the guarantors’ competing claims over eastern Aleppo, the besieged areas to the public, and Minsk II’s withdrawal lines', async () => {
    const analyst = await signIn(t.app, DEMO.analyst)
    const aleppo = (await analyst.request('GET', '/api/geo/attribute?lon=37.185&lat=36.21&at=2016-03-15T00:00:00Z')).json() as Attribution
    expect(aleppo.control).toHaveLength(2)
    expect(new Set(aleppo.control.map((c) => c.actorId)).size).toBe(2)
    expect(aleppo.sites.map((s) => s.distanceM).every((d) => d <= 5000)).toBe(true)
    const pub = anonymous(t.app)
    const madaya = (await pub.request('GET', '/api/geo/attribute?lon=36.098&lat=33.689&at=2016-03-15T00:00:00Z')).json() as Attribution
    expect(madaya.access).toHaveLength(1)
    expect(madaya.control).toEqual([])
    // Donetsk city is about 15 km behind the line: inside all three withdrawal zones.
    const donetsk = (await pub.request('GET', '/api/geo/attribute?lon=37.80&lat=48.0')).json() as Attribution
    expect(donetsk.zones.map((z) => z.bufferM).filter((b) => b !== null).sort()).toEqual([25_000, 35_000, 70_000])
  })
})
