// Verification over HTTP: thin routes, each one service call. Who may do what beyond the route's
// permission (party kind, being the accused, not judging one's own allegation) is decided by
// verification.policy.ts inside the service.
import type { FastifyInstance } from 'fastify'
import { defineRoute } from '../../lib/http.ts'
import { pageSchema } from '../../lib/pagination.ts'
import { idParams as agreementParams } from '../agreements/agreements.schemas.ts'
import {
  allegationBody, allegationSchema, concurrenceSchema, findingBody, findingSchema, incidentParams, requestSchema, requestsQuery, responseBody,
  responseSchema, rulesBody, rulesSchema, transitionBody, transitionSchema, verificationSchema,
} from './verification.schemas.ts'
import { verificationService } from './verification.service.ts'

export async function verificationRoutes(app: FastifyInstance): Promise<void> {
  const verification = verificationService(app.db.kysely)
  const tags = ['verification']

  defineRoute(app, {
    method: 'GET', url: '/api/incidents/:id/verification', policy: 'public', tags,
    summary: 'An incident\'s verification: its state, the transitions, allegations with their requests and answers, findings (joint or separate), the evidence against each agreement\'s thresholds, and what you may do now',
    params: incidentParams, response: verificationSchema,
    handler: async ({ principal, params }) => verification.view(principal, params.id),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/incidents/:id/transitions', policy: 'authenticated', status: 201, tags,
    summary: 'Move an incident to another verification state, as the policy allows your role and party (409 invalid_transition, thresholds_not_met, state_changed)',
    params: incidentParams, body: transitionBody, response: transitionSchema,
    handler: async ({ principal, params, body }) => verification.transition(principal, params.id, body),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/incidents/:id/allegations', policy: 'incident.report', status: 201, tags,
    summary: 'Allege a violation by another party in an incident: it opens a request for information to the accused party with a deadline',
    params: incidentParams, body: allegationBody, response: allegationSchema,
    handler: async ({ principal, params, body }) => verification.allege(principal, params.id, body),
  })
  defineRoute(app, {
    method: 'GET', url: '/api/information-requests', policy: 'authenticated', tags,
    summary: 'Requests for information addressed to your party and those it sent, by deadline, with whether each is overdue; a page at a time (nextCursor)',
    query: requestsQuery, response: pageSchema(requestSchema),
    handler: async ({ principal, query }) => verification.requests(principal, query),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/information-requests/:id/responses', policy: 'incident.report', status: 201, tags,
    summary: 'Answer a request for information addressed to your party',
    params: incidentParams, body: responseBody, response: responseSchema,
    handler: async ({ principal, params, body }) => verification.respond(principal, params.id, body),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/incidents/:id/findings', policy: 'incident.analyse', status: 201, tags,
    summary: 'Record your party\'s finding on an incident: a conclusion with graded confidence (highly probable, probable, plausible)',
    params: incidentParams, body: findingBody, response: findingSchema,
    handler: async ({ principal, params, body }) => verification.find(principal, params.id, body),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/findings/:id/concurrences', policy: 'incident.analyse', status: 201, tags,
    summary: 'Concur in another party\'s finding, making it joint',
    params: incidentParams, response: concurrenceSchema,
    handler: async ({ principal, params }) => verification.concur(principal, params.id),
  })
  defineRoute(app, {
    method: 'GET', url: '/api/agreements/:id/verification-rules', policy: 'public', tags,
    summary: 'The thresholds an incident must meet to be verified under this agreement (the defaults when it set none)',
    params: agreementParams, response: rulesSchema,
    handler: async ({ principal, params }) => verification.rules(principal, params.id),
  })
  defineRoute(app, {
    method: 'PUT', url: '/api/agreements/:id/verification-rules', policy: 'agreement.edit', tags,
    summary: 'Set the verification thresholds of an agreement (a new version; by a party that may amend it)',
    params: agreementParams, body: rulesBody, response: rulesSchema,
    handler: async ({ principal, params, body }) => verification.setRules(principal, params.id, body),
  })
}
