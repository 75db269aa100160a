// Verification between adversaries through the API, on both databases, with the demo's parties:
// the US and Russian coordination cells (guarantors of the Syria cessation), the OSCE monitor,
// the UN task force's analyst (a monitor party), OCHA and a member of the public. Reports are
// sent through POST /api/reports and clustered into incidents; the incident is then moved
// through its states, alleged against, answered and judged, and every write leaves its
// submission while every refusal leaves nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anonymous, DEMO, makeTestApp, signIn, type Session, type TestApp } from '../../../test/helpers/app.ts'
import { dialects } from '../../../test/helpers/db.ts'

type ErrorBody = { error: { code: string; message: string; details: { path?: string; message: string; [k: string]: unknown }[] } }
type View = {
  state: string
  evidence: { monitorObservation: boolean; independentSources: number; agreements: { slug: string | null; met: boolean; missing: string[] }[] }
  transitions: { from: string; to: string; partyId: string; submissionId: string; evidence: unknown }[]
  allegations: { id: string; accusedPartyId: string; requests: { id: string; overdue: boolean; answered: boolean; responses: { partyId: string; text: string; late: boolean }[] }[] }[]
  findings: { id: string; partyId: string; conclusion: string; joint: boolean; concurringParties: string[] }[]
  actions: { transitions: string[]; refused: { to: string; code: string }[]; allege: boolean; find: boolean; concur: string[]; respond: string[] }
}
type Request = { id: string; incidentId: string; deadline: string; overdue: boolean; answered: boolean; direction: 'received' | 'sent' }

type Source = { kind: string; reliability?: string; name?: string; url?: string }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe.each(dialects())('verification on %s', (dialect) => {
  let t: TestApp
  let us: Session, ru: Session, monitor: Session, analyst: Session, admin: Session, humanitarian: Session, reporter: Session
  const party: Record<string, string> = {}
  /** Each incident at its own place, far from the others, so the clusterer never joins two. */
  let place = 0

  const count = async (table: 'incident_transitions' | 'allegations' | 'information_responses' | 'findings' | 'finding_concurrences' | 'submissions' | 'verification_rules') =>
    Number((await t.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

  /** Reports of one event from several parties; returns the incident they are clustered into. */
  async function incident(at: string, reports: [Session, Source[], string?][], where?: { lon: number; lat: number }): Promise<string> {
    const lon = where?.lon ?? 36 + (place % 10) * 0.3
    const lat = where?.lat ?? 33 + Math.floor(place / 10) * 0.3
    place++
    const ids = new Set<string>()
    for (const [who, sources, visibility] of reports) {
      const res = await who.request('POST', '/api/reports', {
        occurredAt: at, datePrecision: 1, where: { kind: 'point', lon, lat, precision: 1 }, category: 'shelling', counts: { explosions: 6 },
        description: 'Six explosions in the village from 05:40.', sources: sources.map((s) => ({ reliability: 'B', ...s })), visibility: visibility ?? 'parties',
      })
      expect(res.statusCode, res.body).toBe(201)
      const id = (res.json() as { incidentId: string | null }).incidentId
      expect(id).not.toBeNull()
      ids.add(id!)
    }
    expect([...ids]).toHaveLength(1)
    return [...ids][0]!
  }

  const move = (who: Session, id: string, to: string, reason = `moved to ${to}`) => who.request('POST', `/api/incidents/${id}/transitions`, { to, reason })
  const view = async (who: Session, id: string) => {
    const res = await who.request('GET', `/api/incidents/${id}/verification`)
    expect(res.statusCode, res.body).toBe(200)
    return res.json() as View
  }
  const errorOf = (res: { json(): unknown }) => (res.json() as ErrorBody).error

  beforeAll(async () => {
    t = await makeTestApp(dialect)
    us = await signIn(t.app, DEMO.coordinatorUs)
    ru = await signIn(t.app, DEMO.coordinatorRu)
    monitor = await signIn(t.app, DEMO.monitor)
    analyst = await signIn(t.app, DEMO.analyst)
    admin = await signIn(t.app, DEMO.admin)
    humanitarian = await signIn(t.app, DEMO.humanitarian)
    reporter = await signIn(t.app, DEMO.reporter)
    for (const p of await t.db.kysely.selectFrom('parties').select(['id', 'slug']).execute()) party[p.slug] = p.id
  })
  afterAll(async () => { await t?.close() })

  it('takes an incident from reported to verified and on to disputed, each move written with its submission', async () => {
    const id = await incident('2016-03-20T05:40:00Z', [
      [monitor, [{ kind: 'monitor_observation', name: 'Patrol 12' }]],
      [us, [{ kind: 'media', name: 'Reuters', url: 'https://example.org/reuters/1' }]],
    ])
    const before = await view(analyst, id)
    expect(before.state).toBe('reported')
    expect(before.actions.transitions).toEqual(['under_review'])
    // Two agreements were in force in March 2016, but Minsk II covers only its zones in the Donbas:
    // the Syria cessation's thresholds alone, its defaults.
    expect(before.evidence).toMatchObject({ monitorObservation: true, independentSources: 2 })
    expect(before.evidence.agreements.map((a) => [a.slug, a.met])).toEqual([['syria-coh-2016', true]])

    const submissions = await count('submissions')
    expect((await move(analyst, id, 'under_review', 'two reports of one shelling')).statusCode).toBe(201)
    expect((await move(analyst, id, 'corroborated', 'a monitor patrol and a wire report')).statusCode).toBe(201)
    expect((await view(analyst, id)).actions.transitions).toEqual([])
    expect((await view(monitor, id)).actions.transitions).toEqual(['verified', 'rejected'])
    const verified = await move(monitor, id, 'verified', 'observed by our patrol')
    expect(verified.statusCode, verified.body).toBe(201)
    expect(verified.json()).toMatchObject({ from: 'corroborated', to: 'verified', partyId: party.osce, evidence: { met: true } })
    expect((await move(ru, id, 'disputed', 'our forces were not there')).statusCode).toBe(201)

    const after = await view(us, id)
    expect(after.state).toBe('disputed')
    expect(after.transitions.map((x) => `${x.from}→${x.to}`)).toEqual(['reported→under_review', 'under_review→corroborated', 'corroborated→verified', 'verified→disputed'])
    expect(after.transitions.map((x) => x.partyId)).toEqual([party['un-osesy'], party['un-osesy'], party.osce, party.ru])
    const state = await t.db.kysely.selectFrom('incidents').select('state').where('id', '=', id).executeTakeFirstOrThrow()
    expect(state.state).toBe('disputed')
    const written = await t.db.kysely.selectFrom('submissions').select(['id', 'kind', 'subject_id', 'visibility']).where('kind', '=', 'incident.transition').where('subject_id', '=', id).orderBy('seq').execute()
    expect(written.map((s) => s.id)).toEqual(after.transitions.map((x) => x.submissionId))
    expect(written.every((s) => s.visibility === 'parties')).toBe(true)
    expect(await count('submissions')).toBe(submissions + 4)
    // The record of it cannot be rewritten.
    await expect(t.db.kysely.updateTable('incident_transitions').set({ reason: 'rewritten' }).execute()).rejects.toThrow(/append-only/)
  })

  it('refuses every move the state machine or the caller\'s role and party does not allow, writing nothing', async () => {
    const id = await incident('2016-04-02T11:00:00Z', [[us, [{ kind: 'media', name: 'AFP' }]], [ru, [{ kind: 'party_allegation', name: 'Russian reconciliation centre' }]]])
    const transitions = await count('incident_transitions')
    const submissions = await count('submissions')
    const skip = await move(monitor, id, 'verified')
    expect(skip.statusCode).toBe(409)
    expect(errorOf(skip)).toMatchObject({ code: 'invalid_transition', details: [{ path: 'body.to', from: 'reported', to: 'verified' }] })
    expect(errorOf(await move(monitor, id, 'reported'))).toMatchObject({ code: 'invalid_transition' })
    const ocha = await move(humanitarian, id, 'under_review')
    expect(ocha.statusCode).toBe(403)
    expect(errorOf(await move(monitor, id, 'bogus'))).toMatchObject({ code: 'validation_failed', details: [{ path: 'body.to' }] })

    expect((await move(us, id, 'under_review')).statusCode).toBe(201)
    expect((await move(humanitarian, id, 'corroborated')).statusCode).toBe(403)
    // A guarantor may not reject; only a monitor.
    expect((await move(us, id, 'rejected')).statusCode).toBe(403)
    expect((await move(analyst, id, 'corroborated')).statusCode).toBe(201)
    // The analyst analyses but does not verify; a guarantor's coordinator is no monitor.
    expect((await move(analyst, id, 'verified')).statusCode).toBe(403)
    const guarantorVerifies = await move(us, id, 'verified')
    expect(guarantorVerifies.statusCode).toBe(403)
    expect(errorOf(guarantorVerifies).details[0]!.message).toMatch(/monitor party/)
    // No monitor observation, two sources of two kinds: met by default, but a monitor records a dispute only when guarantors disagree.
    const noDispute = await move(monitor, id, 'disputed')
    expect(noDispute.statusCode).toBe(409)
    expect(errorOf(noDispute).code).toBe('no_dispute')
    expect((await move(monitor, id, 'rejected', 'the craters predate the cessation')).statusCode).toBe(201)
    const final = await move(monitor, id, 'under_review')
    expect(errorOf(final)).toMatchObject({ code: 'invalid_transition', details: [{ from: 'rejected', to: 'under_review', allowed: [] }] })
    expect(await count('incident_transitions')).toBe(transitions + 3)
    expect(await count('submissions')).toBe(submissions + 3)
  })

  it('lets one of two moves made at once from the same state through, and refuses the other', async () => {
    const id = await incident('2016-04-10T08:00:00Z', [[us, [{ kind: 'media', name: 'AP' }]]])
    const both = await Promise.all([move(analyst, id, 'under_review'), move(us, id, 'under_review')])
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409])
    expect(['state_changed', 'invalid_transition']).toContain(errorOf(both.find((r) => r.statusCode === 409)!).code)
    expect((await view(us, id)).transitions).toHaveLength(1)
  })

  it('needs a corroboration of two independent sources: one party\'s unnamed sources are one', async () => {
    const id = await incident('2016-04-15T08:00:00Z', [[us, [{ kind: 'media' }, { kind: 'public' }]]])
    expect((await move(us, id, 'under_review')).statusCode).toBe(201)
    const res = await move(analyst, id, 'corroborated')
    expect(res.statusCode).toBe(409)
    expect(errorOf(res)).toMatchObject({ code: 'not_corroborated', details: [{ have: 1, need: 2 }] })
    expect((await move(analyst, id, 'unverifiable', 'one party\'s word')).statusCode).toBe(201)
  })

  it('verifies under the thresholds of each agreement in force at the incident\'s time and covering its place, as they are set', async () => {
    // 2023: only the Syria cessation is in force (Minsk II ended in February 2022).
    const id = await incident('2023-05-01T09:00:00Z', [
      [monitor, [{ kind: 'monitor_observation', name: 'Patrol 3' }]],
      [us, [{ kind: 'media', name: 'Reuters' }]],
    ])
    expect((await move(analyst, id, 'under_review')).statusCode).toBe(201)
    expect((await move(analyst, id, 'corroborated')).statusCode).toBe(201)

    // Only those who may amend the agreement set its rules.
    const strict = { monitorObservationSuffices: false, independentSources: 3, distinctSourceKinds: 2, rfiDeadlineHours: 24 }
    expect((await monitor.request('PUT', '/api/agreements/syria-coh-2016/verification-rules', strict)).statusCode).toBe(403)
    const notTheirs = await us.request('PUT', '/api/agreements/minsk-ii-2015/verification-rules', strict)
    expect(notTheirs.statusCode).toBe(403)
    const bad = await us.request('PUT', '/api/agreements/syria-coh-2016/verification-rules', { ...strict, independentSources: 0 })
    expect(errorOf(bad)).toMatchObject({ code: 'validation_failed', details: [{ path: 'body.independentSources' }] })
    const set = await us.request('PUT', '/api/agreements/syria-coh-2016/verification-rules', strict)
    expect(set.statusCode, set.body).toBe(200)
    expect(set.json()).toMatchObject({ version: 1, rules: strict })
    const sub = await t.db.kysely.selectFrom('submissions').select(['kind', 'subject_id']).where('id', '=', (set.json() as { submissionId: string }).submissionId).executeTakeFirstOrThrow()
    expect(sub.kind).toBe('agreement.verification_rules')
    // Minsk II's rules do not reach an incident of 2023.
    expect((await admin.request('PUT', '/api/agreements/minsk-ii-2015/verification-rules', { ...strict, independentSources: 9 })).statusCode).toBe(200)

    const refused = await move(monitor, id, 'verified')
    expect(refused.statusCode).toBe(409)
    const error = errorOf(refused)
    expect(error.code).toBe('thresholds_not_met')
    expect(error.details).toHaveLength(1)
    expect(error.details[0]).toMatchObject({ path: 'agreements.syria-coh-2016', rules: strict })
    expect(String(error.details[0]!.message)).toMatch(/1 more independent source/)
    const v = await view(monitor, id)
    expect(v.actions.refused).toContainEqual(expect.objectContaining({ to: 'verified', code: 'thresholds_not_met' }))

    // A third, independent source of the same event: now the thresholds are met.
    const lon = 36 + ((place - 1) % 10) * 0.3
    const lat = 33 + Math.floor((place - 1) / 10) * 0.3
    const third = await ru.request('POST', '/api/reports', {
      occurredAt: '2023-05-01T09:00:00Z', where: { kind: 'point', lon, lat, precision: 1 }, category: 'shelling', counts: { explosions: 6 },
      description: 'Six explosions in the village from 05:40.', sources: [{ kind: 'public', name: 'Residents', reliability: 'C' }],
    })
    expect((third.json() as { incidentId: string }).incidentId).toBe(id)
    expect((await move(monitor, id, 'verified', 'three independent sources')).statusCode).toBe(201)
    expect((await anonymous(t.app).request('GET', '/api/agreements/syria-coh-2016/verification-rules')).json()).toMatchObject({ version: 1, rules: strict })

    // Back to a monitor's observation sufficing (version 2): the same evidence as before verifies.
    const laxer = await us.request('PUT', '/api/agreements/syria-coh-2016/verification-rules', { ...strict, monitorObservationSuffices: true })
    expect(laxer.json()).toMatchObject({ version: 2 })
    const again = await incident('2023-06-01T09:00:00Z', [[monitor, [{ kind: 'monitor_observation', name: 'Patrol 3' }]], [us, [{ kind: 'media', name: 'Reuters' }]]])
    expect((await move(analyst, again, 'under_review')).statusCode).toBe(201)
    expect((await move(analyst, again, 'corroborated')).statusCode).toBe(201)
    expect((await move(monitor, again, 'verified')).statusCode).toBe(201)
    // Minsk II's nine sources bind an incident of 2016 within its zones near Avdiivka, and not one in
    // Syria, where the cessation's version 2 lets the monitor's observation suffice.
    const donbas = await incident('2016-05-01T09:00:00Z', [[monitor, [{ kind: 'monitor_observation', name: 'Patrol 3' }]], [us, [{ kind: 'media', name: 'Reuters' }]]], { lon: 37.73, lat: 48.12 })
    expect((await view(analyst, donbas)).evidence.agreements.map((a) => a.slug)).toEqual(['minsk-ii-2015'])
    expect((await move(analyst, donbas, 'under_review')).statusCode).toBe(201)
    expect((await move(analyst, donbas, 'corroborated')).statusCode).toBe(201)
    expect(errorOf(await move(monitor, donbas, 'verified')).details.map((d) => d.path)).toEqual(['agreements.minsk-ii-2015'])
    const syrian = await incident('2016-05-01T09:00:00Z', [[monitor, [{ kind: 'monitor_observation', name: 'Patrol 3' }]], [us, [{ kind: 'media', name: 'Reuters' }]]])
    expect((await view(analyst, syrian)).evidence.agreements.map((a) => a.slug)).toEqual(['syria-coh-2016'])
    expect((await move(analyst, syrian, 'under_review')).statusCode).toBe(201)
    expect((await move(analyst, syrian, 'corroborated')).statusCode).toBe(201)
    expect((await move(monitor, syrian, 'verified')).statusCode).toBe(201)
    expect(await t.db.kysely.selectFrom('verification_rules').select('version').where('agreement_id', '=', (set.json() as { agreementId: string }).agreementId).orderBy('version').execute())
      .toEqual([{ version: 1 }, { version: 2 }])
  })

  it('opens a request for information to the accused party, answered only by it, overdue once its deadline passes', async () => {
    const id = await incident('2016-06-01T09:00:00Z', [[us, [{ kind: 'media', name: 'Reuters' }]], [monitor, [{ kind: 'monitor_observation', name: 'Patrol 8' }]]])
    const syria = (await anonymous(t.app).request('GET', '/api/agreements/syria-coh-2016')).json() as { id: string; provisions: { id: string; number: string }[] }
    const provisionId = syria.provisions.find((p) => p.number === '2')!.id
    const before = await count('submissions')
    const filed = await us.request('POST', `/api/incidents/${id}/allegations`, { accusedPartyId: party.ru, provisionId, text: 'Shelling by forces the Russian Federation supports.' })
    expect(filed.statusCode, filed.body).toBe(201)
    const allegation = filed.json() as { id: string; requests: { id: string; deadline: string }[] }
    // The deadline the Syria cessation's rules give, from now.
    const { rules } = (await anonymous(t.app).request('GET', '/api/agreements/syria-coh-2016/verification-rules')).json() as { rules: { rfiDeadlineHours: number } }
    const hours = (Date.parse(allegation.requests[0]!.deadline) - Date.now()) / 3_600_000
    expect(hours).toBeGreaterThan(rules.rfiDeadlineHours - 0.1)
    expect(hours).toBeLessThanOrEqual(rules.rfiDeadlineHours)
    expect(await count('submissions')).toBe(before + 1)
    const sub = await t.db.kysely.selectFrom('submissions').select('kind').where('subject_id', '=', id).where('kind', '=', 'incident.allegation').execute()
    expect(sub).toHaveLength(1)

    const open = (await ru.request('GET', '/api/information-requests?open=true')).json() as { items: Request[] }
    expect(open.items).toContainEqual(expect.objectContaining({ id: allegation.requests[0]!.id, incidentId: id, direction: 'received', overdue: false, answered: false }))
    expect(((await us.request('GET', '/api/information-requests')).json() as { items: Request[] }).items)
      .toContainEqual(expect.objectContaining({ id: allegation.requests[0]!.id, direction: 'sent' }))
    expect(((await monitor.request('GET', '/api/information-requests')).json() as { items: Request[] }).items.map((r) => r.id)).not.toContain(allegation.requests[0]!.id)
    expect((await view(ru, id)).actions.respond).toEqual([allegation.requests[0]!.id])
    expect((await view(us, id)).actions.respond).toEqual([])

    // The wrong party cannot answer: not the accuser, not a monitor.
    const responses = await count('information_responses')
    for (const who of [us, monitor]) {
      const wrong = await who.request('POST', `/api/information-requests/${allegation.requests[0]!.id}/responses`, { text: 'We answer for them.' })
      expect(wrong.statusCode).toBe(403)
      expect(errorOf(wrong).code).toBe('not_addressed')
    }
    expect(await count('information_responses')).toBe(responses)
    const answer = await ru.request('POST', `/api/information-requests/${allegation.requests[0]!.id}/responses`, { text: 'No units of ours were within 20 km.' })
    expect(answer.statusCode, answer.body).toBe(201)
    expect(answer.json()).toMatchObject({ partyId: party.ru, late: false })
    expect(((await ru.request('GET', '/api/information-requests?open=true')).json() as { items: Request[] }).items.map((r) => r.id)).not.toContain(allegation.requests[0]!.id)
    const v = await view(monitor, id)
    expect(v.allegations[0]!.requests[0]).toMatchObject({ answered: true, overdue: false, responses: [{ partyId: party.ru, text: 'No units of ours were within 20 km.' }] })

    // A deadline given: in the past is refused; a near one passes unanswered and is overdue.
    const past = await us.request('POST', `/api/incidents/${id}/allegations`, { accusedPartyId: party.ru, text: 'Again.', deadline: '2020-01-01T00:00:00Z' })
    expect(errorOf(past)).toMatchObject({ code: 'deadline_passed', details: [{ path: 'body.deadline' }] })
    const deadline = Date.now() + 2000
    const soon = await us.request('POST', `/api/incidents/${id}/allegations`, { accusedPartyId: party.ru, text: 'And again.', deadline: new Date(deadline).toISOString() })
    expect(soon.statusCode, soon.body).toBe(201)
    const soonId = (soon.json() as { requests: { id: string }[] }).requests[0]!.id
    expect(((await ru.request('GET', '/api/information-requests?open=true')).json() as { items: Request[] }).items)
      .toContainEqual(expect.objectContaining({ id: soonId, overdue: Date.now() >= deadline }))
    await sleep(Math.max(0, deadline - Date.now()) + 50)
    expect(((await ru.request('GET', '/api/information-requests?open=true')).json() as { items: Request[] }).items)
      .toContainEqual(expect.objectContaining({ id: soonId, overdue: true }))
    const late = await ru.request('POST', `/api/information-requests/${soonId}/responses`, { text: 'Late, but here.' })
    expect(late.json()).toMatchObject({ late: true })

    // An allegation the accused could not read, or against oneself, is refused naming the field.
    expect(errorOf(await us.request('POST', `/api/incidents/${id}/allegations`, { accusedPartyId: party.ru, text: 'x', visibility: 'internal' })))
      .toMatchObject({ code: 'hidden_from_accused', details: [{ path: 'body.visibility' }] })
    expect(errorOf(await us.request('POST', `/api/incidents/${id}/allegations`, { accusedPartyId: party.us, text: 'x' })))
      .toMatchObject({ code: 'self_allegation', details: [{ path: 'body.accusedPartyId' }] })
    expect(errorOf(await us.request('POST', `/api/incidents/${id}/allegations`, { accusedPartyId: party.public, text: 'x' })))
      .toMatchObject({ code: 'unknown_party', details: [{ path: 'body.accusedPartyId' }] })
    expect((await reporter.request('POST', `/api/incidents/${id}/allegations`, { accusedPartyId: party.ru, text: 'x' })).statusCode).toBe(403)

    // A restricted allegation names the accused; a party it does not name does not see it.
    const restricted = await us.request('POST', `/api/incidents/${id}/allegations`, { accusedPartyId: party.ru, text: 'Between us.', visibility: 'restricted' })
    expect(restricted.statusCode).toBe(201)
    const rid = (restricted.json() as { id: string }).id
    expect((await view(ru, id)).allegations.map((a) => a.id)).toContain(rid)
    expect((await view(monitor, id)).allegations.map((a) => a.id)).not.toContain(rid)
  })

  it('keeps a party that alleged a violation from judging the incident', async () => {
    const id = await incident('2016-06-20T09:00:00Z', [[monitor, [{ kind: 'monitor_observation', name: 'Patrol 2' }]], [us, [{ kind: 'media', name: 'BBC' }]]])
    expect((await move(analyst, id, 'under_review')).statusCode).toBe(201)
    expect((await move(analyst, id, 'corroborated')).statusCode).toBe(201)
    expect((await monitor.request('POST', `/api/incidents/${id}/allegations`, { accusedPartyId: party.ru, text: 'Our patrol saw the firing position.' })).statusCode).toBe(201)
    const res = await move(monitor, id, 'verified')
    expect(res.statusCode).toBe(403)
    expect(errorOf(res).message).toMatch(/alleged or is accused/)
    expect((await view(monitor, id)).actions.transitions).toEqual([])
    // The accused contests all the same.
    expect((await move(ru, id, 'disputed', 'we deny it')).statusCode).toBe(201)
  })

  it('records findings with graded confidence, joint when another party concurs and separate otherwise', async () => {
    const id = await incident('2016-07-01T09:00:00Z', [[monitor, [{ kind: 'monitor_observation', name: 'Patrol 5' }]], [us, [{ kind: 'media', name: 'AP' }]]])
    expect((await move(analyst, id, 'under_review')).statusCode).toBe(201)
    expect((await move(analyst, id, 'corroborated')).statusCode).toBe(201)
    const before = await count('submissions')
    const usFinding = await us.request('POST', `/api/incidents/${id}/findings`, { conclusion: 'violation', confidence: 'highly_probable', text: 'Artillery fire from the south-east.' })
    expect(usFinding.statusCode, usFinding.body).toBe(201)
    const ruFinding = await ru.request('POST', `/api/incidents/${id}/findings`, { conclusion: 'no_violation', confidence: 'plausible', text: 'A counter-terrorist operation against an excluded group.' })
    expect(ruFinding.statusCode).toBe(201)
    const usId = (usFinding.json() as { id: string }).id
    const ruId = (ruFinding.json() as { id: string }).id
    expect((await humanitarian.request('POST', `/api/incidents/${id}/findings`, { conclusion: 'violation', confidence: 'probable', text: 'x' })).statusCode).toBe(403)
    expect(errorOf(await us.request('POST', `/api/incidents/${id}/findings`, { conclusion: 'violation', confidence: 'certain', text: 'x' })).details[0]!.path).toBe('body.confidence')
    const nowhere = '00000000-0000-4000-8000-000000000000'
    expect(errorOf(await us.request('POST', `/api/incidents/${id}/findings`, { conclusion: 'violation', confidence: 'probable', text: 'x', provisionId: nowhere })))
      .toMatchObject({ code: 'unknown_provision', details: [{ path: 'body.provisionId' }] })
    expect(errorOf(await us.request('POST', `/api/incidents/${id}/findings`, { conclusion: 'violation', confidence: 'probable', text: 'x', responsibleActorId: nowhere })))
      .toMatchObject({ code: 'unknown_actor', details: [{ path: 'body.responsibleActorId' }] })
    const actor = await t.db.kysely.selectFrom('actors').select('id').where('visibility', '=', 'parties').limit(1).executeTakeFirstOrThrow()
    const named = await monitor.request('POST', `/api/incidents/${id}/findings`, { conclusion: 'violation', confidence: 'probable', text: 'The firing unit.', responsibleActorId: actor.id, visibility: 'restricted', restrictedTo: [party.us] })
    expect(named.json()).toMatchObject({ responsibleActorId: actor.id, visibility: 'restricted', joint: false })
    const namedId = (named.json() as { id: string }).id
    const namedSub = await t.db.kysely.selectFrom('submissions').select(['visibility', 'restricted_to', 'owner_party_id']).where('id', '=', (named.json() as { submissionId: string }).submissionId).executeTakeFirstOrThrow()
    expect(namedSub).toEqual({ visibility: 'restricted', restricted_to: [party.us], owner_party_id: party.osce })

    expect((await view(monitor, id)).actions.concur.sort()).toEqual([usId, ruId].sort())
    // Restricted to the US: Russia does not see it.
    expect((await view(ru, id)).findings.map((f) => f.id)).not.toContain(namedId)
    expect((await view(us, id)).actions.concur).toContain(namedId)
    const joined = await monitor.request('POST', `/api/findings/${usId}/concurrences`)
    expect(joined.statusCode, joined.body).toBe(201)
    expect(errorOf(await monitor.request('POST', `/api/findings/${usId}/concurrences`)).code).toBe('already_concurred')
    expect(errorOf(await us.request('POST', `/api/findings/${usId}/concurrences`)).code).toBe('own_finding')
    expect(await count('submissions')).toBe(before + 4)
    const kinds = await t.db.kysely.selectFrom('submissions').select('kind').where('subject_id', '=', id).where('kind', 'like', 'incident.finding%').execute()
    expect(kinds.map((k) => k.kind).sort()).toEqual(['incident.finding', 'incident.finding', 'incident.finding', 'incident.finding_concurrence'])

    const v = await view(ru, id)
    expect(v.findings.filter((f) => f.id !== namedId).map((f) => [f.partyId, f.conclusion, f.joint, f.concurringParties])).toEqual([
      [party.us, 'violation', true, [party.osce]],
      [party.ru, 'no_violation', false, []],
    ])
    // The guarantors disagree: the monitor may now record the dispute.
    expect((await view(monitor, id)).actions.transitions).toContain('disputed')
    expect((await move(monitor, id, 'disputed', 'the co-chairs\' findings disagree')).statusCode).toBe(201)

    // A finding kept internal is not shown to another party, nor can it concur in it.
    const secret = await us.request('POST', `/api/incidents/${id}/findings`, { conclusion: 'inconclusive', confidence: 'plausible', text: 'Internal note.', visibility: 'internal' })
    const secretId = (secret.json() as { id: string }).id
    expect((await view(ru, id)).findings.map((f) => f.id)).not.toContain(secretId)
    const hidden = await ru.request('POST', `/api/findings/${secretId}/concurrences`)
    const missing = await ru.request('POST', '/api/findings/00000000-0000-4000-8000-000000000000/concurrences')
    expect(hidden.statusCode).toBe(404)
    expect(errorOf(hidden)).toEqual(errorOf(missing))
  })

  it('answers an incident the caller cannot see exactly like a missing one, and keeps its record as private as its reports', async () => {
    const id = await incident('2016-08-01T09:00:00Z', [[us, [{ kind: 'media', name: 'Own cell' }], 'internal']])
    const missing = '00000000-0000-4000-8000-000000000000'
    for (const [method, path, body] of [
      ['GET', 'verification', undefined], ['POST', 'transitions', { to: 'under_review', reason: 'x' }],
      ['POST', 'allegations', { accusedPartyId: party.us, text: 'x' }], ['POST', 'findings', { conclusion: 'violation', confidence: 'probable', text: 'x' }],
    ] as const) {
      const hidden = await ru.request(method, `/api/incidents/${id}/${path}`, body)
      const none = await ru.request(method, `/api/incidents/${missing}/${path}`, body)
      expect(hidden.statusCode, `${method} ${path}`).toBe(404)
      expect(errorOf(hidden)).toEqual(errorOf(none))
    }
    expect((await reporter.request('GET', `/api/incidents/${id}/verification`)).statusCode).toBe(404)
    expect((await anonymous(t.app).request('GET', `/api/incidents/${id}/verification`)).statusCode).toBe(404)
    // Its owner moves it; the ledger entry is disclosed only to the party that can see the incident.
    const moved = await move(us, id, 'under_review', 'our own report')
    expect(moved.statusCode).toBe(201)
    const sub = await t.db.kysely.selectFrom('submissions').select(['visibility', 'restricted_to']).where('id', '=', (moved.json() as { submissionId: string }).submissionId).executeTakeFirstOrThrow()
    expect(sub).toEqual({ visibility: 'restricted', restricted_to: [party.us] })
  })

  it('shows the public the verification of an incident reported in public, and nothing it may not see', async () => {
    const id = await incident('2016-09-01T09:00:00Z', [[monitor, [{ kind: 'monitor_observation', name: 'Patrol 9' }], 'public'], [us, [{ kind: 'media', name: 'AP' }]]])
    expect((await move(analyst, id, 'under_review', 'opened')).statusCode).toBe(201)
    expect((await us.request('POST', `/api/incidents/${id}/findings`, { conclusion: 'violation', confidence: 'probable', text: 'Shared with parties only.' })).statusCode).toBe(201)
    const res = await anonymous(t.app).request('GET', `/api/incidents/${id}/verification`)
    expect(res.statusCode, res.body).toBe(200)
    const v = res.json() as View
    expect(v.state).toBe('under_review')
    expect(v.transitions).toHaveLength(1)
    expect(v.findings).toEqual([])
    // It sees the public report's source only.
    expect(v.evidence.independentSources).toBe(1)
    expect(v.actions).toEqual({ transitions: [], refused: expect.any(Array), allege: false, find: false, concur: [], respond: [] })
  })

  it('takes nothing new on an incident merged into another, and points there', async () => {
    const kept = await incident('2016-10-01T09:00:00Z', [[us, [{ kind: 'media', name: 'AP' }]]])
    const absorbed = await incident('2016-10-01T09:00:00Z', [[ru, [{ kind: 'media', name: 'TASS' }]]])
    const merged = await analyst.request('POST', `/api/incidents/${kept}/merge`, { incidentId: absorbed, note: 'one event' })
    expect(merged.statusCode, merged.body).toBe(200)
    for (const res of [
      await move(analyst, absorbed, 'under_review'),
      await us.request('POST', `/api/incidents/${absorbed}/allegations`, { accusedPartyId: party.ru, text: 'x' }),
      await us.request('POST', `/api/incidents/${absorbed}/findings`, { conclusion: 'violation', confidence: 'probable', text: 'x' }),
    ]) {
      expect(res.statusCode).toBe(409)
      expect(errorOf(res)).toMatchObject({ code: 'incident_merged', details: [{ mergedInto: kept }] })
    }
    const v = await view(analyst, absorbed)
    expect(v.actions).toMatchObject({ transitions: [], allege: false, find: false })
    expect((await move(analyst, kept, 'under_review')).statusCode).toBe(201)
  })

  it('pages the requests for information by deadline, each once, and refuses a cursor it did not issue', async () => {
    const id = await incident('2016-10-10T09:00:00Z', [[us, [{ kind: 'media', name: 'AP' }]]])
    for (const hours of [30, 10, 20]) {
      const deadline = new Date(Date.now() + hours * 3600_000).toISOString()
      expect((await us.request('POST', `/api/incidents/${id}/allegations`, { accusedPartyId: party.ru, text: `deadline in ${hours} h`, deadline })).statusCode).toBe(201)
    }
    const all = ((await ru.request('GET', '/api/information-requests?limit=200')).json() as { items: Request[]; nextCursor: string | null })
    expect(all.nextCursor).toBeNull()
    expect(all.items.map((r) => r.deadline)).toEqual([...all.items.map((r) => r.deadline)].sort())
    const walked: string[] = []
    let cursor: string | null = null
    do {
      const res = await ru.request('GET', `/api/information-requests?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      expect(res.statusCode, res.body).toBe(200)
      const page = res.json() as { items: Request[]; nextCursor: string | null }
      expect(page.items.length).toBeLessThanOrEqual(2)
      walked.push(...page.items.map((r) => r.id))
      cursor = page.nextCursor
    } while (cursor !== null)
    expect(walked).toEqual(all.items.map((r) => r.id))
    expect(walked.length).toBeGreaterThanOrEqual(3)
    const forged = await ru.request('GET', `/api/information-requests?cursor=${Buffer.from('{"k":"yesterday","id":"x"}').toString('base64url')}`)
    expect(forged.statusCode).toBe(400)
    expect(errorOf(forged).code).toBe('invalid_cursor')
    expect(errorOf(await ru.request('GET', '/api/information-requests?limit=0')).details[0]!.path).toBe('query.limit')
  })

  it('carries what was alleged and found on a merged incident to the one it went into, and keeps its parties from judging there', async () => {
    const kept = await incident('2016-10-05T09:00:00Z', [[monitor, [{ kind: 'monitor_observation', name: 'Patrol 9' }]], [us, [{ kind: 'media', name: 'AP' }]]])
    const absorbed = await incident('2016-10-05T09:00:00Z', [[ru, [{ kind: 'media', name: 'TASS' }]]])
    // The monitors allege against the Russian side on the incident that will be merged, and a
    // coordinator records a finding there.
    const alleged = await monitor.request('POST', `/api/incidents/${absorbed}/allegations`, { accusedPartyId: party.ru, text: 'Our patrol saw the firing position.' })
    expect(alleged.statusCode, alleged.body).toBe(201)
    const requestId = (alleged.json() as { requests: { id: string }[] }).requests[0]!.id
    const found = await us.request('POST', `/api/incidents/${absorbed}/findings`, { conclusion: 'violation', confidence: 'probable', text: 'Fire from the north.' })
    expect(found.statusCode, found.body).toBe(201)
    const findingId = (found.json() as { id: string }).id
    expect((await analyst.request('POST', `/api/incidents/${kept}/merge`, { incidentId: absorbed, note: 'one event' })).statusCode).toBe(200)

    const v = await view(ru, kept)
    expect(v.allegations.map((a) => [a.id, (a as { incidentId?: string }).incidentId])).toEqual([[(alleged.json() as { id: string }).id, absorbed]])
    expect(v.findings.map((f) => f.id)).toEqual([findingId])
    // The accused still answers the request, and may concur in nothing of its own side's making here.
    expect(v.actions.respond).toEqual([requestId])
    expect((await ru.request('POST', `/api/information-requests/${requestId}/responses`, { text: 'Our units were not there.' })).statusCode).toBe(201)
    expect((await view(monitor, kept)).actions.concur).toEqual([findingId])
    // The monitors alleged: they do not verify the incident the allegation went into.
    expect((await move(analyst, kept, 'under_review')).statusCode).toBe(201)
    expect((await move(analyst, kept, 'corroborated')).statusCode).toBe(201)
    const refused = await move(monitor, kept, 'verified')
    expect(refused.statusCode).toBe(403)
    expect(errorOf(refused).message).toMatch(/alleged or is accused/)
    // The merged incident shows its own record still.
    expect((await view(ru, absorbed)).allegations).toHaveLength(1)
  })
})
