// The authorization matrix: every route the server has, asked by every kind of caller, answers
// exactly as `decide(policy, principal)` says. Routes are listed by the server itself (an onRoute
// hook), so a new route is covered the moment it exists, and a route without a policy fails here.
import { randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance, HTTPMethods, LightMyRequestResponse, RouteOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { ANONYMOUS, decide, permissionsOf, type Decision, type Permission, type Principal, type Role, type RoutePolicy } from '../src/modules/access/access.policy.ts'
import { DEMO_USERS } from '../src/modules/demo/demo.scenario.ts'
import { DEMO, signIn, type Session } from './helpers/app.ts'
import { dialects, openTestDb, type TestDatabase } from './helpers/db.ts'

/** Routes that plugins add without a policy: Swagger UI, and the web client's static files. */
const EXEMPT_PREFIXES = ['/api/docs']
const WEB_FILES = ['/', '/index.html', '/assets/app.js']

type Listed = { method: string; url: string; policy: RoutePolicy | undefined; config: Record<string, unknown> }

function listRoute(into: Listed[]) {
  return (route: RouteOptions) => {
    const config = (route.config ?? {}) as Record<string, unknown>
    const methods = (Array.isArray(route.method) ? route.method : [route.method]) as HTTPMethods[]
    for (const method of methods) into.push({ method, url: route.url, policy: config.policy as RoutePolicy | undefined, config })
  }
}

/** Routes with no policy that are not one of the plugin routes we accept without one. */
function unguarded(routes: Listed[]): string[] {
  return routes
    .filter((r) => r.policy === undefined)
    .filter((r) => !EXEMPT_PREFIXES.some((p) => r.url === p || r.url.startsWith(`${p}/`)))
    .filter((r) => !(WEB_FILES.includes(r.url) && typeof r.config.rootPath === 'string'))
    .map((r) => `${r.method} ${r.url}`)
}

/** A web client build with one file of each kind, so the static routes exist and are checked. */
function fakeWebDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'truce-web-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Truce</title>')
  writeFileSync(join(dir, 'assets', 'app.js'), 'export {}')
  return dir
}

type Caller = {
  label: string
  principal: Principal
  request(method: string, url: string, body?: unknown): Promise<LightMyRequestResponse>
}

const principalOf = (kind: 'user' | 'apikey', roles: Role[], scopes?: Permission[]): Principal => ({
  kind, userId: randomUUID(), partyId: randomUUID(), partyKind: 'monitor', roles, permissions: permissionsOf(roles, scopes), apiKeyId: null,
})

const ROLE_USERS: [Role, string][] = [
  ['admin', DEMO.admin], ['coordinator', DEMO.coordinatorUs], ['monitor', DEMO.monitor],
  ['analyst', DEMO.analyst], ['humanitarian', DEMO.humanitarian], ['reporter', DEMO.reporter],
]
const KEY_SCOPES: Permission[] = ['submission.read', 'incident.report']

describe.each(dialects())('authorization matrix on %s', (dialect) => {
  let db: TestDatabase
  let app: FastifyInstance
  let webDist: string
  const routes: Listed[] = []
  let provisionId: string

  beforeAll(async () => {
    db = await openTestDb(dialect)
    webDist = fakeWebDist()
    const config = loadConfig({ TRUCE_DATA_DIR: db.location, LOG_LEVEL: 'silent', TRUCE_WEB_DIST: webDist })
    app = await buildApp({ db, config, logger: false, onRoute: listRoute(routes) })
    await app.ready()
    const agreement = (await app.inject({ method: 'GET', url: '/api/agreements/syria-coh-2016' })).json() as { provisions: { id: string }[] }
    provisionId = agreement.provisions[0]!.id
  })
  afterAll(async () => {
    await app?.close()
    await db?.dispose()
    if (webDist) rmSync(webDist, { recursive: true, force: true })
  })

  /** Plausible values for path parameters: real records where a route looks one up, else a fresh uuid. */
  function fill(url: string): string {
    const resource = url.split('/')[2] ?? ''
    return url.replace(/:([A-Za-z]+)/g, (_, name: string) => {
      if (resource === 'agreements' && name === 'id') return 'syria-coh-2016'
      if (resource === 'agreements' && name === 'provisionId') return provisionId
      if (resource === 'agreements' && name === 'revision') return '1'
      if (resource === 'parties' && name === 'id') return 'us'
      return randomUUID()
    })
  }

  function sessionCaller(label: string, principal: Principal, email: string): Caller {
    let session: Promise<Session> | undefined
    return {
      label, principal,
      async request(method, url, body) {
        session ??= signIn(app, email)
        const res = await (await session).request(method, url, body)
        // Signing out ends the session; the next route gets a fresh one.
        if (url === '/api/auth/logout') session = undefined
        return res
      },
    }
  }

  async function callers(): Promise<Caller[]> {
    const list: Caller[] = [{
      label: 'anonymous', principal: ANONYMOUS,
      request: (method, url, body) => app.inject({ method: method as 'GET', url, ...(body === undefined ? {} : { payload: body as object }) }),
    }]
    for (const [role, email] of ROLE_USERS) {
      expect(DEMO_USERS.find((u) => u.email === email)?.roles).toEqual([role])
      list.push(sessionCaller(role, principalOf('user', [role]), email))
    }
    const coordinator = await signIn(app, DEMO.coordinatorUs)
    const created = await coordinator.request('POST', '/api/api-keys', { name: 'matrix', scopes: KEY_SCOPES })
    expect(created.statusCode).toBe(201)
    const token = (created.json() as { token: string }).token
    list.push({
      label: `API key of a coordinator scoped to ${KEY_SCOPES.join(', ')}`,
      principal: principalOf('apikey', ['coordinator'], KEY_SCOPES),
      request: (method, url, body) => app.inject({
        method: method as 'GET', url, headers: { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body as object }),
      }),
    })
    return list
  }

  it('gives every route a policy, except Swagger UI and the static files of the web client', () => {
    expect(routes.length).toBeGreaterThan(20)
    expect(unguarded(routes)).toEqual([])
    // The exemptions name routes that exist, so they cannot quietly cover something else.
    expect(routes.some((r) => r.url.startsWith('/api/docs'))).toBe(true)
    for (const file of WEB_FILES) expect(routes.some((r) => r.url === file && r.policy === undefined)).toBe(true)
  })

  it('catches a route added without a policy', async () => {
    const seen: Listed[] = []
    const config = loadConfig({ TRUCE_DATA_DIR: db.location, LOG_LEVEL: 'silent', TRUCE_WEB_DIST: webDist })
    const other = await buildApp({ db, config, logger: false, onRoute: listRoute(seen) })
    try {
      // Under /api the server refuses to register it at all; elsewhere this test is the guard.
      expect(() => other.get('/api/unguarded', async () => ({ secret: true }))).toThrow(/has no policy/)
      other.post('/log/unguarded', async () => ({ secret: true }))
      await other.ready()
      expect(unguarded(seen).sort()).toEqual(['POST /log/unguarded'])
    } finally {
      await other.close()
    }
  })

  it('answers every route for every caller as decide(policy, principal) says', async () => {
    const guarded = routes.filter((r): r is Listed & { policy: RoutePolicy } => r.policy !== undefined)
    const all = await callers()
    const mismatches: string[] = []
    const seen = new Set<Decision>()
    let cells = 0
    for (const route of guarded) {
      for (const caller of all) {
        const expected = decide(route.policy, caller.principal)
        seen.add(expected)
        const url = fill(route.url)
        const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method) ? {} : undefined
        const res = await caller.request(route.method, url, body)
        cells++
        const got = res.statusCode
        const ok = expected === 'unauthenticated' ? got === 401
          : expected === 'forbidden' ? got === 403
            : got !== 401 && got !== 403 && got < 500
        if (!ok) mismatches.push(`${route.method} ${url} (${route.policy}) as ${caller.label}: expected ${expected}, got ${got} ${res.body.slice(0, 200)}`)
        if (ok && expected !== 'allow' && route.method !== 'HEAD') {
          const code = (res.json() as { error: { code: string } }).error.code
          if (code !== expected) mismatches.push(`${route.method} ${url} as ${caller.label}: error code ${code}, expected ${expected}`)
        }
      }
    }
    expect(mismatches).toEqual([])
    expect(cells).toBe(guarded.length * all.length)
    expect([...seen].sort()).toEqual(['allow', 'forbidden', 'unauthenticated'])
  })

  it('holds an API key to its scopes even where its user may do more', async () => {
    const coordinator = await signIn(app, DEMO.coordinatorUs)
    const created = await coordinator.request('POST', '/api/api-keys', { name: 'read only', scopes: ['submission.read'] })
    expect(created.statusCode).toBe(201)
    const bearer = { authorization: `Bearer ${(created.json() as { token: string }).token}` }

    expect((await coordinator.request('GET', '/api/users')).statusCode).toBe(200)
    const denied = await app.inject({ method: 'GET', url: '/api/users', headers: bearer })
    expect(denied.statusCode).toBe(403)
    expect(denied.json()).toMatchObject({ error: { code: 'forbidden', details: [{ permission: 'user.manage' }] } })

    const write = await app.inject({ method: 'POST', url: '/api/api-keys', headers: bearer, payload: { name: 'more', scopes: ['submission.read'] } })
    expect(write.statusCode).toBe(403)
    expect((await app.inject({ method: 'GET', url: '/api/submissions', headers: bearer })).statusCode).toBe(200)
  })
})
