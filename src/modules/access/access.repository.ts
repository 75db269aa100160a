// SQL for sign-in: users, sessions, failed-attempt counters and API keys.
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'

export function accessRepository(db: Kysely<DB>) {
  return {
    userByEmail: (email: string) =>
      db.selectFrom('users as u').innerJoin('parties as p', 'p.id', 'u.party_id')
        .select(['u.id', 'u.party_id', 'u.email', 'u.display_name', 'u.password_hash', 'u.roles', 'u.locale',
          'u.disabled_at', 'p.kind as party_kind', 'p.slug as party_slug'])
        .where('u.email', '=', email).executeTakeFirst(),

    sessionByTokenHash: (tokenHash: string, now: Date) =>
      db.selectFrom('sessions as s').innerJoin('users as u', 'u.id', 's.user_id').innerJoin('parties as p', 'p.id', 'u.party_id')
        .select(['s.id as session_id', 's.csrf_token', 'u.id as user_id', 'u.party_id', 'u.roles', 'p.kind as party_kind'])
        .where('s.token_hash', '=', tokenHash).where('s.revoked_at', 'is', null).where('s.expires_at', '>', now)
        .where('u.disabled_at', 'is', null)
        .executeTakeFirst(),

    createSession: (row: { token_hash: string; csrf_token: string; user_id: string; expires_at: Date }) =>
      db.insertInto('sessions').values(row).returning(['id']).executeTakeFirstOrThrow(),

    revokeSession: (tokenHash: string, now: Date) =>
      db.updateTable('sessions').set({ revoked_at: now }).where('token_hash', '=', tokenHash).execute(),

    /**
     * Counts one attempt for `key` unless it is locked, in one short transaction that holds the
     * row: parallel attempts queue here, so each sees the count and lock the previous one left.
     * Returns the lock that refused the attempt, or null when the attempt may go ahead.
     */
    countAttempt: (key: string, now: Date, lockFor: (failures: number) => number) =>
      db.transaction().execute(async (trx) => {
        await trx.insertInto('login_attempts').values({ key, failures: 0, last_failure_at: now, locked_until: null })
          .onConflict((oc) => oc.column('key').doNothing()).execute()
        const row = await trx.selectFrom('login_attempts').selectAll().where('key', '=', key).forUpdate().executeTakeFirstOrThrow()
        if (row.locked_until && row.locked_until > now) return row.locked_until
        const failures = row.failures + 1
        const lock = lockFor(failures)
        await trx.updateTable('login_attempts')
          .set({ failures, last_failure_at: now, locked_until: lock > 0 ? new Date(now.getTime() + lock * 1000) : null })
          .where('key', '=', key).execute()
        return null
      }),

    clearFailures: (key: string) => db.deleteFrom('login_attempts').where('key', '=', key).execute(),

    apiKeyByPrefix: (prefix: string) =>
      db.selectFrom('api_keys as k').innerJoin('users as u', 'u.id', 'k.user_id').innerJoin('parties as p', 'p.id', 'k.party_id')
        .select(['k.id', 'k.secret_hash', 'k.scopes', 'k.party_id', 'k.user_id', 'k.expires_at', 'k.revoked_at',
          'u.roles', 'u.disabled_at', 'p.kind as party_kind'])
        .where('k.prefix', '=', prefix).executeTakeFirst(),

    userProfile: (userId: string) =>
      db.selectFrom('users as u').innerJoin('parties as p', 'p.id', 'u.party_id')
        .select(['u.id', 'u.email', 'u.display_name', 'u.party_id', 'p.slug as party_slug', 'u.roles', 'u.locale'])
        .where('u.id', '=', userId).executeTakeFirst(),

    csrfTokenOf: (tokenHash: string) =>
      db.selectFrom('sessions').select('csrf_token').where('token_hash', '=', tokenHash).executeTakeFirst(),

    touchApiKey: (id: string, now: Date) =>
      db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id).execute(),
  }
}
