import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { dialects, openTestDb, type TestDatabase } from '../../test/helpers/db.ts'
import { MIGRATIONS_DIR, MigrationError, migrate, migrationStatus, readMigrations } from './migrate.ts'

/** The tables and columns that schema.ts declares in `DB`, read from its source. */
function declaredSchema(): Map<string, string[]> {
  const source = readFileSync(new URL('./schema.ts', import.meta.url), 'utf8')
  const body = (name: string) => {
    const m = new RegExp(`export interface ${name} \\{([^}]*)\\}`).exec(source)
    if (!m) throw new Error(`schema.ts has no interface ${name}`)
    return m[1]!
  }
  const tables = new Map<string, string[]>()
  for (const [, table, iface] of body('DB').matchAll(/^\s*(\w+): (\w+)\s*$/gm)) {
    tables.set(table!, [...body(iface!).matchAll(/^\s*(\w+)\??:/gm)].map((c) => c[1]!).sort())
  }
  return tables
}

describe.each(dialects())('migrations on %s', (dialect) => {
  let db: TestDatabase
  const temps: string[] = []
  beforeAll(async () => { db = await openTestDb(dialect) })
  afterAll(async () => { await db?.dispose() })
  afterEach(() => { for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true }) })

  /** A copy of the migrations folder to tamper with. */
  function copyOfMigrations(): string {
    const dir = mkdtempSync(join(tmpdir(), 'truce-migrations-'))
    temps.push(dir)
    cpSync(MIGRATIONS_DIR, dir, { recursive: true })
    return dir
  }

  /** A database of its own, for tests that change what is applied. */
  async function withOwnDb(fn: (own: TestDatabase) => Promise<void>): Promise<void> {
    const own = await openTestDb(dialect)
    try { await fn(own) } finally { await own.dispose() }
  }

  it('reports every migration as applied, with the checksum of its file', async () => {
    const status = await migrationStatus(db)
    const files = readMigrations()
    expect(files.length).toBeGreaterThanOrEqual(2)
    expect(status.map((m) => m.name)).toEqual(files.map((f) => f.name))
    for (const m of status) expect(m.appliedAt, m.name).toBeInstanceOf(Date)
    const recorded = await db.kysely.selectFrom('schema_migrations').selectAll().orderBy('name').execute()
    expect(recorded.map((r) => [r.name, r.checksum])).toEqual(files.map((f) => [f.name, f.checksum]))
    expect(await migrate(db)).toEqual([])
  })

  it('refuses a migration edited after it was applied, naming it and saying what to do', async () => {
    const dir = copyOfMigrations()
    const file = join(dir, readMigrations()[0]!.name)
    const bytes = readFileSync(file)
    const at = bytes.indexOf('parties')
    bytes[at] = 'P'.charCodeAt(0)
    writeFileSync(file, bytes)

    const refusal = migrationStatus(db, dir)
    await expect(refusal).rejects.toBeInstanceOf(MigrationError)
    await expect(refusal).rejects.toThrow(/Migration 0001_core\.sql was edited after it was applied .*Write a new migration instead of editing an applied one/)
    await expect(migrate(db, dir)).rejects.toThrow(/0001_core\.sql was edited/)
  })

  it('refuses a database that has migrations this code does not know', async () => {
    const dir = copyOfMigrations()
    const last = readdirSync(dir).sort().at(-1)!
    rmSync(join(dir, last))
    await expect(migrationStatus(db, dir)).rejects.toThrow(new MigrationError(`The database has migrations this code does not know: ${last}`))
    await expect(migrate(db, dir)).rejects.toBeInstanceOf(MigrationError)
  })

  it('applies a new migration once and records it', async () => {
    await withOwnDb(async (own) => {
      const dir = copyOfMigrations()
      writeFileSync(join(dir, '9000_probe.sql'), 'create table probe (id integer primary key);\ninsert into probe values (1);\n')
      expect((await migrationStatus(own, dir)).find((m) => m.name === '9000_probe.sql')?.appliedAt).toBeNull()
      expect(await migrate(own, dir)).toEqual(['9000_probe.sql'])
      expect(await migrate(own, dir)).toEqual([])
      expect((await migrationStatus(own, dir)).every((m) => m.appliedAt !== null)).toBe(true)
      expect((await sql<{ id: number }>`select id from probe`.execute(own.kysely)).rows).toEqual([{ id: 1 }])
    })
  })

  it('applies nothing of a migration that fails, and the database goes on working', async () => {
    await withOwnDb(async (own) => {
      const dir = copyOfMigrations()
      writeFileSync(join(dir, '9000_broken.sql'), 'create table half_done (id integer);\nselect * from no_such_table;\n')
      await expect(migrate(own, dir)).rejects.toThrow(/Migration 9000_broken\.sql failed: .*no_such_table/)
      for (let i = 0; i < 12; i++) {
        const found = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_name = 'half_done'`.execute(own.kysely)
        expect(found.rows).toEqual([{ n: 0 }])
      }
      expect(await own.kysely.selectFrom('schema_migrations').select('name').where('name', '=', '9000_broken.sql').execute()).toEqual([])
      expect((await migrationStatus(own, dir)).find((m) => m.name === '9000_broken.sql')?.appliedAt).toBeNull()
    })
  })

  it('has every table and column that schema.ts declares, and no undeclared column', async () => {
    const declared = declaredSchema()
    expect([...declared.keys()]).toEqual(expect.arrayContaining(['parties', 'users', 'submissions', 'agreements', 'schema_migrations']))
    const rows = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema()`.execute(db.kysely)
    const actual = new Map<string, string[]>()
    for (const r of rows.rows) actual.set(r.table_name, [...(actual.get(r.table_name) ?? []), r.column_name])
    for (const [table, columns] of declared) {
      expect(actual.has(table), `table ${table}`).toBe(true)
      expect(actual.get(table)?.sort(), `columns of ${table}`).toEqual(columns)
    }
  })
})
