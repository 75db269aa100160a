// The report import page in Debian's Chromium against a real server with the demo: the public
// reporter is not offered it (the incidents page links it for those who may); a monitor picks an
// HXL log with bad rows (its format guessed from the header), is refused with every bad row in a
// table by line and field and nothing written, then imports the good rows with one click and
// follows the link to those dates' incidents; an ACLED export saved as Windows-1252 is checked by
// a dry run (nothing written) and then imported; a UCDP file of 4,000 events goes in as a job
// whose progress bar only moves forward to the file's rows, and sent again adds nothing; and the
// page reads right to left in Arabic and fits a phone. Every test fails on a console error in the
// page and on any request to a host other than localhost.
//
//   npx vitest run e2e/report-import.test.ts
//   TRUCE_E2E_SCREENSHOTS=/tmp/shots npx vitest run e2e/report-import.test.ts   (also saves screenshots)
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, test } from 'vitest'
import { ACLED_COLUMNS, ACLED_ROWS, csvOf, HXL_INCIDENTS, windows1252 } from '../src/modules/incidents/import/test-files.ts'
import { browserSuite, chromiumAvailable, signInAs } from './chromium.ts'

const TEST_TIMEOUT = 180_000
const MONITOR = 'monitor@truce.demo'
const REPORTER = 'reporter@truce.demo'
const hasChromium = chromiumAvailable('e2e/report-import.test.ts')

const UCDP_COLUMNS = [
  'id', 'date_start', 'date_prec', 'where_prec', 'where_coordinates', 'latitude', 'longitude', 'type_of_violence', 'side_a', 'side_b',
  'deaths_a', 'deaths_b', 'deaths_civilians', 'low', 'best', 'high', 'source_office', 'source_headline',
]
/** `n` GED-shaped events around Homs in 2016, each its own id and place. */
const gedFile = (n: number) => Buffer.from(csvOf(UCDP_COLUMNS, Array.from({ length: n }, (_, i) => ({
  id: 800_000 + i, date_start: `2016-0${1 + (i % 9)}-1${i % 10}`, date_prec: 1, where_prec: 1, where_coordinates: `Browser village ${i}`,
  latitude: 34.7 + (i % 100) / 1000, longitude: 36.6 + Math.floor(i / 100) / 1000, type_of_violence: 1, side_a: 'Government of Syria', side_b: 'Syrian insurgents',
  deaths_a: 1, deaths_b: 0, deaths_civilians: 0, low: 1, best: 1, high: 1, source_office: 'SOHR', source_headline: `Shelling of browser village ${i}`,
}))))

describe.skipIf(!hasChromium)('the report import page in Chromium', () => {
  const suite = browserSuite({ signIn: REPORTER })
  let page: Page

  beforeAll(() => {
    page = suite.page
  })

  const switchUser = async (email: string) => {
    await page.goto(`${suite.url}/agreements`)
    await page.getByTestId('logout').click()
    await page.getByTestId('sign-in').waitFor()
    await signInAs(page, suite.url, email)
  }
  const pick = (name: string, buffer: Buffer, mimeType = 'text/csv') => page.getByTestId('import-file').setInputFiles({ name, mimeType, buffer })
  const attr = (testId: string, name: string) => page.getByTestId(testId).getAttribute(name)
  const problemRows = () => page.locator('[data-testid="import-problem"]').evaluateAll((rows) => rows.map((r) => [Number(r.getAttribute('data-line')), r.getAttribute('data-field')]))
  const reportCount = () => page.evaluate(async () => {
    const res = await fetch('/api/reports/export?format=geojson')
    return ((await res.json()) as { features: unknown[] }).features.length
  })

  test('the public reporter is not offered the import; a monitor is refused a file with bad rows, row by row, then imports the good ones', async () => {
    await page.goto(`${suite.url}/incidents`)
    await page.getByTestId('nav-incidents').waitFor()
    await page.locator('h1').waitFor()
    expect(await page.getByTestId('incidents-import-link').count()).toBe(0)
    await page.goto(`${suite.url}/incidents/import`)
    await page.getByTestId('import-not-allowed').waitFor()

    await switchUser(MONITOR)
    await page.getByTestId('nav-incidents').click()
    await page.getByTestId('incidents-import-link').click()
    await page.getByTestId('import-form').waitFor()
    // The import belongs to the incidents: their link in the header stays the current one.
    expect(await page.getByTestId('nav-incidents').getAttribute('aria-current')).toBe('page')
    const before = await reportCount()

    await pick('incidents.csv', Buffer.from(HXL_INCIDENTS))
    await expect.poll(() => attr('import-file-facts', 'data-guess')).toBe('hxl')
    suite.browser.expected.push({ status: 400, path: /\/api\/reports\/import/ })
    await page.getByTestId('import-submit').click()
    const refused = page.getByTestId('import-error')
    await refused.waitFor({ timeout: 60_000 })
    expect(await refused.getAttribute('data-error-code')).toBe('invalid_rows')
    expect(await problemRows()).toEqual([[7, '#date+occurred'], [8, '#event+type'], [8, '#geo+lat'], [10, '#geo+precision'], [10, '#affected+killed'], [10, '#meta+url'], [12, '#meta+id']])
    expect(await refused.textContent()).toContain('4 row(s) have problems')
    expect(await reportCount()).toBe(before)
    await suite.shoot('report-import-refused')

    await page.getByTestId('import-skip-and-retry').click()
    const result = page.getByTestId('import-result')
    await result.waitFor({ timeout: 60_000 })
    expect(await result.getAttribute('data-added')).toBe('3')
    expect(await result.getAttribute('data-invalid')).toBe('4')
    expect(await page.getByTestId('import-skip-invalid').isChecked()).toBe(true)
    expect((await problemRows()).map(([line]) => line)).toEqual([7, 8, 8, 10, 10, 10, 12])
    expect(await page.getByTestId('import-summary').textContent()).toContain('Reports added: 3.')
    // The link names the reader's reports of the file's dates, 1 and 2 March 2016: [1 March, 3 March).
    const csv = await page.getByTestId('import-reports-csv').getAttribute('href')
    expect(csv).toBe('/api/reports/export?format=csv&from=2016-03-01T00%3A00%3A00.000Z&to=2016-03-03T00%3A00%3A00.000Z')
    expect(await reportCount()).toBe(before + 3)
    await suite.shoot('report-import-skipped')
    await page.getByTestId('import-show-incidents').click()
    await expect.poll(() => page.evaluate(() => window.location.pathname + window.location.search)).toBe('/incidents?from=2016-03-01&to=2016-03-02')
  }, TEST_TIMEOUT)

  test('an ACLED export in Windows-1252 is checked by a dry run, writing nothing, then imported', async () => {
    await page.goto(`${suite.url}/incidents/import`)
    await page.getByTestId('import-form').waitFor()
    const before = await reportCount()
    await pick('acled-export.csv', windows1252(csvOf(ACLED_COLUMNS, ACLED_ROWS)), 'application/vnd.ms-excel')
    await expect.poll(() => attr('import-file-facts', 'data-guess')).toBe('acled')
    await page.getByTestId('import-dry-run').check()
    expect(await page.getByTestId('import-submit').textContent()).toBe('Check the file')
    await page.getByTestId('import-submit').click()
    const result = page.getByTestId('import-result')
    await result.waitFor({ timeout: 60_000 })
    expect(await result.getAttribute('data-dry-run')).toBe('true')
    expect(await page.getByTestId('import-encoding').textContent()).toBe('windows-1252')
    expect(await page.getByTestId('import-summary').textContent()).toContain('Reports that would be added: 8.')
    expect(await page.getByTestId('import-not-incidents').textContent()).toContain('Peaceful protest')
    expect(await reportCount()).toBe(before)

    await page.getByTestId('import-now').click()
    await page.locator('[data-testid="import-result"][data-dry-run="false"]').waitFor({ timeout: 60_000 })
    expect(await attr('import-result', 'data-added')).toBe('8')
    expect(await reportCount()).toBe(before + 8)
  }, TEST_TIMEOUT)

  test('a UCDP file of 4,000 events runs as a job whose progress only moves forward, and sent again adds nothing', async () => {
    await page.goto(`${suite.url}/incidents/import`)
    await page.getByTestId('import-form').waitFor()
    await page.getByTestId('import-dry-run').uncheck()
    // Every state of the progress bar the page shows, as it shows it.
    await page.evaluate(() => {
      const seen: { done: number; total: string }[] = []
      ;(window as unknown as { __progress: typeof seen }).__progress = seen
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid="import-progress"]')
        if (bar) seen.push({ done: Number(bar.getAttribute('data-done')), total: bar.getAttribute('data-total') ?? '' })
      }).observe(document.body, { subtree: true, childList: true, attributes: true })
    })
    const file = gedFile(4000)
    await pick('ged-4000.csv', file)
    await expect.poll(() => attr('import-file-facts', 'data-guess')).toBe('ucdp')
    await page.getByTestId('import-submit').click()
    await page.locator('[data-testid="import-result"][data-added="4000"]').waitFor({ timeout: 150_000 })
    const seen = await page.evaluate(() => (window as unknown as { __progress: { done: number; total: string }[] }).__progress)
    // The job answers with its total at once, so the bar is drawn at least from 0 of 4,000.
    expect(seen[0]).toEqual({ done: 0, total: '4000' })
    for (const s of seen) {
      expect(s.total).toBe('4000')
      expect(s.done).toBeLessThanOrEqual(4000)
    }
    expect(seen.map((s) => s.done)).toEqual([...seen.map((s) => s.done)].sort((a, b) => a - b))
    expect(await page.getByTestId('import-rows').textContent()).toBe('4000')
    await suite.shoot('report-import-job')

    await page.getByTestId('import-submit').click()
    await page.locator('[data-testid="import-result"][data-already="4000"]').waitFor({ timeout: 150_000 })
    expect(await attr('import-result', 'data-added')).toBe('0')
    expect(await page.getByTestId('import-summary').textContent()).toContain('4000 were imported before')
  }, TEST_TIMEOUT)

  test('reads right to left in Arabic and fits a phone, the problem table scrolling inside its frame', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    try {
      await page.goto(`${suite.url}/incidents/import`)
      await page.getByTestId('import-form').waitFor()
      await page.getByTestId('lang-switch').selectOption('ar')
      await page.waitForFunction(() => document.documentElement.dir === 'rtl')
      expect(await page.locator('h1').textContent()).toBe('استيراد البلاغات')
      suite.browser.expected.push({ status: 400, path: /\/api\/reports\/import/ })
      await pick('incidents.csv', Buffer.from(HXL_INCIDENTS))
      await page.getByTestId('import-skip-invalid').uncheck()
      await page.getByTestId('import-submit').click()
      await page.getByTestId('import-error').waitFor({ timeout: 60_000 })
      // Columns run from the right: the line number's column is the rightmost.
      const [line, problem] = await page.locator('[data-testid="import-problems"] thead th').evaluateAll((ths) => [ths[0]!.getBoundingClientRect().x, ths[2]!.getBoundingClientRect().x])
      expect(line!).toBeGreaterThan(problem!)
      // The readers' English messages keep their own direction.
      expect(await page.locator('[data-testid="import-problem"] td span[dir="ltr"]').first().textContent()).toBe('is empty')
      // Nothing sticks out of the page sideways: what is wider scrolls within its own frame.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true)
      const frame = await page.locator('.import-outcome .table-wrap').boundingBox()
      expect(frame!.x).toBeGreaterThanOrEqual(0)
      expect(frame!.x + frame!.width).toBeLessThanOrEqual(390)
      await suite.shoot('report-import-ar-phone')
    } finally {
      await page.getByTestId('lang-switch').selectOption('en')
      await page.setViewportSize({ width: 1280, height: 900 })
    }
  }, TEST_TIMEOUT)
})
