// Which record-level actions to offer. These mirror the server's rules
// (src/modules/agreements/agreements.policy.ts) so the interface does not offer a form the API
// would refuse; the server still decides every request.
import type { AgreementDetail, Me } from './api.ts'

const EDITOR_ROLES: ReadonlySet<string> = new Set(['guarantor', 'secretariat'])

const isAdmin = (me: Me) => me.roles.includes('admin')

/** agreement.edit, and the reader's party owns the agreement or is its guarantor or secretariat. */
export function mayAmend(me: Me | null, agreement: AgreementDetail): boolean {
  if (!me || me.partyId === null || !me.permissions.includes('agreement.edit')) return false
  if (isAdmin(me)) return true
  return agreement.ownerPartyId === me.partyId ||
    agreement.parties.some((p) => p.partyId === me.partyId && EDITOR_ROLES.has(p.role))
}

/** provision.status, and the reader's party takes part in the agreement in any role. */
export function mayReportStatus(me: Me | null, agreement: AgreementDetail): boolean {
  if (!me || me.partyId === null || !me.permissions.includes('provision.status')) return false
  if (isAdmin(me)) return true
  return agreement.ownerPartyId === me.partyId || agreement.parties.some((p) => p.partyId === me.partyId)
}
