import { describe, expect, it } from 'vitest'
import { ANONYMOUS, decide, PERMISSIONS, permissionsOf, ROLE_PERMISSIONS, ROLES, type Principal, type Role } from './access.policy.ts'

const user = (roles: Role[], scopes?: string[]): Principal => ({
  kind: scopes ? 'apikey' : 'user', userId: 'u', partyId: 'p', partyKind: 'guarantor', roles,
  permissions: permissionsOf(roles, scopes), apiKeyId: scopes ? 'k' : null,
})

describe('roles and permissions', () => {
  it('gives admins every permission and the public reporter only incident.report', () => {
    expect([...permissionsOf(['admin'])].sort()).toEqual([...PERMISSIONS].sort())
    expect([...permissionsOf(['reporter'])]).toEqual(['incident.report'])
  })

  it('grants only named permissions, and every role grants something', () => {
    for (const role of ROLES) {
      expect(ROLE_PERMISSIONS[role].length).toBeGreaterThan(0)
      for (const p of ROLE_PERMISSIONS[role]) expect(PERMISSIONS).toContain(p)
    }
  })

  it('unions the permissions of several roles', () => {
    const both = permissionsOf(['analyst', 'monitor'])
    expect(both.has('incident.verify')).toBe(true)
    expect(both.has('submission.read')).toBe(true)
    expect(both.has('agreement.edit')).toBe(false)
  })

  it('narrows an API key to the scopes it was given, never beyond its roles', () => {
    const key = permissionsOf(['coordinator'], ['submission.read', 'party.manage'])
    expect([...key]).toEqual(['submission.read'])
  })
})

describe('decide', () => {
  it.each([
    ['public', ANONYMOUS, 'allow'],
    ['authenticated', ANONYMOUS, 'unauthenticated'],
    ['agreement.edit', ANONYMOUS, 'unauthenticated'],
    ['authenticated', user(['reporter']), 'allow'],
    ['agreement.edit', user(['reporter']), 'forbidden'],
    ['agreement.edit', user(['coordinator']), 'allow'],
    ['agreement.edit', user(['coordinator'], ['submission.read']), 'forbidden'],
    ['party.manage', user(['coordinator']), 'forbidden'],
    ['party.manage', user(['admin']), 'allow'],
  ] as const)('%s for %o is %s', (policy, principal, expected) => {
    expect(decide(policy, principal)).toBe(expected)
  })
})
