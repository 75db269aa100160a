// Incident statistics and compliance on the UCDP GED Syria 2016–2019 events (16,566,
// ../shared/data/ucdp_ged_syria) imported as reports and clustered into incidents, with the demo
// scenario (its agreements' compliance rules, areas of control, actors) around them. Side by side
// in one run, on each database:
// - Truce's statistics (one SQL aggregation over the incidents the caller may see, each counted
//   once at its earliest visible report) by category, alleged party, zone and state, weekly, with
//   the before/after of the Syria cessation;
// - the baseline: every visible report read with its incident and place, and the same counts
//   made in JavaScript (the counts are compared, group by group, and must be equal);
// - and the compliance evaluation of a sample of incidents (reports, map, delineation), per incident.
//
//   node bench/incident-stats.bench.ts [--runs 5] [--sample 50]
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/truce_test node bench/incident-stats.bench.ts
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { sharedDataDir } from '../src/config.ts'
import type { Dialect } from '../src/db/database.ts'
import { visibleTo } from '../src/lib/visibility.ts'
import { permissionsOf, type Principal } from '../src/modules/access/access.policy.ts'
import { systemActor } from '../src/modules/ledger/ledger.service.ts'
import { complianceService } from '../src/modules/incidents/compliance.service.ts'
import type { StatsGroup } from '../src/modules/incidents/compliance.schemas.ts'
import { parseIncidentFile } from '../src/modules/incidents/import/index.ts'
import { importReports } from '../src/modules/incidents/reports.import.ts'
import { weekStart } from '../src/modules/incidents/stats.ts'
import { openTestDb } from '../test/helpers/db.ts'
import { fmt, median } from './lib.ts'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, sample: { type: 'string', default: '50' } } })
const runs = Number(values.runs)
const sample = Number(values.sample)
const GED = join(sharedDataDir(), 'ucdp_ged_syria', 'ged_syria_2016_2019.csv.gz')
if (!existsSync(GED)) {
  console.log(`skipped: ${GED} is absent (set TRUCE_SHARED_DATA, or put the data at ../shared/data/ucdp_ged_syria)`)
  process.exit(0)
}
const pgUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL
if (pgUrl) process.env.TEST_DATABASE_URL = pgUrl
const gz = readFileSync(GED)

const GROUPS: StatsGroup[] = ['category', 'party', 'zone', 'state']

async function round(dialect: Dialect) {
  const db = await openTestDb(dialect)
  try {
    const k = db.kysely
    const party = await k.selectFrom('parties').select(['id', 'kind']).where('slug', '=', 'un-osesy').executeTakeFirstOrThrow()
    const user = await k.selectFrom('users').select(['id', 'roles']).where('email', '=', 'analyst@truce.demo').executeTakeFirstOrThrow()
    const viewer: Principal = { kind: 'user', userId: user.id, partyId: party.id, partyKind: party.kind, roles: ['analyst'], permissions: permissionsOf(['analyst']), apiKeyId: null }
    const t0 = performance.now()
    const imported = await importReports(k, { ...systemActor(party.id), partyKind: party.kind }, parseIncidentFile(gz, 'ucdp', { now: new Date() }), {
      fileName: 'ged_syria_2016_2019.csv.gz', format: 'ucdp', fileSha256: createHash('sha256').update(gz).digest('hex'), skipInvalid: false, dryRun: false, visibility: 'parties',
    })
    const importMs = performance.now() - t0
    const compliance = complianceService(k)
    const incidents = Number((await sql<{ n: string }>`select count(*) n from incidents where merged_into is null`.execute(k)).rows[0]!.n)

    const out: { group: StatsGroup; truceMs: number; baselineMs: number; groups: number; total: number }[] = []
    for (const by of GROUPS) {
      const truce: number[] = []
      const baseline: number[] = []
      let counts = new Map<string, number>()
      let expected = new Map<string, number>()
      let total = 0
      let groups = 0
      for (let i = 0; i < runs; i++) {
        let t = performance.now()
        const s = await compliance.stats(viewer, { interval: 'week', by, agreement: 'syria-coh-2016' })
        truce.push(performance.now() - t)
        counts = new Map(s.buckets.flatMap((b) => Object.entries(b.counts).map(([key, n]) => [`${b.start}|${key}`, n] as const)))
        total = s.total
        groups = s.groups.length
        t = performance.now()
        expected = await naive(k, viewer, by)
        baseline.push(performance.now() - t)
      }
      const differ = [...new Set([...counts.keys(), ...expected.keys()])].filter((key) => counts.get(key) !== expected.get(key))
      if (differ.length > 0) throw new Error(`${by}: ${differ.length} counts differ from the baseline, e.g. ${differ[0]}: ${counts.get(differ[0]!)} vs ${expected.get(differ[0]!)}`)
      out.push({ group: by, truceMs: median(truce), baselineMs: median(baseline), groups, total })
    }

    // Compliance of a sample of incidents (evenly spread over their order).
    const ids = (await k.selectFrom('incidents').select('id').where('merged_into', 'is', null).orderBy('seq').execute()).map((r) => r.id)
    const chosen = Array.from({ length: Math.min(sample, ids.length) }, (_, i) => ids[Math.floor((i * ids.length) / Math.min(sample, ids.length))]!)
    const times: number[] = []
    const conclusions = new Map<string, number>()
    for (const id of chosen) {
      const t = performance.now()
      const c = await compliance.evaluate(viewer, id)
      times.push(performance.now() - t)
      for (const e of c.evaluations) if (e.slug === 'syria-coh-2016') conclusions.set(e.overall.conclusion, (conclusions.get(e.overall.conclusion) ?? 0) + 1)
    }
    return { reports: imported.added, incidents, importMs, out, evaluateMs: median(times), conclusions: Object.fromEntries(conclusions) }
  } finally {
    await db.dispose()
  }
}

/** The baseline: every visible report with its incident, actor and place read out, and counted in JavaScript. */
async function naive(k: Awaited<ReturnType<typeof openTestDb>>['kysely'], viewer: Principal, by: StatsGroup): Promise<Map<string, number>> {
  const rows = await k.selectFrom('reports as r')
    .innerJoin('incident_reports as ir', 'ir.report_id', 'r.id')
    .innerJoin('incidents as i', 'i.id', 'ir.incident_id')
    .leftJoin('geo_places as p', (j) => j.on('p.subject_kind', '=', 'report').on(sql<boolean>`p.subject_id = r.id::text`))
    .select(['r.id', 'r.seq', 'r.occurred_at', 'r.category', 'r.perpetrator_actor_id', 'r.perpetrator_name', 'ir.incident_id', 'i.state', 'p.features', 'p.nearest_admin'])
    .where('i.merged_into', 'is', null).where(visibleTo(viewer, 'r')).execute()
  const features = new Map((await k.selectFrom('geo_features as f').innerJoin('geo_layers as l', 'l.id', 'f.layer_id')
    .select(['f.id', 'l.kind', sql<number>`st_area(f.geom)`.as('area'), sql<number>`st_dimension(f.geom)`.as('dim')])
    .where(visibleTo(viewer, 'f')).where(visibleTo(viewer, 'l')).execute()).map((f) => [f.id, f]))
  const actors = new Set((await k.selectFrom('actors as a').select('a.id').where(visibleTo(viewer, 'a')).execute()).map((a) => a.id))
  const byIncident = new Map<string, typeof rows>()
  for (const r of rows) byIncident.set(r.incident_id, [...(byIncident.get(r.incident_id) ?? []), r])
  const counts = new Map<string, number>()
  for (const reports of byIncident.values()) {
    reports.sort((a, b) => a.occurred_at.getTime() - b.occurred_at.getTime() || a.seq - b.seq)
    const first = reports[0]!
    let key: string
    if (by === 'category') key = first.category
    else if (by === 'state') key = first.state
    else if (by === 'party') {
      const p = reports.find((r) => r.perpetrator_actor_id !== null) ?? reports.find((r) => r.perpetrator_name !== null)
      key = p?.perpetrator_actor_id && actors.has(p.perpetrator_actor_id) ? p.perpetrator_actor_id : p?.perpetrator_name ? `name:${p.perpetrator_name.toLowerCase()}` : 'unknown'
    } else {
      const candidates = [...(first.features ?? []), ...(first.nearest_admin ? [first.nearest_admin] : [])].map((id) => features.get(id))
        .filter((f) => f !== undefined && (f.kind === 'zone' || f.kind === 'admin') && Number(f.dim) === 2)
        .sort((a, b) => (a!.kind === 'zone' ? 0 : 1) - (b!.kind === 'zone' ? 0 : 1) || Number(a!.area) - Number(b!.area) || a!.id.localeCompare(b!.id))
      key = candidates[0]?.id ?? 'none'
    }
    const bucket = `${weekStart(first.occurred_at.toISOString().slice(0, 10))}|${key}`
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1)
  }
  return counts
}

const dialects: Dialect[] = pgUrl ? ['pglite', 'postgres'] : ['pglite']
console.log(`Incident statistics on UCDP GED Syria 2016–2019, Truce's SQL aggregation vs reading every report and counting in JavaScript — medians of ${runs} runs`)
for (const dialect of dialects) {
  const r = await round(dialect)
  console.log(`${dialect}: ${r.reports} reports in ${r.incidents} incidents (imported and clustered in ${fmt(r.importMs / 1000, 2)} s)`)
  for (const o of r.out) {
    console.log(`  by ${o.group.padEnd(8)} ${String(o.total).padStart(6)} incidents, ${String(o.groups).padStart(4)} groups: Truce ${fmt(o.truceMs, 0)} ms, baseline ${fmt(o.baselineMs, 0)} ms, baseline ÷ Truce ${fmt(o.baselineMs / o.truceMs, 2)} (counts equal)`)
  }
  console.log(`  compliance of one incident: ${fmt(r.evaluateMs, 0)} ms median over ${sample}; Syria cessation conclusions ${JSON.stringify(r.conclusions)}`)
}
