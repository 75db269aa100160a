// The demo's verification record: what the parties did with two of the demo's reported events
// (DEMO ENTRIES, not records of real events), through the verification service, so the incident
// pages show a review, an allegation with its request for information and the answer, and a
// finding.
// - Damascus, March 2016: the Russian cell accuses the United States (Jaysh al-Islam joined the
//   cessation through it) of a breach of provision 2; the request for information goes to the US
//   cell, which answers; the UN Special Envoy's office opens the review.
// - Near Avdiivka, January 2017: the OSCE monitors, who saw the guns themselves, open the review
//   and record a finding, highly probable, under provision 2 of Minsk II.
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Principal } from '../access/access.policy.ts'
import { agreementsService } from '../agreements/agreements.service.ts'
import { verificationService } from '../incidents/verification.service.ts'

/** The incident of the demo report whose description begins so. */
async function incidentOf(db: Kysely<DB>, description: string): Promise<string> {
  const row = await db.selectFrom('reports as r').innerJoin('incident_reports as ir', 'ir.report_id', 'r.id')
    .select('ir.incident_id').where('r.description', 'like', `${description}%`).executeTakeFirst()
  if (!row) throw new Error(`the demo has no report "${description}…"`)
  return row.incident_id
}

/** Writes the demo's verification steps; returns how many. */
export async function loadDemoVerification(db: Kysely<DB>, as: (email: string) => Principal): Promise<number> {
  const verification = verificationService(db)
  const agreements = agreementsService(db)
  const provision = async (who: Principal, agreement: string, number: string) => {
    const p = (await agreements.get(who, agreement)).provisions.find((x) => x.number === number)
    if (!p) throw new Error(`the demo has no provision ${agreement} ${number}`)
    return p.id
  }
  const ru = as('coordinator.ru@truce.demo'), us = as('coordinator.us@truce.demo'), envoy = as('analyst@truce.demo'), osce = as('monitor@truce.demo')

  const damascus = await incidentOf(db, 'Demo entry: mortar rounds reported landing in eastern districts of Damascus')
  const allegation = await verification.allege(ru, damascus, {
    accusedPartyId: us.partyId!, provisionId: await provision(ru, 'syria-coh-2016', '2'), visibility: 'parties',
    text: 'Demo entry: the Russian cell holds that a group which joined the cessation through the United States fired these rounds, and asks the US cell to account for it.',
  })
  const request = allegation.requests[0]!
  await verification.respond(us, request.id, {
    text: 'Demo entry: the US cell has asked the group, which denies firing; the US cell asks for the crater analysis the allegation relies on.',
  })
  await verification.transition(envoy, damascus, { to: 'under_review', reason: 'Demo entry: an allegation and its answer are on file; the task force looks at the evidence.' })

  const avdiivka = await incidentOf(db, 'Demo entry: monitors saw heavy artillery inside the withdrawal zone')
  await verification.transition(osce, avdiivka, { to: 'under_review', reason: 'Demo entry: the patrol\'s own observation, with photographs.' })
  await verification.find(osce, avdiivka, {
    conclusion: 'violation', confidence: 'highly_probable', provisionId: await provision(osce, 'minsk-ii-2015', '2'), visibility: 'parties',
    text: 'Demo entry: the patrol saw the guns inside the withdrawal zone; a potential breach of the withdrawal lines.',
  })
  return 5
}
