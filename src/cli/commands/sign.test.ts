import { createPublicKey, verify } from 'node:crypto'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { canonicalize } from '../../lib/canonical-json.ts'
import { main } from '../truce.ts'

async function run(args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(args, (l) => { out.push(l) }, (l) => { err.push(l) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('truce keys generate and sign-request', () => {
  it('generates a key pair whose signature over a request the public key verifies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'truce-sign-'))
    const gen = await run(['keys', 'generate', '--out', dir, '--name', 'us-cell'])
    expect(gen.code).toBe(0)
    expect(statSync(join(dir, 'us-cell.key.pem')).mode & 0o777).toBe(0o600)
    const publicKeyB64 = /Public key \(register it\): (\S+)/.exec(gen.out)![1]!
    expect(Buffer.from(publicKeyB64, 'base64')).toHaveLength(32)

    const body = { level: 2, asOf: '2016-03-01T00:00:00Z', evidence: 'x' }
    writeFileSync(join(dir, 'body.json'), JSON.stringify(body, null, 2))
    const path = '/api/agreements/a/provisions/b/status'
    const signed = await run(['sign-request', '--key', join(dir, 'us-cell.key.pem'), '--key-id', 'k-1', 'POST', path, join(dir, 'body.json')])
    expect(signed.code).toBe(0)
    const m = /^keyid=k-1, sig=(\S+)$/.exec(signed.out)
    expect(m).not.toBeNull()
    const pub = createPublicKey(readFileSync(join(dir, 'us-cell.pub.pem')))
    expect(verify(null, Buffer.from(canonicalize({ method: 'POST', path, body })), pub, Buffer.from(m![1]!, 'base64'))).toBe(true)

    expect((await run(['keys', 'generate', '--out', dir, '--name', 'us-cell'])).code).toBe(2)
  })

  it('answers unusable input with exit 2 and a message, never a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'truce-sign-'))
    writeFileSync(join(dir, 'not.pem'), 'hello')
    writeFileSync(join(dir, 'bad.json'), '{')
    const cases = [
      ['sign-request', '--key', join(dir, 'missing.pem'), '--key-id', 'k', 'POST', '/x'],
      ['sign-request', '--key', join(dir, 'not.pem'), '--key-id', 'k', 'POST', '/x'],
      ['sign-request', '--key', join(dir, 'not.pem'), '--key-id', 'k', 'POST', '/x', join(dir, 'bad.json')],
      ['sign-request', '--key', join(dir, 'not.pem'), '--key-id', 'k', 'POST', 'no-slash'],
    ]
    for (const args of cases) {
      const r = await run(args)
      expect(r.code).toBe(2)
      expect(r.err).toMatch(/truce sign-request: /)
      expect(r.err).not.toMatch(/\n\s+at /)
    }
  })
})
