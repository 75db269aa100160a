import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anonymous, DEMO, makeTestApp, signIn, type Session, type TestApp } from '../../../test/helpers/app.ts'
import { dialects } from '../../../test/helpers/db.ts'

type ErrorBody = { error: { code: string; message: string; details: { path?: string; code?: string }[] }; requestId: string }
type Party = { id: string; slug: string; kind: string; name: Record<string, string> }
type User = { id: string; partyId: string; email: string; roles: string[] }
type PartyKey = { id: string; partyId: string; publicKey: string; fingerprint: string; validFrom: string; validTo: string | null; revokedAt: string | null; replacesId: string | null }

/** A fresh Ed25519 key pair's public key: 32 raw bytes, base64 (the last 32 bytes of its SPKI DER). */
function newPublicKey(): { base64: string; pem: string; raw: Buffer } {
  const { publicKey } = generateKeyPairSync('ed25519')
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32)
  return { base64: raw.toString('base64'), pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(), raw }
}

/** y = 2 has no x on edwards25519: 32 well-formed bytes that are not a public key. */
const NOT_A_POINT = Buffer.concat([Buffer.from([2]), Buffer.alloc(31)]).toString('base64')

describe.each(dialects())('parties, users and keys API on %s', (dialect) => {
  let t: TestApp
  let admin: Session
  let us: Session
  let ru: Session
  const party: Record<string, Party> = {}
  beforeAll(async () => {
    t = await makeTestApp(dialect)
    ;[admin, us, ru] = await Promise.all([signIn(t.app, DEMO.admin), signIn(t.app, DEMO.coordinatorUs), signIn(t.app, DEMO.coordinatorRu)])
    const items = ((await anonymous(t.app).request('GET', '/api/parties?limit=200')).json() as { items: Party[] }).items
    for (const p of items) party[p.slug] = p
  })
  afterAll(async () => { await t?.close() })

  const submissionsOf = (subjectId: string) =>
    t.db.kysely.selectFrom('submissions').selectAll().where('subject_id', '=', subjectId).orderBy('seq').execute()

  describe('parties', () => {
    it('lists every party to anyone, page by page', async () => {
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const res = await anonymous(t.app).request('GET', `/api/parties?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
        expect(res.statusCode).toBe(200)
        const page = res.json() as { items: Party[]; nextCursor: string | null }
        expect(page.items.length).toBeLessThanOrEqual(3)
        seen.push(...page.items.map((p) => p.slug))
        cursor = page.nextCursor
      } while (cursor)
      expect(seen).toEqual(['de', 'fr', 'ocha', 'orldo', 'osce', 'public', 'ru', 'ua', 'un-osesy', 'us'])
    })

    it('shows one party by slug or by id, and 404 for neither', async () => {
      const bySlug = await anonymous(t.app).request('GET', '/api/parties/osce')
      expect(bySlug.statusCode).toBe(200)
      expect(bySlug.json()).toMatchObject({ slug: 'osce', kind: 'monitor', name: { en: 'OSCE (Special Monitoring Mission to Ukraine)' } })
      const byId = await anonymous(t.app).request('GET', `/api/parties/${party.osce!.id}`)
      expect(byId.json()).toEqual(bySlug.json())
      const missing = await anonymous(t.app).request('GET', '/api/parties/atlantis')
      expect(missing.statusCode).toBe(404)
      expect((missing.json() as ErrorBody).error.code).toBe('not_found')
    })

    it('lets an admin create a party, recording the submission', async () => {
      const res = await admin.request('POST', '/api/parties', { slug: 'au', name: { en: 'African Union', ar: 'الاتحاد الأفريقي' }, kind: 'monitor' })
      expect(res.statusCode).toBe(201)
      const created = res.json() as Party
      expect(created).toMatchObject({ slug: 'au', kind: 'monitor', name: { en: 'African Union' } })
      expect((await anonymous(t.app).request('GET', '/api/parties/au')).json()).toEqual(created)

      const me = (await admin.request('GET', '/api/auth/me')).json() as { userId: string; partyId: string }
      const [submission, ...more] = await submissionsOf(created.id)
      expect(more).toEqual([])
      expect(submission).toMatchObject({ kind: 'party.create', party_id: me.partyId, user_id: me.userId, visibility: 'public' })
      expect(JSON.parse(submission!.payload)).toEqual({ id: created.id, slug: 'au', name: { en: 'African Union', ar: 'الاتحاد الأفريقي' }, kind: 'monitor' })
    })

    it('refuses a second party with the same slug, and invalid input', async () => {
      const dup = await admin.request('POST', '/api/parties', { slug: 'us', name: { en: 'Again' }, kind: 'guarantor' })
      expect(dup.statusCode).toBe(409)
      expect((dup.json() as ErrorBody).error.code).toBe('already_exists')
      const bad = await admin.request('POST', '/api/parties', { slug: 'X!', name: {}, kind: 'empire' })
      expect(bad.statusCode).toBe(400)
      expect((bad.json() as ErrorBody).error.details.map((d) => d.path).sort()).toEqual(['body.kind', 'body.name', 'body.slug'])
    })

    it('does not let a coordinator create a party', async () => {
      const res = await us.request('POST', '/api/parties', { slug: 'us-two', name: { en: 'Another US' }, kind: 'guarantor' })
      expect(res.statusCode).toBe(403)
      expect((await anonymous(t.app).request('GET', '/api/parties/us-two')).statusCode).toBe(404)
    })
  })

  describe('users', () => {
    const newUser = (partyId: string, email: string, roles: string[]) =>
      ({ partyId, email, displayName: email.split('@')[0], password: 'a long enough password', roles })

    it('lets a coordinator create a user in their own party, who can then sign in', async () => {
      const res = await us.request('POST', '/api/users', newUser(party.us!.id, 'Analyst.US@Truce.Demo', ['analyst']))
      expect(res.statusCode).toBe(201)
      const created = res.json() as User
      expect(created).toMatchObject({ partyId: party.us!.id, email: 'analyst.us@truce.demo', roles: ['analyst'] })
      expect(res.body).not.toContain('password')
      const [submission] = await submissionsOf(created.id)
      expect(submission).toMatchObject({ kind: 'user.create', party_id: party.us!.id, visibility: 'restricted' })
      expect(submission!.payload).not.toContain('a long enough password')
      const signedIn = await signIn(t.app, 'analyst.us@truce.demo', 'a long enough password')
      expect((await signedIn.request('GET', '/api/auth/me')).json()).toMatchObject({ roles: ['analyst'], partyId: party.us!.id })
    })

    it('does not let a coordinator create users in another party, or admins anywhere', async () => {
      const cases = [
        newUser(party.ru!.id, 'mole@truce.demo', ['analyst']),
        newUser(party.us!.id, 'root@truce.demo', ['admin']),
        newUser(party.us!.id, 'root2@truce.demo', ['analyst', 'admin']),
      ]
      for (const body of cases) {
        const res = await us.request('POST', '/api/users', body)
        expect(res.statusCode, body.email).toBe(403)
        expect((res.json() as ErrorBody).error.code).toBe('forbidden')
        expect(await t.db.kysely.selectFrom('users').select('id').where('email', '=', body.email).executeTakeFirst()).toBeUndefined()
      }
    })

    it('lets an admin create users of any party and any role', async () => {
      const res = await admin.request('POST', '/api/users', newUser(party.ru!.id, 'admin.ru@truce.demo', ['admin']))
      expect(res.statusCode).toBe(201)
    })

    it('refuses a taken email and an unknown party', async () => {
      const taken = await admin.request('POST', '/api/users', newUser(party.us!.id, DEMO.coordinatorUs, ['analyst']))
      expect(taken.statusCode).toBe(409)
      const unknown = await admin.request('POST', '/api/users', newUser('00000000-0000-4000-8000-000000000000', 'lost@truce.demo', ['analyst']))
      expect(unknown.statusCode).toBe(400)
      expect(unknown.json()).toMatchObject({ error: { code: 'unknown_party', details: [{ path: 'body.partyId' }] } })
    })

    it('shows an admin every user, and a coordinator only their own party\'s', async () => {
      const all = ((await admin.request('GET', '/api/users?limit=200')).json() as { items: User[] }).items
      expect(all.map((u) => u.email)).toEqual(expect.arrayContaining(Object.values(DEMO)))
      expect(new Set(all.map((u) => u.partyId)).size).toBeGreaterThan(3)

      const res = await us.request('GET', '/api/users?limit=200')
      expect(res.statusCode).toBe(200)
      const own = (res.json() as { items: User[] }).items
      expect(own.map((u) => u.email)).toContain(DEMO.coordinatorUs)
      expect(own.every((u) => u.partyId === party.us!.id)).toBe(true)
      expect(own.length).toBe(all.filter((u) => u.partyId === party.us!.id).length)
      expect(res.body).not.toContain('scrypt')

      // Asking for another party's users does not widen the view.
      const other = await us.request('GET', `/api/users?partyId=${party.ru!.id}`)
      expect((other.json() as { items: User[] }).items).toEqual([])
    })

    it('does not show users to roles without user.manage', async () => {
      const monitor = await signIn(t.app, DEMO.monitor)
      expect((await monitor.request('GET', '/api/users')).statusCode).toBe(403)
    })
  })

  describe('Ed25519 party keys', () => {
    const register = (s: Session, slug: string, body: Record<string, unknown>) => s.request('POST', `/api/parties/${slug}/keys`, body)
    const keysOf = async (slug: string) =>
      ((await anonymous(t.app).request('GET', `/api/parties/${slug}/keys`)).json() as { items: PartyKey[] }).items

    it('registers a real key and publishes it to anyone', async () => {
      const key = newPublicKey()
      const res = await register(us, 'us', { name: 'signing 2026', publicKey: key.base64, validFrom: '2026-01-01T00:00:00Z' })
      expect(res.statusCode).toBe(201)
      const created = res.json() as PartyKey
      expect(created).toMatchObject({
        partyId: party.us!.id, algorithm: 'ed25519', publicKey: key.base64, validFrom: '2026-01-01T00:00:00.000Z', validTo: null, revokedAt: null,
      })
      expect(created.fingerprint).toBe(createHash('sha256').update(key.raw).digest('hex'))
      expect((await keysOf('us')).map((k) => k.id)).toContain(created.id)
      const [submission] = await submissionsOf(created.id)
      expect(submission).toMatchObject({ kind: 'partykey.register', party_id: party.us!.id, visibility: 'public' })
    })

    it('accepts the key as an SPKI PEM too, storing the same raw bytes', async () => {
      const key = newPublicKey()
      const res = await register(us, 'us', { name: 'from pem', publicKey: key.pem, validFrom: '2026-01-01T00:00:00Z' })
      expect(res.statusCode).toBe(201)
      expect((res.json() as PartyKey).publicKey).toBe(key.base64)
    })

    it('refuses bytes that are not an Ed25519 public key, naming body.publicKey, and stores nothing', async () => {
      const x25519 = generateKeyPairSync('x25519').publicKey.export({ format: 'pem', type: 'spki' }).toString()
      const before = (await keysOf('us')).length
      for (const publicKey of ['!'.repeat(44), randomBytes(48).toString('base64'), randomBytes(31).toString('base64') + 'AAAA', NOT_A_POINT, x25519]) {
        const res = await register(us, 'us', { name: 'bad', publicKey, validFrom: '2026-01-01T00:00:00Z' })
        expect(res.statusCode, publicKey).toBe(400)
        const body = res.json() as ErrorBody
        expect(body.error.code, publicKey).toBe('invalid_public_key')
        expect(body.error.details[0]?.path).toBe('body.publicKey')
      }
      expect((await keysOf('us')).length).toBe(before)
    })

    it('refuses the same key twice', async () => {
      const key = newPublicKey()
      expect((await register(us, 'us', { name: 'once', publicKey: key.base64, validFrom: '2026-01-01T00:00:00Z' })).statusCode).toBe(201)
      const again = await register(admin, 'ru', { name: 'twice', publicKey: key.base64, validFrom: '2026-01-01T00:00:00Z' })
      expect(again.statusCode).toBe(409)
    })

    it('rotates: the replaced key stops being valid where the new one starts', async () => {
      const first = (await register(us, 'us', { name: 'gen 1', publicKey: newPublicKey().base64, validFrom: '2026-01-01T00:00:00Z' })).json() as PartyKey
      const res = await register(us, 'us', { name: 'gen 2', publicKey: newPublicKey().base64, validFrom: '2026-06-01T12:00:00Z', replacesId: first.id })
      expect(res.statusCode).toBe(201)
      const second = res.json() as PartyKey
      expect(second.replacesId).toBe(first.id)
      const listed = await keysOf('us')
      expect(listed.find((k) => k.id === first.id)?.validTo).toBe('2026-06-01T12:00:00.000Z')
      expect(listed.find((k) => k.id === second.id)?.validTo).toBeNull()

      // A replacement must start after the key it replaces.
      const early = await register(us, 'us', { name: 'gen 3', publicKey: newPublicKey().base64, validFrom: '2026-06-01T12:00:00Z', replacesId: second.id })
      expect(early.statusCode).toBe(400)
      expect(early.json()).toMatchObject({ error: { code: 'inverted_interval', details: [{ path: 'body.validFrom', code: 'inverted_interval' }] } })
      // Only a key of the same party can be replaced.
      const ruKey = (await register(ru, 'ru', { name: 'ru key', publicKey: newPublicKey().base64, validFrom: '2026-01-01T00:00:00Z' })).json() as PartyKey
      const foreign = await register(us, 'us', { name: 'gen 3', publicKey: newPublicKey().base64, validFrom: '2026-09-01T00:00:00Z', replacesId: ruKey.id })
      expect(foreign.statusCode).toBe(400)
      expect((foreign.json() as ErrorBody).error.code).toBe('unknown_key')
      expect((await keysOf('ru')).find((k) => k.id === ruKey.id)?.validTo).toBeNull()
    })

    it('refuses an empty or inverted validity interval on body.validTo', async () => {
      for (const validTo of ['2025-12-31T00:00:00Z', '2026-01-01T00:00:00Z']) {
        const res = await register(us, 'us', { name: 'backwards', publicKey: newPublicKey().base64, validFrom: '2026-01-01T00:00:00Z', validTo })
        expect(res.statusCode).toBe(400)
        expect((res.json() as ErrorBody).error.details).toContainEqual(expect.objectContaining({ path: 'body.validTo', code: 'inverted_interval' }))
      }
    })

    it('does not let another party\'s coordinator register keys for my party; an admin may', async () => {
      const key = newPublicKey()
      const res = await register(ru, 'us', { name: 'planted', publicKey: key.base64, validFrom: '2026-01-01T00:00:00Z' })
      expect(res.statusCode).toBe(403)
      expect((await keysOf('us')).map((k) => k.publicKey)).not.toContain(key.base64)
      expect((await register(admin, 'us', { name: 'onboarding', publicKey: key.base64, validFrom: '2026-01-01T00:00:00Z' })).statusCode).toBe(201)
    })

    it('revokes a key once, and only for its own party', async () => {
      const key = (await register(us, 'us', { name: 'to revoke', publicKey: newPublicKey().base64, validFrom: '2026-01-01T00:00:00Z' })).json() as PartyKey

      const foreign = await ru.request('POST', `/api/parties/us/keys/${key.id}/revoke`)
      expect(foreign.statusCode).toBe(404)
      expect((await keysOf('us')).find((k) => k.id === key.id)?.revokedAt).toBeNull()

      const res = await us.request('POST', `/api/parties/us/keys/${key.id}/revoke`)
      expect(res.statusCode).toBe(200)
      const revoked = res.json() as PartyKey
      expect(revoked.revokedAt).not.toBeNull()
      expect((await keysOf('us')).find((k) => k.id === key.id)?.revokedAt).toBe(revoked.revokedAt)

      const again = await us.request('POST', `/api/parties/us/keys/${key.id}/revoke`)
      expect((again.json() as PartyKey).revokedAt).toBe(revoked.revokedAt)
      expect((await submissionsOf(key.id)).map((s) => s.kind)).toEqual(['partykey.register', 'partykey.revoke'])

      const missing = await us.request('POST', '/api/parties/us/keys/00000000-0000-4000-8000-000000000000/revoke')
      expect(missing.statusCode).toBe(404)
    })
  })
})
