// The SQL of compliance and statistics: agreements' compliance rules (append-only versions), the
// agreements in force at an instant that have rules, and the aggregation of incidents the viewer
// may see — each counted once, at its earliest visible report — by day and group.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { visibleTo } from '../../lib/visibility.ts'
import type { Principal } from '../access/access.policy.ts'
import type { StatsGroup } from './compliance.schemas.ts'
import type { DailyCount } from './stats.ts'

/** Incidents of one day and group (and 7-day block from an effective instant, and past its end or not). */
export type StatsRow = DailyCount & { week: number | null; beyond: boolean }

type Q = Kysely<DB> | Transaction<DB>

/**
 * Every incident (not merged away) with at least one report the viewer may see: its time (the
 * earliest visible report's, ties by seq), that report and its category. Hidden reports count for
 * nothing. With `party`, also its alleged perpetrator: the first visible report naming a resolved
 * actor, else the first naming anyone (each a sorted pass, joined by incident).
 */
function visibleIncidents(viewer: Principal, party: boolean): RawBuilder<unknown> {
  const base = sql`select distinct on (ir.incident_id) ir.incident_id id, i.state, r.occurred_at at, r.id first_report, r.category
    from reports r
    join incident_reports ir on ir.report_id = r.id
    join incidents i on i.id = ir.incident_id and i.merged_into is null
    where ${visibleTo(viewer, 'r')}
    order by ir.incident_id, r.occurred_at, r.seq`
  if (!party) return base
  return sql`select b.*, p.actor_id, p.actor_name from (${base}) b join (
      select distinct on (ir.incident_id) ir.incident_id id, r.perpetrator_actor_id actor_id, r.perpetrator_name actor_name
      from reports r
      join incident_reports ir on ir.report_id = r.id
      where ${visibleTo(viewer, 'r')}
      order by ir.incident_id, r.perpetrator_actor_id is null, r.perpetrator_name is null, r.occurred_at, r.seq
    ) p on p.id = b.id`
}

/** The group key and label of an incident row `inc` (the joins `groupJoins` adds). */
function groupExpr(by: StatsGroup): { key: RawBuilder<string>; label: RawBuilder<string> } {
  switch (by) {
    case 'category': return { key: sql`inc.category`, label: sql`inc.category` }
    case 'state': return { key: sql`inc.state`, label: sql`inc.state` }
    case 'party': return {
      key: sql`coalesce(a.id::text, 'name:' || lower(inc.actor_name), 'unknown')`,
      label: sql`coalesce(a.display_name->>'en', (select v from jsonb_each_text(a.display_name) e(k, v) order by k limit 1), inc.actor_name, 'unknown')`,
    }
    case 'zone': return { key: sql`coalesce(z.id::text, 'none')`, label: sql`coalesce(z.label, 'none')` }
  }
}

/** What the grouping joins to the incidents `inc` (a CTE): the perpetrator's actor, or the zone of the first report's place. */
function groupJoins(viewer: Principal, by: StatsGroup): { ctes: RawBuilder<unknown>; joins: RawBuilder<unknown> } {
  if (by === 'party') return { ctes: sql``, joins: sql`left join actors a on a.id = inc.actor_id and ${visibleTo(viewer, 'a')}` }
  if (by === 'zone') {
    // The smallest zone containing the first report's place, else the smallest admin unit, else
    // the nearest admin unit; among the features the viewer may see. Set-based: one pass over
    // the first reports' places, each feature found by its key.
    return {
      ctes: sql`, z as (
        select distinct on (p.subject_id) p.subject_id, f.id,
          coalesce(f.name->>'en', (select v from jsonb_each_text(f.name) e(k, v) order by k limit 1), f.external_id, l.slug) label
        from inc
        join geo_places p on p.subject_kind = 'report' and p.subject_id = inc.first_report::text
        cross join lateral unnest(array_append(p.features, p.nearest_admin)) u(feature_id)
        join geo_features f on f.id = u.feature_id
        join geo_layers l on l.id = f.layer_id
        where l.kind in ('zone', 'admin') and st_dimension(f.geom) = 2 and ${visibleTo(viewer, 'f')} and ${visibleTo(viewer, 'l')}
        order by p.subject_id, case l.kind when 'zone' then 0 else 1 end, st_area(f.geom), f.id)`,
      joins: sql`left join z on z.subject_id = inc.first_report::text`,
    }
  }
  return { ctes: sql``, joins: sql`` }
}

const range = (from: string | undefined, to: string | undefined) => sql`
  ${from === undefined ? sql`true` : sql`v.at >= ${`${from}T00:00:00Z`}::timestamptz`}
  and ${to === undefined ? sql`true` : sql`v.at < (${to}::date + 1)::timestamptz`}`

export function complianceRepository(db: Q) {
  return {
    latestRules: (agreementId: string) =>
      db.selectFrom('compliance_rules').selectAll().where('agreement_id', '=', agreementId).orderBy('version', 'desc').limit(1).executeTakeFirst(),

    insertRules: (row: { agreement_id: string; version: number; coverage: string; prohibitions: string; bound: 'acceded' | 'all'; note: string; party_id: string; user_id: string | null; submission_id: string }) =>
      db.insertInto('compliance_rules').values(row).returningAll().executeTakeFirstOrThrow(),

    /** Agreements the viewer may see that were in force at `at` and have compliance rules. */
    inForceWithRules: async (viewer: Principal, at: Date) =>
      (await db.selectFrom('agreements as a').select(['a.id', 'a.slug']).where(visibleTo(viewer, 'a'))
        .where('a.effective_from', '<=', at)
        .where((eb) => eb.or([eb('a.effective_to', 'is', null), eb('a.effective_to', '>', at)]))
        .where((eb) => eb.exists(eb.selectFrom('compliance_rules as c').select('c.id').whereRef('c.agreement_id', '=', 'a.id')))
        .orderBy('a.effective_from').orderBy('a.slug').execute()),

    /** Which of these layer slugs exist and are visible to the viewer, with their kinds. */
    layers: (viewer: Principal, slugs: readonly string[]) => slugs.length === 0 ? Promise.resolve([]) :
      db.selectFrom('geo_layers as l').select(['l.slug', 'l.kind']).where('l.slug', 'in', [...slugs]).where(visibleTo(viewer, 'l')).execute(),

    /**
     * Incidents per day (UTC) and group over [from, to] (days, inclusive; open ends when not
     * given), in one pass. With an effective instant, each row also says in which 7-day block
     * counted from it the incidents fall (negative before it) and whether they are at or after
     * `effectiveTo`.
     */
    counts: async (viewer: Principal, q: { from?: string | undefined; to?: string | undefined; by: StatsGroup; effectiveFrom: Date | null; effectiveTo: Date | null }): Promise<StatsRow[]> => {
      const g = groupExpr(q.by)
      const week = q.effectiveFrom === null ? sql`null::int` : sql`floor(extract(epoch from inc.at - ${q.effectiveFrom}::timestamptz) / 604800)::int`
      const beyond = q.effectiveTo === null ? sql`false` : sql`inc.at >= ${q.effectiveTo}::timestamptz`
      const joins = groupJoins(viewer, q.by)
      const r = await sql<StatsRow>`
        with inc as (select * from (${visibleIncidents(viewer, q.by === 'party')}) v where ${range(q.from, q.to)})${joins.ctes}
        select to_char(inc.at at time zone 'UTC', 'YYYY-MM-DD') as day, ${g.key} as key, min(${g.label}) as label,
          ${week} as week, ${beyond} as beyond, count(*)::int as n
        from inc
        ${joins.joins}
        group by 1, 2, 4, 5 order by 1, 2`.execute(db)
      return r.rows.map((x) => ({ ...x, n: Number(x.n), week: x.week === null ? null : Number(x.week) }))
    },
  }
}
