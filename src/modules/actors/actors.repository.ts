// SQL for the actor registry. Every read takes the viewer and filters by visibility in SQL, so a
// hidden actor or claim answers exactly like a missing one.
import { sql, type Kysely, type Selectable } from 'kysely'
import type { ActorClaimsTable, DB } from '../../db/schema.ts'
import type { Cursor } from '../../lib/pagination.ts'
import { visibleTo } from '../../lib/visibility.ts'
import type { Principal } from '../access/access.policy.ts'
import type { Claim } from './viewpoints.ts'

type Db = Kysely<DB>
export type ClaimRow = Selectable<ActorClaimsTable> & { retraction_reason: string | null; retracted_at: Date | null; retraction_submission_id: string | null }

/**
 * A claim as the derivation reads it. With `merges`, a claim about a merged actor speaks of the
 * actor it was merged into (the row itself keeps what was claimed).
 */
export const toClaim = (r: ClaimRow, merges?: ReadonlyMap<string, string>): Claim => ({
  ...plainClaim(r),
  actorId: merges ? survivorOf(merges, r.actor_id) : r.actor_id,
  otherActorId: merges && r.other_actor_id !== null ? survivorOf(merges, r.other_actor_id) : r.other_actor_id,
})

/** The actor `id` now answers as, following merges (a merge never points at itself; chains are short). */
export function survivorOf(merges: ReadonlyMap<string, string>, id: string): string {
  let cur = id
  for (let i = 0; i < 64 && merges.has(cur); i++) cur = merges.get(cur)!
  return cur
}

const plainClaim = (r: ClaimRow): Claim => ({
  id: r.id, fact: r.fact, actorId: r.actor_id, otherActorId: r.other_actor_id, agreementId: r.agreement_id, guarantorPartyId: r.guarantor_party_id,
  kind: r.kind, value: r.value, authority: r.authority, reference: r.reference, validFrom: r.valid_from, validTo: r.valid_to,
  partyId: r.party_id, retracted: r.retracted_at !== null,
})

export function actorsRepository(db: Db) {
  /** Claims the viewer may see, with their retraction if any. */
  const claims = (viewer: Principal) => db.selectFrom('actor_claims as c')
    .leftJoin('actor_claim_retractions as r', 'r.claim_id', 'c.id')
    .selectAll('c')
    .select(['r.reason as retraction_reason', 'r.created_at as retracted_at', 'r.submission_id as retraction_submission_id'])
    .where(visibleTo(viewer, 'c'))

  return {
    find: (viewer: Principal, id: string) =>
      db.selectFrom('actors as a').selectAll('a').where(visibleTo(viewer, 'a')).where('a.id', '=', id).executeTakeFirst(),

    /** Every merge, as merged actor → the actor it was merged into (one hop). */
    merges: async (): Promise<Map<string, string>> => {
      const rows = await db.selectFrom('actors').select(['id', 'merged_into']).where('merged_into', 'is not', null).execute()
      return new Map(rows.map((r) => [r.id, r.merged_into!]))
    },

    /** The actors of `ids` the viewer may see, in one query, ordered by id. */
    findMany: (viewer: Principal, ids: readonly string[]) =>
      ids.length === 0 ? Promise.resolve([])
        : db.selectFrom('actors as a').selectAll('a').where(visibleTo(viewer, 'a')).where('a.id', 'in', [...ids]).orderBy('a.id').execute(),

    /** Which of `ids` the viewer may see. */
    visibleIds: async (viewer: Principal, ids: readonly string[]): Promise<Set<string>> => {
      if (ids.length === 0) return new Set()
      const rows = await db.selectFrom('actors as a').select('a.id').where(visibleTo(viewer, 'a')).where('a.id', 'in', [...ids]).execute()
      return new Set(rows.map((r) => r.id))
    },

    list: (viewer: Principal, limit: number, after: Cursor | undefined, filter: { q?: string | undefined; type?: string | undefined; country?: string | undefined }) => {
      let q = db.selectFrom('actors as a').selectAll('a').where(visibleTo(viewer, 'a'))
      if (filter.type) q = q.where('a.type', '=', filter.type)
      if (filter.country) {
        const country = filter.country
        q = q.where((eb) => eb.exists(eb.selectFrom('actor_claims as c').leftJoin('actor_claim_retractions as r', 'r.claim_id', 'c.id').select(sql`1`.as('one'))
          .whereRef('c.actor_id', '=', 'a.id').where('c.fact', '=', 'country').where('c.value', '=', country).where('r.claim_id', 'is', null).where(visibleTo(viewer, 'c'))))
      }
      if (filter.q) {
        const pattern = `%${filter.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`
        q = q.where((eb) => eb.or([
          sql<boolean>`a.display_name::text ilike ${pattern}`,
          eb.exists(eb.selectFrom('actor_claims as c').select(sql`1`.as('one')).whereRef('c.actor_id', '=', 'a.id').where('c.fact', '=', 'name')
            .where('c.value', 'ilike', pattern).where(visibleTo(viewer, 'c'))),
        ]))
      }
      if (after) q = q.where((eb) => eb.or([eb('a.created_at', '>', new Date(after.k)), eb.and([eb('a.created_at', '=', new Date(after.k)), eb('a.id', '>', after.id)])]))
      return q.orderBy('a.created_at').orderBy('a.id').limit(limit + 1).execute()
    },

    claimsOf: (viewer: Principal, actorIds: readonly string[]): Promise<ClaimRow[]> =>
      actorIds.length === 0 ? Promise.resolve([])
        : claims(viewer).where((eb) => eb.or([eb('c.actor_id', 'in', [...actorIds]), eb('c.other_actor_id', 'in', [...actorIds])]))
          .orderBy('c.created_at').orderBy('c.id').execute(),

    /** Every claim the viewer may see of the given facts (the delineation walks the whole graph). */
    claimsOfFacts: (viewer: Principal, facts: readonly string[]): Promise<ClaimRow[]> =>
      claims(viewer).where('c.fact', 'in', [...facts] as ActorClaimsTable['fact'][]).orderBy('c.created_at').orderBy('c.id').execute(),

    claim: (viewer: Principal, id: string) => claims(viewer).where('c.id', '=', id).executeTakeFirst(),

    /** One party's live membership claims, for the loop check. */
    liveMemberships: (partyId: string) => db.selectFrom('actor_claims as c').leftJoin('actor_claim_retractions as r', 'r.claim_id', 'c.id')
      .select(['c.fact', 'c.actor_id', 'c.other_actor_id', 'c.valid_from', 'c.valid_to'])
      .where('c.fact', '=', 'membership').where('c.party_id', '=', partyId).where('r.claim_id', 'is', null).execute(),

    externalIds: (actorId: string) => db.selectFrom('actor_external_ids').select(['scheme', 'value']).where('actor_id', '=', actorId).orderBy('scheme').orderBy('value').execute(),

    judgementsOf: (actorId: string) => db.selectFrom('actor_judgements').selectAll()
      .where((eb) => eb.or([eb('actor_a', '=', actorId), eb('actor_b', '=', actorId)])).orderBy('created_at').execute(),

    notSame: async (a: string, b: string): Promise<boolean> => {
      const [x, y] = a < b ? [a, b] : [b, a]
      const row = await db.selectFrom('actor_judgements').select('id').where('actor_a', '=', x).where('actor_b', '=', y).where('verdict', '=', 'not_same').executeTakeFirst()
      return row !== undefined
    },

    agreementExclusionAuthorities: async (agreementId: string): Promise<string[]> => {
      const rows = await db.selectFrom('exclusions as e').innerJoin('provisions as p', 'p.id', 'e.provision_id')
        .select('e.designation_authority').distinct().where('p.agreement_id', '=', agreementId).where('e.designation_authority', 'is not', null).execute()
      return rows.map((r) => r.designation_authority!).sort()
    },

    guarantorsOf: (agreementId: string) => db.selectFrom('agreement_parties as ap').innerJoin('parties as p', 'p.id', 'ap.party_id')
      .select(['p.id', 'p.slug', 'p.name']).where('ap.agreement_id', '=', agreementId).where('ap.role', '=', 'guarantor').orderBy('p.slug').execute(),

    guarantorParties: () => db.selectFrom('parties').select(['id', 'slug', 'name']).where('kind', '=', 'guarantor').orderBy('slug').execute(),

    partyExists: async (id: string) => (await db.selectFrom('parties').select('id').where('id', '=', id).executeTakeFirst()) !== undefined,
  }
}

export type ActorsRepository = ReturnType<typeof actorsRepository>
