// The armed-actor registry in Debian's Chromium against a real server with the demo: the analyst
// opens "Who is in, who is out" from the Syria CoH, picks 15 March 2016 and sees the co-chairs
// disagree about Ahrar al-Sham (the US counts it as joined, Russia as excluded through Jaysh
// al-Fatah and Jabhat al-Nusra), with the claims behind the cell; opens Jabhat al-Nusra and finds
// its Arabic and Russian names; adds a claim with a bad date and sees the error by the field;
// and switches to Arabic, which lays the page out right-to-left. Every test fails on a console
// error in the page and on any request to a host other than localhost.
//
//   npx vitest run e2e/actors.test.ts
//   TRUCE_E2E_SCREENSHOTS=/tmp/shots npx vitest run e2e/actors.test.ts   (also saves screenshots)
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, test } from 'vitest'
import { browserSuite, chromiumAvailable } from './chromium.ts'

const TEST_TIMEOUT = 120_000
const ANALYST = 'analyst@truce.demo'
const hasChromium = chromiumAvailable('e2e/actors.test.ts')

describe.skipIf(!hasChromium)('the actor registry in Chromium', () => {
  const suite = browserSuite({ signIn: ANALYST })
  let page: Page
  beforeAll(() => { page = suite.page })
  const shoot = (name: string) => suite.shoot(name)

  const row = (name: string) => page.locator(`[data-testid="dl-row"][data-name="${name}"]`)

  test('the delineation of the Syria CoH on 2016-03-15 puts the disagreements first, with the claims behind each cell', async () => {
    await page.goto(`${suite.url}/agreements/syria-coh-2016`)
    await page.getByTestId('delineation-link').click()
    await page.getByTestId('dl-table').waitFor()
    await page.getByTestId('dl-at').fill('2016-03-15')
    await page.locator('[data-testid="dl-table"][data-at="2016-03-15"]').waitFor()
    expect(new URL(page.url()).search).toBe('?at=2016-03-15')

    const flags = await page.getByTestId('dl-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-disagreement')))
    expect(flags.indexOf('no')).toBeGreaterThan(flags.lastIndexOf('yes'))
    expect(await row('Ahrar al-Sham').getAttribute('data-disagreement')).toBe('yes')
    expect(await row('Jabhat al-Nusra').getAttribute('data-disagreement')).toBe('no')
    await expect.poll(() => row('Ahrar al-Sham').getByTestId('dl-flag').textContent()).toContain('Viewpoints disagree')

    // Column headers are the guarantors by name, their consensus and the UN list.
    const headers = await page.locator('[data-testid="dl-table"] thead th').allTextContents()
    expect(headers).toEqual(expect.arrayContaining(['United States of America', 'Russian Federation', 'Consensus of the guarantors', 'List of UNSC-1267']))
    const statuses = await row('Ahrar al-Sham').getByTestId('dl-cell').evaluateAll((cells) => cells.map((c) => [c.getAttribute('data-status'), c.querySelector('.dl-status')?.textContent?.trim()]))
    expect(statuses).toEqual(expect.arrayContaining([['joined', 'Joined'], ['excluded', 'Excluded']]))

    // Russia's cell: excluded as a member of Jaysh al-Fatah, which Russia holds to be Nusra-led.
    const ru = row('Ahrar al-Sham').locator('[data-testid="dl-cell"][data-status="excluded"]')
    await ru.locator('summary').click()
    await ru.getByTestId('cell-claims').waitFor()
    expect(await ru.getByTestId('cell-reason').first().textContent()).toContain('Member of a designated group: Jaysh al-Fatah → Jabhat al-Nusra')
    const claims = ru.getByTestId('claim')
    expect(await claims.count()).toBe(3)
    expect(await ru.getByTestId('claim-party').allTextContents()).toContain('Claimed by Russian Federation')
    expect(await ru.locator('[data-testid="claim"][data-fact="designation"]').textContent()).toContain('QDe.137')
    expect(await ru.getByTestId('claim-verify').first().getAttribute('href')).toMatch(/^\/log\?submission=[0-9a-f-]{36}$/)
    expect(await ru.getByTestId('claim-actor-link').first().getAttribute('href')).toMatch(/^\/actors\/[0-9a-f-]{36}$/)
    expect(await page.getByTestId('dl-csv').getAttribute('href')).toContain('at=2016-03-15&format=csv')
    await shoot('delineation')
  }, TEST_TIMEOUT)

  test('an actor page shows the names in Arabic and Russian script, the timeline and a withdrawn claim', async () => {
    await page.goto(`${suite.url}/actors?q=${encodeURIComponent('Нусра')}`)
    await page.getByTestId('actor-row').first().locator('a').click()
    await page.getByTestId('actor-names').waitFor()
    expect(await page.getByTestId('actor-title').textContent()).toBe('Jabhat al-Nusra')
    const names = await page.getByTestId('actor-name').evaluateAll((els) => els.map((e) => [e.getAttribute('data-script'), e.querySelector('bdi')?.textContent]))
    expect(names).toEqual(expect.arrayContaining([['Arab', 'جبهة النصرة'], ['Cyrl', 'Джебхат ан-Нусра'], ['Latn', 'Jabhat al-Nusra']]))
    expect(await page.locator('[data-testid="timeline"] [data-fact="designation"]').count()).toBe(3)
    await page.getByTestId('view-at').fill('2016-03-15')
    await page.getByTestId('view-designation').first().waitFor()
    expect(await page.getByTestId('view-designation').first().textContent()).toContain('QDe.137')

    await page.goto(`${suite.url}/actors?q=Ahrar`)
    await page.getByTestId('actor-row').first().locator('a').click()
    const withdrawn = page.locator('[data-testid="claim"][data-retracted="yes"]')
    await withdrawn.waitFor()
    expect(await withdrawn.locator('s').count()).toBe(1)
    expect(await withdrawn.getByTestId('claim-retraction').textContent()).toContain('had not confirmed acceptance')
    await shoot('actor')
  }, TEST_TIMEOUT)

  test('a claim with an inverted interval is refused, the reason beside the field', async () => {
    suite.browser.expected = [{ status: 400, path: /\/api\/actors\/[^/]+\/claims$/ }]
    await page.getByTestId('claim-fact').selectOption('designation')
    await page.getByTestId('claim-authority').fill('UNSC-1267')
    await page.getByTestId('claim-reference').fill('QDe.999')
    await page.getByTestId('claim-listedOn').fill('2016-05-01')
    await page.getByTestId('claim-delistedOn').fill('2016-01-01')
    await page.getByTestId('claim-source').fill('browser test')
    await page.getByTestId('claim-submit').click()
    const error = page.locator('[data-field="delistedOn"] [data-testid="field-error"]')
    await error.waitFor()
    expect(await error.textContent()).toContain('must not be before')
  }, TEST_TIMEOUT)

  test('in Arabic the registry lays out right-to-left', async () => {
    await page.getByTestId('lang-switch').selectOption('ar')
    await page.waitForFunction(() => document.documentElement.lang === 'ar')
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl')
    expect(await page.getByTestId('nav-actors').textContent()).toBe('الجهات المسلحة')
    await page.goto(`${suite.url}/agreements/syria-coh-2016/delineation?at=2016-03-15`)
    await page.getByTestId('dl-table').waitFor()
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl')
    expect(await page.locator('h1').textContent()).toBe('مَن في الهدنة ومَن خارجها')
    expect(await row('Ahrar al-Sham').locator('[data-status="excluded"]').first().textContent()).toContain('مستثناة')
    await shoot('delineation-ar')
    await page.getByTestId('lang-switch').selectOption('en')
  }, TEST_TIMEOUT)
})
