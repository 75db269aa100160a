// SQL for reading the submission record.
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { visibleTo } from '../../lib/visibility.ts'
import type { Principal } from '../access/access.policy.ts'

export function ledgerRepository(db: Kysely<DB>) {
  return {
    list: (viewer: Principal, limit: number, afterSeq: number | undefined, partyId: string | undefined) => {
      let q = db.selectFrom('submissions as s').selectAll().where(visibleTo(viewer, 's')).orderBy('seq').limit(limit + 1)
      if (afterSeq !== undefined) q = q.where('seq', '>', afterSeq)
      if (partyId) q = q.where('party_id', '=', partyId)
      return q.execute()
    },
    byId: (viewer: Principal, id: string) =>
      db.selectFrom('submissions as s').selectAll().where(visibleTo(viewer, 's')).where('id', '=', id).executeTakeFirst(),
  }
}
