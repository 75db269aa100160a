// A party signs what it submits with its own Ed25519 key; the submission keeps the statement,
// the signature and the key, and its log entry says the party signed it. Unsigned submissions
// are attested by the server, and the entry says that instead.
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalize } from '../src/lib/canonical-json.ts'
import { signatureHeader } from '../src/cli/commands/sign.ts'
import { logEntry, entryBytes } from '../src/modules/ledger/entry.ts'
import { DEMO, makeTestApp, signIn, type Session, type TestApp } from './helpers/app.ts'
import { dialects } from './helpers/db.ts'

const rawPublic = (k: ReturnType<typeof generateKeyPairSync>['publicKey']) =>
  k.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64')

describe.each(dialects())('signed requests on %s', (dialect) => {
  let t: TestApp
  let us: Session
  let ru: Session
  let keyId: string
  let provisionPath: string
  const usKeys = generateKeyPairSync('ed25519')
  const usPem = usKeys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()

  const submissionsCount = async () => Number((await t.db.kysely.selectFrom('submissions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

  beforeAll(async () => {
    t = await makeTestApp(dialect)
    us = await signIn(t.app, DEMO.coordinatorUs)
    ru = await signIn(t.app, DEMO.coordinatorRu)
    const registered = await us.request('POST', '/api/parties/us/keys', {
      name: 'US cell 2016', publicKey: rawPublic(usKeys.publicKey), validFrom: new Date(Date.now() - 60_000).toISOString(),
    })
    expect(registered.statusCode).toBe(201)
    keyId = (registered.json() as { id: string }).id
    const detail = (await us.request('GET', '/api/agreements/syria-coh-2016')).json() as { provisions: { id: string; number: string }[] }
    provisionPath = `/api/agreements/syria-coh-2016/provisions/${detail.provisions.find((p) => p.number === '2')!.id}/status`
  })
  afterAll(async () => { await t?.close() })

  const body = { level: 1, asOf: '2016-03-20T00:00:00Z', evidence: 'Signed by the US cell with its own key.' }

  it('keeps the party signature with the submission and names the submission in the response', async () => {
    const res = await us.request('POST', provisionPath, body, { 'x-truce-signature': signatureHeader(usPem, keyId, 'POST', provisionPath, body) })
    expect(res.statusCode).toBe(201)
    const ids = String(res.headers['x-truce-submissions']).split(',')
    expect(ids).toHaveLength(1)
    const row = await t.db.kysely.selectFrom('submissions').selectAll().where('id', '=', ids[0]!).executeTakeFirstOrThrow()
    expect(row.party_key_id).toBe(keyId)
    expect(row.statement).toBe(canonicalize({ method: 'POST', path: provisionPath, body }))
    expect(verify(null, Buffer.from(row.statement!), usKeys.publicKey, Buffer.from(row.statement_signature!, 'base64'))).toBe(true)

    const attestor = { keyName: 'test-log', privateKey: generateKeyPairSync('ed25519').privateKey }
    const entry = logEntry(row, attestor)
    expect(entry.signature).toMatchObject({ by: 'party', partyKeyId: keyId })
    expect(JSON.parse(entryBytes(entry).toString())).toEqual(entry)
  })

  it('signs an upload by the SHA-256 of the file it sends, checked once the file is read', async () => {
    expect((await us.request('POST', '/api/geo/layers', { slug: 'signed-upload', kind: 'admin', title: { en: 'Signed upload' } })).statusCode).toBe(201)
    const file = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'A' }, geometry: { type: 'Polygon', coordinates: [[[1, 1], [2, 1], [2, 2], [1, 1]]] } }] }))
    const path = '/api/geo/layers/signed-upload/import?fileName=a.geojson'
    const sha256 = createHash('sha256').update(file).digest('hex')
    const upload = (signature: string) => us.request('POST', path, file, { 'content-type': 'application/octet-stream', 'x-truce-signature': signature })
    const before = await submissionsCount()
    const forged = await upload(signatureHeader(usPem, keyId, 'POST', path, { sha256: sha256.replace(/^./, (c) => (c === '0' ? '1' : '0')) }))
    expect(forged.statusCode).toBe(401)
    expect(forged.json().error.code).toBe('invalid_signature')
    expect(await submissionsCount()).toBe(before)
    const res = await upload(signatureHeader(usPem, keyId, 'POST', path, { sha256 }))
    expect(res.statusCode, res.body).toBe(201)
    const imported = await t.db.kysely.selectFrom('geo_imports as i').innerJoin('submissions as s', 's.id', 'i.submission_id')
      .select(['s.party_key_id', 's.statement']).where('i.id', '=', (res.json() as { importId: string }).importId).executeTakeFirstOrThrow()
    expect(imported.party_key_id).toBe(keyId)
    expect(imported.statement).toBe(canonicalize({ method: 'POST', path, body: { sha256 } }))
  })

  it('has the server attest an unsigned submission, and the entry says so', async () => {
    const res = await us.request('POST', provisionPath, { ...body, evidence: 'Sent without a party signature.' })
    expect(res.statusCode).toBe(201)
    const id = String(res.headers['x-truce-submissions'])
    const row = await t.db.kysely.selectFrom('submissions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.statement).toBeNull()
    const server = generateKeyPairSync('ed25519')
    const entry = logEntry(row, { keyName: 'test-log', privateKey: server.privateKey })
    expect(entry.signature.by).toBe('server')
    const sig = (entry.signature as { signature: string }).signature
    expect(verify(null, Buffer.from(row.payload), server.publicKey, Buffer.from(sig, 'base64'))).toBe(true)
  })

  it.each([
    ['a signature over another body', () => signatureHeader(usPem, keyId, 'POST', provisionPath, { ...body, level: 3 })],
    ['a signature over another path', () => signatureHeader(usPem, keyId, 'POST', '/api/agreements', body)],
    ['an unknown key id', () => signatureHeader(usPem, '00000000-0000-4000-8000-000000000000', 'POST', provisionPath, body)],
    ['a header that is not keyid/sig', () => 'sig-without-key'],
    ['a signature by a key the party never registered', () => {
      const other = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
      return signatureHeader(other, keyId, 'POST', provisionPath, body)
    }],
  ])('refuses %s with 401 invalid_signature and writes nothing', async (_label, header) => {
    const before = await submissionsCount()
    const res = await us.request('POST', provisionPath, body, { 'x-truce-signature': header() })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toMatchObject({ error: { code: 'invalid_signature', details: [{ path: 'header.x-truce-signature' }] } })
    expect(await submissionsCount()).toBe(before)
  })

  it("refuses another party's key: the Russian cell cannot sign with the US key", async () => {
    const res = await ru.request('POST', provisionPath, body, { 'x-truce-signature': signatureHeader(usPem, keyId, 'POST', provisionPath, body) })
    expect(res.statusCode).toBe(401)
  })

  it('refuses a revoked key', async () => {
    const other = generateKeyPairSync('ed25519')
    const reg = await us.request('POST', '/api/parties/us/keys', { name: 'short-lived', publicKey: rawPublic(other.publicKey), validFrom: new Date(Date.now() - 1000).toISOString() })
    const id = (reg.json() as { id: string }).id
    expect((await us.request('POST', `/api/parties/us/keys/${id}/revoke`)).statusCode).toBe(200)
    const pem = other.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
    const sig = sign(null, Buffer.from(canonicalize({ method: 'POST', path: provisionPath, body })), other.privateKey).toString('base64')
    expect(signatureHeader(pem, id, 'POST', provisionPath, body)).toBe(`keyid=${id}, sig=${sig}`)
    const res = await us.request('POST', provisionPath, body, { 'x-truce-signature': `keyid=${id}, sig=${sig}` })
    expect(res.statusCode).toBe(401)
  })
})
