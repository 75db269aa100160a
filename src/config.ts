// Environment → typed, frozen configuration. The only module that reads process.env; every bad
// variable is reported at once so an operator fixes them in one pass.
import { resolve } from 'node:path'

export type Config = Readonly<{
  port: number
  host: string
  dataDir: string
  databaseUrl: string | undefined
  logLevel: string
  bodyLimit: number
  cookieSecure: boolean
  demo: boolean
  webDist: string
  publicUrl: string | undefined
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

  const config: Config = Object.freeze({
    port: int('PORT', 8080, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dataDir: resolve(env.TRUCE_DATA_DIR || './.truce-data'),
    databaseUrl,
    logLevel,
    bodyLimit: int('TRUCE_BODY_LIMIT', 1024 * 1024, 1024, 512 * 1024 * 1024),
    cookieSecure: bool('TRUCE_COOKIE_SECURE', true),
    demo: bool('TRUCE_DEMO', true),
    webDist: resolve(env.TRUCE_WEB_DIST || new URL('../web/dist', import.meta.url).pathname),
    publicUrl: env.TRUCE_PUBLIC_URL || undefined,
  })
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}

/** Test databases: TEST_DATABASE_URL adds a PostgreSQL run beside the embedded one. */
export function testDatabaseUrl(env: Record<string, string | undefined> = process.env): string | undefined {
  return env.TEST_DATABASE_URL || undefined
}

/** Where the shared real-world data lives (tests and benchmarks skip when it is absent). */
export function sharedDataDir(env: Record<string, string | undefined> = process.env): string {
  return resolve(env.TRUCE_SHARED_DATA || new URL('../../shared/data', import.meta.url).pathname)
}
