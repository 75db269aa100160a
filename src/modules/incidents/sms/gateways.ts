// Inbound SMS webhooks in the styles of the common gateways, made into one message shape. Each
// gateway posts its own field names, form-encoded or JSON:
//   Twilio           MessageSid (SmsMessageSid, SmsSid), From, To, Body, NumMedia, MediaUrl0…; no time
//   Africa's Talking id, from, to, text, date, linkId, networkCode
//   Vonage (Nexmo)   messageId, msisdn, to, text, type, message-timestamp, concat, concat-ref/-total/-part
//   Telerivet        event, id, message_type, from_number, to_number, content, time_created (Unix seconds)
//   generic JSON     id, from, text, timestamp (ISO 8601 or Unix seconds or milliseconds)
// The style is recognised from the fields (or named by the caller when each gateway has its own
// URL). A payload of no known style is refused naming what it lacks. Checking that the webhook
// really comes from the gateway (Twilio's signature, Telerivet's secret) is the route's job.

export const GATEWAYS = ['twilio', 'africastalking', 'vonage', 'telerivet', 'generic'] as const
export type Gateway = (typeof GATEWAYS)[number]

export type InboundMessage = {
  gateway: Gateway
  /** The gateway's id for the message: the report's externalId, so a redelivered webhook adds nothing. */
  messageId: string
  /** The sender: E.164 ("+963…") when the gateway gives digits, else as given (a short code, "whatsapp:+…"). */
  from: string
  to?: string
  text: string
  /** When the gateway received it (UTC, ISO 8601); the caller's clock when the gateway does not say. */
  receivedAt: string
  /** Pictures or recordings attached (MMS), by URL. */
  media?: string[]
  /** One part of a long message the gateway delivers in pieces (Vonage). */
  part?: { ref: string; index: number; total: number }
}

export type InboundErrorCode = 'sms_payload_unrecognised' | 'sms_payload_invalid' | 'sms_not_a_message'

export class InboundSmsError extends Error {
  override name = 'InboundSmsError'
  readonly code: InboundErrorCode
  /** The fields the closest style lacks, or the field that is wrong. */
  readonly fields: string[]
  constructor(code: InboundErrorCode, message: string, fields: string[] = []) {
    super(message)
    this.code = code
    this.fields = fields
  }
}

type Payload = Record<string, unknown>

/** The fields a style must have; a list inside is "one of these". */
const REQUIRED: Record<Gateway, (string | string[])[]> = {
  twilio: [['MessageSid', 'SmsMessageSid', 'SmsSid'], 'From', 'Body'],
  africastalking: ['id', 'from', 'text', 'date'],
  vonage: ['messageId', 'msisdn', 'text'],
  telerivet: ['id', 'from_number', 'content'],
  generic: ['id', 'from', 'text'],
}
const LABEL: Record<Gateway, string> = { twilio: 'Twilio', africastalking: "Africa's Talking", vonage: 'Vonage', telerivet: 'Telerivet', generic: 'generic JSON' }
/** Fields only one style has: they decide between styles with as many required fields present. */
const DISTINCTIVE: Record<Gateway, string[]> = {
  twilio: ['AccountSid', 'MessageSid', 'SmsMessageSid', 'NumMedia', 'ApiVersion'],
  africastalking: ['linkId', 'networkCode', 'date'],
  vonage: ['msisdn', 'message-timestamp', 'api-key', 'concat-ref'],
  telerivet: ['from_number', 'time_created', 'phone_id', 'event'],
  generic: ['timestamp'],
}

const has = (p: Payload, field: string | string[]) => (Array.isArray(field) ? field : [field]).some((f) => p[f] !== undefined && p[f] !== null)
const nameOf = (field: string | string[]) => (Array.isArray(field) ? field.join(' or ') : field)

/**
 * A webhook body as key → value: JSON when the content type says so (or the body starts with "{"),
 * else form-encoded (a repeated key keeps its last value).
 */
export function parseWebhookBody(body: string | Uint8Array, contentType = ''): Payload {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8')
  if (/json/i.test(contentType) || (!/form/i.test(contentType) && text.trimStart().startsWith('{'))) {
    let parsed: unknown
    try { parsed = JSON.parse(text) } catch { throw new InboundSmsError('sms_payload_invalid', 'the webhook body is not valid JSON') }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InboundSmsError('sms_payload_invalid', 'the webhook body is not a JSON object')
    return parsed as Payload
  }
  return Object.fromEntries(new URLSearchParams(text))
}

/** The style a payload is in, or an error naming what the closest style lacks. */
export function detectGateway(p: Payload): Gateway {
  const ranked = GATEWAYS.map((g) => ({
    g,
    present: REQUIRED[g].filter((f) => has(p, f)).length,
    complete: REQUIRED[g].every((f) => has(p, f)),
    distinctive: DISTINCTIVE[g].filter((f) => has(p, f)).length,
  })).sort((a, b) => Number(b.complete) - Number(a.complete) || b.distinctive - a.distinctive || b.present - a.present)
  const best = ranked[0]!
  if (best.complete) return best.g
  if (best.present === 0 && best.distinctive === 0) {
    const expected = GATEWAYS.map((g) => `${LABEL[g]} (${REQUIRED[g].map(nameOf).join(', ')})`).join('; ')
    throw new InboundSmsError('sms_payload_unrecognised', `not an SMS webhook of a known style; expected the fields of one of: ${expected}`)
  }
  const missing = REQUIRED[best.g].filter((f) => !has(p, f)).map(nameOf)
  throw new InboundSmsError('sms_payload_unrecognised', `looks like a ${LABEL[best.g]} webhook but lacks ${missing.join(', ')}`, missing)
}

const str = (p: Payload, ...fields: string[]): string | undefined => {
  for (const f of fields) {
    const v = p[f]
    if (typeof v === 'string') return v
    if (typeof v === 'number' || typeof v === 'bigint') return String(v)
  }
  return undefined
}

/** A sender as digits becomes E.164; anything else (short codes, "whatsapp:+…", names) stays as given. */
export function normalisePhone(value: string): string {
  const compact = value.trim().replace(/[\s().-]/g, '')
  if (/^\+\d{6,15}$/.test(compact)) return compact
  if (/^00\d{6,15}$/.test(compact)) return `+${compact.slice(2)}`
  if (/^\d{8,15}$/.test(compact)) return `+${compact}`
  return value.trim()
}

/**
 * An instant from what gateways send: ISO 8601 (with a zone, or without one meaning UTC as
 * Vonage and Africa's Talking write "2016-03-01 14:02:11"), or Unix time in seconds or milliseconds.
 */
export function parseGatewayTime(value: unknown, field: string): Date {
  const fail = () => new InboundSmsError('sms_payload_invalid', `${field} is not a time: ${JSON.stringify(value)}`, [field])
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()))) {
    const n = Number(value)
    if (!Number.isFinite(n) || n <= 0) throw fail()
    return new Date(n < 1e11 ? n * 1000 : n)
  }
  if (typeof value !== 'string') throw fail()
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(value.trim())
  if (!m) throw fail()
  const zone = m[8] ? (m[8].toUpperCase() === 'Z' ? 'Z' : m[8].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : 'Z'
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${m[7] ?? ''}${zone}`)
  if (Number.isNaN(date.getTime())) throw fail()
  return date
}

/**
 * One inbound message from a webhook payload (already parsed: see parseWebhookBody). `now` is the
 * receiving time for gateways that do not send one.
 *
 * @example
 * normaliseInbound(parseWebhookBody('MessageSid=SM1&From=%2B963944000000&Body=قصف+على+دوما'), { now: new Date() })
 * // { gateway: 'twilio', messageId: 'SM1', from: '+963944000000', text: 'قصف على دوما', receivedAt: '…' }
 */
export function normaliseInbound(p: Payload, options: { now: Date; gateway?: Gateway }): InboundMessage {
  const gateway = options.gateway ?? detectGateway(p)
  const missing = REQUIRED[gateway].filter((f) => !has(p, f)).map(nameOf)
  if (missing.length) throw new InboundSmsError('sms_payload_unrecognised', `the ${LABEL[gateway]} webhook lacks ${missing.join(', ')}`, missing)
  const at = (field: string): string => parseGatewayTime(p[field], field).toISOString()
  const received = (field: string) => (has(p, field) ? at(field) : options.now.toISOString())
  const base = (messageId: string, from: string, text: string, receivedAt: string, to?: string): InboundMessage => {
    const out: InboundMessage = { gateway, messageId, from: normalisePhone(from), text, receivedAt }
    if (to) out.to = normalisePhone(to)
    return out
  }
  switch (gateway) {
    case 'twilio': {
      const out = base(str(p, 'MessageSid', 'SmsMessageSid', 'SmsSid')!, str(p, 'From')!, str(p, 'Body')!, options.now.toISOString(), str(p, 'To'))
      const count = Number(str(p, 'NumMedia') ?? 0)
      const media = Array.from({ length: Number.isInteger(count) && count > 0 ? Math.min(count, 10) : 0 }, (_, k) => str(p, `MediaUrl${k}`)).filter((u): u is string => !!u)
      if (media.length) out.media = media
      return out
    }
    case 'africastalking':
      return base(str(p, 'id')!, str(p, 'from')!, str(p, 'text')!, at('date'), str(p, 'to'))
    case 'vonage': {
      const type = str(p, 'type')
      if (type === 'binary') throw new InboundSmsError('sms_not_a_message', 'a binary SMS carries no text', ['type'])
      const out = base(str(p, 'messageId')!, str(p, 'msisdn')!, str(p, 'text')!, has(p, 'message-timestamp') ? at('message-timestamp') : received('timestamp'), str(p, 'to'))
      if (String(p.concat) === 'true') {
        const index = Number(str(p, 'concat-part'))
        const total = Number(str(p, 'concat-total'))
        const ref = str(p, 'concat-ref')
        if (!ref || !Number.isInteger(index) || !Number.isInteger(total) || index < 1 || index > total) {
          throw new InboundSmsError('sms_payload_invalid', 'a concatenated Vonage message needs concat-ref, and concat-part between 1 and concat-total', ['concat-ref', 'concat-part', 'concat-total'])
        }
        out.part = { ref, index, total }
      }
      return out
    }
    case 'telerivet': {
      const event = str(p, 'event')
      if (event !== undefined && event !== 'incoming_message') throw new InboundSmsError('sms_not_a_message', `a Telerivet ${event} event is not an incoming message`, ['event'])
      const kind = str(p, 'message_type')
      if (kind !== undefined && kind !== 'sms' && kind !== 'mms') throw new InboundSmsError('sms_not_a_message', `a Telerivet ${kind} is not a text message`, ['message_type'])
      return base(str(p, 'id')!, str(p, 'from_number_e164', 'from_number')!, str(p, 'content')!, received('time_created'), str(p, 'to_number'))
    }
    case 'generic':
      return base(str(p, 'id')!, str(p, 'from')!, str(p, 'text')!, received('timestamp'), str(p, 'to'))
  }
}

/**
 * The parts of a long message joined in order, once all have arrived; null while some are missing.
 * @example joinParts([part2, part1]) // { …part1, text: part1.text + part2.text, part: undefined }
 */
export function joinParts(parts: readonly InboundMessage[]): InboundMessage | null {
  const first = parts[0]
  if (!first?.part) return first ?? null
  const { ref, total } = first.part
  const byIndex = new Map(parts.filter((m) => m.part?.ref === ref && m.from === first.from).map((m) => [m.part!.index, m]))
  if (byIndex.size < total) return null
  const ordered = Array.from({ length: total }, (_, k) => byIndex.get(k + 1)!)
  const { part: _part, ...head } = ordered[0]!
  return { ...head, text: ordered.map((m) => m.text).join(''), receivedAt: ordered.map((m) => m.receivedAt).sort().at(-1)! }
}
