// Verification between adversaries: incidents move through their states by transitions the
// policy allows, parties file allegations that open a request for information to the accused,
// the accused answers, parties record findings and concur in each other's. Every write is one
// transaction with its submission; every read shows only what the caller may see, and an
// incident the caller cannot see answers like a missing one.
import type { Kysely, Transaction } from 'kysely'
import type { DB, IncidentState } from '../../db/schema.ts'
import { AppError, badRequest, conflict, forbidden, notFound } from '../../lib/errors.ts'
import type { Principal } from '../access/access.policy.ts'
import { agreementsService } from '../agreements/agreements.service.ts'
import { decodeCursor, instantCursor, toPage } from '../../lib/pagination.ts'
import { recordSubmission } from '../ledger/ledger.service.ts'
import { complianceService } from './compliance.service.ts'
import { incidentVisibleTo } from './incidents.repository.ts'
import {
  checkAgreements, decideTransition, DEFAULT_RULES, isOverdue, mayAllege, mayConcur, mayFind, mayRespond, narrower, transitionActions,
  type Disclosure, type IncidentFacts, type VerificationRules,
} from './verification.policy.ts'
import { verificationRepository } from './verification.repository.ts'

type Db = Kysely<DB> | Transaction<DB>
type Visible = NonNullable<Awaited<ReturnType<typeof incidentVisibleTo>>>

const iso = (d: Date) => d.toISOString()

/** The permission is there, but the party is the public's (or none): participants only. */
const participantsOnly = (permission: string, what: string) =>
  new AppError(403, 'forbidden', `Only a participant party ${what}.`, [{ message: `requires ${permission} and a participant party`, permission }])

export function verificationService(db: Kysely<DB>) {
  const agreements = agreementsService(db)

  async function visibleOrThrow(q: Db, viewer: Principal, incidentId: string): Promise<Visible> {
    const inc = await incidentVisibleTo(q, viewer, incidentId)
    if (!inc) throw notFound('incident')
    return inc
  }

  /** A merged incident keeps its record but takes nothing new: the incident it went into does. */
  function live(inc: Visible): void {
    if (inc.mergedInto !== null) {
      throw conflict('incident_merged', 'This incident was merged into another: act on that one.', [{ path: 'params.id', message: `merged into ${inc.mergedInto}`, mergedInto: inc.mergedInto }])
    }
  }

  /**
   * The agreements whose thresholds an incident is judged by: those in force at its time that cover
   * its place (by their compliance rules; one without them covers everywhere).
   */
  async function agreementsHere(q: Db, viewer: Principal, inc: Visible) {
    const at = await verificationRepository(q).timeOf(inc.reportIds)
    if (!at) return []
    const inForce = await verificationRepository(q).agreementsInForce(viewer, at)
    const elsewhere = await complianceService(q).notCovering(viewer, inc.reportIds, inForce.flatMap((a) => a.agreementId ?? []))
    return inForce.filter((a) => a.agreementId === null || !elsewhere.has(a.agreementId))
  }

  /** What the policy judges an incident on, as this viewer sees it. */
  async function factsOf(q: Db, viewer: Principal, inc: Visible): Promise<IncidentFacts> {
    const repo = verificationRepository(q)
    const tree = await repo.mergedTree(inc.id)
    const findings = await repo.findings(viewer, tree)
    const concurrences = await repo.concurrences(findings.map((f) => f.id))
    const conclusionOf = new Map(findings.map((f) => [f.id, f.conclusion]))
    return {
      state: inc.state,
      involvedParties: await repo.involvedParties(tree),
      sources: await repo.sources(inc.reportIds),
      agreements: await agreementsHere(q, viewer, inc),
      // A party concurring in a finding holds its conclusion too.
      positions: [
        ...findings.map((f) => ({ partyId: f.party_id, partyKind: f.party_kind, conclusion: f.conclusion })),
        ...concurrences.map((c) => ({ partyId: c.party_id, partyKind: c.party_kind, conclusion: conclusionOf.get(c.finding_id)! })),
      ],
    }
  }

  /** Deadline hours: the provision's agreement's rules, else the shortest of those in force, else the default. */
  async function deadlineHours(q: Db, viewer: Principal, inc: Visible, provisionAgreement: string | null): Promise<number> {
    const repo = verificationRepository(q)
    if (provisionAgreement) {
      const own = await repo.rulesOf(provisionAgreement)
      return (own?.rules as VerificationRules | undefined)?.rfiDeadlineHours ?? DEFAULT_RULES.rfiDeadlineHours
    }
    const inForce = await agreementsHere(q, viewer, inc)
    return inForce.length > 0 ? Math.min(...inForce.map((a) => a.rules.rfiDeadlineHours)) : DEFAULT_RULES.rfiDeadlineHours
  }

  /** A record's own disclosure as written: internal or restricted, with the writer's party named. */
  function disclosure(body: { visibility: Disclosure['visibility']; restrictedTo?: string[] | undefined }): Disclosure {
    return { visibility: body.visibility, restrictedTo: body.visibility === 'restricted' ? [...new Set(body.restrictedTo ?? [])].sort() : [] }
  }

  const presentTransition = (t: Awaited<ReturnType<ReturnType<typeof verificationRepository>['transitions']>>[number]) => ({
    id: t.id, seq: Number(t.seq), from: t.from_state, to: t.to_state, reason: t.reason, partyId: t.party_id, userId: t.user_id,
    evidence: t.thresholds ?? null, submissionId: t.submission_id, createdAt: iso(t.created_at),
  })

  return {
    async transition(actor: Principal, incidentId: string, body: { to: IncidentState; reason: string }) {
      return db.transaction().execute(async (trx) => {
        const repo = verificationRepository(trx)
        const inc = await visibleOrThrow(trx, actor, incidentId)
        live(inc)
        const facts = await factsOf(trx, actor, inc)
        const decision = decideTransition(actor, facts, body.to)
        if (!decision.ok) throw new AppError(decision.status, decision.code, decision.message, decision.details)
        const from = inc.state
        const submission = await recordSubmission(trx, actor, {
          kind: 'incident.transition', subjectId: inc.id, payload: { incidentId: inc.id, from, to: body.to, reason: body.reason, evidence: decision.evidence },
          ...(await repo.disclosureOf(inc.id)),
        })
        // Guarded by the state it was judged in: of two transitions at once, one moves it.
        const moved = await trx.updateTable('incidents').set({ state: body.to, updated_at: new Date() })
          .where('id', '=', inc.id).where('state', '=', from).executeTakeFirst()
        if (Number(moved.numUpdatedRows) === 0) {
          throw conflict('state_changed', 'The incident\'s state changed while you were deciding; reload and try again.', [{ path: 'body.to', message: `the incident is no longer ${from}` }])
        }
        const row = await trx.insertInto('incident_transitions').values({
          incident_id: inc.id, from_state: from, to_state: body.to, reason: body.reason, party_id: actor.partyId!, user_id: actor.userId,
          thresholds: decision.evidence === null ? null : JSON.stringify(decision.evidence), submission_id: submission.id,
        }).returningAll().executeTakeFirstOrThrow()
        return presentTransition(row)
      })
    },

    async allege(actor: Principal, incidentId: string, body: {
      accusedPartyId: string; provisionId?: string | undefined; text: string; deadline?: string | undefined
      visibility: Disclosure['visibility']; restrictedTo?: string[] | undefined
    }, now = new Date()) {
      if (!mayAllege(actor)) throw participantsOnly('incident.report', 'files allegations')
      return db.transaction().execute(async (trx) => {
        const repo = verificationRepository(trx)
        const inc = await visibleOrThrow(trx, actor, incidentId)
        live(inc)
        const accused = await repo.party(body.accusedPartyId)
        if (!accused || accused.kind === 'public') throw badRequest('unknown_party', 'No such party to accuse.', [{ path: 'body.accusedPartyId', message: 'a participant party\'s id' }])
        if (accused.id === actor.partyId) throw badRequest('self_allegation', 'A party does not accuse itself.', [{ path: 'body.accusedPartyId', message: 'name another party' }])
        if (body.visibility === 'internal') {
          throw badRequest('hidden_from_accused', 'The accused party must be able to read the allegation it is asked to answer.', [{ path: 'body.visibility', message: 'public, parties or restricted' }])
        }
        const provision = body.provisionId === undefined ? undefined : await repo.provision(actor, body.provisionId)
        if (body.provisionId !== undefined && !provision) throw badRequest('unknown_provision', 'No such provision.', [{ path: 'body.provisionId', message: 'a provision\'s id' }])
        let deadline: Date
        if (body.deadline !== undefined) {
          deadline = new Date(body.deadline)
          if (deadline.getTime() <= now.getTime()) throw badRequest('deadline_passed', 'The deadline must be in the future.', [{ path: 'body.deadline', message: `${body.deadline} is not after now (${iso(now)})` }])
        } else {
          deadline = new Date(now.getTime() + (await deadlineHours(trx, actor, inc, provision?.agreement_id ?? null)) * 3_600_000)
        }
        const own = disclosure(body)
        // Restricted: the accused party is always among those named.
        if (own.visibility === 'restricted') own.restrictedTo = [...new Set([...own.restrictedTo, accused.id])].sort()
        const submission = await recordSubmission(trx, actor, {
          kind: 'incident.allegation', subjectId: inc.id,
          payload: { incidentId: inc.id, accusedPartyId: accused.id, provisionId: body.provisionId ?? null, text: body.text, deadline: iso(deadline), visibility: own.visibility, restrictedTo: own.restrictedTo },
          ...narrower(own, await repo.disclosureOf(inc.id), actor.partyId!),
        })
        const a = await trx.insertInto('allegations').values({
          incident_id: inc.id, alleging_party_id: actor.partyId!, accused_party_id: accused.id, provision_id: body.provisionId ?? null, text: body.text,
          user_id: actor.userId, visibility: own.visibility, owner_party_id: actor.partyId!, restricted_to: own.restrictedTo, submission_id: submission.id,
        }).returningAll().executeTakeFirstOrThrow()
        const r = await trx.insertInto('information_requests').values({ allegation_id: a.id, to_party_id: accused.id, deadline, submission_id: submission.id })
          .returningAll().executeTakeFirstOrThrow()
        return {
          id: a.id, incidentId: a.incident_id, allegingPartyId: a.alleging_party_id, accusedPartyId: a.accused_party_id, provisionId: a.provision_id, text: a.text,
          visibility: a.visibility, submissionId: a.submission_id, createdAt: iso(a.created_at),
          requests: [{ id: r.id, toPartyId: r.to_party_id, deadline: iso(r.deadline), answered: false, overdue: false, responses: [] }],
        }
      })
    },

    async requests(viewer: Principal, query: { open: boolean; limit: number; cursor?: string | undefined }, now = new Date()) {
      const after = decodeCursor(query.cursor, instantCursor)
      if (viewer.partyId === null) return { items: [], nextCursor: null }
      const rows = await verificationRepository(db).requestsOf(viewer, query.open, query.limit, after)
      return toPage(rows, query.limit, (r) => ({ k: iso(r.deadline), id: r.id }), (r) => ({
        id: r.id, allegationId: r.allegation_id, incidentId: r.incident_id, toPartyId: r.to_party_id, fromPartyId: r.alleging_party_id,
        deadline: iso(r.deadline), answered: r.answered, overdue: isOverdue({ deadline: r.deadline, answered: r.answered }, now),
        allegation: r.text, createdAt: iso(r.created_at), direction: r.to_party_id === viewer.partyId ? 'received' as const : 'sent' as const,
      }))
    },

    async respond(actor: Principal, requestId: string, body: { text: string }) {
      return db.transaction().execute(async (trx) => {
        const q = await verificationRepository(trx).request(actor, requestId)
        if (!q) throw notFound('information request')
        if (!mayRespond(actor, q)) throw new AppError(403, 'not_addressed', 'Only the party the request is addressed to answers it.', [{ path: 'params.id', message: 'this request is addressed to another party' }])
        const submission = await recordSubmission(trx, actor, {
          kind: 'incident.information_response', subjectId: q.incident_id, payload: { requestId: q.id, allegationId: q.allegation_id, text: body.text },
          visibility: q.visibility, restrictedTo: q.restricted_to,
        })
        const r = await trx.insertInto('information_responses').values({ request_id: q.id, party_id: actor.partyId!, user_id: actor.userId, text: body.text, submission_id: submission.id })
          .returningAll().executeTakeFirstOrThrow()
        return { id: r.id, requestId: r.request_id, partyId: r.party_id, userId: r.user_id, text: r.text, late: r.created_at.getTime() > q.deadline.getTime(), submissionId: r.submission_id, createdAt: iso(r.created_at) }
      })
    },

    async find(actor: Principal, incidentId: string, body: {
      conclusion: 'violation' | 'no_violation' | 'inconclusive'; confidence: 'highly_probable' | 'probable' | 'plausible'
      responsibleActorId?: string | undefined; provisionId?: string | undefined; text: string; visibility: Disclosure['visibility']; restrictedTo?: string[] | undefined
    }) {
      if (!mayFind(actor)) throw participantsOnly('incident.analyse', 'records findings')
      return db.transaction().execute(async (trx) => {
        const repo = verificationRepository(trx)
        const inc = await visibleOrThrow(trx, actor, incidentId)
        live(inc)
        if (body.responsibleActorId !== undefined && !(await repo.actorVisible(actor, body.responsibleActorId))) {
          throw badRequest('unknown_actor', 'No such actor.', [{ path: 'body.responsibleActorId', message: 'an actor\'s id' }])
        }
        if (body.provisionId !== undefined && !(await repo.provision(actor, body.provisionId))) {
          throw badRequest('unknown_provision', 'No such provision.', [{ path: 'body.provisionId', message: 'a provision\'s id' }])
        }
        const own = disclosure(body)
        const submission = await recordSubmission(trx, actor, {
          kind: 'incident.finding', subjectId: inc.id,
          payload: { incidentId: inc.id, conclusion: body.conclusion, confidence: body.confidence, responsibleActorId: body.responsibleActorId ?? null, provisionId: body.provisionId ?? null, text: body.text, visibility: own.visibility, restrictedTo: own.restrictedTo },
          ...narrower(own, await repo.disclosureOf(inc.id), actor.partyId!),
        })
        const f = await trx.insertInto('findings').values({
          incident_id: inc.id, party_id: actor.partyId!, user_id: actor.userId, conclusion: body.conclusion, confidence: body.confidence,
          responsible_actor_id: body.responsibleActorId ?? null, provision_id: body.provisionId ?? null, text: body.text,
          visibility: own.visibility, owner_party_id: actor.partyId!, restricted_to: own.restrictedTo, submission_id: submission.id,
        }).returningAll().executeTakeFirstOrThrow()
        return presentFinding(f, [])
      })
    },

    async concur(actor: Principal, findingId: string) {
      return db.transaction().execute(async (trx) => {
        const repo = verificationRepository(trx)
        const f = await repo.finding(actor, findingId)
        if (!f || !(await incidentVisibleTo(trx, actor, f.incident_id))) throw notFound('finding')
        const concurring = (await repo.concurrences([f.id])).map((c) => c.party_id)
        if (!mayFind(actor)) throw participantsOnly('incident.analyse', 'records findings')
        if (!mayConcur(actor, { party_id: f.party_id, concurring })) {
          throw conflict(f.party_id === actor.partyId ? 'own_finding' : 'already_concurred',
            f.party_id === actor.partyId ? 'A party does not concur in its own finding.' : 'Your party already concurs in this finding.', [{ path: 'params.id', message: 'nothing to add' }])
        }
        const submission = await recordSubmission(trx, actor, {
          kind: 'incident.finding_concurrence', subjectId: f.incident_id, payload: { findingId: f.id },
          ...narrower({ visibility: f.visibility, restrictedTo: f.restricted_to }, await repo.disclosureOf(f.incident_id), actor.partyId!),
        })
        const c = await trx.insertInto('finding_concurrences').values({ finding_id: f.id, party_id: actor.partyId!, user_id: actor.userId, submission_id: submission.id })
          .returningAll().executeTakeFirstOrThrow()
        return { findingId: c.finding_id, partyId: c.party_id, submissionId: c.submission_id, createdAt: iso(c.created_at) }
      })
    },

    /** The incident's verification as the viewer sees it, with the actions the viewer may take now. */
    async view(viewer: Principal, incidentId: string, now = new Date()) {
      const repo = verificationRepository(db)
      const inc = await visibleOrThrow(db, viewer, incidentId)
      const facts = await factsOf(db, viewer, inc)
      const check = checkAgreements(facts)
      // A live incident shows what was alleged and found on the incidents merged into it, each
      // with the incident it was filed on; a merged one shows its own.
      const tree = inc.mergedInto === null ? await repo.mergedTree(inc.id) : [inc.id]
      const allegations = await repo.allegations(viewer, tree)
      const requests = await repo.requests(allegations.map((a) => a.id))
      const responses = await repo.responses(requests.map((r) => r.id))
      const findings = await repo.findings(viewer, tree)
      const concurrences = await repo.concurrences(findings.map((f) => f.id))
      const concurringOf = (id: string) => concurrences.filter((c) => c.finding_id === id).map((c) => c.party_id)
      const merged = inc.mergedInto !== null
      const actions = merged ? { allowed: [], refused: [] } : transitionActions(viewer, facts)
      return {
        incidentId: inc.id, state: inc.state, mergedInto: inc.mergedInto,
        evidence: { ...check.evidence, agreements: check.agreements.map((a) => ({ agreementId: a.agreementId, slug: a.slug, rules: a.rules, met: a.met, missing: a.missing })) },
        transitions: (await repo.transitions(inc.id)).map(presentTransition),
        allegations: allegations.map((a) => ({
          id: a.id, incidentId: a.incident_id, allegingPartyId: a.alleging_party_id, accusedPartyId: a.accused_party_id, provisionId: a.provision_id, text: a.text,
          visibility: a.visibility, submissionId: a.submission_id, createdAt: iso(a.created_at),
          requests: requests.filter((r) => r.allegation_id === a.id).map((r) => ({
            id: r.id, toPartyId: r.to_party_id, deadline: iso(r.deadline), answered: r.answered, overdue: isOverdue({ deadline: r.deadline, answered: r.answered }, now),
            responses: responses.filter((x) => x.request_id === r.id).map((x) => ({
              id: x.id, requestId: x.request_id, partyId: x.party_id, userId: x.user_id, text: x.text, late: x.created_at.getTime() > r.deadline.getTime(),
              submissionId: x.submission_id, createdAt: iso(x.created_at),
            })),
          })),
        })),
        findings: findings.map((f) => presentFinding(f, concurringOf(f.id))),
        actions: {
          transitions: actions.allowed, refused: actions.refused,
          allege: !merged && mayAllege(viewer), find: !merged && mayFind(viewer),
          concur: findings.filter((f) => mayConcur(viewer, { party_id: f.party_id, concurring: concurringOf(f.id) })).map((f) => f.id),
          respond: requests.filter((r) => mayRespond(viewer, r)).map((r) => r.id),
        },
      }
    },

    /** An agreement's verification rules now (the defaults, version null, when it set none). */
    async rules(viewer: Principal, idOrSlug: string) {
      const a = await agreements.get(viewer, idOrSlug)
      const row = await verificationRepository(db).rulesOf(a.id)
      return row
        ? { agreementId: a.id, version: row.version, rules: { ...DEFAULT_RULES, ...(row.rules as VerificationRules) }, submissionId: row.submission_id, createdAt: iso(row.created_at) }
        : { agreementId: a.id, version: null, rules: { ...DEFAULT_RULES }, submissionId: null, createdAt: null }
    },

    /** Sets an agreement's rules as a new version: by someone who may amend the agreement. */
    async setRules(actor: Principal, idOrSlug: string, rules: VerificationRules) {
      const a = await agreements.get(actor, idOrSlug)
      if (!a.actions.amend) throw forbidden('agreement.edit')
      return db.transaction().execute(async (trx) => {
        const last = await verificationRepository(trx).rulesOf(a.id)
        const version = (last?.version ?? 0) + 1
        const submission = await recordSubmission(trx, actor, {
          kind: 'agreement.verification_rules', subjectId: a.id, payload: { agreementId: a.id, version, rules }, visibility: a.visibility, restrictedTo: a.restrictedTo,
        })
        // Two at once: the second finds the version taken (409 already_exists) and writes nothing.
        const row = await trx.insertInto('verification_rules').values({
          agreement_id: a.id, version, rules: JSON.stringify(rules), party_id: actor.partyId!, user_id: actor.userId, submission_id: submission.id,
        }).returningAll().executeTakeFirstOrThrow()
        return { agreementId: a.id, version: row.version, rules, submissionId: row.submission_id, createdAt: iso(row.created_at) }
      })
    },
  }
}

function presentFinding(f: {
  id: string; incident_id: string; party_id: string; conclusion: 'violation' | 'no_violation' | 'inconclusive'; confidence: 'highly_probable' | 'probable' | 'plausible'
  responsible_actor_id: string | null; provision_id: string | null; text: string; visibility: Disclosure['visibility']; submission_id: string; created_at: Date
}, concurring: string[]) {
  return {
    id: f.id, incidentId: f.incident_id, partyId: f.party_id, conclusion: f.conclusion, confidence: f.confidence,
    responsibleActorId: f.responsible_actor_id, provisionId: f.provision_id, text: f.text, visibility: f.visibility,
    joint: concurring.length > 0, concurringParties: concurring, submissionId: f.submission_id, createdAt: iso(f.created_at),
  }
}
