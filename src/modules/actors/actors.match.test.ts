// Matching through the API on a real database: a name in any script finds the actor, with a band
// and the evidence; dates rank and flag; a party matches only names it may see; a merged actor
// answers as its survivor; "not same" judgements block a candidate in context; a country as
// context orders a band and explains itself, never lifting a candidate out of its band; lists
// match in one call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO, makeTestApp, signIn, type Session, type TestApp } from '../../../test/helpers/app.ts'

type Match = { actorId: string; score: number; band: string; cameIntoUseLater: boolean; matchedName: { value: string }; features: { feature: string }[] }

describe('matching names against the registry', () => {
  let t: TestApp
  let analyst: Session
  let us: Session
  let ru: Session
  const ids = {} as Record<'nusra' | 'jfs' | 'jaysh' | 'fatah' | 'secret' | 'dup', string>
  const create = async (who: Session, body: Record<string, unknown>) => {
    const res = await who.request('POST', '/api/actors', { type: 'armed_group', source: 'test fixture', ...body })
    expect(res.statusCode, res.body).toBe(201)
    return (res.json() as { id: string }).id
  }
  const match = async (who: Session, body: Record<string, unknown>) => {
    const res = await who.request('POST', '/api/actors/match', body)
    expect(res.statusCode, res.body).toBe(200)
    return (res.json() as { candidates: Match[] }).candidates
  }

  beforeAll(async () => {
    t = await makeTestApp('pglite')
    analyst = await signIn(t.app, DEMO.analyst)
    us = await signIn(t.app, DEMO.coordinatorUs)
    ru = await signIn(t.app, DEMO.coordinatorRu)
    ids.nusra = await create(analyst, {
      displayName: { en: 'Liwa Suqur al-Jabal (test)' },
      names: [
        { kind: 'name', value: 'Liwa Suqur al-Jabal', lang: 'en', validTo: '2016-07-27' },
        { kind: 'alias', value: 'لواء صقور الجبل', lang: 'ar' },
        { kind: 'alias', value: 'Suqour al-Jabal Brigade', lang: 'en' },
      ],
    })
    ids.jfs = await create(analyst, { displayName: { en: 'Jabhat Suqur al-Jabal al-Jadida (test)' }, names: [{ kind: 'name', value: 'Jabhat Suqur al-Jabal al-Jadida', lang: 'en', validFrom: '2016-07-28' }] })
    ids.jaysh = await create(analyst, { displayName: { en: 'Jaysh al-Tawhid (test)' }, names: [{ kind: 'name', value: 'Jaysh al-Tawhid', lang: 'en' }] })
    ids.fatah = await create(analyst, { displayName: { en: 'Jaysh al-Tahrir (test)' }, names: [{ kind: 'name', value: 'Jaysh al-Tahrir', lang: 'en' }] })
    ids.secret = await create(us, { displayName: { en: 'Liwa al-Sirri' }, visibility: 'internal', names: [{ kind: 'name', value: 'Liwa al-Sirri', lang: 'en' }] })
    ids.dup = await create(analyst, { displayName: { en: 'Jaish al-Tawheed (duplicate)' }, names: [{ kind: 'name', value: 'Jaish al-Tawheed', lang: 'en' }] })
    const designation = await analyst.request('POST', `/api/actors/${ids.nusra}/claims`, { fact: 'designation', authority: 'UNSC-1267', reference: 'QDe.991', listedOn: '2014-05-14', source: 'UN list' })
    expect(designation.statusCode).toBe(201)
  })
  afterAll(async () => { await t?.close() })

  it('finds an actor from its name in Cyrillic, Arabic or Latin, or its reference, with a band and the evidence', async () => {
    for (const name of ['Лива Сукур аль-Джабаль', 'لواء صقور الجبل', 'Liwa Suqour al Jabal', 'QDe.991']) {
      const [top] = await match(analyst, { name })
      expect(top?.actorId, name).toBe(ids.nusra)
      expect(['automatic', 'review'], name).toContain(top!.band)
      expect(top!.features.length, name).toBeGreaterThan(0)
    }
    const [exact] = await match(analyst, { name: 'Jaysh al-Tawhid' })
    expect(exact).toMatchObject({ actorId: ids.jaysh, band: 'automatic' })
    // A hard negative sharing the generic word stays below automatic.
    const fatah = (await match(analyst, { name: 'Jaysh al-Tawhid' })).find((c) => c.actorId === ids.fatah)
    expect(fatah === undefined || fatah.band !== 'automatic').toBe(true)
  })

  it('ranks names valid at the date first, and flags a name that came into use later', async () => {
    const early = await match(analyst, { name: 'Jabhat Suqur al-Jabal al-Jadida', at: '2016-03-01' })
    expect(early.find((c) => c.actorId === ids.jfs)?.cameIntoUseLater).toBe(true)
    const later = await match(analyst, { name: 'Jabhat Suqur al-Jabal al-Jadida', at: '2016-09-01' })
    expect(later[0]).toMatchObject({ actorId: ids.jfs, cameIntoUseLater: false })
  })

  it("matches only names the viewer may see", async () => {
    expect((await match(us, { name: 'Liwa al-Sirri' }))[0]?.actorId).toBe(ids.secret)
    expect((await match(ru, { name: 'Liwa al-Sirri' })).map((c) => c.actorId)).not.toContain(ids.secret)
  })

  it('answers a merged actor as its survivor, and applies "not same" judgements in context', async () => {
    const before = await match(analyst, { name: 'Jaish al-Tawheed' })
    expect(before.map((c) => c.actorId)).toEqual(expect.arrayContaining([ids.dup, ids.jaysh]))
    // Looking for Jaysh al-Tawhid's duplicates: an analyst says Jaysh al-Tahrir is not the same.
    await analyst.request('POST', '/api/actor-judgements', { actorA: ids.jaysh, actorB: ids.fatah, verdict: 'not_same' })
    const inContext = await match(analyst, { name: 'Jaysh al-Tawhid', actorId: ids.jaysh })
    expect(inContext.map((c) => c.actorId)).not.toContain(ids.fatah)
    expect(inContext.map((c) => c.actorId)).not.toContain(ids.jaysh)
    const merged = await analyst.request('POST', `/api/actors/${ids.dup}/merge`, { into: ids.jaysh, version: 1 })
    expect(merged.statusCode, merged.body).toBe(200)
    const after = await match(analyst, { name: 'Jaish al-Tawheed' })
    expect(after[0]?.actorId).toBe(ids.jaysh)
    expect(after.map((c) => c.actorId)).not.toContain(ids.dup)
  })

  it('puts the actors an agreement concerns first within a band, with the agreement as context', async () => {
    const plain = await create(analyst, { displayName: { en: 'Liwa al-Haqq (elsewhere)' }, names: [{ kind: 'name', value: 'Liwa al-Haqq', lang: 'en' }] })
    const party = await create(analyst, { displayName: { en: 'Liwa al-Haqq (Idlib)' }, names: [{ kind: 'name', value: 'Liwa al-Haqq', lang: 'en' }] })
    const accession = await us.request('POST', `/api/actors/${party}/claims`, { fact: 'accession', agreementId: 'syria-coh-2016', action: 'joined', date: '2016-02-27', source: 'test fixture' })
    expect(accession.statusCode, accession.body).toBe(201)
    const withContext = await match(analyst, { name: 'Liwa al-Haqq', agreement: 'syria-coh-2016' }) as (Match & { concerned: boolean | null })[]
    const mine = withContext.filter((c) => c.actorId === plain || c.actorId === party)
    expect(mine.map((c) => [c.actorId, c.concerned])).toEqual([[party, true], [plain, false]])
    expect((await match(analyst, { name: 'Liwa al-Haqq' }) as (Match & { concerned: boolean | null })[]).every((c) => c.concerned === null)).toBe(true)
    const unknown = await analyst.request('POST', '/api/actors/match', { name: 'x', agreement: 'no-such-agreement' })
    expect(unknown.statusCode).toBe(400)
    expect((unknown.json() as { error: { code: string; details: { path: string }[] } }).error).toMatchObject({ code: 'unknown_agreement', details: [{ path: 'body.agreement' }] })
  })

  it('puts the actors operating in the context country first within a band, says why, and never lifts a band', async () => {
    const iraq = await create(analyst, { displayName: { en: 'Kataib al-Nasr (Iraq)' }, countries: ['IQ'], names: [{ kind: 'name', value: 'Kataib al-Nasr', lang: 'en' }] })
    const syria = await create(analyst, { displayName: { en: 'Kataib al-Nasr (Syria)' }, countries: ['SY'], names: [{ kind: 'name', value: 'Kataib al-Nasr', lang: 'en' }] })
    const unknown = await create(analyst, { displayName: { en: 'Kataib al-Nasr (somewhere)' }, names: [{ kind: 'name', value: 'Kataib al-Nasr', lang: 'en' }] })
    // A weaker name in Syria: a lower band, which the country must not lift.
    const weaker = await create(analyst, { displayName: { en: 'Kataib Ansar al-Nasr (Syria)' }, countries: ['SY'], names: [{ kind: 'name', value: 'Kataib Ansar al-Nasr', lang: 'en' }] })
    type WithCountry = Match & { features: { feature: string; status?: string; countries?: string[]; detail?: string }[] }
    const ours = (list: WithCountry[]) => list.filter((c) => [iraq, syria, unknown, weaker].includes(c.actorId))
    const plain = ours(await match(analyst, { name: 'Kataib al-Nasr' }) as WithCountry[])
    expect(plain.every((c) => !c.features.some((f) => f.feature === 'country'))).toBe(true)

    const inSyria = ours(await match(analyst, { name: 'Kataib al-Nasr', country: 'SY' }) as WithCountry[])
    expect(inSyria[0]?.actorId).toBe(syria)
    const status = (id: string) => inSyria.find((c) => c.actorId === id)?.features.find((f) => f.feature === 'country')
    expect(status(syria)).toMatchObject({ status: 'match', countries: ['SY'], detail: 'operates in SY (Syria)' })
    expect(status(iraq)).toMatchObject({ status: 'other_country', countries: ['IQ'] })
    expect(status(unknown)).toMatchObject({ status: 'unknown', countries: [] })
    // Scores and bands are the plain match's: the country only orders within a band.
    const byId = new Map(plain.map((c) => [c.actorId, c]))
    for (const c of inSyria) expect([c.score, c.band], c.actorId).toEqual([byId.get(c.actorId)!.score, byId.get(c.actorId)!.band])
    const band = new Map([['automatic', 0], ['review', 1], ['possible', 2]])
    expect(inSyria.map((c) => band.get(c.band)!)).toEqual([...inSyria.map((c) => band.get(c.band)!)].sort())
    // The weaker name in Syria stays in review, after the automatic ones elsewhere or nowhere known.
    expect(inSyria.map((c) => c.band)).toEqual(['automatic', 'automatic', 'automatic', 'review'])
    expect([inSyria[0]!.actorId, new Set(inSyria.slice(1, 3).map((c) => c.actorId)), inSyria[3]!.actorId]).toEqual([syria, new Set([unknown, iraq]), weaker])
    // Iraq as context puts the Iraqi one first.
    expect(ours(await match(analyst, { name: 'Kataib al-Nasr', country: 'iq' }) as WithCountry[])[0]?.actorId).toBe(iraq)

    const batch = await analyst.request('POST', '/api/actors/match/batch', { names: [{ name: 'Kataib al-Nasr' }, { name: 'Kataib al-Nasr', country: 'IQ' }], country: 'SY', limit: 5 })
    expect(batch.statusCode, batch.body).toBe(200)
    const { results } = batch.json() as { results: { country: string | null; candidates: WithCountry[] }[] }
    expect(results.map((r) => [r.country, ours(r.candidates)[0]?.actorId])).toEqual([['SY', syria], ['IQ', iraq]])

    for (const [path, body] of [['/api/actors/match', { name: 'x', country: 'XK' }], ['/api/actors/match/batch', { names: [{ name: 'x', country: 'Syria' }] }]] as const) {
      const bad = await analyst.request('POST', path, body)
      expect(bad.statusCode).toBe(400)
      expect((bad.json() as { error: { details: { path: string }[] } }).error.details.map((d) => d.path)).toEqual([path.endsWith('batch') ? 'body.names.0.country' : 'body.country'])
    }
  })

  it('matches a list in one call, and refuses bad requests naming the field', async () => {
    const res = await analyst.request('POST', '/api/actors/match/batch', { names: [{ name: 'Джейш ат-Таухид' }, { name: 'Liwa Suqur al-Jabal', at: '2016-03-01' }, { name: 'Qqqzx Wwvbn' }], limit: 2 })
    expect(res.statusCode, res.body).toBe(200)
    const { results } = res.json() as { results: { name: string; candidates: Match[] }[] }
    expect(results.map((r) => r.candidates[0]?.actorId)).toEqual([ids.jaysh, ids.nusra, undefined])
    for (const [body, path] of [[{ name: '' }, 'body.name'], [{ name: 'x', at: '2016-13-01' }, 'body.at'], [{ name: 'x', limit: 1000 }, 'body.limit']] as const) {
      const bad = await analyst.request('POST', '/api/actors/match', body)
      expect(bad.statusCode).toBe(400)
      expect((bad.json() as { error: { details: { path: string }[] } }).error.details.map((d) => d.path)).toContain(path)
    }
  })
})
