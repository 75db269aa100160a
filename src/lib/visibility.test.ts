// Who sees what: one table of visibility × viewer, checked against the rule in code and against
// the same rule as SQL on a real database, so the two can never disagree.
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dialects, openTestDb, type TestDatabase } from '../../test/helpers/db.ts'
import { ANONYMOUS, permissionsOf, type Principal } from '../modules/access/access.policy.ts'
import { isVisible, visibleTo } from './visibility.ts'

const OWNER = randomUUID()
const NAMED = randomUUID()
const OTHER = randomUUID()
const PUBLIC = randomUUID()

const member = (partyId: string, partyKind: string): Principal => ({
  kind: 'user', userId: randomUUID(), partyId, partyKind, roles: ['coordinator'], permissions: permissionsOf(['coordinator']), apiKeyId: null,
})

const VIEWERS = {
  anonymous: ANONYMOUS,
  'member of the public party': member(PUBLIC, 'public'),
  'member of the owner party': member(OWNER, 'monitor'),
  'member of a party on the list': member(NAMED, 'guarantor'),
  'member of another party': member(OTHER, 'signatory'),
  'API key of another party': { ...member(OTHER, 'signatory'), kind: 'apikey' as const, apiKeyId: randomUUID() },
} satisfies Record<string, Principal>
type Viewer = keyof typeof VIEWERS

type Case = { id: string; visibility: string; owner_party_id: string; restricted_to: string[]; seenBy: Viewer[] }
const EVERYONE = Object.keys(VIEWERS) as Viewer[]
const PARTICIPANTS: Viewer[] = ['member of the owner party', 'member of a party on the list', 'member of another party', 'API key of another party']

const CASES: Case[] = [
  { id: 'public', visibility: 'public', owner_party_id: OWNER, restricted_to: [], seenBy: EVERYONE },
  { id: 'parties', visibility: 'parties', owner_party_id: OWNER, restricted_to: [], seenBy: PARTICIPANTS },
  { id: 'restricted', visibility: 'restricted', owner_party_id: OWNER, restricted_to: [NAMED], seenBy: ['member of the owner party', 'member of a party on the list'] },
  { id: 'restricted-empty', visibility: 'restricted', owner_party_id: OWNER, restricted_to: [], seenBy: ['member of the owner party'] },
  { id: 'restricted-to-public', visibility: 'restricted', owner_party_id: OWNER, restricted_to: [PUBLIC, NAMED], seenBy: ['member of the public party', 'member of the owner party', 'member of a party on the list'] },
  { id: 'internal', visibility: 'internal', owner_party_id: OWNER, restricted_to: [], seenBy: ['member of the owner party'] },
  // A list on an internal record grants nothing: internal means the owner only.
  { id: 'internal-with-list', visibility: 'internal', owner_party_id: OWNER, restricted_to: [NAMED], seenBy: ['member of the owner party'] },
]

const expected = (viewer: Viewer) => CASES.filter((c) => c.seenBy.includes(viewer)).map((c) => c.id).sort()

describe('isVisible', () => {
  for (const c of CASES) {
    for (const viewer of EVERYONE) {
      const sees = c.seenBy.includes(viewer)
      it(`${c.id}: ${viewer} ${sees ? 'sees it' : 'does not see it'}`, () => {
        expect(isVisible(VIEWERS[viewer], c)).toBe(sees)
      })
    }
  }
})

describe.each(dialects())('visibleTo in SQL on %s', (dialect) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await openTestDb(dialect)
    await db.exec(`create table visibility_cases (id text primary key, visibility text not null, owner_party_id uuid not null, restricted_to uuid[] not null)`)
    for (const c of CASES) {
      await sql`insert into visibility_cases values (${c.id}, ${c.visibility}, ${c.owner_party_id}, ${c.restricted_to}::uuid[])`.execute(db.kysely)
    }
  })
  afterAll(async () => { await db?.dispose() })

  it.each(EVERYONE)('selects exactly the rows the table gives %s', async (viewer) => {
    const rows = await sql<{ id: string }>`select c.id from visibility_cases as c where ${visibleTo(VIEWERS[viewer], 'c')}`.execute(db.kysely)
    const ids = rows.rows.map((r) => r.id).sort()
    expect(ids).toEqual(expected(viewer))
    // And the code rule says the same for every row.
    expect(CASES.filter((c) => isVisible(VIEWERS[viewer], c)).map((c) => c.id).sort()).toEqual(ids)
  })

  it('filters real agreements the same way', async () => {
    const parties = await db.kysely.selectFrom('parties').select(['id', 'slug', 'kind']).execute()
    const ru = parties.find((p) => p.slug === 'ru')!
    const us = parties.find((p) => p.slug === 'us')!
    const visible = async (viewer: Principal) =>
      (await db.kysely.selectFrom('agreements as a').select('a.slug').where(visibleTo(viewer, 'a')).orderBy('a.slug').execute()).map((r) => r.slug)
    expect(await visible(ANONYMOUS)).toEqual(['minsk-ii-2015', 'syria-coh-2016'])
    await db.kysely.updateTable('agreements').set({ visibility: 'restricted', restricted_to: [ru.id], owner_party_id: us.id })
      .where('slug', '=', 'syria-coh-2016').execute()
    expect(await visible(ANONYMOUS)).toEqual(['minsk-ii-2015'])
    expect(await visible(member(ru.id, ru.kind))).toEqual(['minsk-ii-2015', 'syria-coh-2016'])
    expect(await visible(member(us.id, us.kind))).toEqual(['minsk-ii-2015', 'syria-coh-2016'])
    expect(await visible(member(OTHER, 'monitor'))).toEqual(['minsk-ii-2015'])
  })
})
