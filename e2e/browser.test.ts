// Browser tests: the built web client in Debian's Chromium (driven by playwright-core, never a
// downloaded browser) against a real server with the demo scenario. Every test also fails on a
// console error in the page and on any request to a host other than localhost: the client must
// work with no internet at all.
//
//   npx vitest run e2e/browser.test.ts
//   TRUCE_E2E_SCREENSHOTS=/tmp/shots npx vitest run e2e/browser.test.ts   (also saves screenshots)
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, test } from 'vitest'
import { browserSuite, chromiumAvailable, signInAs } from './chromium.ts'

const TEST_TIMEOUT = 120_000
const COORDINATOR = 'coordinator.us@truce.demo'
const SCREENSHOTS = process.env.TRUCE_E2E_SCREENSHOTS


const hasChromium = chromiumAvailable('e2e/browser.test.ts')

describe.skipIf(!hasChromium)('the web client in Chromium', () => {
  // Build, server, guarded Chromium, and no console error or outside request after each test.
  const suite = browserSuite()
  let page: Page
  beforeAll(() => { page = suite.page })


  const open = async (path: string) => {
    await page.goto(`${suite.url}${path}`)
  }

  const signIn = (email: string) => signInAs(page, suite.url, email)

  const chooseLanguage = async (lang: string) => {
    await page.getByTestId('lang-switch').selectOption(lang)
    await page.waitForFunction((l) => document.documentElement.lang === l, lang)
  }

  /** With TRUCE_E2E_SCREENSHOTS set: the viewport, the whole page, and each provision named. */
  const shoot = async (name: string, provisions: string[] = []) => {
    if (!SCREENSHOTS) return
    mkdirSync(SCREENSHOTS, { recursive: true })
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-full.png`), fullPage: true })
    for (const n of provisions) {
      await page.locator(`[data-testid="provision"][data-number="${n}"]`).screenshot({ path: join(SCREENSHOTS, `${name}-provision-${n}.png`) })
    }
  }


  test('an anonymous visitor browses public agreements and is offered to sign in', async () => {
    await open('/agreements')
    await expect.poll(() => page.getByTestId('agreement-row').count()).toBeGreaterThanOrEqual(2)
    await expect.poll(() => page.getByTestId('sign-in').isVisible()).toBe(true)
    expect(await page.getByTestId('public-only').isVisible()).toBe(true)
    expect(await page.getByTestId('nav-ledger').count()).toBe(0)
  }, TEST_TIMEOUT)

  test('a wrong password is refused with a message', async () => {
    suite.browser.expected = [{ status: 401, path: /\/api\/auth\/login$/ }]
    await open('/login')
    await page.getByTestId('login-email').fill(COORDINATOR)
    await page.getByTestId('login-password').fill('not-the-password')
    await page.getByTestId('login-submit').click()
    const error = page.getByTestId('login-error')
    await error.waitFor()
    expect(await error.getAttribute('data-error-code')).toBe('invalid_credentials')
    expect(await error.textContent()).toContain('The email address or password is wrong.')
    expect(await page.getByTestId('user-name').count()).toBe(0)
  }, TEST_TIMEOUT)

  test('the demo coordinator signs in and gets the navigation their role allows', async () => {
    await signIn(COORDINATOR)
    expect(await page.getByTestId('user-name').textContent()).toContain('US coordination cell')
    expect(await page.getByTestId('nav-ledger').isVisible()).toBe(true)
    expect(await page.getByTestId('logout').isVisible()).toBe(true)
    expect(await page.getByTestId('sign-in').count()).toBe(0)
    await page.getByTestId('nav-ledger').click()
    await expect.poll(() => page.getByTestId('ledger-row').count()).toBeGreaterThan(0)
  }, TEST_TIMEOUT)

  test('the agreement list shows the two demo agreements', async () => {
    await open('/agreements')
    await expect.poll(() => page.getByTestId('agreement-row').count()).toBeGreaterThanOrEqual(2)
    const slugs = await page.getByTestId('agreement-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-slug')))
    expect(slugs).toEqual(expect.arrayContaining(['syria-coh-2016', 'minsk-ii-2015']))
    const syria = page.locator('[data-testid="agreement-row"][data-slug="syria-coh-2016"]')
    expect(await syria.textContent()).toContain('Cessation of Hostilities in Syria')
    expect(await syria.textContent()).toContain('In force')
  }, TEST_TIMEOUT)

  test('an agreement shows its provisions in order, with their exclusions', async () => {
    await open('/agreements')
    await page.getByRole('link', { name: 'Cessation of Hostilities in Syria' }).click()
    await page.getByTestId('provisions').waitFor()
    expect(await page.getByTestId('agreement-title').textContent()).toBe('Cessation of Hostilities in Syria')
    const numbers = await page.getByTestId('provision').evaluateAll((items) => items.map((i) => i.getAttribute('data-number')))
    expect(numbers.slice(0, 3)).toEqual(['1', '2', '3'])
    expect(numbers.length).toBeGreaterThanOrEqual(6)
    const exclusions = page.locator('[data-testid="provision"][data-number="6"] [data-testid="exclusion"]')
    expect(await exclusions.count()).toBeGreaterThanOrEqual(2)
    expect(await exclusions.first().textContent()).toContain('Islamic State')
    expect(await page.locator('[data-testid="provision"][data-number="6"] [data-testid="provision-category"]').textContent()).toBe('Exclusion')
    expect(await page.getByTestId('parties').textContent()).toContain('Guarantor')
    if (SCREENSHOTS) {
      await page.waitForFunction(() => window.__truceMap?.loaded() === true, undefined, { timeout: 60_000 })
      await shoot('agreement-en', ['4', '6'])
    }
  }, TEST_TIMEOUT)

  test('the map draws the offline basemap centred on the theatre', async () => {
    await open('/agreements/syria-coh-2016')
    await page.getByTestId('map').waitFor()
    await page.waitForFunction(() => window.__truceMap?.loaded() === true, undefined, { timeout: 60_000 })
    const drawn = await page.evaluate(() => {
      const map = window.__truceMap
      if (!map) return null
      const features = map.queryRenderedFeatures()
      const centre = map.getCenter()
      return {
        count: features.length,
        sources: [...new Set(features.map((f) => f.source))],
        theatre: map.queryRenderedFeatures({ layers: ['theatre-fill'] }).map((f) => f.properties.name as string),
        centre: [centre.lng, centre.lat],
        zoom: map.getZoom(),
        canvas: [map.getCanvas().clientWidth, map.getCanvas().clientHeight],
        container: [map.getContainer().clientWidth, map.getContainer().clientHeight],
      }
    })
    expect(drawn).not.toBeNull()
    expect(drawn!.count).toBeGreaterThan(0)
    expect(drawn!.sources).toContain('countries')
    expect(drawn!.theatre).toContain('Syria')
    expect(drawn!.centre[0]).toBeCloseTo(38.5, 0)
    expect(drawn!.centre[1]).toBeCloseTo(35.0, 0)
    expect(drawn!.zoom).toBeCloseTo(5.5, 1)
    expect(drawn!.canvas[0]).toBeGreaterThan(0)
    expect(drawn!.canvas).toEqual(drawn!.container)

    await open('/map')
    await page.waitForFunction(() => window.__truceMap?.loaded() === true, undefined, { timeout: 60_000 })
    expect(await page.evaluate(() => window.__truceMap?.queryRenderedFeatures().length ?? 0)).toBeGreaterThan(0)
  }, TEST_TIMEOUT)

  test('a coordinator sets a provision\'s implementation level and sees it in the history', async () => {
    await open('/agreements/syria-coh-2016')
    const provision = page.locator('[data-testid="provision"][data-number="4"]')
    await provision.waitFor()
    await provision.getByTestId('status-form-toggle').click()
    const evidence = `OCHA convoy reached the besieged area on schedule (e2e ${Date.now()})`
    // As of now (the form's default), so the new level is also the provision's current one.
    expect(await provision.getByTestId('status-asof').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/)
    await provision.getByTestId('status-level').selectOption('2')
    await provision.getByTestId('status-evidence').fill(evidence)
    await provision.getByTestId('status-submit').click()
    await provision.getByTestId('status-saved').waitFor()
    const entry = provision.getByTestId('history-entry').filter({ hasText: evidence })
    await entry.waitFor()
    expect(await entry.getAttribute('data-level')).toBe('2')
    expect(await entry.textContent()).toContain('Intermediate')
    await expect.poll(() => provision.getByTestId('provision-status').getAttribute('data-level')).toBe('2')
    expect(await provision.getByTestId('provision-status').textContent()).toContain(evidence)
  }, TEST_TIMEOUT)

  test('an amendment is saved as a revision, and a stale one is refused with a clear message', async () => {
    suite.browser.expected = [{ status: 409, path: /\/api\/agreements\/[^/]+$/ }]
    // The US is no guarantor of Minsk II: neither form is offered there.
    await open('/agreements/minsk-ii-2015')
    await page.getByTestId('provisions').waitFor()
    expect(await page.getByTestId('amend-form').count()).toBe(0)
    expect(await page.getByTestId('status-form-toggle').count()).toBe(0)

    await open('/agreements/syria-coh-2016')
    await page.getByTestId('amend-form').waitFor()
    // A second tab holds the same version, to be overtaken by the first.
    const other = await suite.browser.context.newPage()
    await other.goto(`${suite.url}/agreements/syria-coh-2016`)
    await other.getByTestId('amend-form').waitFor()

    const revisionBefore = Number(await page.getByTestId('agreement-revision').textContent())
    await page.getByTestId('amend-status').selectOption('suspended')
    await page.getByTestId('amend-note').fill('Suspended pending the review of the ceasefire task force (e2e).')
    await page.getByTestId('amend-submit').click()
    await page.getByTestId('amend-message').waitFor()
    await expect.poll(async () => Number(await page.getByTestId('agreement-revision').textContent())).toBe(revisionBefore + 1)
    const newest = page.getByTestId('revision').first()
    await expect.poll(() => newest.getAttribute('data-revision')).toBe(String(revisionBefore + 1))
    expect(await newest.textContent()).toContain('Suspended pending the review')
    expect(await newest.textContent()).toContain('status')

    await other.getByTestId('amend-status').selectOption('terminated')
    await other.getByTestId('amend-note').fill('Terminated (e2e, from a page that missed the suspension).')
    await other.getByTestId('amend-submit').click()
    const conflict = other.getByTestId('amend-error')
    await conflict.waitFor()
    expect(await conflict.getAttribute('data-error-code')).toBe('version_conflict')
    expect(await conflict.textContent()).toContain('Someone else changed this agreement')
    await other.close()
  }, TEST_TIMEOUT)

  test('Arabic lays the page out right-to-left, translated, and stays chosen', async () => {
    await open('/agreements/syria-coh-2016')
    await page.getByTestId('provisions').waitFor()
    await chooseLanguage('ar')
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl')
    expect(await page.getByTestId('nav-agreements').textContent()).toBe('الاتفاقات')
    expect(await page.getByTestId('agreement-title').textContent()).toBe('وقف الأعمال العدائية في سوريا')
    expect(await page.locator('[data-testid="provision"][data-number="6"] [data-testid="provision-category"]').textContent()).toBe('استثناء')
    // Provision 3 has no Arabic text: it is shown in English, and said to be.
    const third = page.locator('[data-testid="provision"][data-number="3"]')
    expect(await third.getByTestId('provision-text').getAttribute('lang')).toBe('en')
    expect(await third.getByTestId('fallback-note').getAttribute('data-fallback-lang')).toBe('en')
    await page.waitForFunction(() => window.__truceMap?.loaded() === true, undefined, { timeout: 60_000 })
    if (SCREENSHOTS) {
      const fourth = page.locator('[data-testid="provision"][data-number="4"]')
      await fourth.getByTestId('history-toggle').locator('summary').click()
      await fourth.getByTestId('status-history').waitFor()
      await fourth.getByTestId('status-form-toggle').click()
      await shoot('agreement-ar', ['4', '6'])
    }

    await page.reload()
    await page.getByTestId('provisions').waitFor()
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir, localStorage.getItem('truce.lang')]))
      .toEqual(['ar', 'rtl', 'ar'])

    await chooseLanguage('en')
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('ltr')
    expect(await page.getByTestId('nav-agreements').textContent()).toBe('Agreements')
  }, TEST_TIMEOUT)

  test('the language switcher is on the sign-in page too, and signing out returns to public browsing', async () => {
    await open('/agreements')
    await page.getByTestId('logout').click()
    await page.getByTestId('sign-in').waitFor()
    await page.getByTestId('sign-in').click()
    await page.getByTestId('login-email').waitFor()
    await chooseLanguage('uk')
    expect(await page.getByTestId('login-submit').textContent()).toBe('Увійти')
    await chooseLanguage('en')
  }, TEST_TIMEOUT)
})
