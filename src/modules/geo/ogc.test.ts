// OGC API – Features (/ogc) on both databases, as QGIS would use it: every response is checked
// against JSON Schemas transcribed from the standard (ogc-schemas/), the API definition against
// the standard's parameter fragments; bbox (also across the antimeridian, and exactly, not by
// boxes), datetime instants and intervals with open ends, paging through every item with the next
// links, who sees what, 400s naming the parameter and 404s. Then the 14 Syrian governorates, loaded
// one by one through the API, come back through /ogc.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { sql } from 'kysely'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anonymous, DEMO, makeTestApp, signIn, type Session, type TestApp } from '../../../test/helpers/app.ts'
import { dialects } from '../../../test/helpers/db.ts'
import { sharedDataDir } from '../../config.ts'
import { ANONYMOUS } from '../access/access.policy.ts'
import { CONFORMANCE, CRS84, LIMIT, OPENAPI_30 } from './ogc.routes.ts'
import { ogcRepository } from './ogc.repository.ts'

type Link = { href: string; rel: string; type?: string }
type Feature = { type: 'Feature'; id: string; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown>; links?: Link[] }
type Page = { type: 'FeatureCollection'; features: Feature[]; links: Link[]; numberMatched: number; numberReturned: number; timeStamp: string }
type Collection = { id: string; title: string; links: Link[]; extent?: { spatial: { bbox: number[][] }; temporal: { interval: (string | null)[][] } }; crs: string[] }
type ErrorBody = { code: string; description: string; error: { code: string; message: string; details: { path?: string; code?: string }[] }; requestId: string }

// --- The standard's schemas --------------------------------------------------------------------

const SCHEMAS = join(import.meta.dirname, 'ogc-schemas')
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true })
// RFC 3339 section 5.6, as the schemas' `format: date-time` means it.
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/)
for (const file of readdirSync(SCHEMAS).filter((f) => f.endsWith('.json'))) {
  ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as object)
}

/** Fails with ajv's words when `body` does not follow the standard's schema `name`. */
function expectSchema(name: string, body: unknown) {
  const validate = ajv.getSchema(`https://truce.invalid/ogc-schemas/${name}.json`)
  if (!validate) throw new Error(`no schema ${name}`)
  expect(validate(body), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true)
}

/** A 400 or 404 in the project's format, with OGC's exception members, naming `path` when given. */
function expectError(res: LightMyRequestResponse, status: number, code: string, path?: string): ErrorBody {
  expect(res.statusCode, res.body).toBe(status)
  expect(res.headers['content-type']).toMatch(/^application\/json/)
  const body = res.json() as ErrorBody
  expectSchema('exception', body)
  expect(body.error.code).toBe(code)
  expect(body.code).toBe(code)
  expect(body.description).toBe(body.error.message)
  expect(body.requestId).toBe(res.headers['x-request-id'])
  if (path !== undefined) expect(body.error.details.map((d) => d.path)).toContain(path)
  return body
}

const square = (lon0: number, lat0: number, lon1: number, lat1: number) =>
  ({ type: 'Polygon', coordinates: [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]] })
/** The path and query of an absolute link, for app.inject. */
const local = (href: string) => { const u = new URL(href); return `${u.pathname}${u.search}` }
const sorted = (xs: string[]) => [...xs].sort()

describe.each(dialects())('OGC API – Features on %s', (dialect) => {
  let t: TestApp
  let analyst: Session
  let us: Session
  let ru: Session
  let pub: ReturnType<typeof anonymous>
  let actorId: string
  const f = {} as Record<'west' | 'east' | 'gone' | 'c1' | 'c2' | 'c3' | 'c4' | 'ruInternal' | 'line' | 'farEast' | 'farWest' | 'usOnly', string>
  const sites: string[] = []

  const layer = async (who: Session, slug: string, kind: string, visibility: string, extra: Record<string, unknown> = {}) => {
    const res = await who.request('POST', '/api/geo/layers', { slug, kind, title: { en: `Layer ${slug}`, ar: `طبقة ${slug}` }, description: `test layer ${slug}`, visibility, ...extra })
    expect(res.statusCode, res.body).toBe(201)
  }
  const add = async (who: Session, slug: string, body: Record<string, unknown>) => {
    const res = await who.request('POST', `/api/geo/layers/${slug}/features`, { source: 'test fixture', visibility: 'public', ...body })
    expect(res.statusCode, res.body).toBe(201)
    return (res.json() as { id: string }).id
  }
  const get = (who: { request: Session['request'] }, url: string) => who.request('GET', url)
  const items = async (who: { request: Session['request'] }, url: string) => {
    const res = await get(who, url)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/)
    const page = res.json() as Page
    expectSchema('featureCollectionGeoJSON', page)
    expect(page.numberReturned).toBe(page.features.length)
    return page
  }
  const ids = (page: Page) => sorted(page.features.map((x) => x.id))

  beforeAll(async () => {
    t = await makeTestApp(dialect)
    analyst = await signIn(t.app, DEMO.analyst)
    us = await signIn(t.app, DEMO.coordinatorUs)
    ru = await signIn(t.app, DEMO.coordinatorRu)
    pub = anonymous(t.app)
    const actor = await us.request('POST', '/api/actors', { type: 'armed_group', displayName: { en: 'Test Brigade' }, source: 'test fixture' })
    actorId = (actor.json() as { id: string }).id

    await layer(analyst, 'o-admin', 'admin', 'public')
    f.west = await add(analyst, 'o-admin', { geometry: square(36, 35, 37, 36), externalId: 'W', name: { en: 'West', ar: 'الغرب' }, properties: { pcode: 'SY-W', area: 12.5, meta: { a: 1 }, name: 'theirs' } })
    f.east = await add(analyst, 'o-admin', { geometry: square(37, 35, 38, 36), externalId: 'E', name: { ar: 'الشرق' } })
    f.gone = await add(analyst, 'o-admin', { geometry: square(38, 35, 39, 36), externalId: 'G' })
    expect((await analyst.request('POST', `/api/geo/features/${f.gone}/retract`, { reason: 'drawn by mistake' })).statusCode).toBe(200)

    // Areas of control with validities: [2016-01-01, 2016-06-01), [2016-02-01, ∞), (−∞, 2015-12-01), always.
    await layer(analyst, 'o-control', 'control', 'public')
    const control = { actorId, geometry: square(36.4, 35.4, 36.6, 35.6) }
    f.c1 = await add(us, 'o-control', { ...control, confidence: 'medium', validFrom: '2016-01-01T00:00:00Z', validTo: '2016-06-01T00:00:00Z', name: { en: 'C1' } })
    f.c2 = await add(ru, 'o-control', { ...control, confidence: 'high', validFrom: '2016-02-01T00:00:00Z', name: { en: 'C2' } })
    f.c3 = await add(us, 'o-control', { ...control, validTo: '2015-12-01T00:00:00Z', name: { en: 'C3' } })
    f.c4 = await add(us, 'o-control', { ...control, name: { en: 'C4' } })
    f.ruInternal = await add(ru, 'o-control', { actorId, geometry: square(40, 30, 41, 31), validFrom: '2016-03-01T00:00:00Z', visibility: 'internal', name: { en: 'Russian claim' } })

    await layer(analyst, 'o-zones', 'zone', 'public')
    f.line = await add(analyst, 'o-zones', { geometry: { type: 'LineString', coordinates: [[10, 10], [11, 11]] }, zoneKind: 'contact_line', name: { en: 'Diagonal' } })

    await layer(analyst, 'o-sites', 'site', 'public')
    f.farEast = await add(analyst, 'o-sites', { geometry: { type: 'Point', coordinates: [179.5, -17] }, siteKind: 'hospital', radiusM: 300, name: { en: 'Far east' } })
    f.farWest = await add(analyst, 'o-sites', { geometry: { type: 'Point', coordinates: [-179.5, -17] }, siteKind: 'school', radiusM: 100, name: { en: 'Far west' } })
    sites.push(f.farEast, f.farWest)
    for (let i = 0; i < 21; i++) sites.push(await add(analyst, 'o-sites', { geometry: { type: 'Point', coordinates: [i, 0] }, siteKind: 'water', name: { en: `Well ${i}` } }))

    await layer(us, 'o-us-only', 'site', 'internal')
    f.usOnly = await add(us, 'o-us-only', { geometry: { type: 'Point', coordinates: [1, 1] }, visibility: 'internal' })
  })
  afterAll(async () => { await t?.close() })

  it('has a landing page whose links QGIS follows: the OpenAPI 3.0 definition, conformance and the collections', async () => {
    const res = await get(pub, '/ogc')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    const landing = res.json() as { title: string; links: Link[] }
    expectSchema('landingPage', landing)
    const rel = (r: string) => landing.links.find((l) => l.rel === r)
    expect(rel('self')?.href).toMatch(/\/ogc$/)
    expect(rel('service-desc')).toMatchObject({ type: OPENAPI_30 })
    expect(rel('conformance')).toMatchObject({ type: 'application/json' })
    expect(rel('data')).toMatchObject({ type: 'application/json' })
    for (const l of landing.links.filter((x) => x.rel !== 'service-doc')) expect((await get(pub, local(l.href))).statusCode, l.href).toBe(200)

    const conformance = (await get(pub, local(rel('conformance')!.href))).json()
    expectSchema('confClasses', conformance)
    expect(conformance.conformsTo).toEqual([...CONFORMANCE])

    const api = await get(pub, local(rel('service-desc')!.href))
    expect(api.headers['content-type']).toContain('application/vnd.oai.openapi+json')
    expect((api.json() as { openapi: string }).openapi).toMatch(/^3\.0\.\d+$/)
  })

  it('uses the links the request came with, or TRUCE_PUBLIC_URL behind a proxy', async () => {
    const landing = (await pub.request('GET', '/ogc', undefined, { host: 'maps.example.org:8443' })).json() as { links: Link[] }
    expect(landing.links[0]!.href).toBe('http://maps.example.org:8443/ogc')
    const forged = (await pub.request('GET', '/ogc', undefined, { host: 'evil.example/"><script>' })).json() as { links: Link[] }
    expect(forged.links[0]!.href).toBe('http://localhost/ogc')
    const proxied = await makeTestApp(dialect, { TRUCE_PUBLIC_URL: 'https://truce.example.org/' })
    try {
      const body = (await anonymous(proxied.app).request('GET', '/ogc/collections')).json() as { links: Link[] }
      expect(body.links[0]!.href).toBe('https://truce.example.org/ogc/collections')
    } finally {
      await proxied.close()
    }
  })

  it('defines the items parameters as the standard’s OpenAPI fragments, with limit where QGIS reads it', async () => {
    const doc = (await get(pub, '/ogc/api')).json() as {
      servers: { url: string }[]
      paths: Record<string, { get: { parameters: { $ref: string }[]; responses: Record<string, unknown> } }>
      components: { parameters: Record<string, Record<string, unknown>>; schemas: Record<string, unknown> }
    }
    expect(doc.servers[0]!.url).toMatch(/\/ogc$/)
    expect(Object.keys(doc.paths).sort()).toEqual(['/', '/api', '/collections', '/collections/{collectionId}', '/collections/{collectionId}/items',
      '/collections/{collectionId}/items/{featureId}', '/conformance'])
    const resolve = (ref: string) => ref.slice(2).split('/').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], doc) as Record<string, unknown>
    // Every reference in the document resolves.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!)
    expect(refs.length).toBeGreaterThan(20)
    for (const ref of refs) expect(resolve(ref), ref).toBeDefined()

    const params = Object.fromEntries(doc.paths['/collections/{collectionId}/items']!.get.parameters.map((p) => resolve(p.$ref)).map((p) => [`${String(p.in)}:${String(p.name)}`, p]))
    expect(Object.keys(params).sort()).toEqual(['path:collectionId', 'query:bbox', 'query:cursor', 'query:datetime', 'query:f', 'query:limit'])
    // /req/core/fc-limit-definition, /req/core/fc-bbox-definition, /req/core/fc-time-definition.
    expect(params['query:limit']).toMatchObject({ required: false, style: 'form', explode: false, schema: { type: 'integer', minimum: 1, maximum: 10_000, default: LIMIT.default } })
    expect(params['query:bbox']).toMatchObject({
      required: false, style: 'form', explode: false,
      schema: { type: 'array', oneOf: [{ minItems: 4, maxItems: 4 }, { minItems: 6, maxItems: 6 }], items: { type: 'number' } },
    })
    expect(params['query:datetime']).toMatchObject({ required: false, style: 'form', explode: false, schema: { type: 'string' } })
    // QGIS reads the page size it may ask for from here.
    expect(doc.components.parameters.limit).toMatchObject({ schema: { maximum: LIMIT.maximum, default: LIMIT.default } })
    // A parameter that is not a feature property must not look like one to QGIS (form, explode=false).
    expect(params['query:cursor']).not.toHaveProperty('explode')
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['landingPage', 'confClasses', 'collections', 'collection', 'featureCollectionGeoJSON', 'featureGeoJSON', 'exception']))
  })

  it('lists /ogc in the main OpenAPI document too', async () => {
    const doc = (await get(pub, '/api/openapi.json')).json() as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> }
    for (const path of ['/ogc', '/ogc/api', '/ogc/conformance', '/ogc/collections', '/ogc/collections/{collectionId}', '/ogc/collections/{collectionId}/items', '/ogc/collections/{collectionId}/items/{featureId}']) {
      expect(doc.paths[path]?.get, path).toBeDefined()
    }
    const names = doc.paths['/ogc/collections/{collectionId}/items']!.get!.parameters!.filter((p) => p.in === 'query').map((p) => p.name)
    expect(sorted(names)).toEqual(['bbox', 'cursor', 'datetime', 'f', 'limit'])
  })

  it('gives one collection per layer the caller may see, with the extent of the features it may see', async () => {
    const list = async (who: { request: Session['request'] }) => {
      const res = await get(who, '/ogc/collections')
      expect(res.statusCode).toBe(200)
      const body = res.json() as { collections: Collection[] }
      expectSchema('collections', body)
      return body.collections
    }
    const anon = await list(pub)
    expect(anon.map((c) => c.id)).toEqual(expect.arrayContaining(['o-admin', 'o-control', 'o-zones', 'o-sites']))
    expect(anon.map((c) => c.id)).not.toContain('o-us-only')
    expect((await list(ru)).map((c) => c.id)).not.toContain('o-us-only')
    expect((await list(us)).map((c) => c.id)).toContain('o-us-only')

    const admin = anon.find((c) => c.id === 'o-admin')!
    expect(admin).toMatchObject({ title: 'Layer o-admin', itemType: 'feature', crs: [CRS84] })
    // The retracted square [38, 39] is not in the extent.
    expect(admin.extent!.spatial.bbox).toEqual([[36, 35, 38, 36]])
    expect(admin.extent!.temporal.interval).toEqual([[null, null]])
    const items = admin.links.find((l) => l.rel === 'items')!
    expect(items.type).toBe('application/geo+json')
    expect(local(items.href)).toBe('/ogc/collections/o-admin/items')

    // The internal Russian claim widens the extent only for Russia.
    const controlFor = async (who: { request: Session['request'] }) => {
      const res = await get(who, '/ogc/collections/o-control')
      expect(res.statusCode).toBe(200)
      const c = res.json() as Collection
      expectSchema('collection', c)
      return c.extent!
    }
    expect((await controlFor(pub)).spatial.bbox).toEqual([[36.4, 35.4, 36.6, 35.6]])
    expect((await controlFor(ru)).spatial.bbox).toEqual([[36.4, 30, 41, 35.6]])
    // Open at both ends: C3 has no start, C2 and C4 no end.
    expect((await controlFor(pub)).temporal.interval).toEqual([[null, null]])
    const one = (await get(pub, '/ogc/collections/o-zones')).json() as Collection
    expect(one).toEqual(anon.find((c) => c.id === 'o-zones'))
  })

  it('presents each feature with flat attributes an analyst needs in QGIS', async () => {
    const admin = await items(pub, '/ogc/collections/o-admin/items')
    const west = admin.features.find((x) => x.id === f.west)!
    expect(west.properties).toMatchObject({
      name: 'West', name_en: 'West', name_ar: 'الغرب', external_id: 'W', claimant: 'un-osesy', actor_id: null,
      valid_from: null, valid_to: null, confidence: null, source: 'test fixture', visibility: 'public',
      pcode: 'SY-W', area: 12.5, meta: '{"a":1}',
    })
    expect(admin.features.find((x) => x.id === f.east)!.properties.name).toBe('الشرق')
    const control = await items(pub, '/ogc/collections/o-control/items?datetime=2016-03-01T00:00:00Z')
    expect(control.features.find((x) => x.id === f.c1)!.properties).toMatchObject({
      name: 'C1', claimant: 'us', actor_id: actorId, confidence: 'medium', valid_from: '2016-01-01T00:00:00.000Z', valid_to: '2016-06-01T00:00:00.000Z',
    })
    const site = (await items(pub, '/ogc/collections/o-sites/items?bbox=179,-18,180,-16')).features[0]!
    expect(site.properties).toMatchObject({ site_kind: 'hospital', radius_m: 300 })
    expect(site.properties).not.toHaveProperty('zone_kind')
    expect((await items(pub, '/ogc/collections/o-zones/items')).features[0]!.properties).toMatchObject({ zone_kind: 'contact_line', buffer_m: null })
    for (const feature of [...admin.features, ...control.features]) {
      for (const value of Object.values(feature.properties)) expect(['string', 'number', 'boolean']).toContain(value === null ? 'string' : typeof value)
    }
    const single = await get(pub, `/ogc/collections/o-admin/items/${f.west}`)
    expect(single.statusCode).toBe(200)
    expect(single.headers['content-type']).toMatch(/^application\/geo\+json/)
    const feature = single.json() as Feature
    expectSchema('featureGeoJSON', feature)
    expect(feature.properties).toEqual(west.properties)
    expect(feature.geometry).toEqual(square(36, 35, 37, 36))
    expect(feature.links!.map((l) => [l.rel, local(l.href)])).toEqual([['self', `/ogc/collections/o-admin/items/${f.west}`], ['collection', '/ogc/collections/o-admin']])
  })

  it('selects by bbox: features whose shape meets the box, across the antimeridian, with heights', async () => {
    expect(ids(await items(pub, '/ogc/collections/o-admin/items?bbox=36.2,35.2,36.4,35.4'))).toEqual([f.west])
    // A box on the shared border meets both; the retracted square never comes back.
    expect(ids(await items(pub, '/ogc/collections/o-admin/items?bbox=36.9,35.2,38.5,35.4'))).toEqual(sorted([f.west, f.east]))
    expect(ids(await items(pub, '/ogc/collections/o-admin/items?bbox=36.2,35.2,0,36.4,35.4,100'))).toEqual([f.west])
    // The diagonal's bounding box overlaps this box; the line itself does not reach it.
    expect(ids(await items(pub, '/ogc/collections/o-zones/items?bbox=10.8,10,11,10.2'))).toEqual([])
    expect(ids(await items(pub, '/ogc/collections/o-zones/items?bbox=10.4,10.4,10.6,10.6'))).toEqual([f.line])
    // West edge 179 > east edge -179: the box spans the antimeridian.
    const across = await items(pub, '/ogc/collections/o-sites/items?bbox=179,-18,-179,-16')
    expect(ids(across)).toEqual(sorted([f.farEast, f.farWest]))
    expect(across.numberMatched).toBe(2)
  })

  it('selects by datetime: an instant inside the half-open validity, intervals with open ends', async () => {
    const at = async (datetime: string) => ids(await items(pub, `/ogc/collections/o-control/items?datetime=${encodeURIComponent(datetime)}`))
    const { c1, c2, c3, c4 } = f
    expect(await at('2016-03-01T00:00:00Z')).toEqual(sorted([c1, c2, c4]))
    expect(await at('2016-03-01T03:00:00+03:00')).toEqual(sorted([c1, c2, c4]))
    expect(await at('2016-01-01T00:00:00Z')).toEqual(sorted([c1, c4]))
    // valid_to is exclusive.
    expect(await at('2016-06-01T00:00:00Z')).toEqual(sorted([c2, c4]))
    expect(await at('2016-05-31T23:59:59.999Z')).toEqual(sorted([c1, c2, c4]))
    expect(await at('2015-06-01T00:00:00Z/2015-12-31T00:00:00Z')).toEqual(sorted([c3, c4]))
    expect(await at('2015-12-01T00:00:00Z/2016-01-01T00:00:00Z')).toEqual(sorted([c1, c4]))
    expect(await at('../2015-12-31T00:00:00Z')).toEqual(sorted([c3, c4]))
    expect(await at('/2015-11-30T23:59:59Z')).toEqual(sorted([c3, c4]))
    expect(await at('2016-05-01T00:00:00Z/..')).toEqual(sorted([c1, c2, c4]))
    expect(await at('2016-06-01T00:00:00Z/')).toEqual(sorted([c2, c4]))
    expect(await at('2016-01-15t00:00:00z')).toEqual(sorted([c1, c4]))
    // Combined with bbox, and counted the same way.
    const both = await items(pub, '/ogc/collections/o-control/items?datetime=2016-03-01T00:00:00Z&bbox=36,35,37,36&limit=1')
    expect(both.numberMatched).toBe(3)
    expect(both.numberReturned).toBe(1)
  })

  it('pages through every item with next links, no feature twice, however the page size is asked', async () => {
    const walk = async (first: string) => {
      const seen: string[] = []
      let url: string | undefined = first
      let pages = 0
      while (url !== undefined) {
        const page = await items(pub, url)
        expect(page.numberMatched).toBe(sites.length)
        seen.push(...page.features.map((x) => x.id))
        const next = page.links.find((l) => l.rel === 'next')
        if (next) expect(next.type).toBe('application/geo+json')
        url = next && local(next.href)
        pages++
      }
      return { seen, pages }
    }
    const byDefault = await walk('/ogc/collections/o-sites/items')
    expect(byDefault.pages).toBe(Math.ceil(sites.length / LIMIT.default))
    expect(byDefault.seen).toHaveLength(sites.length)
    expect(sorted(byDefault.seen)).toEqual(sorted(sites))
    const bySeven = await walk('/ogc/collections/o-sites/items?limit=7')
    expect(bySeven.pages).toBe(Math.ceil(sites.length / 7))
    expect(bySeven.seen).toEqual(byDefault.seen)
    // The next link keeps the selection.
    const first = await items(pub, '/ogc/collections/o-sites/items?limit=1&bbox=-180,-90,180,90&datetime=2020-01-01T00:00:00Z')
    const next = new URL(first.links.find((l) => l.rel === 'next')!.href)
    expect(Object.fromEntries(next.searchParams)).toMatchObject({ limit: '1', bbox: '-180,-90,180,90', datetime: '2020-01-01T00:00:00Z' })
    expect(first.links.find((l) => l.rel === 'self')!.href).toMatch(/\/ogc\/collections\/o-sites\/items\?limit=1&bbox=-180,-90,180,90&datetime=/)
    expect(local(first.links.find((l) => l.rel === 'collection')!.href)).toBe('/ogc/collections/o-sites')
    // Above the maximum is not an error: the maximum is used (/req/core/fc-limit-response-1).
    const many = await items(pub, '/ogc/collections/o-sites/items?limit=50000')
    expect(many.numberReturned).toBe(sites.length)
    expect(many.links.some((l) => l.rel === 'next')).toBe(false)
  })

  it('shows anonymous callers public features only, and a party (by session or API key) its own internal ones', async () => {
    const anon = await items(pub, '/ogc/collections/o-control/items')
    expect(ids(anon)).toEqual(sorted([f.c1, f.c2, f.c3, f.c4]))
    expect(anon.numberMatched).toBe(4)
    const russia = await items(ru, '/ogc/collections/o-control/items')
    expect(ids(russia)).toEqual(sorted([f.c1, f.c2, f.c3, f.c4, f.ruInternal]))
    expect(ids(await items(us, '/ogc/collections/o-control/items'))).toEqual(sorted([f.c1, f.c2, f.c3, f.c4]))
    expect((await get(ru, `/ogc/collections/o-control/items/${f.ruInternal}`)).statusCode).toBe(200)

    // QGIS sends an API key as a header (its "API header" authentication).
    const created = await ru.request('POST', '/api/api-keys', { name: 'qgis', scopes: ['submission.read'] })
    expect(created.statusCode, created.body).toBe(201)
    const bearer = { authorization: `Bearer ${(created.json() as { token: string }).token}` }
    const byKey = await t.app.inject({ method: 'GET', url: '/ogc/collections/o-control/items', headers: bearer })
    expect(ids(byKey.json() as Page)).toEqual(ids(russia))
    expectError(await t.app.inject({ method: 'GET', url: '/ogc/collections', headers: { authorization: 'Bearer truce_nope_nope' } }), 401, 'invalid_api_key')
  })

  it('answers a hidden or missing collection or feature with the same 404', async () => {
    const missing = expectError(await get(pub, '/ogc/collections/no-such-layer'), 404, 'not_found')
    const hidden = expectError(await get(pub, '/ogc/collections/o-us-only'), 404, 'not_found')
    expect(hidden.error).toEqual(missing.error)
    expectError(await get(ru, '/ogc/collections/o-us-only/items'), 404, 'not_found')
    expect((await get(us, '/ogc/collections/o-us-only/items')).statusCode).toBe(200)

    const noFeature = expectError(await get(pub, '/ogc/collections/o-admin/items/00000000-0000-4000-8000-000000000000'), 404, 'not_found')
    for (const url of [
      `/ogc/collections/o-control/items/${f.ruInternal}`, // another party's internal claim
      `/ogc/collections/o-admin/items/${f.gone}`, // retracted
      `/ogc/collections/o-control/items/${f.west}`, // in another collection
      '/ogc/collections/o-admin/items/not-a-uuid',
    ]) {
      expect(expectError(await get(pub, url), 404, 'not_found').error, url).toEqual(noFeature.error)
    }
    expect((await get(pub, `/ogc/collections/${f.west.slice(0, 8)}/items`)).statusCode).toBe(404)
    // The layer's uuid is not a collection id: the slug is.
    const layerId = ((await get(analyst, '/api/geo/layers/o-admin')).json() as { id: string }).id
    expect((await get(pub, `/ogc/collections/${layerId}`)).statusCode).toBe(404)
  })

  it('refuses a bad bbox, datetime, limit, cursor or an unknown parameter with a 400 naming it', async () => {
    const bad = async (query: string, param: string, code: string) =>
      expectError(await get(pub, `/ogc/collections/o-admin/items?${query}`), 400, 'validation_failed', `query.${param}`).error.details.find((d) => d.path === `query.${param}`)!.code === code
    for (const bbox of ['1,2,3', '1,2,3,4,5', 'a,b,c,d', '1,2,,4', '0,95,1,96', '-181,0,1,1', '0,10,1,5', '0,0,10,1,1,-10', '']) {
      expect(await bad(`bbox=${bbox}`, 'bbox', 'invalid_bbox'), bbox).toBe(true)
    }
    for (const datetime of ['yesterday', '2016-02-30T00:00:00Z', '2016-01-01', '2016-01-01T25:00:00Z', '2016-01-01T00:00:00', '../..', '/',
      '2016-06-01T00:00:00Z/2016-01-01T00:00:00Z', '2016-01-01T00:00:00Z/2016-02-01T00:00:00Z/2016-03-01T00:00:00Z', '']) {
      expect(await bad(`datetime=${encodeURIComponent(datetime)}`, 'datetime', 'invalid_datetime'), datetime).toBe(true)
    }
    for (const limit of ['0', '-1', 'ten', '1.5', '']) expect(await bad(`limit=${limit}`, 'limit', 'invalid_limit'), limit).toBe(true)
    expect(await bad('cursor=xyz', 'cursor', 'invalid_cursor')).toBe(true)
    expect(await bad('bbox-crs=x', 'bbox-crs', 'unknown_field')).toBe(true)
    expect(await bad('f=html', 'f', 'invalid_value')).toBe(true)
    expectError(await get(pub, '/ogc/collections?limit=5'), 400, 'validation_failed', 'query.limit')
    expectError(await get(pub, '/ogc?foo=1'), 400, 'validation_failed', 'query.foo')
    expect((await get(pub, '/ogc/collections/o-admin/items?f=geojson')).statusCode).toBe(200)
    expect((await get(pub, '/ogc/conformance?f=json')).statusCode).toBe(200)
  })

  it('asks the spatial index for the bbox', async () => {
    const compiled = ogcRepository(t.db.kysely).compilePage(ANONYMOUS, '00000000-0000-4000-8000-000000000000', { boxes: [[36, 35, 37, 36]] }, 10)
    const plan = await t.db.kysely.transaction().execute(async (trx) => {
      // A handful of rows costs less to scan than to look up; forbidding scans shows what the index can answer.
      await sql`set local enable_seqscan = off`.execute(trx)
      await sql`set local enable_indexscan = off`.execute(trx)
      const res = await trx.executeQuery<{ 'QUERY PLAN': string }>({ ...compiled, sql: `explain ${compiled.sql}` })
      return res.rows.map((r) => r['QUERY PLAN']).join('\n')
    })
    expect(plan).toContain('geo_features_geom')
  })
})

const BOUNDARIES = join(sharedDataDir(), 'boundaries', 'syr_admbnda_adm1_ocha_20201217.geojson')
const HAVE_BOUNDARIES = existsSync(BOUNDARIES)

describe.runIf(HAVE_BOUNDARIES).each(dialects())('the 14 Syrian governorates through the API and back out of /ogc on %s', (dialect) => {
  let t: TestApp
  type Governorate = { type: 'Feature'; properties: { ADM1_PCODE: string; ADM1_EN: string; ADM1_AR: string } & Record<string, unknown>; geometry: unknown }

  beforeAll(async () => {
    t = await makeTestApp(dialect)
    const analyst = await signIn(t.app, DEMO.analyst)
    const file = JSON.parse(readFileSync(BOUNDARIES, 'utf8')) as { features: Governorate[] }
    const layer = await analyst.request('POST', '/api/geo/layers', { slug: 'syr-adm1', kind: 'admin', title: { en: 'Syria: governorates (OCHA COD-AB 2020)' }, visibility: 'public' })
    expect(layer.statusCode, layer.body).toBe(201)
    for (const g of file.features) {
      const { ADM1_PCODE, ADM1_EN, ADM1_AR } = g.properties
      const res = await analyst.request('POST', '/api/geo/layers/syr-adm1/features', {
        geometry: g.geometry, externalId: ADM1_PCODE, name: { en: ADM1_EN, ar: ADM1_AR }, properties: { ADM1_PCODE, ADM1_EN, ADM1_AR },
        validFrom: '2020-12-17T00:00:00Z', source: 'OCHA COD-AB syr_admbnda_adm1_ocha_20201217', visibility: 'public',
      })
      expect(res.statusCode, `${ADM1_PCODE}: ${res.body.slice(0, 300)}`).toBe(201)
    }
  }, 300_000)
  afterAll(async () => { await t?.close() })

  it('comes back as 14 features with their P-codes and names, inside Syria’s extent', async () => {
    const res = await anonymous(t.app).request('GET', '/ogc/collections/syr-adm1/items?limit=100')
    expect(res.statusCode).toBe(200)
    const page = res.json() as Page
    expectSchema('featureCollectionGeoJSON', page)
    expect(page.numberMatched).toBe(14)
    expect(page.features).toHaveLength(14)
    expect(sorted(page.features.map((x) => String(x.properties.external_id)))).toEqual(Array.from({ length: 14 }, (_, i) => `SY${String(i + 1).padStart(2, '0')}`))
    expect(page.features.find((x) => x.properties.ADM1_PCODE === 'SY02')!.properties).toMatchObject({ name: 'Aleppo', name_ar: 'حلب', valid_from: '2020-12-17T00:00:00.000Z' })

    const aleppoCity = (await anonymous(t.app).request('GET', '/ogc/collections/syr-adm1/items?bbox=37.15,36.19,37.17,36.21')).json() as Page
    expect(aleppoCity.features.map((x) => x.properties.ADM1_PCODE)).toEqual(['SY02'])

    const collection = (await anonymous(t.app).request('GET', '/ogc/collections/syr-adm1')).json() as Collection
    expectSchema('collection', collection)
    const [west, south, east, north] = collection.extent!.spatial.bbox[0]!
    expect(west).toBeCloseTo(35.7, 0)
    expect(south).toBeCloseTo(32.3, 0)
    expect(east).toBeCloseTo(42.4, 0)
    expect(north).toBeCloseTo(37.3, 0)
    expect(collection.extent!.temporal.interval).toEqual([['2020-12-17T00:00:00.000Z', null]])
  })
})

// Absent data skips the real-boundaries round trip on a workstation and fails under CI, which must run it.
if (!HAVE_BOUNDARIES) {
  describe('the 14 Syrian governorates', () => {
    if (process.env.CI) {
      it('are present (CI is set)', () => expect.fail(`${BOUNDARIES} is absent; CI must run the real-boundaries test (set TRUCE_SHARED_DATA)`))
    } else {
      // Skipped only on a workstation without ../shared/data, saying where to put it; under CI the branch above fails instead.
      it.skip(`skipped: ${BOUNDARIES} is absent (set TRUCE_SHARED_DATA, or put the data at ../shared/data/boundaries)`, () => {})
    }
  })
}
