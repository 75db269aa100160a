// The real process, as `npm start` runs it: it serves health, the OpenAPI document, the demo
// agreements and the web client, and shuts down cleanly on SIGTERM. On both databases.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { dialects, processDatabase } from './helpers/db.ts'

const cli = new URL('../src/cli/truce.ts', import.meta.url).pathname

function serve(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [cli, 'serve'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => { out += d.toString() })
  child.stderr!.on('data', (d: Buffer) => { out += d.toString() })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 120_000)
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${out}`)) })
    const poll = setInterval(() => {
      const m = /Truce is running at (http:\/\/\S+)/.exec(out)
      if (m) { clearInterval(poll); clearTimeout(timer); child.removeAllListeners('exit'); resolve({ child, url: m[1]!, output: () => out }) }
    }, 100)
  })
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))

describe.each(dialects())('the truce server process on %s', (dialect) => {
  const cleanups: (() => Promise<void>)[] = []
  afterAll(async () => { for (const c of cleanups) await c() })

  async function environment(): Promise<Record<string, string>> {
    const db = await processDatabase(dialect)
    cleanups.push(db.dispose)
    return db.env
  }

  it('serves health, OpenAPI, the demo agreements and the web client, then stops cleanly on SIGTERM', async () => {
    const { child, url, output } = await serve(await environment())
    try {
      expect(output()).toContain(`Database: ${dialect}`)
      // The lines after "running at" may come in a later chunk of the pipe.
      await expect.poll(output).toContain('coordinator.us@truce.demo')
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' })
      expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: 'ready', database: dialect })
      const openapi = await (await fetch(`${url}/api/openapi.json`)).json() as { openapi: string; paths: Record<string, unknown> }
      expect(openapi.openapi).toBe('3.1.0')
      expect(Object.keys(openapi.paths)).toContain('/api/agreements/{id}')
      const list = await (await fetch(`${url}/api/agreements`)).json() as { items: { slug: string }[] }
      expect(list.items.map((a) => a.slug).sort()).toEqual(['minsk-ii-2015', 'syria-coh-2016'])
      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'monitor@truce.demo', password: 'truce-demo' }),
      })
      expect(login.status).toBe(200)
      if (existsSync(new URL('../web/dist/index.html', import.meta.url))) {
        const page = await fetch(`${url}/agreements/syria-coh-2016`)
        expect(page.headers.get('content-type')).toContain('text/html')
        expect(await page.text()).toContain('<div id="root">')
      }
    } finally {
      const done = exited(child)
      child.kill('SIGTERM')
      expect(await done).toBe(0)
    }
    expect(output()).toContain('SIGTERM: finishing requests')
  })
})
