// Who may amend an agreement and who may report the implementation status of its provisions.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ANONYMOUS, permissionsOf, type Principal, type Role } from '../access/access.policy.ts'
import { mayAmend, mayReportStatus, type AgreementParties } from './agreements.policy.ts'

const OWNER = randomUUID()
const GUARANTOR = randomUUID()
const SECRETARIAT = randomUUID()
const SIGNATORY = randomUUID()
const MONITOR = randomUUID()
const OBSERVER = randomUUID()
const OUTSIDER = randomUUID()

const agreement = { owner_party_id: OWNER }
const parties: AgreementParties = [
  { party_id: GUARANTOR, role: 'guarantor' },
  { party_id: SECRETARIAT, role: 'secretariat' },
  { party_id: SIGNATORY, role: 'signatory' },
  { party_id: MONITOR, role: 'monitor' },
  { party_id: OBSERVER, role: 'observer' },
]

const user = (roles: Role[], partyId: string | null): Principal => ({
  kind: 'user', userId: randomUUID(), partyId, partyKind: 'monitor', roles, permissions: permissionsOf(roles), apiKeyId: null,
})
const apiKey = (roles: Role[], partyId: string, scopes: string[]): Principal => ({
  ...user(roles, partyId), kind: 'apikey', apiKeyId: randomUUID(), permissions: permissionsOf(roles, scopes),
})

type Row = [who: string, actor: Principal, amend: boolean, report: boolean]
const TABLE: Row[] = [
  ['anonymous', ANONYMOUS, false, false],
  ['admin of an outside party', user(['admin'], OUTSIDER), true, true],
  ['admin with no party', user(['admin'], null), false, false],
  ['coordinator of the owner', user(['coordinator'], OWNER), true, true],
  ['coordinator of a guarantor', user(['coordinator'], GUARANTOR), true, true],
  ['coordinator of the secretariat', user(['coordinator'], SECRETARIAT), true, true],
  ['coordinator of a signatory', user(['coordinator'], SIGNATORY), false, true],
  ['coordinator of the monitor', user(['coordinator'], MONITOR), false, true],
  ['coordinator of an observer', user(['coordinator'], OBSERVER), false, true],
  ['coordinator of an outside party', user(['coordinator'], OUTSIDER), false, false],
  ['monitor of the owner', user(['monitor'], OWNER), false, true],
  ['monitor of a guarantor', user(['monitor'], GUARANTOR), false, true],
  ['monitor of an outside party', user(['monitor'], OUTSIDER), false, false],
  ['analyst of the owner', user(['analyst'], OWNER), false, false],
  ['humanitarian of the secretariat', user(['humanitarian'], SECRETARIAT), false, false],
  ['reporter of a signatory', user(['reporter'], SIGNATORY), false, false],
  ['coordinator key scoped to status of a guarantor', apiKey(['coordinator'], GUARANTOR, ['provision.status']), false, true],
  ['coordinator key scoped to edit of a guarantor', apiKey(['coordinator'], GUARANTOR, ['agreement.edit']), true, false],
  ['admin key scoped to incidents', apiKey(['admin'], OUTSIDER, ['incident.report']), false, false],
]

describe('agreement policy', () => {
  it.each(TABLE)('%s: amend %s, report status %s', (_who, actor, amend, report) => {
    expect(mayAmend(actor, agreement, parties)).toBe(amend)
    expect(mayReportStatus(actor, agreement, parties)).toBe(report)
  })

  it('lets only the owner amend an agreement that lists no parties', () => {
    expect(mayAmend(user(['coordinator'], OWNER), agreement, [])).toBe(true)
    expect(mayAmend(user(['coordinator'], GUARANTOR), agreement, [])).toBe(false)
    expect(mayReportStatus(user(['monitor'], OWNER), agreement, [])).toBe(true)
    expect(mayReportStatus(user(['monitor'], MONITOR), agreement, [])).toBe(false)
  })

  it('counts every role a party holds: a signatory that is also guarantor may amend', () => {
    const both: AgreementParties = [{ party_id: SIGNATORY, role: 'signatory' }, { party_id: SIGNATORY, role: 'guarantor' }]
    expect(mayAmend(user(['coordinator'], SIGNATORY), agreement, both)).toBe(true)
  })
})
