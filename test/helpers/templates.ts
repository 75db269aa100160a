// Migrated, demo-loaded template databases, built once per migration set and reused: a PGlite
// data directory under node_modules/.cache, and a PostgreSQL template database.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { openPGlite, openPostgres } from '../../src/db/database.ts'
import { migrate, migrationsDigest } from '../../src/db/migrate.ts'
import { loadDemo } from '../../src/modules/demo/demo.service.ts'

const root = new URL('../../', import.meta.url).pathname
/** Demo data is part of the template, so its digest covers the demo files too. */
export function templateKey(): string {
  const h = createHash('sha256').update(migrationsDigest())
  const demo = join(root, 'src/modules/demo')
  for (const f of readdirSync(demo).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts')).sort()) h.update(readFileSync(join(demo, f)))
  return h.digest('hex').slice(0, 16)
}

export const pgliteTemplateDir = () => join(root, 'node_modules', '.cache', 'truce-test', `pglite-${templateKey()}`)
export const postgresTemplateName = () => `truce_tpl_${templateKey()}`

export async function ensurePGliteTemplate(): Promise<string> {
  const dir = pgliteTemplateDir()
  if (existsSync(join(dir, 'PG_VERSION'))) return dir
  const building = `${dir}.building-${process.pid}`
  rmSync(building, { recursive: true, force: true })
  mkdirSync(building, { recursive: true })
  const db = await openPGlite(building)
  try {
    await migrate(db)
    await loadDemo(db.kysely)
  } finally {
    await db.close()
  }
  rmSync(dir, { recursive: true, force: true })
  renameSync(building, dir)
  return dir
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

export async function ensurePostgresTemplate(url: string): Promise<string> {
  const name = postgresTemplateName()
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [name])
    if (found.rowCount) return name
    const building = `${name}_b${process.pid}`
    await admin.query(`drop database if exists ${building}`)
    await admin.query(`create database ${building}`)
    const db = await openPostgres(withDatabase(url, building))
    try {
      await migrate(db)
      await loadDemo(db.kysely)
    } finally {
      await db.close()
    }
    await admin.query(`alter database ${building} rename to ${name}`)
    return name
  } finally {
    await admin.end()
  }
}
