// Incidents through the API on both databases: reports of one event from different sources come
// together as they are written, an unrelated report starts its own incident; what an incident
// shows depends on which of its reports the reader may see; analysts merge and split, and the
// clustering record replayed by another process gives the same incidents and keeps the split apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anonymous, DEMO, makeTestApp, signIn, type Session, type TestApp } from '../../../test/helpers/app.ts'
import { dialects } from '../../../test/helpers/db.ts'
import { createIncidentClustering } from './incidents.clustering.ts'

type Incident = {
  id: string; state: string; mergedInto: string | null; reportCount: number; categories: string[]; lon: number | null; lat: number | null
  placeName: string | null; perpetrators: { name: string }[]; casualties: Record<string, { low: number; best: number; high: number }>
  sources: { kind: string; reportId: string }[]; reports: { id: string; assignment: { reason: string; score: number | null } | null }[]
  history: { kind: string; reportIds: string[]; otherIncidentId: string | null; note: string | null }[]; actions: { merge: boolean; split: boolean }
}
type ErrorBody = { error: { code: string; details: { path?: string; message: string }[] } }

const base = {
  datePrecision: 1, category: 'shelling',
  perpetrator: 'Jabhat al-Nusra', description: 'Shelling of the Bustan al-Qasr crossing, twelve explosions', language: 'en', visibility: 'parties',
}
const at = (lon: number, lat: number, placeName = 'Bustan al-Qasr') => ({ kind: 'point', lon, lat, precision: 1, placeName })

describe.each(dialects())('incidents on %s', (dialect) => {
  let t: TestApp
  let monitor: Session, us: Session, ru: Session, analyst: Session, reporter: Session, humanitarian: Session

  const post = async (who: Session, body: Record<string, unknown>) => {
    const res = await who.request('POST', '/api/reports', body)
    expect(res.statusCode, res.body).toBe(201)
    return res.json() as { id: string; incidentId: string }
  }

  beforeAll(async () => {
    t = await makeTestApp(dialect)
    ;[monitor, us, ru, analyst, reporter, humanitarian] = await Promise.all([DEMO.monitor, DEMO.coordinatorUs, DEMO.coordinatorRu, DEMO.analyst, DEMO.reporter, DEMO.humanitarian]
      .map((u) => signIn(t.app, u))) as [Session, Session, Session, Session, Session, Session]
  })
  afterAll(async () => { await t?.close() })

  it('puts reports of one event from different sources into one incident, and keeps another event apart', async () => {
    const seen = await post(monitor, { ...base, occurredAt: '2014-04-02T06:30:00Z', where: at(37.185, 36.21), casualties: { civiliansKilled: { low: 1, best: 2, high: 3 } },
      sources: [{ kind: 'monitor_observation', reliability: 'A', name: 'Aleppo team' }] })
    const media = await post(us, { ...base, occurredAt: '2014-04-02T07:00:00Z', where: at(37.186, 36.211), casualties: { civiliansKilled: { low: 2, best: 3, high: 5 } },
      description: 'Twelve explosions hit the Bustan al-Qasr crossing in the morning', sources: [{ kind: 'media', reliability: 'C', name: 'Enab Baladi' }] })
    const elsewhere = await post(monitor, { ...base, occurredAt: '2014-04-20T22:00:00Z', where: at(36.72, 34.73, 'Homs'), category: 'airstrike',
      description: 'Airstrike on a market in Homs', sources: [{ kind: 'monitor_observation', reliability: 'A', name: 'Homs team' }] })
    expect(media.incidentId).toBe(seen.incidentId)
    expect(elsewhere.incidentId).not.toBe(seen.incidentId)

    const detail = (await ru.request('GET', `/api/incidents/${seen.incidentId}`)).json() as Incident
    expect(detail).toMatchObject({ state: 'reported', mergedInto: null, reportCount: 2, categories: ['shelling'], placeName: 'Bustan al-Qasr', lon: 37.185, lat: 36.21 })
    expect(detail.reports.map((r) => r.id)).toEqual([seen.id, media.id])
    expect(detail.reports[0]!.assignment).toMatchObject({ reason: 'new' })
    expect(detail.reports[1]!.assignment!.reason).toBe('similar')
    expect(detail.reports[1]!.assignment!.score).toBeGreaterThan(0.5)
    expect(detail.sources.map((s) => s.kind)).toEqual(['monitor_observation', 'media'])
    // The widest range and the highest best estimate of its reports.
    expect(detail.casualties.civiliansKilled).toEqual({ low: 1, best: 3, high: 5 })
    expect(detail.history.map((h) => h.kind)).toEqual(['assigned', 'assigned'])
    // Coordinators analyse; a humanitarian reads but does not.
    expect(detail.actions).toEqual({ merge: true, split: true })
    expect(((await humanitarian.request('GET', `/api/incidents/${seen.incidentId}`)).json() as Incident).actions).toEqual({ merge: false, split: false })

    const list = (await ru.request('GET', '/api/incidents?from=2014-04-01T00:00:00Z&to=2014-05-01T00:00:00Z')).json() as { items: Incident[] }
    expect(list.items.map((i) => i.id)).toEqual([elsewhere.incidentId, seen.incidentId])
    const shellings = (await ru.request('GET', '/api/incidents?category=shelling&from=2014-04-01T00:00:00Z&to=2014-05-01T00:00:00Z')).json() as { items: Incident[] }
    expect(shellings.items.map((i) => i.id)).toEqual([seen.incidentId])
    const boxed = (await ru.request('GET', '/api/incidents?bbox=36.5,34.5,37,35&from=2014-04-01T00:00:00Z')).json() as { items: Incident[] }
    expect(boxed.items.map((i) => i.id)).toEqual([elsewhere.incidentId])
    const seqOf = ((await ru.request('GET', `/api/reports/${media.id}`)).json() as { seq: number }).seq
    const bySeq = (await ru.request('GET', `/api/incidents?reportSeq=${seqOf}`)).json() as { items: Incident[] }
    expect(bySeq.items.map((i) => i.id)).toEqual([seen.incidentId])
    const worded = (await ru.request('GET', '/api/incidents?q=market')).json() as { items: Incident[] }
    expect(worded.items.map((i) => i.id)).toEqual([elsewhere.incidentId])
    // The same incidents as files, one row each; HXL reads back with the importer's tags.
    const range = 'from=2014-04-01T00:00:00Z&to=2014-05-01T00:00:00Z'
    const csv = (await ru.request('GET', `/api/incidents/export?format=hxl&${range}`)).body.split('\r\n').filter(Boolean)
    expect(csv).toHaveLength(4)
    expect(csv[1]).toContain('#status+verification')
    expect(csv[3]).toContain(seen.incidentId)
    expect(csv[3]).toMatch(/,3,,,,2,media; monitor_observation$/)
    const geo = (await ru.request('GET', `/api/incidents/export?format=geojson&${range}`)).json() as { features: { id: string; geometry: { coordinates: number[] } }[] }
    expect(geo.features.map((f) => f.id)).toEqual([elsewhere.incidentId, seen.incidentId])
    expect(geo.features[1]!.geometry.coordinates).toEqual([37.185, 36.21])
    const ucdp = (await ru.request('GET', `/api/incidents/export?format=ucdp&${range}`)).body.split('\r\n')
    expect(ucdp[0]).toBe('id,date_start,date_prec,latitude,longitude,where_prec,where_coordinates,side_a,side_b,deaths_civilians,low,best,high,source_article,number_of_sources,verification_state')
    expect((await ru.request('GET', `/api/incidents/export?format=xlsx`)).statusCode).toBe(400)
    const paged = (await ru.request('GET', '/api/incidents?limit=1&from=2014-04-01T00:00:00Z&to=2014-05-01T00:00:00Z')).json() as { items: Incident[]; nextCursor: string }
    const next = (await ru.request('GET', `/api/incidents?limit=1&from=2014-04-01T00:00:00Z&to=2014-05-01T00:00:00Z&cursor=${encodeURIComponent(paged.nextCursor)}`)).json() as { items: Incident[] }
    expect([...paged.items, ...next.items].map((i) => i.id)).toEqual(list.items.map((i) => i.id))
  })

  it('shows each reader only what its visible reports say, and hides an incident of hidden reports like a missing one', async () => {
    const shared = await post(monitor, { ...base, occurredAt: '2014-05-03T10:00:00Z', where: at(37.16, 36.2, 'Salah al-Din'), description: 'Mortar fire on Salah al-Din',
      sources: [{ kind: 'monitor_observation', reliability: 'A', name: 'Aleppo team' }] })
    const internal = await post(us, { ...base, occurredAt: '2014-05-03T10:10:00Z', where: at(37.1601, 36.2001, 'Salah al-Din'), description: 'Mortar fire on Salah al-Din, four rounds',
      perpetrator: 'Ahrar al-Sham', visibility: 'internal', sources: [{ kind: 'party_allegation', reliability: 'D', name: 'US cell' }] })
    expect(internal.incidentId).toBe(shared.incidentId)
    const byUs = (await us.request('GET', `/api/incidents/${shared.incidentId}`)).json() as Incident
    const byRu = (await ru.request('GET', `/api/incidents/${shared.incidentId}`)).json() as Incident
    expect(byUs.reportCount).toBe(2)
    expect(byRu.reportCount).toBe(1)
    expect(byRu.reports.map((r) => r.id)).toEqual([shared.id])
    expect(byRu.perpetrators.map((p) => p.name)).toEqual(['Jabhat al-Nusra'])
    expect(byRu.history.flatMap((h) => h.reportIds)).toEqual([shared.id])

    const alone = await post(us, { ...base, occurredAt: '2014-05-28T03:00:00Z', where: at(38.0, 35.5, 'Nowhere'), description: 'A private note', visibility: 'internal',
      sources: [{ kind: 'party_allegation', reliability: 'D', name: 'US cell' }] })
    const hidden = await ru.request('GET', `/api/incidents/${alone.incidentId}`)
    const missing = await ru.request('GET', `/api/incidents/${crypto.randomUUID()}`)
    expect(hidden.statusCode).toBe(404)
    expect(hidden.json()).toMatchObject({ error: (missing.json() as ErrorBody).error })
    expect((await anonymous(t.app).request('GET', `/api/incidents/${shared.incidentId}`)).statusCode).toBe(404)
    const listedRu = (await ru.request('GET', '/api/incidents?from=2014-05-01T00:00:00Z&to=2014-06-01T00:00:00Z')).json() as { items: Incident[] }
    expect(listedRu.items.map((i) => i.id)).toEqual([shared.incidentId])
  })

  it('lets analysts split reports off and merge incidents, records both, and a replay of the record agrees', async () => {
    const a = await post(monitor, { ...base, occurredAt: '2014-06-10T05:00:00Z', where: at(37.2, 36.22, 'Sheikh Maqsoud'), description: 'Shelling of Sheikh Maqsoud from the east',
      sources: [{ kind: 'monitor_observation', reliability: 'A', name: 'Aleppo team' }] })
    const b = await post(us, { ...base, occurredAt: '2014-06-10T05:20:00Z', where: at(37.2001, 36.2201, 'Sheikh Maqsoud'), description: 'Shelling of Sheikh Maqsoud, east side',
      sources: [{ kind: 'media', reliability: 'C', name: 'SOHR' }] })
    expect(b.incidentId).toBe(a.incidentId)

    const split = await analyst.request('POST', `/api/incidents/${a.incidentId}/split`, { reportIds: [b.id], note: 'The SOHR report is of the evening shelling' })
    expect(split.statusCode, split.body).toBe(201)
    const apart = split.json() as Incident
    expect(apart.reports.map((r) => r.id)).toEqual([b.id])
    expect(apart.history.at(-1)).toMatchObject({ kind: 'split', note: 'The SOHR report is of the evening shelling' })
    const sub = await t.db.kysely.selectFrom('submissions').select('kind').where('kind', '=', 'incident.split').execute()
    expect(sub).toHaveLength(1)

    // A third report like both joins one of them, never brings the two back together.
    const c = await post(ru, { ...base, occurredAt: '2014-06-10T05:10:00Z', where: at(37.2, 36.2201, 'Sheikh Maqsoud'), description: 'Shelling of Sheikh Maqsoud',
      sources: [{ kind: 'party_allegation', reliability: 'D', name: 'Russian centre' }] })
    expect([a.incidentId, apart.id]).toContain(c.incidentId)

    const merged = await analyst.request('POST', `/api/incidents/${a.incidentId}/merge`, { incidentId: apart.id, note: 'Same shelling after all' })
    expect(merged.statusCode, merged.body).toBe(200)
    expect(((merged.json() as Incident).reports.map((r) => r.id)).sort()).toEqual([a.id, b.id, c.id].sort())
    const gone = (await ru.request('GET', `/api/incidents/${apart.id}`)).json() as Incident
    expect(gone.mergedInto).toBe(a.incidentId)
    expect(gone.actions).toEqual({ merge: false, split: false })
    expect(((await ru.request('GET', `/api/reports/${b.id}`)).json() as { incidentId: string }).incidentId).toBe(a.incidentId)

    // Another process replaying the record reaches the same incidents.
    const other = createIncidentClustering()
    const replayed = await t.db.kysely.transaction().execute(async (trx) => other.lock(trx))
    const stored = await t.db.kysely.selectFrom('incident_reports').select(['report_id', 'incident_id']).execute()
    for (const s of stored) expect(replayed.incidentOf(s.report_id)).toBe(s.incident_id)
    const live = await t.db.kysely.selectFrom('incidents').select('id').where('merged_into', 'is', null).execute()
    expect(replayed.stats().incidents).toBe(live.length)
  })

  it('refuses bad merges and splits with the reason, and lets only analysts make them', async () => {
    const a = await post(monitor, { ...base, occurredAt: '2014-07-01T05:00:00Z', where: at(36.5, 35.9, 'Saraqib'), description: 'Shelling of Saraqib',
      sources: [{ kind: 'monitor_observation', reliability: 'A', name: 'Idlib team' }] })
    const b = await post(monitor, { ...base, occurredAt: '2014-07-09T05:00:00Z', where: at(35.95, 36.3, 'Jisr al-Shughur'), description: 'Airstrike on Jisr al-Shughur', category: 'airstrike',
      sources: [{ kind: 'monitor_observation', reliability: 'A', name: 'Idlib team' }] })
    expect(b.incidentId).not.toBe(a.incidentId)
    const self = (await analyst.request('POST', `/api/incidents/${a.incidentId}/merge`, { incidentId: a.incidentId, note: 'x' })).json() as ErrorBody
    expect(self.error).toMatchObject({ code: 'same_incident', details: [{ path: 'body.incidentId' }] })
    const unknown = (await analyst.request('POST', `/api/incidents/${a.incidentId}/merge`, { incidentId: crypto.randomUUID(), note: 'x' })).json() as ErrorBody
    expect(unknown.error).toMatchObject({ code: 'unknown_incident', details: [{ path: 'body.incidentId' }] })
    const stranger = (await analyst.request('POST', `/api/incidents/${a.incidentId}/split`, { reportIds: [b.id], note: 'x' })).json() as ErrorBody
    expect(stranger.error).toMatchObject({ code: 'not_in_incident', details: [{ path: 'body.reportIds.0' }] })
    const everything = await analyst.request('POST', `/api/incidents/${a.incidentId}/split`, { reportIds: [a.id], note: 'x' })
    expect(everything.statusCode).toBe(409)
    expect((everything.json() as ErrorBody).error.code).toBe('empty_split')
    expect((await reporter.request('POST', `/api/incidents/${a.incidentId}/merge`, { incidentId: b.incidentId, note: 'x' })).statusCode).toBe(403)
    expect((await analyst.request('POST', `/api/incidents/${a.incidentId}/merge`, { incidentId: b.incidentId })).statusCode).toBe(400)
    const events = await t.db.kysely.selectFrom('incident_events').select('kind').where('incident_id', '=', a.incidentId).execute()
    expect(events.map((e) => e.kind)).toEqual(['assigned'])
    // The merge that is allowed, after the refusals, still works on a consistent state.
    expect((await analyst.request('POST', `/api/incidents/${a.incidentId}/merge`, { incidentId: b.incidentId, note: 'One operation' })).statusCode).toBe(200)
  })
})
