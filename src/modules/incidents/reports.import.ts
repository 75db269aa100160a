// Bulk import of reports from a file (UCDP GED, ACLED, HXL; parsed by import/): every row is
// checked before anything is written, and a file with bad rows imports nothing unless told to
// skip them. Rows are then written in batches, each batch one transaction with its submission
// (the file's SHA-256, the batch's rows), so an interrupted import resumes: a row whose external
// id the party already has is not written again. Actor names are resolved once per distinct
// name; places are attributed in bulk through the engine once the rows are in.
import type { Geometry } from 'geojson'
import { sql, type Kysely } from 'kysely'
import type { DB, Visibility } from '../../db/schema.ts'
import { canonicalize } from '../../lib/canonical-json.ts'
import { badRequest } from '../../lib/errors.ts'
import { sha256Hex } from '../../lib/secrets.ts'
import type { Principal } from '../access/access.policy.ts'
import { actorMatcher } from '../actors/actors.match.ts'
import { reattribute } from '../geo/geo.places.ts'
import { sectorPolygon } from '../geo/sector.ts'
import { recordSubmission } from '../ledger/ledger.service.ts'
import type { IncidentFile } from './import/index.ts'
import { clusteringOf, clusterReportOfRow } from './incidents.clustering.ts'
import type { ReportInput } from './incidents.types.ts'

const BATCH = 1000
/** Row errors listed in a refusal; the count says how many more there were. */
const MAX_LISTED = 200

export type ReportImportOptions = {
  fileName: string
  format: string
  fileSha256: string
  skipInvalid: boolean
  dryRun: boolean
  visibility: Visibility
  onProgress?: ((done: number, total: number) => void) | undefined
}

export type ReportImportResult = {
  rows: number
  valid: number
  /** Every problem of every bad row (a row may have several). */
  invalid: { line: number; field?: string | undefined; message: string }[]
  invalidRows: number
  skipped: number
  alreadyImported: number
  added: number
  actorsResolved: number
  actorNames: number
  placesAttributed: number
  /** Incidents the added reports started (the others joined incidents). */
  incidentsCreated: number
  dryRun: boolean
}

const geometryOf = (r: ReportInput): Geometry => {
  const w = r.where
  if (w.kind === 'point') return { type: 'Point', coordinates: [w.lon, w.lat] }
  if (w.kind === 'area') return w.geometry as Geometry
  return sectorPolygon({ lon: w.lon, lat: w.lat, bearing: w.bearing as never, spread: w.spread, minDistance: w.minDistanceM, maxDistance: w.maxDistanceM })
}

export async function importReports(db: Kysely<DB>, actor: Principal, file: IncidentFile, options: ReportImportOptions): Promise<ReportImportResult> {
  const invalid = file.errors.map((e) => ({ line: e.line, field: e.field, message: e.message }))
  if (invalid.length > 0 && !options.skipInvalid) {
    throw badRequest('invalid_rows', `${new Set(invalid.map((e) => e.line)).size} bad row(s), ${invalid.length} problem(s): nothing was imported (skip the invalid rows to import the rest).`,
      [...invalid.slice(0, MAX_LISTED).map((e) => ({ path: `line ${e.line}${e.field ? `.${e.field}` : ''}`, line: e.line, field: e.field, message: e.message })),
        ...(invalid.length > MAX_LISTED ? [{ path: 'file', message: `and ${invalid.length - MAX_LISTED} more` }] : [])])
  }
  // A row without its own id is known by the file and its line.
  const rows = file.reports.map(({ line, report }) => ({ line, report, externalId: report.externalId ?? `row:${options.fileSha256.slice(0, 16)}:${line}` }))
  const existing = new Set<string>()
  for (let i = 0; i < rows.length; i += 5000) {
    const ids = rows.slice(i, i + 5000).map((r) => r.externalId)
    const found = await db.selectFrom('reports').select('external_id').where('party_id', '=', actor.partyId!).where('external_id', 'in', ids).execute()
    for (const f of found) existing.add(f.external_id!)
  }
  const todo = rows.filter((r) => !existing.has(r.externalId))

  const matcher = actorMatcher(db)
  const resolved = new Map<string, string | null>()
  const names = new Set<string>()
  for (const r of todo) for (const n of [r.report.perpetrator, r.report.target]) if (n) names.add(n)
  for (const name of names) {
    const { candidates } = await matcher.match(actor, { name, limit: 1 })
    const best = candidates[0]
    resolved.set(name, best !== undefined && best.band === 'automatic' ? best.actorId : null)
  }
  const result: ReportImportResult = {
    rows: file.rows, valid: file.reports.length, invalid, invalidRows: new Set(invalid.map((e) => e.line)).size, skipped: file.skipped.length, alreadyImported: existing.size, added: 0,
    actorsResolved: [...resolved.values()].filter((v) => v !== null).length, actorNames: names.size, placesAttributed: 0, incidentsCreated: 0, dryRun: options.dryRun,
  }
  if (options.dryRun || todo.length === 0) return result

  const placeIds: string[] = []
  let done = 0
  options.onProgress?.(0, todo.length)
  for (let i = 0; i < todo.length; i += BATCH) {
    const batch = todo.slice(i, i + BATCH)
    const records = batch.map(({ report: r, externalId }) => ({
      external_id: externalId, occurred_at: r.occurredAt, date_precision: r.datePrecision, where_kind: r.where.kind, where_precision: r.where.precision,
      geom: JSON.stringify(geometryOf(r)), where_input: r.where, place_name: 'placeName' in r.where ? r.where.placeName ?? null : null,
      category: r.category, counts: r.counts ?? {}, casualties: r.casualties ?? {},
      perpetrator_name: r.perpetrator ?? null, perpetrator_actor_id: r.perpetrator ? resolved.get(r.perpetrator) ?? null : null,
      target_name: r.target ?? null, target_actor_id: r.target ? resolved.get(r.target) ?? null : null,
      description: r.description, language: r.language ?? null, sources: r.sources,
    }))
    const written = await db.transaction().execute(async (trx) => {
      const submission = await recordSubmission(trx, actor, {
        kind: 'report.import', subjectId: null, visibility: options.visibility,
        payload: {
          fileName: options.fileName, format: options.format, fileSha256: options.fileSha256, batch: i / BATCH, lines: batch.map((b) => b.line),
          externalIds: batch.map((b) => b.externalId), rowsSha256: sha256Hex(canonicalize(batch.map((b) => b.report))),
        },
      })
      const inserted = await sql<{ id: string; external_id: string; occurred_at: Date }>`
        insert into reports (party_id, user_id, channel, external_id, occurred_at, date_precision, where_kind, where_precision, geom, where_input, place_name,
          category, counts, casualties, perpetrator_name, perpetrator_actor_id, target_name, target_actor_id, description, language,
          visibility, owner_party_id, submission_id)
        select ${actor.partyId}::uuid, ${actor.userId}::uuid, 'import', x.external_id, x.occurred_at, x.date_precision, x.where_kind, x.where_precision,
          case when x.where_kind = 'area' then st_makevalid(st_setsrid(st_geomfromgeojson(x.geom), 4326)) else st_setsrid(st_geomfromgeojson(x.geom), 4326) end,
          x.where_input, x.place_name, x.category, x.counts, x.casualties, x.perpetrator_name, x.perpetrator_actor_id, x.target_name, x.target_actor_id,
          x.description, x.language, ${options.visibility}, ${actor.partyId}::uuid, ${submission.id}::uuid
        from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as x(external_id text, occurred_at timestamptz, date_precision smallint, where_kind text,
          where_precision smallint, geom text, where_input jsonb, place_name text, category text, counts jsonb, casualties jsonb, perpetrator_name text,
          perpetrator_actor_id uuid, target_name text, target_actor_id uuid, description text, language text)
        on conflict (party_id, external_id) where external_id is not null do nothing
        returning id, external_id, occurred_at`.execute(trx)
      // Rows another import of the same file wrote meanwhile are left to it.
      const idOf = new Map(inserted.rows.map((r) => [r.external_id, r.id]))
      const fresh = batch.flatMap((b, k) => (idOf.has(b.externalId) ? [{ ...b, record: records[k]! }] : []))
      const sources = fresh.map((b) => b.record).flatMap((r) => r.sources.map((s, k) => ({ report_id: idOf.get(r.external_id)!, ordinal: k, kind: s.kind, reliability: s.reliability, name: s.name ?? null, url: s.url ?? null })))
      if (sources.length > 0) {
        await sql`insert into report_sources (report_id, ordinal, kind, reliability, name, url)
          select x.report_id, x.ordinal, x.kind, x.reliability, x.name, x.url
          from jsonb_to_recordset(${JSON.stringify(sources)}::jsonb) as x(report_id uuid, ordinal smallint, kind text, reliability text, name text, url text)`.execute(trx)
      }
      const places = await sql<{ id: string }>`
        insert into geo_places (subject_kind, subject_id, geom, at, attributed_at)
        select 'report', r.id::text, r.geom, r.occurred_at, '-infinity' from reports r where r.id = any(${sql.val(inserted.rows.map((r) => r.id))}::uuid[])
        returning id`.execute(trx)
      placeIds.push(...places.rows.map((p) => p.id))
      // Clustered in the order of the file, in the batch's transaction.
      const assigned = await clusteringOf(db).assignReports(trx, fresh.map(({ report: r, externalId, record }) => clusterReportOfRow({
        id: idOf.get(externalId)!, occurred_at: new Date(r.occurredAt), date_precision: r.datePrecision, where_input: r.where, category: r.category,
        perpetrator_name: r.perpetrator ?? null, perpetrator_actor_id: record.perpetrator_actor_id, target_name: r.target ?? null, target_actor_id: record.target_actor_id,
        description: r.description, source_kind: r.sources[0]?.kind ?? null, source_name: r.sources[0]?.name ?? null, source_url: r.sources[0]?.url ?? null, owner_party_id: actor.partyId!,
      })))
      result.incidentsCreated += assigned.filter((a) => a.created).length
      return fresh.length
    }).catch((e: unknown) => {
      clusteringOf(db).invalidate()
      throw e
    })
    result.added += written
    result.alreadyImported += batch.length - written
    done += batch.length
    options.onProgress?.(done, todo.length)
  }
  result.placesAttributed = (await reattribute(db, { ids: placeIds })).places
  return result
}
