// Possible duplicates on the actor page in Debian's Chromium against a real server with the demo:
// three actors registered through the API as the analyst ("Liwa al-Test", its duplicate "Liwa al
// Test", and "Liwa al-Tests"); on the first one's page both come up as possible duplicates; "Not
// the same" on the third removes it and lists the judgement with its note; a merge another analyst
// has just blocked is refused in plain words; "Merge that one into this" merges the duplicate, whose
// page then says where it went and offers no duplicate tools; and a name split off into a new actor
// lands on that actor's page. Every test fails on a console error in the page and on any request
// to a host other than localhost.
//
//   npx vitest run e2e/actors-duplicates.test.ts
//   TRUCE_E2E_SCREENSHOTS=/tmp/shots npx vitest run e2e/actors-duplicates.test.ts   (also saves screenshots)
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, test } from 'vitest'
import { browserSuite, chromiumAvailable } from './chromium.ts'

const TEST_TIMEOUT = 120_000
const ANALYST = 'analyst@truce.demo'
const hasChromium = chromiumAvailable('e2e/actors-duplicates.test.ts')

/** Registers an actor through the API as the signed-in user; answers its id. */
async function createActor(page: Page, names: string[]): Promise<string> {
  const created = await page.evaluate(async (values) => {
    const me = await (await fetch('/api/auth/me')).json() as { csrfToken: string }
    const r = await fetch('/api/actors', {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
      body: JSON.stringify({ type: 'armed_group', displayName: { en: values[0] }, source: 'browser test', names: values.map((value) => ({ kind: 'name', value, lang: 'en' })) }),
    })
    return { status: r.status, body: await r.json() as { id: string } }
  }, names)
  expect(created.status).toBe(201)
  return created.body.id
}

describe.skipIf(!hasChromium)('possible duplicates on the actor page in Chromium', () => {
  const suite = browserSuite({ signIn: ANALYST })
  let page: Page
  const ids = { test: '', space: '', tests: '' }
  beforeAll(async () => {
    page = suite.page
    await page.goto(`${suite.url}/actors`)
    ids.test = await createActor(page, ['Liwa al-Test'])
    ids.space = await createActor(page, ['Liwa al Test'])
    ids.tests = await createActor(page, ['Liwa al-Tests'])
  })
  const shoot = (name: string) => suite.shoot(name)
  /** Waits until the duplicates asked for again (after a judgement or a merge) have come back. */
  const settled = () => page.locator('[data-testid="duplicates"][aria-busy="false"]').waitFor()
  const candidate = (id: string) => page.locator(`[data-testid="duplicate"][data-actor="${id}"]`)

  test('the duplicate and the near name come up; "Not the same" removes one and lists the judgement', async () => {
    await page.goto(`${suite.url}/actors/${ids.test}`)
    await page.getByTestId('duplicate-list').waitFor()
    await candidate(ids.space).waitFor()
    await candidate(ids.tests).waitFor()
    expect(await candidate(ids.space).getByTestId('duplicate-name').textContent()).toBe('Liwa al Test')
    expect(await candidate(ids.space).getByTestId('band').textContent()).toMatch(/^(Automatic match|Needs review|Possible match)$/)
    expect(await candidate(ids.space).getByTestId('duplicate-score').textContent()).toMatch(/^score [01]\.\d\d$/)
    // The actor itself is never its own duplicate, and the closer name ranks above the other.
    expect(await page.locator(`[data-testid="duplicate"][data-actor="${ids.test}"]`).count()).toBe(0)
    const order = await page.getByTestId('duplicate').evaluateAll((els) => els.map((e) => e.getAttribute('data-actor')))
    expect(order.indexOf(ids.space)).toBeLessThan(order.indexOf(ids.tests))
    expect(await page.getByTestId('judgements-none').count()).toBe(1)
    await shoot('duplicates')

    await candidate(ids.tests).getByTestId('duplicate-not-same').click()
    const dialog = page.getByTestId('duplicate-dialog')
    await dialog.waitFor()
    expect(await dialog.getByTestId('dialog-question').textContent()).toContain('“Liwa al-Tests” and “Liwa al-Test” are not the same actor')
    await dialog.getByTestId('judgement-note').fill('Different brigade, different town')
    await dialog.getByTestId('dialog-confirm').click()

    const judgement = page.locator(`[data-testid="judgement"][data-other="${ids.tests}"]`)
    await judgement.waitFor()
    expect(await dialog.count()).toBe(0)
    await settled()
    expect(await candidate(ids.tests).count()).toBe(0)
    expect(await judgement.getAttribute('data-verdict')).toBe('not_same')
    expect(await judgement.getByTestId('judgement-verdict').textContent()).toBe('Not the same as')
    expect(await judgement.getByTestId('judgement-other').textContent()).toBe('Liwa al-Tests')
    expect(await judgement.getByTestId('judgement-other').getAttribute('href')).toBe(`/actors/${ids.tests}`)
    expect(await judgement.getByTestId('judgement-by').textContent()).toMatch(/^Judged by .+, .+/)
    expect(await judgement.getByTestId('judgement-note-text').textContent()).toBe('Different brigade, different town')
    // The duplicate not judged stays on offer.
    expect(await candidate(ids.space).count()).toBe(1)
  }, TEST_TIMEOUT)

  test('a merge blocked meanwhile by a "not the same" is refused in plain words', async () => {
    const other = await createActor(page, ['Liwa al-Testa'])
    await page.reload()
    await candidate(other).waitFor()
    // Another analyst judges the two not the same while this page still offers the merge.
    const judged = await page.evaluate(async ([a, b]) => {
      const me = await (await fetch('/api/auth/me')).json() as { csrfToken: string }
      const r = await fetch('/api/actor-judgements', {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({ actorA: a, actorB: b, verdict: 'not_same', note: 'judged elsewhere' }),
      })
      return r.status
    }, [ids.test, other])
    expect(judged).toBe(201)

    suite.browser.expected = [{ status: 409, path: /\/api\/actors\/[^/]+\/merge$/ }]
    await candidate(other).getByTestId('duplicate-merge-in').click()
    const dialog = page.getByTestId('duplicate-dialog')
    await dialog.getByTestId('dialog-confirm').click()
    const error = dialog.getByTestId('dialog-error')
    await error.waitFor()
    expect(await error.getAttribute('data-error-code')).toBe('judged_not_same')
    expect(await error.textContent()).toBe('These two cannot be merged: an analyst has judged them not the same actor.')
    expect(await dialog.getByTestId('dialog-confirm').isDisabled()).toBe(true)
    await dialog.getByTestId('dialog-cancel').click()
    await dialog.waitFor({ state: 'detached' })
  }, TEST_TIMEOUT)

  test('"Merge that one into this" merges the duplicate, whose page then says where it went', async () => {
    await page.goto(`${suite.url}/actors/${ids.test}`)
    await candidate(ids.space).getByTestId('duplicate-merge-in').click()
    const dialog = page.getByTestId('duplicate-dialog')
    expect(await dialog.getByTestId('dialog-question').textContent()).toContain('Merge “Liwa al Test” into “Liwa al-Test”?')
    await dialog.getByTestId('dialog-confirm').click()
    await dialog.waitFor({ state: 'detached' })
    await settled()
    expect(await candidate(ids.space).count()).toBe(0)
    // This actor was the one kept: no banner here.
    expect(await page.getByTestId('merged-banner').count()).toBe(0)

    await page.goto(`${suite.url}/actors/${ids.space}`)
    const banner = page.getByTestId('merged-banner')
    await banner.waitFor()
    await expect.poll(() => banner.getByTestId('merged-into').textContent()).toBe('Liwa al-Test')
    expect(await banner.textContent()).toContain('Merged into Liwa al-Test')
    expect(await banner.getByTestId('merged-into').getAttribute('href')).toBe(`/actors/${ids.test}`)
    // A merged actor is history: no duplicate tools, no split.
    expect(await page.getByTestId('duplicates').count()).toBe(0)
    expect(await page.getByTestId('split-form').count()).toBe(0)
    await shoot('merged')

    await banner.getByTestId('merged-into').click()
    await page.locator(`[data-testid="actor"][data-actor="${ids.test}"]`).waitFor()
  }, TEST_TIMEOUT)

  test('a name split off into a new actor lands on the new actor’s page', async () => {
    const id = await createActor(page, ['Liwa Ahfad al-Test', 'Katibat al-Test'])
    await page.goto(`${suite.url}/actors/${id}`)
    const form = page.getByTestId('split-form')
    await form.waitFor()
    expect(await form.getByTestId('split-submit').isDisabled()).toBe(true)
    await form.locator('[data-testid="split-name"]', { hasText: 'Katibat al-Test' }).locator('input').check()
    await form.getByTestId('split-displayName').fill('Katibat al-Test')
    await form.getByTestId('split-source').fill('browser test')
    await form.getByTestId('split-submit').click()
    await page.waitForURL((url) => url.pathname.startsWith('/actors/') && !url.pathname.endsWith(id))
    await expect.poll(() => page.getByTestId('actor-title').textContent()).toBe('Katibat al-Test')
    expect(await page.getByTestId('actor-name').evaluateAll((els) => els.map((e) => e.querySelector('bdi')?.textContent))).toEqual(['Katibat al-Test'])
    await page.locator('[data-testid="claim"][data-fact="succession"]').first().waitFor()
  }, TEST_TIMEOUT)
})
