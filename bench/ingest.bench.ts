// Ingest of the UCDP GED Syria 2016–2019 events (16,566, ../shared/data/ucdp_ged_syria) end to
// end — parse, check every row, resolve actor names, write reports and sources with their
// submissions, cluster them into incidents (written with the clustering record), attribute every
// place — against the named baseline: a raw COPY of the same CSV into a plain table of text
// columns, in the same run, on each database.
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/truce_test node bench/ingest.bench.ts [--rounds 3]
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { sharedDataDir } from '../src/config.ts'
import type { Dialect } from '../src/db/database.ts'
import { systemActor } from '../src/modules/ledger/ledger.service.ts'
import { parseIncidentFile } from '../src/modules/incidents/import/index.ts'
import { importReports } from '../src/modules/incidents/reports.import.ts'
import { openTestDb } from '../test/helpers/db.ts'
import { median } from './lib.ts'

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } })
const rounds = Number(values.rounds)
const GED = join(sharedDataDir(), 'ucdp_ged_syria', 'ged_syria_2016_2019.csv.gz')
if (!existsSync(GED)) {
  console.log(`skipped: ${GED} is absent (set TRUCE_SHARED_DATA, or put the data at ../shared/data/ucdp_ged_syria)`)
  process.exit(0)
}
const pgUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL
if (pgUrl) process.env.TEST_DATABASE_URL = pgUrl

const gz = readFileSync(GED)
const csv = gunzipSync(gz)
const sha = createHash('sha256').update(gz).digest('hex')
const header = csv.subarray(0, csv.indexOf(10)).toString('utf8').split(',').map((h) => h.replace(/^"|"$/g, ''))

async function round(dialect: Dialect) {
  const db = await openTestDb(dialect)
  try {
    const party = await db.kysely.selectFrom('parties').select(['id', 'kind']).where('slug', '=', 'un-osesy').executeTakeFirstOrThrow()
    // Baseline: COPY the CSV as it is into a table of text columns.
    await sql.raw(`create table ged_raw (${header.map((h) => `"${h}" text`).join(', ')})`).execute(db.kysely)
    const t0 = performance.now()
    if (db.pglite) {
      await db.pglite.query(`copy ged_raw from '/dev/blob' with (format csv, header true)`, [], { blob: new Blob([csv]) })
    } else {
      // The server reads the file itself (the bench's PostgreSQL runs here, as a superuser).
      const path = join(tmpdir(), `ged-${process.pid}.csv`)
      writeFileSync(path, csv)
      try { await sql.raw(`copy ged_raw from '${path}' with (format csv, header true)`).execute(db.kysely) } finally { rmSync(path) }
    }
    const copyMs = performance.now() - t0
    const copied = Number((await sql<{ n: string }>`select count(*) n from ged_raw`.execute(db.kysely)).rows[0]!.n)

    const t1 = performance.now()
    const file = parseIncidentFile(gz, 'ucdp', { now: new Date() })
    const parseMs = performance.now() - t1
    const r = await importReports(db.kysely, { ...systemActor(party.id), partyKind: party.kind }, file, {
      fileName: 'ged_syria_2016_2019.csv.gz', format: 'ucdp', fileSha256: sha, skipInvalid: false, dryRun: false, visibility: 'parties',
    })
    const truceMs = performance.now() - t1
    if (r.added !== copied) throw new Error(`imported ${r.added}, copied ${copied}`)
    return { events: r.added, copyMs, truceMs, parseMs, places: r.placesAttributed, incidents: r.incidentsCreated, resolved: `${r.actorsResolved}/${r.actorNames}` }
  } finally {
    await db.dispose()
  }
}

const dialects: Dialect[] = pgUrl ? ['pglite', 'postgres'] : ['pglite']
console.log(`UCDP GED Syria 2016–2019 ingest vs a raw COPY of the same CSV — ${rounds} rounds per database, medians`)
for (const dialect of dialects) {
  const results = []
  for (let i = 0; i < rounds; i++) results.push(await round(dialect))
  const events = results[0]!.events
  const truce = median(results.map((x) => x.truceMs))
  const copy = median(results.map((x) => x.copyMs))
  console.log(`${dialect.padEnd(8)} ${events} events: Truce ${(events / (truce / 1000)).toFixed(0)} events/s (${(truce / 1000).toFixed(2)} s; parse ${(median(results.map((x) => x.parseMs)) / 1000).toFixed(2)} s), ` +
    `COPY ${(events / (copy / 1000)).toFixed(0)} rows/s (${(copy / 1000).toFixed(2)} s); Truce ÷ COPY throughput ${(copy / truce).toFixed(3)}; ` +
    `places attributed ${results[0]!.places}; incidents ${results[0]!.incidents}; actor names resolved ${results[0]!.resolved}`)
}
