// A real HTTP server on a random localhost port, with the demo database and the built web
// client, for browser tests and process-level tests. Its log sequencer runs as in `truce serve`,
// so submissions become log entries and checkpoints get signed.
import { existsSync } from 'node:fs'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { loadOrCreateLogKey } from '../../src/modules/log/log.keys.ts'
import { startSequencer } from '../../src/modules/log/sequencer.ts'
import { openTestDb } from './db.ts'

export type TestServer = { url: string; close(): Promise<void> }

export async function startTestServer(_options: { demo?: boolean } = {}): Promise<TestServer> {
  const db = await openTestDb('pglite')
  const config = loadConfig({ TRUCE_DATA_DIR: db.location, LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1' })
  if (!existsSync(`${config.webDist}/index.html`)) throw new Error('web/dist is missing: run npm run build:web first')
  // The key file lands in the test database's own directory (TRUCE_DATA_DIR), removed with it.
  const { key } = loadOrCreateLogKey(config.log.origin, config.log.keyFile)
  const app = await buildApp({ db, config, logger: false })
  const sequencer = await startSequencer({ db, key, intervalMs: config.log.sequenceIntervalMs })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const port = new URL(address).port
  return {
    url: `http://localhost:${port}`,
    // Requests finish, then the sequencer's last pass, then the database goes.
    close: async () => { await app.close(); await sequencer.stop(); await db.dispose() },
  }
}
