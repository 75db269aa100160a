// Record-level rules for parties, users and keys, beyond the route's permission.
import type { Principal, Role } from '../access/access.policy.ts'

const isAdmin = (p: Principal) => p.roles.includes('admin')

/** Admins manage users of any party; coordinators only their own party's, and never admins. */
export function mayCreateUser(actor: Principal, partyId: string, roles: readonly Role[]): boolean {
  if (isAdmin(actor)) return true
  return actor.partyId === partyId && !roles.includes('admin')
}

/** Which users a manager may list: admins everyone, others their own party. */
export const userScope = (actor: Principal): string | 'all' => (isAdmin(actor) ? 'all' : actor.partyId ?? '')

/** A party's signing keys are managed by that party (admins for any party, for onboarding). */
export const mayManagePartyKeys = (actor: Principal, partyId: string) => isAdmin(actor) || actor.partyId === partyId

/** An API key can carry only permissions its creator holds. */
export const mayGrantScopes = (actor: Principal, scopes: readonly string[]) =>
  scopes.every((s) => (actor.permissions as ReadonlySet<string>).has(s))
