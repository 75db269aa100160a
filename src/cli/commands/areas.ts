// Map layers from the command line: import a GeoJSON, TopoJSON or zipped shapefile into a layer
// as a party's claims, with progress; and attribute a point, as a party sees the map.
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Database } from '../../db/database.ts'
import type { GeoLayerKind, Visibility } from '../../db/schema.ts'
import { migrate } from '../../db/migrate.ts'
import { AppError } from '../../lib/errors.ts'
import { hashFile } from '../../lib/upload.ts'
import { VISIBILITIES } from '../../lib/visibility.ts'
import { ANONYMOUS, type Principal } from '../../modules/access/access.policy.ts'
import { importLayerFile } from '../../modules/geo/geo.import.ts'
import { reattribute } from '../../modules/geo/geo.places.ts'
import { ACCESS_STATUSES, LAYER_KINDS, SITE_KINDS } from '../../modules/geo/geo.schemas.ts'
import { geoService } from '../../modules/geo/geo.service.ts'
import { systemActor } from '../../modules/ledger/ledger.service.ts'
import { byTenths, str, UsageError, type Command } from '../command.ts'

const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/

const instantOf = (v: unknown, name: string): Date | undefined => {
  if (v === undefined) return undefined
  if (typeof v !== 'string' || !INSTANT.test(v)) throw new UsageError(`--${name}: a date (YYYY-MM-DD) or an instant (2016-02-27T00:00:00Z)`)
  return new Date(v.length === 10 ? `${v}T00:00:00Z` : v)
}

/** The party as a principal (it acts with the permissions of a party's system user). */
async function partyPrincipal(db: Database, slug: string): Promise<Principal> {
  const p = await db.kysely.selectFrom('parties').select(['id', 'kind']).where('slug', '=', slug).executeTakeFirst()
  if (!p) throw new UsageError(`no party "${slug}" (see: truce parties list)`)
  return { ...systemActor(p.id), partyKind: p.kind }
}

/** An AppError said in a line a person reads: the code, the message, and where. */
const describe = (e: AppError) => `${e.code}: ${e.message}${e.details.map((d) => `\n  ${d.path ?? ''}${d.path ? ': ' : ''}${d.message}`).join('')}`

export const AREA_COMMANDS: Record<string, Command> = {
  'areas import': {
    summary: 'Import a GeoJSON, TopoJSON or zipped shapefile into a map layer as a party\'s claims, with progress',
    usage: [
      'truce areas import FILE --layer SLUG --claimant PARTY [--kind KIND --title TEXT] [--valid-from DATE] [--valid-to DATE]',
      '       [--names en:ADM1_EN,ar:ADM1_AR] [--id-property P] [--object NAME] [--actor UUID] [--access-status S]',
      '       [--site-kind K] [--radius M] [--visibility V] [--source TEXT]',
      '',
      '--claimant: the party whose claim the features are. --kind and --title create the layer when it does not exist',
      `(kinds: ${LAYER_KINDS.join(', ')}). A file declaring another CRS is reprojected to EPSG:4326; a GeoJSON without one is`,
      'EPSG:4326 (RFC 7946); a shapefile without a .prj is refused. Invalid geometries are repaired and reported by feature',
      'index. The whole file is one transaction: any error leaves nothing behind, and importing the same file with the same',
      'options again adds nothing. Names and keys are found from ADMn_EN / name_xx / name and ADMn_PCODE / shapeISO when',
      `not given. --actor: control layers. --access-status (${ACCESS_STATUSES.join(', ')}): access layers. --site-kind, --radius:`,
      `site layers. --visibility: ${VISIBILITIES.join(', ')} (default parties).`,
    ].join('\n'),
    options: {
      layer: { type: 'string' }, claimant: { type: 'string' }, kind: { type: 'string' }, title: { type: 'string' },
      'valid-from': { type: 'string' }, 'valid-to': { type: 'string' }, names: { type: 'string' }, 'id-property': { type: 'string' },
      object: { type: 'string' }, actor: { type: 'string' }, 'access-status': { type: 'string' }, 'site-kind': { type: 'string' },
      radius: { type: 'string' }, visibility: { type: 'string' }, source: { type: 'string' },
    },
    async run(values, positionals, ctx) {
      if (positionals.length !== 1) throw new UsageError('give exactly one FILE')
      const path = positionals[0]!
      try {
        if (!(await stat(path)).isFile()) throw new Error('not a file')
      } catch (e) {
        throw new UsageError(`cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`)
      }
      const layerSlug = str(values.layer, 'layer')
      const visibility = (typeof values.visibility === 'string' ? values.visibility : 'parties') as Visibility
      if (!(VISIBILITIES as readonly string[]).includes(visibility)) throw new UsageError(`--visibility must be one of ${VISIBILITIES.join(', ')}`)
      const names = typeof values.names === 'string'
        ? Object.fromEntries(values.names.split(',').map((pair) => {
          const [lang, prop] = pair.split(':')
          if (!lang || !prop) throw new UsageError('--names: language:property pairs, e.g. en:ADM1_EN,ar:ADM1_AR')
          return [lang.trim(), prop.trim()]
        }))
        : undefined
      const accessStatus = values['access-status'] as string | undefined
      if (accessStatus !== undefined && !(ACCESS_STATUSES as readonly string[]).includes(accessStatus)) throw new UsageError(`--access-status must be one of ${ACCESS_STATUSES.join(', ')}`)
      const siteKind = values['site-kind'] as string | undefined
      if (siteKind !== undefined && !(SITE_KINDS as readonly string[]).includes(siteKind)) throw new UsageError(`--site-kind must be one of ${SITE_KINDS.join(', ')}`)
      const radiusM = values.radius === undefined ? undefined : Number(values.radius)
      if (radiusM !== undefined && !(radiusM >= 0)) throw new UsageError('--radius: metres, 0 or more')

      const db = await ctx.db()
      await migrate(db)
      const actor = await partyPrincipal(db, str(values.claimant, 'claimant'))
      const geo = geoService(db.kysely)
      if (!(await geo.findLayer(actor, layerSlug))) {
        if (typeof values.kind !== 'string') throw new UsageError(`no layer "${layerSlug}": give --kind (and --title) to create it`)
        if (!(LAYER_KINDS as readonly string[]).includes(values.kind)) throw new UsageError(`--kind must be one of ${LAYER_KINDS.join(', ')}`)
        await geo.createLayer(actor, { slug: layerSlug, kind: values.kind as GeoLayerKind, title: { en: typeof values.title === 'string' ? values.title : layerSlug }, description: '', visibility })
        ctx.out(`created layer ${layerSlug} (${values.kind})`)
      }
      const file = await hashFile(path)
      ctx.out(`${basename(path)}: ${file.bytes.toLocaleString('en')} bytes, sha256 ${file.sha256}`)
      let features = 0
      const progress = byTenths((pct) => ctx.out(`  ${pct}% read, ${features.toLocaleString('en')} features written`))
      try {
        const result = await importLayerFile(db.kysely, actor, layerSlug, file, {
          fileName: basename(path), maxBytes: Number.MAX_SAFE_INTEGER, object: values.object as string | undefined,
          validFrom: instantOf(values['valid-from'], 'valid-from'), validTo: instantOf(values['valid-to'], 'valid-to'),
          names, idProperty: values['id-property'] as string | undefined, actorId: values.actor as string | undefined,
          accessStatus: accessStatus as 'besieged' | undefined, siteKind, radiusM, source: values.source as string | undefined, visibility,
          onProgress: (bytes, total, written) => { features = written; progress(bytes, total) },
        })
        if (result.alreadyImported) {
          ctx.out(`Already imported (import ${result.importId}, ${result.features} features): nothing added.`)
          return 0
        }
        ctx.out(`Imported ${result.features.toLocaleString('en')} features into ${result.layer} from ${result.format} (EPSG:${result.sourceSrid}); import ${result.importId}.`)
        for (const r of result.repaired) ctx.out(`  repaired feature ${r.index}: ${r.reason}`)
        for (const n of result.notes) ctx.out(`  note on feature ${n.index}: ${n.note}`)
        return 0
      } catch (e) {
        if (e instanceof AppError && e.status < 500) {
          ctx.err(`truce areas import: nothing was imported. ${describe(e)}`)
          return 1
        }
        throw e
      }
    },
  },

  'areas attribute': {
    summary: 'What contains a point at an instant: admin units, areas of control (whose claim), zones, access areas, sites nearby',
    usage: 'truce areas attribute --lon X --lat Y [--at DATE] [--radius M] [--within M] [--party SLUG] [--json]\n\n--party: as that party sees the map (default: only what is public).',
    options: { lon: { type: 'string' }, lat: { type: 'string' }, at: { type: 'string' }, radius: { type: 'string' }, within: { type: 'string' }, party: { type: 'string' }, json: { type: 'boolean' } },
    async run(values, _p, ctx) {
      const lon = Number(str(values.lon, 'lon'))
      const lat = Number(str(values.lat, 'lat'))
      if (!(Math.abs(lon) <= 180) || !(Math.abs(lat) <= 90)) throw new UsageError('--lon within ±180 and --lat within ±90')
      const db = await ctx.db()
      await migrate(db)
      const viewer = typeof values.party === 'string' ? await partyPrincipal(db, values.party) : ANONYMOUS
      const result = await geoService(db.kysely).attribute(viewer, {
        geometry: { type: 'Point', coordinates: [lon, lat] }, at: instantOf(values.at, 'at'),
        radius: values.radius === undefined ? undefined : Number(values.radius), within: values.within === undefined ? 5000 : Number(values.within),
      })
      if (values.json) { ctx.out(JSON.stringify(result, null, 2)); return 0 }
      const name = (n: Record<string, string>) => n.en ?? Object.values(n)[0] ?? '(unnamed)'
      ctx.out(`at ${result.at}`)
      for (const a of result.admin) ctx.out(`  admin   ${a.layer}: ${name(a.name)}${a.externalId ? ` (${a.externalId})` : ''}`)
      for (const a of result.nearestAdmin) ctx.out(`  outside every admin unit; nearest ${a.layer}: ${name(a.name)}, ${Math.round(a.distanceM).toLocaleString('en')} m`)
      for (const c of result.control) ctx.out(`  control ${c.layer}: actor ${c.actorId} claimed by party ${c.claimantPartyId} (${c.confidence ?? 'confidence not given'})`)
      for (const z of result.zones) ctx.out(`  zone    ${z.layer}: ${name(z.name)}`)
      for (const a of result.access) ctx.out(`  access  ${a.layer}: ${name(a.name)} (${a.accessStatus})`)
      for (const s of result.sites) ctx.out(`  site    ${s.layer}: ${name(s.name)}, ${Math.round(s.distanceM).toLocaleString('en')} m${s.insideRadius ? ' (inside its protection radius)' : ''}`)
      return 0
    },
  },

  'areas reattribute': {
    summary: 'Attribute located records again after areas changed (the stale ones, or --all), with progress',
    usage: 'truce areas reattribute [--all]\n\nThe server does this by itself after every change to the map; run it after changing the database another way.',
    options: { all: { type: 'boolean' } },
    async run(values, _p, ctx) {
      const db = await ctx.db()
      await migrate(db)
      const r = await reattribute(db.kysely, {
        all: values.all === true,
        onProgress: byTenths((_pct, done, total) => ctx.out(`  ${done.toLocaleString('en')}/${total.toLocaleString('en')} places`)),
      })
      ctx.out(`Attributed ${r.places.toLocaleString('en')} places (${r.points.toLocaleString('en')} points through the engine, ${r.shapes.toLocaleString('en')} shapes through PostGIS); ${r.changed.toLocaleString('en')} changed; ${r.ms} ms.`)
      return 0
    },
  },
}
