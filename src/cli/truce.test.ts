// The `truce` command as an operator runs it: a real child process on a private copy of the demo
// database. PGlite lets one process at a time open a data directory, so the commands run one
// after another and the API is opened on the same directory only after the last one exits.
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensurePGliteTemplate } from '../../test/helpers/templates.ts'
import { buildApp } from '../app.ts'
import { loadConfig } from '../config.ts'
import { openPGlite } from '../db/database.ts'
import { readMigrations } from '../db/migrate.ts'
import { main } from './truce.ts'
import { runTruce } from '../../test/helpers/cli.ts'

const COMMANDS = [
  'serve', 'db migrate', 'db status', 'demo load', 'parties list', 'parties create', 'users list', 'users create',
  'keys list', 'keys create', 'keys revoke', 'keys signing-add', 'keys signing-list', 'agreements list', 'actors import', 'actors match',
]


describe('truce CLI', () => {
  let dataDir: string

  /** Runs `node src/cli/truce.ts …` against the private data directory. */
  const truce = (args: string[], env: Record<string, string> = {}) => runTruce(args, { env: { TRUCE_DATA_DIR: dataDir, DATABASE_URL: undefined, ...env } })

  beforeAll(async () => {
    const template = await ensurePGliteTemplate()
    dataDir = mkdtempSync(join(tmpdir(), 'truce-cli-'))
    cpSync(template, dataDir, { recursive: true })
  })
  afterAll(() => { if (dataDir) rmSync(dataDir, { recursive: true, force: true }) })

  describe('help', () => {
    it('truce --help lists every command', async () => {
      const r = await truce(['--help'])
      expect(r.code).toBe(0)
      expect(r.stdout).toContain('Usage: truce <command>')
      for (const name of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'))
    })

    it('a command --help exits 0 and shows its usage, from the real process', async () => {
      const [command, group] = await Promise.all([truce(['keys', 'create', '--help']), truce(['db', '--help'])])
      expect(command.code).toBe(0)
      expect(command.stdout).toContain('Usage: truce keys create --user EMAIL --name NAME')
      expect(group.code).toBe(0)
      expect(group.stdout).toContain('Usage: truce db <migrate|status>')
    })

    it('every command --help shows its usage without touching the database', async () => {
      // In process (each spawn costs seconds); the exit code path is the one tested above.
      for (const name of COMMANDS) {
        const out: string[] = []
        const err: string[] = []
        const code = await main([...name.split(' '), '--help'], (l) => out.push(l) > 0, (l) => err.push(l) > 0)
        expect(code, name).toBe(0)
        expect(err, name).toEqual([])
        expect(out.join('\n'), name).toContain(`Usage: truce ${name}`)
      }
    })
  })

  describe('bad usage', () => {
    it('exits 2 with a message naming the option', async () => {
      const [unknown, badKind, missing, noCommand] = await Promise.all([
        truce(['parties', 'create', '--colour', 'blue']),
        truce(['parties', 'create', '--slug', 'x1', '--kind', 'wizard', '--name', 'X']),
        truce(['parties', 'create', '--kind', 'monitor', '--name', 'X']),
        truce(['treaties', 'sign']),
      ])
      expect(unknown.code).toBe(2)
      expect(unknown.stderr).toContain('--colour')
      expect(unknown.stderr).toContain('Usage: truce parties create')
      expect(badKind.code).toBe(2)
      expect(badKind.stderr).toContain('--kind must be one of guarantor, signatory, monitor, humanitarian, public')
      expect(missing.code).toBe(2)
      expect(missing.stderr).toContain('--slug is required')
      expect(noCommand.code).toBe(2)
      expect(noCommand.stderr).toContain('unknown command "treaties sign"')
      for (const r of [unknown, badKind, missing, noCommand]) expect(r.stdout).toBe('')
    })
  })

  describe('on a database', { timeout: 120_000 }, () => {
    const email = 'field.monitor@example.org'
    const password = 'a-long-test-password'
    let token = ''

    it('db status shows every migration applied', async () => {
      const r = await truce(['db', 'status'])
      expect(r.code, r.stderr).toBe(0)
      const names = readMigrations().map((m) => m.name)
      expect(names).toEqual(expect.arrayContaining(['0001_core.sql', '0002_agreements.sql']))
      for (const name of names) expect(r.stdout).toMatch(new RegExp(`^${name} +[0-9a-f]{12} +\\d{4}-\\d{2}-\\d{2}T`, 'm'))
      expect(r.stdout).not.toContain('pending')
    })

    it('parties create, then parties list --json shows the party', async () => {
      const created = await truce(['parties', 'create', '--slug', 'unmis', '--kind', 'monitor', '--name', 'UN Monitoring Mission', '--name-ar', 'بعثة الأمم المتحدة للمراقبة'])
      expect(created.code, created.stderr).toBe(0)
      expect(created.stdout).toMatch(/^Created party unmis \([0-9a-f-]{36}\)$/m)
      const listed = await truce(['parties', 'list', '--json'])
      expect(listed.code, listed.stderr).toBe(0)
      const parties = JSON.parse(listed.stdout) as { slug: string; kind: string; name: Record<string, string> }[]
      expect(parties.find((p) => p.slug === 'unmis')).toMatchObject({ kind: 'monitor', name: { en: 'UN Monitoring Mission', ar: 'بعثة الأمم المتحدة للمراقبة' } })
      expect(parties.map((p) => p.slug)).toEqual(expect.arrayContaining(['us', 'ru', 'osce', 'public']))
    })

    it('users create takes the password from TRUCE_PASSWORD', async () => {
      const r = await truce(['users', 'create', '--party', 'unmis', '--email', 'Field.Monitor@Example.org', '--name', 'Field monitor', '--roles', 'monitor,analyst'],
        { TRUCE_PASSWORD: password })
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toMatch(new RegExp(`^Created user ${email.replace(/\./g, '\\.')} \\(`, 'm'))
    })

    it('keys create prints the token once', async () => {
      const r = await truce(['keys', 'create', '--user', email, '--name', 'field tablet', '--scopes', 'provision.status,submission.read'])
      expect(r.code, r.stderr).toBe(0)
      const tokens = r.stdout.match(/truce_[0-9a-f]{16}_[A-Za-z0-9_-]+/g) ?? []
      expect(tokens).toHaveLength(1)
      token = tokens[0]!
      expect(r.stdout).toContain('shown once')
    })

    it('agreements list shows the two demo agreements', async () => {
      const r = await truce(['agreements', 'list'])
      expect(r.code, r.stderr).toBe(0)
      const rows = r.stdout.trim().split('\n')
      expect(rows[0]).toMatch(/^SLUG +STATUS +THEATRE/)
      expect(rows.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['syria-coh-2016', 'minsk-ii-2015'])
      expect(r.stdout).toContain('Cessation of Hostilities in Syria')
    })

    it('what the CLI wrote works through the API: the user signs in, the key authenticates', async () => {
      expect(token).not.toBe('')
      const db = await openPGlite(dataDir)
      const app = await buildApp({ db, config: loadConfig({ TRUCE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), logger: false })
      try {
        const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })
        expect(login.statusCode, login.body).toBe(200)
        expect(login.json()).toMatchObject({ user: { email, partySlug: 'unmis', roles: ['monitor', 'analyst'] } })
        const wrong = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'not-the-password' } })
        expect(wrong.statusCode).toBe(401)

        const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })
        expect(me.statusCode, me.body).toBe(200)
        const who = me.json() as { kind: string; permissions: string[]; user: { email: string } | null }
        expect(who.kind).toBe('apikey')
        expect(who.permissions.sort()).toEqual(['provision.status', 'submission.read'])
        const submissions = await app.inject({ method: 'GET', url: '/api/submissions?limit=1', headers: { authorization: `Bearer ${token}` } })
        expect(submissions.statusCode).toBe(200)
        // The key carries only its scopes: the user may manage API keys, the key may not.
        const keys = await app.inject({ method: 'GET', url: '/api/api-keys', headers: { authorization: `Bearer ${token}` } })
        expect(keys.statusCode).toBe(403)
        const session = login.cookies.find((c) => c.name === 'truce_session')!
        const asUser = await app.inject({ method: 'GET', url: '/api/api-keys', cookies: { truce_session: session.value } })
        expect(asUser.statusCode).toBe(200)
        expect((asUser.json() as { items: { name: string }[] }).items.map((k) => k.name)).toEqual(['field tablet'])
      } finally {
        await app.close()
        await db.close()
      }
    })
  })
})
