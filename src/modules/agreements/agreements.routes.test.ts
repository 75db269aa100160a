import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dialects } from '../../../test/helpers/db.ts'
import { anonymous, DEMO, makeTestApp, signIn, type TestApp } from '../../../test/helpers/app.ts'

describe.each(dialects())('agreements API on %s', (dialect) => {
  let t: TestApp
  beforeAll(async () => { t = await makeTestApp(dialect) })
  afterAll(async () => { await t?.close() })

  it('lists the public demo agreements to anonymous visitors', async () => {
    const res = await anonymous(t.app).request('GET', '/api/agreements')
    expect(res.statusCode).toBe(200)
    const slugs = (res.json() as { items: { slug: string }[] }).items.map((a) => a.slug)
    expect(slugs).toEqual(['syria-coh-2016', 'minsk-ii-2015'])
  })

  it('shows a coordinator the provisions and exclusions of an agreement', async () => {
    const s = await signIn(t.app, DEMO.coordinatorUs)
    const res = await s.request('GET', '/api/agreements/syria-coh-2016')
    expect(res.statusCode).toBe(200)
    const body = res.json() as { provisions: { number: string; category: string; exclusions: { namedGroup: string | null }[] }[] }
    const exclusion = body.provisions.find((p) => p.category === 'exclusion')
    expect(exclusion?.exclusions.map((e) => e.namedGroup)).toEqual(['ISIL', 'Jabhat al-Nusra', null])
  })
})
