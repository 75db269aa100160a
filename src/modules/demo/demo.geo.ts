// The demo's geography, written from public facts with APPROXIMATE shapes (a few vertices or a
// circle around a real place), for demonstration only; authoritative boundaries are imported
// from files (see README: `truce areas import`).
// - Areas of control in 2016 as the two guarantors saw them: both place Jaysh al-Islam in Douma;
//   for eastern Aleppo, the US names the Free Syrian Army and Russia Jabhat al-Nusra, which is
//   the disagreement the truce's delineation turned on.
// - Besieged areas as OCHA listed them in 2016 (Madaya, Daraya, Foua and Kefraya), with the
//   population figures then reported.
// - Protected sites: hospitals struck in 2016 (Al-Quds hospital in Aleppo, the MSF-supported
//   hospital in Maarat al-Numan) and UN premises.
// - Minsk II's contact line (February 2015, simplified) with the heavy-weapons withdrawal lines:
//   the 50, 70 and 140 km zones are 25, 35 and 70 km on each side of the line.
import type { Geometry } from 'geojson'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Principal } from '../access/access.policy.ts'
import { geoService } from '../geo/geo.service.ts'
import type { FeatureBody } from '../geo/geo.schemas.ts'
import { sectorPolygon } from '../geo/sector.ts'

const disc = (lon: number, lat: number, radius: number) => sectorPolygon({ lon, lat, bearing: 0, spread: 180, minDistance: 0, maxDistance: radius })
const APPROX = 'approximate shape for the demo, drawn from public reporting'

/** The demo's layers and features; `actorNamed` finds a demo actor by its English display name. */
export async function loadDemoGeo(db: Kysely<DB>, as: (email: string) => Principal): Promise<number> {
  const geo = geoService(db)
  const analyst = as('analyst@truce.demo')
  const us = as('coordinator.us@truce.demo')
  const ru = as('coordinator.ru@truce.demo')
  const ocha = as('humanitarian@truce.demo')
  const osce = as('monitor@truce.demo')
  const actorNamed = async (en: string) => {
    const a = await db.selectFrom('actors').select('id').where(({ ref }) => ref('display_name', '->>').key('en' as never), '=', en).executeTakeFirst()
    if (!a) throw new Error(`demo geography names unknown actor ${en}`)
    return a.id
  }
  const base = { source: APPROX, visibility: 'parties' as const }
  const add = (who: Principal, layer: string, body: Omit<FeatureBody, 'source' | 'visibility' | 'geometry'> & Partial<Omit<FeatureBody, 'geometry'>> & { geometry: Geometry }) =>
    geo.addFeature(who, layer, { ...base, ...body } as FeatureBody)
  let n = 0

  await geo.createLayer(analyst, { slug: 'control-2016', kind: 'control', title: { en: 'Areas of control, 2016', ar: 'مناطق السيطرة، 2016', ru: 'Зоны контроля, 2016', uk: 'Зони контролю, 2016' }, description: 'Each party’s claims of who held which area.', visibility: 'parties' })
  const truceStart = new Date('2016-02-27T00:00:00Z')
  const eastAleppo = { type: 'Polygon' as const, coordinates: [[[37.155, 36.185], [37.205, 36.18], [37.215, 36.215], [37.19, 36.245], [37.16, 36.235], [37.155, 36.185]]] }
  const douma = { type: 'Polygon' as const, coordinates: [[[36.37, 33.56], [36.44, 33.555], [36.45, 33.6], [36.39, 33.61], [36.37, 33.56]]] }
  await add(us, 'control-2016', { geometry: eastAleppo, actorId: await actorNamed('Free Syrian Army'), confidence: 'medium', validFrom: truceStart, validTo: new Date('2016-12-22T00:00:00Z'), name: { en: 'Eastern Aleppo' } })
  await add(ru, 'control-2016', { geometry: eastAleppo, actorId: await actorNamed('Jabhat al-Nusra'), confidence: 'high', validFrom: truceStart, validTo: new Date('2016-07-28T00:00:00Z'), name: { en: 'Eastern Aleppo', ru: 'Восточный Алеппо' } })
  await add(us, 'control-2016', { geometry: douma, actorId: await actorNamed('Jaysh al-Islam'), confidence: 'high', validFrom: truceStart, name: { en: 'Douma' } })
  await add(ru, 'control-2016', { geometry: douma, actorId: await actorNamed('Jaysh al-Islam'), confidence: 'high', validFrom: truceStart, name: { en: 'Douma', ru: 'Дума' } })
  n += 4

  await geo.createLayer(ocha, { slug: 'besieged-2016', kind: 'access', title: { en: 'Besieged areas, 2016', ar: 'المناطق المحاصرة، 2016', ru: 'Осаждённые районы, 2016', uk: 'Обложені райони, 2016' }, description: 'Besieged and hard-to-reach areas as the humanitarian coordinators listed them.', visibility: 'public' })
  const besieged: [string, string, number, number, number, number][] = [
    ['Madaya', 'مضايا', 36.098, 33.689, 1800, 40_000],
    ['Daraya', 'داريا', 36.236, 33.456, 1500, 8_000],
    ['Foua and Kefraya', 'الفوعة وكفريا', 36.705, 35.99, 2200, 20_000],
  ]
  for (const [en, ar, lon, lat, r, population] of besieged) {
    await add(ocha, 'besieged-2016', {
      geometry: disc(lon, lat, r), accessStatus: 'besieged', population, criteria: 'surrounded by armed actors; humanitarian goods and people cannot regularly enter or leave',
      name: { en, ar }, validFrom: new Date('2016-01-01T00:00:00Z'), visibility: 'public',
    })
    n++
  }

  await geo.createLayer(ocha, { slug: 'protected-sites', kind: 'site', title: { en: 'Protected sites', ar: 'المواقع المحمية', ru: 'Защищённые объекты', uk: 'Захищені об’єкти' }, description: 'Hospitals, schools, water stations and UN premises notified to the parties.', visibility: 'parties' })
  const sites: [string, string, number, number, string, number][] = [
    ['Al-Quds hospital, Aleppo', 'مستشفى القدس، حلب', 37.1588, 36.2087, 'hospital', 300],
    ['Maarat al-Numan hospital', 'مستشفى معرة النعمان', 36.676, 35.645, 'hospital', 300],
    ['UN premises, Damascus', 'مباني الأمم المتحدة، دمشق', 36.2765, 33.5138, 'un_premises', 200],
  ]
  for (const [en, ar, lon, lat, siteKind, radiusM] of sites) {
    await add(ocha, 'protected-sites', { geometry: { type: 'Point', coordinates: [lon, lat] }, siteKind: siteKind as FeatureBody['siteKind'], radiusM, name: { en, ar }, validFrom: new Date('2016-01-01T00:00:00Z') })
    n++
  }

  await geo.createLayer(osce, { slug: 'minsk-ii-lines', kind: 'zone', agreement: 'minsk-ii-2015', title: { en: 'Minsk II: contact line and withdrawal lines', ru: 'Минск-2: линия соприкосновения и линии отвода', uk: 'Мінськ-2: лінія зіткнення та лінії відведення', ar: 'مينسك 2: خط التماس وخطوط الانسحاب' }, description: 'The line of contact and the heavy-weapons withdrawal lines measured from it.', visibility: 'public' })
  const line = await add(osce, 'minsk-ii-lines', {
    geometry: { type: 'LineString', coordinates: [[37.83, 47.09], [37.62, 47.55], [37.5, 47.94], [37.74, 48.07], [37.75, 48.14], [37.95, 48.3], [38.22, 48.43], [38.38, 48.63], [38.52, 48.69], [39.0, 48.62], [39.48, 48.65], [39.85, 48.85]] },
    zoneKind: 'contact_line', name: { en: 'Line of contact (simplified)', ru: 'Линия соприкосновения', uk: 'Лінія зіткнення' }, validFrom: new Date('2015-02-15T00:00:00Z'), visibility: 'public',
  })
  const buffers = await geo.deriveBuffers(osce, line.id, { distancesM: [25_000, 35_000, 70_000], source: 'Minsk II, paragraph 2: 50, 70 and 140 km security zones', visibility: 'public' })
  return n + 1 + buffers.features.length
}
