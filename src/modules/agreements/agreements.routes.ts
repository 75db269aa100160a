// Agreements over HTTP: thin routes, each one service call.
import type { FastifyInstance } from 'fastify'
import { defineRoute } from '../../lib/http.ts'
import {
  agreementDetail, agreementPage, amendAgreementBody, createAgreementBody, idParams, listQuery, provisionParams,
  revisionList, revisionParams, revisionSnapshot, statusBody, statusEntry, statusHistory,
} from './agreements.schemas.ts'
import { agreementsService } from './agreements.service.ts'

export async function agreementRoutes(app: FastifyInstance): Promise<void> {
  const agreements = agreementsService(app.db.kysely)
  const tags = ['agreements']

  defineRoute(app, {
    method: 'GET', url: '/api/agreements', policy: 'public', summary: 'Agreements you may see', tags,
    query: listQuery, response: agreementPage,
    handler: async ({ principal, query }) => agreements.list(principal, query),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/agreements', policy: 'agreement.create', summary: 'Record an agreement', tags, status: 201,
    body: createAgreementBody, response: agreementDetail,
    handler: async ({ principal, body }) => agreements.create(principal, body),
  })
  defineRoute(app, {
    method: 'GET', url: '/api/agreements/:id', policy: 'public', summary: 'One agreement, by id or slug', tags,
    params: idParams, response: agreementDetail,
    handler: async ({ principal, params }) => agreements.get(principal, params.id),
  })
  defineRoute(app, {
    method: 'PATCH', url: '/api/agreements/:id', policy: 'agreement.edit', summary: 'Amend an agreement (needs the current version)', tags,
    params: idParams, body: amendAgreementBody, response: agreementDetail,
    handler: async ({ principal, params, body }) => agreements.amend(principal, params.id, body),
  })
  defineRoute(app, {
    method: 'GET', url: '/api/agreements/:id/revisions', policy: 'public', summary: 'Revision history', tags,
    params: idParams, response: revisionList,
    handler: async ({ principal, params }) => agreements.revisions(principal, params.id),
  })
  defineRoute(app, {
    method: 'GET', url: '/api/agreements/:id/revisions/:revision', policy: 'public', summary: 'The agreement as it stood at one revision', tags,
    params: revisionParams, response: revisionSnapshot,
    handler: async ({ principal, params }) => agreements.revision(principal, params.id, params.revision),
  })
  defineRoute(app, {
    method: 'GET', url: '/api/agreements/:id/provisions/:provisionId/status', policy: 'public', summary: 'Implementation status history of a provision', tags,
    params: provisionParams, response: statusHistory,
    handler: async ({ principal, params }) => agreements.statusHistory(principal, params.id, params.provisionId),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/agreements/:id/provisions/:provisionId/status', policy: 'provision.status', summary: 'Record the implementation status of a provision', tags,
    status: 201, params: provisionParams, body: statusBody, response: statusEntry,
    handler: async ({ principal, params, body }) => agreements.setStatus(principal, params.id, params.provisionId, body),
  })
}
