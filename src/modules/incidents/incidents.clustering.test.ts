// Two server processes on one PostgreSQL database cluster onto the same incidents: each write
// takes the clustering lock and first replays what the other wrote, so reports of one event sent
// to different servers, even at the same moment, end in one incident, and both processes' memory
// agrees with the record. (PGlite serves one process per data directory, so PostgreSQL only.)
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../app.ts'
import { loadConfig } from '../../config.ts'
import { openPostgres, type Database } from '../../db/database.ts'
import { DEMO, makeTestApp, signIn, type Session, type TestApp } from '../../../test/helpers/app.ts'
import { dialects } from '../../../test/helpers/db.ts'
import { clusteringOf, createIncidentClustering } from './incidents.clustering.ts'

const event = (k: number, source: string) => ({
  occurredAt: `2013-0${1 + (k % 9)}-1${k % 10}T0${k % 10}:00:00Z`, datePrecision: 1, category: 'shelling',
  where: { kind: 'point', lon: 36 + k * 0.3, lat: 33 + (k % 7) * 0.4, precision: 1, placeName: `Place ${k}` },
  description: `Shelling of Place ${k}, ${k + 3} rounds`, visibility: 'parties',
  sources: [{ kind: 'media', reliability: 'C', name: source }],
})

describe.runIf(dialects().includes('postgres'))('clustering with two server processes on one PostgreSQL', () => {
  let t: TestApp
  let second: { app: FastifyInstance; db: Database }
  let one: Session, two: Session

  beforeAll(async () => {
    t = await makeTestApp('postgres')
    const db = await openPostgres(t.db.location)
    const app = await buildApp({ db, config: loadConfig({ TRUCE_DATA_DIR: t.db.location, LOG_LEVEL: 'silent' }), logger: false })
    await app.ready()
    second = { app, db }
    one = await signIn(t.app, DEMO.monitor)
    two = await signIn(second.app, DEMO.analyst)
  })
  afterAll(async () => {
    await second?.app.close()
    await second?.db.close()
    await t?.close()
  })

  it('puts each event\'s reports, sent to both servers at once, into one incident, and both agree with the record', async () => {
    const posts = Array.from({ length: 8 }, (_, k) => [
      one.request('POST', '/api/reports', event(k, 'Outlet one')),
      two.request('POST', '/api/reports', event(k, 'Outlet two')),
    ]).flat()
    const answers = await Promise.all(posts)
    for (const a of answers) expect(a.statusCode, a.body).toBe(201)
    const incidents = answers.map((a) => (a.json() as { incidentId: string }).incidentId)
    for (let k = 0; k < 8; k++) expect(incidents[2 * k + 1], `event ${k}`).toBe(incidents[2 * k])
    expect(new Set(incidents).size).toBe(8)

    // Each process, brought up to date, holds what the record says; so does a third replaying it.
    const stored = await t.db.kysely.selectFrom('incident_reports').select(['report_id', 'incident_id']).execute()
    for (const db of [t.db.kysely, second.db.kysely]) {
      const clusterer = await db.transaction().execute((trx) => clusteringOf(db).lock(trx))
      for (const s of stored) expect(clusterer.incidentOf(s.report_id)).toBe(s.incident_id)
    }
    const fresh = await t.db.kysely.transaction().execute((trx) => createIncidentClustering().lock(trx))
    for (const s of stored) expect(fresh.incidentOf(s.report_id)).toBe(s.incident_id)
    // A process warmed at its start has replayed the whole record before any write.
    const warmed = createIncidentClustering()
    const last = await t.db.kysely.selectFrom('incident_events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow()
    expect(await warmed.warm(t.db.kysely)).toBe(Number(last.seq))
    expect(warmed.stats().reports).toBe(stored.length)
  })

  it('respects an analyst\'s split made on the other server', async () => {
    const a = (await one.request('POST', '/api/reports', event(11, 'Outlet one'))).json() as { id: string; incidentId: string }
    const b = (await two.request('POST', '/api/reports', event(11, 'Outlet two'))).json() as { id: string; incidentId: string }
    expect(b.incidentId).toBe(a.incidentId)
    const analyst = await signIn(second.app, DEMO.analyst)
    const split = await analyst.request('POST', `/api/incidents/${a.incidentId}/split`, { reportIds: [b.id], note: 'Two events' })
    expect(split.statusCode, split.body).toBe(201)
    // The first server learns of the split before it clusters its next report, and keeps the two apart.
    const c = (await one.request('POST', '/api/reports', event(11, 'Outlet three'))).json() as { incidentId: string }
    const newId = (split.json() as { id: string }).id
    expect([a.incidentId, newId]).toContain(c.incidentId)
    const state = await t.db.kysely.transaction().execute((trx) => clusteringOf(t.db.kysely).lock(trx))
    expect(state.incidentOf(a.id)).toBe(a.incidentId)
    expect(state.incidentOf(b.id)).toBe(newId)
  })
})
