// Geography over HTTP: layers, features, buffers and attribution; thin routes, each one service call.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { defineRoute } from '../../lib/http.ts'
import {
  attributeBody, attributeQuery, attributionSchema, bufferBody, createLayerBody, featureBody, featureCollection, featureQuery, featureSchema,
  layerSchema, retractFeatureBody,
} from './geo.schemas.ts'
import { geoService } from './geo.service.ts'

const layerParams = z.strictObject({ layer: z.string().min(1).max(100) })
const featureParams = z.strictObject({ id: z.uuid() })

export async function geoRoutes(app: FastifyInstance): Promise<void> {
  const geo = geoService(app.db.kysely)
  const tags = ['geo']

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
