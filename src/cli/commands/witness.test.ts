// `truce witness` as a party runs it: a real process that creates its key, prints its vkey,
// cosigns over HTTP, and closes cleanly on SIGTERM.
import { spawn, type ChildProcessByStdio } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { rawEd25519PublicKey } from '../../lib/ed25519.ts'
import { formatCheckpoint } from '../../modules/log/checkpoint.ts'
import { EMPTY_ROOT } from '../../modules/log/merkle.ts'
import { ed25519NoteSigner, openNote, signNote, verifierFromVkey, vkeyOf } from '../../modules/log/note.ts'
import { addCheckpoint } from '../../modules/log/witness/witness.client.ts'

const CLI = new URL('../truce.ts', import.meta.url).pathname
const dirs: string[] = []
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })

const spawnTruce = (args: string[]) =>
  spawn(process.execPath, [CLI, ...args], { env: { ...process.env, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] })

/** Collects output, and resolves once stdout matches `pattern`. */
function waitFor(child: ChildProcessByStdio<null, Readable, Readable>, pattern: RegExp) {
  const out = { stdout: '', stderr: '' }
  const matched = new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out.stdout += d
      const m = pattern.exec(out.stdout)
      if (m) resolve(m)
    })
    child.stderr.setEncoding('utf8').on('data', (d: string) => { out.stderr += d })
    child.on('close', (code) => reject(new Error(`exited ${code} before ready: ${out.stdout}${out.stderr}`)))
  })
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
  return { out, matched, exited }
}

describe('truce witness', () => {
  it('starts with a new key, prints its vkey, cosigns, and closes on SIGTERM', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'truce-witness-cli-'))
    dirs.push(stateDir)
    const logKey = generateKeyPairSync('ed25519')
    const origin = 'truce.test/log'
    const logVkey = vkeyOf(origin, rawEd25519PublicKey(logKey.publicKey))
    const child = spawnTruce(['witness', '--port', '0', '--host', '127.0.0.1', '--state-dir', stateDir, '--name', 'w.test/cli', '--log', `${origin}=${logVkey}`])
    const { out, matched, exited } = waitFor(child, /listening on (http:\/\/\S+)\n\s+vkey: (\S+)\n[\s\S]*state: .*\n/)
    try {
      const [, url, vkey] = await matched
      expect(out.stdout).toContain(`Created the witness key ${join(stateDir, 'witness.key.pem')}`)
      expect(out.stdout).toContain(`witnessing ${origin} (1 key)`)
      const note = signNote(formatCheckpoint({ origin, size: 0, rootHash: EMPTY_ROOT, extensions: [] }), [ed25519NoteSigner(origin, logKey.privateKey)])
      const answer = await addCheckpoint(url!, { oldSize: 0, consistencyProof: [], checkpointNote: note })
      expect('cosignatureLines' in answer).toBe(true)
      const lines = (answer as { cosignatureLines: string[] }).cosignatureLines
      const opened = openNote(`${note}${lines.join('\n')}\n`, [verifierFromVkey(vkey!)])
      expect(opened.signatures.filter((s) => s.verifiedBy)).toHaveLength(1)
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
    expect(out.stdout).toContain('SIGTERM: finishing requests and closing the witness')
    expect(out.stdout).toContain('Witness closed.')
    expect(out.stderr).toBe('')
    expect(existsSync(join(stateDir, 'witness.lock'))).toBe(false)

    // A restart keeps the key: the same vkey.
    const again = spawnTruce(['witness', '--port', '0', '--host', '127.0.0.1', '--state-dir', stateDir, '--name', 'w.test/cli', '--log', `${origin}=${logVkey}`])
    const second = waitFor(again, /vkey: (\S+)\n/)
    try {
      const [, vkey2] = await second.matched
      expect(second.out.stdout).not.toContain('Created the witness key')
      expect(vkey2).toBe(out.stdout.match(/vkey: (\S+)\n/)![1])
    } finally {
      again.kill('SIGTERM')
    }
    expect(await second.exited).toBe(0)
  })

  it('answers bad arguments with exit 2 and the usage', async () => {
    const run = async (args: string[]) => {
      const child = spawnTruce(['witness', ...args])
      const w = waitFor(child, /(?!)/)
      w.matched.catch(() => {})
      return { code: await w.exited, ...w.out }
    }
    const dir = mkdtempSync(join(tmpdir(), 'truce-witness-cli-'))
    dirs.push(dir)
    const vkey = vkeyOf('l.test', rawEd25519PublicKey(generateKeyPairSync('ed25519').publicKey))
    for (const [args, message] of [
      [['--port', '0', '--state-dir', dir, '--name', 'w.test'], /--log ORIGIN=VKEY is required/],
      [['--port', '0', '--state-dir', dir, '--name', 'w.test', '--log', 'l.test'], /expected ORIGIN=VKEY/],
      [['--port', '0', '--state-dir', dir, '--name', 'w.test', '--log', 'l.test=nope'], /vkey: expected name\+keyid\+key/],
      [['--port', 'x', '--state-dir', dir, '--name', 'w.test', '--log', `l.test=${vkey}`], /--port must be a number/],
      [['--port', '0', '--state-dir', dir, '--name', 'bad name', '--log', `l.test=${vkey}`], /--name must be/],
    ] as const) {
      const r = await run([...args])
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr).toMatch(message)
      expect(r.stderr).toContain('Usage: truce witness')
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
  })
})
