// Sign in, sign out, and who am I.
import type { FastifyInstance } from 'fastify'
import { defineRoute } from '../../lib/http.ts'
import { accessService, SESSION_TTL_MS } from './access.service.ts'
import { loginBody, loginResponse, meResponse } from './access.schemas.ts'

export const SESSION_COOKIE = 'truce_session'

export async function accessRoutes(app: FastifyInstance): Promise<void> {
  const access = accessService(app.db.kysely)
  const cookieOptions = {
    path: '/', httpOnly: true, secure: app.config.cookieSecure, sameSite: 'strict' as const,
  }

  defineRoute(app, {
    method: 'POST', url: '/api/auth/login', policy: 'public', summary: 'Sign in with email and password', tags: ['access'],
    body: loginBody, response: loginResponse,
    handler: async ({ body, reply }) => {
      const result = await access.login(body.email, body.password)
      reply.setCookie(SESSION_COOKIE, result.sessionToken, { ...cookieOptions, maxAge: SESSION_TTL_MS / 1000 })
      return { user: result.user, csrfToken: result.csrfToken, expiresAt: result.expiresAt.toISOString() }
    },
  })

  defineRoute(app, {
    method: 'POST', url: '/api/auth/logout', policy: 'authenticated', summary: 'End this session', tags: ['access'],
    status: 204,
    handler: async ({ request, reply }) => {
      const token = request.cookies[SESSION_COOKIE]
      if (token) await access.logout(token)
      reply.clearCookie(SESSION_COOKIE, cookieOptions)
      return undefined
    },
  })

  defineRoute(app, {
    method: 'GET', url: '/api/auth/me', policy: 'public', summary: 'Who the caller is and what they may do', tags: ['access'],
    response: meResponse,
    handler: async ({ principal, request }) => access.me(principal, request.cookies[SESSION_COOKIE]),
  })
}
