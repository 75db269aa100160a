// The SQL of verification: the evidence behind an incident (its reports' sources and who
// reported them), the agreements in force at its time with their thresholds, who disclosed its
// reports to whom, and the allegations, requests, answers, findings and transitions on it.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { visibleTo } from '../../lib/visibility.ts'
import type { Principal } from '../access/access.policy.ts'
import { DEFAULT_RULES, type AgreementRules, type Disclosure, type EvidenceSource, type VerificationRules } from './verification.policy.ts'
import type { Cursor } from '../../lib/pagination.ts'

type Db = Kysely<DB> | Transaction<DB>

export function verificationRepository(db: Db) {
  return {
    /** The sources of these reports, each with the party that reported it and the party's kind. */
    async sources(reportIds: readonly string[]): Promise<EvidenceSource[]> {
      if (reportIds.length === 0) return []
      const rows = await db.selectFrom('report_sources as s').innerJoin('reports as r', 'r.id', 's.report_id').innerJoin('parties as p', 'p.id', 'r.party_id')
        .select(['s.report_id', 'r.party_id', 'p.kind', 's.kind as source_kind', 's.name', 's.url'])
        .where('s.report_id', 'in', [...reportIds]).orderBy('r.seq').orderBy('s.ordinal').execute()
      return rows.map((r) => ({ reportId: r.report_id, partyId: r.party_id, partyKind: r.kind, kind: r.source_kind, name: r.name, url: r.url }))
    },

    /** The incident's time: when the earliest of these reports says it happened. */
    async timeOf(reportIds: readonly string[]): Promise<Date | null> {
      if (reportIds.length === 0) return null
      const row = await db.selectFrom('reports').select((eb) => eb.fn.min('occurred_at').as('at')).where('id', 'in', [...reportIds]).executeTakeFirst()
      return row?.at ? new Date(row.at as Date) : null
    },

    /**
     * Agreements in force at `at` (not drafts; effective_from ≤ at < effective_to), each with its
     * latest rules or the defaults. All of them, visible or not: a restricted agreement binds too;
     * `slug` is given only for those the viewer may see.
     */
    async agreementsInForce(viewer: Principal, at: Date): Promise<AgreementRules[]> {
      const rows = await db.selectFrom('agreements as a')
        .select(['a.id', 'a.slug'])
        .select(sql<boolean>`${visibleTo(viewer, 'a')}`.as('visible'))
        .select(sql<VerificationRules | null>`(select v.rules from verification_rules v where v.agreement_id = a.id order by v.version desc limit 1)`.as('rules'))
        .where('a.status', '<>', 'draft')
        .where('a.effective_from', '<=', at)
        .where((eb) => eb.or([eb('a.effective_to', 'is', null), eb('a.effective_to', '>', at)]))
        .orderBy('a.created_at').orderBy('a.id').execute()
      return rows.map((r) => ({ agreementId: r.id, slug: r.visible ? r.slug : null, rules: { ...DEFAULT_RULES, ...(r.rules ?? {}) } }))
    },

    async rulesOf(agreementId: string) {
      return db.selectFrom('verification_rules').selectAll().where('agreement_id', '=', agreementId).orderBy('version', 'desc').limit(1).executeTakeFirst()
    },

    /** A provision of an agreement the viewer may see (else none: a hidden agreement's provisions are not named). */
    async provision(viewer: Principal, id: string) {
      return db.selectFrom('provisions as p').innerJoin('agreements as a', 'a.id', 'p.agreement_id').select(['p.id', 'p.agreement_id'])
        .where('p.id', '=', id).where(visibleTo(viewer, 'a')).executeTakeFirst()
    },

    async party(id: string) {
      return db.selectFrom('parties').select(['id', 'kind']).where('id', '=', id).executeTakeFirst()
    },

    async actorVisible(viewer: Principal, id: string) {
      return (await db.selectFrom('actors as a').select('a.id').where('a.id', '=', id).where(visibleTo(viewer, 'a')).executeTakeFirst()) !== undefined
    },

    /**
     * Who may see the incident, as one disclosure: public when a report is public, all parties
     * when one is shared with them, else the parties its restricted and internal reports name.
     * Its ledger entries are disclosed no wider.
     */
    async disclosureOf(incidentId: string): Promise<Disclosure> {
      const rows = await db.selectFrom('incident_reports as ir').innerJoin('reports as r', 'r.id', 'ir.report_id')
        .select(['r.visibility', 'r.owner_party_id', 'r.restricted_to']).where('ir.incident_id', '=', incidentId).execute()
      if (rows.some((r) => r.visibility === 'public')) return { visibility: 'public', restrictedTo: [] }
      if (rows.some((r) => r.visibility === 'parties')) return { visibility: 'parties', restrictedTo: [] }
      const named = new Set<string>()
      for (const r of rows) {
        named.add(r.owner_party_id)
        if (r.visibility === 'restricted') for (const p of r.restricted_to) named.add(p)
      }
      return { visibility: 'restricted', restrictedTo: [...named].sort() }
    },

    /**
     * The incident and every incident merged into it, directly or through another: what was
     * alleged and found on them belongs to the incident they went into.
     */
    async mergedTree(incidentId: string): Promise<string[]> {
      const rows = await sql<{ id: string }>`with recursive tree(id) as (
          select ${incidentId}::uuid
          union select i.id from incidents i join tree t on i.merged_into = t.id)
        select id from tree`.execute(db)
      return rows.rows.map((r) => r.id)
    },

    /** Parties that alleged, or are accused of, a violation in these incidents (all allegations: a party knows its own). */
    async involvedParties(incidentIds: readonly string[]): Promise<string[]> {
      const rows = await db.selectFrom('allegations').select(['alleging_party_id', 'accused_party_id']).where('incident_id', 'in', [...incidentIds]).execute()
      return [...new Set(rows.flatMap((r) => [r.alleging_party_id, r.accused_party_id]))]
    },

    transitions(incidentId: string) {
      return db.selectFrom('incident_transitions').selectAll().where('incident_id', '=', incidentId).orderBy('seq').execute()
    },

    allegations(viewer: Principal, incidentIds: readonly string[]) {
      return db.selectFrom('allegations as a').selectAll('a').where('a.incident_id', 'in', [...incidentIds]).where(visibleTo(viewer, 'a'))
        .orderBy('a.created_at').orderBy('a.id').execute()
    },

    /** The requests of these allegations, each with whether it has been answered. */
    requests(allegationIds: readonly string[]) {
      if (allegationIds.length === 0) return Promise.resolve([])
      return db.selectFrom('information_requests as q').selectAll('q')
        .select(sql<boolean>`exists (select 1 from information_responses x where x.request_id = q.id)`.as('answered'))
        .where('q.allegation_id', 'in', [...allegationIds]).orderBy('q.created_at').execute()
    },

    responses(requestIds: readonly string[]) {
      if (requestIds.length === 0) return Promise.resolve([])
      return db.selectFrom('information_responses').selectAll().where('request_id', 'in', [...requestIds]).orderBy('created_at').orderBy('id').execute()
    },

    /** One request with its allegation, when the viewer may see the allegation. */
    request(viewer: Principal, id: string) {
      return db.selectFrom('information_requests as q').innerJoin('allegations as a', 'a.id', 'q.allegation_id')
        .selectAll('q').select(['a.incident_id', 'a.alleging_party_id', 'a.visibility', 'a.owner_party_id', 'a.restricted_to'])
        .where('q.id', '=', id).where(visibleTo(viewer, 'a')).executeTakeFirst()
    },

    /** Requests to the viewer's party and those it sent, that it may see: a page by deadline (then id) after the cursor's. */
    requestsOf(viewer: Principal, onlyOpen: boolean, limit: number, after: Cursor | undefined) {
      const party = viewer.partyId!
      let q = db.selectFrom('information_requests as q').innerJoin('allegations as a', 'a.id', 'q.allegation_id')
        .selectAll('q').select(['a.incident_id', 'a.alleging_party_id', 'a.text'])
        .select(sql<boolean>`exists (select 1 from information_responses x where x.request_id = q.id)`.as('answered'))
        .where((eb) => eb.or([eb('q.to_party_id', '=', party), eb('a.alleging_party_id', '=', party)]))
        .where(visibleTo(viewer, 'a'))
      if (onlyOpen) q = q.where(sql<boolean>`not exists (select 1 from information_responses x where x.request_id = q.id)`)
      if (after) q = q.where((eb) => eb.or([eb('q.deadline', '>', new Date(after.k)), eb.and([eb('q.deadline', '=', new Date(after.k)), eb('q.id', '>', after.id)])]))
      return q.orderBy('q.deadline').orderBy('q.id').limit(limit + 1).execute()
    },

    findings(viewer: Principal, incidentIds: readonly string[]) {
      return db.selectFrom('findings as f').innerJoin('parties as p', 'p.id', 'f.party_id').selectAll('f').select('p.kind as party_kind')
        .where('f.incident_id', 'in', [...incidentIds]).where(visibleTo(viewer, 'f'))
        .orderBy('f.created_at').orderBy('f.id').execute()
    },

    finding(viewer: Principal, id: string) {
      return db.selectFrom('findings as f').selectAll('f').where('f.id', '=', id).where(visibleTo(viewer, 'f')).executeTakeFirst()
    },

    concurrences(findingIds: readonly string[]) {
      if (findingIds.length === 0) return Promise.resolve([])
      return db.selectFrom('finding_concurrences as c').innerJoin('parties as p', 'p.id', 'c.party_id').selectAll('c').select('p.kind as party_kind')
        .where('c.finding_id', 'in', [...findingIds]).orderBy('c.created_at').execute()
    },
  }
}
