// What a client sees when it sends something wrong: one error format with a stable code, the
// field at fault, and a request id that matches the response header; and a failed write leaves
// nothing behind.
import { randomUUID } from 'node:crypto'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anonymous, DEMO, makeTestApp, signIn, type Session, type TestApp } from './helpers/app.ts'
import { dialects } from './helpers/db.ts'

type ErrorBody = { error: { code: string; message: string; details: { path?: string; code?: string; message: string }[] }; requestId: string }

/** Checks the one error format, that its request id is the response header's, and returns it. */
function expectError(res: LightMyRequestResponse, status: number, code: string): ErrorBody {
  expect(res.statusCode, res.body).toBe(status)
  expect(res.headers['content-type']).toMatch(/^application\/json/)
  const body = res.json() as ErrorBody
  expect(Object.keys(body).sort()).toEqual(['error', 'requestId'])
  expect(body.error.code).toBe(code)
  expect(typeof body.error.message).toBe('string')
  expect(Array.isArray(body.error.details)).toBe(true)
  expect(body.requestId).toBeTruthy()
  expect(body.requestId).toBe(res.headers['x-request-id'])
  return body
}

const validAgreement = (slug: string, over: Record<string, unknown> = {}) => ({
  slug, title: { en: 'A test agreement' }, theatre: 'Testland', status: 'draft', visibility: 'public',
  provisions: [{ number: '1', category: 'cessation_of_hostilities', text: { en: 'Stop firing.' } }],
  ...over,
})

describe.each(dialects())('bad input on %s', (dialect) => {
  let t: TestApp
  let us: Session
  let partyIds: Record<string, string>

  beforeAll(async () => {
    t = await makeTestApp(dialect)
    us = await signIn(t.app, DEMO.coordinatorUs)
    const parties = await anonymous(t.app).request('GET', '/api/parties?limit=200')
    partyIds = Object.fromEntries((parties.json() as { items: { slug: string; id: string }[] }).items.map((p) => [p.slug, p.id]))
  })
  afterAll(async () => { await t?.close() })

  const raw = (method: string, url: string, payload: string, contentType = 'application/json') =>
    t.app.inject({ method: method as 'POST', url, payload, headers: { cookie: us.cookie, 'x-csrf-token': us.csrf, 'content-type': contentType } })

  /** Rows in every table an agreement write touches. */
  async function counts() {
    const tables = ['agreements', 'agreement_parties', 'provisions', 'exclusions', 'agreement_revisions', 'provision_status', 'submissions'] as const
    const out: Record<string, number> = {}
    for (const table of tables) {
      const row = await t.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      out[table] = Number(row.n)
    }
    return out
  }

  describe('malformed bodies', () => {
    it('answers malformed JSON with malformed_json', async () => {
      const body = expectError(await raw('POST', '/api/agreements', '{"slug": "x",'), 400, 'malformed_json')
      expect(body.error.details[0]).toMatchObject({ path: 'body' })
      expectError(await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: '{email:', headers: { 'content-type': 'application/json' } }), 400, 'malformed_json')
    })

    it('answers an empty JSON body with malformed_json', async () => {
      expectError(await raw('POST', '/api/agreements', ''), 400, 'malformed_json')
    })

    it('answers a body of a type it does not read with unsupported_media_type', async () => {
      expectError(await raw('POST', '/api/agreements', '<agreement/>', 'application/xml'), 415, 'unsupported_media_type')
      // Plain text is read, and is not the object the route expects.
      const text = expectError(await raw('POST', '/api/agreements', 'slug=x', 'text/plain'), 400, 'validation_failed')
      expect(text.error.details).toEqual([expect.objectContaining({ path: 'body' })])
    })
  })

  describe('validation', () => {
    it('names every field of the wrong type', async () => {
      const res = await us.request('POST', '/api/agreements', {
        ...validAgreement('wrong-types'), slug: 42, title: 'Peace', theatre: ['x'], status: 'over',
      })
      const body = expectError(res, 400, 'validation_failed')
      const paths = body.error.details.map((d) => d.path)
      expect(paths).toEqual(expect.arrayContaining(['body.slug', 'body.title', 'body.theatre', 'body.status']))
      expect(body.error.details.every((d) => typeof d.code === 'string' && typeof d.message === 'string')).toBe(true)
    })

    it('gives nested paths, down to one language of a text', async () => {
      const res = await us.request('POST', '/api/agreements', validAgreement('nested', {
        title: { en: '  ' },
        provisions: [{ number: '1', category: 'cessation_of_hostilities', text: { en: 5 } }],
      }))
      const paths = expectError(res, 400, 'validation_failed').error.details.map((d) => d.path)
      expect(paths).toEqual(expect.arrayContaining(['body.title.en', 'body.provisions.0.text.en']))
    })

    it('checks the query too', async () => {
      const paths = expectError(await us.request('GET', '/api/agreements?limit=abc&status=over'), 400, 'validation_failed').error.details.map((d) => d.path)
      expect(paths.sort()).toEqual(['query.limit', 'query.status'])
      expectError(await us.request('GET', '/api/agreements?limit=0'), 400, 'validation_failed')
      expectError(await us.request('GET', '/api/agreements?limit=201'), 400, 'validation_failed')
    })

    it('refuses unknown fields with unknown_field at their path', async () => {
      const res = await us.request('POST', '/api/agreements', validAgreement('unknown-fields', {
        colour: 'blue',
        provisions: [{ number: '1', category: 'cessation_of_hostilities', text: { en: 'Stop.' }, priority: 1 }],
      }))
      const details = expectError(res, 400, 'validation_failed').error.details
      expect(details).toEqual(expect.arrayContaining([
        expect.objectContaining({ path: 'body.colour', code: 'unknown_field' }),
        expect.objectContaining({ path: 'body.provisions.0.priority', code: 'unknown_field' }),
      ]))
      const query = expectError(await us.request('GET', '/api/agreements?sort=desc'), 400, 'validation_failed')
      expect(query.error.details).toEqual([expect.objectContaining({ path: 'query.sort', code: 'unknown_field' })])
    })

    it('refuses a validity interval that ends before (or when) it starts, at body.effectiveTo', async () => {
      for (const effectiveTo of ['2020-02-01T00:00:00Z', '2020-03-01T00:00:00Z']) {
        const res = await us.request('POST', '/api/agreements', validAgreement('inverted', { effectiveFrom: '2020-03-01T00:00:00Z', effectiveTo }))
        const details = expectError(res, 400, 'validation_failed').error.details
        expect(details).toEqual([expect.objectContaining({ path: 'body.effectiveTo', code: 'inverted_interval' })])
      }
      // Offsets count: 01:00+02:00 is before 00:00Z.
      const res = await us.request('POST', '/api/agreements', validAgreement('inverted', { effectiveFrom: '2020-03-01T00:00:00Z', effectiveTo: '2020-03-01T01:00:00+02:00' }))
      expect(expectError(res, 400, 'validation_failed').error.details[0]).toMatchObject({ path: 'body.effectiveTo', code: 'inverted_interval' })
    })

    it('refuses an instant without an offset', async () => {
      const res = await us.request('POST', '/api/agreements', validAgreement('no-offset', { effectiveFrom: '2020-03-01T00:00:00' }))
      expect(expectError(res, 400, 'validation_failed').error.details[0]).toMatchObject({ path: 'body.effectiveFrom' })
    })
  })

  describe('size', () => {
    let small: TestApp
    beforeAll(async () => { small = await makeTestApp(dialect, { TRUCE_BODY_LIMIT: '2048' }) })
    afterAll(async () => { await small?.close() })

    it('answers a body over TRUCE_BODY_LIMIT with payload_too_large and writes nothing', async () => {
      const s = await signIn(small.app, DEMO.coordinatorUs)
      const before = await small.db.kysely.selectFrom('agreements').select('slug').execute()
      const big = validAgreement('too-big', { summary: { en: 'x'.repeat(3000) } })
      const body = expectError(await s.request('POST', '/api/agreements', big), 413, 'payload_too_large')
      expect(body.error.message).toContain('2048')
      expect(await small.db.kysely.selectFrom('agreements').select('slug').execute()).toEqual(before)
      // Just under the limit is fine.
      const ok = await s.request('POST', '/api/agreements', validAgreement('small-enough', { summary: { en: 'x'.repeat(1500) } }))
      expect(ok.statusCode, ok.body).toBe(201)
    })
  })

  describe('authentication', () => {
    it('answers an anonymous write with unauthenticated, before looking at the body', async () => {
      const anon = anonymous(t.app)
      expectError(await anon.request('POST', '/api/agreements', validAgreement('anon')), 401, 'unauthenticated')
      expectError(await anon.request('POST', '/api/agreements', { nonsense: true }), 401, 'unauthenticated')
      expectError(await anon.request('PATCH', '/api/agreements/syria-coh-2016', { version: 1, note: 'anon edit', status: 'terminated' }), 401, 'unauthenticated')
      expectError(await anon.request('POST', `/api/agreements/syria-coh-2016/provisions/${randomUUID()}/status`, {}), 401, 'unauthenticated')
      expect(await t.db.kysely.selectFrom('agreements').select('slug').where('slug', '=', 'anon').execute()).toEqual([])
    })

    it('refuses a session write without its CSRF token', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/agreements', payload: validAgreement('no-csrf'), headers: { cookie: us.cookie } })
      expectError(res, 403, 'csrf_token_invalid')
    })

    it('answers an unknown API key with invalid_api_key', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/agreements', headers: { authorization: `Bearer truce_0123456789abcdef_${'x'.repeat(43)}` } })
      expectError(res, 401, 'invalid_api_key')
    })
  })

  describe('a create that fails leaves nothing written', () => {
    it.each([
      ['an unknown party', () => ({ parties: [{ partyId: partyIds.ru, role: 'guarantor' }, { partyId: randomUUID(), role: 'signatory' }] }), 400, 'unknown_party'],
      ['an unknown party in restrictedTo', () => ({ visibility: 'restricted', restrictedTo: [randomUUID()] }), 400, 'unknown_party'],
      ['a duplicate provision number', () => ({
        provisions: [
          { number: '1', category: 'cessation_of_hostilities', text: { en: 'One.' } },
          { number: '2', category: 'monitoring', text: { en: 'Two.' }, exclusions: [{ description: { en: 'x' } }] },
          { number: '1', category: 'monitoring', text: { en: 'One again.' } },
        ],
      }), 400, 'duplicate_provision'],
      // Fails inside the transaction, after the agreement row and its provisions are written.
      ['the same party in the same role twice', () => ({ parties: [{ partyId: partyIds.ru, role: 'guarantor' }, { partyId: partyIds.ru, role: 'guarantor' }] }), 400, 'duplicate_party_role'],
    ] as const)('%s', async (_what, over, status, code) => {
      const before = await counts()
      const res = await us.request('POST', '/api/agreements', validAgreement('half-way', over()))
      expectError(res, status, code)
      expect(await counts()).toEqual(before)
      expect((await anonymous(t.app).request('GET', '/api/agreements/half-way')).statusCode).toBe(404)
    })

    it('a slug that is taken', async () => {
      const before = await counts()
      expectError(await us.request('POST', '/api/agreements', validAgreement('syria-coh-2016')), 409, 'already_exists')
      expect(await counts()).toEqual(before)
    })

    it('an amendment that fails after its first changes leaves the agreement as it was', async () => {
      const before = await counts()
      const agreement = (await anonymous(t.app).request('GET', '/api/agreements/syria-coh-2016')).body
      const ru = await signIn(t.app, DEMO.coordinatorRu)
      const res = await ru.request('PATCH', '/api/agreements/syria-coh-2016', {
        version: 1, note: 'Half an amendment', status: 'suspended',
        provisions: { add: [{ number: '11', category: 'monitoring', text: { en: 'New.' } }], update: [{ number: '99', text: { en: 'No such clause.' } }] },
      })
      const body = expectError(res, 400, 'unknown_provision')
      expect(body.error.details[0]).toMatchObject({ path: 'body.provisions.update.0.number' })
      expect(await counts()).toEqual(before)
      expect((await anonymous(t.app).request('GET', '/api/agreements/syria-coh-2016')).body).toBe(agreement)
    })
  })

  describe('routes and cursors', () => {
    it('answers an unknown route with JSON', async () => {
      const body = expectError(await us.request('GET', '/api/no-such-thing'), 404, 'route_not_found')
      expect(body.error.message).toContain('/api/no-such-thing')
      expectError(await anonymous(t.app).request('DELETE', '/api/agreements/syria-coh-2016'), 404, 'route_not_found')
    })

    it('answers a missing record with not_found', async () => {
      expectError(await anonymous(t.app).request('GET', '/api/agreements/no-such-agreement'), 404, 'not_found')
      expectError(await anonymous(t.app).request('GET', `/api/agreements/${randomUUID()}`), 404, 'not_found')
    })

    it('answers a cursor it did not issue with invalid_cursor', async () => {
      const forged = (c: unknown) => Buffer.from(JSON.stringify(c)).toString('base64url')
      const cursors = [
        'not-a-cursor!', 'e30', forged({ k: 'yesterday', id: randomUUID() }), forged({ k: '2020-01-01T00:00:00.000Z', id: 'x' }),
        forged({ k: '2020-02-30T00:00:00.000Z', id: randomUUID() }), forged({ k: 1, id: randomUUID() }), forged([1, 2]),
      ]
      for (const cursor of cursors) {
        const body = expectError(await anonymous(t.app).request('GET', `/api/agreements?cursor=${encodeURIComponent(cursor)}`), 400, 'invalid_cursor')
        expect(body.error.details[0]).toMatchObject({ path: 'cursor' })
      }
      // A real cursor still works.
      const first = (await anonymous(t.app).request('GET', '/api/agreements?limit=1')).json() as { nextCursor: string }
      expect((await anonymous(t.app).request('GET', `/api/agreements?limit=1&cursor=${first.nextCursor}`)).statusCode).toBe(200)
    })
  })

  describe('request ids', () => {
    it('echoes a well-formed x-request-id in the header and the error body', async () => {
      const res = await anonymous(t.app).request('GET', '/api/agreements/no-such-agreement', undefined, { 'x-request-id': 'client-req-000001' })
      expect(expectError(res, 404, 'not_found').requestId).toBe('client-req-000001')
      const ok = await anonymous(t.app).request('GET', '/healthz', undefined, { 'x-request-id': 'client-req-000002' })
      expect(ok.headers['x-request-id']).toBe('client-req-000002')
    })

    it('replaces a malformed x-request-id with its own', async () => {
      const res = await anonymous(t.app).request('GET', '/api/no-such-thing', undefined, { 'x-request-id': 'bad id <script>' })
      const body = expectError(res, 404, 'route_not_found')
      expect(body.requestId).not.toBe('bad id <script>')
      expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/)
    })

    it('gives every request its own id', async () => {
      const ids = new Set<string>()
      for (let i = 0; i < 5; i++) ids.add(expectError(await anonymous(t.app).request('GET', '/api/nope'), 404, 'route_not_found').requestId)
      expect(ids.size).toBe(5)
    })
  })
})
