// Incidents: the reports of one event, put together by the clustering as they arrive and
// corrected by analysts (merge, split). What an incident shows is read from the reports the
// viewer may see, so nobody learns from an incident what its hidden reports say. An analyst's
// merge or split is a submission, written with the clustering record in one transaction under the
// clustering lock, so every process sees it before it clusters another report.
import { sql, type Kysely } from 'kysely'
import type { DB, IncidentState } from '../../db/schema.ts'
import { AppError, badRequest, notFound } from '../../lib/errors.ts'
import { decodeCursor, instantCursor, toPage } from '../../lib/pagination.ts'
import { visibleTo } from '../../lib/visibility.ts'
import { can, type Principal } from '../access/access.policy.ts'
import { recordSubmission } from '../ledger/ledger.service.ts'
import { ClusteringConstraintError } from './clustering/clustering.types.ts'
import type { Category } from './incidents.types.ts'
import { clusteringOf } from './incidents.clustering.ts'
import { incidentVisibleTo } from './incidents.repository.ts'
import { exportIncidents, type IncidentExportFormat } from './incidents.export.ts'
import type { IncidentQuery } from './incidents.schemas.ts'
import { PUBLIC_CHANNELS, reportsService } from './reports.service.ts'

type Named = { name: string; actorId: string | null }
type Range = { low: number; best: number; high: number }

/** A clustering refusal (an analyst's earlier word stands in the way) as a 409 saying which. */
function refused(e: unknown): never {
  if (e instanceof ClusteringConstraintError) throw new AppError(409, e.code, e.message)
  throw e
}

export function incidentsService(db: Kysely<DB>) {
  const reports = reportsService(db)

  /**
   * One row per incident the viewer may see (through its visible reports), with what those
   * reports say together. The place is the sharpest report's; a public report's is coarsened for
   * everyone but its own party, and is used only when no other report gives a place.
   */
  function summaries(viewer: Principal) {
    const publicChannels = sql.join(PUBLIC_CHANNELS.map((c) => sql.lit(c)))
    const coarse = sql<boolean>`(r.channel in (${publicChannels}) and r.owner_party_id is distinct from ${viewer.partyId}::uuid)`
    return db.selectFrom('incidents as i')
      .innerJoin('incident_reports as ir', 'ir.incident_id', 'i.id')
      .innerJoin('reports as r', 'r.id', 'ir.report_id')
      .where(visibleTo(viewer, 'r'))
      .groupBy('i.id')
      .select(['i.id', 'i.seq', 'i.state', 'i.merged_into', 'i.created_at', 'i.updated_at'])
      .select([
        sql<Date>`min(r.occurred_at)`.as('occurred_at'),
        sql<number>`min(r.date_precision)`.as('date_precision'),
        sql<number>`min(r.where_precision)`.as('where_precision'),
        sql<number>`count(*)::int`.as('report_count'),
        sql<string[]>`array_agg(distinct r.category)`.as('categories'),
        sql<[number, number, number] | null>`(array_agg(array[st_x(st_pointonsurface(r.geom)), st_y(st_pointonsurface(r.geom)), case when ${coarse} then 1 else 0 end]
          order by ${coarse}, r.where_precision, r.seq))[1:1][1:3]`.as('point'),
        sql<string | null>`(array_agg(r.place_name order by r.where_precision, r.seq) filter (where r.place_name is not null and not ${coarse}))[1]`.as('place_name'),
        sql<Named[]>`coalesce(json_agg(distinct jsonb_build_object('name', r.perpetrator_name, 'actorId', r.perpetrator_actor_id)) filter (where r.perpetrator_name is not null), '[]')`.as('perpetrators'),
      ])
  }

  type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaries>['execute']>>[number]

  function presentSummary(r: SummaryRow) {
    // array_agg(...)[1:1][1:3] is a one-row two-dimensional array.
    const p = (Array.isArray(r.point?.[0]) ? (r.point as unknown as number[][])[0] : r.point) as number[] | null
    const round = (v: number) => (p?.[2] === 1 ? Math.round(v * 100) / 100 : v)
    return {
      id: r.id, seq: Number(r.seq), state: r.state as IncidentState, mergedInto: r.merged_into,
      occurredAt: r.occurred_at.toISOString(), datePrecision: r.date_precision, categories: [...r.categories].sort() as Category[], reportCount: r.report_count,
      lon: p ? round(Number(p[0])) : null, lat: p ? round(Number(p[1])) : null, wherePrecision: r.where_precision, placeName: r.place_name,
      perpetrators: uniqueNamed(r.perpetrators), createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
    }
  }

  /** The live incidents the viewer may see, narrowed by the list's filters. */
  function filtered(viewer: Principal, query: Omit<IncidentQuery, 'limit' | 'cursor'>) {
    let q = summaries(viewer).where('i.merged_into', 'is', null)
    if (query.state !== undefined) q = q.where('i.state', '=', query.state)
    if (query.from !== undefined) q = q.having(sql<Date>`min(r.occurred_at)`, '>=', new Date(query.from))
    if (query.to !== undefined) q = q.having(sql<Date>`min(r.occurred_at)`, '<', new Date(query.to))
    if (query.category !== undefined) q = q.having(sql<boolean>`bool_or(r.category = ${query.category})`, '=', true)
    if (query.bbox !== undefined) {
      const [w, s, e, n] = query.bbox.split(',').map(Number) as [number, number, number, number]
      if (w > e || s > n || s < -90 || n > 90) throw badRequest('invalid_bbox', 'The box is not minLon,minLat,maxLon,maxLat.', [{ path: 'query.bbox', message: 'min must not exceed max; latitudes within ±90' }])
      q = q.having(sql<boolean>`bool_or(st_intersects(r.geom, st_makeenvelope(${w}, ${s}, ${e}, ${n}, 4326)))`, '=', true)
    }
    if (query.q !== undefined) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      q = q.having(sql<boolean>`bool_or(r.description ilike ${like} or r.place_name ilike ${like} or r.perpetrator_name ilike ${like} or r.target_name ilike ${like})`, '=', true)
    }
    if (query.reportSeq !== undefined) q = q.having(sql<boolean>`bool_or(r.seq = ${query.reportSeq})`, '=', true)
    return q
  }

  async function visible(viewer: Principal, id: string) {
    const found = await incidentVisibleTo(db, viewer, id)
    if (!found) throw notFound('incident')
    return found
  }

  return {
    async list(viewer: Principal, query: IncidentQuery) {
      let q = filtered(viewer, query)
      const after = decodeCursor(query.cursor, instantCursor)
      if (after) {
        const at = sql<Date>`cast(${after.k} as timestamptz)`
        q = q.having((eb) => eb.or([eb(sql`min(r.occurred_at)`, '<', at), eb.and([eb(sql`min(r.occurred_at)`, '=', at), eb('i.id', '<', after.id)])]))
      }
      const found = await q.orderBy(sql`min(r.occurred_at)`, 'desc').orderBy('i.id', 'desc').limit(query.limit + 1).execute()
      return toPage(found, query.limit, (r) => ({ k: r.occurred_at.toISOString(), id: r.id }), presentSummary)
    },

    /** Every live incident the viewer may see under the filters, as a file (at most `max`, latest first). */
    async export(viewer: Principal, query: Omit<IncidentQuery, 'limit' | 'cursor'>, format: IncidentExportFormat, max = 100_000) {
      const found = await filtered(viewer, query)
        .select([
          sql<Record<string, Range>[]>`json_agg(r.casualties)`.as('casualties'),
          sql<string[]>`coalesce(array_agg(distinct r.target_name) filter (where r.target_name is not null), '{}')`.as('targets'),
          sql<string[]>`(select coalesce(array_agg(distinct s.kind), '{}') from report_sources s where s.report_id = any(array_agg(r.id)))`.as('source_kinds'),
        ])
        .orderBy(sql`min(r.occurred_at)`, 'desc').orderBy('i.id', 'desc').limit(max).execute()
      return exportIncidents(found.map((r) => ({ ...presentSummary(r), casualties: widest(r.casualties), targets: [...r.targets].sort(), sourceKinds: [...r.source_kinds].sort() })), format)
    },

    async get(viewer: Principal, id: string) {
      const inc = await visible(viewer, id)
      const summary = await summaries(viewer).where('i.id', '=', inc.mergedInto ?? inc.id).executeTakeFirst()
      const own = inc.mergedInto === null ? summary : await summaries(viewer).where('i.id', '=', inc.mergedInto).executeTakeFirst()
      const [detail, assignments, evidence, history] = await Promise.all([
        reports.many(viewer, inc.reportIds),
        db.selectFrom('incident_reports').select(['report_id', 'reason', 'score']).where('report_id', 'in', inc.reportIds).execute(),
        db.selectFrom('report_evidence').select(['report_id', 'sha256', 'type', 'mime', 'size']).where('report_id', 'in', inc.reportIds).orderBy('created_at').execute(),
        // The record of this incident, told only through the reports the viewer may see.
        db.selectFrom('incident_events').selectAll()
          .where((eb) => eb.or([eb('incident_id', '=', inc.id), eb('other_incident_id', '=', inc.id)]))
          .where(sql<boolean>`report_ids && ${sql.val(inc.reportIds)}::uuid[] or kind = 'merged'`)
          .orderBy('seq').execute(),
      ])
      const assignmentOf = new Map(assignments.map((a) => [a.report_id, { reason: a.reason, score: a.score }]))
      const casualties = widest(detail.map((r) => r.casualties as Record<string, Range>))
      const base = presentSummary((own ?? summary)!)
      return {
        ...base, id: inc.id, state: inc.state, mergedInto: inc.mergedInto,
        casualties,
        targets: uniqueNamed(detail.flatMap((r) => (r.target ? [{ name: r.target.name, actorId: r.target.actorId }] : []))),
        sources: detail.flatMap((r) => r.sources.map((s) => ({ kind: s.kind, reliability: s.reliability, name: s.name, reportId: r.id }))),
        reports: detail.map((r) => ({ ...r, assignment: inc.mergedInto === null ? assignmentOf.get(r.id) ?? null : null })),
        evidence: evidence.map((e) => ({ reportId: e.report_id, sha256: e.sha256, type: e.type, mime: e.mime, size: e.size })),
        history: history.map((e) => ({
          seq: Number(e.seq), kind: e.kind, at: e.created_at.toISOString(), incidentId: e.incident_id, otherIncidentId: e.other_incident_id,
          reportIds: e.report_ids.filter((r) => inc.reportIds.includes(r)), reason: e.reason, score: e.score, partyId: e.party_id, note: e.note,
        })),
        actions: { merge: inc.mergedInto === null && can(viewer, 'incident.analyse'), split: inc.mergedInto === null && can(viewer, 'incident.analyse') && inc.reportIds.length > 1 },
      }
    },

    /** An analyst's merge: the other incident's reports join this one; the other points here. */
    async merge(actor: Principal, id: string, body: { incidentId: string; note: string }) {
      if (body.incidentId === id) throw badRequest('same_incident', 'An incident cannot be merged into itself.', [{ path: 'body.incidentId', message: 'name another incident' }])
      const [into, from] = await Promise.all([visible(actor, id), visible(actor, body.incidentId).catch(() => {
        throw badRequest('unknown_incident', 'No such incident.', [{ path: 'body.incidentId', message: 'no incident you may see has this id' }])
      })])
      for (const [inc, path] of [[into, 'params.id'], [from, 'body.incidentId']] as const) {
        if (inc.mergedInto !== null) throw new AppError(409, 'incident_merged', 'That incident was merged into another.', [{ path, message: `merged into ${inc.mergedInto}` }])
      }
      const clustering = clusteringOf(db)
      try {
        await db.transaction().execute(async (trx) => {
          const clusterer = await clustering.lock(trx)
          try { clusterer.merge(id, body.incidentId) } catch (e) { refused(e) }
          const submission = await recordSubmission(trx, actor, { kind: 'incident.merge', subjectId: id, payload: { incidentId: id, merged: body.incidentId, note: body.note }, visibility: 'parties' })
          await trx.updateTable('incident_reports').set({ incident_id: id, reason: 'merged', score: null, assigned_at: sql`now()` }).where('incident_id', '=', body.incidentId).execute()
          await trx.updateTable('incidents').set({ merged_into: id, updated_at: sql`now()` }).where('id', '=', body.incidentId).execute()
          await trx.updateTable('incidents').set({ updated_at: sql`now()` }).where('id', '=', id).execute()
          const e = await trx.insertInto('incident_events').values({
            kind: 'merged', incident_id: id, other_incident_id: body.incidentId, report_ids: [], party_id: actor.partyId, user_id: actor.userId, submission_id: submission.id, note: body.note,
          }).returning('seq').executeTakeFirstOrThrow()
          clustering.applied(Number(e.seq))
        })
      } catch (e) {
        clustering.invalidate()
        throw e
      }
      return this.get(actor, id)
    },

    /** An analyst's split: these reports leave for a new incident; no automatic assignment puts them back. */
    async split(actor: Principal, id: string, body: { reportIds: string[]; note: string }) {
      const inc = await visible(actor, id)
      if (inc.mergedInto !== null) throw new AppError(409, 'incident_merged', 'That incident was merged into another.', [{ path: 'params.id', message: `merged into ${inc.mergedInto}` }])
      const leaving = [...new Set(body.reportIds)]
      leaving.forEach((r, i) => {
        if (!inc.reportIds.includes(r)) throw badRequest('not_in_incident', 'A report named is not in this incident.', [{ path: `body.reportIds.${i}`, message: `no report ${r} you may see is in this incident` }])
      })
      const clustering = clusteringOf(db)
      const newId = crypto.randomUUID()
      try {
        await db.transaction().execute(async (trx) => {
          const clusterer = await clustering.lock(trx)
          try { clusterer.split(id, leaving, newId) } catch (e) { refused(e) }
          const submission = await recordSubmission(trx, actor, { kind: 'incident.split', subjectId: id, payload: { incidentId: id, newIncidentId: newId, reportIds: leaving, note: body.note }, visibility: 'parties' })
          await trx.insertInto('incidents').values({ id: newId }).execute()
          await trx.updateTable('incident_reports').set({ incident_id: newId, reason: 'split', score: null, assigned_at: sql`now()` }).where('report_id', 'in', leaving).execute()
          await trx.updateTable('incidents').set({ updated_at: sql`now()` }).where('id', '=', id).execute()
          const e = await trx.insertInto('incident_events').values({
            kind: 'split', incident_id: id, other_incident_id: newId, report_ids: leaving, party_id: actor.partyId, user_id: actor.userId, submission_id: submission.id, note: body.note,
          }).returning('seq').executeTakeFirstOrThrow()
          clustering.applied(Number(e.seq))
        })
      } catch (e) {
        clustering.invalidate()
        throw e
      }
      return this.get(actor, newId)
    },
  }
}

/** Per kind of casualty, the widest range and the highest best estimate the reports give. */
function widest(all: readonly Record<string, Range>[]): Record<string, Range> {
  const out: Record<string, Range> = {}
  for (const one of all) {
    for (const [k, v] of Object.entries(one)) {
      const c = out[k]
      out[k] = c ? { low: Math.min(c.low, v.low), best: Math.max(c.best, v.best), high: Math.max(c.high, v.high) } : { ...v }
    }
  }
  return out
}

function uniqueNamed(list: readonly Named[]): Named[] {
  const seen = new Map<string, Named>()
  for (const n of list) seen.set(`${n.actorId ?? ''}|${n.name}`, n)
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name))
}

export type IncidentOut = Awaited<ReturnType<ReturnType<typeof incidentsService>['get']>>
