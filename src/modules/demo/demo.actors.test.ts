// The demo's armed-actor registry as an analyst meets it: the groups under their names in three
// scripts, the renames, and the delineation of the Syria CoH on 15 March 2016, where the two
// co-chairs' lists disagree about Ahrar al-Sham and Jaysh al-Fatah but agree on the listed groups.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO, makeTestApp, signIn, type Session, type TestApp } from '../../../test/helpers/app.ts'
import { DEMO_ACTORS } from './demo.actors.ts'

type Delineation = {
  viewpoints: { key: string; kind: string; label: string }[]
  rows: { actorId: string; name: string; disagreement: boolean; cells: Record<string, { status: string; reasons: { kind: string; via: string[]; claimIds: string[] }[] }> }[]
}

describe('the demo actor registry', () => {
  let t: TestApp
  let analyst: Session
  beforeAll(async () => {
    t = await makeTestApp('pglite')
    analyst = await signIn(t.app, DEMO.analyst)
  })
  afterAll(async () => { await t?.close() })

  const find = async (q: string) => ((await analyst.request('GET', `/api/actors?q=${encodeURIComponent(q)}`)).json() as { items: { id: string; displayName: Record<string, string> }[] }).items

  it('finds each group by its English, Arabic and Russian names', async () => {
    for (const q of ['Jabhat al-Nusra', 'جبهة النصرة', 'Джебхат ан-Нусра', 'Хайят Тахрир аш-Шам', 'Джейш аль-Ислам', 'Ахрар аш-Шам', 'Джебхат Фатх аш-Шам']) {
      expect((await find(q)).length, q).toBeGreaterThan(0)
    }
    const all = (await analyst.request('GET', '/api/actors?limit=500')).json() as { items: unknown[] }
    expect(all.items.length).toBeGreaterThanOrEqual(DEMO_ACTORS.length)
  })

  it('delineates the Syria CoH on 2016-03-15 with the co-chairs disagreeing about Ahrar al-Sham', async () => {
    const res = await analyst.request('GET', '/api/agreements/syria-coh-2016/delineation?at=2016-03-15')
    expect(res.statusCode, res.body).toBe(200)
    const d = res.json() as Delineation
    const key = (label: string) => d.viewpoints.find((v) => v.label === label)!.key
    const us = key('United States of America')
    const ru = key('Russian Federation')
    const row = (name: string) => d.rows.find((r) => r.name === name)!
    for (const listed of ['Jabhat al-Nusra', 'Islamic State in Iraq and the Levant (ISIL)']) {
      expect(Object.values(row(listed).cells).map((c) => c.status), listed).toEqual(['excluded', 'excluded', 'excluded', 'excluded'])
      expect(row(listed).disagreement).toBe(false)
    }
    const ahrar = row('Ahrar al-Sham')
    expect(ahrar.disagreement).toBe(true)
    expect(ahrar.cells[us]!.status).toBe('joined')
    expect(ahrar.cells[ru]!).toMatchObject({ status: 'excluded', reasons: [{ kind: 'member_of_designated' }] })
    expect(ahrar.cells['consensus']!.status).toBe('unknown')
    expect(row('Jaysh al-Islam').cells['consensus']!.status).toBe('joined')
    expect(row('Southern Front').cells[us]!.status).toBe('joined')
    expect(row('Southern Front').cells[ru]!.status).toBe('unknown')
    // Renamed later: on this date neither successor of Nusra is excluded yet.
    expect(row('Jabhat Fateh al-Sham').cells[us]!.status).toBe('unknown')
    const later = (await analyst.request('GET', '/api/agreements/syria-coh-2016/delineation?at=2017-03-01')).json() as Delineation
    expect(later.rows.find((r) => r.name === "Hay'at Tahrir al-Sham")!.cells['consensus']).toMatchObject({ status: 'excluded', reasons: [{ kind: 'successor_of_designated' }] })
  })

  it('keeps the US claim it withdrew, marked with the reason', async () => {
    const [ahrar] = await find('Ahrar al-Sham')
    const detail = (await analyst.request('GET', `/api/actors/${ahrar!.id}`)).json() as { claims: { fact: string; retracted: { reason: string } | null }[] }
    expect(detail.claims.filter((c) => c.fact === 'accession' && c.retracted !== null)).toHaveLength(1)
  })
})
