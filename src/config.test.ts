// Configuration: sensible defaults, and every bad variable reported at once.
import { generateKeyPairSync } from 'node:crypto'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.ts'
import { vkeyOf } from './modules/log/note.ts'

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env)
  } catch (e) {
    if (e instanceof ConfigError) return e.problems
    throw e
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    const c = loadConfig({})
    expect(c).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: resolve('./.truce-data'),
      databaseUrl: undefined,
      logLevel: 'info',
      bodyLimit: 1024 * 1024,
      importMaxBytes: 512 * 1024 * 1024,
      cookieSecure: true,
      demo: true,
      publicUrl: undefined,
      smsWebhookToken: undefined,
      evidenceDir: resolve('./.truce-data/evidence'),
    })
    expect(c.webDist).toMatch(/web\/dist$/)
  })

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', LOG_LEVEL: '', TRUCE_DEMO: '', TRUCE_PUBLIC_URL: '' }))
      .toMatchObject({ port: 8080, databaseUrl: undefined, logLevel: 'info', demo: true, publicUrl: undefined })
  })

  it('reads the variables it is given', () => {
    const c = loadConfig({
      PORT: '0', HOST: '127.0.0.1', TRUCE_DATA_DIR: '/tmp/truce-x', DATABASE_URL: 'postgresql://u@h/db', LOG_LEVEL: 'silent',
      TRUCE_BODY_LIMIT: '2048', TRUCE_IMPORT_MAX_BYTES: '4096', TRUCE_COOKIE_SECURE: 'no', TRUCE_DEMO: 'FALSE', TRUCE_WEB_DIST: '/srv/web', TRUCE_PUBLIC_URL: 'https://truce.example', TRUCE_SMS_WEBHOOK_TOKEN: 'sms-secret',
    })
    expect(c).toEqual({
      port: 0, host: '127.0.0.1', dataDir: '/tmp/truce-x', databaseUrl: 'postgresql://u@h/db', logLevel: 'silent',
      bodyLimit: 2048, importMaxBytes: 4096, cookieSecure: false, demo: false, webDist: '/srv/web', publicUrl: 'https://truce.example', smsWebhookToken: 'sms-secret', evidenceDir: '/tmp/truce-x/evidence',
      log: { origin: 'truce.localhost/log', keyFile: '/tmp/truce-x/log-key.pem', witnesses: [], sequenceIntervalMs: 200 },
    })
  })

  it('reads the log\'s origin, key file, witnesses and sequencing interval', () => {
    const witness = vkeyOf('witness.un.example/w1', generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(12), 'cosignature/v1')
    const c = loadConfig({
      TRUCE_LOG_ORIGIN: 'truce.example.org/log', TRUCE_LOG_KEY_FILE: '/etc/truce/log.pem', TRUCE_SEQUENCE_INTERVAL_MS: '500',
      TRUCE_WITNESSES: `https://w1.example/witness=${witness}, http://127.0.0.1:7380=${witness}`,
    })
    expect(c.log).toEqual({
      origin: 'truce.example.org/log', keyFile: '/etc/truce/log.pem', sequenceIntervalMs: 500,
      witnesses: [{ url: 'https://w1.example/witness', vkey: witness }, { url: 'http://127.0.0.1:7380', vkey: witness }],
    })
    expect(Object.isFrozen(c.log)).toBe(true)
  })

  it('refuses a log origin with a space, witnesses that are not URL=cosignature vkey, and a silly interval', () => {
    const logKey = vkeyOf('truce.example/log', generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(12))
    const problems = problemsOf({
      TRUCE_LOG_ORIGIN: 'truce example', TRUCE_SEQUENCE_INTERVAL_MS: '0',
      TRUCE_WITNESSES: `ftp://w.example=${logKey} https://w.example https://w.example=${logKey} https://w2.example=not+a+key`,
    })
    expect(problems).toHaveLength(6)
    expect(problems[0]).toMatch(/^TRUCE_LOG_ORIGIN/)
    expect(problems.filter((p) => p.startsWith('TRUCE_WITNESSES'))).toHaveLength(4)
    expect(problems.find((p) => p.includes('https://w.example') && p.includes('cosignature/v1'))).toBeDefined()
    expect(problems.find((p) => p.startsWith('TRUCE_SEQUENCE_INTERVAL_MS'))).toBeDefined()
  })

  it('is frozen', () => {
    const c = loadConfig({})
    expect(Object.isFrozen(c)).toBe(true)
    expect(() => { (c as { port: number }).port = 1 }).toThrow(TypeError)
  })

  it('reports every bad variable in one error', () => {
    const problems = problemsOf({
      PORT: 'eighty', TRUCE_BODY_LIMIT: '10', TRUCE_COOKIE_SECURE: 'maybe', TRUCE_DEMO: '2',
      DATABASE_URL: 'mysql://localhost/truce', LOG_LEVEL: 'loud',
    })
    expect(problems).toHaveLength(6)
    for (const name of ['PORT', 'TRUCE_BODY_LIMIT', 'TRUCE_COOKIE_SECURE', 'TRUCE_DEMO', 'DATABASE_URL', 'LOG_LEVEL']) {
      expect(problems.filter((p) => p.startsWith(`${name} `)), name).toHaveLength(1)
    }
    expect(problems.find((p) => p.startsWith('PORT'))).toContain('"eighty"')
  })

  it('names every problem in the message an operator sees', () => {
    let message = ''
    try { loadConfig({ PORT: '70000', LOG_LEVEL: 'verbose' }) } catch (e) { message = (e as Error).message }
    expect(message).toMatch(/^Invalid configuration:/)
    expect(message).toContain('PORT must be an integer from 0 to 65535, got "70000"')
    expect(message).toContain('LOG_LEVEL must be one of')
  })

  it('refuses ports and body limits that are not whole numbers in range', () => {
    for (const port of ['-1', '65536', '80.5', 'abc']) expect(problemsOf({ PORT: port }), port).toHaveLength(1)
    for (const limit of ['1023', '536870913', '2k']) expect(problemsOf({ TRUCE_BODY_LIMIT: limit }), limit).toHaveLength(1)
  })
})
