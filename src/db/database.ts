// Opens the one database Truce runs on: embedded PGlite + PostGIS in a data directory by
// default, PostgreSQL + PostGIS through `pg` when a URL is given. Both speak through Kysely and
// return the same JavaScript types (int8 → number, date → 'YYYY-MM-DD', timestamptz → Date).
import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { PGliteDialect } from './pglite-driver.ts'
import type { DB } from './schema.ts'

export type Dialect = 'pglite' | 'postgres'

export type Database = {
  readonly kysely: Kysely<DB>
  readonly dialect: Dialect
  /** Where the data lives: a directory (embedded) or a URL without its password (server). */
  readonly location: string
  /** Runs a multi-statement SQL script as one simple-protocol call. */
  exec(script: string): Promise<void>
  /** The embedded database itself (benchmarks COPY into it from a blob); absent on PostgreSQL. */
  readonly pglite?: PGlite
  close(): Promise<void>
}

const OID = { int8: 20, date: 1082 } as const
const parseInt8 = (v: string) => {
  const n = Number(v)
  return Number.isSafeInteger(n) ? n : v
}

export type OpenOptions = { databaseUrl?: string | undefined; dataDir?: string | undefined }

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl)
  if (!options.dataDir) throw new Error('openDatabase needs a databaseUrl or a dataDir')
  return openPGlite(options.dataDir)
}

export async function openPGlite(dataDir: string): Promise<Database> {
  mkdirSync(dataDir, { recursive: true })
  const pglite = await PGlite.create(dataDir, {
    extensions: { postgis },
    parsers: { [OID.int8]: parseInt8, [OID.date]: (v: string) => v },
  })
  await pglite.exec("set timezone = 'UTC'")
  const dialect = new PGliteDialect(pglite)
  const kysely = new Kysely<DB>({ dialect })
  return {
    kysely,
    dialect: 'pglite',
    location: dataDir,
    pglite,
    exec: (script) => dialect.driver.exec(script),
    close: () => kysely.destroy(),
  }
}

export async function openPostgres(url: string): Promise<Database> {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === OID.int8) return parseInt8
      if (oid === OID.date) return (v: string) => v
      return pg.types.getTypeParser(oid, format)
    },
  }
  const pool = new pg.Pool({ connectionString: url, types, max: 10, options: '-c timezone=UTC' })
  // An idle connection the server ends (restart, failover, terminate) is reported here. Without a
  // listener the 'error' event would kill the process; the pool has already dropped the client
  // and the next query opens a fresh one, so there is nothing more to do.
  pool.on('error', () => {})
  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  const safe = new URL(url)
  safe.password = ''
  return {
    kysely,
    dialect: 'postgres',
    location: safe.toString(),
    exec: async (script) => { await pool.query(script) },
    close: () => kysely.destroy(),
  }
}
