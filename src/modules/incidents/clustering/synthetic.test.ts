// Simulated reports of UCDP events: seeded, one to five per event from distinct sources, time and
// place within the event's precision, in arrival order.
import { describe, expect, it } from 'vitest'
import { DATE_PRECISION_DAYS, WHERE_PRECISION_M } from '../incidents.types.ts'
import { greatCircleM } from './place.ts'
import { placeName, readGedEvents, respell, seededRandom, simulateReports, toArabicScript, toCyrillic } from './synthetic.ts'
import { textTerms } from './text.ts'

const CSV = [
  'id,date_start,date_end,date_prec,latitude,longitude,where_prec,where_coordinates,adm_1,adm_2,side_a,side_b,type_of_violence,low,best,high,source_headline',
  '1,2016-01-01,2016-01-01,1,34.802462,36.707602,1,Teir Maaleh village,Homs Governorate,Ar Rastan district,Government of Syria,Syrian insurgents,1,4,4,4,14 shells hit Teir Maaleh',
  '2,2016-01-01,2016-01-01,1,36.496133,37.003318,2,Tanab village,Aleppo Governorate,Mintaqat Azaz district,"Ahrar al-Sham, Jabhat Fateh al-Sham",SDF,2,1,2,3,Advances for SDF in Aleppo countryside',
  '3,2016-03-01,2016-03-31,4,35.95,39.01,4,Ar Raqqah Governorate,Ar Raqqah Governorate,,IS,Civilians,3,10,12,15,Executions in Raqqa',
].join('\n')

describe('readGedEvents', () => {
  it('reads the fields the simulation uses', () => {
    const [e1, e2, e3] = readGedEvents(CSV)
    expect(e1).toMatchObject({ id: '1', dateStart: Date.UTC(2016, 0, 1), datePrecision: 1, wherePrecision: 1, place: 'Teir Maaleh village', best: 4, typeOfViolence: 1 })
    expect(e2!.sideA).toBe('Ahrar al-Sham, Jabhat Fateh al-Sham')
    expect(e3).toMatchObject({ datePrecision: 4, dateEnd: Date.UTC(2016, 2, 31), sideB: 'Civilians' })
  })
})

describe('simulateReports', () => {
  const events = readGedEvents(CSV)
  const reports = simulateReports(events, { seed: 7 })

  it('is the same for the same seed, and another for another', () => {
    expect(simulateReports(events, { seed: 7 })).toEqual(reports)
    expect(simulateReports(events, { seed: 8 })).not.toEqual(reports)
  })

  it('reports each event one to five times, by distinct sources', () => {
    for (const e of events) {
      const mine = reports.filter((r) => r.eventId === e.id)
      expect(mine.length).toBeGreaterThanOrEqual(1)
      expect(mine.length).toBeLessThanOrEqual(5)
      expect(new Set(mine.map((r) => r.report.sourceKey)).size).toBe(mine.length)
    }
  })

  it('keeps time and place within the event’s precision, and arrives in order', () => {
    const byId = new Map(events.map((e) => [e.id, e]))
    for (const { report, eventId } of reports) {
      const e = byId.get(eventId)!
      const mid = (e.dateStart + e.dateEnd + 86_400_000) / 2
      expect(Math.abs(report.occurredAt - mid)).toBeLessThanOrEqual(DATE_PRECISION_DAYS[e.datePrecision] * 86_400_000)
      expect(greatCircleM(report.lon, report.lat, e.lon, e.lat)).toBeLessThanOrEqual(WHERE_PRECISION_M[e.wherePrecision] + 1)
      expect(report.datePrecision).toBe(e.datePrecision)
    }
    const arrivals = reports.map((r) => r.arrivesAt)
    expect(arrivals).toEqual([...arrivals].sort((a, b) => a - b))
    expect(reports.map((r) => r.report.id)).toEqual(reports.map((_, i) => `report-${i + 1}`))
  })

  it('varies names and places as sources do, so that the text keys still meet', () => {
    const random = seededRandom(3)
    expect(respell('Jaysh al-Islam', random)).not.toBe('Jaysh al-Islam')
    expect(placeName('Teir Maaleh village')).toBe('Teir Maaleh')
    expect(textTerms(toCyrillic('Teir Maaleh')).keys).toEqual(textTerms('Teir Maaleh').keys)
    expect(textTerms(toArabicScript('Kafr Hamra')).keys).toEqual(textTerms('Kafr Hamra').keys)
  })
})
