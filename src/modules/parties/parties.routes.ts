// Parties, users, API keys and party signing keys.
import type { FastifyInstance } from 'fastify'
import { defineRoute } from '../../lib/http.ts'
import { pageQuery } from '../../lib/pagination.ts'
import {
  apiKeyList, createApiKeyBody, createdApiKey, createPartyBody, createUserBody, idParam, party, partyKey, partyKeyList,
  partyKeyParams, partyPage, partyParams, registerKeyBody, user, userListQuery, userPage,
} from './parties.schemas.ts'
import { partiesService } from './parties.service.ts'

export async function partyRoutes(app: FastifyInstance): Promise<void> {
  const parties = partiesService(app.db.kysely)
  const tags = ['parties']

  defineRoute(app, {
    method: 'GET', url: '/api/parties', policy: 'public', summary: 'List parties', tags,
    query: pageQuery, response: partyPage,
    handler: async ({ query }) => parties.listParties(query.limit, query.cursor),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/parties', policy: 'party.manage', summary: 'Create a party', tags, status: 201,
    body: createPartyBody, response: party,
    handler: async ({ principal, body }) => parties.createParty(principal, body),
  })
  defineRoute(app, {
    method: 'GET', url: '/api/parties/:id', policy: 'public', summary: 'One party, by id or slug', tags,
    params: partyParams, response: party,
    handler: async ({ params }) => parties.getParty(params.id),
  })

  defineRoute(app, {
    method: 'GET', url: '/api/users', policy: 'user.manage', summary: 'List the users you manage', tags: ['users'],
    query: userListQuery, response: userPage,
    handler: async ({ principal, query }) => parties.listUsers(principal, query),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/users', policy: 'user.manage', summary: 'Create a user', tags: ['users'], status: 201,
    body: createUserBody, response: user,
    handler: async ({ principal, body }) => parties.createUser(principal, body),
  })

  defineRoute(app, {
    method: 'GET', url: '/api/api-keys', policy: 'apikey.manage', summary: "Your party's API keys", tags: ['api-keys'],
    response: apiKeyList,
    handler: async ({ principal }) => parties.listApiKeys(principal),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/api-keys', policy: 'apikey.manage', summary: 'Create an API key (the token is shown once)',
    tags: ['api-keys'], status: 201, body: createApiKeyBody, response: createdApiKey,
    handler: async ({ principal, body }) => parties.createApiKey(principal, body),
  })
  defineRoute(app, {
    method: 'DELETE', url: '/api/api-keys/:id', policy: 'apikey.manage', summary: 'Revoke an API key', tags: ['api-keys'],
    status: 204, params: idParam,
    handler: async ({ principal, params }) => { await parties.revokeApiKey(principal, params.id); return undefined },
  })

  defineRoute(app, {
    method: 'GET', url: '/api/parties/:id/keys', policy: 'public', summary: "A party's Ed25519 public keys", tags: ['keys'],
    params: partyParams, response: partyKeyList,
    handler: async ({ params }) => parties.listPartyKeys(params.id),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/parties/:id/keys', policy: 'partykey.manage', summary: 'Register or rotate a signing key',
    tags: ['keys'], status: 201, params: partyParams, body: registerKeyBody, response: partyKey,
    handler: async ({ principal, params, body }) => parties.registerPartyKey(principal, params.id, body),
  })
  defineRoute(app, {
    method: 'POST', url: '/api/parties/:id/keys/:keyId/revoke', policy: 'partykey.manage', summary: 'Revoke a signing key',
    tags: ['keys'], params: partyKeyParams, response: partyKey,
    handler: async ({ principal, params }) => parties.revokePartyKey(principal, params.id, params.keyId),
  })
}
