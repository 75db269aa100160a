import { describe, expect, it } from 'vitest'
import { permissionsOf, type Principal, type Role } from '../access/access.policy.ts'
import { mayCreateUser, mayGrantScopes, mayManagePartyKeys, userScope } from './parties.policy.ts'

const actor = (roles: Role[], partyId = 'us'): Principal => ({
  kind: 'user', userId: 'u', partyId, partyKind: 'guarantor', roles, permissions: permissionsOf(roles), apiKeyId: null,
})

describe('parties policy', () => {
  it('lets admins create any user, coordinators only non-admins of their own party', () => {
    expect(mayCreateUser(actor(['admin']), 'ru', ['admin'])).toBe(true)
    expect(mayCreateUser(actor(['coordinator']), 'us', ['monitor', 'analyst'])).toBe(true)
    expect(mayCreateUser(actor(['coordinator']), 'ru', ['monitor'])).toBe(false)
    expect(mayCreateUser(actor(['coordinator']), 'us', ['admin'])).toBe(false)
  })

  it('scopes user listings to the own party unless admin', () => {
    expect(userScope(actor(['admin']))).toBe('all')
    expect(userScope(actor(['coordinator'], 'ru'))).toBe('ru')
  })

  it('lets a party manage only its own signing keys', () => {
    expect(mayManagePartyKeys(actor(['coordinator'], 'us'), 'us')).toBe(true)
    expect(mayManagePartyKeys(actor(['coordinator'], 'us'), 'ru')).toBe(false)
    expect(mayManagePartyKeys(actor(['admin'], 'un'), 'ru')).toBe(true)
  })

  it('grants an API key only permissions its creator holds', () => {
    expect(mayGrantScopes(actor(['monitor']), ['incident.verify'])).toBe(true)
    expect(mayGrantScopes(actor(['monitor']), ['agreement.edit'])).toBe(false)
  })
})
