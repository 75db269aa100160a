// Importing a file of features into a layer: one transaction, so a file that fails at its
// 10,000th feature leaves nothing behind. Features are reprojected from the CRS the file declares
// and repaired with ST_MakeValid in PostGIS, batch by batch; every repair is reported by the
// feature's index in the file. The import is one submission (the file's SHA-256 and the options)
// that every feature it made points at; importing the same file with the same options into the
// same layer again adds nothing and answers the earlier import.
import { randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB, GeoLayerKind, Visibility } from '../../db/schema.ts'
import { AppError, badRequest } from '../../lib/errors.ts'
import type { SpooledFile } from '../../lib/upload.ts'
import { visibleTo } from '../../lib/visibility.ts'
import type { Principal } from '../access/access.policy.ts'
import { recordSubmission } from '../ledger/ledger.service.ts'
import { geoService } from './geo.service.ts'
import { openLayerFile } from './import/open.ts'
import { GeoImportError, toAppError, type ImportedLayer, type ParsedFeature } from './import/types.ts'
import { geometryFamilyCheck, type GeometryFamily } from './import/validate.ts'

/** Features written per INSERT. */
const BATCH = 250

const FAMILIES: Record<GeoLayerKind, readonly GeometryFamily[]> = {
  admin: ['polygon'], control: ['polygon'], access: ['polygon'], zone: ['polygon', 'line'], site: ['point'],
}
/** What ST_CollectionExtract keeps of a repaired geometry: 1 points, 3 polygons; zones keep what they get. */
const EXTRACT: Record<GeoLayerKind, number | null> = { admin: 3, control: 3, access: 3, zone: null, site: 1 }

export type LayerImportOptions = {
  fileName: string
  format: string
  fileSha256: string
  bytes: number
  validFrom?: Date | undefined
  validTo?: Date | undefined
  /** Language → property holding the feature's name in it; found from the properties when omitted. */
  names?: Record<string, string> | undefined
  /** The property holding the source's key (a P-code, an ISO code); found when omitted. */
  idProperty?: string | undefined
  actorId?: string | undefined
  confidence?: 'high' | 'medium' | 'low' | undefined
  accessStatus?: 'besieged' | 'hard_to_reach' | undefined
  siteKind?: string | undefined
  radiusM?: number | undefined
  source?: string | undefined
  visibility: Visibility
  restrictedTo?: string[] | undefined
  /** Called after each batch with the features written so far. */
  onProgress?: ((features: number) => void) | undefined
}

export type LayerImportResult = {
  importId: string
  layer: string
  format: string
  fileName: string
  fileSha256: string
  /** The EPSG code of the file's coordinates, reprojected to 4326 on the way in. */
  sourceSrid: number
  features: number
  /** Features whose geometry was made valid on the way, by their 0-based position in the file. */
  repaired: { index: number; reason: string }[]
  /** What the reader of the file changed on the way, by feature. */
  notes: { index: number; note: string }[]
  /** The same file with the same options went into this layer before: nothing was added. */
  alreadyImported: boolean
}

/** Name properties a file commonly carries: OCHA's ADM1_EN / ADM1_AR, name_xx, name:xx, then a plain name. */
export function namesOf(properties: Record<string, unknown>, explicit?: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  const put = (lang: string, v: unknown) => { if (typeof v === 'string' && v.trim() !== '' && out[lang] === undefined) out[lang] = v.trim().slice(0, 500) }
  if (explicit) {
    for (const [lang, prop] of Object.entries(explicit)) put(lang, properties[prop])
    return out
  }
  for (const [k, v] of Object.entries(properties)) {
    const m = /^(?:ADM\d_|name[_:])([A-Za-z]{2})$/i.exec(k)
    if (m && !/^(?:ADM\d_)?(?:PCODE|REF|ID)$/i.test(k)) put(m[1]!.toLowerCase(), v)
  }
  for (const k of ['name', 'NAME', 'Name', 'shapeName', 'NAME_EN']) put('en', properties[k])
  return out
}

/** The source's key for a feature: the property asked for, else a P-code or ISO code, else the feature id. */
export function externalIdOf(f: ParsedFeature, idProperty?: string): string | null {
  const pick = (v: unknown) => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null)
  if (idProperty !== undefined) return pick(f.properties[idProperty])
  for (const [k, v] of Object.entries(f.properties)) if (/^ADM\d_PCODE$/i.test(k) && pick(v)) return pick(v)
  for (const k of ['shapeISO', 'ISO', 'iso_3166_2', 'pcode', 'PCODE', 'id']) if (pick(f.properties[k])) return pick(f.properties[k])
  return f.id === undefined ? null : String(f.id)
}

export async function importLayer(db: Kysely<DB>, actor: Principal, layerSlug: string, source: ImportedLayer, options: LayerImportOptions): Promise<LayerImportResult> {
  const geo = geoService(db)
  const layer = await geo.layerOrMissing(actor, layerSlug)
  const kind = layer.kind
  const fit: { path: string; message: string }[] = []
  if (kind === 'control' && options.actorId === undefined) fit.push({ path: 'query.actor', message: 'an area-of-control file names the actor holding its areas' })
  if (kind !== 'control' && options.actorId !== undefined) fit.push({ path: 'query.actor', message: `a ${kind} layer takes no actor` })
  if (kind === 'access' && options.accessStatus === undefined) fit.push({ path: 'query.accessStatus', message: 'say whether the areas are besieged or hard to reach' })
  if (options.validFrom && options.validTo && options.validTo <= options.validFrom) fit.push({ path: 'query.validTo', message: 'validTo must be after validFrom' })
  if (fit.length > 0) throw badRequest('import_options_invalid', 'These options do not fit the layer.', fit)
  if (options.actorId !== undefined) {
    const a = await db.selectFrom('actors as a').select('a.id').where(visibleTo(actor, 'a')).where('a.id', '=', options.actorId).executeTakeFirst()
    if (!a) throw badRequest('unknown_actor', 'No such actor.', [{ path: 'query.actor', message: 'no actor you may see has this id' }])
  }

  const optionsRecord = {
    validFrom: options.validFrom?.toISOString() ?? null, validTo: options.validTo?.toISOString() ?? null, names: options.names ?? null,
    idProperty: options.idProperty ?? null, actorId: options.actorId ?? null, confidence: options.confidence ?? null,
    accessStatus: options.accessStatus ?? null, siteKind: options.siteKind ?? null, radiusM: options.radiusM ?? null,
    source: options.source ?? options.fileName, visibility: options.visibility, restrictedTo: options.restrictedTo ?? [],
  }
  const optionsKey = JSON.stringify(optionsRecord)
  const earlier = await db.selectFrom('geo_imports').selectAll().where('layer_id', '=', layer.id).where('party_id', '=', actor.partyId!)
    .where(sql<boolean>`report->0->>'fileSha256' = ${options.fileSha256} and report->0->>'options' = ${optionsKey}`).executeTakeFirst()
  if (earlier) {
    const head = (earlier.report as unknown as [{ repaired: LayerImportResult['repaired']; notes: LayerImportResult['notes'] }])[0]
    return {
      importId: earlier.id, layer: layer.slug, format: earlier.format, fileName: earlier.file_name, fileSha256: options.fileSha256,
      sourceSrid: earlier.source_srid, features: earlier.features, repaired: head.repaired, notes: head.notes, alreadyImported: true,
    }
  }

  try {
    return await db.transaction().execute(async (trx) => {
      const importId = randomUUID()
      const submission = await recordSubmission(trx, actor, {
        kind: 'geo.import', subjectId: layer.id,
        payload: { layer: layer.slug, fileName: options.fileName, format: options.format, fileSha256: options.fileSha256, bytes: options.bytes, sourceSrid: source.crs.epsg, options: optionsRecord },
        visibility: options.visibility, restrictedTo: options.restrictedTo ?? [],
      })
      const check = geometryFamilyCheck(FAMILIES[kind])
      const repaired: LayerImportResult['repaired'] = []
      const notes: LayerImportResult['notes'] = []
      let batch: ParsedFeature[] = []
      let written = 0
      const flush = async () => {
        if (batch.length === 0) return
        const out = await insertBatch(trx, actor, { id: layer.id, kind }, batch, source.crs.epsg, importId, submission.id, options, optionsRecord.source)
        repaired.push(...out)
        written += batch.length
        batch = []
        options.onProgress?.(written)
      }
      for await (const f of source.features) {
        check(f)
        for (const note of f.notes ?? []) notes.push({ index: f.index, note })
        batch.push(f)
        if (batch.length >= BATCH) await flush()
      }
      await flush()
      if (written === 0) throw new GeoImportError('not_feature_collection', 'the file holds no features')
      await trx.insertInto('geo_imports').values({
        id: importId, layer_id: layer.id, party_id: actor.partyId!, user_id: actor.userId, file_name: options.fileName, format: options.format,
        source_srid: source.crs.epsg, features: written, repaired: repaired.length,
        report: JSON.stringify([{ fileSha256: options.fileSha256, options: optionsKey, repaired, notes }]), submission_id: submission.id,
      }).execute()
      return {
        importId, layer: layer.slug, format: options.format, fileName: options.fileName, fileSha256: options.fileSha256,
        sourceSrid: source.crs.epsg, features: written, repaired, notes, alreadyImported: false,
      }
    })
  } catch (e) {
    if (e instanceof GeoImportError) throw toAppError(e)
    throw e
  }
}

/** Writes one batch: reprojected, repaired, kept to the layer's family; returns the repairs by feature index. */
async function insertBatch(
  trx: Transaction<DB>, actor: Principal, layer: { id: string; kind: GeoLayerKind }, batch: ParsedFeature[], srid: number, importId: string,
  submissionId: string, options: LayerImportOptions, source: string,
): Promise<{ index: number; reason: string }[]> {
  const rows = batch.map((f) => ({
    i: f.index, g: JSON.stringify(f.geometry), name: namesOf(f.properties, options.names), props: f.properties, ext: externalIdOf(f, options.idProperty),
  }))
  const extract = EXTRACT[layer.kind]
  const made = sql`case when st_isvalid(g) then g else st_makevalid(g) end`
  let result
  try {
    result = await sql<{ i: number; reason: string | null; empty: boolean }>`
      with input as (select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(i int, g text, name jsonb, props jsonb, ext text)),
      raw as (select i, st_transform(st_setsrid(st_geomfromgeojson(g), ${srid}::int), 4326) g, name, props, ext from input),
      fixed as (select i, case when st_isvalid(g) then null else st_isvalidreason(g) end reason,
        ${extract === null ? made : sql`st_collectionextract(${made}, ${extract}::int)`} m, name, props, ext from raw),
      ins as (
        insert into geo_features (layer_id, external_id, name, properties, geom, valid_from, valid_to, actor_id, confidence, zone_kind,
          access_status, site_kind, radius_m, source, import_id, party_id, user_id, visibility, owner_party_id, restricted_to, submission_id)
        select ${layer.id}::uuid, ext, name, props, m, ${options.validFrom ?? null}::timestamptz, ${options.validTo ?? null}::timestamptz,
          ${options.actorId ?? null}::uuid, ${options.confidence ?? null}, ${layer.kind === 'zone' ? 'other' : null}, ${options.accessStatus ?? null},
          ${layer.kind === 'site' ? options.siteKind ?? 'other' : null}, ${layer.kind === 'site' ? options.radiusM ?? 0 : null}::float8, ${source},
          ${importId}::uuid, ${actor.partyId}::uuid, ${actor.userId}::uuid, ${options.visibility}, ${actor.partyId}::uuid,
          ${sql.val(options.restrictedTo ?? [])}::uuid[], ${submissionId}::uuid
        from fixed where not st_isempty(m)
        returning 1)
      select i, reason, st_isempty(m) empty from fixed order by i`.execute(trx)
  } catch (e) {
    const message = (e as Error).message
    // PostGIS refuses what the reader let through only for reasons of its own (a transform out of the CRS's area, say).
    throw new AppError(400, 'geometry_rejected', 'PostGIS could not read a feature of this batch.', [
      { path: `features[${batch[0]!.index}..${batch[batch.length - 1]!.index}]`, message },
    ])
  }
  const empty = result.rows.find((r) => r.empty)
  if (empty) throw new GeoImportError('empty_geometry', 'the geometry is empty once repaired', { feature: empty.i })
  return result.rows.filter((r) => r.reason !== null).map((r) => ({ index: r.i, reason: r.reason! }))
}

export type FileImportOptions = Omit<LayerImportOptions, 'format' | 'fileSha256' | 'bytes' | 'onProgress'> & {
  maxBytes: number
  /** TopoJSON: the object; a zipped shapefile set: the .shp to read, when there are several. */
  object?: string | undefined
  /** Progress in bytes of the file read, and features written. */
  onProgress?: ((bytesRead: number, totalBytes: number, features: number) => void) | undefined
}

/** Reads a spooled file in whatever format it is (sniffed) and imports it in one transaction. */
export async function importLayerFile(db: Kysely<DB>, actor: Principal, layerSlug: string, file: SpooledFile, options: FileImportOptions): Promise<LayerImportResult> {
  let bytesRead = 0
  let written = 0
  const report = () => options.onProgress?.(bytesRead, file.bytes, written)
  let opened
  try {
    opened = await openLayerFile(createReadStream(file.path, { highWaterMark: 256 * 1024 }), {
      maxBytes: options.maxBytes, fileName: options.fileName, object: options.object, layer: options.object,
      onProgress: (bytes) => { bytesRead = bytes; report() },
    })
  } catch (e) {
    if (e instanceof GeoImportError) throw toAppError(e)
    throw e
  }
  const { object: _o, maxBytes: _m, ...rest } = options
  return importLayer(db, actor, layerSlug, opened, {
    ...rest, format: opened.format, fileSha256: file.sha256, bytes: file.bytes,
    onProgress: (features) => { written = features; report() },
  })
}
