// Environment → typed, frozen configuration. The only module that reads process.env; every bad
// variable is reported at once so an operator fixes them in one pass.
import { join, resolve } from 'node:path'
import { NoteError, verifierFromVkey } from './modules/log/note.ts'

export type Config = Readonly<{
  port: number
  host: string
  dataDir: string
  databaseUrl: string | undefined
  logLevel: string
  bodyLimit: number
  /** The largest map-layer file an import takes (bytes); uploads stream to a temporary file up to it. */
  importMaxBytes: number
  cookieSecure: boolean
  demo: boolean
  webDist: string
  publicUrl: string | undefined
  /** The token an SMS gateway's webhook URL carries (?token=…); without one, no SMS is taken. */
  smsWebhookToken: string | undefined
  /** Where evidence files are stored, by SHA-256. */
  evidenceDir: string
  /** The verifiable log: checkpoint origin (also the signed-note key name), key file, witnesses. */
  log: Readonly<{
    origin: string
    keyFile: string
    witnesses: readonly Readonly<{ url: string; vkey: string }>[]
    sequenceIntervalMs: number
  }>
}>

export class ConfigError extends Error {
  readonly problems: string[]
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`)
    this.problems = problems
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/** Parse configuration from an environment (defaults to process.env). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = []
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]
    if (raw === undefined || raw === '') return fallback
    const n = Number(raw)
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`)
      return fallback
    }
    return n
  }
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name]
    if (raw === undefined || raw === '') return fallback
    if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true
    if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false
    problems.push(`${name} must be true or false, got "${raw}"`)
    return fallback
  }
  const databaseUrl = env.DATABASE_URL || undefined
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://')
  }
  const logLevel = env.LOG_LEVEL || 'info'
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`)

  const dataDir = resolve(env.TRUCE_DATA_DIR || './.truce-data')
  const origin = env.TRUCE_LOG_ORIGIN || 'truce.localhost/log'
  // The origin is also the key name of the checkpoint signature: one line, no spaces, no "+".
  if (!/^[^\s+]+$/u.test(origin)) problems.push(`TRUCE_LOG_ORIGIN must be one word without spaces or "+" (e.g. truce.example.org/log), got "${origin}"`)
  const witnesses = parseWitnesses(env.TRUCE_WITNESSES ?? '', problems)

  const config: Config = Object.freeze({
    port: int('PORT', 8080, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dataDir,
    databaseUrl,
    logLevel,
    bodyLimit: int('TRUCE_BODY_LIMIT', 1024 * 1024, 1024, 512 * 1024 * 1024),
    importMaxBytes: int('TRUCE_IMPORT_MAX_BYTES', 512 * 1024 * 1024, 1024, 16 * 1024 * 1024 * 1024),
    cookieSecure: bool('TRUCE_COOKIE_SECURE', true),
    demo: bool('TRUCE_DEMO', true),
    webDist: resolve(env.TRUCE_WEB_DIST || new URL('../web/dist', import.meta.url).pathname),
    publicUrl: env.TRUCE_PUBLIC_URL || undefined,
    smsWebhookToken: env.TRUCE_SMS_WEBHOOK_TOKEN || undefined,
    evidenceDir: resolve(env.TRUCE_EVIDENCE_DIR || join(dataDir, 'evidence')),
    log: Object.freeze({
      origin,
      keyFile: resolve(env.TRUCE_LOG_KEY_FILE || join(dataDir, 'log-key.pem')),
      witnesses,
      sequenceIntervalMs: int('TRUCE_SEQUENCE_INTERVAL_MS', 200, 10, 60_000),
    }),
  })
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}

/**
 * TRUCE_WITNESSES: witnesses separated by commas or white space, each `URL=VKEY` (the URL of the
 * witness's submission prefix, then its cosignature/v1 vkey); the URL itself holds no "=".
 */
function parseWitnesses(raw: string, problems: string[]): Readonly<{ url: string; vkey: string }>[] {
  const out: Readonly<{ url: string; vkey: string }>[] = []
  for (const item of raw.split(/[\s,]+/).filter((x) => x !== '')) {
    const at = item.indexOf('=')
    const url = at < 0 ? '' : item.slice(0, at)
    const vkey = at < 0 ? '' : item.slice(at + 1)
    if (!/^https?:\/\/[^\s]+$/.test(url) || !URL.canParse(url)) {
      problems.push(`TRUCE_WITNESSES: "${item}" must be URL=VKEY with an http(s) URL`)
      continue
    }
    try {
      if (verifierFromVkey(vkey).type !== 'cosignature/v1') {
        problems.push(`TRUCE_WITNESSES: the key of ${url} must be a cosignature/v1 vkey (type 0x04)`)
        continue
      }
    } catch (e) {
      problems.push(`TRUCE_WITNESSES: the key of ${url}: ${e instanceof NoteError ? e.message : String(e)}`)
      continue
    }
    out.push(Object.freeze({ url, vkey }))
  }
  return out
}

/** Test databases: TEST_DATABASE_URL adds a PostgreSQL run beside the embedded one. */
export function testDatabaseUrl(env: Record<string, string | undefined> = process.env): string | undefined {
  return env.TEST_DATABASE_URL || undefined
}

/** Where the shared real-world data lives (tests and benchmarks skip when it is absent). */
export function sharedDataDir(env: Record<string, string | undefined> = process.env): string {
  return resolve(env.TRUCE_SHARED_DATA || new URL('../../shared/data', import.meta.url).pathname)
}
