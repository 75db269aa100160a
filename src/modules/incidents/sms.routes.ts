// The SMS/messaging webhook: a gateway posts an inbound message (form-encoded or JSON, in the
// style of Twilio, Africa's Talking, Vonage, Telerivet or plain JSON) to
// /api/sms/inbound?token=…; the message is read (sms/), its place found in a gazetteer of every
// area's names in every language, and a report recorded for the public party — anonymous: the
// sender's number is not stored. A redelivered message adds nothing (its id is the idempotency key).
import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { z } from 'zod'
import { AppError } from '../../lib/errors.ts'
import { defineRoute } from '../../lib/http.ts'
import { systemActor } from '../ledger/ledger.service.ts'
import type { ReportBody } from './reports.schemas.ts'
import { reportsService } from './reports.service.ts'
import { InboundSmsError, normaliseInbound, parseWebhookBody } from './sms/gateways.ts'
import { Gazetteer, type GazetteerArea } from './sms/gazetteer.ts'
import { parseMessage } from './sms/message.ts'

/** How long a gazetteer built from the map is reused before it is built again. */
const GAZETTEER_TTL_MS = 60_000

/** What a kind of layer's features are, for the precision a place name gives. */
const KIND_OF_LAYER: Record<string, string> = { admin: 'district', access: 'town', site: 'site', control: 'town', zone: 'region' }

const sameToken = (given: string, expected: string) => {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

export async function smsRoutes(app: FastifyInstance): Promise<void> {
  const reports = reportsService(app.db.kysely)
  let gazetteer: { built: number; value: Gazetteer } | null = null

  async function currentGazetteer(): Promise<Gazetteer> {
    if (gazetteer && Date.now() - gazetteer.built < GAZETTEER_TTL_MS) return gazetteer.value
    const rows = await sql<{ id: string; name: Record<string, string>; kind: string; lon: number; lat: number }>`
      select f.id, f.name, l.kind, st_x(st_pointonsurface(f.geom)) lon, st_y(st_pointonsurface(f.geom)) lat
      from geo_features f join geo_layers l on l.id = f.layer_id
      where l.kind in ('admin', 'access', 'site') and l.visibility = 'public' and f.visibility = 'public' and f.name <> '{}'::jsonb
        and not exists (select 1 from geo_feature_retractions r where r.feature_id = f.id)`.execute(app.db.kysely)
    const areas: GazetteerArea[] = rows.rows.map((r) => ({ id: r.id, names: r.name, centroid: [r.lon, r.lat], kind: KIND_OF_LAYER[r.kind] ?? 'town' }))
    gazetteer = { built: Date.now(), value: new Gazetteer(areas) }
    return gazetteer.value
  }

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body))

  defineRoute(app, {
    method: 'POST', url: '/api/sms/inbound', policy: 'public', tags: ['reports'],
    summary: 'An SMS gateway\'s webhook (form-encoded or JSON): the message becomes an anonymous public report when what happened and where can be read',
    query: z.strictObject({ token: z.string().min(1).max(500) }),
    body: z.union([z.string(), z.record(z.string(), z.unknown())]),
    response: z.object({
      accepted: z.boolean(), reportId: z.uuid().nullable(), replayed: z.boolean(),
      missing: z.array(z.string()).describe('what could not be read (a report needs what happened and where)'),
      confidence: z.number(),
    }),
    handler: async ({ query, body, request }) => {
      const expected = app.config.smsWebhookToken
      if (expected === undefined) throw new AppError(503, 'sms_closed', 'This platform takes no SMS: TRUCE_SMS_WEBHOOK_TOKEN is not set.')
      if (!sameToken(query.token, expected)) throw new AppError(401, 'sms_token_invalid', 'The webhook token is wrong.', [{ path: 'query.token', message: 'the token this platform gave the gateway' }])
      let message
      try {
        const payload = parseWebhookBody(typeof body === 'string' ? body : JSON.stringify(body), String(request.headers['content-type'] ?? ''))
        message = normaliseInbound(payload, { now: new Date() })
      } catch (e) {
        if (e instanceof InboundSmsError) throw new AppError(400, e.code, e.message, [{ path: 'body', message: e.message }])
        throw e
      }
      const parsed = parseMessage(message.text, { receivedAt: message.receivedAt, gazetteer: await currentGazetteer(), messageId: message.messageId })
      const r = parsed.report
      if (parsed.missing.length > 0 || r.category === undefined || r.where === undefined) {
        // Answered 200 so the gateway does not send it again; nothing is recorded that cannot be placed.
        request.log.info({ gateway: message.gateway, missing: parsed.missing }, 'SMS not understood')
        return { accepted: false, reportId: null, replayed: false, missing: parsed.missing, confidence: parsed.confidence }
      }
      const party = await app.db.kysely.selectFrom('parties').select(['id', 'kind']).where('kind', '=', 'public').orderBy('created_at').executeTakeFirst()
      if (!party) throw new AppError(503, 'public_reports_closed', 'This platform takes no public reports: it has no public party.')
      const key = `sms:${message.gateway}:${message.messageId}`
      const body2: ReportBody = {
        occurredAt: r.occurredAt ?? message.receivedAt, datePrecision: r.datePrecision ?? 1, where: r.where as ReportBody['where'], category: r.category,
        counts: r.counts, casualties: r.casualties as ReportBody['casualties'], perpetrator: r.perpetrator, target: r.target,
        description: message.text.slice(0, 20_000), language: parsed.language === 'und' ? undefined : parsed.language,
        sources: [{ kind: 'public', reliability: 'F', name: `SMS via ${message.gateway}` }], externalId: key, anonymous: true, visibility: 'parties',
      }
      const out = await reports.record({ ...systemActor(party.id), partyKind: party.kind }, body2, { channel: 'sms', idempotencyKey: key })
      return { accepted: true, reportId: out.id, replayed: out.replayed, missing: [], confidence: parsed.confidence }
    },
  })
}
