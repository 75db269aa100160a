// The SQL of compliance and statistics: agreements' compliance rules (append-only versions), the
// agreements in force at an instant that have rules, and the aggregation of incidents the viewer
// may see — each counted once, at its earliest visible report — by day and group.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { visibleTo } from '../../lib/visibility.ts'
import type { Principal } from '../access/access.policy.ts'
import type { StatsGroup } from './compliance.schemas.ts'
import type { DailyCount, WeekCount } from './stats.ts'

type Q = Kysely<DB> | Transaction<DB>

/**
 * Every incident (not merged away) with at least one report the viewer may see: its time (the
 * earliest visible report's), and from its visible reports in time order the first category,
 * the first resolved perpetrator and the first perpetrator name. Hidden reports count for nothing.
 */
function visibleIncidents(viewer: Principal): RawBuilder<unknown> {
  return sql`select ir.incident_id id, i.state,
      min(r.occurred_at) at,
      (array_agg(r.id order by r.occurred_at, r.seq))[1] first_report,
      (array_agg(r.category order by r.occurred_at, r.seq))[1] category,
      (array_agg(r.perpetrator_actor_id order by r.occurred_at, r.seq) filter (where r.perpetrator_actor_id is not null))[1] actor_id,
      (array_agg(r.perpetrator_name order by r.occurred_at, r.seq) filter (where r.perpetrator_name is not null))[1] actor_name
    from reports r
    join incident_reports ir on ir.report_id = r.id
    join incidents i on i.id = ir.incident_id and i.merged_into is null
    where ${visibleTo(viewer, 'r')}
    group by ir.incident_id, i.state`
}

/** The group key and label of an incident row `inc` (joins added by `groupJoins`). */
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

function groupJoins(viewer: Principal, by: StatsGroup): RawBuilder<unknown> {
  if (by === 'party') return sql`left join actors a on a.id = inc.actor_id and ${visibleTo(viewer, 'a')}`
  if (by === 'zone') {
    // The smallest zone containing the first report's place, else the smallest admin unit, else
    // the nearest admin unit; among the features the viewer may see.
    return sql`left join lateral (
      select c.id, c.label from (
        select f.id, coalesce(f.name->>'en', (select v from jsonb_each_text(f.name) e(k, v) order by k limit 1), f.external_id, l.slug) label,
          case l.kind when 'zone' then 0 else 1 end rank, st_area(f.geom) area
        from geo_places p
        join geo_features f on f.id = any(p.features) or f.id = p.nearest_admin
        join geo_layers l on l.id = f.layer_id
        where p.subject_kind = 'report' and p.subject_id = inc.first_report::text and l.kind in ('zone', 'admin')
          and st_dimension(f.geom) = 2 and ${visibleTo(viewer, 'f')} and ${visibleTo(viewer, 'l')}
      ) c order by c.rank, c.area, c.id limit 1) z on true`
  }
  return sql``
}

const range = (from: string | undefined, to: string | undefined) => sql`
  ${from === undefined ? sql`true` : sql`inc.at >= ${`${from}T00:00:00Z`}::timestamptz`}
  and ${to === undefined ? sql`true` : sql`inc.at < (${to}::date + 1)::timestamptz`}`

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

    /** The first and last day (UTC) of the incidents the viewer may see. */
    span: async (viewer: Principal) => {
      const r = await sql<{ first: string | null; last: string | null }>`
        select to_char(min(inc.at) at time zone 'UTC', 'YYYY-MM-DD') first, to_char(max(inc.at) at time zone 'UTC', 'YYYY-MM-DD') last
        from (${visibleIncidents(viewer)}) inc`.execute(db)
      return r.rows[0] ?? { first: null, last: null }
    },

    /** Incidents per day (UTC) and group over [from, to] (days, inclusive). */
    daily: async (viewer: Principal, q: { from?: string | undefined; to?: string | undefined; by: StatsGroup }): Promise<DailyCount[]> => {
      const g = groupExpr(q.by)
      const r = await sql<{ day: string; key: string; label: string; n: number }>`
        select to_char(inc.at at time zone 'UTC', 'YYYY-MM-DD') as day, ${g.key} as key, min(${g.label}) as label, count(*)::int as n
        from (${visibleIncidents(viewer)}) inc
        ${groupJoins(viewer, q.by)}
        where ${range(q.from, q.to)}
        group by 1, 2 order by 1, 2`.execute(db)
      return r.rows.map((x) => ({ ...x, n: Number(x.n) }))
    },

    /**
     * Incidents per 7-day block counted from `effectiveFrom` (negative before it) over [from, to],
     * leaving out those after `effectiveTo`.
     */
    weeksFrom: async (viewer: Principal, q: { from: string; to: string; effectiveFrom: Date; effectiveTo: Date | null }): Promise<WeekCount[]> => {
      const r = await sql<{ week: number; n: number }>`
        select floor(extract(epoch from inc.at - ${q.effectiveFrom}::timestamptz) / 604800)::int as week, count(*)::int as n
        from (${visibleIncidents(viewer)}) inc
        where ${range(q.from, q.to)}
          and (inc.at < ${q.effectiveFrom}::timestamptz or ${q.effectiveTo === null ? sql`true` : sql`inc.at < ${q.effectiveTo}::timestamptz`})
        group by 1 order by 1`.execute(db)
      return r.rows.map((x) => ({ week: Number(x.week), n: Number(x.n) }))
    },
  }
}
