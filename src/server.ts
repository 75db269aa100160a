// Starts Truce: open the database, migrate, load the demo on first start, serve (replaying the
// clustering record in the background), and shut down cleanly on SIGINT/SIGTERM (in-flight
// requests finish, then the database closes).
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.ts'
import type { Config } from './config.ts'
import { openDatabase, type Database } from './db/database.ts'
import { migrate } from './db/migrate.ts'
import { DEMO_PASSWORD, DEMO_USERS } from './modules/demo/demo.scenario.ts'
import { loadDemo } from './modules/demo/demo.service.ts'
import { clusteringOf } from './modules/incidents/incidents.clustering.ts'
import { loadOrCreateLogKey } from './modules/log/log.keys.ts'
import { startSequencer, type Sequencer } from './modules/log/sequencer.ts'

export type Running = { app: FastifyInstance; db: Database; sequencer: Sequencer; url: string; close(): Promise<void> }

export async function startServer(config: Config, print: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<Running> {
  const started = Date.now()
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  print(`Database: ${db.dialect} at ${db.location}`)
  const applied = await migrate(db)
  if (applied.length > 0) print(`Migrated: ${applied.join(', ')}`)
  if (config.demo) {
    const demo = await loadDemo(db.kysely, print)
    if (demo.loaded) print('Demo scenario loaded.')
  }
  const { key, created, warnings } = loadOrCreateLogKey(config.log.origin, config.log.keyFile)
  if (created) print(`Log key created at ${config.log.keyFile}: back it up; losing it means starting a new log.`)
  for (const w of warnings) print(`Warning: ${w}`)
  const app = await buildApp({ db, config })
  // Refuses to start when the stored log does not check out against this key (see checkLog).
  const sequencer = await startSequencer({
    db, key, intervalMs: config.log.sequenceIntervalMs, witnesses: config.log.witnesses, logger: app.log,
  }).catch(async (err: unknown) => {
    await app.close()
    await db.close()
    throw err
  })
  const address = await app.listen({ port: config.port, host: config.host }).catch(async (err: unknown) => {
    await app.close()
    await sequencer.stop()
    await db.close()
    throw err
  })
  // The clustering replays its record in the background, so the first report does not wait for it.
  const warmStarted = Date.now()
  const warming = clusteringOf(db.kysely).warm(db.kysely).then(
    (seq) => app.log.info({ appliedSeq: seq, ms: Date.now() - warmStarted }, 'clustering record replayed'),
    (err: unknown) => app.log.warn({ err }, 'clustering warm-up failed; the first report replays the record'),
  )
  const port = new URL(address).port
  const url = config.publicUrl ?? `http://localhost:${port}`
  print(`Truce is running at ${url} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`)
  print(`  API docs: ${url}/api/docs`)
  print(`  Log: ${url}/log/checkpoint, verifier key ${key.vkey}`)
  if (config.demo) {
    print(`  Demo logins (password "${DEMO_PASSWORD}"):`)
    for (const u of DEMO_USERS) print(`    ${u.roles.join(', ').padEnd(13)} ${u.email}`)
  }
  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= (async () => {
      // Requests finish first, then the sequencer logs what they wrote, then the database closes.
      await app.close()
      await warming
      await sequencer.stop()
      await db.close()
    })()
    return closing
  }
  return { app, db, sequencer, url, close }
}

/**
 * Starts the server and closes it gracefully on SIGINT/SIGTERM; a second signal exits at once.
 * The handlers go in before anything starts, so a signal that arrives while the server is still
 * starting (or right after it printed its URL) waits for the start and then closes cleanly.
 */
export async function serveUntilSignal(config: Config, print: (line: string) => void): Promise<Running> {
  const started: { running?: Running } = {}
  let signalled = false
  const shutDown = (r: Running, signal: string) => {
    print(`${signal}: finishing requests and closing the database…`)
    r.close().then(() => process.exit(0), (err: unknown) => {
      print(`shutdown failed: ${String(err)}`)
      process.exit(1)
    })
  }
  let pending: string | undefined
  const onSignal = (signal: string) => {
    if (signalled) process.exit(1)
    signalled = true
    if (started.running) shutDown(started.running, signal)
    else pending = signal
  }
  process.on('SIGINT', () => onSignal('SIGINT'))
  process.on('SIGTERM', () => onSignal('SIGTERM'))
  const running = await startServer(config, print)
  started.running = running
  if (pending) shutDown(running, pending)
  return running
}
