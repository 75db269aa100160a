// Compliance and statistics over HTTP: an agreement's compliance rules, an incident's evaluation
// against the agreements in force, and counts of incidents over time with their CSV/HXL export.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { defineRoute } from '../../lib/http.ts'
import { complianceQuery, complianceRulesBody, complianceRulesSchema, complianceSchema, statsExportQuery, statsQuery, statsSchema } from './compliance.schemas.ts'
import { complianceService } from './compliance.service.ts'

const agreementParams = z.strictObject({ id: z.string().min(1).max(80) })
const incidentParams = z.strictObject({ id: z.uuid() })

export async function complianceRoutes(app: FastifyInstance): Promise<void> {
  const compliance = complianceService(app.db.kysely)
  const tags = ['compliance']

  defineRoute(app, {
    method: 'GET', url: '/api/agreements/:id/compliance-rules', policy: 'public', tags,
    summary: 'The current compliance rules of an agreement: where it applies, what its provisions prohibit, whom it binds',
    params: agreementParams, response: complianceRulesSchema,
    handler: async ({ principal, params }) => compliance.getRules(principal, params.id),
  })
  defineRoute(app, {
    method: 'PUT', url: '/api/agreements/:id/compliance-rules', policy: 'agreement.edit', tags,
    summary: 'Record a new version of an agreement\'s compliance rules (whoever may amend the agreement)',
    params: agreementParams, body: complianceRulesBody, response: complianceRulesSchema,
    handler: async ({ principal, params, body }) => compliance.putRules(principal, params.id, body),
  })
  defineRoute(app, {
    method: 'GET', url: '/api/incidents/stats', policy: 'authenticated', tags,
    summary: 'Incidents you may see per day or week and by category, zone, alleged party or verification state; with an agreement, before and after its effective date and the trend',
    query: statsQuery, response: statsSchema,
    handler: async ({ principal, query }) => compliance.stats(principal, query),
  })
  defineRoute(app, {
    method: 'GET', url: '/api/incidents/stats/export', policy: 'authenticated', tags,
    summary: 'The statistics as CSV or HXL-tagged CSV: one row per period and group',
    query: statsExportQuery,
    handler: async ({ principal, query, reply }) => {
      const { format, ...q } = query
      const body = await compliance.statsExport(principal, q, format)
      reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="truce-incident-stats.${format === 'hxl' ? 'hxl.' : ''}csv"`)
      return body as never
    },
  })
  defineRoute(app, {
    method: 'GET', url: '/api/incidents/:id/compliance', policy: 'actor.read', tags,
    summary: 'An incident against each agreement in force at its time and place: the reasoning step by step and a potential violation, never a finding of guilt',
    params: incidentParams, query: complianceQuery, response: complianceSchema,
    handler: async ({ principal, params, query }) => compliance.evaluate(principal, params.id, query.agreement),
  })
}
