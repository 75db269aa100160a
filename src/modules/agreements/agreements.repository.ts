// The only SQL for agreements, their parties, provisions, exclusions, revisions and statuses.
// Every read takes the viewer and filters by visibility in SQL.
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely'
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres'
import type { AgreementRole, AgreementStatus, DB, ProvisionCategory, Visibility } from '../../db/schema.ts'
import type { Cursor } from '../../lib/pagination.ts'
import { visibleTo } from '../../lib/visibility.ts'
import type { Principal } from '../access/access.policy.ts'

type Q = Kysely<DB> | Transaction<DB>
const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)

export type AgreementRow = Awaited<ReturnType<ReturnType<typeof agreementsRepository>['find']>> & {}

export type AgreementWrite = {
  slug: string
  title: string
  summary: string
  theatre: string
  status: AgreementStatus
  signed_on: string | null
  effective_from: Date | null
  effective_to: Date | null
  languages: string[]
  visibility: Visibility
  restricted_to: string[]
}

export function agreementsRepository(db: Q) {
  return {
    list: (viewer: Principal, limit: number, after: Cursor | undefined, filter: { theatre?: string | undefined; status?: string | undefined }) => {
      // The cursor keeps created_at to the microsecond: a JavaScript Date has only milliseconds, and
      // a truncated key would hand the last row of a page back as the first row of the next.
      let q = db.selectFrom('agreements as a').selectAll('a')
        .select(sql<string>`to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_at'))
        .where(visibleTo(viewer, 'a'))
        .orderBy('a.created_at').orderBy('a.id').limit(limit + 1)
      if (filter.theatre) q = q.where('a.theatre', '=', filter.theatre)
      if (filter.status) q = q.where('a.status', '=', filter.status as AgreementStatus)
      if (after) {
        const at = sql<Date>`cast(${after.k} as timestamptz)`
        q = q.where((eb) => eb.or([eb('a.created_at', '>', at), eb.and([eb('a.created_at', '=', at), eb('a.id', '>', after.id)])]))
      }
      return q.execute()
    },

    /**
     * The agreement with its parties, provisions, exclusions and each provision's latest status,
     * in one round trip. Timestamps nested in JSON come back as strings. `viewer: 'any'` is for
     * reading back inside a write the caller was already authorised for.
     */
    detail: (viewer: Principal | 'any', idOrSlug: string) =>
      db.selectFrom('agreements as a').selectAll('a')
        .where(viewer === 'any' ? sql<SqlBool>`true` as Expression<SqlBool> : visibleTo(viewer, 'a'))
        .where(isUuid(idOrSlug) ? 'a.id' : 'a.slug', '=', idOrSlug)
        .select((eb) => [
          jsonArrayFrom(eb.selectFrom('agreement_parties as ap').innerJoin('parties as p', 'p.id', 'ap.party_id')
            .select(['ap.party_id', 'ap.role', 'p.slug', 'p.name', 'p.kind'])
            .whereRef('ap.agreement_id', '=', 'a.id').orderBy('ap.role').orderBy('p.slug')).as('parties'),
          jsonArrayFrom(eb.selectFrom('provisions as pr')
            .select(['pr.id', 'pr.number', 'pr.category', 'pr.title', 'pr.text', 'pr.withdrawn_at'])
            .select((e2) => [
              jsonArrayFrom(e2.selectFrom('exclusions as x')
                .select(['x.id', 'x.description', 'x.designation_authority', 'x.named_group'])
                .whereRef('x.provision_id', '=', 'pr.id').orderBy('x.ordinal')).as('exclusions'),
              jsonObjectFrom(e2.selectFrom('provision_status as s').selectAll('s')
                .whereRef('s.provision_id', '=', 'pr.id').orderBy('s.as_of', 'desc').orderBy('s.created_at', 'desc').limit(1)).as('status'),
            ])
            .whereRef('pr.agreement_id', '=', 'a.id').orderBy('pr.ordinal')).as('provisions'),
        ])
        .executeTakeFirst(),

    find: (viewer: Principal, idOrSlug: string, forUpdate = false) => {
      let q = db.selectFrom('agreements as a').selectAll('a').where(visibleTo(viewer, 'a'))
        .where(isUuid(idOrSlug) ? 'a.id' : 'a.slug', '=', idOrSlug)
      if (forUpdate) q = q.forUpdate()
      return q.executeTakeFirst()
    },

    parties: (agreementId: string) =>
      db.selectFrom('agreement_parties as ap').innerJoin('parties as p', 'p.id', 'ap.party_id')
        .select(['ap.party_id', 'ap.role', 'p.slug', 'p.name', 'p.kind'])
        .where('ap.agreement_id', '=', agreementId).orderBy('ap.role').orderBy('p.slug').execute(),

    provisions: (agreementId: string) =>
      db.selectFrom('provisions').selectAll().where('agreement_id', '=', agreementId).orderBy('ordinal').execute(),

    statusHistory: (provisionId: string) =>
      db.selectFrom('provision_status').selectAll().where('provision_id', '=', provisionId)
        .orderBy('as_of', 'desc').orderBy('created_at', 'desc').execute(),

    revisions: (agreementId: string) =>
      db.selectFrom('agreement_revisions').selectAll().where('agreement_id', '=', agreementId).orderBy('revision', 'desc').execute(),

    revision: (agreementId: string, revision: number) =>
      db.selectFrom('agreement_revisions').selectAll().where('agreement_id', '=', agreementId).where('revision', '=', revision).executeTakeFirst(),

    existingParties: (ids: string[]) =>
      ids.length === 0 ? Promise.resolve([] as { id: string }[]) : db.selectFrom('parties').select('id').where('id', 'in', ids).execute(),

    insert: (row: AgreementWrite & { owner_party_id: string }) =>
      db.insertInto('agreements').values({ ...row, updated_at: sql<Date>`now()` }).returningAll().executeTakeFirstOrThrow(),

    /** Optimistic update: changes the row only if it is still at `version`. */
    update: (id: string, version: number, row: Partial<AgreementWrite>) =>
      db.updateTable('agreements')
        .set((eb) => ({ ...row, version: eb('version', '+', 1), revision: eb('revision', '+', 1), stamp: eb('stamp', '+', 1), updated_at: sql<Date>`now()` }))
        .where('id', '=', id).where('version', '=', version).returningAll().executeTakeFirst(),

    replaceParties: async (agreementId: string, parties: { partyId: string; role: AgreementRole }[]) => {
      await db.deleteFrom('agreement_parties').where('agreement_id', '=', agreementId).execute()
      if (parties.length > 0) {
        await db.insertInto('agreement_parties')
          .values(parties.map((p) => ({ agreement_id: agreementId, party_id: p.partyId, role: p.role }))).execute()
      }
    },

    insertProvision: (row: { agreement_id: string; number: string; ordinal: number; category: ProvisionCategory; title: string; text: string }) =>
      db.insertInto('provisions').values(row).returningAll().executeTakeFirstOrThrow(),

    updateProvision: (id: string, row: { category?: ProvisionCategory; title?: string; text?: string; withdrawn_at?: Date | null }) =>
      db.updateTable('provisions').set(row).where('id', '=', id).execute(),

    replaceExclusions: async (provisionId: string, rows: { description: string; designation_authority: string | null; named_group: string | null }[]) => {
      await db.deleteFrom('exclusions').where('provision_id', '=', provisionId).execute()
      if (rows.length > 0) await db.insertInto('exclusions').values(rows.map((r, ordinal) => ({ ...r, ordinal, provision_id: provisionId }))).execute()
    },

    insertRevision: (row: { agreement_id: string; revision: number; party_id: string; user_id: string | null; summary: string; changes: string; snapshot: string; submission_id: string }) =>
      db.insertInto('agreement_revisions').values(row).returningAll().executeTakeFirstOrThrow(),

    bumpStamp: (id: string) =>
      db.updateTable('agreements').set((eb) => ({ stamp: eb('stamp', '+', 1) })).where('id', '=', id).execute(),

    insertStatus: (row: { provision_id: string; level: number; as_of: Date; evidence: string; party_id: string; user_id: string | null; submission_id: string }) =>
      db.insertInto('provision_status').values(row).returningAll().executeTakeFirstOrThrow(),
  }
}
