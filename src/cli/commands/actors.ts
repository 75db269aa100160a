// The actor registry from the command line: import a UN Security Council list, FollowTheMoney
// JSON lines or UCDP events as claims by a party, with progress, or check a file with --dry-run;
// and match a name, or a list of names, against the registry as a party sees it.
import { readFileSync } from 'node:fs'
import type { Database } from '../../db/database.ts'
import { migrate } from '../../db/migrate.ts'
import { systemActor } from '../../modules/ledger/ledger.service.ts'
import { applyImport } from '../../modules/actors/actors.import.ts'
import { actorMatcher, type MatchResult } from '../../modules/actors/actors.match.ts'
import { isCountryCode } from '../../modules/actors/countries.ts'
import { IMPORT_FORMATS, parseImport } from '../../modules/actors/actors.routes.ts'
import { VISIBILITIES } from '../../lib/visibility.ts'
import type { Visibility } from '../../db/schema.ts'
import { ANONYMOUS, type Principal } from '../../modules/access/access.policy.ts'
import { str, table, UsageError, type Command } from '../command.ts'

const FORMATS = Object.keys(IMPORT_FORMATS) as (keyof typeof IMPORT_FORMATS)[]

export const ACTOR_COMMANDS: Record<string, Command> = {
  'actors import': {
    summary: 'Import actors and their names, designations and memberships as claims by a party',
    usage: [
      `truce actors import FILE --format ${FORMATS.join('|')} --party SLUG [--visibility V] [--complete|--partial] [--dry-run]`,
      '',
      'un-xml: a UN Security Council Consolidated List (XML): entities with their names, designation, address',
      'countries, and the mergers, splits and renames COMMENTS1 states between entries by reference number.',
      'ftm: FollowTheMoney JSON lines (an organization\'s `country` gives its countries of operation).',
      'ucdp: UCDP GED events (CSV); their multi-actor sides become coalition candidates for an analyst, with',
      'the countries of their rows.',
      'A re-import adds only what changed. A complete list (un-xml by default; --complete, --partial) also',
      'withdraws what it no longer says: dropped names are retracted, entities no longer listed are delisted',
      'as of the list\'s date. --dry-run parses and works everything out, and writes nothing.',
      `--visibility: ${VISIBILITIES.join(', ')} (default parties).`,
    ].join('\n'),
    options: {
      format: { type: 'string' }, party: { type: 'string' }, visibility: { type: 'string' }, 'dry-run': { type: 'boolean' },
      complete: { type: 'boolean' }, partial: { type: 'boolean' },
    },
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
      if (values.complete && values.partial) throw new UsageError('give at most one of --complete and --partial')
      const spec = IMPORT_FORMATS[format as keyof typeof IMPORT_FORMATS]
      const summary = await applyImport(db.kysely, systemActor(party.id), batch, {
        scheme: spec.scheme, visibility, dryRun: values['dry-run'] === true, complete: values.complete ? true : values.partial ? false : spec.complete,
        onProgress: (done, total) => {
          const pct = Math.floor((done / total) * 10)
          if (pct > shown || done === total) { shown = pct; ctx.out(`  ${done}/${total} actors`) }
        },
      })
      ctx.out(`${values['dry-run'] ? 'Would add' : 'Added'} ${summary.claimsAdded} claims (${summary.claimsUnchanged} unchanged); ${summary.actorsCreated} new actors` +
        (summary.claimsRetracted > 0 ? `; ${summary.claimsRetracted} claims no longer made retracted, ${summary.actorsDelisted} actors delisted` : '') +
        (summary.successionsUnresolved > 0 ? `; ${summary.successionsUnresolved} successions left out (their predecessor is in neither the file nor the registry)` : '') +
        (values['dry-run'] ? '. Nothing was written (--dry-run).' : '.'))
      return 0
    },
  },
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

/** Who the match is for: a party's view (it sees what that party may see). */
async function viewerOf(db: Database, slug: string | undefined): Promise<Principal> {
  if (slug === undefined) return ANONYMOUS
  const p = await db.kysely.selectFrom('parties').select(['id', 'kind']).where('slug', '=', slug).executeTakeFirst()
  if (!p) throw new UsageError(`no party "${slug}" (see: truce parties list)`)
  return { ...systemActor(p.id), partyKind: p.kind }
}

/** The country feature in words: "SY" (operates there), "elsewhere: IQ, TR", or "?" (nobody said). */
const countryCell = (c: MatchResult) => {
  const f = c.features.find((x) => x.feature === 'country')
  if (!f || !('status' in f)) return ''
  return f.status === 'match' ? f.country : f.status === 'other_country' ? `elsewhere: ${f.countries.join(', ')}` : '?'
}

const row = (c: MatchResult, withCountry: boolean) => [c.score.toFixed(2), c.band, c.displayName.en ?? Object.values(c.displayName)[0] ?? '', c.matchedName.value,
  c.cameIntoUseLater ? 'came into use later' : c.dateStatus === 'no_longer_in_use' ? 'no longer in use' : '', ...(withCountry ? [countryCell(c)] : []), c.actorId]

ACTOR_COMMANDS['actors match'] = {
  summary: 'Match a name in any script (or a file of names) against the registry: ranked candidates with bands',
  usage: [
    'truce actors match (--name "…" | --file LIST) [--at YYYY-MM-DD] [--agreement SLUG] [--country CC] [--party SLUG] [--limit N] [--json]',
    '',
    'LIST: one name per line, optionally followed by a tab and the date it was used. --party: match as that',
    'party sees the registry (default: only what is public). Bands: automatic (≥ 0.95 or an exact name,',
    'alias or reference), review (0.70–0.95), possible (0.50–0.70). --agreement: within a band, the actors',
    "that agreement's delineation concerns come first. --country: where the names were used (ISO 3166-1",
    'alpha-2, e.g. SY); within a band (after the agreement\'s), the actors operating there come first, and the',
    'COUNTRY column says whether each does (the code), operates elsewhere, or nobody said (?). Neither context',
    'changes a score or a band.',
  ].join('\n'),
  options: {
    name: { type: 'string' }, file: { type: 'string' }, at: { type: 'string' }, agreement: { type: 'string' }, country: { type: 'string' }, party: { type: 'string' },
    limit: { type: 'string' }, json: { type: 'boolean' },
  },
  async run(values, _p, ctx) {
    const hasName = typeof values.name === 'string' && values.name.trim() !== ''
    if (hasName === (typeof values.file === 'string')) throw new UsageError('give exactly one of --name and --file')
    const at = typeof values.at === 'string' ? values.at : undefined
    if (at !== undefined && !DATE.test(at)) throw new UsageError('--at: a date, YYYY-MM-DD')
    const country = typeof values.country === 'string' ? values.country.trim().toUpperCase() : undefined
    if (country !== undefined && !isCountryCode(country)) throw new UsageError(`--country: an ISO 3166-1 alpha-2 country code, e.g. SY (not "${String(values.country)}")`)
    const limit = typeof values.limit === 'string' ? Number(values.limit) : hasName ? 10 : 3
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new UsageError('--limit: a whole number from 1 to 100')
    let names: { name: string; at?: string | undefined }[]
    if (hasName) {
      names = [{ name: (values.name as string).trim(), at }]
    } else {
      let text: string
      try { text = readFileSync(values.file as string, 'utf8') } catch (e) { throw new UsageError(`cannot read ${String(values.file)}: ${e instanceof Error ? e.message : String(e)}`) }
      names = []
      for (const [i, line] of text.split(/\r?\n/).entries()) {
        if (line.trim() === '') continue
        const [name, date] = line.split('\t')
        if (date !== undefined && date.trim() !== '' && !DATE.test(date.trim())) throw new UsageError(`${String(values.file)} line ${i + 1}: the date after the tab must be YYYY-MM-DD`)
        names.push({ name: name!.trim(), at: date?.trim() || at })
      }
    }
    const db = await ctx.db()
    await migrate(db)
    const viewer = await viewerOf(db, typeof values.party === 'string' ? values.party : undefined)
    const { results } = await actorMatcher(db.kysely).matchMany(viewer, names, limit, { agreement: typeof values.agreement === 'string' ? values.agreement : undefined, country })
    if (values.json) { ctx.out(JSON.stringify(hasName ? results[0]!.candidates : results, null, 2)); return 0 }
    for (const r of results) {
      if (!hasName) ctx.out(`${r.name}${r.at ? ` (${r.at})` : ''}`)
      if (r.candidates.length === 0) { ctx.out('  no candidate'); continue }
      const header = ['SCORE', 'BAND', 'ACTOR', 'MATCHED NAME', 'DATE', ...(country ? ['COUNTRY'] : []), 'ID']
      table([header, ...r.candidates.map((c) => row(c, country !== undefined))], (l) => ctx.out(hasName ? l : `  ${l}`))
    }
    return 0
  },
}
