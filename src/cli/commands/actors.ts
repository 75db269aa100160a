// The actor registry from the command line: import a UN Security Council list, FollowTheMoney
// JSON lines or UCDP events as claims by a party, with progress, or check a file with --dry-run.
import { readFileSync } from 'node:fs'
import { migrate } from '../../db/migrate.ts'
import { systemActor } from '../../modules/ledger/ledger.service.ts'
import { applyImport } from '../../modules/actors/actors.import.ts'
import { IMPORT_FORMATS, parseImport } from '../../modules/actors/actors.routes.ts'
import { VISIBILITIES } from '../../lib/visibility.ts'
import type { Visibility } from '../../db/schema.ts'
import { str, UsageError, type Command } from '../command.ts'

const FORMATS = Object.keys(IMPORT_FORMATS) as (keyof typeof IMPORT_FORMATS)[]

export const ACTOR_COMMANDS: Record<string, Command> = {
  'actors import': {
    summary: 'Import actors and their names, designations and memberships as claims by a party',
    usage: [
      `truce actors import FILE --format ${FORMATS.join('|')} --party SLUG [--visibility V] [--dry-run]`,
      '',
      'un-xml: a UN Security Council Consolidated List (XML). ftm: FollowTheMoney JSON lines.',
      'ucdp: UCDP GED events (CSV); their multi-actor sides become coalition candidates for an analyst.',
      'A re-import adds only what changed. --dry-run parses and works everything out, and writes nothing.',
      `--visibility: ${VISIBILITIES.join(', ')} (default parties).`,
    ].join('\n'),
    options: { format: { type: 'string' }, party: { type: 'string' }, visibility: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    async run(values, positionals, ctx) {
      if (positionals.length !== 1) throw new UsageError('give exactly one FILE')
      const format = str(values.format, 'format')
      if (!(FORMATS as string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`)
      const visibility = (typeof values.visibility === 'string' ? values.visibility : 'parties') as Visibility
      if (!(VISIBILITIES as readonly string[]).includes(visibility)) throw new UsageError(`--visibility must be one of ${VISIBILITIES.join(', ')}`)
      let text: string
      try {
        text = readFileSync(positionals[0]!, 'utf8')
      } catch (e) {
        throw new UsageError(`cannot read ${positionals[0]}: ${e instanceof Error ? e.message : String(e)}`)
      }
      const batch = parseImport(format as keyof typeof IMPORT_FORMATS, text)
      ctx.out(`${batch.source}: ${batch.actors.length} actors, ${batch.candidates.length} candidates` +
        (batch.skipped ? ` (skipped: ${Object.entries(batch.skipped).map(([k, n]) => `${n} ${k}`).join(', ')})` : ''))
      const db = await ctx.db()
      await migrate(db)
      const party = await db.kysely.selectFrom('parties').select('id').where('slug', '=', str(values.party, 'party')).executeTakeFirst()
      if (!party) throw new UsageError(`no party "${String(values.party)}" (see: truce parties list)`)
      let shown = 0
      const summary = await applyImport(db.kysely, systemActor(party.id), batch, {
        scheme: IMPORT_FORMATS[format as keyof typeof IMPORT_FORMATS].scheme, visibility, dryRun: values['dry-run'] === true,
        onProgress: (done, total) => {
          const pct = Math.floor((done / total) * 10)
          if (pct > shown || done === total) { shown = pct; ctx.out(`  ${done}/${total} actors`) }
        },
      })
      ctx.out(`${values['dry-run'] ? 'Would add' : 'Added'} ${summary.claimsAdded} claims (${summary.claimsUnchanged} unchanged); ${summary.actorsCreated} new actors` +
        (values['dry-run'] ? '. Nothing was written (--dry-run).' : '.'))
      return 0
    },
  },
}
