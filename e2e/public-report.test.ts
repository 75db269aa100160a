// The public report form in Debian's Chromium against a real server with the demo, signed out:
// a report sent online arrives once, anonymous and coarsened for the monitors who read it; sent
// with the browser offline it waits in localStorage under its idempotency key and goes by itself
// when the connection returns, still once (a resend with its key is a replay); a date in the
// future comes back as the server's error next to the date field, and a queued one refused stays
// on the device with that error until corrected; and the page reads right to left in Arabic. Every test fails on a console error and on any request off localhost.
//
//   npx vitest run e2e/public-report.test.ts
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, test } from 'vitest'
import { browserSuite, chromiumAvailable, DEMO_PASSWORD } from './chromium.ts'

const TEST_TIMEOUT = 120_000
const MONITOR = 'monitor@truce.demo'
const QUEUE_KEY = 'truce.publicReports.queue'
const RUN = Date.now().toString(36)
const hasChromium = chromiumAvailable('e2e/public-report.test.ts')

type Report = { id: string; description: string; coarsened: boolean; anonymous: boolean; channel: string; category: string; datePrecision: number; casualties: Record<string, unknown> }

/** The reports a signed-in monitor sees whose description is `description`. */
async function reportsDescribed(url: string, description: string): Promise<Report[]> {
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: MONITOR, password: DEMO_PASSWORD }) })
  if (login.status !== 200) throw new Error(`sign-in: ${login.status}`)
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const res = await fetch(`${url}/api/reports?limit=500`, { headers: { cookie } })
  if (!res.ok) throw new Error(`GET /api/reports: ${res.status} ${await res.text()}`)
  const { items } = await res.json() as { items: Report[] }
  return items.filter((r) => r.description === description)
}

describe.skipIf(!hasChromium)('the public report form in Chromium', () => {
  const suite = browserSuite()
  let page: Page

  beforeAll(() => {
    page = suite.page
  })

  /** The form, opened from the header as a signed-out visitor, its map drawn. */
  async function openForm() {
    await page.goto(`${suite.url}/agreements`)
    await page.getByTestId('nav-report').click()
    await page.getByTestId('report-form').waitFor()
    await page.waitForFunction(() => window.__truceMap?.loaded() === true)
  }

  async function fill(description: string, when?: string) {
    await page.getByTestId('report-category').selectOption('shelling')
    if (when !== undefined) await page.getByTestId('report-when').fill(when)
    await page.getByTestId('report-roughly').selectOption('2')
    await page.getByTestId('report-lat').fill('35.51234')
    await page.getByTestId('report-lon').fill('36.41234')
    await page.getByTestId('report-place').fill('North of the bridge')
    await page.getByTestId('report-killed').fill('2')
    await page.getByTestId('report-perpetrator').fill('Unknown artillery')
    await page.getByTestId('report-description').fill(description)
  }

  test('a report sent online arrives once, anonymous and with its place coarsened', async () => {
    await openForm()
    expect(await page.getByTestId('report-privacy').textContent()).toContain('about 1 km')
    // A tap on the map drops the pin: the coordinates are filled in.
    const box = (await page.getByTestId('map').boundingBox())!
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    await expect.poll(() => page.getByTestId('report-lat').inputValue()).not.toBe('')
    expect(await page.getByTestId('report-lon').inputValue()).not.toBe('')

    const description = `Shells landed near the bridge (${RUN} online)`
    await fill(description)
    await page.getByTestId('report-submit').click()
    await page.getByTestId('report-sent').waitFor()
    expect(await page.getByTestId('report-description').inputValue()).toBe('')

    const found = await reportsDescribed(suite.url, description)
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({ coarsened: true, anonymous: true, channel: 'public_form', category: 'shelling', datePrecision: 2 })
    expect(found[0]!.casualties).toMatchObject({ civiliansKilled: { low: 2, best: 2, high: 2 } })
  }, TEST_TIMEOUT)

  test('offline, the report waits on the device and is sent once when the connection returns', async () => {
    await openForm()
    const description = `Drone seen over the market (${RUN} offline)`
    await suite.browser.context.setOffline(true)
    try {
      await fill(description)
      await page.getByTestId('report-submit').click()
      const queued = page.locator('[data-testid="report-queued"][data-count="1"]')
      await queued.waitFor()
      expect(await queued.textContent()).toContain('Saved on this device; it will be sent when you are online')
    } finally {
      // Nothing went: the server has no such report yet.
      expect(await reportsDescribed(suite.url, description)).toHaveLength(0)
    }
    const stored = JSON.parse(await page.evaluate((k) => localStorage.getItem(k) ?? '[]', QUEUE_KEY)) as { key: string; report: unknown }[]
    expect(stored).toHaveLength(1)
    const { key, report } = stored[0]!

    await suite.browser.context.setOffline(false)
    await page.locator('[data-testid="report-sent-later"][data-count="1"]').waitFor()
    await page.getByTestId('report-queued').waitFor({ state: 'detached' })
    expect(await page.evaluate((k) => localStorage.getItem(k), QUEUE_KEY)).toBe('[]')
    const found = await reportsDescribed(suite.url, description)
    expect(found).toHaveLength(1)
    expect(found[0]!.coarsened).toBe(true)

    // Its key makes any later resend a replay of the same report, never a second one.
    const resent = await fetch(`${suite.url}/api/public/reports`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(report) })
    expect(resent.status).toBe(200)
    expect(await resent.json()).toEqual({ id: found[0]!.id, replayed: true })
    expect(await reportsDescribed(suite.url, description)).toHaveLength(1)
  }, TEST_TIMEOUT)

  test('a date in the future is refused, and the server says so next to the date', async () => {
    suite.browser.expected = [{ status: 400, path: /\/api\/public\/reports$/ }]
    await openForm()
    const description = `Explosion heard (${RUN} future)`
    await fill(description, '2099-01-01T12:00')
    await page.getByTestId('report-submit').click()
    const error = page.locator('[data-field="when"] [data-testid="field-error"]')
    await error.waitFor()
    expect(await error.getAttribute('data-path')).toBe('body.occurredAt')
    expect(await error.textContent()).toContain('after now')
    // The report is still in the form to correct, and nothing was recorded.
    expect(await page.getByTestId('report-description').inputValue()).toBe(description)
    expect(await reportsDescribed(suite.url, description)).toHaveLength(0)
  }, TEST_TIMEOUT)

  test('a queued report the server refuses stays on the device with its error, to correct or remove', async () => {
    suite.browser.expected = [{ status: 400, path: /\/api\/public\/reports$/ }]
    await openForm()
    const description = `Refused while queued (${RUN})`
    await suite.browser.context.setOffline(true)
    await fill(description, '2099-01-01T12:00')
    await page.getByTestId('report-submit').click()
    await page.locator('[data-testid="report-queued"][data-count="1"]').waitFor()
    await suite.browser.context.setOffline(false)
    const item = page.getByTestId('report-queue-item')
    await item.waitFor()
    expect(await item.getByTestId('queue-item-error').getAttribute('data-path')).toBe('body.occurredAt')
    await page.getByTestId('report-queued').waitFor({ state: 'detached' })
    // Back in the form with the error beside the date; corrected, it goes.
    await item.getByTestId('queue-item-edit').click()
    expect(await page.getByTestId('report-description').inputValue()).toBe(description)
    expect(await page.locator('[data-field="when"] [data-testid="field-error"]').getAttribute('data-path')).toBe('body.occurredAt')
    await page.getByTestId('report-when').fill('2026-01-01T12:00')
    await page.getByTestId('report-submit').click()
    await page.getByTestId('report-sent').waitFor()
    expect(await page.evaluate((k) => localStorage.getItem(k), QUEUE_KEY)).toBe('[]')
    expect(await reportsDescribed(suite.url, description)).toHaveLength(1)
  }, TEST_TIMEOUT)

  test('the form reads right to left in Arabic', async () => {
    await openForm()
    await page.getByTestId('lang-switch').selectOption('ar')
    await page.waitForFunction(() => document.documentElement.dir === 'rtl')
    expect(await page.locator('h1').textContent()).toBe('أبلغ عمّا حدث')
    expect(await page.getByTestId('report-privacy').textContent()).toContain('كيلومتر')
    await page.getByTestId('lang-switch').selectOption('en')
    await page.waitForFunction(() => document.documentElement.dir === 'ltr')
  }, TEST_TIMEOUT)
})
