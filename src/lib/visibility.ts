// Disclosure rules in SQL. A record is visible to a viewer when it is public; or, for a
// participant (any party but the public), when it is shared with all parties; or restricted to
// a list naming the viewer's party; or internal to the viewer's own party. Queries filter with
// this expression, so a hidden record is never loaded, and answers exactly as a missing one.
import { sql, type Expression, type SqlBool } from 'kysely'
import { z } from 'zod'
import type { Principal } from '../modules/access/access.policy.ts'

export const VISIBILITIES = ['public', 'parties', 'restricted', 'internal'] as const
export const visibilitySchema = z.enum(VISIBILITIES)

/**
 * @example db.selectFrom('agreements as a').where(visibleTo(principal, 'a')).selectAll()
 */
export function visibleTo(viewer: Principal, alias: string): Expression<SqlBool> {
  const t = sql.ref(alias)
  if (viewer.partyId === null) return sql<SqlBool>`${t}.visibility = 'public'`
  const participant = viewer.partyKind !== 'public'
  return sql<SqlBool>`(${t}.visibility = 'public'
    or (${t}.visibility = 'parties' and ${participant})
    or (${t}.visibility = 'restricted' and (${t}.owner_party_id = ${viewer.partyId} or ${viewer.partyId} = any(${t}.restricted_to)))
    or (${t}.visibility = 'internal' and ${t}.owner_party_id = ${viewer.partyId}))`
}

/** The same rule in code, for records already in hand (and for policy tests). */
export function isVisible(viewer: Principal, record: { visibility: string; owner_party_id: string; restricted_to: readonly string[] }): boolean {
  if (record.visibility === 'public') return true
  if (viewer.partyId === null) return false
  if (record.visibility === 'parties') return viewer.partyKind !== 'public'
  if (record.owner_party_id === viewer.partyId) return true
  return record.visibility === 'restricted' && record.restricted_to.includes(viewer.partyId)
}
