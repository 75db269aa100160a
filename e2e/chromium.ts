// Debian's Chromium for the browser tests, driven by playwright-core (never a downloaded
// browser), guarded so a test fails on any console error in the page and on any request to a
// host other than localhost: the web client must work with no internet at all.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core'

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
