// Builds the template databases once before any test file runs.
import { testDatabaseUrl } from '../src/config.ts'
import { ensurePGliteTemplate, ensurePostgresTemplate } from './helpers/templates.ts'

export default async function setup(): Promise<void> {
  const started = Date.now()
  await ensurePGliteTemplate()
  const url = testDatabaseUrl()
  if (url) await ensurePostgresTemplate(url)
  const s = ((Date.now() - started) / 1000).toFixed(1)
  process.stdout.write(`test databases ready in ${s} s (PGlite${url ? ' + PostgreSQL' : '; set TEST_DATABASE_URL to add PostgreSQL'})\n`)
}
