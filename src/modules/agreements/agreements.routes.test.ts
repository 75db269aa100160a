import { randomUUID } from 'node:crypto'
import type { LightMyRequestResponse } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dialects } from '../../../test/helpers/db.ts'
import { anonymous, DEMO, makeTestApp, signIn, type Session, type TestApp } from '../../../test/helpers/app.ts'

type Detail = {
  id: string; slug: string; status: string; version: number; revision: number; visibility: string; ownerPartyId: string
  effectiveFrom: string | null; effectiveTo: string | null; restrictedTo: string[]; actions: { amend: boolean; reportStatus: boolean }
  parties: { partyId: string; slug: string; role: string }[]
  provisions: {
    id: string; number: string; category: string; text: Record<string, string>; title: Record<string, string>; withdrawnAt: string | null
    exclusions: { description: Record<string, string>; designationAuthority: string | null; namedGroup: string | null }[]
    status: { level: number; asOf: string } | null
  }[]
}
type Revision = { revision: number; note: string; partyId: string; changes: { path: string; from: unknown; to: unknown }[] }
type Client = { request: Session['request'] }

/** An error answer without its request id, to compare two answers byte for byte. */
const withoutRequestId = (res: LightMyRequestResponse) => {
  const { requestId: _drop, ...rest } = res.json() as { requestId: string }
  return { status: res.statusCode, body: JSON.stringify(rest) }
}

describe.each(dialects())('agreements API on %s', (dialect) => {
  let t: TestApp
  let party: Record<string, string>
  let s: Record<'admin' | 'us' | 'ru' | 'monitor' | 'analyst' | 'humanitarian' | 'reporter', Session>
  let anon: Client

  beforeAll(async () => {
    t = await makeTestApp(dialect)
    const res = await anonymous(t.app).request('GET', '/api/parties?limit=200')
    party = Object.fromEntries((res.json() as { items: { slug: string; id: string }[] }).items.map((p) => [p.slug, p.id]))
    s = {
      admin: await signIn(t.app, DEMO.admin),
      us: await signIn(t.app, DEMO.coordinatorUs),
      ru: await signIn(t.app, DEMO.coordinatorRu),
      monitor: await signIn(t.app, DEMO.monitor),
      analyst: await signIn(t.app, DEMO.analyst),
      humanitarian: await signIn(t.app, DEMO.humanitarian),
      reporter: await signIn(t.app, DEMO.reporter),
    }
    anon = anonymous(t.app)
  })
  afterAll(async () => { await t?.close() })

  /** A minimal valid agreement; `over` replaces fields. */
  const draft = (slug: string, over: Record<string, unknown> = {}) => ({
    slug, title: { en: `Agreement ${slug}` }, theatre: 'Testland', status: 'draft', visibility: 'public',
    provisions: [{ number: '1', category: 'cessation_of_hostilities', text: { en: 'Stop firing.' } }],
    ...over,
  })
  const create = async (who: Session, body: unknown) => {
    const res = await who.request('POST', '/api/agreements', body)
    expect(res.statusCode, res.body).toBe(201)
    return res.json() as Detail
  }
  const detail = async (who: Client, slug: string) => {
    const res = await who.request('GET', `/api/agreements/${slug}`)
    expect(res.statusCode, res.body).toBe(200)
    return res.json() as Detail
  }

  it('lists the public demo agreements to anonymous visitors', async () => {
    const res = await anon.request('GET', '/api/agreements')
    expect(res.statusCode).toBe(200)
    const slugs = (res.json() as { items: { slug: string }[] }).items.map((a) => a.slug)
    expect(slugs).toEqual(['syria-coh-2016', 'minsk-ii-2015'])
  })

  it('shows a coordinator the provisions and exclusions of an agreement', async () => {
    const res = await s.us.request('GET', '/api/agreements/syria-coh-2016')
    expect(res.statusCode).toBe(200)
    const body = res.json() as { provisions: { number: string; category: string; exclusions: { namedGroup: string | null }[] }[] }
    const exclusion = body.provisions.find((p) => p.category === 'exclusion')
    expect(exclusion?.exclusions.map((e) => e.namedGroup)).toEqual(['ISIL', 'Jabhat al-Nusra', null])
  })

  describe('create', () => {
    it('records an agreement with its parties, provisions and exclusions', async () => {
      const body = {
        slug: 'idlib-2020', title: { en: 'Additional Protocol on Idlib', ru: 'Дополнительный протокол по Идлибу' },
        summary: { en: 'A test agreement.' }, theatre: 'Syria', status: 'signed', signedOn: '2020-03-05',
        effectiveFrom: '2020-03-05T21:00:00Z', visibility: 'public',
        parties: [{ partyId: party.ru, role: 'guarantor' }, { partyId: party.us, role: 'signatory' }],
        provisions: [
          { number: '1', category: 'cessation_of_hostilities', title: { en: 'Ceasefire' }, text: { en: 'All military action stops along the line of contact.' } },
          { number: '2', category: 'exclusion', text: { en: 'Designated groups are excluded.' },
            exclusions: [
              { description: { en: 'Groups designated by the UN Security Council' }, designationAuthority: 'UNSC-1267', namedGroup: 'HTS' },
              { description: { en: 'Others' } },
            ] },
          { number: '2.a', category: 'delineation', text: { en: 'A security corridor 6 km either side of the M4.' } },
        ],
      }
      const res = await s.us.request('POST', '/api/agreements', body)
      expect(res.statusCode, res.body).toBe(201)
      const a = res.json() as Detail
      expect(a).toMatchObject({
        slug: 'idlib-2020', status: 'signed', visibility: 'public', version: 1, revision: 1, ownerPartyId: party.us,
        effectiveFrom: '2020-03-05T21:00:00.000Z', effectiveTo: null,
      })
      expect(a.parties.map((p) => [p.slug, p.role]).sort()).toEqual([['ru', 'guarantor'], ['us', 'signatory']])
      expect(a.provisions.map((p) => p.number)).toEqual(['1', '2', '2.a'])
      expect(a.provisions[1]!.exclusions).toEqual([
        expect.objectContaining({ description: { en: 'Groups designated by the UN Security Council' }, designationAuthority: 'UNSC-1267', namedGroup: 'HTS' }),
        expect.objectContaining({ description: { en: 'Others' }, designationAuthority: null, namedGroup: null }),
      ])
      expect(a.provisions.every((p) => p.status === null)).toBe(true)

      // What was answered is what is stored, and the creation is revision 1.
      // The same record; only what each caller may do with it differs.
      expect({ ...(await detail(anon, 'idlib-2020')), actions: a.actions }).toEqual(a)
      const revisions = await s.us.request('GET', '/api/agreements/idlib-2020/revisions')
      expect((revisions.json() as { items: Revision[] }).items).toEqual([
        expect.objectContaining({ revision: 1, note: 'Created', partyId: party.us, changes: [] }),
      ])
    })

    it('refuses a slug that is taken', async () => {
      const res = await s.us.request('POST', '/api/agreements', draft('syria-coh-2016'))
      expect(res.statusCode).toBe(409)
      expect(res.json()).toMatchObject({ error: { code: 'already_exists' } })
    })
  })

  describe('visibility', () => {
    let restricted: Detail

    beforeAll(async () => {
      restricted = await create(s.us, draft('restricted-to-ru', { visibility: 'restricted', restrictedTo: [party.ru] }))
    })

    it('shows a restricted agreement to its owner and to the parties it names', async () => {
      expect((await detail(s.us, restricted.slug)).id).toBe(restricted.id)
      expect((await detail(s.ru, restricted.id)).slug).toBe(restricted.slug)
      const listed = await s.ru.request('GET', '/api/agreements?limit=200')
      expect((listed.json() as { items: { slug: string }[] }).items.map((a) => a.slug)).toContain(restricted.slug)
    })

    it('answers everyone else exactly as it answers for an agreement that does not exist', async () => {
      const provisionId = restricted.provisions[0]!.id
      const paths = (id: string, provision: string) => [
        `/api/agreements/${id}`,
        `/api/agreements/${id}/revisions`,
        `/api/agreements/${id}/revisions/1`,
        `/api/agreements/${id}/provisions/${provision}/status`,
      ]
      const hidden = [...paths(restricted.slug, provisionId), ...paths(restricted.id, provisionId)]
      const missing = [...paths('no-such-agreement', randomUUID()), ...paths(randomUUID(), randomUUID())]
      for (const who of [s.monitor, s.admin, s.humanitarian, s.reporter, anon]) {
        for (const [i, url] of hidden.entries()) {
          const seen = withoutRequestId(await who.request('GET', url))
          expect(seen.status, url).toBe(404)
          expect(seen, url).toEqual(withoutRequestId(await who.request('GET', missing[i]!)))
        }
        const listed = await who.request('GET', '/api/agreements?limit=200')
        expect((listed.json() as { items: { slug: string }[] }).items.map((a) => a.slug)).not.toContain(restricted.slug)
      }
    })

    it('answers a hidden agreement like a missing one to writers too', async () => {
      const amend = { version: 1, note: 'Try to change it', status: 'signed' }
      const hidden = withoutRequestId(await s.admin.request('PATCH', `/api/agreements/${restricted.slug}`, amend))
      expect(hidden.status).toBe(404)
      expect(hidden).toEqual(withoutRequestId(await s.admin.request('PATCH', '/api/agreements/no-such-agreement', amend)))
      const status = { level: 1, asOf: '2020-01-01T00:00:00Z', evidence: 'Seen it.' }
      const hiddenStatus = withoutRequestId(await s.monitor.request('POST', `/api/agreements/${restricted.slug}/provisions/${restricted.provisions[0]!.id}/status`, status))
      expect(hiddenStatus.status).toBe(404)
      expect(hiddenStatus).toEqual(withoutRequestId(await s.monitor.request('POST', `/api/agreements/no-such-agreement/provisions/${randomUUID()}/status`, status)))
    })

    it('shows an internal agreement to its owner party only', async () => {
      const internal = await create(s.us, draft('internal-us', { visibility: 'internal' }))
      expect((await detail(s.us, internal.slug)).visibility).toBe('internal')
      for (const who of [s.ru, s.admin, s.monitor, s.reporter, anon]) {
        expect((await who.request('GET', `/api/agreements/${internal.slug}`)).statusCode).toBe(404)
      }
    })

    it('shows an agreement for the parties to every participant, but not to the public', async () => {
      const forParties = await create(s.us, draft('parties-only', { visibility: 'parties' }))
      for (const who of [s.us, s.ru, s.admin, s.monitor, s.analyst, s.humanitarian]) {
        expect((await detail(who, forParties.slug)).id).toBe(forParties.id)
      }
      for (const who of [s.reporter, anon]) {
        expect((await who.request('GET', `/api/agreements/${forParties.slug}`)).statusCode).toBe(404)
        const listed = await who.request('GET', '/api/agreements?limit=200')
        expect((listed.json() as { items: { slug: string }[] }).items.map((a) => a.slug)).not.toContain(forParties.slug)
      }
    })
  })

  describe('list', () => {
    it('pages with limit and nextCursor, without repeats or gaps', async () => {
      for (let i = 0; i < 5; i++) await create(s.us, draft(`paging-${i}`))
      // PostgreSQL stamps rows to the microsecond (PGlite's clock to the millisecond): give every
      // new row microseconds, and two of them the same instant, so ties fall to the id.
      await sql`update agreements set created_at = created_at + interval '0.000321 seconds' where slug like 'paging-%'`.execute(t.db.kysely)
      await sql`update agreements set created_at = (select created_at from agreements where slug = 'paging-2') where slug = 'paging-3'`.execute(t.db.kysely)
      const all = await s.us.request('GET', '/api/agreements?limit=200')
      const everything = (all.json() as { items: { id: string }[]; nextCursor: string | null })
      expect(everything.nextCursor).toBeNull()
      expect(everything.items.length).toBeGreaterThanOrEqual(7)

      for (const limit of [1, 2, 3]) {
        const seen: string[] = []
        let cursor: string | null = null
        let pages = 0
        do {
          const url: string = `/api/agreements?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`
          const res = await s.us.request('GET', url)
          expect(res.statusCode, res.body).toBe(200)
          const page = res.json() as { items: { id: string }[]; nextCursor: string | null }
          expect(page.items.length).toBeLessThanOrEqual(limit)
          seen.push(...page.items.map((a) => a.id))
          cursor = page.nextCursor
          expect(++pages).toBeLessThan(50)
        } while (cursor)
        expect(seen, `limit ${limit}`).toEqual(everything.items.map((a) => a.id))
      }
    })

    it('filters by theatre and status', async () => {
      const res = await anon.request('GET', '/api/agreements?theatre=Ukraine&status=terminated')
      expect((res.json() as { items: { slug: string }[] }).items.map((a) => a.slug)).toEqual(['minsk-ii-2015'])
    })
  })

  describe('amend', () => {
    it('changes status, end of validity and provision text, bumping version and revision', async () => {
      const before = await detail(anon, 'syria-coh-2016')
      expect(before).toMatchObject({ version: 1, revision: 1, status: 'in_force', effectiveTo: null })
      const oldText = before.provisions.find((p) => p.number === '2')!.text
      const newText = { en: 'Parties stop attacks of every kind on the forces of the other parties, and report any they see.' }

      // coordinator.ru acts for a guarantor of this agreement.
      const res = await s.ru.request('PATCH', '/api/agreements/syria-coh-2016', {
        version: 1, note: 'Suspended after the September talks', status: 'suspended', effectiveTo: '2016-10-03T00:00:00Z',
        provisions: { update: [{ number: '2', text: newText }] },
      })
      expect(res.statusCode, res.body).toBe(200)
      const after = res.json() as Detail
      expect(after).toMatchObject({ version: 2, revision: 2, status: 'suspended', effectiveTo: '2016-10-03T00:00:00.000Z' })
      expect(after.provisions.find((p) => p.number === '2')!.text).toEqual(newText)
      expect({ ...(await detail(anon, 'syria-coh-2016')), actions: after.actions }).toEqual(after)

      const revisions = (await anon.request('GET', '/api/agreements/syria-coh-2016/revisions')).json() as { items: Revision[] }
      expect(revisions.items.map((r) => r.revision)).toEqual([2, 1])
      const latest = revisions.items[0]!
      expect(latest).toMatchObject({ note: 'Suspended after the September talks', partyId: party.ru })
      expect(latest.changes).toEqual(expect.arrayContaining([
        { path: 'status', from: 'in_force', to: 'suspended' },
        { path: 'effectiveTo', from: null, to: '2016-10-03T00:00:00.000Z' },
        { path: 'provisions.2.text', from: oldText, to: newText },
      ]))
      expect(latest.changes).toHaveLength(3)

      const first = await anon.request('GET', '/api/agreements/syria-coh-2016/revisions/1')
      expect(first.statusCode).toBe(200)
      const snapshot = (first.json() as { revision: number; snapshot: { status: string; effectiveTo: string | null; provisions: { number: string; text: unknown }[] } })
      expect(snapshot.revision).toBe(1)
      expect(snapshot.snapshot.status).toBe('in_force')
      expect(snapshot.snapshot.effectiveTo).toBeNull()
      expect(snapshot.snapshot.provisions.find((p) => p.number === '2')!.text).toEqual(oldText)
      const second = (await anon.request('GET', '/api/agreements/syria-coh-2016/revisions/2')).json() as typeof snapshot
      expect(second.snapshot.status).toBe('suspended')
      expect((await anon.request('GET', '/api/agreements/syria-coh-2016/revisions/3')).statusCode).toBe(404)
    })

    it('refuses a stale version with version_conflict and changes nothing', async () => {
      const before = await detail(anon, 'syria-coh-2016')
      const res = await s.us.request('PATCH', '/api/agreements/syria-coh-2016', {
        version: before.version - 1, note: 'Based on an old copy', status: 'terminated',
      })
      expect(res.statusCode).toBe(409)
      expect(res.json()).toMatchObject({ error: { code: 'version_conflict', details: [{ path: 'version', current: before.version }] } })
      expect(await detail(anon, 'syria-coh-2016')).toEqual(before)
      const revisions = (await anon.request('GET', '/api/agreements/syria-coh-2016/revisions')).json() as { items: Revision[] }
      expect(revisions.items[0]!.revision).toBe(before.revision)
    })

    it('forbids a monitor, who may not edit agreements', async () => {
      const minsk = await detail(anon, 'minsk-ii-2015')
      const res = await s.monitor.request('PATCH', '/api/agreements/minsk-ii-2015', { version: minsk.version, note: 'Monitor edit', status: 'suspended' })
      expect(res.statusCode).toBe(403)
      expect(res.json()).toMatchObject({ error: { code: 'forbidden' } })
      expect(await detail(anon, 'minsk-ii-2015')).toEqual(minsk)
    })

    it('forbids a coordinator whose party is not a guarantor, secretariat or owner of the agreement', async () => {
      const minsk = await detail(anon, 'minsk-ii-2015')
      for (const who of [s.us, s.ru]) {
        // us takes no part in Minsk II; ru is a signatory, which does not make it an editor.
        const res = await who.request('PATCH', '/api/agreements/minsk-ii-2015', { version: minsk.version, note: 'Outside edit', status: 'suspended' })
        expect(res.statusCode).toBe(403)
        expect(res.json()).toMatchObject({ error: { code: 'forbidden' } })
      }
      expect(await detail(anon, 'minsk-ii-2015')).toEqual(minsk)
    })

    it('refuses an amendment that changes nothing, leaving the version as it was', async () => {
      const before = await detail(anon, 'syria-coh-2016')
      const same = before.provisions.find((p) => p.number === '2')!.text
      const res = await s.ru.request('PATCH', '/api/agreements/syria-coh-2016', {
        version: before.version, note: 'No real change', status: before.status, provisions: { update: [{ number: '2', text: same }] },
      })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ error: { code: 'no_changes' } })
      expect(await detail(anon, 'syria-coh-2016')).toEqual(before)
    })

    it('refuses an end of validity before the start already recorded', async () => {
      const before = await detail(anon, 'minsk-ii-2015')
      const res = await s.admin.request('PATCH', '/api/agreements/minsk-ii-2015', {
        version: before.version, note: 'Wrong end date', effectiveTo: '2015-01-01T00:00:00Z',
      })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'body.effectiveTo', code: 'inverted_interval' }] } })
      expect(await detail(anon, 'minsk-ii-2015')).toEqual(before)
    })

    it('adds and withdraws provisions, and lets the owner party amend its own agreement', async () => {
      const own = await create(s.us, draft('owned-by-us'))
      const res = await s.us.request('PATCH', `/api/agreements/${own.slug}`, {
        version: 1, note: 'Add monitoring', provisions: { add: [{ number: '2', category: 'monitoring', text: { en: 'Monitors report weekly.' } }], withdraw: ['1'] },
      })
      expect(res.statusCode, res.body).toBe(200)
      const after = res.json() as Detail
      expect(after.provisions.map((p) => [p.number, p.withdrawnAt !== null])).toEqual([['1', true], ['2', false]])
      const revisions = (await s.us.request('GET', `/api/agreements/${own.slug}/revisions`)).json() as { items: Revision[] }
      expect(revisions.items[0]!.changes.map((c) => c.path).sort()).toEqual(['provisions.1.withdrawnAt', 'provisions.2'])
    })
  })

  describe('provision status', () => {
    const statusUrl = (slug: string, provisionId: string) => `/api/agreements/${slug}/provisions/${provisionId}/status`

    it('records levels with evidence, lists them newest first, and shows the latest by as-of date', async () => {
      const minsk = await detail(anon, 'minsk-ii-2015')
      const withdrawal = minsk.provisions.find((p) => p.number === '2')!
      expect(withdrawal.status).toMatchObject({ level: 2, asOf: '2015-10-20T00:00:00.000Z' })

      const later = await s.monitor.request('POST', statusUrl('minsk-ii-2015', withdrawal.id), {
        level: 3, asOf: '2016-01-15T00:00:00Z', evidence: 'Storage sites verified complete.',
      })
      expect(later.statusCode, later.body).toBe(201)
      expect(later.json()).toMatchObject({ level: 3, asOf: '2016-01-15T00:00:00.000Z', evidence: 'Storage sites verified complete.', partyId: party.osce, provisionId: withdrawal.id })

      // Entered last, but about an earlier date: history places it by date, and it is not the latest.
      const backdated = await s.ru.request('POST', statusUrl('minsk-ii-2015', withdrawal.id), {
        level: 0, asOf: '2015-06-01T00:00:00Z', evidence: 'Heavy weapons seen back at the line in June.',
      })
      expect(backdated.statusCode, backdated.body).toBe(201)

      const history = await anon.request('GET', statusUrl('minsk-ii-2015', withdrawal.id))
      expect(history.statusCode).toBe(200)
      const items = (history.json() as { items: { level: number; asOf: string; partyId: string }[] }).items
      expect(items.map((h) => [h.asOf.slice(0, 10), h.level])).toEqual([
        ['2016-01-15', 3], ['2015-10-20', 2], ['2015-06-01', 0], ['2015-03-07', 1],
      ])
      const now = await detail(anon, 'minsk-ii-2015')
      expect(now.provisions.find((p) => p.number === '2')!.status).toMatchObject({ level: 3, asOf: '2016-01-15T00:00:00.000Z' })
      // Recording status is not an amendment of the terms.
      expect(now.version).toBe(minsk.version)
    })

    it('lets a coordinator of a guarantor report on its agreement', async () => {
      const syria = await detail(anon, 'syria-coh-2016')
      const p = syria.provisions.find((x) => x.number === '3')!
      const res = await s.us.request('POST', statusUrl('syria-coh-2016', p.id), { level: 1, asOf: '2016-03-01T00:00:00Z', evidence: 'Some front lines moved.' })
      expect(res.statusCode, res.body).toBe(201)
      expect((await detail(anon, 'syria-coh-2016')).provisions.find((x) => x.number === '3')!.status).toMatchObject({ level: 1 })
    })

    it('refuses level 4 at body.level', async () => {
      const minsk = await detail(anon, 'minsk-ii-2015')
      const res = await s.monitor.request('POST', statusUrl('minsk-ii-2015', minsk.provisions[0]!.id), { level: 4, asOf: '2016-01-15T00:00:00Z', evidence: 'Beyond complete.' })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ error: { code: 'validation_failed', details: [expect.objectContaining({ path: 'body.level' })] } })
    })

    it('forbids users whose party takes no part in the agreement, and writes nothing', async () => {
      const minsk = await detail(anon, 'minsk-ii-2015')
      const syria = await detail(anon, 'syria-coh-2016')
      const body = { level: 0, asOf: '2016-02-01T00:00:00Z', evidence: 'Reported from outside.' }
      const cases: [Session, Detail][] = [[s.us, minsk], [s.monitor, syria]]
      for (const [who, a] of cases) {
        const p = a.provisions[0]!
        const before = (await anon.request('GET', statusUrl(a.slug, p.id))).body
        const res = await who.request('POST', statusUrl(a.slug, p.id), body)
        expect(res.statusCode).toBe(403)
        expect(res.json()).toMatchObject({ error: { code: 'forbidden' } })
        expect((await anon.request('GET', statusUrl(a.slug, p.id))).body).toBe(before)
      }
      // Without the permission at all, the route itself refuses.
      const res = await s.humanitarian.request('POST', statusUrl('syria-coh-2016', syria.provisions[3]!.id), body)
      expect(res.statusCode).toBe(403)
    })

    it('answers 404 for a provision of another agreement', async () => {
      const syria = await detail(anon, 'syria-coh-2016')
      const res = await anon.request('GET', statusUrl('minsk-ii-2015', syria.provisions[0]!.id))
      expect(res.statusCode).toBe(404)
      expect(res.json()).toMatchObject({ error: { code: 'not_found', message: 'No such provision.' } })
    })
  })
})

describe('what the agreement detail offers each caller', () => {
  let t: TestApp
  beforeAll(async () => { t = await makeTestApp('pglite') })
  afterAll(async () => { await t?.close() })

  it.each([
    ['anonymous', null, 'syria-coh-2016', { amend: false, reportStatus: false }],
    ['a guarantor coordinator', DEMO.coordinatorUs, 'syria-coh-2016', { amend: true, reportStatus: true }],
    ['a coordinator whose party is not in the agreement', DEMO.coordinatorUs, 'minsk-ii-2015', { amend: false, reportStatus: false }],
    ['a monitor of the agreement', DEMO.monitor, 'minsk-ii-2015', { amend: false, reportStatus: true }],
    ['an analyst', DEMO.analyst, 'syria-coh-2016', { amend: false, reportStatus: false }],
  ] as const)('%s', async (_label, email, slug, expected) => {
    const client = email ? await signIn(t.app, email) : anonymous(t.app)
    const res = await client.request('GET', `/api/agreements/${slug}`)
    expect(res.statusCode).toBe(200)
    expect((res.json() as { actions: unknown }).actions).toEqual(expected)
  })
})
