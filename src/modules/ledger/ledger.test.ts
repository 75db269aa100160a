import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto'
import type { LightMyRequestResponse } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anonymous, DEMO, makeTestApp, signIn, type Session, type TestApp } from '../../../test/helpers/app.ts'
import { dialects } from '../../../test/helpers/db.ts'

type Me = { userId: string; partyId: string }
type Listed = { id: string; seq: number; partyId: string; kind: string; payload: string; payloadSha256: string; visibility: string }

/** RFC 8785, written again here so the check does not share code with what it checks. */
function jcs(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(jcs).join(',')}]`
  const obj = value as Record<string, unknown>
  return `{${Object.keys(obj).sort().map((k) => `${JSON.stringify(k)}:${jcs(obj[k])}`).join(',')}}`
}
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex')
const ed25519Base64 = () => generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64')
const withoutRequestId = (body: unknown) => {
  const { requestId: _id, ...rest } = body as { requestId: string }
  return rest
}

describe.each(dialects())('the submission ledger on %s', (dialect) => {
  let t: TestApp
  let admin: Session
  let us: Session
  let monitor: Session
  const me = new Map<Session, Me>()
  const partyId: Record<string, string> = {}

  beforeAll(async () => {
    t = await makeTestApp(dialect)
    ;[admin, us, monitor] = await Promise.all([signIn(t.app, DEMO.admin), signIn(t.app, DEMO.coordinatorUs), signIn(t.app, DEMO.monitor)])
    for (const s of [admin, us, monitor]) me.set(s, (await s.request('GET', '/api/auth/me')).json() as Me)
    const parties = ((await anonymous(t.app).request('GET', '/api/parties?limit=200')).json() as { items: { id: string; slug: string }[] }).items
    for (const p of parties) partyId[p.slug] = p.id
  })
  afterAll(async () => { await t?.close() })

  const lastSeq = async () =>
    Number((await t.db.kysely.selectFrom('submissions').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow()).seq ?? 0)
  const since = (seq: number) => t.db.kysely.selectFrom('submissions').selectAll().where('seq', '>', seq).orderBy('seq').execute()

  describe('every write', () => {
    type Write = {
      what: string
      actor: 'admin' | 'us' | 'monitor'
      /** Present when the write is made with an API key rather than the session. */
      bearer?: () => string
      send: (request: (method: string, url: string, body?: unknown) => Promise<LightMyRequestResponse>) => Promise<LightMyRequestResponse>
      kind: string
      visibility: string
      subject: (res: LightMyRequestResponse) => string
    }
    let monitorKey: { id: string; token: string }
    let usKeyId: string
    const idOf = (res: LightMyRequestResponse) => (res.json() as { id: string }).id

    const writes: Write[] = [
      {
        what: 'an admin creating a party', actor: 'admin', kind: 'party.create', visibility: 'public', subject: idOf,
        send: (r) => r('POST', '/api/parties', { slug: 'ecowas', name: { en: 'ECOWAS', fr: 'CEDEAO', ar: 'إيكواس' }, kind: 'monitor' }),
      },
      {
        what: 'a coordinator creating a user', actor: 'us', kind: 'user.create', visibility: 'restricted', subject: idOf,
        send: (r) => r('POST', '/api/users', { partyId: partyId.us, email: 'ledger.user@truce.demo', displayName: 'Ledger “user”', password: 'a long enough password', roles: ['analyst'] }),
      },
      {
        what: 'a monitor creating an API key', actor: 'monitor', kind: 'apikey.create', visibility: 'internal',
        subject: (res) => { monitorKey = res.json() as { id: string; token: string }; return monitorKey.id },
        send: (r) => r('POST', '/api/api-keys', { name: 'sync', scopes: ['apikey.manage', 'submission.read'] }),
      },
      {
        what: 'an API key creating an API key', actor: 'monitor', bearer: () => monitorKey.token, kind: 'apikey.create', visibility: 'internal', subject: idOf,
        send: (r) => r('POST', '/api/api-keys', { name: 'made by a key', scopes: ['submission.read'], expiresAt: '2030-01-01T00:00:00+02:00' }),
      },
      {
        what: 'a monitor revoking an API key', actor: 'monitor', kind: 'apikey.revoke', visibility: 'internal', subject: () => monitorKey.id,
        send: (r) => r('DELETE', `/api/api-keys/${monitorKey.id}`),
      },
      {
        what: 'a coordinator registering a party key', actor: 'us', kind: 'partykey.register', visibility: 'public',
        subject: (res) => { usKeyId = idOf(res); return usKeyId },
        send: (r) => r('POST', '/api/parties/us/keys', { name: 'gen 1', publicKey: ed25519Base64(), validFrom: '2026-01-01T00:00:00Z' }),
      },
      {
        what: 'a coordinator rotating a party key', actor: 'us', kind: 'partykey.register', visibility: 'public', subject: idOf,
        send: (r) => r('POST', '/api/parties/us/keys', { name: 'gen 2', publicKey: ed25519Base64(), validFrom: '2026-07-01T00:00:00Z', replacesId: usKeyId }),
      },
      {
        what: 'a coordinator revoking a party key', actor: 'us', kind: 'partykey.revoke', visibility: 'public', subject: () => usKeyId,
        send: (r) => r('POST', `/api/parties/us/keys/${usKeyId}/revoke`),
      },
    ]

    it.each(writes.map((w, i) => [w.what, i] as const))('%s adds exactly one submission with its actor, canonical payload and SHA-256', async (_, i) => {
      const w = writes[i]!
      const actor = { admin, us, monitor }[w.actor]
      const before = await lastSeq()
      const request = w.bearer
        ? (method: string, url: string, body?: unknown) => t.app.inject({
          method: method as 'GET', url, headers: { authorization: `Bearer ${w.bearer!()}` }, ...(body === undefined ? {} : { payload: body as object }),
        })
        : actor.request
      const res = await w.send(request)
      expect(res.statusCode, res.body).toBeLessThan(300)

      const added = await since(before)
      expect(added).toHaveLength(1)
      const s = added[0]!
      const who = me.get(actor)!
      expect(s).toMatchObject({ kind: w.kind, party_id: who.partyId, user_id: who.userId, owner_party_id: who.partyId, visibility: w.visibility, subject_id: w.subject(res) })
      if (w.bearer) expect(s.api_key_id).toBe(monitorKey.id)
      else expect(s.api_key_id).toBeNull()
      expect(s.payload).toBe(jcs(JSON.parse(s.payload)))
      expect(s.payload_sha256).toBe(sha256(s.payload))
      expect(JSON.parse(s.payload)).toMatchObject({ id: w.subject(res) })
      expect(s.payload).not.toMatch(/password|token|secret/i)
    })

    it('adds nothing when a write is refused', async () => {
      const before = await lastSeq()
      const refused = [
        await us.request('POST', '/api/parties', { slug: 'refused', name: { en: 'Refused' }, kind: 'monitor' }),
        await admin.request('POST', '/api/parties', { slug: 'us', name: { en: 'Duplicate' }, kind: 'monitor' }),
        await us.request('POST', '/api/users', { partyId: partyId.ru, email: 'x@truce.demo', displayName: 'x', password: 'a long enough password', roles: ['analyst'] }),
        await us.request('POST', '/api/parties/us/keys', { name: 'bad', publicKey: 'A'.repeat(60), validFrom: '2026-01-01T00:00:00Z' }),
        await monitor.request('POST', '/api/api-keys', { name: 'too wide', scopes: ['party.manage'] }),
        await t.app.inject({ method: 'POST', url: '/api/api-keys', headers: { cookie: monitor.cookie }, payload: { name: 'no csrf', scopes: ['submission.read'] } }),
      ]
      expect(refused.map((r) => r.statusCode)).toEqual([403, 409, 403, 400, 400, 403])
      expect(await lastSeq()).toBe(before)
    })
  })

  describe('append-only', () => {
    const attempts = [
      ['UPDATE', sql`update submissions set kind = 'forged'`],
      ['UPDATE of one row', sql`update submissions set payload = '{}' where seq = (select min(seq) from submissions)`],
      ['DELETE', sql`delete from submissions`],
      ['TRUNCATE … CASCADE', sql`truncate submissions cascade`],
    ] as const

    it.each(attempts)('the database refuses %s on submissions', async (_, statement) => {
      const before = await t.db.kysely.selectFrom('submissions').selectAll().orderBy('seq').execute()
      await expect(statement.execute(t.db.kysely)).rejects.toThrow(/append-only/)
      expect(await t.db.kysely.selectFrom('submissions').selectAll().orderBy('seq').execute()).toEqual(before)
    })

    it('the database refuses a plain TRUNCATE too', async () => {
      const before = await lastSeq()
      await expect(sql`truncate submissions`.execute(t.db.kysely)).rejects.toThrow()
      expect(await lastSeq()).toBe(before)
    })
  })

  describe('who may read it', () => {
    const listAll = async (request: (method: string, url: string) => Promise<LightMyRequestResponse>) => {
      const items: Listed[] = []
      let cursor: string | null = null
      do {
        const res = await request('GET', `/api/submissions?limit=7${cursor ? `&cursor=${cursor}` : ''}`)
        expect(res.statusCode).toBe(200)
        const page = res.json() as { items: Listed[]; nextCursor: string | null }
        items.push(...page.items)
        cursor = page.nextCursor
      } while (cursor)
      return items
    }

    it('is closed to a reporter, who lacks submission.read', async () => {
      const reporter = await signIn(t.app, DEMO.reporter)
      expect((await reporter.request('GET', '/api/submissions')).statusCode).toBe(403)
      const any = await t.db.kysely.selectFrom('submissions').select('id').where('visibility', '=', 'public').executeTakeFirstOrThrow()
      expect((await reporter.request('GET', `/api/submissions/${any.id}`)).statusCode).toBe(403)
      expect((await anonymous(t.app).request('GET', '/api/submissions')).statusCode).toBe(401)
    })

    it('hides a party\'s internal API-key submission from another party, answering exactly like a missing one', async () => {
      const created = await monitor.request('POST', '/api/api-keys', { name: 'osce internal', scopes: ['submission.read'] })
      expect(created.statusCode).toBe(201)
      const { id: keyId, token } = created.json() as { id: string; token: string }
      const hidden = await t.db.kysely.selectFrom('submissions').selectAll().where('subject_id', '=', keyId).executeTakeFirstOrThrow()
      expect(hidden).toMatchObject({ visibility: 'internal', party_id: partyId.osce })

      const analyst = await signIn(t.app, DEMO.analyst)
      expect((await listAll(analyst.request)).map((s) => s.id)).not.toContain(hidden.id)
      const filtered = await analyst.request('GET', `/api/submissions?partyId=${partyId.osce}&limit=500`)
      expect((filtered.json() as { items: Listed[] }).items.map((s) => s.id)).not.toContain(hidden.id)

      const asked = await analyst.request('GET', `/api/submissions/${hidden.id}`)
      const missing = await analyst.request('GET', `/api/submissions/${randomUUID()}`)
      expect(asked.statusCode).toBe(404)
      expect(asked.statusCode).toBe(missing.statusCode)
      expect(withoutRequestId(asked.json())).toEqual(withoutRequestId(missing.json()))

      // Its own party sees it, by session and by API key.
      const own = await monitor.request('GET', `/api/submissions/${hidden.id}`)
      expect(own.statusCode).toBe(200)
      expect(own.json()).toMatchObject({ id: hidden.id, kind: 'apikey.create', payloadSha256: hidden.payload_sha256, payload: hidden.payload })
      const byKey = await t.app.inject({ method: 'GET', url: `/api/submissions/${hidden.id}`, headers: { authorization: `Bearer ${token}` } })
      expect(byKey.statusCode).toBe(200)
    })

    it('lists to each reader exactly the submissions the disclosure rules allow, oldest first', async () => {
      const rows = await t.db.kysely.selectFrom('submissions').selectAll().orderBy('seq').execute()
      // The record holds every kind of disclosure this check is about.
      expect([...new Set(rows.map((r) => r.visibility))]).toEqual(expect.arrayContaining(['public', 'restricted', 'internal']))
      for (const [email, slug] of [[DEMO.analyst, 'un-osesy'], [DEMO.coordinatorRu, 'ru'], [DEMO.humanitarian, 'ocha'], [DEMO.monitor, 'osce']] as const) {
        const viewer = partyId[slug]!
        const expected = rows.filter((r) => r.visibility === 'public' || r.visibility === 'parties'
          || (r.visibility === 'restricted' && (r.owner_party_id === viewer || r.restricted_to.includes(viewer)))
          || (r.visibility === 'internal' && r.owner_party_id === viewer)).map((r) => r.id)
        const listed = await listAll((await signIn(t.app, email)).request)
        expect(listed.map((s) => s.id), email).toEqual(expected)
        for (const s of listed) expect(s.payloadSha256).toBe(sha256(s.payload))
      }
    })
  })
})
