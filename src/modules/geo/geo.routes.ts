// Geography over HTTP: layers, features, buffers and attribution; thin routes, each one service call.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { defineRoute, instant } from '../../lib/http.ts'
import { presentJob } from '../../lib/jobs.ts'
import { receiveUpload, uploadBody } from '../../lib/upload.ts'
import { langTag } from '../../lib/i18n.ts'
import { VISIBILITIES } from '../../lib/visibility.ts'
import { jobSchema } from '../system/system.routes.ts'
import { importLayerFile } from './geo.import.ts'
import { reattribute } from './geo.places.ts'
import {
  attributeBody, attributeQuery, attributionSchema, bufferBody, createLayerBody, featureBody, featureCollection, featureQuery, featureSchema,
  layerSchema, retractFeatureBody, ACCESS_STATUSES, CONFIDENCES, SITE_KINDS,
} from './geo.schemas.ts'
import { geoService } from './geo.service.ts'

const layerParams = z.strictObject({ layer: z.string().min(1).max(100) })
const featureParams = z.strictObject({ id: z.uuid() })

/** "en:ADM1_EN,ar:ADM1_AR" → { en: 'ADM1_EN', ar: 'ADM1_AR' } */
const nameMap = z.string().max(500).transform((v, ctx) => {
  const out: Record<string, string> = {}
  for (const part of v.split(',')) {
    const [lang, prop] = part.split(':')
    if (!lang || !prop || !langTag.safeParse(lang.trim()).success) {
      ctx.addIssue({ code: 'custom', message: 'language:property pairs separated by commas, e.g. en:ADM1_EN,ar:ADM1_AR' })
      return z.NEVER
    }
    out[lang.trim()] = prop.trim()
  }
  return out
})

export const importQuery = z.strictObject({
  fileName: z.string().min(1).max(300).default('upload').describe('the file\'s name; it settles the format only when the bytes cannot'),
  object: z.string().min(1).max(200).optional().describe('TopoJSON: the object to import; a zip of shapefiles: the .shp, when there are several'),
  validFrom: instant.optional(), validTo: instant.optional(),
  names: nameMap.optional().describe('which properties hold the name in which language (found from ADM1_EN, name_xx, name … when omitted)'),
  idProperty: z.string().min(1).max(100).optional().describe('the property holding the source\'s key (found from ADMn_PCODE, shapeISO … when omitted)'),
  actor: z.uuid().optional().describe('control layers: the actor holding the areas'),
  confidence: z.enum(CONFIDENCES).optional(),
  accessStatus: z.enum(ACCESS_STATUSES).optional(),
  siteKind: z.enum(SITE_KINDS).optional(),
  radiusM: z.coerce.number().min(0).max(100_000).optional(),
  source: z.string().max(500).optional(),
  visibility: z.enum(VISIBILITIES).default('parties'),
  async: z.enum(['true', 'false']).default('false').transform((v) => v === 'true')
    .describe('answer 202 with a job once the file is received (follow it at /api/jobs/:id) instead of waiting for the import'),
})

const importResult = z.object({
  importId: z.uuid(), layer: z.string(), format: z.string(), fileName: z.string(), fileSha256: z.string(), sourceSrid: z.number().int(),
  features: z.number().int(), repaired: z.array(z.object({ index: z.number().int(), reason: z.string() })),
  notes: z.array(z.object({ index: z.number().int(), note: z.string() })),
  alreadyImported: z.boolean().describe('the same file with the same options was imported into this layer before: nothing was added'),
})

/** Map-layer files arrive as raw bytes, streamed (not parsed by Fastify, not held whole in memory). */
const FILE_TYPES = ['application/octet-stream', 'application/zip', 'application/x-zip-compressed', 'application/geo+json', 'application/vnd.geo+json', 'application/topo+json']

export async function geoRoutes(app: FastifyInstance): Promise<void> {
  const geo = geoService(app.db.kysely)
  const tags = ['geo']
  app.addContentTypeParser(FILE_TYPES, (_request, payload, done) => done(null, payload))
  // A write that committed may change what contains the places around it: attribute them again.
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'GET' && reply.statusCode < 300 && !request.url.startsWith('/api/geo/attribute') && !request.url.startsWith('/api/geo/reattribut')) app.reattributor.schedule()
  })

  defineRoute(app, {
    method: 'GET', url: '/api/geo/reattribution', policy: 'geo.import', tags,
    summary: 'The background re-attribution of located records after areas changed: its state, progress and last result',
    response: z.object({
      state: z.enum(['idle', 'scheduled', 'running']), done: z.number().int(), total: z.number().int(), error: z.string().nullable(),
      last: z.object({ places: z.number().int(), points: z.number().int(), shapes: z.number().int(), changed: z.number().int(), ms: z.number(), finishedAt: z.iso.datetime() }).nullable(),
    }),
    handler: async () => app.reattributor.status(),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/geo/reattribute', policy: 'geo.import', tags, status: 202,
    summary: 'Attribute every located record again (or only the stale ones) as a job; GET /api/jobs/:id shows its progress',
    query: z.strictObject({ all: z.enum(['true', 'false']).default('true').transform((v) => v === 'true') }),
    response: jobSchema,
    handler: async ({ principal, query, reply }) => {
      const job = app.jobs.start('geo.reattribute', principal.userId ?? principal.apiKeyId ?? '', (progress) => reattribute(app.db.kysely, { all: query.all, onProgress: progress }))
      reply.header('location', `/api/jobs/${job.id}`)
      return presentJob(job)
    },
  })

  defineRoute(app, {
    method: 'POST', url: '/api/geo/layers/:layer/import', policy: 'geo.import', status: 201, tags,
    summary: 'Import a GeoJSON, TopoJSON or zipped shapefile into a layer, as your party\'s claims: reprojected from its declared CRS, repaired feature by feature, all or nothing',
    params: layerParams, query: importQuery,
    body: uploadBody,
    response: z.union([importResult, jobSchema]),
    handler: async ({ principal, params, query, body, request, reply }) => {
      const max = app.config.importMaxBytes
      // Is the layer there (and may this caller see it) before receiving the file?
      await geo.layerOrMissing(principal, params.layer)
      const { file, signer } = await receiveUpload(request, principal, body, max)
      const { async: runAsync, object, ...options } = query
      const run = async (onProgress?: (done: number, total: number) => void) => {
        try {
          return await importLayerFile(app.db.kysely, signer, params.layer, file, {
            ...options, object, restrictedTo: undefined, maxBytes: max, onProgress: onProgress && ((bytes, total) => onProgress(bytes, total)),
          })
        } finally {
          await file.dispose()
          app.reattributor.schedule()
        }
      }
      if (!runAsync) return run()
      const job = app.jobs.start('geo.import', principal.userId ?? principal.apiKeyId ?? '', (progress) => run(progress))
      reply.code(202).header('location', `/api/jobs/${job.id}`)
      return presentJob(job)
    },
  })

  defineRoute(app, {
    method: 'GET', url: '/api/geo/layers', policy: 'public', summary: 'The map layers you may see, with their feature counts', tags,
    response: z.object({ items: z.array(layerSchema) }),
    handler: async ({ principal }) => geo.listLayers(principal),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/geo/layers', policy: 'geo.import', summary: 'Create a layer: admin units, areas of control, agreement zones, access areas or protected sites', tags, status: 201,
    body: createLayerBody, response: layerSchema,
    handler: async ({ principal, body }) => geo.createLayer(principal, body),
  })
  defineRoute(app, {
    method: 'GET', url: '/api/geo/layers/:layer', policy: 'public', summary: 'One layer', tags,
    params: layerParams, response: layerSchema,
    handler: async ({ principal, params }) => geo.getLayer(principal, params.layer),
  })
  defineRoute(app, {
    method: 'GET', url: '/api/geo/layers/:layer/features', policy: 'public', tags,
    summary: 'A layer’s features as GeoJSON, optionally those valid at an instant, in a bbox, or of one claimant',
    params: layerParams, query: featureQuery, response: featureCollection,
    handler: async ({ principal, params, query, reply }) => {
      reply.type('application/geo+json; charset=utf-8')
      return geo.listFeatures(principal, params.layer, query)
    },
  })
  defineRoute(app, {
    method: 'POST', url: '/api/geo/layers/:layer/features', policy: 'geo.edit', summary: 'Add a feature (your party’s claim); an invalid geometry is repaired and the repair reported', tags, status: 201,
    params: layerParams, body: featureBody, response: featureSchema,
    handler: async ({ principal, params, body }) => geo.addFeature(principal, params.layer, body),
  })
  defineRoute(app, {
    method: 'GET', url: '/api/geo/features/:id', policy: 'public', summary: 'One feature', tags,
    params: featureParams, response: featureSchema,
    handler: async ({ principal, params }) => geo.getFeature(principal, params.id),
  })
  defineRoute(app, {
    method: 'PUT', url: '/api/geo/features/:id', policy: 'geo.edit', summary: 'Replace one of your party’s features with a new version (the old one stays, retracted)', tags,
    params: featureParams, body: featureBody, response: featureSchema,
    handler: async ({ principal, params, body }) => geo.replaceFeature(principal, params.id, body),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/geo/features/:id/retract', policy: 'geo.edit', summary: 'Retract one of your party’s features (it stays, marked)', tags,
    params: featureParams, body: retractFeatureBody, response: featureSchema,
    handler: async ({ principal, params, body }) => geo.retractFeature(principal, params.id, body.reason),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/geo/features/:id/buffers', policy: 'geo.edit', tags, status: 201,
    summary: 'Withdrawal lines: buffers of the given distances around a zone’s line or area, computed in its UTM zone',
    params: featureParams, body: bufferBody, response: featureCollection,
    handler: async ({ principal, params, body }) => geo.deriveBuffers(principal, params.id, body),
  })
  defineRoute(app, {
    method: 'GET', url: '/api/geo/attribute', policy: 'public', tags,
    summary: 'Which admin units, areas of control (and whose claim), zones and access areas contain a point at an instant, and which protected sites are near',
    query: attributeQuery, response: attributionSchema,
    handler: async ({ principal, query }) => geo.attribute(principal, {
      geometry: { type: 'Point', coordinates: [query.lon, query.lat] }, radius: query.radius, at: query.at, within: query.within,
    }),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/geo/attribute', policy: 'public', tags,
    summary: 'Attribute a geometry or an observer sector (position, bearing, distance range), with the share of its area in each feature',
    body: attributeBody, response: attributionSchema,
    handler: async ({ principal, body }) => geo.attribute(principal, {
      geometry: body.geometry,
      sector: body.sector && { lon: body.sector.lon, lat: body.sector.lat, bearing: body.sector.bearing, spread: body.sector.spread, minDistance: body.sector.minDistanceM, maxDistance: body.sector.maxDistanceM },
      radius: body.radius, at: body.at, within: body.within,
    }),
  })
}
