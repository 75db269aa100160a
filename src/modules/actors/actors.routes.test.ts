// The actor registry through the API on both databases: actors and claims are recorded (each a
// submission), bad claims get 400s naming the field, hidden actors answer like missing ones, a
// party retracts only its own claims, "not same" blocks a merge, countries of operation are claims
// with a checked ISO code, and the delineation of the Syria CoH shows the two guarantors
// disagreeing about a group the way they did in 2016.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anonymous, DEMO, makeTestApp, signIn, type Session, type TestApp } from '../../../test/helpers/app.ts'
import { dialects } from '../../../test/helpers/db.ts'

type Actor = { id: string; version: number; claims: { id: string; fact: string; partyId: string; retracted: unknown }[] }
type Delineation = {
  viewpoints: { key: string; kind: string; partyId?: string }[]
  rows: { actorId: string; name: string; disagreement: boolean; cells: Record<string, { status: string; reasons: { kind: string; claimIds: string[]; via: string[] }[] }> }[]
}
type ErrorBody = { error: { code: string; details: { path?: string; message: string }[] } }

const meta = { source: 'test fixture', asOf: '2016-03-01', confidence: 'high' as const, visibility: 'parties' as const }

describe.each(dialects())('the actor registry on %s', (dialect) => {
  let t: TestApp
  let us: Session
  let ru: Session
  let analyst: Session
  let usParty: string
  let ruParty: string
  const ids = {} as Record<'nusra' | 'ahrar' | 'jaysh' | 'fateh' | 'jfs', string>

  const create = async (who: Session, en: string, type = 'armed_group', extra: Record<string, unknown> = {}) => {
    const res = await who.request('POST', '/api/actors', { type, displayName: { en }, names: [{ kind: 'name', value: en, lang: 'en' }], source: 'test fixture', ...extra })
    expect(res.statusCode, res.body).toBe(201)
    return (res.json() as Actor).id
  }
  const claim = (who: Session, actorId: string, body: Record<string, unknown>) => who.request('POST', `/api/actors/${actorId}/claims`, { ...meta, ...body })

  beforeAll(async () => {
    t = await makeTestApp(dialect)
    us = await signIn(t.app, DEMO.coordinatorUs)
    ru = await signIn(t.app, DEMO.coordinatorRu)
    analyst = await signIn(t.app, DEMO.analyst)
    usParty = ((await us.request('GET', '/api/auth/me')).json() as { partyId: string }).partyId
    ruParty = ((await ru.request('GET', '/api/auth/me')).json() as { partyId: string }).partyId
    ids.nusra = await create(us, 'Jabhat al-Nusra')
    ids.ahrar = await create(us, 'Ahrar al-Sham')
    ids.jaysh = await create(us, 'Jaysh al-Islam')
    ids.fateh = await create(us, 'Jaysh al-Fatah', 'umbrella')
    ids.jfs = await create(us, 'Jabhat Fatah al-Sham')
  })
  afterAll(async () => { await t?.close() })

  it('records an actor with its names as claims, each in the submission record', async () => {
    const res = await us.request('GET', `/api/actors/${ids.nusra}`)
    expect(res.statusCode).toBe(200)
    const actor = res.json() as Actor & { claims: { fact: string; value: string; script: string; partyId: string; submissionId: string }[] }
    expect(actor.claims).toHaveLength(1)
    expect(actor.claims[0]).toMatchObject({ fact: 'name', value: 'Jabhat al-Nusra', script: 'Latn', partyId: usParty })
    const arabic = await claim(ru, ids.nusra, { fact: 'name', kind: 'alias', value: 'جبهة النصرة', lang: 'ar' })
    expect(arabic.statusCode, arabic.body).toBe(201)
    expect(arabic.json()).toMatchObject({ script: 'Arab', partyId: ruParty, kind: 'alias' })
    const submission = await t.db.kysely.selectFrom('submissions').select(['kind', 'party_id']).where('id', '=', (arabic.json() as { submissionId: string }).submissionId).executeTakeFirstOrThrow()
    expect(submission).toEqual({ kind: 'actor.claim.name', party_id: ruParty })
    const found = await us.request('GET', '/api/actors?q=%D8%A7%D9%84%D9%86%D8%B5%D8%B1%D8%A9')
    // The demo registers its own Jabhat al-Nusra (with this Arabic name) too.
    expect((found.json() as { items: { id: string }[] }).items.map((a) => a.id)).toContain(ids.nusra)
  })

  it('answers bad claims with 400 naming the field: inverted interval, unknown actor or agreement, membership loop', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ fact: 'membership', umbrellaId: ids.fateh, validFrom: '2016-05-01', validTo: '2016-01-01' }, 'validation_failed', 'body.validTo'],
      [{ fact: 'designation', authority: 'UNSC-1267', reference: 'QDe.137', listedOn: '2014-05-14', delistedOn: '2013-01-01' }, 'validation_failed', 'body.delistedOn'],
      [{ fact: 'membership', umbrellaId: randomUUID() }, 'unknown_actor', 'body.umbrellaId'],
      [{ fact: 'succession', predecessorId: ids.ahrar, kind: 'rename', date: '2016-07-28' }, 'self_reference', 'body.predecessorId'],
      [{ fact: 'accession', agreementId: 'no-such-agreement', action: 'joined', date: '2016-02-27' }, 'unknown_agreement', 'body.agreementId'],
      [{ fact: 'name', kind: 'nickname', value: 'x' }, 'validation_failed', 'body.kind'],
      [{ fact: 'membership', umbrellaId: ids.fateh, confidence: 'certain' }, 'validation_failed', 'body.confidence'],
    ]
    for (const [body, code, path] of cases) {
      const target = body.fact === 'succession' ? ids.ahrar : ids.ahrar
      const res = await claim(us, target, body)
      expect(res.statusCode, JSON.stringify(body)).toBe(400)
      const err = (res.json() as ErrorBody).error
      expect(err.code, JSON.stringify(body)).toBe(code)
      expect(err.details.map((d) => d.path), JSON.stringify(body)).toContain(path)
    }
    // A loop: Ahrar in Jaysh al-Fatah (2015–2017), then Jaysh al-Fatah in Ahrar over an overlapping time.
    expect((await claim(us, ids.ahrar, { fact: 'membership', umbrellaId: ids.fateh, validFrom: '2015-03-24', validTo: '2017-01-28' })).statusCode).toBe(201)
    const loop = await claim(us, ids.fateh, { fact: 'membership', umbrellaId: ids.ahrar, validFrom: '2016-01-01', validTo: '2016-06-01' })
    expect(loop.statusCode).toBe(400)
    expect((loop.json() as ErrorBody).error).toMatchObject({ code: 'membership_loop', details: [{ path: 'body.umbrellaId' }] })
    // Not a loop when the times do not overlap, nor across different parties' claims.
    expect((await claim(us, ids.fateh, { fact: 'membership', umbrellaId: ids.ahrar, validFrom: '2018-01-01' })).statusCode).toBe(201)
    expect((await claim(ru, ids.fateh, { fact: 'membership', umbrellaId: ids.ahrar, validFrom: '2016-01-01', validTo: '2016-06-01' })).statusCode).toBe(201)
    // Nothing half-written: the refused claims left no rows.
    const rows = await t.db.kysely.selectFrom('actor_claims').select('id').where('actor_id', '=', ids.ahrar).where('fact', '<>', 'name').execute()
    expect(rows).toHaveLength(1)
  })

  it('records countries of operation as claims: at creation or later, checked, listed, viewed and withdrawn', async () => {
    const made = await us.request('POST', '/api/actors', {
      type: 'armed_group', displayName: { en: 'Liwa Test al-Shamal' }, names: [{ kind: 'name', value: 'Liwa Test al-Shamal' }], countries: ['SY', 'iq', 'SY'], source: 'test fixture',
    })
    expect(made.statusCode, made.body).toBe(201)
    const actor = made.json() as Omit<Actor, 'claims'> & { countries: string[]; claims: { id: string; fact: string; value: string | null }[] }
    expect(actor.countries).toEqual(['IQ', 'SY'])
    expect(actor.claims.filter((c) => c.fact === 'country').map((c) => c.value).sort()).toEqual(['IQ', 'SY'])
    // Another party says it also fought in Türkiye, for a while.
    const tr = await claim(ru, actor.id, { fact: 'country', country: 'TR', validFrom: '2016-08-24', validTo: '2017-03-29' })
    expect(tr.statusCode, tr.body).toBe(201)
    expect(tr.json()).toMatchObject({ fact: 'country', value: 'TR', validFrom: '2016-08-24', partyId: ruParty })
    for (const [body, path, code] of [
      [{ fact: 'country', country: 'XK' }, 'body.country', 'unknown_country'],
      [{ fact: 'country', country: 'SYR' }, 'body.country', 'invalid_format'],
      [{ fact: 'country', country: 'SY', validFrom: '2017-01-01', validTo: '2016-01-01' }, 'body.validTo', 'inverted_interval'],
    ] as const) {
      const bad = await claim(us, actor.id, body)
      expect(bad.statusCode, JSON.stringify(body)).toBe(400)
      expect((bad.json() as { error: { details: { path: string; code: string }[] } }).error.details).toContainEqual(expect.objectContaining({ path, code }))
    }
    const badCreate = await us.request('POST', '/api/actors', { type: 'armed_group', displayName: { en: 'x' }, countries: ['SY', 'ZZ'], source: 's' })
    expect((badCreate.json() as ErrorBody).error.details.map((d) => d.path)).toEqual(['body.countries.1'])

    const inTurkey = (await analyst.request('GET', '/api/actors?country=TR')).json() as { items: { id: string }[] }
    expect(inTurkey.items.map((a) => a.id)).toEqual([actor.id])
    expect((await analyst.request('GET', '/api/actors?country=tr')).json()).toMatchObject({ items: [{ id: actor.id }] })
    const badList = await analyst.request('GET', '/api/actors?country=XX')
    expect(badList.statusCode).toBe(400)
    expect((badList.json() as ErrorBody).error.details.map((d) => d.path)).toEqual(['query.country'])

    // Each viewpoint holds its own party's countries.
    const view = (viewpoint: string) => us.request('GET', `/api/actors/${actor.id}/view?viewpoint=${viewpoint}&at=2016-09-01`)
      .then((r) => (r.json() as { countries: { country: string; validTo: string | null }[] }).countries.map((c) => c.country).sort())
    expect(await view(`party:${usParty}`)).toEqual(['IQ', 'SY'])
    expect(await view(`party:${ruParty}`)).toEqual(['TR'])
    expect(await view('consensus')).toEqual([])

    // Withdrawn, a country no longer counts; the claim stays.
    const iq = actor.claims.find((c) => c.fact === 'country' && c.value === 'IQ')!
    expect((await us.request('POST', `/api/actor-claims/${iq.id}/retract`, { reason: 'a mistake' })).statusCode).toBe(200)
    const after = (await us.request('GET', `/api/actors/${actor.id}`)).json() as { countries: string[]; claims: { fact: string }[] }
    expect(after.countries).toEqual(['SY', 'TR'])
    expect(after.claims.filter((c) => c.fact === 'country')).toHaveLength(3)

    // Exported as FollowTheMoney `country`, in lower case, per viewpoint.
    const ftm = await us.request('GET', `/api/actors/export?format=ftm&viewpoint=party:${usParty}`)
    const org = ftm.body.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; properties: Record<string, string[]> })
      .find((e) => e.id === `truce-actor-${actor.id}`)
    expect(org?.properties.country).toEqual(['sy'])
  })

  it('hides an internal actor from other parties exactly like a missing one', async () => {
    const secret = await create(us, 'A cell only the US has identified', 'armed_group', { visibility: 'internal' })
    for (const path of [`/api/actors/${secret}`, `/api/actors/${secret}/view?viewpoint=consensus`]) {
      const hidden = await ru.request('GET', path)
      const missing = await ru.request('GET', path.replace(secret, randomUUID()))
      expect(hidden.statusCode).toBe(404)
      expect((hidden.json() as ErrorBody).error).toEqual((missing.json() as ErrorBody).error)
    }
    expect((await us.request('GET', `/api/actors/${secret}`)).statusCode).toBe(200)
    // Claiming a membership in it is refused as an unknown actor, not as forbidden.
    const res = await claim(ru, ids.jaysh, { fact: 'membership', umbrellaId: secret })
    expect((res.json() as ErrorBody).error.code).toBe('unknown_actor')
    expect((await ru.request('GET', `/api/actors?q=only+the+US`)).json()).toMatchObject({ items: [] })
    // The public sees no registry at all.
    expect((await anonymous(t.app).request('GET', '/api/actors')).statusCode).toBe(401)
  })

  it('lets a party retract only its own claims, and keeps the claim, marked', async () => {
    const made = await claim(us, ids.jaysh, { fact: 'name', kind: 'abbreviation', value: 'JaI' })
    const id = (made.json() as { id: string }).id
    const notMine = await ru.request('POST', `/api/actor-claims/${id}/retract`, { reason: 'no' })
    expect(notMine.statusCode).toBe(403)
    const mine = await us.request('POST', `/api/actor-claims/${id}/retract`, { reason: 'a typo' })
    expect(mine.statusCode).toBe(200)
    expect(mine.json()).toMatchObject({ id, retracted: { reason: 'a typo' } })
    expect((await us.request('POST', `/api/actor-claims/${id}/retract`, { reason: 'again' })).statusCode).toBe(409)
    const actor = (await us.request('GET', `/api/actors/${ids.jaysh}`)).json() as Actor
    expect(actor.claims.find((c) => c.id === id)?.retracted).toMatchObject({ reason: 'a typo' })
  })

  it('blocks a merge of two actors an analyst judged not the same, and merges otherwise', async () => {
    const dup = await create(analyst, 'Jaish al-Islam')
    const other = await create(analyst, 'Jaysh al-Izza')
    const judged = await analyst.request('POST', '/api/actor-judgements', { actorA: other, actorB: ids.jaysh, verdict: 'not_same', note: 'different groups' })
    expect(judged.statusCode).toBe(201)
    const blocked = await analyst.request('POST', `/api/actors/${other}/merge`, { into: ids.jaysh, version: 1 })
    expect(blocked.statusCode).toBe(409)
    expect((blocked.json() as ErrorBody).error.code).toBe('judged_not_same')
    // A claim made about the duplicate before the merge counts for the survivor after it.
    expect((await claim(analyst, dup, { fact: 'designation', authority: 'TEST-LIST', reference: 'T.1', listedOn: '2015-01-01' })).statusCode).toBe(201)
    const merged = await analyst.request('POST', `/api/actors/${dup}/merge`, { into: ids.jaysh, version: 1 })
    expect(merged.statusCode, merged.body).toBe(200)
    expect(merged.json()).toMatchObject({ id: dup, mergedInto: ids.jaysh, version: 2 })
    const analystParty = ((await analyst.request('GET', '/api/auth/me')).json() as { partyId: string }).partyId
    const view = (await analyst.request('GET', `/api/actors/${ids.jaysh}/view?viewpoint=party:${analystParty}&at=2016-01-01`)).json() as { names: { value: string }[]; designations: { reference: string }[] }
    expect(view.designations.map((d) => d.reference)).toEqual(['T.1'])
    expect(view.names.map((n) => n.value)).toContain('Jaish al-Islam')
    expect((await analyst.request('POST', `/api/actors/${dup}/merge`, { into: ids.jaysh, version: 1 })).statusCode).toBe(409)
    // Monitors may claim but not merge.
    const monitor = await signIn(t.app, DEMO.monitor)
    expect((await monitor.request('POST', `/api/actors/${other}/merge`, { into: ids.jaysh, version: 1 })).statusCode).toBe(403)
  })

  it('splits a new actor off an existing one, keeping every claim and the succession', async () => {
    const both = await create(analyst, 'Harakat Nour al-Din al-Zenki')
    const alias = (await claim(analyst, both, { fact: 'name', kind: 'alias', value: 'Zenki Movement splinter' })).json() as { id: string }
    const ruAlias = (await claim(ru, both, { fact: 'name', kind: 'alias', value: 'Движение Нур ад-Дин аз-Зенки (отколовшиеся)' })).json() as { id: string }
    const split = await analyst.request('POST', `/api/actors/${both}/split`, {
      type: 'armed_group', displayName: { en: 'Zenki splinter' }, nameClaimIds: [alias.id, ruAlias.id], date: '2017-07-20', source: 'analyst note',
    })
    expect(split.statusCode, split.body).toBe(201)
    const created = split.json() as { id: string; claims: { fact: string; value: string | null; otherActorId: string | null; kind: string | null }[] }
    expect(created.claims.filter((c) => c.fact === 'name').map((c) => c.value).sort()).toEqual(['Zenki Movement splinter', 'Движение Нур ад-Дин аз-Зенки (отколовшиеся)'])
    expect(created.claims.find((c) => c.fact === 'succession')).toMatchObject({ otherActorId: both, kind: 'split' })
    // The analyst's own alias on the original is retracted; Russia's claim is untouched.
    const original = (await analyst.request('GET', `/api/actors/${both}`)).json() as Actor
    expect(original.claims.find((c) => c.id === alias.id)?.retracted).toMatchObject({ reason: `split off into ${created.id}` })
    expect(original.claims.find((c) => c.id === ruAlias.id)?.retracted).toBeNull()
    const bad = await analyst.request('POST', `/api/actors/${both}/split`, { type: 'armed_group', displayName: { en: 'x' }, nameClaimIds: [randomUUID()], source: 's' })
    expect((bad.json() as ErrorBody).error).toMatchObject({ code: 'unknown_claim', details: [{ path: 'body.nameClaimIds.0' }] })
  })

  it('turns a UCDP coalition into an umbrella with members once an analyst confirms it, in one step', async () => {
    const csv = 'id,side_a,side_b,country\n1,"Ahrar al-Sham, Jaysh al-Islam",Government of Syria,Syria\n2,"Ahrar al-Sham, Jaysh al-Islam",Government of Syria,Syria\n3,"A, B",C,Syria\n'
    const imported = await analyst.request('POST', '/api/actors/import?format=ucdp', csv, { 'content-type': 'text/csv' })
    expect(imported.statusCode, imported.body).toBe(201)
    const pending = (await analyst.request('GET', '/api/actor-candidates')).json() as { items: { id: string; raw: string; parts: string[]; occurrences: number }[] }
    const coalition = pending.items.find((c) => c.raw === 'Ahrar al-Sham, Jaysh al-Islam')!
    expect(coalition).toMatchObject({ parts: ['Ahrar al-Sham', 'Jaysh al-Islam'], occurrences: 2, countries: ['SY'] })
    const base = { source: 'UCDP GED 2016', asOf: '2016-12-31', validFrom: '2016-01-01', validTo: '2016-12-31' }
    const badPart = await analyst.request('POST', `/api/actor-candidates/${coalition.id}/confirm`, { ...base, members: [{ part: 'Nobody', actorId: ids.ahrar }] })
    expect(badPart.statusCode).toBe(400)
    expect((badPart.json() as ErrorBody).error.details[0]).toMatchObject({ path: 'body.members.0.part' })
    const confirmed = await analyst.request('POST', `/api/actor-candidates/${coalition.id}/confirm`, {
      ...base, members: [{ part: 'Ahrar al-Sham', actorId: ids.ahrar }, { part: 'Jaysh al-Islam', actorId: ids.jaysh }],
    })
    expect(confirmed.statusCode, confirmed.body).toBe(200)
    const { umbrellaId, claims } = confirmed.json() as { umbrellaId: string; claims: { actorId: string; otherActorId: string; fact: string }[] }
    expect(claims.map((c) => [c.actorId, c.otherActorId, c.fact])).toEqual([[ids.ahrar, umbrellaId, 'membership'], [ids.jaysh, umbrellaId, 'membership']])
    expect((await analyst.request('GET', `/api/actors/${umbrellaId}`)).json()).toMatchObject({ type: 'umbrella', displayName: { en: 'Ahrar al-Sham, Jaysh al-Islam' }, countries: ['SY'] })
    // The rows were in Syria: the umbrella and each member operate there, by the analyst's claim.
    const ahrar = (await analyst.request('GET', `/api/actors/${ids.ahrar}`)).json() as { countries: string[]; claims: { fact: string; value: string | null; partyId: string; validFrom: string | null }[] }
    expect(ahrar.countries).toEqual(['SY'])
    expect(ahrar.claims.filter((c) => c.fact === 'country')).toMatchObject([{ value: 'SY', validFrom: '2016-01-01' }])
    expect((await analyst.request('POST', `/api/actor-candidates/${coalition.id}/confirm`, { ...base, members: [{ part: 'Ahrar al-Sham', actorId: ids.ahrar }] })).statusCode).toBe(409)
    const other = pending.items.find((c) => c.raw === 'A, B')!
    expect((await analyst.request('POST', `/api/actor-candidates/${other.id}/reject`)).json()).toMatchObject({ status: 'rejected' })
    expect((await analyst.request('GET', '/api/actor-candidates')).json()).toMatchObject({ items: [] })
  })

  it("delineates the Syria CoH per guarantor, their consensus and the UN list, showing where they disagree and why", async () => {
    // Both guarantors and the UN list: Nusra is designated; JFS is Nusra renamed (July 2016).
    for (const who of [us, ru]) {
      expect((await claim(who, ids.nusra, { fact: 'designation', authority: 'UNSC-1267', reference: 'QDe.137', listedOn: '2014-05-14' })).statusCode).toBe(201)
      expect((await claim(who, ids.jfs, { fact: 'succession', predecessorId: ids.nusra, kind: 'rename', date: '2016-07-28' })).statusCode).toBe(201)
    }
    expect((await claim(analyst, ids.nusra, { fact: 'designation', authority: 'UNSC 1267', reference: 'QDe.137', listedOn: '2014-05-14' })).statusCode).toBe(201)
    // The US says Ahrar al-Sham joined through it; Russia says Ahrar fights inside an umbrella with Nusra.
    expect((await claim(us, ids.ahrar, { fact: 'accession', agreementId: 'syria-coh-2016', guarantorPartyId: usParty, action: 'joined', date: '2016-02-27' })).statusCode).toBe(201)
    expect((await claim(ru, ids.fateh, { fact: 'membership', umbrellaId: ids.nusra, validFrom: '2015-03-24' })).statusCode).toBe(201)
    // (From July: Russia's own earlier claim put Jaysh al-Fatah inside Ahrar until June, and a loop is refused.)
    expect((await claim(ru, ids.ahrar, { fact: 'membership', umbrellaId: ids.fateh, validFrom: '2015-03-24' })).statusCode).toBe(400)
    expect((await claim(ru, ids.ahrar, { fact: 'membership', umbrellaId: ids.fateh, validFrom: '2016-07-01' })).statusCode).toBe(201)
    // Both say Jaysh al-Islam joined.
    for (const [who, party] of [[us, usParty], [ru, ruParty]] as const) {
      expect((await claim(who, ids.jaysh, { fact: 'accession', agreementId: 'syria-coh-2016', guarantorPartyId: party, action: 'joined', date: '2016-02-27' })).statusCode).toBe(201)
    }

    const res = await analyst.request('GET', '/api/agreements/syria-coh-2016/delineation?at=2016-09-01')
    expect(res.statusCode, res.body).toBe(200)
    const d = res.json() as Delineation
    const us_ = `party:${usParty}`
    const ru_ = `party:${ruParty}`
    expect(d.viewpoints.map((v) => v.key)).toEqual(expect.arrayContaining([us_, ru_, 'consensus', 'authority:UNSC-1267']))
    const row = (id: string) => d.rows.find((r) => r.actorId === id)!
    expect(row(ids.nusra).cells['consensus']!.status).toBe('excluded')
    expect(row(ids.nusra).cells['authority:UNSC-1267']!.status).toBe('excluded')
    // JFS: excluded as Nusra's successor by rename, by both guarantors.
    expect(row(ids.jfs).cells['consensus']).toMatchObject({ status: 'excluded', reasons: [{ kind: 'successor_of_designated', via: [ids.nusra] }] })
    // The UN list says nothing of JFS in this registry: an authority's silence is no disagreement.
    expect(row(ids.jfs).cells['authority:UNSC-1267']!.status).toBe('unknown')
    expect(row(ids.jfs).disagreement).toBe(false)
    // Ahrar: joined for the US, joined yet excluded for Russia (member of an umbrella inside Nusra).
    const ahrar = row(ids.ahrar)
    expect(ahrar.disagreement).toBe(true)
    expect(ahrar.cells[us_]!.status).toBe('joined')
    expect(ahrar.cells[ru_]!.status).toBe('excluded')
    expect(ahrar.cells[ru_]!.reasons[0]).toMatchObject({ kind: 'member_of_designated', via: [ids.fateh, ids.nusra] })
    expect(ahrar.cells[ru_]!.reasons[0]!.claimIds.length).toBe(3)
    expect(ahrar.cells['consensus']!.status).toBe('unknown')
    // Before the truce, nobody had joined.
    const early = (await analyst.request('GET', '/api/agreements/syria-coh-2016/delineation?at=2016-01-01')).json() as Delineation
    expect(early.rows.find((r) => r.actorId === ids.jaysh)!.cells[us_]!.status).toBe('unknown')
    expect(d.rows.find((r) => r.actorId === ids.jaysh)!.cells['consensus']!.status).toBe('joined')
    // Disagreements come first.
    expect(d.rows.findIndex((r) => !r.disagreement)).toBeGreaterThan(d.rows.findLastIndex((r) => r.disagreement))

    const csv = await analyst.request('GET', '/api/agreements/syria-coh-2016/delineation?at=2016-09-01&format=csv')
    expect(csv.statusCode).toBe(200)
    expect(csv.headers['content-type']).toMatch(/^text\/csv/)
    const lines = csv.body.trim().split('\r\n')
    expect(lines[0]).toMatch(/^actor_id,actor,type,disagreement,/)
    expect(lines).toHaveLength(d.rows.length + 1)
    expect(lines.find((l) => l.startsWith(ids.ahrar))).toContain(',yes,')

    const view = await ru.request('GET', `/api/actors/${ids.ahrar}/view?viewpoint=party:${ruParty}&at=2016-09-01`)
    expect(view.json()).toMatchObject({ memberOf: [{ actorId: ids.fateh }] })
    expect((await us.request('GET', `/api/actors/${ids.ahrar}/view?viewpoint=party:${usParty}&at=2016-09-01`)).json()).toMatchObject({ memberOf: [{ actorId: ids.fateh }] })
    expect((await us.request('GET', `/api/actors/${ids.ahrar}/view?viewpoint=nobody`)).statusCode).toBe(400)
  })
})
