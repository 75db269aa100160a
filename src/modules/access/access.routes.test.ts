import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anonymous, DEMO, makeTestApp, signIn, type Session, type TestApp } from '../../../test/helpers/app.ts'
import { dialects } from '../../../test/helpers/db.ts'
import { ROLE_PERMISSIONS } from './access.policy.ts'

type ErrorBody = { error: { code: string; message: string; details: unknown[] }; requestId: string }
const withoutRequestId = (body: unknown) => {
  const { requestId: _id, ...rest } = body as ErrorBody
  return rest
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.each(dialects())('sign-in, sessions and API keys on %s', (dialect) => {
  let t: TestApp
  let admin: Session
  let unOsesyId: string
  beforeAll(async () => {
    t = await makeTestApp(dialect)
    admin = await signIn(t.app, DEMO.admin)
    unOsesyId = ((await anonymous(t.app).request('GET', '/api/parties/un-osesy')).json() as { id: string }).id
  })
  afterAll(async () => { await t?.close() })

  const login = (email: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })

  /** A user of their own, so locking their account disturbs no other test. */
  async function newUser(email: string, roles = ['analyst'], password = 'correct horse battery') {
    const res = await admin.request('POST', '/api/users', { partyId: unOsesyId, email, displayName: email, password, roles })
    expect(res.statusCode).toBe(201)
    return { email, password }
  }

  const count = async (table: 'api_keys' | 'submissions' | 'sessions') =>
    Number((await t.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

  describe('signing in', () => {
    it('sets an HttpOnly, SameSite=Strict, Secure session cookie and returns the user and a CSRF token', async () => {
      const res = await login(DEMO.coordinatorUs, 'truce-demo')
      expect(res.statusCode).toBe(200)
      const cookie = res.cookies.find((c) => c.name === 'truce_session')
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: true, path: '/' })
      expect(cookie?.value.length).toBeGreaterThanOrEqual(32)
      const body = res.json() as { user: { email: string; partySlug: string; roles: string[] }; csrfToken: string; expiresAt: string }
      expect(body.user).toMatchObject({ email: DEMO.coordinatorUs, partySlug: 'us', roles: ['coordinator'] })
      expect(body.csrfToken.length).toBeGreaterThanOrEqual(24)
      expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now())
      expect(res.body).not.toContain('scrypt')
    })

    it('accepts the email in any case', async () => {
      expect((await login('Coordinator.US@Truce.Demo', 'truce-demo')).statusCode).toBe(200)
    })

    it('refuses a wrong password with invalid_credentials and no cookie', async () => {
      const res = await login(DEMO.monitor, 'not the password')
      expect(res.statusCode).toBe(401)
      expect((res.json() as ErrorBody).error.code).toBe('invalid_credentials')
      expect(res.cookies).toEqual([])
    })

    it('answers an unknown email exactly like a wrong password', async () => {
      const wrong = await login(DEMO.humanitarian, 'not the password')
      const unknown = await login('nobody@truce.demo', 'not the password')
      expect(unknown.statusCode).toBe(wrong.statusCode)
      expect(withoutRequestId(unknown.json())).toEqual(withoutRequestId(wrong.json()))
      expect(unknown.cookies).toEqual(wrong.cookies)
    })

    it('locks an account after repeated failures, for longer each time, even against the right password', async () => {
      const u = await newUser('throttled@truce.demo')
      for (let i = 0; i < 3; i++) {
        const res = await login(u.email, 'guess number ' + i)
        expect(res.statusCode).toBe(401)
        expect((res.json() as ErrorBody).error.code).toBe('invalid_credentials')
      }
      const locked = await login(u.email, 'another guess')
      expect(locked.statusCode).toBe(429)
      expect((locked.json() as ErrorBody).error.code).toBe('too_many_attempts')
      expect(locked.headers['retry-after']).toBe('1')

      // Once the lock runs out a further failure locks again, twice as long; while it holds,
      // the right password is refused too.
      await sleep(1100)
      expect((await login(u.email, 'one more guess')).statusCode).toBe(401)
      const right = await login(u.email, u.password)
      expect(right.statusCode).toBe(429)
      expect((right.json() as ErrorBody).error.code).toBe('too_many_attempts')
      expect(Number(right.headers['retry-after'])).toBeGreaterThanOrEqual(1)
      expect(Number(right.headers['retry-after'])).toBeLessThanOrEqual(2)
      expect(right.cookies).toEqual([])
    })

    it('does not let guesses sent all at once slip past the lock', async () => {
      const u = await newUser('burst@truce.demo')
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => login(u.email, `parallel guess ${i}`)))
      const statuses = answers.map((r) => r.statusCode).sort()
      expect(statuses.filter((s) => s === 401)).toHaveLength(3)
      expect(statuses.filter((s) => s === 429)).toHaveLength(9)
    })

    it('throttles an unknown email the same way, so locking reveals nothing', async () => {
      for (let i = 0; i < 3; i++) expect((await login('ghost@truce.demo', 'guess')).statusCode).toBe(401)
      const res = await login('ghost@truce.demo', 'guess')
      expect(res.statusCode).toBe(429)
      expect((res.json() as ErrorBody).error.code).toBe('too_many_attempts')
    })

    it('forgets earlier failures after a successful sign-in', async () => {
      const u = await newUser('forgetful@truce.demo')
      for (let i = 0; i < 2; i++) expect((await login(u.email, 'wrong')).statusCode).toBe(401)
      expect((await login(u.email, u.password)).statusCode).toBe(200)
      for (let i = 0; i < 2; i++) expect((await login(u.email, 'wrong')).statusCode).toBe(401)
      expect((await login(u.email, u.password)).statusCode).toBe(200)
    })
  })

  describe('signing out', () => {
    it('revokes the session: the cookie no longer identifies anyone', async () => {
      const s = await signIn(t.app, DEMO.analyst)
      expect((await s.request('GET', '/api/submissions?limit=1')).statusCode).toBe(200)
      const out = await s.request('POST', '/api/auth/logout')
      expect(out.statusCode).toBe(204)
      const cleared = out.cookies.find((c) => c.name === 'truce_session')
      expect(cleared?.value).toBe('')

      expect((await s.request('GET', '/api/submissions?limit=1')).statusCode).toBe(401)
      const me = await s.request('GET', '/api/auth/me')
      expect(me.json()).toMatchObject({ kind: 'anonymous', userId: null, user: null, csrfToken: null })
    })

    it('ends a session when it expires', async () => {
      const s = await signIn(t.app, DEMO.humanitarian)
      const tokenHash = createHash('sha256').update(s.cookie.slice('truce_session='.length)).digest('hex')
      await t.db.kysely.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('token_hash', '=', tokenHash).execute()
      expect((await s.request('GET', '/api/auth/me')).json()).toMatchObject({ kind: 'anonymous' })
      expect((await s.request('GET', '/api/submissions')).statusCode).toBe(401)
    })

    it('shuts a disabled user out everywhere: sign-in, open sessions and API keys', async () => {
      const u = await newUser('leaver@truce.demo', ['monitor'])
      const s = await signIn(t.app, u.email, u.password)
      const { token } = (await s.request('POST', '/api/api-keys', { name: 'leaver', scopes: ['submission.read'] })).json() as { token: string }
      await t.db.kysely.updateTable('users').set({ disabled_at: new Date() }).where('email', '=', u.email).execute()

      const again = await login(u.email, u.password)
      expect(again.statusCode).toBe(401)
      expect((again.json() as ErrorBody).error.code).toBe('invalid_credentials')
      expect((await s.request('GET', '/api/auth/me')).json()).toMatchObject({ kind: 'anonymous' })
      const byKey = await t.app.inject({ method: 'GET', url: '/api/submissions', headers: { authorization: `Bearer ${token}` } })
      expect(byKey.statusCode).toBe(401)
      expect((byKey.json() as ErrorBody).error.code).toBe('invalid_api_key')
    })

    it('needs a session to sign out', async () => {
      const res = await anonymous(t.app).request('POST', '/api/auth/logout')
      expect(res.statusCode).toBe(401)
      expect((res.json() as ErrorBody).error.code).toBe('unauthenticated')
    })
  })

  describe('who am I', () => {
    it('tells an anonymous caller they are anonymous', async () => {
      const res = await anonymous(t.app).request('GET', '/api/auth/me')
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({ kind: 'anonymous', userId: null, partyId: null, roles: [], permissions: [], csrfToken: null, user: null })
    })

    it('tells a signed-in user their profile, permissions and CSRF token', async () => {
      const s = await signIn(t.app, DEMO.monitor)
      const body = (await s.request('GET', '/api/auth/me')).json() as {
        kind: string; roles: string[]; permissions: string[]; csrfToken: string; user: { email: string; partySlug: string; locale: string }
      }
      expect(body.kind).toBe('user')
      expect(body.roles).toEqual(['monitor'])
      expect([...body.permissions].sort()).toEqual([...ROLE_PERMISSIONS.monitor].sort())
      expect(body.csrfToken).toBe(s.csrf)
      expect(body.user).toMatchObject({ email: DEMO.monitor, partySlug: 'osce', locale: 'uk' })
    })

    it('tells an API key the permissions its scopes leave it, and no CSRF token', async () => {
      const s = await signIn(t.app, DEMO.monitor)
      const token = ((await s.request('POST', '/api/api-keys', { name: 'me', scopes: ['submission.read', 'incident.report'] })).json() as { token: string }).token
      const res = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })
      const body = res.json() as { kind: string; permissions: string[]; csrfToken: string | null; user: { email: string } }
      expect(body.kind).toBe('apikey')
      expect([...body.permissions].sort()).toEqual(['incident.report', 'submission.read'])
      expect(body.csrfToken).toBeNull()
      expect(body.user.email).toBe(DEMO.monitor)
    })
  })

  describe('CSRF', () => {
    it('refuses a cookie-authenticated write without the x-csrf-token header, and writes nothing', async () => {
      const s = await signIn(t.app, DEMO.coordinatorUs)
      const [keys, submissions] = [await count('api_keys'), await count('submissions')]
      const res = await t.app.inject({
        method: 'POST', url: '/api/api-keys', headers: { cookie: s.cookie }, payload: { name: 'forged', scopes: ['submission.read'] },
      })
      expect(res.statusCode).toBe(403)
      expect((res.json() as ErrorBody).error.code).toBe('csrf_token_invalid')
      expect(await count('api_keys')).toBe(keys)
      expect(await count('submissions')).toBe(submissions)
    })

    it('refuses a wrong token, and another session\'s token', async () => {
      const s = await signIn(t.app, DEMO.coordinatorUs)
      const other = await signIn(t.app, DEMO.coordinatorUs)
      const [keys, submissions] = [await count('api_keys'), await count('submissions')]
      for (const token of ['wrong', other.csrf]) {
        const res = await s.request('POST', '/api/api-keys', { name: 'forged', scopes: ['submission.read'] }, { 'x-csrf-token': token })
        expect(res.statusCode).toBe(403)
        expect((res.json() as ErrorBody).error.code).toBe('csrf_token_invalid')
      }
      expect(await count('api_keys')).toBe(keys)
      expect(await count('submissions')).toBe(submissions)
      // The right token works, and reading never needs one.
      expect((await s.request('POST', '/api/api-keys', { name: 'genuine', scopes: ['submission.read'] })).statusCode).toBe(201)
      expect((await t.app.inject({ method: 'GET', url: '/api/api-keys', headers: { cookie: s.cookie } })).statusCode).toBe(200)
    })

    it('refuses a sign-out without the token, leaving the session alive', async () => {
      const s = await signIn(t.app, DEMO.analyst)
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: s.cookie } })
      expect(res.statusCode).toBe(403)
      expect((await s.request('GET', '/api/auth/me')).json()).toMatchObject({ kind: 'user' })
    })
  })

  describe('API keys', () => {
    it('shows the token once: in the answer to creating it, never in the list', async () => {
      const s = await signIn(t.app, DEMO.coordinatorUs)
      const res = await s.request('POST', '/api/api-keys', { name: 'field sync', scopes: ['submission.read', 'incident.report'] })
      expect(res.statusCode).toBe(201)
      const key = res.json() as { id: string; prefix: string; token: string; scopes: string[]; revokedAt: string | null }
      expect(key.token).toMatch(new RegExp(`^truce_${key.prefix}_[A-Za-z0-9_-]{20,}$`))
      expect(key.scopes.sort()).toEqual(['incident.report', 'submission.read'])
      expect(key.revokedAt).toBeNull()

      const list = await s.request('GET', '/api/api-keys')
      const items = (list.json() as { items: Record<string, unknown>[] }).items
      const listed = items.find((k) => k.id === key.id)
      expect(listed).toMatchObject({ name: 'field sync', prefix: key.prefix })
      expect(listed).not.toHaveProperty('token')
      expect(list.body).not.toContain(key.token.split('_').at(-1))
      const stored = await t.db.kysely.selectFrom('api_keys').selectAll().where('id', '=', key.id).executeTakeFirstOrThrow()
      expect(stored.secret_hash).not.toContain(key.token.split('_').at(-1))
    })

    it('acts as its user through Authorization: Bearer, without a cookie or CSRF token', async () => {
      const s = await signIn(t.app, DEMO.coordinatorUs)
      const { token } = (await s.request('POST', '/api/api-keys', { name: 'writer', scopes: ['apikey.manage'] })).json() as { token: string }
      const bearer = { authorization: `Bearer ${token}` }
      const res = await t.app.inject({ method: 'POST', url: '/api/api-keys', headers: bearer, payload: { name: 'made by a key', scopes: ['apikey.manage'] } })
      expect(res.statusCode).toBe(201)
      const submission = await t.db.kysely.selectFrom('submissions').selectAll().where('subject_id', '=', (res.json() as { id: string }).id).executeTakeFirstOrThrow()
      const me = (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer })).json() as { userId: string; partyId: string }
      expect(submission).toMatchObject({ kind: 'apikey.create', user_id: me.userId, party_id: me.partyId })
      expect(submission.api_key_id).not.toBeNull()
    })

    it('carries only permissions its creator holds', async () => {
      const monitor = await signIn(t.app, DEMO.monitor)
      const res = await monitor.request('POST', '/api/api-keys', { name: 'too much', scopes: ['submission.read', 'party.manage'] })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ error: { code: 'scope_not_held', details: [{ path: 'body.scopes' }] } })

      // A key cannot mint a key wider than itself either.
      const { token } = (await monitor.request('POST', '/api/api-keys', { name: 'narrow', scopes: ['apikey.manage'] })).json() as { token: string }
      const wider = await t.app.inject({
        method: 'POST', url: '/api/api-keys', headers: { authorization: `Bearer ${token}` }, payload: { name: 'wider', scopes: ['submission.read'] },
      })
      expect(wider.statusCode).toBe(400)
      expect((wider.json() as ErrorBody).error.code).toBe('scope_not_held')
    })

    it('is refused for a role without apikey.manage', async () => {
      const analyst = await signIn(t.app, DEMO.analyst)
      const res = await analyst.request('POST', '/api/api-keys', { name: 'mine', scopes: ['submission.read'] })
      expect(res.statusCode).toBe(403)
    })

    it('stops working once revoked', async () => {
      const s = await signIn(t.app, DEMO.coordinatorUs)
      const key = (await s.request('POST', '/api/api-keys', { name: 'short lived', scopes: ['submission.read'] })).json() as { id: string; token: string }
      const bearer = { authorization: `Bearer ${key.token}` }
      expect((await t.app.inject({ method: 'GET', url: '/api/submissions?limit=1', headers: bearer })).statusCode).toBe(200)

      expect((await s.request('DELETE', `/api/api-keys/${key.id}`)).statusCode).toBe(204)
      for (const url of ['/api/submissions?limit=1', '/api/auth/me', '/api/parties']) {
        const res = await t.app.inject({ method: 'GET', url, headers: bearer })
        expect(res.statusCode).toBe(401)
        expect((res.json() as ErrorBody).error.code).toBe('invalid_api_key')
      }
      const listed = ((await s.request('GET', '/api/api-keys')).json() as { items: { id: string; revokedAt: string | null }[] }).items
      expect(listed.find((k) => k.id === key.id)?.revokedAt).not.toBeNull()
      // Revoking again changes nothing.
      expect((await s.request('DELETE', `/api/api-keys/${key.id}`)).statusCode).toBe(204)
    })

    it('stops working once expired', async () => {
      const s = await signIn(t.app, DEMO.coordinatorUs)
      const key = (await s.request('POST', '/api/api-keys', {
        name: 'expiring', scopes: ['submission.read'], expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      })).json() as { id: string; token: string }
      const bearer = { authorization: `Bearer ${key.token}` }
      expect((await t.app.inject({ method: 'GET', url: '/api/submissions?limit=1', headers: bearer })).statusCode).toBe(200)
      await t.db.kysely.updateTable('api_keys').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', key.id).execute()
      const res = await t.app.inject({ method: 'GET', url: '/api/submissions?limit=1', headers: bearer })
      expect(res.statusCode).toBe(401)
      expect((res.json() as ErrorBody).error.code).toBe('invalid_api_key')
    })

    it('refuses garbage, unknown and tampered keys', async () => {
      const s = await signIn(t.app, DEMO.coordinatorUs)
      const { token } = (await s.request('POST', '/api/api-keys', { name: 'real', scopes: ['submission.read'] })).json() as { token: string }
      const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')
      for (const presented of ['garbage', 'truce_0123456789abcdef_aaaaaaaaaaaaaaaaaaaaaaaaaaaa', tampered, '']) {
        const res = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${presented}` } })
        expect(res.statusCode, presented).toBe(401)
        expect((res.json() as ErrorBody).error.code).toBe('invalid_api_key')
      }
    })

    it('cannot be revoked by another party: that key is simply not found', async () => {
      const us = await signIn(t.app, DEMO.coordinatorUs)
      const key = (await us.request('POST', '/api/api-keys', { name: 'ours', scopes: ['submission.read'] })).json() as { id: string; token: string }
      const ru = await signIn(t.app, DEMO.coordinatorRu)
      const res = await ru.request('DELETE', `/api/api-keys/${key.id}`)
      expect(res.statusCode).toBe(404)
      const missing = await ru.request('DELETE', '/api/api-keys/00000000-0000-4000-8000-000000000000')
      expect(withoutRequestId(res.json())).toEqual(withoutRequestId(missing.json()))
      expect(((await ru.request('GET', '/api/api-keys')).json() as { items: { id: string }[] }).items.map((k) => k.id)).not.toContain(key.id)
      const still = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${key.token}` } })
      expect(still.json()).toMatchObject({ kind: 'apikey' })
    })
  })
})
