// A private copy of the migrated, demo-loaded database for one test file.
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { testDatabaseUrl } from '../../src/config.ts'
import { openPGlite, openPostgres, type Database, type Dialect } from '../../src/db/database.ts'
import { ensurePGliteTemplate, ensurePostgresTemplate, withDatabase } from './templates.ts'

/** The dialects this run tests: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function dialects(): Dialect[] {
  return testDatabaseUrl() ? ['pglite', 'postgres'] : ['pglite']
}

export type TestDatabase = Database & { dispose(): Promise<void> }

export async function openTestDb(dialect: Dialect = 'pglite'): Promise<TestDatabase> {
  if (dialect === 'pglite') {
    const template = await ensurePGliteTemplate()
    const dir = mkdtempSync(join(tmpdir(), 'truce-test-'))
    cpSync(template, dir, { recursive: true })
    const db = await openPGlite(dir)
    return { ...db, dispose: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }) } }
  }
  const url = testDatabaseUrl()
  if (!url) throw new Error('TEST_DATABASE_URL is not set')
  const template = await ensurePostgresTemplate(url)
  const name = `truce_t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  try {
    await admin.query(`create database ${name} template ${template}`)
  } finally {
    await admin.end()
  }
  const db = await openPostgres(withDatabase(url, name))
  return {
    ...db,
    dispose: async () => {
      await db.close()
      const c = new pg.Client({ connectionString: url })
      await c.connect()
      try { await c.query(`drop database if exists ${name} with (force)`) } finally { await c.end() }
    },
  }
}

/**
 * A private copy of the demo database for a child process (`truce serve`, the CLI): the
 * environment that points it there, and how to remove it once the process is gone.
 */
export async function processDatabase(dialect: Dialect): Promise<{ env: Record<string, string>; dispose(): Promise<void> }> {
  if (dialect === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'truce-process-'))
    cpSync(await ensurePGliteTemplate(), dir, { recursive: true })
    return { env: { TRUCE_DATA_DIR: dir }, dispose: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const url = testDatabaseUrl()
  if (!url) throw new Error('TEST_DATABASE_URL is not set')
  const name = `truce_t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  try { await admin.query(`create database ${name} template ${await ensurePostgresTemplate(url)}`) } finally { await admin.end() }
  return {
    env: { DATABASE_URL: withDatabase(url, name) },
    dispose: async () => {
      const c = new pg.Client({ connectionString: url })
      await c.connect()
      try { await c.query(`drop database if exists ${name} with (force)`) } finally { await c.end() }
    },
  }
}
