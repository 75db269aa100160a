// Compliance and statistics of incidents. An agreement's rules are written (new version, with
// their submission, by whoever may amend the agreement) and read; an incident is evaluated
// against every agreement the caller may see that was in force at its time, from what the caller
// may see: its reports, the map at that instant (geo attribution), and the actors' delineation on
// that date. Statistics count the incidents the caller may see, in SQL.
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { AppError, badRequest, forbidden, notFound, validationFailed, type ErrorDetail } from '../../lib/errors.ts'
import { canonicalize } from '../../lib/canonical-json.ts'
import { csvDocument } from '../../lib/csv.ts'
import type { Principal } from '../access/access.policy.ts'
import { actorsService } from '../actors/actors.service.ts'
import type { Cell } from '../actors/viewpoints.ts'
import { agreementsService } from '../agreements/agreements.service.ts'
import type { AgreementDetail } from '../agreements/agreements.schemas.ts'
import { geoService } from '../geo/geo.service.ts'
import { ZONE_KINDS } from '../geo/geo.schemas.ts'
import { recordSubmission } from '../ledger/ledger.service.ts'
import { partiesService } from '../parties/parties.service.ts'
import { bboxOf, coverageAt, evaluateCompliance, type AreaHit, type ComplianceRules, type Coverage, type NamedActor, type Prohibition } from './compliance.ts'
import { complianceRepository } from './compliance.repository.ts'
import type { ComplianceRulesBody, StatsGroup } from './compliance.schemas.ts'
import { incidentVisibleTo } from './incidents.repository.ts'
import type { Category } from './incidents.types.ts'
import { reportsService } from './reports.service.ts'
import { beforeAfter, bucketize, daysBetween } from './stats.ts'

/** The longest range statistics are computed over, in days (about 30 years). */
const MAX_STATS_DAYS = 11_000
/** An incident's reports read for its evaluation (the earliest first). */
const MAX_REPORTS = 200

type RulesRow = NonNullable<Awaited<ReturnType<ReturnType<typeof complianceRepository>['latestRules']>>>
const presentRules = (r: RulesRow) => ({
  agreementId: r.agreement_id, version: r.version, coverage: r.coverage as Coverage, prohibitions: r.prohibitions as Prohibition[], bound: r.bound,
  note: r.note, partyId: r.party_id, submissionId: r.submission_id, createdAt: r.created_at.toISOString(),
})

const textOf = (t: Record<string, string> | null | undefined, fallback: string) => t?.en ?? Object.values(t ?? {})[0] ?? fallback

export type StatsQuery = { from?: string | undefined; to?: string | undefined; interval: 'day' | 'week'; by: StatsGroup; agreement?: string | undefined }

/** HXL hashtags of each grouping's columns (code, name). */
const HXL_GROUP: Record<StatsGroup, [string, string]> = {
  category: ['#event+type+code', '#event+type+name'],
  zone: ['#adm1+code', '#adm1+name'],
  party: ['#actor+code', '#actor+name'],
  state: ['#status+code', '#status+name'],
}

export function complianceService(db: Kysely<DB>) {
  const repo = complianceRepository(db)
  const agreements = agreementsService(db)
  const actors = actorsService(db)
  const reports = reportsService(db)
  const geo = geoService(db)
  const parties = partiesService(db)

  type ReportRow = Awaited<ReturnType<typeof reports.get>>

  /** The report that places an incident: the most precisely located (then the earliest). */
  const placedReport = (rows: readonly ReportRow[]) => [...rows].sort((a, b) => a.wherePrecision - b.wherePrecision || a.occurredAt.localeCompare(b.occurredAt))[0]!

  /**
   * An incident's place: its most precisely located report (then the earliest) as the viewer may
   * see it, and the areas there at the earliest report's time (geo attribution).
   */
  async function placeOf(viewer: Principal, rows: readonly ReportRow[]): Promise<{ placed: ReportRow; areas: AreaHit[] }> {
    const at = rows.reduce((min, r) => (r.occurredAt < min ? r.occurredAt : min), rows[0]!.occurredAt)
    const placed = placedReport(rows)
    const attribution = await geo.attribute(viewer, { geometry: placed.geometry, at: new Date(at), within: 0 })
    const hit = (kind: AreaHit['layerKind']) => (h: { featureId: string; layer: string; name: Record<string, string>; claimantPartyId: string; actorId?: string | null; confidence?: string | null; zoneKind?: string | null }): AreaHit => ({
      featureId: h.featureId, layer: h.layer, layerKind: kind, zoneKind: h.zoneKind ?? null, name: textOf(h.name, h.layer),
      claimantPartyId: h.claimantPartyId, actorId: h.actorId ?? null, confidence: h.confidence ?? null,
    })
    return { placed, areas: [...attribution.admin.map(hit('admin')), ...attribution.zones.map(hit('zone')), ...attribution.access.map(hit('access')), ...attribution.control.map(hit('control'))] }
  }

  /** An agreement named in a query: one the caller may not see is as unknown as a missing one. */
  async function agreementOf(viewer: Principal, idOrSlug: string, path: string): Promise<AgreementDetail> {
    try {
      return await agreements.get(viewer, idOrSlug)
    } catch (e) {
      if (e instanceof AppError && e.status === 404) throw badRequest('unknown_agreement', 'No such agreement.', [{ path, message: 'no agreement you may see has this id or slug' }])
      throw e
    }
  }

  /** Checks a rule set against the agreement and the map: every provision, layer and zone kind named must exist. */
  async function checkRules(actor: Principal, detail: AgreementDetail, body: ComplianceRulesBody) {
    const details: ErrorDetail[] = []
    const provisions = new Map(detail.provisions.map((p) => [p.number, p]))
    const named = [...(body.coverage.kind === 'layers' ? body.coverage.layers : []), ...body.prohibitions.flatMap((p) => (p.within ?? []).filter((w) => !(ZONE_KINDS as readonly string[]).includes(w)))]
    const layers = new Map((await repo.layers(actor, [...new Set(named)])).map((l) => [l.slug, l.kind]))
    if (body.coverage.kind === 'layers') {
      body.coverage.layers.forEach((slug, i) => {
        const kind = layers.get(slug)
        if (kind === undefined) details.push({ path: `body.coverage.layers.${i}`, code: 'unknown_layer', message: `no map layer you may see is called ${slug}` })
        else if (!['zone', 'admin', 'access'].includes(kind)) details.push({ path: `body.coverage.layers.${i}`, code: 'wrong_layer_kind', message: `${slug} is a ${kind} layer; coverage takes zone, admin or access layers` })
      })
    }
    body.prohibitions.forEach((p, i) => {
      const provision = provisions.get(p.provision)
      if (!provision) details.push({ path: `body.prohibitions.${i}.provision`, code: 'unknown_provision', message: `${detail.slug} has no provision ${p.provision}` })
      else if (provision.withdrawnAt !== null) details.push({ path: `body.prohibitions.${i}.provision`, code: 'provision_withdrawn', message: `provision ${p.provision} was withdrawn` })
      ;(p.within ?? []).forEach((w, j) => {
        if ((ZONE_KINDS as readonly string[]).includes(w)) return
        const kind = layers.get(w)
        if (kind === undefined) details.push({ path: `body.prohibitions.${i}.within.${j}`, code: 'unknown_layer', message: `${w} is neither a zone kind (${ZONE_KINDS.join(', ')}) nor a map layer you may see` })
        else if (kind !== 'zone') details.push({ path: `body.prohibitions.${i}.within.${j}`, code: 'wrong_layer_kind', message: `${w} is a ${kind} layer; within takes zone layers` })
      })
    })
    if (details.length > 0) throw validationFailed(details)
  }

  /** An actor's display name as the viewer may see it, else the name the report gave. */
  async function actorName(viewer: Principal, id: string, fallback: string, cache: Map<string, string>) {
    if (!cache.has(id)) {
      try {
        cache.set(id, textOf((await actors.get(viewer, id)).displayName as Record<string, string>, fallback))
      } catch (e) {
        if (!(e instanceof AppError && e.status === 404)) throw e
        cache.set(id, fallback)
      }
    }
    return cache.get(id)!
  }

  return {
    async getRules(viewer: Principal, idOrSlug: string) {
      const detail = await agreements.get(viewer, idOrSlug)
      const row = await repo.latestRules(detail.id)
      if (!row) throw notFound('compliance rules')
      return presentRules(row)
    },

    /** A new version of an agreement's rules, by whoever may amend the agreement, with its submission. */
    async putRules(actor: Principal, idOrSlug: string, body: ComplianceRulesBody) {
      const detail = await agreements.get(actor, idOrSlug)
      if (!detail.actions.amend) throw forbidden('agreement.edit')
      await checkRules(actor, detail, body)
      return db.transaction().execute(async (trx) => {
        const r = complianceRepository(trx)
        const latest = await r.latestRules(detail.id)
        const rules = { coverage: body.coverage, prohibitions: body.prohibitions, bound: body.bound }
        // The same rules again (a retried PUT) write nothing: the current version answers.
        if (latest && canonicalize({ coverage: latest.coverage, prohibitions: latest.prohibitions, bound: latest.bound, note: latest.note }) === canonicalize({ ...rules, note: body.note })) {
          return presentRules(latest)
        }
        const version = (latest?.version ?? 0) + 1
        const submission = await recordSubmission(trx, actor, {
          kind: 'agreement.compliance_rules', subjectId: detail.id,
          payload: { agreementId: detail.id, version, ...rules, note: body.note },
          visibility: detail.visibility, restrictedTo: detail.restrictedTo,
        })
        return presentRules(await r.insertRules({
          agreement_id: detail.id, version, coverage: JSON.stringify(body.coverage), prohibitions: JSON.stringify(body.prohibitions), bound: body.bound,
          note: body.note, party_id: actor.partyId!, user_id: actor.userId, submission_id: submission.id,
        }))
      })
    },

    /**
     * The incident against every agreement in force at its time that the viewer may see and that
     * has rules (or against the one named), each step with its evidence.
     */
    async evaluate(viewer: Principal, incidentId: string, agreementIdOrSlug?: string) {
      const incident = await incidentVisibleTo(db, viewer, incidentId)
      if (!incident) throw notFound('incident')
      const rows = await Promise.all(incident.reportIds.slice(0, MAX_REPORTS).map((id) => reports.get(viewer, id)))
      rows.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.seq - b.seq)
      const at = rows[0]!.occurredAt
      const categories = [...new Set(rows.map((r) => r.category as Category))]
      const { placed, areas } = await placeOf(viewer, rows)
      const distinct = (list: ({ name: string; actorId: string | null } | null)[]): NamedActor[] => {
        const out = new Map<string, NamedActor>()
        for (const a of list) if (a) out.set(a.actorId ?? `name:${a.name.toLowerCase()}`, { actorId: a.actorId, name: a.name })
        // A name the registry resolved elsewhere in the incident adds nothing on its own.
        return [...out.values()]
      }
      const perpetrators = distinct(rows.map((r) => r.perpetrator))
      const targets = distinct(rows.map((r) => r.target))

      let chosen: { id: string; slug: string }[]
      if (agreementIdOrSlug !== undefined) {
        const a = await agreementOf(viewer, agreementIdOrSlug, 'query.agreement')
        if (!(await repo.latestRules(a.id))) throw badRequest('no_compliance_rules', 'This agreement has no compliance rules yet.', [{ path: 'query.agreement', message: `${a.slug} has no compliance rules` }])
        chosen = [{ id: a.id, slug: a.slug }]
      } else chosen = await repo.inForceWithRules(viewer, new Date(at))

      const actorNames = new Map<string, string>()
      const partyNames = new Map<string, string>()
      const claimGuarantors = new Map<string, string | null>()
      const claimsRead = new Set<string>()
      const partyName = async (id: string) => {
        if (!partyNames.has(id)) {
          try {
            partyNames.set(id, textOf((await parties.getParty(id)).name as Record<string, string>, id))
          } catch (e) {
            if (!(e instanceof AppError && e.status === 404)) throw e
            partyNames.set(id, id)
          }
        }
        return partyNames.get(id)!
      }
      for (const a of areas) if (a.layerKind === 'control') await partyName(a.claimantPartyId)

      const evaluations = []
      for (const c of chosen) {
        const detail = await agreements.get(viewer, c.id)
        const rules = (await repo.latestRules(c.id))!
        const delineation = await actors.delineation(viewer, c.id, at.slice(0, 10))
        const cells: Record<string, Record<string, Cell>> = {}
        for (const v of delineation.viewpoints) cells[v.key] = {}
        for (const row of delineation.rows) {
          actorNames.set(row.actorId, row.name)
          for (const v of delineation.viewpoints) cells[v.key]![row.actorId] = row.cells[v.key]!
        }
        const involved = new Set([...perpetrators, ...targets].map((p) => p.actorId).concat(areas.map((a) => a.actorId)).filter((x): x is string => x !== null))
        for (const id of involved) {
          const fallback = [...perpetrators, ...targets].find((p) => p.actorId === id)?.name ?? id
          await actorName(viewer, id, fallback, actorNames)
          // The guarantor each accession went through is on the claim itself.
          if (!claimsRead.has(id) && delineation.rows.some((r) => r.actorId === id)) {
            claimsRead.add(id)
            const actor = await actors.get(viewer, id)
            for (const claim of actor.claims) if (claim.fact === 'accession') claimGuarantors.set(claim.id, claim.guarantorPartyId)
          }
        }
        for (const v of delineation.viewpoints) if (v.partyId) partyNames.set(v.partyId, v.label)
        for (const p of detail.parties) partyNames.set(p.partyId, textOf(p.name as Record<string, string>, p.slug))
        const evaluation = evaluateCompliance({
          agreement: {
            id: detail.id, slug: detail.slug, title: textOf(detail.title, detail.slug),
            effectiveFrom: detail.effectiveFrom, effectiveTo: detail.effectiveTo,
            guarantorIds: detail.parties.filter((p) => p.role === 'guarantor').map((p) => p.partyId),
            provisions: detail.provisions.map((p) => ({ number: p.number, title: textOf(p.title, ''), withdrawnAt: p.withdrawnAt })),
          },
          rules: { coverage: rules.coverage as Coverage, prohibitions: rules.prohibitions as Prohibition[], bound: rules.bound } satisfies ComplianceRules,
          incident: { at, categories, bbox: bboxOf(placed.geometry as { coordinates?: unknown }) },
          areas, perpetrators, targets,
          viewpoints: delineation.viewpoints.map((v) => ({ key: v.key, kind: v.kind, label: v.label, partyId: v.partyId })),
          cells, accessionGuarantors: Object.fromEntries(claimGuarantors),
          partyNames: Object.fromEntries(partyNames), actorNames: Object.fromEntries(actorNames),
        })
        evaluations.push({ ...evaluation, slug: detail.slug, rulesVersion: rules.version })
      }
      return { incidentId: incident.id, at, categories, reportIds: incident.reportIds, evaluations }
    },

    /**
     * Of these agreements, the ones whose compliance rules say they do not cover the incident's
     * place (as the viewer may see its reports and the map): verification leaves their thresholds
     * out. An agreement without compliance rules is taken to cover everywhere.
     */
    async notCovering(viewer: Principal, reportIds: readonly string[], agreementIds: readonly string[]): Promise<Set<string>> {
      const out = new Set<string>()
      const rules = (await Promise.all(agreementIds.map(async (id) => ({ id, rules: await repo.latestRules(id) }))))
        .filter((r): r is { id: string; rules: RulesRow } => r.rules !== undefined)
      if (rules.length === 0 || reportIds.length === 0) return out
      const rows = await Promise.all(reportIds.slice(0, MAX_REPORTS).map((id) => reports.get(viewer, id)))
      const needsMap = rules.some((r) => (r.rules.coverage as Coverage).kind === 'layers')
      const { placed, areas } = needsMap ? await placeOf(viewer, rows) : { placed: placedReport(rows), areas: [] }
      const bbox = bboxOf(placed.geometry as { coordinates?: unknown })
      for (const r of rules) if (!coverageAt(r.rules.coverage as Coverage, bbox, areas).covered) out.add(r.id)
      return out
    },

    /** Incidents the viewer may see, per day or week and group, with totals and, for an agreement, before and after it. */
    async stats(viewer: Principal, q: StatsQuery) {
      const agreement = q.agreement === undefined ? null : await agreementOf(viewer, q.agreement, 'query.agreement')
      if (agreement && agreement.effectiveFrom === null) {
        throw badRequest('no_effective_date', 'This agreement has no effective date to compare before and after.', [{ path: 'query.agreement', message: `${agreement.slug} has no effectiveFrom` }])
      }
      const effectiveFrom = agreement ? new Date(agreement.effectiveFrom!) : null
      const effectiveTo = agreement?.effectiveTo ? new Date(agreement.effectiveTo) : null
      // One pass over the incidents; an open end of the range is where the incidents end.
      const rows = await repo.counts(viewer, { from: q.from, to: q.to, by: q.by, effectiveFrom, effectiveTo })
      const from = q.from ?? rows[0]?.day ?? q.to
      const to = q.to ?? rows.at(-1)?.day ?? q.from
      if (from === undefined || to === undefined) {
        return { from: null, to: null, interval: q.interval, by: q.by, total: 0, groups: [], buckets: [], agreement: null }
      }
      if (daysBetween(from, to) > MAX_STATS_DAYS) {
        throw badRequest('range_too_long', `Statistics cover at most ${MAX_STATS_DAYS} days.`, [{ path: 'query.from', message: `${from} to ${to} is ${daysBetween(from, to)} days; give a shorter range` }])
      }
      const result = bucketize(rows, q.interval, from, to)
      let comparison = null
      if (agreement) {
        const byWeek = new Map<number, number>()
        for (const r of rows) if (r.week !== null && (r.week < 0 || !r.beyond)) byWeek.set(r.week, (byWeek.get(r.week) ?? 0) + r.n)
        const weeks = [...byWeek].map(([week, n]) => ({ week, n }))
        comparison = { id: agreement.id, slug: agreement.slug, effectiveFrom: agreement.effectiveFrom!, ...beforeAfter(weeks, agreement.effectiveFrom!, agreement.effectiveTo, from, to) }
      }
      return { from, to, interval: q.interval, by: q.by, ...result, agreement: comparison }
    },

    /** The statistics as CSV, or as HXL-tagged CSV (a hashtag row under the header): one row per bucket and group, zeros included. */
    async statsExport(viewer: Principal, q: StatsQuery, format: 'csv' | 'hxl'): Promise<string> {
      const s = await this.stats(viewer, q)
      const header = ['period_start', `${q.by}_id`, q.by, 'incidents']
      const tags = ['#date', ...HXL_GROUP[q.by], '#indicator+incidents+num']
      const rows = s.buckets.flatMap((b) => s.groups.map((g) => [b.start, g.key, g.label, b.counts[g.key] ?? 0]))
      return csvDocument([header, ...(format === 'hxl' ? [tags] : []), ...rows])
    },
  }
}
