// Sign-in and identification. People sign in with a password and get an HTTP-only session
// cookie plus a CSRF token; machines present an API key. Repeated failures for one account lock
// it for a growing time, so guessing a password costs hours, not seconds.
import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { AppError, tooManyRequests } from '../../lib/errors.ts'
import { dummyPasswordHash, randomToken, safeEqual, sha256Hex, verifyPassword } from '../../lib/secrets.ts'
import { isRole, permissionsOf, type Principal, type Role } from './access.policy.ts'
import { accessRepository } from './access.repository.ts'

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000
/** Failures allowed before the account is locked; each further failure doubles the lock. */
export const FREE_FAILURES = 3
const MAX_LOCK_S = 15 * 60

export const lockSeconds = (failures: number) =>
  failures < FREE_FAILURES ? 0 : Math.min(MAX_LOCK_S, 2 ** (failures - FREE_FAILURES))

const rolesOf = (raw: string[]): Role[] => raw.filter(isRole)

export type LoginResult = {
  sessionToken: string
  csrfToken: string
  expiresAt: Date
  user: { id: string; email: string; displayName: string; partyId: string; partySlug: string; roles: Role[]; locale: string }
}

/** last_used_at is bookkeeping, not security: write it at most once a minute per key. */
const TOUCH_EVERY_MS = 60_000

export function accessService(db: Kysely<DB>, now: () => Date = () => new Date()) {
  const repo = accessRepository(db)
  const touched = new Map<string, number>()

  return {
    async login(emailRaw: string, password: string): Promise<LoginResult> {
      const email = emailRaw.trim().toLowerCase()
      const t = now()
      // The attempt counts as a failure until the password proves right, so guesses sent in
      // parallel cannot all be checked before the first of them locks the account.
      const lockedUntil = await repo.countAttempt(email, t, lockSeconds)
      if (lockedUntil) throw tooManyRequests(Math.ceil((lockedUntil.getTime() - t.getTime()) / 1000))
      const user = await repo.userByEmail(email)
      const ok = await verifyPassword(password, user?.password_hash ?? await dummyPasswordHash())
      if (!user || !ok || user.disabled_at !== null || user.password_hash === null) {
        throw new AppError(401, 'invalid_credentials', 'The email or password is wrong.')
      }
      await repo.clearFailures(email)
      const sessionToken = randomToken()
      const csrfToken = randomToken(24)
      const expiresAt = new Date(t.getTime() + SESSION_TTL_MS)
      await repo.createSession({ token_hash: sha256Hex(sessionToken), csrf_token: csrfToken, user_id: user.id, expires_at: expiresAt })
      return {
        sessionToken, csrfToken, expiresAt,
        user: {
          id: user.id, email: user.email, displayName: user.display_name, partyId: user.party_id,
          partySlug: user.party_slug, roles: rolesOf(user.roles), locale: user.locale,
        },
      }
    },

    async logout(sessionToken: string): Promise<void> {
      await repo.revokeSession(sha256Hex(sessionToken), now())
    },

    /** The principal behind a session cookie, with the CSRF token its unsafe requests must echo. */
    async fromSession(sessionToken: string): Promise<{ principal: Principal; csrfToken: string } | null> {
      const s = await repo.sessionByTokenHash(sha256Hex(sessionToken), now())
      if (!s) return null
      const roles = rolesOf(s.roles)
      return {
        csrfToken: s.csrf_token,
        principal: {
          kind: 'user', userId: s.user_id, partyId: s.party_id, partyKind: s.party_kind, roles,
          permissions: permissionsOf(roles), apiKeyId: null,
        },
      }
    },

    /** The caller as the web client needs it: profile, permissions and the CSRF token. */
    async me(principal: Principal, sessionToken: string | undefined) {
      const row = principal.userId ? await repo.userProfile(principal.userId) : undefined
      const user = row ? {
        id: row.id, email: row.email, displayName: row.display_name, partyId: row.party_id, partySlug: row.party_slug,
        roles: [...principal.roles], locale: row.locale,
      } : null
      const csrf = principal.kind === 'user' && sessionToken ? await repo.csrfTokenOf(sha256Hex(sessionToken)) : undefined
      return {
        kind: principal.kind, userId: principal.userId, partyId: principal.partyId, roles: [...principal.roles],
        permissions: [...principal.permissions], csrfToken: csrf?.csrf_token ?? null, user,
      }
    },

    /** API keys look like truce_<16 hex prefix>_<secret>; only the secret's hash is stored. */
    async fromApiKey(token: string): Promise<Principal | null> {
      const m = /^truce_([0-9a-f]{16})_([A-Za-z0-9_-]{20,})$/.exec(token)
      if (!m) return null
      const key = await repo.apiKeyByPrefix(m[1]!)
      if (!key || !safeEqual(key.secret_hash, sha256Hex(m[2]!))) return null
      const t = now()
      if (key.revoked_at || key.disabled_at || (key.expires_at && key.expires_at <= t)) return null
      if ((touched.get(key.id) ?? 0) + TOUCH_EVERY_MS <= t.getTime()) {
        touched.set(key.id, t.getTime())
        await repo.touchApiKey(key.id, t)
      }
      const roles = rolesOf(key.roles)
      return {
        kind: 'apikey', userId: key.user_id, partyId: key.party_id, partyKind: key.party_kind, roles,
        permissions: permissionsOf(roles, key.scopes), apiKeyId: key.id,
      }
    },
  }
}

export type AccessService = ReturnType<typeof accessService>

export function newApiKeyToken(): { token: string; prefix: string; secretHash: string } {
  const prefix = randomBytes(8).toString('hex')
  const secret = randomToken(32)
  return { token: `truce_${prefix}_${secret}`, prefix, secretHash: sha256Hex(secret) }
}
