// The log explorer (the Verify page, /log) in Debian's Chromium against a real server whose
// sequencer runs: a coordinator records a provision's implementation level, the submission enters
// the log, and the page checks its entry in the browser (leaf hash, inclusion proof, checkpoint
// signature), all three passing; an entry altered on the way in is caught; a pinned key that is not
// the log's fails the signature. Like e2e/browser.test.ts, every test fails on a console error in
// the page and on any request to a host other than localhost.
//
//   npx vitest run e2e/log-explorer.test.ts
//   TRUCE_E2E_SCREENSHOTS=/tmp/shots npx vitest run e2e/log-explorer.test.ts   (also saves screenshots)
import { execFileSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { rawEd25519PublicKey } from '../src/lib/ed25519.ts'
import { vkeyOf } from '../src/modules/log/note.ts'
import { startTestServer } from '../test/helpers/server.ts'
import { chromiumAvailable, openGuardedBrowser, type GuardedBrowser } from './chromium.ts'

const TEST_TIMEOUT = 120_000
const HOOK_TIMEOUT = 180_000
const PASSWORD = 'truce-demo'
const COORDINATOR = 'coordinator.us@truce.demo'
/** The sequencer runs every few hundred ms; this is how long a test waits for it. */
const SEQUENCED_WITHIN_MS = 20_000
const SCREENSHOTS = process.env.TRUCE_E2E_SCREENSHOTS
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/


const hasChromium = chromiumAvailable('e2e/log-explorer.test.ts')

type Server = Awaited<ReturnType<typeof startTestServer>>
type LogEntryBody = { submissionId: string; leafIndex: number; leafHash: string; entry: string; sequencedAt: string }

const root = fileURLToPath(new URL('..', import.meta.url))

/** The sequencer signs the first checkpoint as it starts; without one, nothing here can be checked. */
async function waitForFirstCheckpoint(url: string): Promise<void> {
  const deadline = Date.now() + SEQUENCED_WITHIN_MS
  while ((await fetch(`${url}/log/checkpoint`)).status === 404) {
    if (Date.now() > deadline) {
      throw new Error(`the test server signed no log checkpoint within ${SEQUENCED_WITHIN_MS / 1000} s: ` +
        'startTestServer (test/helpers/server.ts) must start the log sequencer, as src/server.ts does')
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

describe.skipIf(!hasChromium)('the log explorer in Chromium', () => {
  let server: Server
  let browser: GuardedBrowser
  let page: Page
  /** The submission the first test writes; later tests look it up again. */
  let submissionId = ''


  const shoot = async (name: string) => {
    if (!SCREENSHOTS) return
    mkdirSync(SCREENSHOTS, { recursive: true })
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-full.png`), fullPage: true })
  }

  /** Each check's verdict, as the page shows it: data-ok and the mark the reader sees. */
  const verdicts = async () => {
    await page.getByTestId('entry-result').waitFor()
    const out: Record<string, [string | null, string | null]> = {}
    for (const id of ['check-leaf', 'check-inclusion', 'check-signature']) {
      const check = page.getByTestId(id)
      out[id] = [await check.getAttribute('data-ok'), await check.getByTestId('check-mark').textContent()]
    }
    return out
  }

  /** Polls the public entry API (outside the page, so its 404s are no console errors) until the submission is in the log. */
  const waitUntilSequenced = async (id: string): Promise<LogEntryBody> => {
    const deadline = Date.now() + SEQUENCED_WITHIN_MS
    for (;;) {
      const response = await page.request.get(`${server.url}/api/log/entries/${id}`)
      if (response.ok()) return await response.json() as LogEntryBody
      if (response.status() !== 404) throw new Error(`GET /api/log/entries/${id}: ${response.status()} ${await response.text()}`)
      if (Date.now() > deadline) {
        throw new Error(`submission ${id} was not sequenced within ${SEQUENCED_WITHIN_MS / 1000} s: ` +
          'does startTestServer (test/helpers/server.ts) start the log sequencer?')
      }
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'scripts/build-web.ts'), '--if-stale'], { cwd: root, stdio: 'inherit' })
    server = await startTestServer({ demo: true })
    await waitForFirstCheckpoint(server.url)
    browser = await openGuardedBrowser()
    page = browser.page
  }, HOOK_TIMEOUT)

  afterEach(async () => {
    await page.unrouteAll({ behavior: 'wait' })
    const { errors, external } = browser.takeProblems()
    expect(errors, 'console errors in the page').toEqual([])
    expect(external, 'requests to hosts other than localhost').toEqual([])
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  }, HOOK_TIMEOUT)

  test('anyone may open Verify: the latest checkpoint, its signer and the log key, without signing in', async () => {
    await page.goto(`${server.url}/agreements`)
    await page.getByTestId('nav-verify').click()
    await page.waitForURL(/\/log$/)
    await expect.poll(() => page.getByTestId('checkpoint-size').textContent()).toMatch(/^\d+$/)
    const origin = await page.getByTestId('checkpoint-origin').textContent()
    const vkey = await page.getByTestId('vkey-served').textContent()
    expect(vkey?.startsWith(`${origin}+`)).toBe(true)
    expect(await page.getByTestId('checkpoint-root').textContent()).toMatch(/^[A-Za-z0-9+/]{43}=$/)
    const logSigner = page.locator('[data-testid="signer"][data-kind="signature"]')
    await expect.poll(() => logSigner.textContent()).toContain('✓')
    expect(await page.getByTestId('vkey-status').getAttribute('data-status')).toBe('none')
  }, TEST_TIMEOUT)

  test('a coordinator records a level; its submission enters the log and all three checks pass in the browser', async () => {
    await page.goto(`${server.url}/login`)
    await page.getByTestId('login-email').fill(COORDINATOR)
    await page.getByTestId('login-password').fill(PASSWORD)
    await page.getByTestId('login-submit').click()
    await page.getByTestId('user-name').waitFor()

    await page.goto(`${server.url}/agreements/syria-coh-2016`)
    const provision = page.locator('[data-testid="provision"][data-number="4"]')
    await provision.waitFor()
    await provision.getByTestId('status-form-toggle').click()
    await provision.getByTestId('status-level').selectOption('3')
    await provision.getByTestId('status-evidence').fill(`Convoys reach every besieged area weekly (log e2e ${Date.now()})`)
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && /\/provisions\/[^/]+\/status$/.test(new URL(r.url()).pathname)),
      provision.getByTestId('status-submit').click(),
    ])
    expect(response.status()).toBe(201)
    const written = (response.headers()['x-truce-submissions'] ?? '').split(',').filter((s) => s !== '')
    expect(written).toHaveLength(1)
    submissionId = written[0]!
    expect(submissionId).toMatch(UUID)
    const logged = await waitUntilSequenced(submissionId)

    // From the provision's status history, the row of that submission links to its check.
    const row = provision.locator(`[data-testid="history-entry"][data-submission="${submissionId}"]`)
    await row.waitFor()
    await row.getByTestId('history-verify').click()
    await page.waitForURL((url) => url.pathname === '/log' && url.searchParams.get('submission') === submissionId)

    expect(await verdicts()).toEqual({ 'check-leaf': ['true', '✓'], 'check-inclusion': ['true', '✓'], 'check-signature': ['true', '✓'] })
    expect(await page.getByTestId('verdict').textContent()).toContain('All checks passed')
    expect(await page.getByTestId('entry-leaf-index').textContent()).toBe(String(logged.leafIndex))
    expect(await page.getByTestId('entry-bytes').textContent()).toBe(logged.entry)
    expect(JSON.parse(await page.getByTestId('entry-json').textContent() ?? '')).toEqual(JSON.parse(logged.entry))
    expect(await page.getByTestId('check-leaf').textContent()).toContain(logged.leafHash)
    await shoot('verify-en')

    // The page reads the same in Arabic, right to left.
    await page.getByTestId('lang-switch').selectOption('ar')
    await page.waitForFunction(() => document.documentElement.dir === 'rtl')
    expect(await page.getByTestId('nav-verify').textContent()).toBe('التحقق')
    expect(await page.getByTestId('check-leaf').getAttribute('data-ok')).toBe('true')
    await shoot('verify-ar')
    await page.getByTestId('lang-switch').selectOption('en')
    await page.waitForFunction(() => document.documentElement.dir === 'ltr')
  }, TEST_TIMEOUT)

  test('an entry altered on its way to the browser fails the leaf check, with the reason', async () => {
    expect(submissionId, 'the previous test wrote a submission').toMatch(UUID)
    await page.route('**/api/log/entries/**', async (route) => {
      const response = await route.fetch()
      const body = await response.json() as LogEntryBody
      // One digit of the sequence number changed: the canonical JSON stays valid, its hash does not.
      const entry = body.entry.replace(/"seq":(\d+)/, (_, seq: string) => `"seq":${Number(seq) + 1}`)
      expect(entry).not.toBe(body.entry)
      await route.fulfill({ response, json: { ...body, entry } })
    })
    await page.goto(`${server.url}/log?submission=${submissionId}`)
    const result = await verdicts()
    expect(result['check-leaf']).toEqual(['false', '✗'])
    // The proof starts from the altered entry's own hash, so it cannot reach the signed root either.
    expect(result['check-inclusion']).toEqual(['false', '✗'])
    expect(result['check-signature']).toEqual(['true', '✓'])
    expect(await page.getByTestId('check-leaf').textContent()).toContain('The entry shown does not match the log')
    expect(await page.getByTestId('verdict').textContent()).toContain('At least one check failed')
    await shoot('verify-tampered')
  }, TEST_TIMEOUT)

  test('the Log page links each submission to its check', async () => {
    await page.goto(`${server.url}/ledger`)
    const row = page.locator(`[data-testid="ledger-row"][data-submission="${submissionId}"]`)
    // The Log lists oldest first, a page at a time: the demo's own submissions fill the first pages.
    await page.getByTestId('ledger-table').waitFor()
    const more = page.getByRole('button', { name: 'Load more' })
    for (let i = 0; i < 20 && !(await row.isVisible()); i++) {
      await more.click()
      await expect.poll(async () => (await row.isVisible()) || (await more.isEnabled().catch(() => false))).toBe(true)
    }
    await row.waitFor()
    await row.getByTestId('ledger-verify').click()
    await page.waitForURL((url) => url.pathname === '/log' && url.searchParams.get('submission') === submissionId)
    expect(await page.getByTestId('entry-submission').textContent()).toBe(submissionId)
    expect((await verdicts())['check-leaf']).toEqual(['true', '✓'])
  }, TEST_TIMEOUT)

  test("a non-public submission's leaf is sealed; the browser checks the full entry against the seal", async () => {
    // The coordinator is still signed in: the record lists what it may see, non-public entries included.
    const list = await page.request.get(`${server.url}/api/submissions?limit=500`)
    expect(list.status()).toBe(200)
    const items = (await list.json() as { items: { id: string; visibility: string; kind: string }[] }).items
    const hidden = items.find((s) => s.visibility !== 'public')
    expect(hidden, 'the demo record holds a non-public submission the coordinator may see').toBeDefined()
    const logged = await waitUntilSequenced(hidden!.id)
    expect(JSON.parse(logged.entry)).toEqual({ v: 1, seq: expect.any(Number), sealed: expect.stringMatching(/^[0-9a-f]{64}$/) })

    await page.goto(`${server.url}/log?submission=${hidden!.id}`)
    await page.getByTestId('check-opening').waitFor()
    expect(await page.getByTestId('check-opening').getAttribute('data-ok')).toBe('true')
    expect((await verdicts())['check-leaf']).toEqual(['true', '✓'])
    expect(await page.getByTestId('verdict').textContent()).toContain('All checks passed')
    expect(await page.getByTestId('entry-sealed').isVisible()).toBe(true)
    // The reader sees the full entry, which names the kind the sealed leaf hides.
    expect(JSON.parse(await page.getByTestId('entry-json').textContent() ?? '')).toMatchObject({ submissionId: hidden!.id, kind: hidden!.kind })

    // A full entry that is not the sealed one fails the seal check, and only it.
    await page.route('**/api/log/entries/**', async (route) => {
      const response = await route.fetch()
      const body = await response.json() as LogEntryBody & { opening: string }
      await route.fulfill({ response, json: { ...body, opening: body.opening.replace(/"kind":"[^"]+"/, '"kind":"forged.kind"') } })
    })
    await page.goto(`${server.url}/log?submission=${hidden!.id}`)
    await page.getByTestId('check-opening').waitFor()
    expect(await page.getByTestId('check-opening').getAttribute('data-ok')).toBe('false')
    expect(await page.getByTestId('check-opening').textContent()).toContain('does not match the seal')
    expect(await verdicts()).toEqual({ 'check-leaf': ['true', '✓'], 'check-inclusion': ['true', '✓'], 'check-signature': ['true', '✓'] })
    expect(await page.getByTestId('verdict').textContent()).toContain('At least one check failed')
  }, TEST_TIMEOUT)

  test('a pinned key is kept in the browser and used; a key that is not the log\'s fails the signature check', async () => {
    await page.goto(`${server.url}/log?submission=${submissionId}`)
    await page.getByTestId('entry-result').waitFor()
    const served = await page.getByTestId('vkey-served').textContent() ?? ''

    // Not a key at all: refused before it is pinned.
    await page.getByTestId('vkey-input').fill('truce.localhost/log+00000000+not-a-key')
    await page.getByTestId('vkey-pin').click()
    expect(await page.getByTestId('vkey-problem').textContent()).toContain('not a usable log key')

    // A well-formed key of the same name that never signed this log.
    const { privateKey } = generateKeyPairSync('ed25519')
    const stranger = vkeyOf(served.split('+')[0]!, rawEd25519PublicKey(privateKey))
    await page.getByTestId('vkey-input').fill(stranger)
    await page.getByTestId('vkey-pin').click()
    await expect.poll(() => page.getByTestId('vkey-status').getAttribute('data-status')).toBe('mismatch')
    await expect.poll(() => page.getByTestId('check-signature').getAttribute('data-ok')).toBe('false')
    expect(await page.getByTestId('check-signature').textContent()).toContain('carries no signature by')
    expect(await page.getByTestId('check-leaf').getAttribute('data-ok')).toBe('true')
    await shoot('verify-wrong-key')

    // The pin survives a reload; the log's own key, pinned, passes again.
    await page.reload()
    expect(await page.getByTestId('vkey-pinned').textContent()).toBe(stranger)
    expect(await page.evaluate(() => localStorage.getItem('truce.log.vkey'))).toBe(stranger)
    await page.getByTestId('vkey-unpin').click()
    await page.getByTestId('vkey-input').fill(served)
    await page.getByTestId('vkey-pin').click()
    await expect.poll(() => page.getByTestId('vkey-status').getAttribute('data-status')).toBe('match')
    await expect.poll(() => page.getByTestId('check-signature').getAttribute('data-ok')).toBe('true')
    expect(await page.getByTestId('check-signature').textContent()).toContain('your pinned key')
    await page.getByTestId('vkey-unpin').click()
  }, TEST_TIMEOUT)
})
