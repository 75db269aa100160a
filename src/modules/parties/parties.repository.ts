// SQL for parties, users, API keys and party signing keys.
import type { Kysely, Transaction } from 'kysely'
import type { DB, PartyKind } from '../../db/schema.ts'
import type { Cursor } from '../../lib/pagination.ts'

type Q = Kysely<DB> | Transaction<DB>

export function partiesRepository(db: Q) {
  return {
    listParties: (limit: number, after?: Cursor) => {
      let q = db.selectFrom('parties').selectAll().orderBy('slug').orderBy('id').limit(limit + 1)
      if (after) q = q.where((eb) => eb.or([eb('slug', '>', after.k), eb.and([eb('slug', '=', after.k), eb('id', '>', after.id)])]))
      return q.execute()
    },
    partyByIdOrSlug: (idOrSlug: string) =>
      db.selectFrom('parties').selectAll()
        .where(/^[0-9a-f-]{36}$/i.test(idOrSlug) ? 'id' : 'slug', '=', idOrSlug).executeTakeFirst(),
    partiesByIds: (ids: string[]) =>
      ids.length === 0 ? Promise.resolve([]) : db.selectFrom('parties').select(['id']).where('id', 'in', ids).execute(),
    insertParty: (row: { slug: string; name: string; kind: PartyKind }) =>
      db.insertInto('parties').values(row).returningAll().executeTakeFirstOrThrow(),

    listUsers: (scope: string | 'all', limit: number, partyId?: string, after?: Cursor) => {
      let q = db.selectFrom('users').selectAll().orderBy('email').orderBy('id').limit(limit + 1)
      if (scope !== 'all') q = q.where('party_id', '=', scope)
      if (partyId) q = q.where('party_id', '=', partyId)
      if (after) q = q.where((eb) => eb.or([eb('email', '>', after.k), eb.and([eb('email', '=', after.k), eb('id', '>', after.id)])]))
      return q.execute()
    },
    insertUser: (row: { party_id: string; email: string; display_name: string; password_hash: string | null; roles: string[]; locale?: string }) =>
      db.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow(),
    userByEmail: (email: string) => db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst(),

    insertApiKey: (row: { party_id: string; user_id: string; name: string; prefix: string; secret_hash: string; scopes: string[]; expires_at: Date | null }) =>
      db.insertInto('api_keys').values(row).returningAll().executeTakeFirstOrThrow(),
    listApiKeys: (partyId: string) =>
      db.selectFrom('api_keys').selectAll().where('party_id', '=', partyId).orderBy('created_at', 'desc').execute(),
    revokeApiKey: (id: string, partyId: string, now: Date) =>
      db.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).where('party_id', '=', partyId)
        .where('revoked_at', 'is', null).returningAll().executeTakeFirst(),
    apiKeyOfParty: (id: string, partyId: string) =>
      db.selectFrom('api_keys').selectAll().where('id', '=', id).where('party_id', '=', partyId).executeTakeFirst(),

    listPartyKeys: (partyId: string) =>
      db.selectFrom('party_keys').selectAll().where('party_id', '=', partyId).orderBy('valid_from').orderBy('created_at').execute(),
    partyKey: (id: string, partyId: string) =>
      db.selectFrom('party_keys').selectAll().where('id', '=', id).where('party_id', '=', partyId).executeTakeFirst(),
    insertPartyKey: (row: { party_id: string; name: string; public_key: string; key_hash: string; valid_from: Date; valid_to: Date | null; replaces_id: string | null }) =>
      db.insertInto('party_keys').values(row).returningAll().executeTakeFirstOrThrow(),
    endPartyKey: (id: string, validTo: Date) =>
      db.updateTable('party_keys').set({ valid_to: validTo }).where('id', '=', id).execute(),
    revokePartyKey: (id: string, now: Date) =>
      db.updateTable('party_keys').set({ revoked_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),
  }
}
