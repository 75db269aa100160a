// Who may do what: roles are bundles of named permissions. Every route names the permission it
// needs (or 'public' / 'authenticated'); record-level rules live in each module's policy file.

export const ROLES = ['admin', 'coordinator', 'monitor', 'analyst', 'humanitarian', 'reporter'] as const
export type Role = (typeof ROLES)[number]

export const PERMISSIONS = [
  'party.manage',
  'user.manage',
  'apikey.manage',
  'partykey.manage',
  'submission.read',
  'agreement.create',
  'agreement.edit',
  'provision.status',
  'incident.report',
  /** Bulk import of a file of reports (UCDP, ACLED, HXL) as the party's: not for the public reporter. */
  'incident.import',
  'incident.verify',
  'incident.analyse',
  'actor.read',
  'actor.claim',
  'actor.manage',
  'geo.edit',
  'geo.import',
] as const
export type Permission = (typeof PERMISSIONS)[number]

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  coordinator: ['user.manage', 'apikey.manage', 'partykey.manage', 'submission.read', 'agreement.create',
    'agreement.edit', 'provision.status', 'incident.report', 'incident.import', 'incident.verify', 'incident.analyse', 'actor.read', 'actor.claim', 'actor.manage', 'geo.edit', 'geo.import'],
  monitor: ['apikey.manage', 'submission.read', 'provision.status', 'incident.report', 'incident.import', 'incident.verify', 'incident.analyse', 'actor.read', 'actor.claim', 'geo.edit'],
  analyst: ['submission.read', 'incident.report', 'incident.import', 'incident.analyse', 'actor.read', 'actor.claim', 'actor.manage', 'geo.edit', 'geo.import'],
  humanitarian: ['submission.read', 'incident.report', 'incident.import', 'actor.read', 'geo.edit'],
  reporter: ['incident.report'],
}

/** What a route demands before its handler runs. */
export type RoutePolicy = 'public' | 'authenticated' | Permission

export type Principal = {
  readonly kind: 'user' | 'apikey' | 'anonymous'
  readonly userId: string | null
  readonly partyId: string | null
  readonly partyKind: string | null
  readonly roles: readonly Role[]
  readonly permissions: ReadonlySet<Permission>
  readonly apiKeyId: string | null
  /** This request's statement signed with one of the party's keys (x-truce-signature), if any. */
  readonly signed?: SignedStatement
}

/** What a party signed: the canonical request (method, path, body), the signature, and the key. */
export type SignedStatement = { readonly statement: string; readonly signature: string; readonly partyKeyId: string }

export const ANONYMOUS: Principal = Object.freeze({
  kind: 'anonymous', userId: null, partyId: null, partyKind: null, roles: [], permissions: new Set<Permission>(), apiKeyId: null,
})

export function permissionsOf(roles: readonly Role[], scopes?: readonly string[]): Set<Permission> {
  const granted = new Set<Permission>(roles.flatMap((r) => ROLE_PERMISSIONS[r] ?? []))
  if (!scopes) return granted
  return new Set([...granted].filter((p) => scopes.includes(p)))
}

export const isRole = (r: string): r is Role => (ROLES as readonly string[]).includes(r)
export const isPermission = (p: string): p is Permission => (PERMISSIONS as readonly string[]).includes(p)

export type Decision = 'allow' | 'unauthenticated' | 'forbidden'

/** The route-level decision; the matrix test derives every expected answer from this function. */
export function decide(policy: RoutePolicy, principal: Principal): Decision {
  if (policy === 'public') return 'allow'
  if (principal.kind === 'anonymous') return 'unauthenticated'
  if (policy === 'authenticated') return 'allow'
  return principal.permissions.has(policy) ? 'allow' : 'forbidden'
}

export const can = (principal: Principal, permission: Permission) => principal.permissions.has(permission)
