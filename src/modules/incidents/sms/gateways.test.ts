// Inbound webhooks of each gateway style, form-encoded and JSON, made into one message; payloads
// of no known style refused naming what they lack.
import { describe, expect, it } from 'vitest'
import { detectGateway, InboundSmsError, joinParts, normaliseInbound, normalisePhone, parseGatewayTime, parseWebhookBody, type InboundMessage } from './gateways.ts'

const now = new Date('2016-03-01T09:12:00Z')
const thrown = (f: () => unknown): InboundSmsError => {
  try { f() } catch (e) { if (e instanceof InboundSmsError) return e; throw e }
  throw new Error('expected an InboundSmsError')
}
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()

describe('normaliseInbound', () => {
  it('reads a Twilio webhook (form-encoded, no time of its own, MMS media)', () => {
    const body = form({
      ToCountry: 'SY', SmsMessageSid: 'SM5f0c', NumMedia: '1', SmsSid: 'SM5f0c', SmsStatus: 'received', Body: 'قصف على دوما منذ الصباح',
      To: '+15005550006', NumSegments: '1', MessageSid: 'SM5f0c', AccountSid: 'AC00ff', From: '+963944123456', ApiVersion: '2010-04-01',
      MediaContentType0: 'image/jpeg', MediaUrl0: 'https://api.twilio.example/2010-04-01/Accounts/AC00ff/Messages/SM5f0c/Media/ME1',
    })
    const m = normaliseInbound(parseWebhookBody(body, 'application/x-www-form-urlencoded'), { now })
    expect(m).toEqual({
      gateway: 'twilio', messageId: 'SM5f0c', from: '+963944123456', to: '+15005550006', text: 'قصف على دوما منذ الصباح',
      receivedAt: '2016-03-01T09:12:00.000Z', media: ['https://api.twilio.example/2010-04-01/Accounts/AC00ff/Messages/SM5f0c/Media/ME1'],
    })
  })

  it("reads an Africa's Talking callback, its date in UTC", () => {
    const body = form({ date: '2016-03-01 08:55:10', from: '+254711082000', id: 'ATXid_4b1e', linkId: 'SampleLinkId123', text: 'shelling in Douma since 6am', to: '21525', networkCode: '63902' })
    expect(normaliseInbound(parseWebhookBody(body), { now })).toEqual({
      gateway: 'africastalking', messageId: 'ATXid_4b1e', from: '+254711082000', to: '21525', text: 'shelling in Douma since 6am', receivedAt: '2016-03-01T08:55:10.000Z',
    })
  })

  it('reads a Vonage inbound SMS as JSON and as a form, adding + to the msisdn', () => {
    const fields = { msisdn: '963944123456', to: '447700900000', messageId: '0A0000000123ABCD1', text: 'обстрел Дума', type: 'unicode', keyword: 'ОБСТРЕЛ', 'api-key': 'abcd1234', 'message-timestamp': '2016-03-01 09:01:30' }
    const expected: InboundMessage = { gateway: 'vonage', messageId: '0A0000000123ABCD1', from: '+963944123456', to: '+447700900000', text: 'обстрел Дума', receivedAt: '2016-03-01T09:01:30.000Z' }
    expect(normaliseInbound(parseWebhookBody(JSON.stringify(fields), 'application/json'), { now })).toEqual(expected)
    expect(normaliseInbound(parseWebhookBody(form(fields), 'application/x-www-form-urlencoded; charset=utf-8'), { now })).toEqual(expected)
  })

  it('reads the parts of a long Vonage message and joins them once all have come', () => {
    const part = (n: number, text: string) => normaliseInbound({ msisdn: '963944123456', to: '447700900000', messageId: `M${n}`, text, type: 'text', concat: 'true', 'concat-ref': '08', 'concat-total': '2', 'concat-part': String(n), 'message-timestamp': `2016-03-01 09:0${n}:00` }, { now })
    const second = part(2, ' since 6am, 3 killed')
    const first = part(1, 'shelling in Douma')
    expect(first.part).toEqual({ ref: '08', index: 1, total: 2 })
    expect(joinParts([second])).toBeNull()
    expect(joinParts([second, first])).toEqual({ gateway: 'vonage', messageId: 'M1', from: '+963944123456', to: '+447700900000', text: 'shelling in Douma since 6am, 3 killed', receivedAt: '2016-03-01T09:02:00.000Z' })
    expect(thrown(() => normaliseInbound({ msisdn: '1', messageId: 'x', text: 'a', concat: 'true', 'concat-ref': '1', 'concat-total': '2', 'concat-part': '3' }, { now })).code).toBe('sms_payload_invalid')
  })

  it('reads a Telerivet webhook, its time in Unix seconds, preferring the E.164 number', () => {
    const body = form({ secret: 'XYZ', event: 'incoming_message', id: 'SM1a2b3c', message_type: 'sms', content: 'TRUCE SHELL 12 EXPLOSIONS AT Douma', from_number: '0944 123 456', from_number_e164: '+963944123456', to_number: '+963933000000', time_created: '1456822800', phone_id: 'PN1', contact_id: 'CT1', project_id: 'PJ1' })
    expect(normaliseInbound(parseWebhookBody(body), { now })).toEqual({
      gateway: 'telerivet', messageId: 'SM1a2b3c', from: '+963944123456', to: '+963933000000', text: 'TRUCE SHELL 12 EXPLOSIONS AT Douma', receivedAt: '2016-03-01T09:00:00.000Z',
    })
  })

  it('reads a generic JSON message, its timestamp in ISO 8601 with an offset, in seconds or in milliseconds', () => {
    const base = { id: 42, from: '+963944123456', text: '#shelling 5 Aleppo' }
    expect(normaliseInbound(parseWebhookBody(JSON.stringify({ ...base, timestamp: '2016-03-01T11:00:00+02:00' })), { now })).toEqual({ gateway: 'generic', messageId: '42', from: '+963944123456', text: '#shelling 5 Aleppo', receivedAt: '2016-03-01T09:00:00.000Z' })
    expect(normaliseInbound({ ...base, timestamp: 1456822800 }, { now }).receivedAt).toBe('2016-03-01T09:00:00.000Z')
    expect(normaliseInbound({ ...base, timestamp: 1456822800123 }, { now }).receivedAt).toBe('2016-03-01T09:00:00.123Z')
    expect(normaliseInbound(base, { now }).receivedAt).toBe(now.toISOString())
  })

  it('takes the style from the caller when each gateway has its own URL', () => {
    const m = normaliseInbound({ id: '1', from: '+9631', text: 'x', date: '2016-03-01 09:00:00' }, { now, gateway: 'africastalking' })
    expect(m.gateway).toBe('africastalking')
    expect(thrown(() => normaliseInbound({ id: '1', from: '+9631', text: 'x' }, { now, gateway: 'twilio' })).message).toBe('the Twilio webhook lacks MessageSid or SmsMessageSid or SmsSid, From, Body')
  })

  it('keeps an empty message (the parser will say it understood nothing)', () => {
    expect(normaliseInbound({ MessageSid: 'SM1', From: '+963944123456', Body: '' }, { now }).text).toBe('')
  })

  it.each([
    ['a Twilio payload without Body', { MessageSid: 'SM1', AccountSid: 'AC1', From: '+1' }, 'sms_payload_unrecognised', /^looks like a Twilio webhook but lacks Body$/, ['Body']],
    ['a Vonage payload without text', { msisdn: '4477', messageId: 'x', 'message-timestamp': '2016-03-01 09:00:00' }, 'sms_payload_unrecognised', /^looks like a Vonage webhook but lacks text$/, ['text']],
    ['a Telerivet payload without content', { id: '1', from_number: '+1', time_created: 1 }, 'sms_payload_unrecognised', /Telerivet webhook but lacks content/, ['content']],
    ['something else entirely', { hello: 'world' }, 'sms_payload_unrecognised', /^not an SMS webhook of a known style; expected the fields of one of: Twilio \(MessageSid or SmsMessageSid or SmsSid, From, Body\); Africa's Talking/, []],
    ["an Africa's Talking date that is not a date", { id: '1', from: '+1', text: 'x', date: 'yesterday', linkId: 'l' }, 'sms_payload_invalid', /^date is not a time: "yesterday"$/, ['date']],
    ['a Telerivet delivery report', { event: 'send_status', id: '1', from_number: '+1', content: 'x' }, 'sms_not_a_message', /send_status event is not an incoming message/, ['event']],
    ['a Telerivet call', { event: 'incoming_message', message_type: 'call', id: '1', from_number: '+1', content: '' }, 'sms_not_a_message', /call is not a text message/, ['message_type']],
    ['a binary Vonage SMS', { msisdn: '4477', messageId: 'x', text: '', type: 'binary' }, 'sms_not_a_message', /binary SMS/, ['type']],
  ])('refuses %s', (_what, payload, code, message, fields) => {
    const e = thrown(() => normaliseInbound(payload, { now }))
    expect(e.code).toBe(code)
    expect(e.message).toMatch(message)
    expect(e.fields).toEqual(fields)
  })
})

describe('parseWebhookBody', () => {
  it('reads JSON by its content type or its first character, and forms otherwise', () => {
    expect(parseWebhookBody('{"id":1}')).toEqual({ id: 1 })
    expect(parseWebhookBody(Buffer.from('Body=a+b%26c&From=%2B1'), 'application/x-www-form-urlencoded')).toEqual({ Body: 'a b&c', From: '+1' })
    expect(thrown(() => parseWebhookBody('{"id":', 'application/json')).code).toBe('sms_payload_invalid')
    expect(thrown(() => parseWebhookBody('[1,2]', 'application/json')).message).toBe('the webhook body is not a JSON object')
  })
})

describe('detectGateway', () => {
  it('tells the styles apart by their fields', () => {
    expect(detectGateway({ id: '1', from: 'a', text: 'b', date: '2016-03-01 09:00:00' })).toBe('africastalking')
    expect(detectGateway({ id: '1', from: 'a', text: 'b', timestamp: 1 })).toBe('generic')
    expect(detectGateway({ id: '1', from_number: 'a', content: 'b' })).toBe('telerivet')
    expect(detectGateway({ SmsSid: '1', From: 'a', Body: 'b' })).toBe('twilio')
  })
})

describe('normalisePhone and parseGatewayTime', () => {
  it.each([
    ['963944123456', '+963944123456'],
    ['+963 944 123-456', '+963944123456'],
    ['00963944123456', '+963944123456'],
    ['21525', '21525'],
    ['whatsapp:+963944123456', 'whatsapp:+963944123456'],
    [' MONITOR ', 'MONITOR'],
  ])('normalisePhone(%j) is %j', (input, output) => expect(normalisePhone(input)).toBe(output))

  it.each([
    ['2016-03-01 09:00:00', '2016-03-01T09:00:00.000Z'],
    ['2016-03-01T09:00:00Z', '2016-03-01T09:00:00.000Z'],
    ['2016-03-01T11:00:00.250+0200', '2016-03-01T09:00:00.250Z'],
    ['1456822800', '2016-03-01T09:00:00.000Z'],
  ])('parseGatewayTime(%j) is %s', (input, output) => expect(parseGatewayTime(input, 'date').toISOString()).toBe(output))

  it('refuses what is not a time', () => {
    for (const bad of ['01/03/2016', '', -5, {}, '2016-13-01 00:00:00']) expect(() => parseGatewayTime(bad, 'timestamp')).toThrow(InboundSmsError)
  })
})
