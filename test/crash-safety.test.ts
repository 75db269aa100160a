// Crash safety, for real: the server is killed with SIGKILL again and again while a client
// streams submissions. After every restart, every acknowledged submission reaches the log, no
// signed checkpoint is lost or rolled back, and every checkpoint served before the crash is
// provably consistent with the log as it is now.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { verifyConsistency } from '../src/modules/log/merkle.ts'
import { dialects, processDatabase } from './helpers/db.ts'

const cli = new URL('../src/cli/truce.ts', import.meta.url).pathname
const CRASHES = 3

type Served = { size: number; root: string }

function start(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [cli, 'serve'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', TRUCE_SEQUENCE_INTERVAL_MS: '100', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => { out += d.toString() })
  child.stderr!.on('data', (d: Buffer) => { out += d.toString() })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no start:\n${out}`)) }, 120_000)
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}:\n${out}`)) })
    const poll = setInterval(() => {
      const m = /Truce is running at (http:\/\/\S+)/.exec(out)
      if (m) { clearInterval(poll); clearTimeout(timer); child.removeAllListeners('exit'); resolve({ child, url: m[1]! }) }
    }, 50)
  })
}

async function signIn(url: string) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'coordinator.us@truce.demo', password: 'truce-demo' }),
  })
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!
  const { csrfToken } = await res.json() as { csrfToken: string }
  return { cookie, csrfToken }
}

const checkpointOf = (note: string): Served => {
  const [, size, root] = note.split('\n')
  return { size: Number(size), root: root! }
}

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await f()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe.each(dialects())('crash safety on %s', (dialect) => {
  const cleanups: (() => Promise<void>)[] = []
  afterAll(async () => { for (const c of cleanups) await c() })

  async function environment(): Promise<Record<string, string>> {
    const keyDir = mkdtempSync(join(tmpdir(), 'truce-crash-key-'))
    cleanups.push(async () => rmSync(keyDir, { recursive: true, force: true }))
    const key = { TRUCE_LOG_KEY_FILE: join(keyDir, 'log-key.pem') }
    const db = await processDatabase(dialect)
    cleanups.push(db.dispose)
    return { ...key, ...db.env }
  }

  it(`keeps every acknowledged submission and every served checkpoint across ${CRASHES} kill -9`, async () => {
    const env = await environment()
    const acknowledged: string[] = []
    const served: Served[] = []
    let provisionPath = ''

    for (let crash = 0; crash <= CRASHES; crash++) {
      const { child, url } = await start(env)
      const exited = new Promise((r) => child.once('exit', r))
      try {
        // What was acknowledged or served before the last crash survived it.
        for (const id of acknowledged) {
          await until(`submission ${id} in the log`, async () => ((await fetch(`${url}/api/log/entries/${id}`)).status === 200 ? true : undefined))
        }
        const now = checkpointOf(await (await fetch(`${url}/log/checkpoint`)).text())
        for (const old of served) {
          expect(now.size).toBeGreaterThanOrEqual(old.size)
          if (old.size === 0) continue
          const p = await (await fetch(`${url}/api/log/proof/consistency?size1=${old.size}&size2=${now.size}`)).json() as { root1: string; root2: string; proof: string[] }
          expect(p.root1).toBe(old.root)
          expect(p.root2).toBe(now.root)
          expect(verifyConsistency(old.size, now.size, Buffer.from(old.root, 'base64'), Buffer.from(now.root, 'base64'), p.proof.map((h) => Buffer.from(h, 'base64')))).toBe(true)
        }
        if (crash === CRASHES) break

        const { cookie, csrfToken } = await signIn(url)
        if (!provisionPath) {
          const a = await (await fetch(`${url}/api/agreements/syria-coh-2016`, { headers: { cookie } })).json() as { provisions: { id: string }[] }
          provisionPath = `/api/agreements/syria-coh-2016/provisions/${a.provisions[1]!.id}/status`
        }
        // Stream submissions from 4 writers and watch checkpoints, then pull the plug mid-stream.
        let streaming = true
        const writer = async (w: number) => {
          for (let i = 0; streaming; i++) {
            try {
              const res = await fetch(`${url}${provisionPath}`, {
                method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
                body: JSON.stringify({ level: i % 4, asOf: new Date().toISOString(), evidence: `crash ${crash} writer ${w} #${i}` }),
              })
              if (res.status === 201) acknowledged.push(...String(res.headers.get('x-truce-submissions')).split(','))
            } catch { return } // the server died under us: the request was never acknowledged
          }
        }
        const watcher = async () => {
          while (streaming) {
            try { served.push(checkpointOf(await (await fetch(`${url}/log/checkpoint`)).text())) } catch { return }
            await new Promise((r) => setTimeout(r, 50))
          }
        }
        const work = Promise.all([writer(0), writer(1), writer(2), writer(3), watcher()])
        await new Promise((r) => setTimeout(r, 1500 + crash * 300))
        child.kill('SIGKILL')
        await exited
        streaming = false
        await work
      } finally {
        child.kill('SIGKILL')
        await exited
      }
    }
    console.log(`${dialect}: ${acknowledged.length} acknowledged submissions, ${served.length} checkpoints served, ${CRASHES} crashes`)
    expect(acknowledged.length).toBeGreaterThan(10)
    expect(served.filter((s) => s.size > 0).length).toBeGreaterThan(3)
  }, 600_000)
})
