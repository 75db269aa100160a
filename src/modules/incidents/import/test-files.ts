// The files the incident importer tests read: CSV from rows, Windows-1252 bytes, ACLED rows and an
// HXL incident log written here, and where the real data lives. Test code only; nothing imports it
// at run time.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { sharedDataDir } from '../../../config.ts'

/** CSV (RFC 4180, LF line ends) of a header and rows given by column, a field quoted when it must be. */
export function csvOf(columns: readonly string[], rows: readonly Record<string, string | number>[]): string {
  const field = (v: string | number | undefined) => {
    const s = v === undefined ? '' : String(v)
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  return [columns.join(','), ...rows.map((r) => columns.map((c) => field(r[c])).join(','))].join('\n') + '\n'
}

/**
 * Text as Windows-1252 bytes, for the characters this tests with: Latin-1 letters are their own
 * byte, and the typographic quotes and dashes Word and Excel put in are 0x91–0x97.
 */
export function windows1252(text: string): Buffer {
  const high: Record<string, number> = { '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97 }
  return Buffer.from([...text].map((c) => {
    const byte = high[c] ?? c.charCodeAt(0)
    if (byte > 0xff) throw new Error(`${c} is not in this test's Windows-1252`)
    return byte
  }))
}

export const GED_2016 = join(sharedDataDir(), 'ucdp_ged_syria', 'ged_syria_2016.csv')
export const GED_2016_2019 = join(sharedDataDir(), 'ucdp_ged_syria', 'ged_syria_2016_2019.csv.gz')
export const HXL_TESTS = join(sharedDataDir(), 'hxl', 'tests', 'files')
export const HAVE_SHARED_DATA = existsSync(GED_2016) && existsSync(GED_2016_2019) && existsSync(HXL_TESTS)

// No ACLED file may be redistributed here, so these rows are written for the tests in the layout of
// ACLED's CSV export (column names, actor and sub-event names, inter codes, notes that start "On
// <date>, …"). They are not real events.
/** ACLED's export columns (2023 onwards). */
export const ACLED_COLUMNS = [
  'event_id_cnty', 'event_date', 'year', 'time_precision', 'disorder_type', 'event_type', 'sub_event_type', 'actor1', 'assoc_actor_1', 'inter1',
  'actor2', 'assoc_actor_2', 'inter2', 'interaction', 'civilian_targeting', 'iso', 'region', 'country', 'admin1', 'admin2', 'admin3', 'location',
  'latitude', 'longitude', 'geo_precision', 'source', 'source_scale', 'notes', 'fatalities', 'tags', 'timestamp',
]

const base = { year: 2017, time_precision: 1, disorder_type: 'Political violence', iso: 760, region: 'Middle East', country: 'Syria', geo_precision: 1, source_scale: 'National', tags: '', timestamp: 1618309548 }
const SYRIA = 'State forces'
export const ACLED_ROWS: Record<string, string | number>[] = [
  {
    ...base, event_id_cnty: 'SYR2301', event_date: '15/03/2017', event_type: 'Explosions/Remote violence', sub_event_type: 'Shelling/artillery/missile attack',
    actor1: 'Military Forces of Syria (2000-)', inter1: SYRIA, actor2: 'Hayat Tahrir al Sham', inter2: 'Rebel group', interaction: 12,
    admin1: 'Idleb', admin2: 'Ma’arrat an Nu’man', admin3: 'Ma’arrat an Nu’man', location: 'Ma’arrat an Nu’man', latitude: 35.6476, longitude: 36.6734,
    source: 'SOHR', notes: 'On 15 March 2017, regime forces shelled HTS positions in Ma’arrat an Nu’man (Ma’arrat an Nu’man, Idleb). 2 HTS fighters were killed.', fatalities: 2,
  },
  {
    ...base, event_id_cnty: 'SYR2388', event_date: '04 April 2017', event_type: 'Explosions/Remote violence', sub_event_type: 'Air/drone strike',
    actor1: 'Military Forces of Russia (2000-)', inter1: 'External/Other forces', actor2: 'Civilians (Syria)', inter2: 'Civilians', interaction: 87,
    civilian_targeting: 'Civilian targeting', admin1: 'Idleb', admin2: 'Ma’arrat an Nu’man', admin3: 'Khan Shaykun', location: 'Khan Shaykun',
    latitude: 35.4397, longitude: 36.6509, source: 'SOHR; Syrian Network for Human Rights',
    notes: 'On 4 April 2017, Russian warplanes struck the market of Khan Shaykun, killing 4 civilians. The “second strike” hit the clinic.', fatalities: 4,
  },
  {
    ...base, event_id_cnty: 'SYR2410', event_date: '2017-04-21', time_precision: 2, event_type: 'Explosions/Remote violence', sub_event_type: 'Air/drone strike',
    actor1: 'Military Forces of the United States (2017-2021)', inter1: 'External/Other forces', actor2: 'Hayat Tahrir al Sham', inter2: 'Rebel group', interaction: 28,
    admin1: 'Idleb', admin2: 'Harim', admin3: 'Dana', location: 'Sarmada', latitude: 36.1824, longitude: 36.7219, geo_precision: 2, source: 'Smart News Agency',
    notes: 'Around 21 April 2017 (week of), a US drone struck a car carrying HTS commanders near Sarmada. 2 HTS members were killed.', fatalities: 2,
  },
  {
    ...base, event_id_cnty: 'SYR2475', event_date: '21-Apr-2017', event_type: 'Battles', sub_event_type: 'Armed clash',
    actor1: 'Military Forces of Syria (2000-)', assoc_actor_1: 'NDF: National Defence Forces', inter1: SYRIA, actor2: 'Islamic State (Syria)', inter2: 'Rebel group', interaction: 12,
    admin1: 'Deir ez Zor', admin2: '', admin3: '', location: 'Deir ez Zor', latitude: 35.3359, longitude: 40.1408, geo_precision: 3, source: 'SANA; SOHR',
    notes: 'On 21 April 2017, regime forces and NDF clashed with IS around Deir ez Zor. 11 fighters were killed.', fatalities: 11,
  },
  {
    ...base, event_id_cnty: 'SYR2502', event_date: 'May 2, 2017', time_precision: 3, event_type: 'Explosions/Remote violence', sub_event_type: 'Remote explosive/landmine/IED',
    actor1: 'Unidentified Armed Group (Syria)', inter1: 'Political militia', actor2: 'Civilians (Syria)', inter2: 'Civilians', interaction: 37, civilian_targeting: 'Civilian targeting',
    admin1: 'Aleppo', admin2: 'Azaz', admin3: 'Azaz', location: 'Azaz', latitude: 36.5866, longitude: 37.0463, source: 'Syrian Observatory for Human Rights',
    notes: 'In May 2017, an IED exploded near the bus station of Azaz, killing a civilian.', fatalities: 1,
  },
  {
    ...base, event_id_cnty: 'SYR2520', event_date: '02/05/2017', event_type: 'Violence against civilians', sub_event_type: 'Attack',
    actor1: 'Islamic State (Syria)', inter1: 'Rebel group', actor2: 'Civilians (Syria)', assoc_actor_2: 'Aid Workers (Syria); SARC: Syrian Arab Red Crescent', inter2: 'Civilians',
    interaction: 27, civilian_targeting: 'Civilian targeting', admin1: 'Deir ez Zor', admin2: 'Al Mayadin', admin3: 'Al Mayadin', location: 'Al Mayadin',
    latitude: 35.0196, longitude: 40.4526, source: 'SARC', notes: 'On 2 May 2017, IS gunmen fired on a SARC convoy near Al Mayadin, killing 2 aid workers.', fatalities: 2,
  },
  {
    ...base, event_id_cnty: 'SYR2533', event_date: '05/05/2017', event_type: 'Violence against civilians', sub_event_type: 'Abduction/forced disappearance',
    actor1: 'Hayat Tahrir al Sham', inter1: 'Rebel group', actor2: 'Civilians (Syria)', inter2: 'Civilians', interaction: 27, civilian_targeting: 'Civilian targeting',
    admin1: 'Idleb', admin2: 'Idleb', admin3: 'Saraqab', location: 'Saraqab', latitude: 35.8624, longitude: 36.8006, source: 'Enab Baladi',
    notes: 'On 5 May 2017, HTS abducted a journalist in Saraqab.\nHis whereabouts are unknown.', fatalities: 0,
  },
  {
    ...base, event_id_cnty: 'SYR2540', event_date: '13/05/2017', disorder_type: 'Demonstrations', event_type: 'Protests', sub_event_type: 'Peaceful protest',
    actor1: 'Protesters (Syria)', inter1: 'Protesters', actor2: '', inter2: '', interaction: 60, admin1: 'Idleb', admin2: 'Idleb', admin3: 'Kafr Nobol',
    location: 'Kafr Nobol', latitude: 35.6136, longitude: 36.5612, source: 'Enab Baladi', notes: 'On 13 May 2017, people protested against HTS in Kafr Nobol.', fatalities: 0,
  },
  {
    ...base, event_id_cnty: 'SYR2601', event_date: '14/05/2017', event_type: 'Strategic developments', sub_event_type: 'Looting/property destruction',
    actor1: 'Military Forces of Turkey (2016-)', inter1: 'External/Other forces', actor2: 'Civilians (Syria)', inter2: 'Civilians', interaction: 87,
    admin1: 'Aleppo', admin2: 'Afrin', admin3: 'Afrin', location: 'Afrin', latitude: 36.5119, longitude: 36.8694, source: 'Hawar News Agency',
    notes: 'On 14 May 2017, Turkish-backed forces looted houses in Afrin.', fatalities: 0,
  },
]


/** An incident log as a monitoring team might keep it in a spreadsheet and tag it for HXL. */
export const HXL_INCIDENTS = [
  'Ceasefire monitoring: incidents reported in Aleppo governorate,,,,,,,,,,,,,',
  'Incident,Date,Latitude,Longitude,Precision,Type,Civilians killed,Civilians injured,Fighters killed,Alleged perpetrator,Target,Reported by,Link,Account,Place',
  '#meta+id,#date +occurred,#geo +lat,#geo+lon,#geo+precision,#event+type,#affected+killed,#affected+injured,#affected+killed+combatants,#actor+perpetrator,#actor+target,#org,#meta+url,#description+i_en,#loc+name',
  'M-001,2016-03-01 14:05,36.2021,37.1343,1,Shelling,2,5,,Government of Syria,Jaysh al-Islam,Monitoring team North,https://example.org/r/1,"Mortar rounds hit the market, then a second salvo.",Bustan al-Qasr',
  'M-002,02/03/2016,36.19,37.16,2,Air strike,0,,3,,,Monitoring team North,,Two jets seen over the city.,Aleppo',
  'M-003,March 2016,36.58,37.04,3,drone_strike,,,,,,Monitoring team North',
  'M-004,,36.2,37.1,1,Shelling,,,,,,,,,',
  'M-005,05/03/2016,,37.1,1,Bombing,,,,,,,,,',
  'M-006,06/03/2016,36.2,37.1,1,Peaceful protest,,,,,,,,,',
  'M-007,13/03/2016,36.2,37.1,9,Armed clash,two,,,,,,ftp://x,"A firefight at the checkpoint,',
  'lasting an hour.",Sheikh Maqsoud',
  'M-001,14/03/2016,36.2,37.1,1,Small arms,,,,,,,,,',
  '',
].join('\r\n')

