// Compliance through the API on both databases: an agreement's rules written by whoever may amend
// it and refused naming the field when they name what does not exist; incidents made by POST
// /api/reports evaluated against the demo agreements step by step (the demo's Syria cessation
// with both co-chairs' maps and lists, Minsk II's withdrawal zones); and what a caller may not see
// answering as missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO, anonymous, makeTestApp, signIn, type Session, type TestApp } from '../../../test/helpers/app.ts'
import { dialects } from '../../../test/helpers/db.ts'

type ErrorBody = { error: { code: string; details: { path?: string; code?: string; message: string }[] } }
type Step = { step: string; outcome: string; detail: string; evidence: Record<string, unknown> }
type Evaluation = {
  slug: string; rulesVersion: number; steps: Step[]
  viewpoints: { viewpoint: string; label: string; conclusion: string; provision: string | null; sentence: string; opinion: boolean }[]
  overall: { conclusion: string; provision: string | null; sentence: string }
}
type Compliance = { incidentId: string; at: string; categories: string[]; reportIds: string[]; evaluations: Evaluation[] }

const report = (over: Record<string, unknown>) => ({
  occurredAt: '2016-03-15T06:30:00Z', datePrecision: 1, category: 'shelling', description: 'Test report.',
  where: { kind: 'point', lon: 37.185, lat: 36.21, precision: 1 },
  sources: [{ kind: 'monitor_observation', reliability: 'B', name: 'Test monitor' }], ...over,
})

describe.each(dialects())('compliance on %s', (dialect) => {
  let t: TestApp
  let us: Session
  let ru: Session
  let analyst: Session
  let monitor: Session
  let reporter: Session

  /** Posts a report and returns its incident. */
  async function incidentOf(who: Session, body: Record<string, unknown>): Promise<{ reportId: string; incidentId: string; perpetratorActorId: string | null }> {
    const res = await who.request('POST', '/api/reports', body)
    expect(res.statusCode, res.body).toBe(201)
    const r = res.json() as { id: string; perpetrator: { actorId: string | null } | null }
    const read = (await who.request('GET', `/api/reports/${r.id}`)).json() as { incidentId: string | null }
    expect(read.incidentId).not.toBeNull()
    return { reportId: r.id, incidentId: read.incidentId!, perpetratorActorId: r.perpetrator?.actorId ?? null }
  }

  beforeAll(async () => {
    t = await makeTestApp(dialect)
    us = await signIn(t.app, DEMO.coordinatorUs)
    ru = await signIn(t.app, DEMO.coordinatorRu)
    analyst = await signIn(t.app, DEMO.analyst)
    monitor = await signIn(t.app, DEMO.monitor)
    reporter = await signIn(t.app, DEMO.reporter)
  })
  afterAll(async () => { await t?.close() })

  describe('rules', () => {
    it('the demo agreements have rules, which anyone who may see the agreement may read', async () => {
      const res = await anonymous(t.app).request('GET', '/api/agreements/syria-coh-2016/compliance-rules')
      expect(res.statusCode, res.body).toBe(200)
      expect(res.json()).toMatchObject({ version: 1, coverage: { kind: 'everywhere' }, bound: 'acceded', prohibitions: [{ provision: '2' }, { provision: '4' }] })
      const minsk = (await anonymous(t.app).request('GET', '/api/agreements/minsk-ii-2015/compliance-rules')).json()
      expect(minsk).toMatchObject({ coverage: { kind: 'layers', layers: ['minsk-ii-lines'] }, bound: 'all' })
      expect((await anonymous(t.app).request('GET', '/api/agreements/no-such-agreement/compliance-rules')).statusCode).toBe(404)
    })

    it('a guarantor writes a new version with its submission; a party that may not amend the agreement may not', async () => {
      const body = { coverage: { kind: 'everywhere', bbox: [35.5, 32.3, 42.5, 37.4] }, prohibitions: [{ provision: '2', categories: ['shelling', 'airstrike', 'ground_attack'] }], note: 'narrower, for a test' }
      const res = await ru.request('PUT', '/api/agreements/syria-coh-2016/compliance-rules', body)
      expect(res.statusCode, res.body).toBe(200)
      const rules = res.json() as { version: number; submissionId: string; bound: string }
      expect(rules).toMatchObject({ version: 2, bound: 'acceded' })
      const sub = await t.db.kysely.selectFrom('submissions').select(['kind', 'visibility']).where('id', '=', rules.submissionId).executeTakeFirstOrThrow()
      expect(sub).toEqual({ kind: 'agreement.compliance_rules', visibility: 'public' })
      expect(((await anonymous(t.app).request('GET', '/api/agreements/syria-coh-2016/compliance-rules')).json() as { version: number }).version).toBe(2)
      // Sent again (a retry), the same rules write nothing.
      const again = await ru.request('PUT', '/api/agreements/syria-coh-2016/compliance-rules', body)
      expect(again.json()).toMatchObject({ version: 2, submissionId: rules.submissionId })
      expect(again.headers['x-truce-submissions']).toBeUndefined()
      // The US coordinator is not a party to Minsk II; a monitor may not edit agreements at all.
      expect((await us.request('PUT', '/api/agreements/minsk-ii-2015/compliance-rules', body)).statusCode).toBe(403)
      expect((await monitor.request('PUT', '/api/agreements/minsk-ii-2015/compliance-rules', body)).statusCode).toBe(403)
      // Back to the demo's rules for the evaluations below.
      const restore = await us.request('PUT', '/api/agreements/syria-coh-2016/compliance-rules', {
        coverage: { kind: 'everywhere', bbox: [35.5, 32.3, 42.5, 37.4] },
        prohibitions: [{ provision: '2', categories: ['shelling', 'airstrike', 'drone_strike', 'ground_attack', 'small_arms', 'explosion', 'attack_on_protected_site', 'attack_on_humanitarian'] }, { provision: '4', categories: ['aid_obstruction'] }],
      })
      expect(restore.json()).toMatchObject({ version: 3 })
    })

    it('refuses rules naming a provision, layer, zone kind or category that does not exist, saying where, and writes nothing', async () => {
      const count = async () => Number((await t.db.kysely.selectFrom('compliance_rules').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
      const before = await count()
      const bad = await us.request('PUT', '/api/agreements/syria-coh-2016/compliance-rules', {
        coverage: { kind: 'layers', layers: ['control-2016', 'no-such-layer'] },
        prohibitions: [{ provision: '99', categories: ['shelling'] }, { provision: '2', categories: ['shelling'], within: ['buffer', 'nowhere', 'besieged-2016'] }],
      })
      expect(bad.statusCode).toBe(400)
      const details = (bad.json() as ErrorBody).error.details.map((d) => [d.path, d.code])
      expect(details).toEqual([
        ['body.coverage.layers.0', 'wrong_layer_kind'], ['body.coverage.layers.1', 'unknown_layer'],
        ['body.prohibitions.0.provision', 'unknown_provision'], ['body.prohibitions.1.within.1', 'unknown_layer'], ['body.prohibitions.1.within.2', 'wrong_layer_kind'],
      ])
      const category = await us.request('PUT', '/api/agreements/syria-coh-2016/compliance-rules', { coverage: { kind: 'everywhere' }, prohibitions: [{ provision: '2', categories: ['jaywalking'] }] })
      expect(category.statusCode).toBe(400)
      expect((category.json() as ErrorBody).error.details[0]!.path).toBe('body.prohibitions.0.categories.0')
      const bbox = await us.request('PUT', '/api/agreements/syria-coh-2016/compliance-rules', { coverage: { kind: 'everywhere', bbox: [42, 32, 35, 37] }, prohibitions: [] })
      expect((bbox.json() as ErrorBody).error.details[0]).toMatchObject({ path: 'body.coverage.bbox', code: 'inverted_bbox' })
      expect(await count()).toBe(before)
    })
  })

  describe('evaluation', () => {
    it('shows the reasoning end to end on the demo: a group that joined shells eastern Aleppo, which the co-chairs map differently', async () => {
      const { incidentId, perpetratorActorId } = await incidentOf(analyst, report({ perpetrator: 'Jaysh al-Islam', occurredAt: '2016-03-15T06:30:00Z' }))
      expect(perpetratorActorId).not.toBeNull()
      const res = await analyst.request('GET', `/api/incidents/${incidentId}/compliance`)
      expect(res.statusCode, res.body).toBe(200)
      const c = res.json() as Compliance
      expect(c).toMatchObject({ incidentId, at: '2016-03-15T06:30:00.000Z', categories: ['shelling'] })
      // Only the cessation was in force in Syria then with rules that cover it (Minsk II covers its zones only).
      const syria = c.evaluations.find((e) => e.slug === 'syria-coh-2016')!
      expect(syria.steps.map((s) => [s.step, s.outcome])).toEqual([['in_force', 'yes'], ['covered', 'yes'], ['control', 'disputed'], ['parties', 'evaluated'], ['prohibited', 'yes']])
      expect(syria.steps[2]!.detail).toBe('Russian Federation says Jabhat al-Nusra held it; United States of America says Free Syrian Army held it.')
      const parties = syria.steps[3]!.evidence as { viewpoints: { label: string; perpetrators: { name: string; status: string; throughGuarantors: { name: string }[] }[]; holders: { name: string; status: string }[] }[] }
      const usView = parties.viewpoints.find((v) => v.label === 'United States of America')!
      expect(usView.perpetrators[0]).toMatchObject({ name: 'Jaysh al-Islam', status: 'joined', throughGuarantors: [{ name: 'United States of America' }] })
      expect(usView.holders).toMatchObject([{ name: 'Free Syrian Army', status: 'unknown' }])
      const ruView = parties.viewpoints.find((v) => v.label === 'Russian Federation')!
      expect(ruView.holders).toMatchObject([{ name: 'Jabhat al-Nusra', status: 'excluded' }])
      expect(syria.steps[4]!.detail).toBe('provision 2 (Ending attacks) prohibits shelling.')
      const by = Object.fromEntries(syria.viewpoints.map((v) => [v.label, v.conclusion]))
      expect(by).toMatchObject({ 'United States of America': 'potential_violation', 'Russian Federation': 'target_excluded', consensus: 'potential_violation' })
      expect(syria.viewpoints.find((v) => v.label === 'United States of America')!.sentence).toBe('Potential violation of provision 2 (Ending attacks) of Cessation of Hostilities in Syria.')
      expect(syria.overall).toMatchObject({ conclusion: 'disputed', provision: '2' })
      expect(c.evaluations.some((e) => e.slug === 'minsk-ii-2015' && e.overall.conclusion !== 'not_covered')).toBe(false)
    })

    it('an act by a UN-listed group is outside the truce by every account', async () => {
      const { incidentId } = await incidentOf(analyst, report({ perpetrator: 'Jabhat al-Nusra', category: 'ground_attack', occurredAt: '2016-05-02T09:00:00Z', where: { kind: 'point', lon: 36.42, lat: 33.58, precision: 1 } }))
      const c = (await analyst.request('GET', `/api/incidents/${incidentId}/compliance?agreement=syria-coh-2016`)).json() as Compliance
      expect(c.evaluations).toHaveLength(1)
      expect(c.evaluations[0]!.overall).toMatchObject({ conclusion: 'perpetrator_excluded' })
      expect(c.evaluations[0]!.overall.sentence).toContain('Jabhat al-Nusra')
    })

    it('before the cessation\'s effective date it is not asked; asked about it, it says it was not in force', async () => {
      const { incidentId } = await incidentOf(analyst, report({ occurredAt: '2016-02-20T12:00:00Z', where: { kind: 'point', lon: 38.0, lat: 35.9, precision: 1 } }))
      const all = (await analyst.request('GET', `/api/incidents/${incidentId}/compliance`)).json() as Compliance
      // Minsk II was in force then, elsewhere: it is asked, and answers that it does not cover the place.
      expect(all.evaluations.map((e) => [e.slug, e.overall.conclusion])).toEqual([['minsk-ii-2015', 'not_covered']])
      const one = (await analyst.request('GET', `/api/incidents/${incidentId}/compliance?agreement=syria-coh-2016`)).json() as Compliance
      expect(one.evaluations[0]!.overall.conclusion).toBe('not_in_force')
      expect(one.evaluations[0]!.steps).toHaveLength(1)
    })

    it('Minsk II: heavy weapons inside a withdrawal zone are a potential violation of provision 2, whoever brought them', async () => {
      const { incidentId } = await incidentOf(monitor, report({ occurredAt: '2018-06-11T07:00:00Z', category: 'heavy_weapons_in_zone', where: { kind: 'point', lon: 38.3, lat: 48.5, precision: 1 } }))
      const c = (await monitor.request('GET', `/api/incidents/${incidentId}/compliance`)).json() as Compliance
      const minsk = c.evaluations.find((e) => e.slug === 'minsk-ii-2015')!
      expect(minsk.overall).toEqual({ conclusion: 'potential_violation', provision: '2', sentence: 'Potential violation of provision 2 (Withdrawal of heavy weapons) of Package of Measures for the Implementation of the Minsk Agreements (Minsk II) (the perpetrator is not identified).' })
      const prohibited = minsk.steps.find((s) => s.step === 'prohibited')!
      expect((prohibited.evidence as { provisions: { within: { layer: string }[] }[] }).provisions[0]!.within.every((w) => w.layer === 'minsk-ii-lines')).toBe(true)
      // Far from the line the package does not apply.
      const far = await incidentOf(monitor, report({ occurredAt: '2018-06-12T07:00:00Z', category: 'shelling', where: { kind: 'point', lon: 30.5, lat: 50.45, precision: 1 } }))
      const away = (await monitor.request('GET', `/api/incidents/${far.incidentId}/compliance?agreement=minsk-ii-2015`)).json() as Compliance
      expect(away.evaluations[0]!.overall.conclusion).toBe('not_covered')
    })

    it('an incident whose reports are hidden from the caller answers like a missing one; bad input is a 400 naming the field', async () => {
      const { incidentId } = await incidentOf(us, report({ occurredAt: '2016-06-01T06:00:00Z', visibility: 'internal', where: { kind: 'point', lon: 36.9, lat: 34.7, precision: 1 } }))
      expect((await us.request('GET', `/api/incidents/${incidentId}/compliance`)).statusCode).toBe(200)
      const hidden = await analyst.request('GET', `/api/incidents/${incidentId}/compliance`)
      const missing = await analyst.request('GET', '/api/incidents/00000000-0000-4000-8000-000000000000/compliance')
      expect([hidden.statusCode, missing.statusCode]).toEqual([404, 404])
      expect((hidden.json() as ErrorBody).error).toEqual((missing.json() as ErrorBody).error)
      const badId = await analyst.request('GET', '/api/incidents/not-an-id/compliance')
      expect(badId.statusCode).toBe(400)
      expect((badId.json() as ErrorBody).error.details[0]!.path).toBe('params.id')
      const badAgreement = await us.request('GET', `/api/incidents/${incidentId}/compliance?agreement=no-such-agreement`)
      expect(badAgreement.statusCode).toBe(400)
      expect((badAgreement.json() as ErrorBody).error).toMatchObject({ code: 'unknown_agreement', details: [{ path: 'query.agreement' }] })
      // The reasoning names actors' standing: it needs the registry's read permission.
      expect((await reporter.request('GET', `/api/incidents/${incidentId}/compliance`)).statusCode).toBe(403)
    })
  })
})
