// The SMS webhook on both databases: a gateway's form-encoded message about a place the map
// names becomes an anonymous public report (the sender's number is not kept), a redelivery adds
// nothing, a message without a place is acknowledged and not recorded, and a wrong token or an
// unknown payload is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anonymous, DEMO, makeTestApp, signIn, type TestApp } from '../../../test/helpers/app.ts'
import { dialects } from '../../../test/helpers/db.ts'

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()

describe.each(dialects())('the SMS webhook on %s', (dialect) => {
  let t: TestApp
  const post = (body: string, token = 'gw-secret', type = 'application/x-www-form-urlencoded') =>
    anonymous(t.app).request('POST', `/api/sms/inbound?token=${token}`, body, { 'content-type': type })

  beforeAll(async () => { t = await makeTestApp(dialect, { TRUCE_SMS_WEBHOOK_TOKEN: 'gw-secret' }) })
  afterAll(async () => { await t?.close() })

  it('records a message about a named place as an anonymous public report, once', async () => {
    const twilio = form({ MessageSid: 'SM0001', AccountSid: 'AC1', From: '+963944000111', To: '+12025550100', Body: 'Shelling in Madaya this morning, 3 killed' })
    const res = await post(twilio)
    expect(res.statusCode, res.body).toBe(200)
    const out = res.json() as { accepted: boolean; reportId: string; replayed: boolean }
    expect(out).toMatchObject({ accepted: true, replayed: false })
    const again = await post(twilio)
    expect(again.json()).toMatchObject({ accepted: true, replayed: true, reportId: out.reportId })
    const monitor = await signIn(t.app, DEMO.monitor)
    const report = (await monitor.request('GET', `/api/reports/${out.reportId}`)).json() as { channel: string; category: string; coarsened: boolean; description: string; anonymous: boolean }
    expect(report).toMatchObject({ channel: 'sms', category: 'shelling', coarsened: true, anonymous: true })
    const row = await t.db.kysely.selectFrom('reports').selectAll().where('id', '=', out.reportId).executeTakeFirstOrThrow()
    expect(JSON.stringify(row)).not.toContain('963944000111')
  })

  it('acknowledges a message it cannot place without recording it, and refuses a wrong token or an unknown payload', async () => {
    const before = Number((await t.db.kysely.selectFrom('reports').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
    const vague = await post(form({ MessageSid: 'SM0002', From: '+963944000112', Body: 'hello is anyone there' }))
    expect(vague.json()).toMatchObject({ accepted: false, reportId: null })
    expect((await post(form({ MessageSid: 'SM0003', From: '+1', Body: 'shelling in Madaya' }), 'wrong')).statusCode).toBe(401)
    const unknown = await post(JSON.stringify({ hello: 'world' }), 'gw-secret', 'application/json')
    expect(unknown.statusCode).toBe(400)
    expect(Number((await t.db.kysely.selectFrom('reports').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(before)
  })
})
