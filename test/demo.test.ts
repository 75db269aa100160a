// The demo scenario as a new user meets it: every demo login works, and loading it again adds
// nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_USERS } from '../src/modules/demo/demo.scenario.ts'
import { loadDemo } from '../src/modules/demo/demo.service.ts'
import { makeTestApp, signIn, type TestApp } from './helpers/app.ts'
import { dialects } from './helpers/db.ts'

describe.each(dialects())('the demo scenario on %s', (dialect) => {
  let t: TestApp
  beforeAll(async () => { t = await makeTestApp(dialect) })
  afterAll(async () => { await t?.close() })

  it.each(DEMO_USERS.map((u) => [u.email, u.roles.join(',')]))('%s (%s) signs in and is who the demo says', async (email, roles) => {
    const s = await signIn(t.app, email)
    const me = (await s.request('GET', '/api/auth/me')).json() as { user: { email: string; roles: string[] } }
    expect(me.user.email).toBe(email)
    expect(me.user.roles.join(',')).toBe(roles)
  })

  it('loads only once: a second load writes nothing', async () => {
    const count = async () => Number((await t.db.kysely.selectFrom('submissions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
    const before = await count()
    expect(before).toBeGreaterThan(0)
    expect((await loadDemo(t.db.kysely)).loaded).toBe(false)
    expect(await count()).toBe(before)
  })

  it('tells the public that both agreements exist, in their languages', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/agreements' })
    const items = (res.json() as { items: { slug: string; title: Record<string, string> }[] }).items
    const syria = items.find((a) => a.slug === 'syria-coh-2016')!
    const minsk = items.find((a) => a.slug === 'minsk-ii-2015')!
    expect(Object.keys(syria.title).sort()).toEqual(['ar', 'en', 'ru', 'uk'])
    expect(Object.keys(minsk.title).sort()).toEqual(['ar', 'en', 'ru', 'uk'])
  })

  it('shows the co-chairs at work on an incident: an allegation, its request for information answered, a review, and a monitor\'s finding', async () => {
    const ru = await signIn(t.app, 'coordinator.ru@truce.demo')
    const list = (await ru.request('GET', '/api/incidents?q=eastern%20districts%20of%20Damascus')).json() as { items: { id: string; state: string }[] }
    expect(list.items).toHaveLength(1)
    expect(list.items[0]!.state).toBe('under_review')
    const view = (await ru.request('GET', `/api/incidents/${list.items[0]!.id}/verification`)).json() as {
      allegations: { requests: { responses: unknown[] }[] }[]; transitions: { to: string }[]
    }
    expect(view.allegations).toHaveLength(1)
    expect(view.allegations[0]!.requests[0]!.responses).toHaveLength(1)
    const avdiivka = (await ru.request('GET', '/api/incidents?q=Avdiivka')).json() as { items: { id: string }[] }
    const found = (await ru.request('GET', `/api/incidents/${avdiivka.items[0]!.id}/verification`)).json() as { findings: { confidence: string }[] }
    expect(found.findings.map((f) => f.confidence)).toEqual(['highly_probable'])
    // The monitors' own public report is the public's to read, with its review; the parties' finding is not.
    const publicView = (await t.app.inject({ method: 'GET', url: `/api/incidents/${avdiivka.items[0]!.id}/verification` })).json() as { state: string; findings: unknown[] }
    expect(publicView).toMatchObject({ state: 'under_review', findings: [] })
    const publicList = (await t.app.inject({ method: 'GET', url: '/api/incidents' })).json() as { items: { id: string }[] }
    expect(publicList.items.map((i) => i.id)).toEqual([avdiivka.items[0]!.id])
  })
})
