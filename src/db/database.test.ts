import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dialects, openTestDb, type TestDatabase } from '../../test/helpers/db.ts'

// Only PostgreSQL has a server that can end connections; PGlite runs in this process.
describe.skipIf(!dialects().includes('postgres'))('the PostgreSQL connection pool', () => {
  let db: TestDatabase
  beforeAll(async () => { db = await openTestDb('postgres') })
  afterAll(async () => { await db?.dispose() })

  // A PostgreSQL restart or failover ends idle connections; the server must shrug that off and
  // reconnect, not die of an unhandled 'error' event.
  it('survives the server ending its idle connections, and goes on answering', async () => {
    await Promise.all(Array.from({ length: 5 }, () => sql`select pg_sleep(0.05)`.execute(db.kysely)))
    const ended = await sql<{ n: number }>`
      select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid()`.execute(db.kysely)
    expect(ended.rows[0]!.n).toBeGreaterThan(0)
    await new Promise((resolve) => setTimeout(resolve, 200))
    const answers = await Promise.all(Array.from({ length: 5 }, () => sql<{ one: number }>`select 1 as one`.execute(db.kysely)))
    expect(answers.map((a) => a.rows)).toEqual(Array.from({ length: 5 }, () => [{ one: 1 }]))
  })
})
