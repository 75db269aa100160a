// Incident statistics through the API on both databases, on a small known set made by POST
// /api/reports in 2019 (far from the demo's years): weekly and daily counts, totals by category,
// alleged party, zone and state, each incident counted once however many reports it has, hidden
// reports not counted, before/after an agreement's effective date with the trend, the CSV and
// HXL exports, merged incidents counted once, and bad queries refused naming the parameter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO, anonymous, makeTestApp, signIn, type Session, type TestApp } from '../../../test/helpers/app.ts'
import { dialects } from '../../../test/helpers/db.ts'

type Stats = {
  from: string; to: string; total: number
  groups: { key: string; label: string; total: number }[]
  buckets: { start: string; total: number; counts: Record<string, number> }[]
  agreement: null | {
    slug: string
    before: { days: number; incidents: number; meanPerDay: number } | null
    after: { days: number; incidents: number; meanPerDay: number } | null
    changePercent: number | null
    trend: { slopePerWeek: number; direction: string; weeks: number } | null
  }
}
type ErrorBody = { error: { code: string; details: { path?: string; code?: string }[] } }

// Each report on its own day and place (2° apart), so each is its own incident.
const KNOWN: { day: string; category: string; perpetrator?: string }[] = [
  { day: '2019-02-18', category: 'shelling', perpetrator: 'Jaysh al-Islam' },
  { day: '2019-02-19', category: 'shelling' },
  { day: '2019-02-21', category: 'airstrike' },
  { day: '2019-02-25', category: 'shelling' },
  { day: '2019-02-27', category: 'airstrike' },
  { day: '2019-03-01', category: 'shelling' },
  // The agreement takes effect on Monday 4 March 2019.
  { day: '2019-03-04', category: 'shelling', perpetrator: 'Some Militia' },
  { day: '2019-03-05', category: 'small_arms', perpetrator: 'some militia' },
  { day: '2019-03-07', category: 'shelling' },
  { day: '2019-03-11', category: 'shelling' },
  { day: '2019-03-13', category: 'airstrike' },
  { day: '2019-03-20', category: 'shelling' },
]
const RANGE = 'from=2019-02-18&to=2019-03-31'

const body = (day: string, category: string, lon: number, over: Record<string, unknown> = {}) => ({
  occurredAt: `${day}T08:00:00Z`, datePrecision: 1, category, description: `Test ${category} ${day}`,
  where: { kind: 'point', lon, lat: 10, precision: 1 }, sources: [{ kind: 'monitor_observation', reliability: 'B' }], ...over,
})

describe.each(dialects())('incident statistics on %s', (dialect) => {
  let t: TestApp
  let us: Session
  let ru: Session
  let jaysh: string

  beforeAll(async () => {
    t = await makeTestApp(dialect)
    us = await signIn(t.app, DEMO.coordinatorUs)
    ru = await signIn(t.app, DEMO.coordinatorRu)
    let lon = -170
    const incidents = new Set<string>()
    for (const k of KNOWN) {
      const res = await us.request('POST', '/api/reports', body(k.day, k.category, lon += 20, k.perpetrator ? { perpetrator: k.perpetrator } : {}))
      expect(res.statusCode, res.body).toBe(201)
      const r = res.json() as { id: string; perpetrator: { actorId: string | null } | null }
      if (k.perpetrator === 'Jaysh al-Islam') jaysh = r.perpetrator!.actorId!
      incidents.add(((await us.request('GET', `/api/reports/${r.id}`)).json() as { incidentId: string }).incidentId)
    }
    expect(incidents.size).toBe(KNOWN.length)
    // A second report of the 4 March incident: the same incident, counted once.
    const again = await us.request('POST', '/api/reports', body('2019-03-04', 'shelling', -30, { perpetrator: 'Some Militia', description: 'Test shelling 2019-03-04, second source' }))
    const second = ((await us.request('GET', `/api/reports/${(again.json() as { id: string }).id}`)).json() as { incidentId: string }).incidentId
    expect(incidents.has(second)).toBe(true)
    // Inside Minsk II's 25 km withdrawal zone.
    await us.request('POST', '/api/reports', body('2019-03-25', 'heavy_weapons_in_zone', 38.3, { where: { kind: 'point', lon: 38.3, lat: 48.5, precision: 1 } }))
    // Russia's own report, which the US may not see.
    const hidden = await ru.request('POST', '/api/reports', body('2019-03-26', 'shelling', 60, { visibility: 'internal' }))
    expect(hidden.statusCode).toBe(201)
    const created = await us.request('POST', '/api/agreements', {
      slug: 'stats-test-2019', title: { en: 'Statistics test agreement' }, theatre: 'Test', status: 'in_force',
      effectiveFrom: '2019-03-04T00:00:00Z', visibility: 'public', provisions: [{ number: '1', category: 'cessation_of_hostilities', text: { en: 'Stop.' } }],
    })
    expect(created.statusCode, created.body).toBe(201)
  })
  afterAll(async () => { await t?.close() })

  it('counts incidents per ISO week and category, the empty weeks kept', async () => {
    const res = await us.request('GET', `/api/incidents/stats?${RANGE}&interval=week&by=category`)
    expect(res.statusCode, res.body).toBe(200)
    const s = res.json() as Stats
    expect(s.buckets.map((b) => [b.start, b.total])).toEqual([
      ['2019-02-18', 3], ['2019-02-25', 3], ['2019-03-04', 3], ['2019-03-11', 2], ['2019-03-18', 1], ['2019-03-25', 1],
    ])
    expect(s.buckets[0]!.counts).toEqual({ shelling: 2, airstrike: 1 })
    expect(s.groups).toEqual([
      { key: 'shelling', label: 'shelling', total: 8 }, { key: 'airstrike', label: 'airstrike', total: 3 },
      { key: 'heavy_weapons_in_zone', label: 'heavy_weapons_in_zone', total: 1 }, { key: 'small_arms', label: 'small_arms', total: 1 },
    ])
    expect(s.total).toBe(13)
  })

  it('counts per day, and what another party keeps to itself counts only for that party', async () => {
    const s = (await us.request('GET', '/api/incidents/stats?from=2019-03-04&to=2019-03-06&interval=day')).json() as Stats
    expect(s.buckets.map((b) => [b.start, b.total])).toEqual([['2019-03-04', 1], ['2019-03-05', 1], ['2019-03-06', 0]])
    const late = 'from=2019-03-25&to=2019-03-31'
    expect(((await us.request('GET', `/api/incidents/stats?${late}`)).json() as Stats).total).toBe(1)
    expect(((await ru.request('GET', `/api/incidents/stats?${late}`)).json() as Stats).total).toBe(2)
  })

  it('groups by alleged party (the resolved actor, else the name as written, else unknown), zone and state', async () => {
    const party = (await us.request('GET', `/api/incidents/stats?${RANGE}&by=party`)).json() as Stats
    expect(party.groups).toEqual(expect.arrayContaining([
      { key: jaysh, label: 'Jaysh al-Islam', total: 1 }, { key: 'name:some militia', label: expect.stringMatching(/^some militia$/i), total: 2 },
      { key: 'unknown', label: 'unknown', total: 10 },
    ]))
    const zone = (await us.request('GET', `/api/incidents/stats?${RANGE}&by=zone`)).json() as Stats
    const inZone = zone.groups.filter((g) => g.key !== 'none')
    expect(inZone).toHaveLength(1)
    expect(inZone[0]!.total).toBe(1)
    expect(inZone[0]!.key).toMatch(/^[0-9a-f-]{36}$/)
    expect(zone.groups.find((g) => g.key === 'none')!.total).toBe(12)
    const state = (await us.request('GET', `/api/incidents/stats?${RANGE}&by=state`)).json() as Stats
    expect(state.groups).toEqual([{ key: 'reported', label: 'reported', total: 13 }])
  })

  it('compares the mean per day before and after an agreement took effect, with the weekly trend after', async () => {
    const s = (await us.request('GET', `/api/incidents/stats?from=2019-02-18&to=2019-03-24&agreement=stats-test-2019`)).json() as Stats
    const a = s.agreement!
    expect(a.slug).toBe('stats-test-2019')
    expect(a.before).toMatchObject({ days: 14, incidents: 6 })
    expect(a.after).toMatchObject({ days: 21, incidents: 6 })
    expect(a.before!.meanPerDay).toBeCloseTo(6 / 14)
    expect(a.after!.meanPerDay).toBeCloseTo(6 / 21)
    expect(a.changePercent).toBeCloseTo(((6 / 21 - 6 / 14) / (6 / 14)) * 100)
    // Weeks from 4 March: 3, 2, 1.
    expect(a.trend).toEqual({ slopePerWeek: -1, direction: 'falling', weeks: 3 })
  })

  it('exports the counts as CSV and as HXL-tagged CSV, one row per period and group', async () => {
    const csv = await us.request('GET', `/api/incidents/stats/export?${RANGE}&by=category&format=csv`)
    expect(csv.statusCode).toBe(200)
    expect(csv.headers['content-type']).toMatch(/^text\/csv/)
    const lines = csv.body.trim().split('\r\n')
    expect(lines[0]).toBe('period_start,category_id,category,incidents')
    expect(lines).toContain('2019-02-18,shelling,shelling,2')
    expect(lines).toContain('2019-03-18,airstrike,airstrike,0')
    expect(lines).toHaveLength(1 + 6 * 4)
    const hxl = await us.request('GET', `/api/incidents/stats/export?${RANGE}&by=party&format=hxl`)
    const rows = hxl.body.trim().split('\r\n')
    expect(rows[1]).toBe('#date,#actor+code,#actor+name,#indicator+incidents+num')
    expect(rows).toContain(`2019-02-18,${jaysh},Jaysh al-Islam,1`)
  })

  it('counts an incident merged into another once, at the earliest of their reports', async () => {
    const make = async (day: string, lon: number) => {
      const r = (await us.request('POST', '/api/reports', body(day, 'shelling', lon))).json() as { id: string }
      return ((await us.request('GET', `/api/reports/${r.id}`)).json() as { incidentId: string }).incidentId
    }
    const [first, second] = [await make('2019-05-08', 100), await make('2019-05-06', 140)]
    const may = 'from=2019-05-01&to=2019-05-31&interval=day'
    expect(((await us.request('GET', `/api/incidents/stats?${may}`)).json() as Stats).total).toBe(2)
    const merged = await us.request('POST', `/api/incidents/${first}/merge`, { incidentId: second, note: 'one event, reported twice' })
    expect(merged.statusCode, merged.body).toBe(200)
    const s = (await us.request('GET', `/api/incidents/stats?${may}`)).json() as Stats
    expect(s.total).toBe(1)
    expect(s.buckets.filter((b) => b.total > 0).map((b) => b.start)).toEqual(['2019-05-06'])
  })

  it('refuses bad queries naming the parameter, and the anonymous', async () => {
    const cases: [string, string][] = [
      ['from=2019-03-01&to=2019-02-01', 'query.to'], ['interval=month', 'query.interval'], ['by=weather', 'query.by'],
      ['from=yesterday', 'query.from'], ['agreement=no-such-agreement', 'query.agreement'], ['from=1900-01-01&to=2019-01-01', 'query.from'], ['colour=red', 'query.colour'],
    ]
    for (const [q, path] of cases) {
      const res = await us.request('GET', `/api/incidents/stats?${q}`)
      expect(res.statusCode, q).toBe(400)
      expect((res.json() as ErrorBody).error.details.map((d) => d.path), q).toContain(path)
    }
    const noFormat = await us.request('GET', `/api/incidents/stats/export?${RANGE}`)
    expect((noFormat.json() as ErrorBody).error.details[0]!.path).toBe('query.format')
    expect((await anonymous(t.app).request('GET', `/api/incidents/stats?${RANGE}`)).statusCode).toBe(401)
  })
})
