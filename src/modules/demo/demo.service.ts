// Loads the demo scenario through the same services the API uses, so every demo record has its
// submission. Loading is idempotent: a scenario already present is left as it is.
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { agreementsService } from '../agreements/agreements.service.ts'
import { systemActor } from '../ledger/ledger.service.ts'
import { partiesService } from '../parties/parties.service.ts'
import { permissionsOf, type Principal } from '../access/access.policy.ts'
import { loadDemoActors } from './demo.actors.ts'
import { loadDemoGeo } from './demo.geo.ts'
import { loadDemoCompliance } from './demo.compliance.ts'
import { loadDemoVerification } from './demo.verification.ts'
import { DEMO_PARTIES, DEMO_PASSWORD, DEMO_STATUSES, DEMO_USERS, MINSK_II, SYRIA_COH } from './demo.scenario.ts'

export type DemoResult = { loaded: boolean; parties: number; users: number; agreements: number }

export async function loadDemo(db: Kysely<DB>, log: (line: string) => void = () => {}): Promise<DemoResult> {
  const existing = await db.selectFrom('agreements').select('id').where('slug', '=', SYRIA_COH.slug).executeTakeFirst()
  if (existing) return { loaded: false, parties: 0, users: 0, agreements: 0 }
  const parties = partiesService(db)
  const agreements = agreementsService(db)

  const partyIds = new Map<string, string>()
  for (const p of DEMO_PARTIES) {
    const found = await db.selectFrom('parties').select('id').where('slug', '=', p.slug).executeTakeFirst()
    const id = found?.id ?? (await parties.createParty('system', p)).id
    partyIds.set(p.slug, id)
  }
  log(`demo: ${DEMO_PARTIES.length} parties`)
  const idOf = (slug: string) => {
    const id = partyIds.get(slug)
    if (!id) throw new Error(`demo scenario names unknown party ${slug}`)
    return id
  }

  const principals = new Map<string, Principal>()
  for (const u of DEMO_USERS) {
    const partyId = idOf(u.party)
    const found = await db.selectFrom('users').select(['id']).where('email', '=', u.email).executeTakeFirst()
    const id = found?.id ?? (await parties.createUser(systemActor(partyId), {
      partyId, email: u.email, displayName: u.displayName, password: DEMO_PASSWORD, roles: u.roles, locale: u.locale,
    })).id
    const kind = DEMO_PARTIES.find((p) => p.slug === u.party)?.kind ?? null
    principals.set(u.email, { kind: 'user', userId: id, partyId, partyKind: kind, roles: u.roles, permissions: permissionsOf(u.roles), apiKeyId: null })
  }
  log(`demo: ${DEMO_USERS.length} users (password "${DEMO_PASSWORD}")`)

  for (const a of [SYRIA_COH, MINSK_II]) {
    const { owner, parties: roles, ...rest } = a
    await agreements.create(systemActor(idOf(owner)), {
      ...rest, parties: roles.map((r) => ({ partyId: idOf(r.party), role: r.role })),
    })
  }
  for (const s of DEMO_STATUSES) {
    const actor = principals.get(s.reporter)
    if (!actor) throw new Error(`demo status names unknown user ${s.reporter}`)
    const detail = await agreements.get(actor, s.agreement)
    const provision = detail.provisions.find((p) => p.number === s.provision)
    if (!provision) throw new Error(`demo status names unknown provision ${s.agreement} ${s.provision}`)
    await agreements.setStatus(actor, s.agreement, provision.id, { level: s.level, asOf: new Date(s.asOf), evidence: s.evidence })
  }
  log('demo: 2 agreements (syria-coh-2016, minsk-ii-2015)')
  const as = (email: string) => principals.get(email) ?? (() => { throw new Error(`demo actors name unknown user ${email}`) })()
  const actors = await loadDemoActors(db, { us: as('coordinator.us@truce.demo'), ru: as('coordinator.ru@truce.demo'), un: as('analyst@truce.demo') }, idOf)
  log(`demo: ${actors} armed actors with the co-chairs' claims about them`)
  const features = await loadDemoGeo(db, as)
  log(`demo: 4 map layers with ${features} features (areas of control, besieged areas, protected sites, Minsk II lines)`)
  const reports = await loadDemoCompliance(db, as)
  log(`demo: compliance rules for both agreements, ${reports} reports`)
  const steps = await loadDemoVerification(db, as)
  log(`demo: ${steps} verification steps (an allegation with its request for information and answer, reviews, a finding)`)
  return { loaded: true, parties: DEMO_PARTIES.length, users: DEMO_USERS.length, agreements: 2 }
}
