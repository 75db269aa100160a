// OGC API – Features – Part 1: Core (OGC 17-069r4, version 1.0.1) at /ogc, so an analyst adds the
// map layers in QGIS (or any OGC API client) with no plug-in: a landing page, the conformance
// declaration, an OpenAPI 3.0 definition, one collection per layer the caller may see, and its
// features as GeoJSON selected by bbox and datetime, paged with stable `next` links. Features
// carry flat attributes (name, claimant, validity, the fields of the layer's kind) because GIS
// tables show flat attributes best. Anonymous callers see the public layers; an API key
// (Authorization: Bearer …) sees what its party may see. Retracted features are left out.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { notFound } from '../../lib/errors.ts'
import { defineRoute } from '../../lib/http.ts'
import type { Principal } from '../access/access.policy.ts'
import { geoService, presentFeature, type LayerRow } from './geo.service.ts'
import { ogcRepository, type Envelope, type LayerExtent, type OgcFeatureRow } from './ogc.repository.ts'

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'
const GREGORIAN = 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian'
export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
] as const
const JSON_TYPE = 'application/json'
const GEOJSON = 'application/geo+json'
export const OPENAPI_30 = 'application/vnd.oai.openapi+json;version=3.0'
/** /req/core/fc-limit-definition: the standard's example values, which QGIS reads from the API definition. */
export const LIMIT = { default: 10, maximum: 10_000 } as const

// ---------------------------------------------------------------------------------------------
// Query parameters. An invalid value is a 400 naming the parameter (/req/core/query-param-invalid);
// a parameter the API does not define is one too (/req/core/query-param-unknown: strict objects).

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/i
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const leap = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
const daysIn = (year: number, month: number) => (month === 2 ? (leap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31)

/** An RFC 3339 date-time (section 5.6), or null. Date.parse alone would roll 30 February over into March. */
function parseDateTime(s: string): Date | null {
  const m = DATE_TIME.exec(s)
  if (!m) return null
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  const offsetOk = m[9] === undefined || (Number(m[9]) <= 23 && Number(m[10]) <= 59)
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59 || !offsetOk) return null
  const t = Date.parse(s.toUpperCase())
  return Number.isNaN(t) ? null : new Date(t)
}

const issue = (ctx: z.RefinementCtx, code: string, message: string) => {
  ctx.addIssue({ code: 'custom', message, params: { code } })
  return z.NEVER
}

/**
 * /req/core/fc-limit-definition and /req/core/fc-limit-response-1: a whole number from 1; above
 * the maximum is not an error, the maximum is used instead.
 */
const limitParam = z.string().transform((raw, ctx) => {
  if (!/^\d{1,12}$/.test(raw) || Number(raw) < 1) return issue(ctx, 'invalid_limit', 'a whole number from 1 (above 10000 counts as 10000)')
  return Math.min(Number(raw), LIMIT.maximum)
}).describe(`how many features in a page: 1 to ${LIMIT.maximum} (more counts as ${LIMIT.maximum}), ${LIMIT.default} when omitted`)

/**
 * /req/core/fc-bbox-definition and /req/core/fc-bbox-response: four numbers in CRS84 (west,
 * south, east, north) or six with heights; west > east is a box across the antimeridian, which
 * becomes two envelopes. Heights are checked and ignored: the features are two-dimensional.
 */
const bboxParam = z.string().transform((raw, ctx): Envelope[] => {
  const parts = raw.split(',').map((p) => p.trim())
  if ((parts.length !== 4 && parts.length !== 6) || !parts.every((p) => DECIMAL.test(p))) {
    return issue(ctx, 'invalid_bbox', 'four numbers west,south,east,north (CRS84 longitude/latitude), or six with the bottom and top heights third and sixth')
  }
  const n = parts.map(Number)
  const [west, south, east, north] = (n.length === 4 ? n : [n[0], n[1], n[3], n[4]]) as [number, number, number, number]
  if (n.length === 6 && n[2]! > n[5]!) return issue(ctx, 'invalid_bbox', 'the bottom height is above the top height')
  if ([west, east].some((x) => x < -180 || x > 180) || [south, north].some((y) => y < -90 || y > 90)) {
    return issue(ctx, 'invalid_bbox', 'longitudes from -180 to 180 and latitudes from -90 to 90 (CRS84)')
  }
  if (south > north) return issue(ctx, 'invalid_bbox', 'the south edge is north of the north edge')
  return west <= east ? [[west, south, east, north]] : [[west, south, 180, north], [-180, south, east, north]]
}).describe('west,south,east,north in CRS84 longitude/latitude (or six numbers with heights); west > east crosses the antimeridian')

/**
 * /req/core/fc-time-definition: an RFC 3339 date-time, or an interval `start/end` whose open end
 * is `..` or empty. Both ends open is outside the standard's grammar.
 */
const datetimeParam = z.string().transform((raw, ctx): { start: Date | null; end: Date | null } => {
  const parts = raw.split('/')
  const bad = (message: string) => issue(ctx, 'invalid_datetime', message)
  if (parts.length === 1) {
    const at = parseDateTime(raw)
    return at === null ? bad('an RFC 3339 date-time such as 2016-02-27T00:00:00Z, or an interval start/end with .. for an open end') : { start: at, end: at }
  }
  if (parts.length !== 2) return bad('an interval has one slash: start/end')
  const [a, b] = parts as [string, string]
  const open = (p: string) => p === '..' || p === ''
  if (open(a) && open(b)) return bad('an interval needs at least one date-time end')
  const start = open(a) ? null : parseDateTime(a)
  const end = open(b) ? null : parseDateTime(b)
  if ((!open(a) && start === null) || (!open(b) && end === null)) return bad('each end is an RFC 3339 date-time such as 2016-02-27T00:00:00Z, or .. when open')
  if (start !== null && end !== null && start.getTime() > end.getTime()) return bad('the interval ends before it starts')
  return { start, end }
}).describe('an RFC 3339 date-time, or an interval start/end with .. (or nothing) for an open end; features whose validity intersects it')

const cursorParam = z.string().transform((raw, ctx) => (UUID.test(raw) ? raw.toLowerCase() : issue(ctx, 'invalid_cursor', 'pass back the next link as given')))
  .describe('where the page starts: set by the next link')

/** `f` names the encoding for clients that add it; JSON (GeoJSON for features) is the only one. */
const formatParam = (...values: [string, ...string[]]) => z.enum(values).optional().describe('the encoding (JSON is the only one)')

const documentQuery = z.strictObject({ f: formatParam('json') })
const itemsQuery = z.strictObject({
  limit: limitParam.optional(),
  bbox: bboxParam.optional(),
  datetime: datetimeParam.optional(),
  cursor: cursorParam.optional(),
  f: formatParam('json', 'geojson'),
})
const collectionParams = z.strictObject({ collectionId: z.string().min(1).max(200) })
const featureParams = z.strictObject({ collectionId: z.string().min(1).max(200), featureId: z.string().min(1).max(200) })

// ---------------------------------------------------------------------------------------------
// Responses, after the standard's schemas (landingPage.yaml, confClasses.yaml, collections.yaml,
// collection.yaml, extent.yaml, link.yaml, featureCollectionGeoJSON.yaml, featureGeoJSON.yaml,
// exception.yaml). They document /ogc in both OpenAPI documents; the tests hold the answers to
// JSON Schemas transcribed from the standard itself (ogc-schemas/).

const ogcRegistry = z.registry<{ id: string }>()

const link = z.object({
  href: z.string(), rel: z.string(), type: z.string().optional(), title: z.string().optional(),
}).describe('a link (RFC 8288): target, relation, media type, title').register(ogcRegistry, { id: 'link' })
const links = z.array(link)

const landingPage = z.object({ title: z.string(), description: z.string(), links })
  .describe('links to the API definition, the conformance declaration and the collections').register(ogcRegistry, { id: 'landingPage' })

const confClasses = z.object({ conformsTo: z.array(z.string()) })
  .describe('the conformance classes this API implements').register(ogcRegistry, { id: 'confClasses' })

const extent = z.object({
  spatial: z.object({ bbox: z.array(z.array(z.number()).min(4).max(6)).min(1), crs: z.string() }).optional()
    .describe('the bounding box of the features the caller may see'),
  temporal: z.object({ interval: z.array(z.array(z.iso.datetime().nullable()).length(2)).min(1), trs: z.string() }).optional()
    .describe('from the earliest valid_from to the latest valid_to; null where some feature is open-ended'),
}).describe('the extent of the features the caller may see').register(ogcRegistry, { id: 'extent' })

const collection = z.object({
  id: z.string().describe('the layer slug'), title: z.string(), description: z.string(), links,
  extent: extent.optional(), itemType: z.literal('feature'), crs: z.array(z.string()),
}).describe('one map layer').register(ogcRegistry, { id: 'collection' })

const collections = z.object({ links, collections: z.array(collection) })
  .describe('the map layers the caller may see').register(ogcRegistry, { id: 'collections' })

const geometry = z.object({
  type: z.enum(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']),
  coordinates: z.array(z.unknown()),
}).describe('GeoJSON geometry (RFC 7946) in CRS84 longitude/latitude').register(ogcRegistry, { id: 'geometryGeoJSON' })

const featureGeoJSON = z.object({
  type: z.literal('Feature'), id: z.string(), geometry,
  properties: z.record(z.string(), z.unknown()).describe(
    'flat attributes: name (English, else the first), name_<language>, external_id, claimant (party slug), actor_id, valid_from, ' +
    'valid_to (exclusive), confidence, the fields of the layer kind (zone_kind, buffer_m; access_status, population, criteria; ' +
    'site_kind, radius_m), source, visibility, created_at, then the source’s own properties'),
  links: links.optional(),
}).describe('a map feature: a claim with its validity').register(ogcRegistry, { id: 'featureGeoJSON' })

const featureCollectionGeoJSON = z.object({
  type: z.literal('FeatureCollection'), features: z.array(featureGeoJSON), links,
  timeStamp: z.iso.datetime(), numberMatched: z.number().int().min(0), numberReturned: z.number().int().min(0),
}).describe('a page of features; follow the next link for the rest').register(ogcRegistry, { id: 'featureCollectionGeoJSON' })

z.object({
  code: z.string().describe('the stable code, as error.code'), description: z.string().describe('as error.message'),
  error: z.object({ code: z.string(), message: z.string(), details: z.array(z.record(z.string(), z.unknown())) }),
  requestId: z.string(),
}).describe('the error format of the whole API, with the code and description of OGC’s exception.yaml').register(ogcRegistry, { id: 'exception' })

const openApiDocument = z.record(z.string(), z.unknown()).describe('an OpenAPI 3.0 document')

// ---------------------------------------------------------------------------------------------
// Presenting.

const iso = (d: Date | null) => (d === null ? null : d.toISOString())
/** English, else the first language given. */
const textOf = (text: unknown): string | null => {
  const t = (text ?? {}) as Record<string, string>
  return t.en ?? Object.values(t)[0] ?? null
}

/** The fields a layer of each kind adds to every feature. */
const KIND_FIELDS: Record<LayerRow['kind'], (p: ReturnType<typeof presentFeature>['properties']) => Record<string, unknown>> = {
  admin: () => ({}),
  control: () => ({}),
  zone: (p) => ({ zone_kind: p.zoneKind, buffer_m: p.bufferM }),
  access: (p) => ({ access_status: p.accessStatus, population: p.population, criteria: p.criteria }),
  site: (p) => ({ site_kind: p.siteKind, radius_m: p.radiusM }),
}

/**
 * One feature with flat attributes. The source's own properties (a P-code, a population figure)
 * come last, nested values as JSON text; where a name clashes with ours, ours wins.
 */
function presentOgcFeature(row: OgcFeatureRow) {
  const f = presentFeature(row)
  const p = f.properties
  const attributes: Record<string, unknown> = {
    name: textOf(p.name),
    ...Object.fromEntries(Object.entries(p.name).map(([lang, text]) => [`name_${lang.replace(/-/g, '_')}`, text])),
    external_id: p.externalId, claimant: row.claimant, actor_id: p.actorId,
    valid_from: p.validFrom, valid_to: p.validTo, confidence: p.confidence,
    ...KIND_FIELDS[p.kind](p),
    source: p.source, visibility: p.visibility, created_at: p.createdAt,
  }
  for (const [key, value] of Object.entries(p.properties)) {
    if (!(key in attributes)) attributes[key] = value === null || typeof value !== 'object' ? value : JSON.stringify(value)
  }
  return { type: 'Feature' as const, id: f.id, geometry: f.geometry as unknown as z.input<typeof geometry>, properties: attributes }
}

const HOST = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/

/** The server's root URL: TRUCE_PUBLIC_URL when set (behind a proxy), else what the request was sent to. */
function rootUrl(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '')
  return `${request.protocol ?? 'http'}://${HOST.test(request.host) ? request.host : 'localhost'}`
}

/** A URL with query parameters; commas stay readable in a bbox. */
function withQuery(url: string, query: Record<string, string>): string {
  const qs = new URLSearchParams(query).toString().replace(/%2C/gi, ',')
  return qs === '' ? url : `${url}?${qs}`
}

function presentCollection(base: string, layer: Pick<LayerRow, 'slug' | 'title' | 'description'>, e: LayerExtent | undefined) {
  const title = textOf(layer.title) ?? layer.slug
  const url = `${base}/collections/${layer.slug}`
  return {
    id: layer.slug, title, description: layer.description,
    links: [
      { href: url, rel: 'self', type: JSON_TYPE, title: 'this collection' },
      { href: `${url}/items`, rel: 'items', type: GEOJSON, title: `the features of ${title}` },
    ],
    ...(e === undefined ? {} : {
      extent: {
        spatial: { bbox: [e.bbox], crs: CRS84 },
        temporal: { interval: [[iso(e.start), iso(e.end)]], trs: GREGORIAN },
      },
    }),
    itemType: 'feature' as const,
    crs: [CRS84],
  }
}

// ---------------------------------------------------------------------------------------------
// The OpenAPI 3.0 definition of /ogc (service-desc): what the oas30 conformance class asks for,
// and where QGIS reads the limit's maximum (components.parameters.limit).

const param = (name: string, description: string, schema: Record<string, unknown>, explodeFalse = true) => ({
  name, in: 'query', required: false, description, schema,
  // QGIS takes any other form/explode=false parameter of an items path for a property to filter
  // on; cursor and f are not properties, so they keep the default style.
  ...(explodeFalse ? { style: 'form', explode: false } : {}),
})

function ogcOpenApi(base: string) {
  const generated = z.toJSONSchema(ogcRegistry, { target: 'openapi-3.0', io: 'output', unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}` })
  // An OpenAPI 3.0 Schema Object has no $id; the component's name is its identity.
  const schemas = Object.fromEntries(Object.entries(generated.schemas).map(([id, { $id: _drop, ...schema }]) => [id, schema]))
  const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` })
  const ok = (description: string, type: string, schema: string) =>
    ({ 200: { description, content: { [type]: { schema: ref('schemas', schema) } } }, 400: ref('responses', 'InvalidParameter'), 500: ref('responses', 'ServerError') })
  const op = (operationId: string, summary: string, responses: Record<string, unknown>, parameters: unknown[] = [ref('parameters', 'f')]) =>
    ({ get: { operationId, summary, tags: ['OGC API – Features'], parameters, responses } })
  const collectionId = ref('parameters', 'collectionId')
  return {
    openapi: '3.0.3',
    info: {
      title: 'Truce map layers (OGC API – Features)',
      version: '1.0.0',
      description: 'The ceasefire record’s map layers as OGC API – Features – Part 1: Core. Anonymous callers see the public layers; ' +
        'an API key (Authorization: Bearer truce_…) sees what its party may see.',
    },
    servers: [{ url: base }],
    security: [{}, { apiKey: [] }],
    paths: {
      '/': op('getLandingPage', 'The landing page', ok('links to the API definition, conformance and collections', JSON_TYPE, 'landingPage')),
      '/api': op('getApiDefinition', 'This API definition', { 200: { description: 'OpenAPI 3.0', content: { [OPENAPI_30]: { schema: { type: 'object' } } } } }),
      '/conformance': op('getConformanceDeclaration', 'The conformance classes implemented', ok('the conformance classes', JSON_TYPE, 'confClasses')),
      '/collections': op('getCollections', 'The map layers you may see', ok('the collections', JSON_TYPE, 'collections')),
      '/collections/{collectionId}': op('describeCollection', 'One map layer', { ...ok('the collection', JSON_TYPE, 'collection'), 404: ref('responses', 'NotFound') },
        [collectionId, ref('parameters', 'f')]),
      '/collections/{collectionId}/items': op('getFeatures', 'A page of a layer’s features, by bbox and datetime',
        { ...ok('the features', GEOJSON, 'featureCollectionGeoJSON'), 404: ref('responses', 'NotFound') },
        [collectionId, ...['limit', 'bbox', 'datetime', 'cursor', 'fItems'].map((p) => ref('parameters', p))]),
      '/collections/{collectionId}/items/{featureId}': op('getFeature', 'One feature',
        { ...ok('the feature', GEOJSON, 'featureGeoJSON'), 404: ref('responses', 'NotFound') },
        [collectionId, ref('parameters', 'featureId'), ref('parameters', 'fItems')]),
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'truce_<prefix>_<secret>' } },
      parameters: {
        collectionId: { name: 'collectionId', in: 'path', required: true, description: 'the layer slug', schema: { type: 'string' } },
        featureId: { name: 'featureId', in: 'path', required: true, description: 'the feature id', schema: { type: 'string' } },
        limit: param('limit', limitParam.description!, { type: 'integer', minimum: 1, maximum: LIMIT.maximum, default: LIMIT.default }),
        bbox: param('bbox', bboxParam.description!, { type: 'array', oneOf: [{ minItems: 4, maxItems: 4 }, { minItems: 6, maxItems: 6 }], items: { type: 'number' } }),
        datetime: param('datetime', datetimeParam.description!, { type: 'string' }),
        cursor: param('cursor', cursorParam.description!, { type: 'string' }, false),
        f: param('f', 'the encoding (JSON is the only one)', { type: 'string', enum: ['json'] }, false),
        fItems: param('f', 'the encoding (GeoJSON is the only one)', { type: 'string', enum: ['json', 'geojson'] }, false),
      },
      schemas,
      responses: {
        InvalidParameter: { description: 'A query parameter is unknown or has an invalid value; error.details names it.', content: { [JSON_TYPE]: { schema: ref('schemas', 'exception') } } },
        NotFound: { description: 'No such collection or feature, or not one you may see.', content: { [JSON_TYPE]: { schema: ref('schemas', 'exception') } } },
        ServerError: { description: 'Something went wrong on the server.', content: { [JSON_TYPE]: { schema: ref('schemas', 'exception') } } },
      },
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Routes.

export async function ogcRoutes(app: FastifyInstance): Promise<void> {
  const geo = geoService(app.db.kysely)
  const ogc = ogcRepository(app.db.kysely)
  const tags = ['ogc']
  const baseOf = (request: FastifyRequest) => `${rootUrl(request, app.config.publicUrl)}/ogc`

  // The one error format, plus the `code` and `description` that OGC's exception.yaml requires.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode < 400 || typeof payload !== 'string') return payload
    try {
      const body = JSON.parse(payload) as { error?: { code?: unknown; message?: unknown } }
      if (typeof body.error?.code !== 'string') return payload
      return JSON.stringify({ code: body.error.code, description: body.error.message, ...body })
    } catch {
      return payload
    }
  })

  /** The layer whose slug is `collectionId`, if the viewer may see it. */
  async function layerOrMissing(viewer: Principal, collectionId: string): Promise<LayerRow> {
    const layer = await geo.findLayer(viewer, collectionId)
    if (!layer || layer.slug !== collectionId) throw notFound('collection')
    return layer
  }

  defineRoute(app, {
    method: 'GET', url: '/ogc', policy: 'public', tags, summary: 'OGC API – Features: the landing page (add this URL in QGIS)',
    query: documentQuery, response: landingPage,
    handler: async ({ request }) => {
      const base = baseOf(request)
      return {
        title: 'Truce map layers',
        description: 'The ceasefire record’s map layers — administrative units, areas of control as each party claims them, agreement zones, ' +
          'besieged and hard-to-reach areas, protected sites — as OGC API – Features. Anonymous callers see the public layers; ' +
          'send an API key (Authorization: Bearer truce_…) to see what your party may see.',
        links: [
          { href: base, rel: 'self', type: JSON_TYPE, title: 'this document' },
          { href: `${base}/api`, rel: 'service-desc', type: OPENAPI_30, title: 'the API definition (OpenAPI 3.0)' },
          { href: `${rootUrl(request, app.config.publicUrl)}/api/docs`, rel: 'service-doc', type: 'text/html', title: 'the API documentation' },
          { href: `${base}/conformance`, rel: 'conformance', type: JSON_TYPE, title: 'the OGC API conformance classes implemented' },
          { href: `${base}/collections`, rel: 'data', type: JSON_TYPE, title: 'the map layers' },
        ],
      }
    },
  })

  defineRoute(app, {
    method: 'GET', url: '/ogc/api', policy: 'public', tags, summary: 'OGC API – Features: the API definition (OpenAPI 3.0)',
    query: documentQuery, response: openApiDocument,
    handler: async ({ request, reply }) => {
      reply.type(OPENAPI_30)
      return ogcOpenApi(baseOf(request))
    },
  })

  defineRoute(app, {
    method: 'GET', url: '/ogc/conformance', policy: 'public', tags, summary: 'OGC API – Features: the conformance classes implemented',
    query: documentQuery, response: confClasses,
    handler: async () => ({ conformsTo: [...CONFORMANCE] }),
  })

  defineRoute(app, {
    method: 'GET', url: '/ogc/collections', policy: 'public', tags, summary: 'OGC API – Features: the map layers you may see, with their extents',
    query: documentQuery, response: collections,
    handler: async ({ principal, request }) => {
      const base = baseOf(request)
      const layers = (await geo.listLayers(principal)).items
      const extents = await ogc.extents(principal, layers.map((l) => l.id))
      return {
        links: [{ href: `${base}/collections`, rel: 'self', type: JSON_TYPE, title: 'this document' }],
        collections: layers.map((l) => presentCollection(base, l, extents.get(l.id))),
      }
    },
  })

  defineRoute(app, {
    method: 'GET', url: '/ogc/collections/:collectionId', policy: 'public', tags, summary: 'OGC API – Features: one map layer',
    params: collectionParams, query: documentQuery, response: collection,
    handler: async ({ principal, params, request }) => {
      const layer = await layerOrMissing(principal, params.collectionId)
      const extents = await ogc.extents(principal, [layer.id])
      return presentCollection(baseOf(request), layer, extents.get(layer.id))
    },
  })

  defineRoute(app, {
    method: 'GET', url: '/ogc/collections/:collectionId/items', policy: 'public', tags,
    summary: 'OGC API – Features: a page of a layer’s features (GeoJSON), by bbox and datetime',
    params: collectionParams, query: itemsQuery, response: featureCollectionGeoJSON,
    handler: async ({ principal, params, query, request, reply }) => {
      const layer = await layerOrMissing(principal, params.collectionId)
      const limit = query.limit ?? LIMIT.default
      const selection = { boxes: query.bbox, time: query.datetime }
      const rows = await ogc.page(principal, layer.id, selection, limit + 1, query.cursor)
      const numberMatched = await ogc.count(principal, layer.id, selection)
      const page = rows.slice(0, limit)
      const url = `${baseOf(request)}/collections/${layer.slug}/items`
      const given = request.query as Record<string, string>
      const last = page[page.length - 1]
      reply.type(GEOJSON)
      return {
        type: 'FeatureCollection' as const,
        features: page.map(presentOgcFeature),
        links: [
          { href: withQuery(url, given), rel: 'self', type: GEOJSON, title: 'this page' },
          { href: url.slice(0, -'/items'.length), rel: 'collection', type: JSON_TYPE, title: 'the collection' },
          ...(rows.length > limit && last
            ? [{ href: withQuery(url, { ...given, limit: String(limit), cursor: last.id }), rel: 'next', type: GEOJSON, title: 'the next page' }]
            : []),
        ],
        timeStamp: new Date().toISOString(),
        numberMatched,
        numberReturned: page.length,
      }
    },
  })

  defineRoute(app, {
    method: 'GET', url: '/ogc/collections/:collectionId/items/:featureId', policy: 'public', tags, summary: 'OGC API – Features: one feature (GeoJSON)',
    params: featureParams, query: z.strictObject({ f: formatParam('json', 'geojson') }), response: featureGeoJSON,
    handler: async ({ principal, params, request, reply }) => {
      const layer = await layerOrMissing(principal, params.collectionId)
      const row = UUID.test(params.featureId) ? await ogc.feature(principal, layer.id, params.featureId.toLowerCase()) : undefined
      if (!row) throw notFound('feature')
      const url = `${baseOf(request)}/collections/${layer.slug}`
      reply.type(GEOJSON)
      return {
        ...presentOgcFeature(row),
        links: [
          { href: `${url}/items/${row.id}`, rel: 'self', type: GEOJSON, title: 'this feature' },
          { href: url, rel: 'collection', type: JSON_TYPE, title: 'the collection' },
        ],
      }
    },
  })
}
