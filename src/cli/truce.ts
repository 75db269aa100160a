#!/usr/bin/env node
// The `truce` command: serve, database and demo administration, parties, users and keys.
// Administrative commands act directly on the database named by the same configuration as the
// server (TRUCE_DATA_DIR or DATABASE_URL), and each change writes its submission.
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig, type Config } from '../config.ts'
import { str, table, UsageError, type Command, type Context } from './command.ts'
import { ACTOR_COMMANDS } from './commands/actors.ts'
import { AREA_COMMANDS } from './commands/areas.ts'
import { INCIDENT_COMMANDS } from './commands/incidents.ts'
import { LOG_COMMANDS } from './commands/log.ts'
import { SIGN_COMMANDS } from './commands/sign.ts'
import { VERIFY_RECEIPT_COMMANDS } from './commands/verify-receipt.ts'
import { VERIFY_MERKLE_COMMANDS } from './commands/verify-merkle.ts'
import { VERIFY_NOTE_COMMANDS } from './commands/verify-note.ts'
import { WITNESS_COMMANDS } from './commands/witness.ts'
import { openDatabase, type Database } from '../db/database.ts'
import { migrate, migrationStatus, MigrationError } from '../db/migrate.ts'
import { AppError } from '../lib/errors.ts'
import { isPermission, isRole, permissionsOf, PERMISSIONS, ROLES, type Principal, type Role } from '../modules/access/access.policy.ts'
import { loadDemo } from '../modules/demo/demo.service.ts'
import { systemActor } from '../modules/ledger/ledger.service.ts'
import { PARTY_KINDS } from '../modules/parties/parties.schemas.ts'
import { partiesService } from '../modules/parties/parties.service.ts'
import { serveUntilSignal } from '../server.ts'
import { agreementsService } from '../modules/agreements/agreements.service.ts'
import { ANONYMOUS } from '../modules/access/access.policy.ts'

async function partyId(db: Database, slugOrId: string): Promise<{ id: string; kind: string }> {
  const p = await partiesService(db.kysely).getParty(slugOrId).catch(() => null)
  if (!p) throw new UsageError(`no party "${slugOrId}" (see: truce parties list)`)
  return { id: p.id, kind: p.kind }
}

async function userPrincipal(db: Database, email: string): Promise<Principal> {
  const u = await db.kysely.selectFrom('users as u').innerJoin('parties as p', 'p.id', 'u.party_id')
    .select(['u.id', 'u.party_id', 'u.roles', 'p.kind']).where('u.email', '=', email.toLowerCase()).executeTakeFirst()
  if (!u) throw new UsageError(`no user "${email}" (see: truce users list)`)
  const roles = u.roles.filter(isRole)
  return { kind: 'user', userId: u.id, partyId: u.party_id, partyKind: u.kind, roles, permissions: permissionsOf(roles), apiKeyId: null }
}

const CORE: Record<string, Command> = {
  serve: {
    summary: 'Serve the API and the web app',
    usage: 'truce serve [--port N]\n\nConfiguration comes from the environment (PORT, TRUCE_DATA_DIR, DATABASE_URL, …; see README).',
    options: { port: { type: 'string' } },
    async run(values, _p, ctx) {
      const config = values.port ? loadConfig({ ...process.env, PORT: String(values.port) }) : ctx.config
      await serveUntilSignal(config, ctx.out)
      await new Promise(() => {})
      return 0
    },
  },
  'db migrate': {
    summary: 'Apply pending migrations',
    usage: 'truce db migrate',
    async run(_v, _p, ctx) {
      const applied = await migrate(await ctx.db())
      ctx.out(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply; the database is up to date.')
      return 0
    },
  },
  'db status': {
    summary: 'List migrations and whether each is applied',
    usage: 'truce db status',
    async run(_v, _p, ctx) {
      const state = await migrationStatus(await ctx.db())
      table([['MIGRATION', 'CHECKSUM', 'APPLIED'], ...state.map((m) => [m.name, m.checksum.slice(0, 12), m.appliedAt ? m.appliedAt.toISOString() : 'pending'])], ctx.out)
      return state.some((m) => !m.appliedAt) ? 1 : 0
    },
  },
  'demo load': {
    summary: 'Load the demo scenario (idempotent)',
    usage: 'truce demo load',
    async run(_v, _p, ctx) {
      const db = await ctx.db()
      await migrate(db)
      const r = await loadDemo(db.kysely, ctx.out)
      ctx.out(r.loaded ? 'Demo scenario loaded.' : 'The demo scenario is already loaded.')
      return 0
    },
  },
  'parties list': {
    summary: 'List parties',
    usage: 'truce parties list [--json]',
    options: { json: { type: 'boolean' } },
    async run(values, _p, ctx) {
      const page = await partiesService((await ctx.db()).kysely).listParties(200)
      if (values.json) { ctx.out(JSON.stringify(page.items, null, 2)); return 0 }
      table([['SLUG', 'KIND', 'NAME', 'ID'], ...page.items.map((p) => [p.slug, p.kind, p.name.en ?? Object.values(p.name)[0] ?? '', p.id])], ctx.out)
      return 0
    },
  },
  'parties create': {
    summary: 'Create a party',
    usage: `truce parties create --slug SLUG --kind KIND --name "English name" [--name-ar …] [--name-ru …] [--name-uk …]\n\nKIND is one of: ${PARTY_KINDS.join(', ')}`,
    options: { slug: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' }, 'name-ar': { type: 'string' }, 'name-ru': { type: 'string' }, 'name-uk': { type: 'string' } },
    async run(values, _p, ctx) {
      const kind = str(values.kind, 'kind')
      if (!(PARTY_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${PARTY_KINDS.join(', ')}`)
      const name: Record<string, string> = { en: str(values.name, 'name') }
      for (const l of ['ar', 'ru', 'uk']) if (typeof values[`name-${l}`] === 'string') name[l] = values[`name-${l}`] as string
      const slug = str(values.slug, 'slug')
      if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(slug)) throw new UsageError('--slug: lowercase letters, digits and dashes, 2–63 long')
      const p = await partiesService((await ctx.db()).kysely).createParty('system', { slug, kind: kind as (typeof PARTY_KINDS)[number], name })
      ctx.out(`Created party ${p.slug} (${p.id})`)
      return 0
    },
  },
  'users list': {
    summary: 'List users',
    usage: 'truce users list [--party SLUG] [--json]',
    options: { party: { type: 'string' }, json: { type: 'boolean' } },
    async run(values, _p, ctx) {
      const db = await ctx.db()
      const pid = typeof values.party === 'string' ? (await partyId(db, values.party)).id : undefined
      const admin: Principal = { ...ANONYMOUS, kind: 'user', roles: ['admin'] }
      const page = await partiesService(db.kysely).listUsers(admin, { limit: 200, partyId: pid })
      if (values.json) { ctx.out(JSON.stringify(page.items, null, 2)); return 0 }
      table([['EMAIL', 'ROLES', 'NAME', 'ID'], ...page.items.map((u) => [u.email, u.roles.join(','), u.displayName, u.id])], ctx.out)
      return 0
    },
  },
  'users create': {
    summary: 'Create a user (the password is read from TRUCE_PASSWORD or --password)',
    usage: `truce users create --party SLUG --email EMAIL --name "Display name" --roles ROLE[,ROLE] [--password P]\n\nROLE is one of: ${ROLES.join(', ')}`,
    options: { party: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, roles: { type: 'string' }, password: { type: 'string' } },
    async run(values, _p, ctx) {
      const db = await ctx.db()
      const party = await partyId(db, str(values.party, 'party'))
      const roles = str(values.roles, 'roles').split(',').map((r) => r.trim())
      const bad = roles.filter((r) => !isRole(r))
      if (bad.length) throw new UsageError(`unknown role(s) ${bad.join(', ')}; roles are ${ROLES.join(', ')}`)
      const password = typeof values.password === 'string' ? values.password : process.env.TRUCE_PASSWORD
      if (!password || password.length < 10) throw new UsageError('a password of at least 10 characters is required (--password or TRUCE_PASSWORD)')
      const u = await partiesService(db.kysely).createUser(systemActor(party.id), {
        partyId: party.id, email: str(values.email, 'email').toLowerCase(), displayName: str(values.name, 'name'), password, roles: roles as Role[],
      })
      ctx.out(`Created user ${u.email} (${u.id})`)
      return 0
    },
  },
  'keys list': {
    summary: "List a party's API keys",
    usage: 'truce keys list --party SLUG',
    options: { party: { type: 'string' } },
    async run(values, _p, ctx) {
      const db = await ctx.db()
      const party = await partyId(db, str(values.party, 'party'))
      const keys = await partiesService(db.kysely).listApiKeys({ ...ANONYMOUS, kind: 'user', partyId: party.id })
      table([['ID', 'NAME', 'PREFIX', 'SCOPES', 'STATE'], ...keys.items.map((k) => [k.id, k.name, k.prefix, k.scopes.join(','), k.revokedAt ? 'revoked' : 'active'])], ctx.out)
      return 0
    },
  },
  'keys create': {
    summary: 'Create an API key for a user (the token is printed once)',
    usage: `truce keys create --user EMAIL --name NAME [--scopes PERM[,PERM]] [--expires ISO-DATETIME]\n\nPERM defaults to all the user holds; permissions: ${PERMISSIONS.join(', ')}`,
    options: { user: { type: 'string' }, name: { type: 'string' }, scopes: { type: 'string' }, expires: { type: 'string' } },
    async run(values, _p, ctx) {
      const db = await ctx.db()
      const actor = await userPrincipal(db, str(values.user, 'user'))
      const scopes = typeof values.scopes === 'string' ? values.scopes.split(',').map((s) => s.trim()) : [...actor.permissions]
      const bad = scopes.filter((s) => !isPermission(s))
      if (bad.length) throw new UsageError(`unknown permission(s) ${bad.join(', ')}`)
      const expires = typeof values.expires === 'string' ? new Date(values.expires) : undefined
      if (expires && Number.isNaN(expires.getTime())) throw new UsageError('--expires must be an ISO date-time')
      const k = await partiesService(db.kysely).createApiKey(actor, { name: str(values.name, 'name'), scopes, expiresAt: expires })
      ctx.out(`Created API key ${k.id} with scopes ${k.scopes.join(', ')}`)
      ctx.out('Token (shown once; store it now):')
      ctx.out(k.token)
      return 0
    },
  },
  'keys revoke': {
    summary: 'Revoke an API key',
    usage: 'truce keys revoke --party SLUG KEY-ID',
    options: { party: { type: 'string' } },
    async run(values, positionals, ctx) {
      const db = await ctx.db()
      const party = await partyId(db, str(values.party, 'party'))
      const id = positionals[0]
      if (!id) throw new UsageError('give the key id')
      await partiesService(db.kysely).revokeApiKey(systemActor(party.id), id)
      ctx.out(`Revoked ${id}`)
      return 0
    },
  },
  'keys signing-add': {
    summary: "Register (or rotate) a party's Ed25519 public key",
    usage: 'truce keys signing-add --party SLUG --name NAME --public-key BASE64|PEM [--valid-from ISO] [--valid-to ISO] [--replaces KEY-ID]',
    options: { party: { type: 'string' }, name: { type: 'string' }, 'public-key': { type: 'string' }, 'valid-from': { type: 'string' }, 'valid-to': { type: 'string' }, replaces: { type: 'string' } },
    async run(values, _p, ctx) {
      const db = await ctx.db()
      const party = await partyId(db, str(values.party, 'party'))
      const date = (v: unknown, n: string) => {
        if (typeof v !== 'string') return undefined
        const d = new Date(v)
        if (Number.isNaN(d.getTime())) throw new UsageError(`--${n} must be an ISO date-time`)
        return d
      }
      const k = await partiesService(db.kysely).registerPartyKey(systemActor(party.id), party.id, {
        name: str(values.name, 'name'), publicKey: str(values['public-key'], 'public-key'),
        validFrom: date(values['valid-from'], 'valid-from') ?? new Date(), validTo: date(values['valid-to'], 'valid-to'),
        replacesId: typeof values.replaces === 'string' ? values.replaces : undefined,
      })
      ctx.out(`Registered key ${k.id} (fingerprint ${k.fingerprint})`)
      return 0
    },
  },
  'keys signing-list': {
    summary: "List a party's Ed25519 public keys",
    usage: 'truce keys signing-list --party SLUG',
    options: { party: { type: 'string' } },
    async run(values, _p, ctx) {
      const db = await ctx.db()
      const keys = await partiesService(db.kysely).listPartyKeys(str(values.party, 'party'))
      table([['ID', 'NAME', 'FINGERPRINT', 'VALID FROM', 'VALID TO', 'STATE'], ...keys.items.map((k) => [
        k.id, k.name, k.fingerprint.slice(0, 16), k.validFrom, k.validTo ?? '', k.revokedAt ? 'revoked' : 'active'])], ctx.out)
      return 0
    },
  },
  'agreements list': {
    summary: 'List agreements (as the public sees them, or as a user with --as)',
    usage: 'truce agreements list [--as EMAIL] [--json]',
    options: { as: { type: 'string' }, json: { type: 'boolean' } },
    async run(values, _p, ctx) {
      const db = await ctx.db()
      const viewer = typeof values.as === 'string' ? await userPrincipal(db, values.as) : ANONYMOUS
      const page = await agreementsService(db.kysely).list(viewer, { limit: 200 })
      if (values.json) { ctx.out(JSON.stringify(page.items, null, 2)); return 0 }
      table([['SLUG', 'STATUS', 'THEATRE', 'EFFECTIVE FROM', 'TITLE'], ...page.items.map((a) => [
        a.slug, a.status, a.theatre, a.effectiveFrom?.slice(0, 10) ?? '', a.title.en ?? Object.values(a.title)[0] ?? ''])], ctx.out)
      return 0
    },
  },
}

/** Every command: the core ones here, and each domain's from src/cli/commands/. */
const COMMANDS: Record<string, Command> = {
  ...CORE,
  ...SIGN_COMMANDS,
  ...VERIFY_RECEIPT_COMMANDS,
  ...VERIFY_MERKLE_COMMANDS,
  ...VERIFY_NOTE_COMMANDS,
  ...WITNESS_COMMANDS,
  ...LOG_COMMANDS,
  ...ACTOR_COMMANDS,
  ...AREA_COMMANDS,
  ...INCIDENT_COMMANDS,
}

function help(out: (l: string) => void) {
  out('truce: put a ceasefire agreement into practice and verify it\n')
  out('Usage: truce <command> [options]   (every command takes --help)\n')
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length))
  for (const [name, c] of Object.entries(COMMANDS)) out(`  ${name.padEnd(width)}  ${c.summary}`)
}

export async function main(
  argv: string[],
  out: (line: string) => void = (l) => { process.stdout.write(`${l}\n`) },
  err: (line: string) => void = (l) => { process.stderr.write(`${l}\n`) },
): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') { help(out); return argv.length === 0 ? 2 : 0 }
  const two = `${argv[0]} ${argv[1] ?? ''}`
  const [name, rest] = COMMANDS[two] ? [two, argv.slice(2)] : [argv[0]!, argv.slice(1)]
  const command = COMMANDS[name]
  if (!command) {
    const group = Object.keys(COMMANDS).filter((k) => k.startsWith(`${name} `))
    if (group.length > 0) {
      out(`Usage: truce ${name} <${group.map((g) => g.split(' ')[1]).join('|')}>`)
      for (const g of group) out(`  ${g}  ${COMMANDS[g]!.summary}`)
      return rest.includes('--help') || rest.includes('-h') ? 0 : 2
    }
    err(`truce: unknown command "${argv.join(' ')}". Run truce --help.`)
    return 2
  }
  let db: Database | undefined
  try {
    const { values, positionals } = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true })
    if (values.help) { out(`${command.summary}\n\nUsage: ${command.usage}`); return 0 }
    // Configuration is read when a command first needs it, so offline commands (verify, sign)
    // work whatever the server's environment says.
    let config: Config | undefined
    const ctx: Context = {
      get config() { return (config ??= loadConfig()) },
      out, err,
      db: async () => (db ??= await openDatabase({ databaseUrl: ctx.config.databaseUrl, dataDir: ctx.config.dataDir })),
    }
    return await command.run(values, positionals, ctx)
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))) {
      err(`truce ${name}: ${e.message}\nUsage: ${command.usage}`)
      return 2
    }
    if (e instanceof ConfigError || e instanceof MigrationError) { err(e.message); return 2 }
    if (e instanceof AppError) {
      err(`truce ${name}: ${e.message}${e.details.length ? ` (${e.details.map((d) => `${d.path ?? ''} ${d.message}`.trim()).join('; ')})` : ''}`)
      return 1
    }
    const pg = e as { code?: string; detail?: string; message?: string }
    if (pg.code === '23505') { err(`truce ${name}: already exists${pg.detail ? ` (${pg.detail})` : ''}`); return 1 }
    // A server that cannot start (its log key, a log that does not check out, a port in use)
    // says why in one line; the operator needs the reason, not our stack.
    if (name === 'serve' && e instanceof Error) { err(`truce serve: cannot start: ${e.message}`); return 1 }
    throw e
  } finally {
    if (db && name !== 'serve') await db.close()
  }
}

if (import.meta.main) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code }, (e: unknown) => {
    process.stderr.write(`truce: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`)
    process.exitCode = 1
  })
}
