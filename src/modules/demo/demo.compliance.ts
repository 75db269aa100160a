// The demo's compliance rules and a handful of reports that make the compliance page say
// something: how each agreement is read against incidents, and five reported events (DEMO
// ENTRIES, not records of real events) chosen so the answers differ the way the guarantors did.
// - Syria CoH 2016: covers its theatre; provision 2 prohibits attacks, provision 4 obstructing
//   aid; it binds the groups that joined (provision 6 excludes the UN-listed ones: the exclusions
//   are the agreement's own, read through the delineation).
// - Minsk II: covers the zones of the minsk-ii-lines layer; provision 1 prohibits firing,
//   provision 2 heavy weapons within the withdrawal zones, provision 3 restricting the monitors;
//   it binds both sides, whoever they are.
// Each report goes through the reports service (its submission, place and incident).
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Principal } from '../access/access.policy.ts'
import { complianceService } from '../incidents/compliance.service.ts'
import type { ReportBody } from '../incidents/reports.schemas.ts'
import { reportsService } from '../incidents/reports.service.ts'

const ATTACKS = ['shelling', 'airstrike', 'drone_strike', 'ground_attack', 'small_arms', 'explosion', 'attack_on_protected_site', 'attack_on_humanitarian'] as const
const FIRING = ['shelling', 'airstrike', 'drone_strike', 'ground_attack', 'small_arms', 'explosion'] as const

type DemoReport = { by: string; visibility?: 'public' } & Omit<ReportBody, 'datePrecision' | 'description' | 'anonymous' | 'visibility' | 'where'> & {
  where: { kind: 'point'; lon: number; lat: number; precision: 1 | 2; placeName: string }
  description: string
}

export const DEMO_REPORTS: DemoReport[] = [
  { by: 'analyst@truce.demo', occurredAt: '2016-03-08T10:00:00Z', category: 'shelling', perpetrator: 'Jaysh al-Islam',
    where: { kind: 'point', lon: 36.3, lat: 33.51, precision: 2, placeName: 'Damascus, eastern districts' },
    description: 'Demo entry: mortar rounds reported landing in eastern districts of Damascus, attributed by the source to a group that joined the cessation.',
    sources: [{ kind: 'party_allegation', reliability: 'C', name: 'Russian Reconciliation Centre (demo)' }] },
  { by: 'analyst@truce.demo', occurredAt: '2016-03-20T14:00:00Z', category: 'ground_attack', perpetrator: 'Jabhat al-Nusra',
    where: { kind: 'point', lon: 36.41, lat: 33.58, precision: 2, placeName: 'Douma' },
    description: 'Demo entry: an assault on positions near Douma, attributed to a UN-listed group.',
    sources: [{ kind: 'media', reliability: 'C', name: 'Press reports (demo)' }] },
  { by: 'analyst@truce.demo', occurredAt: '2016-04-10T09:00:00Z', category: 'shelling', perpetrator: 'Ahrar al-Sham',
    where: { kind: 'point', lon: 36.705, lat: 35.99, precision: 1, placeName: 'Foua' },
    description: 'Demo entry: shelling of the besieged town, attributed to a group one co-chair counts as having joined and the other as part of a front led by an excluded group.',
    sources: [{ kind: 'media', reliability: 'C', name: 'Press reports (demo)' }] },
  { by: 'analyst@truce.demo', occurredAt: '2016-04-22T05:00:00Z', category: 'shelling',
    where: { kind: 'point', lon: 37.185, lat: 36.21, precision: 1, placeName: 'Eastern Aleppo' },
    description: 'Demo entry: shelling of eastern Aleppo by an unidentified party; the co-chairs disagree about who held the area.',
    sources: [{ kind: 'monitor_observation', reliability: 'B', name: 'Task force monitor (demo)' }] },
  // The monitors publish what their patrols see, so the public reads this one.
  { by: 'monitor@truce.demo', visibility: 'public', occurredAt: '2017-01-30T07:00:00Z', category: 'heavy_weapons_in_zone', counts: {},
    where: { kind: 'point', lon: 37.73, lat: 48.12, precision: 1, placeName: 'near Avdiivka' },
    description: 'Demo entry: monitors saw heavy artillery inside the withdrawal zone, in breach of the withdrawal lines.',
    sources: [{ kind: 'monitor_observation', reliability: 'A', name: 'OSCE SMM patrol (demo)' }] },
]

/** Writes the rules and the reports; returns how many reports. */
export async function loadDemoCompliance(db: Kysely<DB>, as: (email: string) => Principal): Promise<number> {
  const compliance = complianceService(db)
  await compliance.putRules(as('coordinator.us@truce.demo'), 'syria-coh-2016', {
    coverage: { kind: 'everywhere', bbox: [35.5, 32.3, 42.5, 37.4] },
    prohibitions: [{ provision: '2', categories: [...ATTACKS] }, { provision: '4', categories: ['aid_obstruction'] }],
    bound: 'acceded',
    note: 'Demo: the cessation covers Syria, binds the groups that joined through a co-chair, and excludes the UN-listed groups (provision 6).',
  })
  await compliance.putRules(as('admin@truce.demo'), 'minsk-ii-2015', {
    coverage: { kind: 'layers', layers: ['minsk-ii-lines'] },
    prohibitions: [
      { provision: '1', categories: [...FIRING] },
      { provision: '2', categories: ['heavy_weapons_in_zone'], within: ['buffer'] },
      { provision: '3', categories: ['monitor_restriction'] },
    ],
    bound: 'all',
    note: 'Demo: the package applies along the contact line and its withdrawal zones and binds both sides.',
  })
  const reports = reportsService(db)
  for (const { by, visibility, ...r } of DEMO_REPORTS) {
    await reports.record(as(by), { ...r, datePrecision: 1, anonymous: false, visibility: visibility ?? 'parties' }, { channel: 'api' })
  }
  return DEMO_REPORTS.length
}
