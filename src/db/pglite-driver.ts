// A Kysely dialect for embedded PGlite. PGlite is one connection, so the driver hands it out
// under a mutex: a transaction holds it until commit/rollback and no other query can slip in.
import type { PGlite } from '@electric-sql/pglite'
import {
  CompiledQuery, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler,
  type DatabaseConnection, type Dialect, type Driver, type Kysely, type QueryResult,
} from 'kysely'

class Mutex {
  #tail: Promise<void> = Promise.resolve()
  lock(): Promise<() => void> {
    let release!: () => void
    const next = new Promise<void>((resolve) => { release = resolve })
    const acquired = this.#tail.then(() => release)
    this.#tail = this.#tail.then(() => next)
    return acquired
  }
}

class PGliteConnection implements DatabaseConnection {
  readonly #pg: PGlite
  constructor(pg: PGlite) { this.#pg = pg }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.#pg.query<R>(query.sql, [...query.parameters], { rowMode: 'object' })
    const affected = result.affectedRows
    return {
      rows: result.rows,
      ...(affected !== undefined && /^\s*(insert|update|delete|merge|with)/i.test(query.sql)
        ? { numAffectedRows: BigInt(affected) } : {}),
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not stream query results')
  }
}

class PGliteDriver implements Driver {
  readonly #pg: PGlite
  readonly #mutex = new Mutex()
  readonly #releases = new WeakMap<DatabaseConnection, () => void>()
  readonly #connection: PGliteConnection
  constructor(pg: PGlite) {
    this.#pg = pg
    this.#connection = new PGliteConnection(pg)
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.#mutex.lock()
    // One connection object, so remember the release on a fresh wrapper each time.
    const conn: DatabaseConnection = {
      executeQuery: (q) => this.#connection.executeQuery(q),
      streamQuery: () => this.#connection.streamQuery(),
    }
    this.#releases.set(conn, release)
    return conn
  }
  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('begin'))
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'))
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'))
  }
  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    this.#releases.get(conn)?.()
    this.#releases.delete(conn)
  }
  async destroy(): Promise<void> {
    const release = await this.#mutex.lock()
    try { if (!this.#pg.closed) await this.#pg.close() } finally { release() }
  }
  /** Run a multi-statement script while holding the connection (migrations, tests). */
  async exec(script: string): Promise<void> {
    const release = await this.#mutex.lock()
    try { await this.#pg.exec(script) } finally { release() }
  }
}

export class PGliteDialect implements Dialect {
  readonly driver: PGliteDriver
  constructor(pg: PGlite) { this.driver = new PGliteDriver(pg) }
  createAdapter() { return new PostgresAdapter() }
  createDriver(): Driver { return this.driver }
  createQueryCompiler() { return new PostgresQueryCompiler() }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createIntrospector(db: Kysely<any>) { return new PostgresIntrospector(db) }
}
