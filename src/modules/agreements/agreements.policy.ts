// Who may change an agreement the caller can already see. Reading is governed by visibility in
// SQL; these rules decide writes.
import type { AgreementRole } from '../../db/schema.ts'
import { can, type Principal } from '../access/access.policy.ts'

export type AgreementParties = readonly { party_id: string; role: AgreementRole }[]

const EDITOR_ROLES: readonly AgreementRole[] = ['guarantor', 'secretariat']

/** Amend: agreement.edit, and the caller's party owns the record or is its guarantor or secretariat. */
export function mayAmend(actor: Principal, agreement: { owner_party_id: string }, parties: AgreementParties): boolean {
  if (!can(actor, 'agreement.edit') || actor.partyId === null) return false
  if (actor.roles.includes('admin')) return true
  return agreement.owner_party_id === actor.partyId ||
    parties.some((p) => p.party_id === actor.partyId && EDITOR_ROLES.includes(p.role))
}

/** Report implementation status: provision.status, and the caller's party takes part in the agreement in any role. */
export function mayReportStatus(actor: Principal, agreement: { owner_party_id: string }, parties: AgreementParties): boolean {
  if (!can(actor, 'provision.status') || actor.partyId === null) return false
  if (actor.roles.includes('admin')) return true
  return agreement.owner_party_id === actor.partyId || parties.some((p) => p.party_id === actor.partyId)
}
