// The incidents pages in Debian's Chromium against a real server with the demo, signed in as the
// task force's analyst: two reports of one shelling, posted through the API, are one incident;
// the list filtered by date and words (the filters kept in the address) shows it with both
// reports, and so does a click on its point on the map of the report tiles; the incident shows
// both reports with their sources and grades; the analyst splits one off and lands on the new
// incident, which holds only that report and says where it came from; a verification transition
// moves it under review with its reason on the timeline; an allegation sends the accused party a
// request for information, which it answers, and a finding becomes joint when a monitor of another
// party concurs; the statistics count both incidents of that day; another incident merged into
// the first says where it went, and its finding shows on the first with where it was filed; and
// the list reads right to left in Arabic. Every test fails on a console error and on any request
// off localhost.
//
//   npx vitest run e2e/incidents.test.ts
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, test } from 'vitest'
import { apiSession, browserSuite, chromiumAvailable, signInAs } from './chromium.ts'

const TEST_TIMEOUT = 120_000
const ANALYST = 'analyst@truce.demo'
const RU = 'coordinator.ru@truce.demo'
const MONITOR = 'monitor@truce.demo'
const RUN = Date.now().toString(36)
const WORD = `bridgehead${RUN}`
// A day and a place no demo report has: the incident is the test's own.
const DAY = '2016-06-18'
const LATER = '2016-06-20'
const LON = 36.721
const LAT = 35.342
const hasChromium = chromiumAvailable('e2e/incidents.test.ts')

type Report = { id: string; seq: number; incidentId: string | null }
type Incident = { id: string; seq: number; state: string; mergedInto: string | null; reports: { id: string }[] }


const report = (hour: number, source: { kind: string; reliability: string; name: string }, description: string) => ({
  occurredAt: `${DAY}T${String(hour).padStart(2, '0')}:15:00Z`, datePrecision: 1,
  where: { kind: 'point', lon: LON + hour * 0.0005, lat: LAT, precision: 1, placeName: `Tell ${RUN}` },
  category: 'shelling', perpetrator: 'Jaysh al-Islam',
  casualties: { civiliansKilled: { low: 1, best: 2, high: 3 } },
  description, sources: [source],
})

describe.skipIf(!hasChromium)('the incidents pages in Chromium', () => {
  const suite = browserSuite({ signIn: ANALYST })
  let page: Page
  let first: Report
  let second: Report
  let incidentId = ''
  let splitId = ''
  let third: Report

  beforeAll(async () => {
    page = suite.page
    const api = await apiSession(suite.url, ANALYST)
    first = await api.post<Report>('/api/reports', report(9, { kind: 'monitor_observation', reliability: 'A', name: 'Patrol 7' },
      `Mortar rounds hit the ${WORD} near the mill; two houses damaged`))
    second = await api.post<Report>('/api/reports', report(10, { kind: 'media', reliability: 'C', name: 'Local radio' },
      `Shelling of the ${WORD} by the mill this morning, houses damaged`))
    // The clustering put them together as they were written.
    const [a, b] = await Promise.all([api.get<Report>(`/api/reports/${first.id}`), api.get<Report>(`/api/reports/${second.id}`)])
    expect(a.incidentId).not.toBeNull()
    expect(b.incidentId).toBe(a.incidentId)
    incidentId = a.incidentId!
    // Another event two days later and some 50 km off: an incident of its own, for the merge.
    third = await api.post<Report>('/api/reports', {
      ...report(12, { kind: 'party_allegation', reliability: 'D', name: 'Press office' }, `Airstrike reported on the ${WORD} road`),
      occurredAt: `${LATER}T12:00:00Z`, category: 'airstrike', where: { kind: 'point', lon: LON + 0.5, lat: LAT + 0.2, precision: 1 },
    })
    expect((await api.get<Report>(`/api/reports/${third.id}`)).incidentId).not.toBe(incidentId)
  }, TEST_TIMEOUT)

  test('the list, filtered by date and words, shows the incident with both reports; the filters stay in the address', async () => {
    await page.goto(`${suite.url}/agreements`)
    await page.getByTestId('nav-incidents').click()
    await page.getByTestId('incidents-filters').waitFor()
    await page.getByTestId('incidents-from').fill(DAY)
    await page.getByTestId('incidents-to').fill(DAY)
    await page.getByTestId('incidents-q').fill(WORD)
    await page.getByTestId('incidents-apply').click()
    await page.waitForURL((u) => u.searchParams.get('q') === WORD && u.searchParams.get('from') === DAY && u.searchParams.get('to') === DAY)
    const row = page.locator(`[data-testid="incident-row"][data-incident="${incidentId}"]`)
    await row.waitFor()
    expect(await page.getByTestId('incident-row').count()).toBe(1)
    expect(await row.getByTestId('incident-report-count').getAttribute('data-count')).toBe('2')

    // Another category leaves nothing; the shared address brings the same view back.
    await page.getByTestId('incidents-category').selectOption('airstrike')
    await page.getByTestId('incidents-empty').waitFor()
    expect(new URL(page.url()).searchParams.get('category')).toBe('airstrike')
    await page.goto(`${suite.url}/incidents?from=${DAY}&to=${DAY}&q=${WORD}&category=shelling`)
    await row.waitFor()
    expect(await page.getByTestId('incidents-q').inputValue()).toBe(WORD)
    expect(await page.getByTestId('incidents-category').inputValue()).toBe('shelling')
  }, TEST_TIMEOUT)

  test('a click on the incident\'s point on the map of reports opens it', async () => {
    await page.goto(`${suite.url}/incidents?from=${DAY}&to=${DAY}&q=${WORD}`)
    await page.waitForFunction(() => window.__truceMap?.loaded() === true, undefined, { timeout: 60_000 })
    await page.evaluate(([lon, lat]) => { window.__truceMap!.jumpTo({ center: [lon!, lat!], zoom: 9 }) }, [LON, LAT])
    // The tiles of that day hold the test's two reports (and nothing else there): wait until the map
    // has settled at the new view and draws one of them as a point under the pixel to be clicked
    // (a count read before the jump settles would be of the old view, and the click would miss).
    const seqs = [first.seq, second.seq]
    await page.waitForFunction(([lon, lat, ...ids]) => {
      const map = window.__truceMap
      if (!map || map.isMoving() || !map.loaded() || map.getZoom() < 8.9) return false
      const drawn = map.queryRenderedFeatures(map.project([lon!, lat!]), { layers: ['incident-report-points'] })
      return drawn.some((f) => ids.includes(Number(f.id)))
    }, [LON + 9 * 0.0005, LAT, ...seqs], { timeout: 60_000 })
    await suite.shoot('incidents-list')
    const at = await page.evaluate(([lon, lat]) => {
      const map = window.__truceMap!
      const p = map.project([lon!, lat!])
      const box = map.getCanvas().getBoundingClientRect()
      return { x: box.left + p.x, y: box.top + p.y }
    }, [LON + 9 * 0.0005, LAT])
    await page.mouse.click(at.x, at.y)
    await page.waitForURL(`${suite.url}/incidents/${incidentId}`)
    await page.locator(`[data-testid="incident-page"][data-incident="${incidentId}"]`).waitFor()
    await page.getByTestId('verification').waitFor()
    // Its small map is centred on it.
    await page.waitForFunction(() => window.__truceMap?.loaded() === true && window.__truceMap.getZoom() >= 7, undefined, { timeout: 60_000 })
    const center = await page.evaluate(() => window.__truceMap!.getCenter().toArray())
    expect(center[0]).toBeCloseTo(LON, 1)
    expect(center[1]).toBeCloseTo(LAT, 1)
    await suite.shoot('incident')
  }, TEST_TIMEOUT)

  test('the incident shows both reports with their sources and grades; the analyst splits one off into a new incident', async () => {
    await page.goto(`${suite.url}/incidents?from=${DAY}&to=${DAY}&q=${WORD}`)
    await page.locator(`[data-testid="incident-row"][data-incident="${incidentId}"] [data-testid="incident-link"]`).click()
    await page.locator(`[data-testid="incident-page"][data-incident="${incidentId}"]`).waitFor()
    const reports = page.getByTestId('incident-report')
    await expect.poll(() => reports.count()).toBe(2)
    expect(await page.locator(`[data-testid="incident-report"][data-report="${first.id}"] [data-kind="monitor_observation"]`).getAttribute('data-reliability')).toBe('A')
    expect(await page.locator(`[data-testid="incident-report"][data-report="${second.id}"] [data-kind="media"]`).getAttribute('data-reliability')).toBe('C')
    expect(await page.getByTestId('incident-casualties').textContent()).toContain('1–3')
    expect(await page.locator('[data-testid="timeline-entry"][data-kind="history-assigned"]').count()).toBeGreaterThanOrEqual(1)

    await page.getByTestId('split-start').click()
    await page.locator(`[data-testid="incident-report"][data-report="${second.id}"] [data-testid="split-report"]`).check()
    await page.getByTestId('split-note').fill('The radio report describes the shelling of the other bank')
    await page.getByTestId('split-submit').click()
    await page.waitForURL((u) => u.pathname.startsWith('/incidents/') && !u.pathname.endsWith(incidentId))
    splitId = new URL(page.url()).pathname.split('/').pop()!
    const shown = page.locator(`[data-testid="incident-page"][data-incident="${splitId}"]`)
    await shown.waitFor()
    await expect.poll(() => page.getByTestId('incident-report').count()).toBe(1)
    expect(await page.getByTestId('incident-report').getAttribute('data-report')).toBe(second.id)
    await page.locator('[data-testid="timeline-entry"][data-kind="history-split"]').waitFor()

    // The server agrees: two incidents now, one report each.
    const api = await apiSession(suite.url, ANALYST)
    const [kept, made] = await Promise.all([api.get<Incident>(`/api/incidents/${incidentId}`), api.get<Incident>(`/api/incidents/${splitId}`)])
    expect(kept.reports.map((r) => r.id)).toEqual([first.id])
    expect(made.reports.map((r) => r.id)).toEqual([second.id])
  }, TEST_TIMEOUT)

  test('the analyst moves the incident under review, the reason on its timeline', async () => {
    expect(splitId).not.toBe('')
    await page.goto(`${suite.url}/incidents/${incidentId}`)
    const form = page.getByTestId('transition-form')
    await form.waitFor()
    await page.getByTestId('transition-to').selectOption('under_review')
    const reason = `Two sources to compare (${RUN})`
    await page.getByTestId('transition-reason').fill(reason)
    await page.getByTestId('transition-submit').click()
    await page.locator('[data-testid="verification"][data-state="under_review"]').waitFor()
    const entry = page.locator('[data-testid="timeline-entry"][data-kind="transition"]')
    await entry.waitFor()
    expect(await entry.textContent()).toContain(reason)
    expect(await page.locator('.page-head [data-testid="incident-state"]').getAttribute('data-state')).toBe('under_review')
    // The list's state filter finds it there.
    await page.goto(`${suite.url}/incidents?from=${DAY}&to=${DAY}&state=under_review`)
    await page.locator(`[data-testid="incident-row"][data-incident="${incidentId}"]`).waitFor()
    expect(await page.getByTestId('incident-row').count()).toBe(1)
  }, TEST_TIMEOUT)

  /** Signs out, then in as someone else, in English whatever their own language. */
  const switchUser = async (email: string) => {
    await page.goto(`${suite.url}/agreements`)
    await page.getByTestId('logout').click()
    await page.getByTestId('sign-in').waitFor()
    await signInAs(page, suite.url, email)
    await page.getByTestId('lang-switch').selectOption('en')
  }

  test('an allegation asks the accused party for information, which it answers; a finding is made joint by another party\'s concurrence', async () => {
    expect(splitId).not.toBe('')
    const timeline = (kind: string) => page.locator(`[data-testid="timeline-entry"][data-kind="${kind}"]`)
    // The analyst (the UN envoy's office) alleges a violation by the Russian Federation, and records its finding.
    await page.goto(`${suite.url}/incidents/${splitId}`)
    await page.getByTestId('allegation-form').waitFor()
    const ru = await page.getByTestId('allegation-accused').locator('option', { hasText: 'Russian Federation' }).getAttribute('value')
    await page.getByTestId('allegation-accused').selectOption(ru!)
    const allegation = `Shells came from the positions north of the mill (${RUN})`
    await page.getByTestId('allegation-text').fill(allegation)
    await page.getByTestId('allegation-submit').click()
    await timeline('allegation').waitFor()
    expect(await timeline('allegation').textContent()).toContain(allegation)
    expect(await timeline('request').locator('[data-answered="false"]').count()).toBe(1)

    await page.getByTestId('finding-conclusion').selectOption('violation')
    await page.getByTestId('finding-confidence-probable').check()
    const finding = `Crater analysis points north (${RUN})`
    await page.getByTestId('finding-text').fill(finding)
    await page.getByTestId('finding-submit').click()
    await timeline('finding').waitFor()
    expect(await timeline('finding').locator('[data-joint="false"]').textContent()).toContain('Probable')

    // The accused party sees the request addressed to it, and answers.
    await switchUser(RU)
    await page.goto(`${suite.url}/incidents/${splitId}`)
    const answer = page.getByTestId('response-form')
    await answer.waitFor()
    const reply = `No unit of ours fired that day (${RUN})`
    await answer.getByTestId('response-text').fill(reply)
    await answer.getByTestId('response-submit').click()
    await timeline('response').waitFor()
    expect(await timeline('response').textContent()).toContain(reply)
    expect(await timeline('request').locator('[data-answered="true"]').count()).toBe(1)
    // The party may add to its answer later (the server keeps every one): the form stays, emptied.
    expect(await answer.getByTestId('response-text').inputValue()).toBe('')

    // A monitor of another party concurs: the finding is joint.
    await switchUser(MONITOR)
    await page.goto(`${suite.url}/incidents/${splitId}`)
    await page.getByTestId('concur-submit').click()
    await timeline('finding').locator('[data-joint="true"]').waitFor()
    await page.getByTestId('concur-form').waitFor({ state: 'detached' })

    await switchUser(ANALYST)
  }, TEST_TIMEOUT)

  test('the statistics count the day\'s two incidents, by category and by state, with CSV and HXL links', async () => {
    await page.goto(`${suite.url}/incidents`)
    await page.getByTestId('incidents-stats-link').click()
    await page.getByTestId('stats-filters').waitFor()
    await page.getByTestId('stats-from').fill(DAY)
    await page.getByTestId('stats-to').fill(DAY)
    await page.getByTestId('stats-interval').selectOption('day')
    await page.locator(`[data-testid="stats-bar"][data-start="${DAY}"]`).waitFor()
    expect(await page.getByTestId('stats-total').getAttribute('data-total')).toBe('2')
    expect(await page.locator(`[data-testid="stats-bar"][data-start="${DAY}"]`).getAttribute('data-total')).toBe('2')
    expect(await page.locator('[data-testid="stats-group"][data-key="shelling"]').getAttribute('data-total')).toBe('2')
    expect(new URL(page.url()).searchParams.get('interval')).toBe('day')
    await suite.shoot('incident-stats')

    await page.getByTestId('stats-by').selectOption('state')
    await page.locator('[data-testid="stats-group"][data-key="under_review"]').waitFor()
    expect(await page.locator('[data-testid="stats-group"][data-key="under_review"]').getAttribute('data-total')).toBe('1')
    expect(await page.locator('[data-testid="stats-group"][data-key="reported"]').getAttribute('data-total')).toBe('1')

    const csv = await page.getByTestId('stats-export-csv').getAttribute('href')
    const hxl = await page.getByTestId('stats-export-hxl').getAttribute('href')
    expect(csv).toContain('format=csv')
    expect(hxl).toContain('format=hxl')
    const body = await page.evaluate(async (href) => { const r = await fetch(href); return { status: r.status, text: await r.text() } }, hxl!)
    expect(body.status).toBe(200)
    expect(body.text).toContain('#')
  }, TEST_TIMEOUT)

  test('the analyst merges another incident into this one, and the merged one says where it went', async () => {
    const api = await apiSession(suite.url, ANALYST)
    const thirdIncident = (await api.get<Report>(`/api/reports/${third.id}`)).incidentId!
    // A finding on the incident about to be merged: the incident it goes into shows it, and where it was filed.
    const finding = await api.post<{ id: string }>(`/api/incidents/${thirdIncident}/findings`, { conclusion: 'inconclusive', confidence: 'plausible', text: `Finding on the ${WORD} road`, visibility: 'parties' })
    await page.goto(`${suite.url}/incidents/${incidentId}`)
    const panel = page.getByTestId('merge-panel')
    await panel.waitFor()
    await page.getByTestId('merge-q').fill(WORD)
    await page.getByTestId('merge-search').click()
    // The incident itself is not offered; the other two with the word are.
    await page.getByTestId('merge-candidates').waitFor()
    expect(await page.locator(`[data-testid="merge-candidate"][data-incident="${incidentId}"]`).count()).toBe(0)
    await page.locator(`[data-testid="merge-candidate"][data-incident="${thirdIncident}"]`).check()
    await page.getByTestId('merge-note').fill('The same strike, reported two days late')
    await page.getByTestId('merge-submit').click()
    await page.locator(`[data-testid="incident-report"][data-report="${third.id}"]`).waitFor()
    expect(await page.getByTestId('incident-report').count()).toBe(2)
    await page.locator('[data-testid="timeline-entry"][data-kind="history-merged"]').waitFor()
    await page.locator(`[data-testid="timeline-entry"][data-kind="finding"] [data-finding="${finding.id}"] [data-filed-on="${thirdIncident}"]`).waitFor()

    await page.goto(`${suite.url}/incidents/${thirdIncident}`)
    await page.getByTestId('incident-merged').waitFor()
    await page.getByTestId('incident-merged-link').click()
    await page.waitForURL(`${suite.url}/incidents/${incidentId}`)
    await page.locator(`[data-testid="incident-page"][data-incident="${incidentId}"]`).waitFor()
  }, TEST_TIMEOUT)

  test('in Arabic the list reads right to left', async () => {
    await page.goto(`${suite.url}/incidents?from=${DAY}&to=${DAY}&q=${WORD}`)
    await page.getByTestId('lang-switch').selectOption('ar')
    try {
      await page.waitForFunction(() => document.documentElement.dir === 'rtl')
      expect(await page.locator('#incidents-title').textContent()).toBe('الحوادث')
      await page.locator(`[data-testid="incident-row"][data-incident="${incidentId}"]`).waitFor()
    } finally {
      await page.getByTestId('lang-switch').selectOption('en')
    }
  }, TEST_TIMEOUT)
})
