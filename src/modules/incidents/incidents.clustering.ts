// Clustering reports into stored incidents. The clusterer (clustering/) is in memory; what it
// decides is written down in incident_events (append-only) and incident_reports (where each report
// is now), in the same transaction as the reports. Every write takes one advisory lock, then
// replays the events written since this process last looked (by another server process on the
// same PostgreSQL, or by an analyst's merge or split), so all processes cluster onto the same
// incidents. A transaction that fails after the clusterer moved leaves the memory ahead of the
// record: the state is dropped and rebuilt from the record on the next write.
import { randomUUID } from 'node:crypto'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { Clusterer } from './clustering/clusterer.ts'
import type { Assignment, ClusterReport } from './clustering/clustering.types.ts'
import { clusterReportOf } from './clustering/from-report.ts'
import type { Category, DatePrecision, ReportWhere, SourceKind } from './incidents.types.ts'

/** The advisory lock every clustering write holds ('truce-incidents' as a 64-bit key). */
const LOCK_KEY = 0x7472_7563_6e69_63n

type ReportFeatures = {
  id: string
  occurred_at: Date
  date_precision: number
  where_input: unknown
  category: string
  perpetrator_name: string | null
  perpetrator_actor_id: string | null
  target_name: string | null
  target_actor_id: string | null
  description: string
  source_kind: string | null
  source_name: string | null
  source_url: string | null
  owner_party_id: string
}

/** A stored report as the clusterer sees it; a source with no name is its party's. */
export function clusterReportOfRow(r: ReportFeatures): ClusterReport {
  const kind = (r.source_kind ?? 'public') as SourceKind
  return clusterReportOf({
    occurredAt: r.occurred_at.toISOString(), datePrecision: r.date_precision as DatePrecision, where: r.where_input as ReportWhere,
    category: r.category as Category, perpetrator: r.perpetrator_name ?? undefined, target: r.target_name ?? undefined, description: r.description,
    sources: [{ kind, reliability: 'F', name: r.source_name ?? (kind === 'public' ? undefined : `party:${r.owner_party_id}`), url: r.source_url ?? undefined }],
  }, {
    id: r.id,
    perpetratorIds: r.perpetrator_actor_id ? [r.perpetrator_actor_id] : undefined,
    targetIds: r.target_actor_id ? [r.target_actor_id] : undefined,
  })
}

/** Reads reports in the clusterer's terms (with their first source). */
async function readReports(db: Kysely<DB> | Transaction<DB>, ids: readonly string[]): Promise<Map<string, ClusterReport>> {
  const out = new Map<string, ClusterReport>()
  for (let i = 0; i < ids.length; i += 10_000) {
    const rows = await db.selectFrom('reports as r')
      .leftJoin('report_sources as s', (j) => j.onRef('s.report_id', '=', 'r.id').on('s.ordinal', '=', 0))
      .select(['r.id', 'r.occurred_at', 'r.date_precision', 'r.where_input', 'r.category', 'r.perpetrator_name', 'r.perpetrator_actor_id',
        'r.target_name', 'r.target_actor_id', 'r.description', 'r.owner_party_id', 's.kind as source_kind', 's.name as source_name', 's.url as source_url'])
      .where('r.id', 'in', ids.slice(i, i + 10_000))
      .execute()
    for (const r of rows) out.set(r.id, clusterReportOfRow(r))
  }
  return out
}

export type IncidentAssignment = Assignment & { incidentId: string }

/** The clustering state of one server process; see the file's first lines. */
export type IncidentClustering = ReturnType<typeof createIncidentClustering>

const perDatabase = new WeakMap<object, IncidentClustering>()

/** This process's clustering state for a database (one per database handle). */
export function clusteringOf(db: Kysely<DB>): IncidentClustering {
  let c = perDatabase.get(db)
  if (!c) perDatabase.set(db, c = createIncidentClustering())
  return c
}

export function createIncidentClustering() {
  let clusterer = new Clusterer({ incidentId: () => randomUUID() })
  let applied = 0

  function reset(): void {
    clusterer = new Clusterer({ incidentId: () => randomUUID() })
    applied = 0
  }

  /** Takes the lock and replays the record written since this process last looked. */
  async function catchUp(trx: Transaction<DB>): Promise<void> {
    await sql`select pg_advisory_xact_lock(${LOCK_KEY.toString()}::bigint)`.execute(trx)
    for (;;) {
      const events = await trx.selectFrom('incident_events').selectAll().where('seq', '>', applied).orderBy('seq').limit(20_000).execute()
      if (events.length === 0) return
      const unknown = [...new Set(events.flatMap((e) => (e.kind === 'assigned' ? e.report_ids : [])))].filter((id) => clusterer.incidentOf(id) === undefined)
      const reports = await readReports(trx, unknown)
      for (const e of events) {
        if (e.kind === 'assigned') for (const id of e.report_ids) clusterer.place(reports.get(id) ?? reportGone(id), e.incident_id)
        else if (e.kind === 'merged') clusterer.merge(e.incident_id, e.other_incident_id!)
        else if (e.kind === 'split') clusterer.split(e.incident_id, e.report_ids, e.other_incident_id!)
        else if (e.kind === 'linked' && e.link === 'cannot') clusterer.link(e.report_ids[0]!, e.report_ids[1]!, 'cannot')
        else if (e.kind === 'linked') clusterer.link(e.report_ids[0]!, e.report_ids[1]!, 'must')
        applied = Number(e.seq)
      }
    }
  }

  /**
   * Inside the caller's transaction: clusters these newly written reports (in the order given)
   * and writes where they went. If the transaction then fails, call `invalidate`.
   */
  async function assign(trx: Transaction<DB>, reportIds: readonly string[]): Promise<IncidentAssignment[]> {
    if (reportIds.length === 0) return []
    const reports = await readReports(trx, reportIds)
    return assignReports(trx, reportIds.map((id) => reports.get(id) ?? reportGone(id)))
  }

  /** `assign` for reports the caller already holds in the clusterer's terms (`clusterReportOfRow`), saving the read. */
  async function assignReports(trx: Transaction<DB>, reports: readonly ClusterReport[]): Promise<IncidentAssignment[]> {
    if (reports.length === 0) return []
    await catchUp(trx)
    const assignments = reports.map((r) => clusterer.add(r))
    const created = assignments.filter((a) => a.created).map((a) => a.incidentId)
    if (created.length > 0) await trx.insertInto('incidents').values(created.map((id) => ({ id }))).execute()
    const joined = [...new Set(assignments.filter((a) => !a.created).map((a) => a.incidentId))]
    if (joined.length > 0) await trx.updateTable('incidents').set({ updated_at: sql`now()` }).where('id', 'in', joined).execute()
    for (let i = 0; i < assignments.length; i += 5000) {
      const slice = assignments.slice(i, i + 5000)
      const rows = slice.map((a) => ({ report_id: a.reportId, incident_id: a.incidentId, reason: a.reason === 'known' ? 'similar' : a.reason, score: a.score }))
      await sql`insert into incident_reports (report_id, incident_id, reason, score)
        select x.report_id, x.incident_id, x.reason, x.score from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(report_id uuid, incident_id uuid, reason text, score real)`.execute(trx)
      const last = await sql<{ seq: string }>`insert into incident_events (kind, incident_id, report_ids, reason, score)
        select 'assigned', x.incident_id, array[x.report_id], x.reason, x.score from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(report_id uuid, incident_id uuid, reason text, score real)
        returning seq`.execute(trx)
      // Under the lock nobody else writes events, so ours are the next ones.
      for (const r of last.rows) applied = Math.max(applied, Number(r.seq))
    }
    return assignments
  }

  return {
    assign,
    assignReports,
    /** Under the lock, brought up to date: for an analyst's merge or split (the caller records it, then calls `applied`). */
    async lock(trx: Transaction<DB>): Promise<Clusterer> {
      await catchUp(trx)
      return clusterer
    },
    /**
     * Replays the record now (under the lock, in a transaction of its own), so that the first write
     * after a start does not wait for it; answers the last event applied.
     */
    async warm(db: Kysely<DB>): Promise<number> {
      await db.transaction().execute((trx) => catchUp(trx))
      return applied
    },
    /** The event an analyst's action wrote, which this process has already applied. */
    applied(seq: number): void { applied = Math.max(applied, seq) },
    /** Forgets the state (after a failed transaction); the next write rebuilds it from the record. */
    invalidate: reset,
    stats: () => ({ ...clusterer.stats(), appliedSeq: applied }),
  }
}

function reportGone(id: string): never {
  throw new Error(`the clustering record names report ${id}, which cannot be read`)
}
