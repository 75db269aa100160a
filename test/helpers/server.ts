// A real HTTP server on a random localhost port, with the demo database and the built web
// client, for browser tests and process-level tests.
import { existsSync } from 'node:fs'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { openTestDb } from './db.ts'

export type TestServer = { url: string; close(): Promise<void> }

export async function startTestServer(_options: { demo?: boolean } = {}): Promise<TestServer> {
  const db = await openTestDb('pglite')
  const config = loadConfig({ TRUCE_DATA_DIR: db.location, LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1' })
  if (!existsSync(`${config.webDist}/index.html`)) throw new Error('web/dist is missing: run npm run build:web first')
  const app = await buildApp({ db, config, logger: false })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const port = new URL(address).port
  return { url: `http://localhost:${port}`, close: async () => { await app.close(); await db.dispose() } }
}
