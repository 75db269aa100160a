// The match tool, the coalition review and the succession claim in Debian's Chromium against a
// real server with the demo: the analyst matches the Russian "Джебхат ан-Нусра" and finds Jabhat
// al-Nusra first, its band in words and the reasons feature by feature; a name looked up for a
// date before it came into use is flagged; a pasted list of three names comes back as a table and
// a CSV; the Arabic UI is right-to-left; a UCDP coalition imported through the API is confirmed on
// the review page (a refusal naming one member shown beside that part) and its umbrella exists;
// and a succession is claimed with the predecessor found by name. Every test fails on a console
// error in the page and on any request to a host other than localhost.
//
//   npx vitest run e2e/actors-match.test.ts
//   TRUCE_E2E_SCREENSHOTS=/tmp/shots npx vitest run e2e/actors-match.test.ts   (also saves screenshots)
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, test } from 'vitest'
import { browserSuite, chromiumAvailable } from './chromium.ts'

const TEST_TIMEOUT = 120_000
const ANALYST = 'analyst@truce.demo'
const hasChromium = chromiumAvailable('e2e/actors-match.test.ts')
const COALITION = 'Ahrar al-Sham, Jaysh al-Islam'

describe.skipIf(!hasChromium)('matching actor names in Chromium', () => {
  const suite = browserSuite({ signIn: ANALYST })
  let page: Page
  beforeAll(() => { page = suite.page })
  const shoot = (name: string) => suite.shoot(name)

  test('a Russian spelling finds Jabhat al-Nusra first, with its band in words and the reasons', async () => {
    await page.goto(`${suite.url}/actors`)
    await page.getByTestId('nav-match').click()
    await page.getByTestId('match-name').fill('Джебхат ан-Нусра')
    await page.getByTestId('match-submit').click()
    await page.getByTestId('match-results').waitFor()
    expect(new URL(page.url()).searchParams.get('name')).toBe('Джебхат ан-Нусра')

    const first = page.getByTestId('match-candidate').first()
    expect(await first.getByTestId('candidate-name').textContent()).toBe('Jabhat al-Nusra')
    const band = first.getByTestId('band')
    expect(await band.getAttribute('data-band')).toMatch(/^(automatic|review)$/)
    // The band is said in words (and drawn as an icon), not only coloured.
    expect(await band.textContent()).toMatch(/^(Automatic match|Needs review)$/)
    expect(await band.locator('svg').count()).toBe(1)
    expect(await first.getByTestId('score').textContent()).toMatch(/^score [01]\.\d\d$/)
    expect(await first.getByTestId('matched-name').getAttribute('data-script')).toBe('Cyrl')
    expect(await first.getByTestId('matched-name').textContent()).toContain('Cyrillic script')

    await first.getByTestId('why').locator('summary').click()
    const features = first.getByTestId('feature')
    await features.first().waitFor()
    const explained = await features.evaluateAll((els) => els.map((e) => [e.getAttribute('data-feature'), e.querySelector('strong')?.textContent]))
    expect(explained.length).toBeGreaterThan(0)
    // Every feature is named in plain words, not by its code.
    for (const [code, words] of explained) expect(words).not.toBe(code)
    expect(await first.getByTestId('feature-detail').first().textContent()).not.toBe('')
    await shoot('match')
  }, TEST_TIMEOUT)

  test('a name used before it came into use is flagged so', async () => {
    // The demo's groups all keep an undated alias, so this one has only a dated name.
    const created = await page.evaluate(async () => {
      const me = await (await fetch('/api/auth/me')).json() as { csrfToken: string }
      const r = await fetch('/api/actors', {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({ type: 'armed_group', displayName: { en: 'Liwa Shuhada Tadmur' }, source: 'browser test', names: [{ kind: 'name', value: 'Liwa Shuhada Tadmur', lang: 'en', validFrom: '2018-01-01' }] }),
      })
      return r.status
    })
    expect(created).toBe(201)
    await page.goto(`${suite.url}/actors/match?name=${encodeURIComponent('Liwa Shuhada Tadmur')}&at=2016-03-15`)
    await page.locator('[data-testid="match-results"][data-at="2016-03-15"]').waitFor()
    expect(await page.getByTestId('match-at').inputValue()).toBe('2016-03-15')
    const first = page.getByTestId('match-candidate').first()
    expect(await first.getByTestId('candidate-name').textContent()).toBe('Liwa Shuhada Tadmur')
    expect(await first.getByTestId('date-flag').getAttribute('data-date-status')).toBe('came_into_use_later')
    expect(await first.getByTestId('date-flag').textContent()).toBe('Came into use later')
  }, TEST_TIMEOUT)

  test('the List tab matches three names at once, as a table and as CSV', async () => {
    await page.getByTestId('match-tab-list').click()
    await page.getByTestId('match-list').fill(['جبهة النصرة', 'Ahrar al-Sham\t2016-03-15', 'Хайят Тахрир аш-Шам'].join('\n'))
    await page.getByTestId('list-submit').click()
    await page.getByTestId('list-table').waitFor()
    const rows = page.getByTestId('list-row')
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(['جبهة النصرة', 'Ahrar al-Sham', 'Хайят Тахрир аш-Шам'])
    expect(await rows.nth(1).locator('td.date').textContent()).toBe('2016-03-15')
    const tops = await rows.evaluateAll((els) => els.map((e) => e.querySelector('[data-testid="list-candidate"] a')?.textContent))
    expect(tops).toEqual(['Jabhat al-Nusra', 'Ahrar al-Sham', "Hay'at Tahrir al-Sham"])
    expect(await rows.first().getByTestId('band').first().textContent()).not.toBe('')

    const href = await page.getByTestId('list-csv').getAttribute('href')
    expect(href).toMatch(/^data:text\/csv/)
    const csv = decodeURIComponent(href!.slice(href!.indexOf(',') + 1))
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(lines[0]).toBe('name,at,rank,actor_id,actor,matched_name,matched_script,score,band,date_status')
    expect(lines.find((l) => l.startsWith('جبهة النصرة,,1,'))).toContain('Jabhat al-Nusra')
    expect(lines.find((l) => l.startsWith('Ahrar al-Sham,2016-03-15,1,'))).toBeDefined()
    await shoot('match-list')
  }, TEST_TIMEOUT)

  test('in Arabic the match tool lays out right-to-left', async () => {
    await page.goto(`${suite.url}/actors/match?name=${encodeURIComponent('جبهة النصرة')}`)
    await page.getByTestId('lang-switch').selectOption('ar')
    await page.waitForFunction(() => document.documentElement.lang === 'ar')
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl')
    expect(await page.locator('h1').textContent()).toBe('مطابقة اسم')
    const band = page.getByTestId('match-candidate').first().getByTestId('band')
    expect(await band.textContent()).toMatch(/^(تطابق تلقائي|يحتاج إلى مراجعة)$/)
    await shoot('match-ar')
    await page.getByTestId('lang-switch').selectOption('en')
    await page.waitForFunction(() => document.documentElement.lang === 'en')
  }, TEST_TIMEOUT)

  test('a UCDP coalition imported through the API is confirmed on the review page and its umbrella exists', async () => {
    await page.goto(`${suite.url}/actors`)
    const imported = await page.evaluate(async (csv) => {
      const me = await (await fetch('/api/auth/me')).json() as { csrfToken: string }
      const r = await fetch('/api/actors/import?format=ucdp', { method: 'POST', headers: { 'content-type': 'text/csv', 'x-csrf-token': me.csrfToken }, body: csv })
      return { status: r.status, body: await r.json() as { candidates: number } }
    }, `id,side_a,side_b\n1,"${COALITION}",Government of Syria\n`)
    expect(imported.status).toBe(201)
    expect(imported.body.candidates).toBe(1)

    await page.getByTestId('nav-candidates').click()
    const card = page.locator(`[data-testid="candidate"][data-raw="${COALITION}"]`)
    await card.getByTestId('candidate-part').first().waitFor()
    expect(await card.getByTestId('candidate-part').evaluateAll((els) => els.map((e) => e.getAttribute('data-part')))).toEqual(['Ahrar al-Sham', 'Jaysh al-Islam'])
    for (const part of ['Ahrar al-Sham', 'Jaysh al-Islam']) {
      const choice = card.locator(`[data-testid="candidate-part"][data-part="${part}"] [data-testid="match-choice"]`).first()
      expect(await choice.textContent()).toContain(part)
      await choice.locator('input').check()
    }
    await card.getByTestId('candidate-source').fill('UCDP GED, browser test')

    // A refusal that names the second member (the server's shape for an actor gone meanwhile) is
    // said beside that part, not above the form.
    const confirmUrl = /\/api\/actor-candidates\/[^/]+\/confirm$/
    suite.browser.expected = [{ status: 400, path: confirmUrl }]
    await page.route(confirmUrl, (route) => route.fulfill({
      status: 400, contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'unknown_actor', message: 'No such actor.', details: [{ path: 'body.members.1.actorId', message: 'no actor you may see has this id' }] }, requestId: 'test' }),
    }), { times: 1 })
    await card.getByTestId('candidate-confirm').click()
    const partError = card.locator('[data-testid="candidate-part"][data-part="Jaysh al-Islam"] [data-testid="part-error"]')
    await partError.waitFor()
    expect(await partError.textContent()).toBe('no actor you may see has this id')
    expect(await card.locator('[data-testid="candidate-part"][data-part="Ahrar al-Sham"] [data-testid="part-error"]').count()).toBe(0)
    await page.unroute(confirmUrl)

    await card.getByTestId('candidate-confirm').click()
    await card.getByTestId('candidate-confirmed').waitFor()
    expect(await card.getByTestId('candidate-confirmed').textContent()).toContain('2 members')
    await shoot('candidates')

    await card.getByTestId('candidate-umbrella').click()
    await page.getByTestId('actor-names').waitFor()
    expect(await page.getByTestId('actor-title').textContent()).toBe(COALITION)
    const umbrellaId = new URL(page.url()).pathname.split('/').pop()!
    const members = await page.evaluate(async (id) => {
      const me = await (await fetch('/api/auth/me')).json() as { partyId: string }
      const view = await (await fetch(`/api/actors/${id}/view?viewpoint=party:${me.partyId}`)).json() as { members: unknown[] }
      return view.members.length
    }, umbrellaId)
    expect(members).toBe(2)

    // Decided: it no longer waits for review.
    await page.goto(`${suite.url}/actors/candidates`)
    await page.locator('[data-testid="candidates"], [data-testid="candidates-empty"]').first().waitFor()
    expect(await page.locator(`[data-testid="candidate"][data-raw="${COALITION}"]`).count()).toBe(0)
  }, TEST_TIMEOUT)

  test('a succession is claimed with the predecessor found by name in another script', async () => {
    await page.goto(`${suite.url}/actors?q=${encodeURIComponent('Tahrir al-Sham')}`)
    await page.getByTestId('actor-row').first().locator('a').click()
    await page.getByTestId('claim-form').waitFor()
    await page.getByTestId('claim-fact').selectOption('succession')
    expect(await page.getByTestId('claim-kind').inputValue()).toBe('rename')
    await page.getByTestId('claim-predecessorId-name').fill('Джебхат Фатх аш-Шам')
    await page.getByTestId('claim-predecessorId-name').press('Enter')
    const choice = page.locator('[data-testid="claim-predecessorId-choices"] [data-testid="match-choice"]').first()
    expect(await choice.textContent()).toContain('Jabhat Fateh al-Sham')
    await choice.locator('input').check()
    await page.getByTestId('claim-kind').selectOption('merger')
    await page.getByTestId('claim-date').fill('2017-01-28')
    await page.getByTestId('claim-source').fill('browser test')
    await page.getByTestId('claim-submit').click()
    await page.getByTestId('claim-saved').waitFor()
    await page.locator('[data-testid="claim"][data-fact="succession"]').first().waitFor()
  }, TEST_TIMEOUT)
})
