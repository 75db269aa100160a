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

    attempts: (key: string) => db.selectFrom('login_attempts').selectAll().where('key', '=', key).executeTakeFirst(),

    recordFailure: (key: string, now: Date, lockedUntil: Date | null) =>
      db.insertInto('login_attempts').values({ key, failures: 1, last_failure_at: now, locked_until: lockedUntil })
        .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({
          failures: eb('login_attempts.failures', '+', 1),
          last_failure_at: now,
          locked_until: lockedUntil,
        }))).execute(),

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
