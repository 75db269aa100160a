// Incident reports from the command line: import a UCDP GED, ACLED or HXL file as a party's
// reports, with progress; a file with bad rows imports nothing unless --skip-invalid; an
// interrupted import run again carries on where it stopped.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import type { Visibility } from '../../db/schema.ts'
import { migrate } from '../../db/migrate.ts'
import { AppError } from '../../lib/errors.ts'
import { VISIBILITIES } from '../../lib/visibility.ts'
import { ImportFormatError } from '../../modules/actors/actors.types.ts'
import { INCIDENT_FORMATS, parseIncidentFile, type IncidentFormat } from '../../modules/incidents/import/index.ts'
import { importReports } from '../../modules/incidents/reports.import.ts'
import { systemActor } from '../../modules/ledger/ledger.service.ts'
import { byTenths, str, UsageError, type Command } from '../command.ts'

export const INCIDENT_COMMANDS: Record<string, Command> = {
  'incidents import': {
    summary: 'Import a UCDP GED, ACLED or HXL file as a party\'s reports: checked row by row, resolved, attributed, with progress',
    usage: [
      `truce incidents import FILE --format ${INCIDENT_FORMATS.join('|')} --party SLUG [--dry-run] [--skip-invalid] [--visibility V]`,
      '',
      'The encoding (UTF-8, UTF-16, Windows-1252) and gzip are detected; dates may be written in several ways.',
      'A file with bad rows imports nothing and lists them by line; --skip-invalid imports the good rows and lists',
      'the bad ones. Rows are written in batches: an interrupted import run again skips the rows already in.',
      `--visibility: ${VISIBILITIES.join(', ')} (default parties).`,
    ].join('\n'),
    options: { format: { type: 'string' }, party: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'skip-invalid': { type: 'boolean' }, visibility: { type: 'string' } },
    async run(values, positionals, ctx) {
      if (positionals.length !== 1) throw new UsageError('give exactly one FILE')
      const format = str(values.format, 'format')
      if (!(INCIDENT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${INCIDENT_FORMATS.join(', ')}`)
      const visibility = (typeof values.visibility === 'string' ? values.visibility : 'parties') as Visibility
      if (!(VISIBILITIES as readonly string[]).includes(visibility)) throw new UsageError(`--visibility must be one of ${VISIBILITIES.join(', ')}`)
      let bytes: Buffer
      try { bytes = readFileSync(positionals[0]!) } catch (e) { throw new UsageError(`cannot read ${positionals[0]}: ${e instanceof Error ? e.message : String(e)}`) }
      let shownRows = -1
      let file
      try {
        file = parseIncidentFile(bytes, format as IncidentFormat, {
          now: new Date(),
          onRow: (n) => { if (Math.floor(n / 5000) > shownRows) { shownRows = Math.floor(n / 5000); if (n > 0) ctx.out(`  read ${n.toLocaleString('en')} rows`) } },
        })
      } catch (e) {
        if (e instanceof ImportFormatError) { ctx.err(`truce incidents import: nothing was imported. ${e.code}: ${e.message} (${e.where})`); return 1 }
        throw e
      }
      ctx.out(`${basename(positionals[0]!)}: ${file.encoding}${file.gzip ? ', gzip' : ''}; ${file.rows.toLocaleString('en')} rows, ${file.reports.length.toLocaleString('en')} reports, ${file.errors.length} row problems, ${file.skipped.length} not incidents`)
      const db = await ctx.db()
      await migrate(db)
      const party = await db.kysely.selectFrom('parties').select(['id', 'kind']).where('slug', '=', str(values.party, 'party')).executeTakeFirst()
      if (!party) throw new UsageError(`no party "${String(values.party)}" (see: truce parties list)`)
      try {
        const r = await importReports(db.kysely, { ...systemActor(party.id), partyKind: party.kind }, file, {
          fileName: basename(positionals[0]!), format, fileSha256: createHash('sha256').update(bytes).digest('hex'),
          skipInvalid: values['skip-invalid'] === true, dryRun: values['dry-run'] === true, visibility,
          onProgress: byTenths((_pct, done, total) => ctx.out(`  ${done.toLocaleString('en')}/${total.toLocaleString('en')} reports written`)),
        })
        for (const e of r.invalid.slice(0, 50)) ctx.out(`  skipped line ${e.line}${e.field ? ` (${e.field})` : ''}: ${e.message}`)
        if (r.invalid.length > 50) ctx.out(`  … and ${r.invalid.length - 50} more invalid rows`)
        ctx.out(`${r.dryRun ? 'Would add' : 'Added'} ${r.dryRun ? r.valid - r.alreadyImported : r.added} reports (${r.alreadyImported} already imported, ${r.invalidRows} invalid rows skipped); ` +
          `${r.actorsResolved} of ${r.actorNames} actor names resolved; ${r.placesAttributed} places attributed${r.dryRun ? '' : `; ${r.incidentsCreated} new incidents`}.${r.dryRun ? ' Nothing was written (--dry-run).' : ''}`)
        return 0
      } catch (e) {
        if (e instanceof AppError && e.status < 500) {
          ctx.err(`truce incidents import: nothing was imported. ${e.message}`)
          for (const d of e.details.slice(0, 50)) ctx.err(`  ${d.path ?? ''}: ${d.message}`)
          return 1
        }
        throw e
      }
    },
  },
}
