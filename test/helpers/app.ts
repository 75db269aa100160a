// A real Fastify app on a test database, and helpers to act as a demo user through real HTTP
// semantics (app.inject: cookies, CSRF header, JSON).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import type { Dialect } from '../../src/db/database.ts'
import { DEMO_PASSWORD } from '../../src/modules/demo/demo.scenario.ts'
import { openTestDb, type TestDatabase } from './db.ts'

export type TestApp = { app: FastifyInstance; db: TestDatabase; close(): Promise<void> }

export async function makeTestApp(dialect: Dialect = 'pglite', env: Record<string, string> = {}): Promise<TestApp> {
  const db = await openTestDb(dialect)
  // Evidence files go to a directory of their own (on PostgreSQL the location is a URL, not a directory).
  const evidence = mkdtempSync(join(tmpdir(), 'truce-evidence-'))
  const config = loadConfig({ TRUCE_DATA_DIR: db.location, TRUCE_EVIDENCE_DIR: evidence, LOG_LEVEL: 'silent', ...env })
  const app = await buildApp({ db, config, logger: false })
  await app.ready()
  return { app, db, close: async () => { await app.close(); await db.dispose(); rmSync(evidence, { recursive: true, force: true }) } }
}

export type Session = {
  cookie: string
  csrf: string
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>
}

/** Signs in as a demo user (or any user) and returns a client that sends cookie and CSRF token. */
export async function signIn(app: FastifyInstance, email: string, password = DEMO_PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })
  if (res.statusCode !== 200) throw new Error(`sign-in as ${email} failed: ${res.statusCode} ${res.body}`)
  const set = res.cookies.find((c) => c.name === 'truce_session')
  if (!set) throw new Error('no session cookie')
  const cookie = `truce_session=${set.value}`
  const csrf = (res.json() as { csrfToken: string }).csrfToken
  return {
    cookie, csrf,
    request: (method, url, body, headers = {}) => app.inject({
      method: method as 'GET', url,
      headers: { cookie, 'x-csrf-token': csrf, ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
    }),
  }
}

export const anonymous = (app: FastifyInstance) => ({
  request: (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => app.inject({
    method: method as 'GET', url, headers, ...(body === undefined ? {} : { payload: body as object }),
  }),
})

export const DEMO = {
  admin: 'admin@truce.demo',
  coordinatorUs: 'coordinator.us@truce.demo',
  coordinatorRu: 'coordinator.ru@truce.demo',
  monitor: 'monitor@truce.demo',
  analyst: 'analyst@truce.demo',
  humanitarian: 'humanitarian@truce.demo',
  reporter: 'reporter@truce.demo',
} as const
