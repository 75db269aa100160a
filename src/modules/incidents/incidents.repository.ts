// The SQL of incidents: which incidents a viewer may see (those with at least one report the
// viewer may see), their reports, and the clustering record (incident_events) a process replays.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB, IncidentState } from '../../db/schema.ts'
import { visibleTo } from '../../lib/visibility.ts'
import type { Principal } from '../access/access.policy.ts'

type Db = Kysely<DB> | Transaction<DB>

/**
 * An incident as the viewer may see it, or undefined when it is missing or all its reports are
 * hidden from the viewer (the two answer alike). `reportIds` lists only the visible reports, in
 * the order they were written. A merged incident is found too: `mergedInto` says where it went.
 *
 * @example
 * const inc = await incidentVisibleTo(db, viewer, id)
 * if (!inc) throw notFound('incident')
 */
export async function incidentVisibleTo(db: Db, viewer: Principal, incidentId: string): Promise<{ id: string; state: IncidentState; mergedInto: string | null; reportIds: string[] } | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(incidentId)) return undefined
  const row = await db.selectFrom('incidents as i')
    .select(['i.id', 'i.state', 'i.merged_into'])
    .select(sql<string[]>`array(select r.id from incident_reports ir join reports r on r.id = ir.report_id
      where ir.incident_id = coalesce(i.merged_into, i.id) and ${visibleTo(viewer, 'r')} order by r.seq)`.as('report_ids'))
    .where('i.id', '=', incidentId)
    .executeTakeFirst()
  if (!row) return undefined
  // A merged incident is visible while the incident it went into shows the viewer something;
  // its history is shown with it.
  const reportIds = row.merged_into === null ? row.report_ids : await visibleReportsOf(db, viewer, incidentId)
  if (row.report_ids.length === 0 && reportIds.length === 0) return undefined
  return { id: row.id, state: row.state, mergedInto: row.merged_into, reportIds: row.merged_into === null ? row.report_ids : reportIds }
}

/** The reports an incident was given by the clustering record (for a merged incident: those it held), visible to the viewer. */
async function visibleReportsOf(db: Db, viewer: Principal, incidentId: string): Promise<string[]> {
  const rows = await db.selectFrom('incident_events as e')
    .innerJoin('reports as r', (j) => j.on(sql<boolean>`r.id = any(e.report_ids)`))
    .select('r.id').distinct()
    .where((eb) => eb.or([eb('e.incident_id', '=', incidentId), eb('e.other_incident_id', '=', incidentId)]))
    .where('e.kind', 'in', ['assigned', 'split'])
    .where(visibleTo(viewer, 'r'))
    .execute()
  return rows.map((r) => r.id)
}
