// Incidents over HTTP: read them (as far as their reports are visible to the caller), and the
// analysts' merge and split. Thin routes: validate → one service call.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { defineRoute } from '../../lib/http.ts'
import { incidentQuery, incidentSchema, incidentSummarySchema, mergeBody, splitBody } from './incidents.schemas.ts'
import { INCIDENT_EXPORT_FORMATS } from './incidents.export.ts'
import { incidentsService } from './incidents.service.ts'

const idParams = z.strictObject({ id: z.uuid() })

export async function incidentRoutes(app: FastifyInstance): Promise<void> {
  const incidents = incidentsService(app.db.kysely)
  const tags = ['incidents']

  defineRoute(app, {
    method: 'GET', url: '/api/incidents', policy: 'public', tags,
    summary: 'Incidents with at least one report you may see, latest first: by date range, category, verification state, box and words',
    query: incidentQuery, response: z.object({ items: z.array(incidentSummarySchema), nextCursor: z.string().nullable() }),
    handler: async ({ principal, query }) => incidents.list(principal, query),
  })
  defineRoute(app, {
    method: 'GET', url: '/api/incidents/export', policy: 'public', tags,
    summary: 'Incidents you may see as CSV, HXL-tagged CSV, UCDP-GED-like CSV or GeoJSON (one row per incident, up to 100,000, latest first), with the list\'s filters',
    query: incidentQuery.omit({ limit: true, cursor: true }).extend({ format: z.enum(INCIDENT_EXPORT_FORMATS) }),
    handler: async ({ principal, query, reply }) => {
      const { format, ...filters } = query
      const body = await incidents.export(principal, filters, format)
      const [type, ext] = format === 'geojson' ? ['application/geo+json', 'geojson'] : ['text/csv', `${format === 'csv' ? '' : `${format}.`}csv`]
      reply.type(`${type}; charset=utf-8`).header('content-disposition', `attachment; filename="truce-incidents.${ext}"`)
      return body as never
    },
  })
  defineRoute(app, {
    method: 'GET', url: '/api/incidents/:id', policy: 'public', tags,
    summary: 'One incident: its reports you may see, their sources and evidence, and how the reports came together',
    params: idParams, response: incidentSchema,
    handler: async ({ principal, params }) => incidents.get(principal, params.id),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/incidents/:id/merge', policy: 'incident.analyse', tags,
    summary: 'Merge another incident into this one (an analyst judges them one event); the other keeps its id and points here',
    params: idParams, body: mergeBody, response: incidentSchema,
    handler: async ({ principal, params, body }) => incidents.merge(principal, params.id, body),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/incidents/:id/split', policy: 'incident.analyse', status: 201, tags,
    summary: 'Split reports off into a new incident (an analyst judges them another event); the clustering never puts them back',
    params: idParams, body: splitBody, response: incidentSchema,
    handler: async ({ principal, params, body }) => incidents.split(principal, params.id, body),
  })
}
