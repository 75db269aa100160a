// One ordered set of plain SQL migrations for both dialects. Each file is applied once, in its
// own transaction, and its SHA-256 is recorded: an applied migration whose file later changes is
// refused rather than silently diverging between installations.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Database } from './database.ts'

export const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url).pathname

export type Migration = { name: string; sql: string; checksum: string }
export type MigrationState = Migration & { appliedAt: Date | null }

export class MigrationError extends Error {}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name), 'utf8')
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') }
    })
}

/** A digest of the whole migration set: test templates are cached under it. */
export function migrationsDigest(dir = MIGRATIONS_DIR): string {
  const h = createHash('sha256')
  for (const m of readMigrations(dir)) h.update(`${m.name}:${m.checksum}\n`)
  return h.digest('hex').slice(0, 16)
}

async function ensureTable(db: Database): Promise<void> {
  await db.exec(`create table if not exists schema_migrations (
    name text primary key, checksum text not null, applied_at timestamptz not null default now())`)
}

export async function migrationStatus(db: Database, dir = MIGRATIONS_DIR): Promise<MigrationState[]> {
  await ensureTable(db)
  const applied = await db.kysely.selectFrom('schema_migrations').selectAll().execute()
  const byName = new Map(applied.map((r) => [r.name, r]))
  const files = readMigrations(dir)
  const known = new Set(files.map((f) => f.name))
  const unknown = applied.filter((a) => !known.has(a.name)).map((a) => a.name)
  if (unknown.length > 0) {
    throw new MigrationError(`The database has migrations this code does not know: ${unknown.join(', ')}`)
  }
  return files.map((m) => {
    const row = byName.get(m.name)
    if (row && row.checksum !== m.checksum) {
      throw new MigrationError(
        `Migration ${m.name} was edited after it was applied (checksum ${row.checksum.slice(0, 12)} in the database, ` +
        `${m.checksum.slice(0, 12)} on disk). Write a new migration instead of editing an applied one.`)
    }
    return { ...m, appliedAt: row?.applied_at ?? null }
  })
}

/** Applies pending migrations in order; returns the names applied. */
export async function migrate(db: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const pending = (await migrationStatus(db, dir)).filter((m) => m.appliedAt === null)
  for (const m of pending) {
    const name = m.name.replaceAll("'", "''")
    await db.exec(`begin;\n${m.sql}\n;insert into schema_migrations (name, checksum) values ('${name}', '${m.checksum}');\ncommit;`)
      .catch(async (err: unknown) => {
        await db.exec('rollback').catch(() => {})
        throw new MigrationError(`Migration ${m.name} failed: ${err instanceof Error ? err.message : String(err)}`)
      })
  }
  return pending.map((m) => m.name)
}
