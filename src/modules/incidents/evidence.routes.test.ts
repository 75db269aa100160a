// Evidence on reports through the API on both databases: a party's photo kept as sent, a public
// reporter's photo stripped of its location unless they opt in, the type read from the bytes
// (a program called photo.jpg is refused and not stored), the same bytes stored once, and the
// file served only to those who may see a report that holds it.
import { readdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anonymous, DEMO, makeTestApp, signIn, type Session, type TestApp } from '../../../test/helpers/app.ts'
import { dialects } from '../../../test/helpers/db.ts'
import { readLocation } from './evidence/metadata.ts'
import { buildJpeg, jpegSegments, phoneExif } from './evidence/test-files.ts'

type Evidence = { sha256: string; metadata: { handling: string; locationFound: boolean }; created: boolean }

const photo = () => buildJpeg({ app: [jpegSegments.jfif(), jpegSegments.exif(phoneExif({ lat: 33.5731, lon: 36.4003 }))] })
const shelling = {
  occurredAt: '2016-03-15T06:30:00Z', where: { kind: 'point', lon: 36.4, lat: 33.57 }, category: 'shelling',
  description: 'Shelling of Douma.', sources: [{ kind: 'monitor_observation', reliability: 'A' }],
}
const files = (root: string): string[] => {
  try { return readdirSync(root, { recursive: true }).map(String).filter((f) => /[0-9a-f]{64}$/.test(f)) } catch { return [] }
}

describe.each(dialects())('evidence on %s', (dialect) => {
  let t: TestApp
  let monitor: Session
  let us: Session
  let reportId: string
  const send = (who: { request: Session['request'] }, url: string, bytes: Buffer, headers: Record<string, string> = {}) =>
    who.request('POST', url, bytes, { 'content-type': 'image/jpeg', ...headers })

  beforeAll(async () => {
    t = await makeTestApp(dialect)
    monitor = await signIn(t.app, DEMO.monitor)
    us = await signIn(t.app, DEMO.coordinatorUs)
    reportId = ((await monitor.request('POST', '/api/reports', shelling)).json() as { id: string }).id
  })
  afterAll(async () => { await t?.close() })

  it('keeps a party’s photo as sent, stores the same bytes once, and serves it to whoever may see the report', async () => {
    const bytes = photo()
    const first = await send(monitor, `/api/reports/${reportId}/evidence`, bytes)
    expect(first.statusCode, first.body).toBe(201)
    const ev = first.json() as Evidence
    expect(ev.metadata).toMatchObject({ handling: 'kept', locationFound: true })
    expect((await send(monitor, `/api/reports/${reportId}/evidence`, bytes)).json()).toMatchObject({ sha256: ev.sha256, created: false })
    const served = await us.request('GET', `/api/evidence/${ev.sha256}`)
    expect(served.statusCode).toBe(200)
    expect(served.headers['content-type']).toBe('image/jpeg')
    expect(Buffer.compare(served.rawPayload, bytes)).toBe(0)
    expect((await us.request('POST', `/api/reports/${reportId}/evidence`, bytes, { 'content-type': 'image/jpeg' })).statusCode).toBe(403)
    expect((await anonymous(t.app).request('GET', `/api/evidence/${ev.sha256}`)).statusCode).toBe(401)
  })

  it('strips the location from a public reporter’s photo unless they opt in, with the report’s own key', async () => {
    const pub = anonymous(t.app)
    const key = 'public-device-key-1'
    const sent = await pub.request('POST', '/api/public/reports', { occurredAt: '2016-03-15T07:00:00Z', where: { kind: 'point', lon: 36.4, lat: 33.57 }, category: 'civilian_harm', description: 'Hit near the market.' }, { 'idempotency-key': key })
    const id = (sent.json() as { id: string }).id
    expect((await send(pub, `/api/public/reports/${id}/evidence`, photo())).statusCode).toBe(404)
    const stripped = await send(pub, `/api/public/reports/${id}/evidence`, photo(), { 'idempotency-key': key })
    expect(stripped.statusCode, stripped.body).toBe(201)
    const ev = stripped.json() as Evidence
    expect(ev.metadata).toMatchObject({ handling: 'stripped', locationFound: true })
    const stored = (await monitor.request('GET', `/api/evidence/${ev.sha256}`)).rawPayload
    expect(readLocation(stored) ?? null).toBeNull()
    const kept = (await send(pub, `/api/public/reports/${id}/evidence?keepLocation=true`, photo(), { 'idempotency-key': key })).json() as Evidence
    expect(kept.metadata.handling).toBe('kept')
  })

  it('reads the type from the bytes: a program named photo.jpg is refused and nothing is stored', async () => {
    const before = files(t.app.config.evidenceDir).length
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(256)])
    const res = await send(monitor, `/api/reports/${reportId}/evidence`, elf)
    expect(res.statusCode).toBe(415)
    expect(res.json().error.code).toBe('evidence_type_unsupported')
    const cut = photo().subarray(0, 40)
    expect((await send(monitor, `/api/reports/${reportId}/evidence`, cut)).statusCode).toBe(400)
    expect(files(t.app.config.evidenceDir).length).toBe(before)
  })
})
