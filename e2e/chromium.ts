// Debian's Chromium for the browser tests, driven by playwright-core (never a downloaded
// browser), guarded so a test fails on any console error in the page and on any request to a
// host other than localhost: the web client must work with no internet at all.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { startTestServer, type TestServer } from '../test/helpers/server.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** Building the web client, starting a server on the demo database, launching Chromium. */
const SUITE_HOOK_TIMEOUT = 180_000

export const CHROMIUM = '/usr/bin/chromium'
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // With the GPU off, WebGL (which the map needs) runs on SwiftShader, which Chromium only
  // allows when asked. Playwright asks by default today; saying it here keeps the map tests from
  // depending on that default.
  '--enable-unsafe-swiftshader',
]

/** Whether Chromium is here; CI must have it, a workstation without it skips with a message. */
export function chromiumAvailable(file: string): boolean {
  if (existsSync(CHROMIUM)) return true
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must run the browser tests (apt-get install chromium)`)
  console.warn(`${file} skipped: ${CHROMIUM} not found. Install Debian's chromium package to run the browser tests.`)
  return false
}

/** Console errors a test expects (a refused password logs its 401): matched by status and URL. */
export type Expected = { status: number; path: RegExp }

export type GuardedBrowser = {
  context: BrowserContext
  page: Page
  /** Console errors and non-local requests seen since the last `takeProblems`. */
  takeProblems(): { errors: string[]; external: string[] }
  /** Console errors the current test expects; reset by `takeProblems`. */
  expected: Expected[]
  close(): Promise<void>
}

const isLocal = (raw: string): boolean => {
  const url = new URL(raw)
  if (url.protocol === 'data:' || url.protocol === 'blob:') return true
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
}

export async function openGuardedBrowser(): Promise<GuardedBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'truce-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'UTC',
  })
  context.setDefaultTimeout(30_000)
  const consoleErrors: string[] = []
  const externalRequests: string[] = []
  const browser: GuardedBrowser = {
    context,
    page: undefined as unknown as Page,
    expected: [],
    takeProblems() {
      browser.expected = []
      return { errors: consoleErrors.splice(0), external: externalRequests.splice(0) }
    },
    async close() {
      await context.close()
      rmSync(userDataDir, { recursive: true, force: true })
    },
  }
  await context.route('**/*', async (route) => {
    const url = route.request().url()
    if (isLocal(url)) return route.continue()
    externalRequests.push(url)
    return route.abort('blockedbyclient')
  })
  const onConsole = (message: ConsoleMessage) => {
    if (message.type() !== 'error') return
    const text = message.text()
    const where = message.location().url
    if (!browser.expected.some((e) => text.includes(`status of ${e.status}`) && e.path.test(where))) consoleErrors.push(`${text} (${where})`)
  }
  const watch = (p: Page) => {
    p.on('console', onConsole)
    p.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`))
  }
  context.on('page', watch)
  context.pages().forEach(watch)
  browser.page = context.pages()[0] ?? await context.newPage()
  return browser
}

/** The demo users' password (src/modules/demo). */
export const DEMO_PASSWORD = 'truce-demo'

/** Signs `page` in through the sign-in page, and waits until the header shows the user. */
export async function signInAs(page: Page, baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/login`)
  await page.getByTestId('login-email').fill(email)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await page.getByTestId('user-name').waitFor()
}

/**
 * A signed-in API client outside the browser, to set up what a test looks at: the user's party
 * and GET/POST with the session cookie and CSRF token, throwing on any answer but 2xx.
 */
export async function apiSession(url: string, email: string, password = DEMO_PASSWORD) {
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })
  if (login.status !== 200) throw new Error(`sign-in as ${email}: ${login.status} ${await login.text()}`)
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const { csrfToken } = await login.json() as { csrfToken: string }
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}${path}`, {
      method, headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    return await res.json() as T
  }
  const me = await call<{ partyId: string }>('GET', '/api/auth/me')
  return { partyId: me.partyId, get: <T>(path: string) => call<T>('GET', path), post: <T>(path: string, body?: unknown) => call<T>('POST', path, body) }
}

/**
 * The hooks a browser suite needs, registered in the calling `describe`: the web client built if
 * stale, a test server with the demo, a guarded Chromium (signed in as `signIn`, if given), no
 * console error or outside request after any test, and everything closed at the end. The getters
 * are valid inside tests and later hooks.
 */
export function browserSuite(options: { signIn?: string } = {}) {
  let server: TestServer | undefined
  let browser: GuardedBrowser | undefined
  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-web.ts'), '--if-stale'], { cwd: ROOT, stdio: 'inherit' })
    server = await startTestServer({ demo: true })
    browser = await openGuardedBrowser()
    if (options.signIn) await signInAs(browser.page, server.url, options.signIn)
  }, SUITE_HOOK_TIMEOUT)
  afterEach(async () => {
    const { errors, external } = browser!.takeProblems()
    expect(errors, 'console errors in the page').toEqual([])
    expect(external, 'requests to hosts other than localhost').toEqual([])
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  }, SUITE_HOOK_TIMEOUT)
  return {
    get url() { return server!.url },
    get browser() { return browser! },
    get page() { return browser!.page },
    /** A full-page screenshot into TRUCE_E2E_SCREENSHOTS, when it is set. */
    async shoot(name: string) {
      const dir = process.env.TRUCE_E2E_SCREENSHOTS
      if (!dir) return
      mkdirSync(dir, { recursive: true })
      await browser!.page.screenshot({ path: join(dir, `${name}-full.png`), fullPage: true })
    },
  }
}
