// The actor registry: actors, claims about them (names, memberships, successions, designations,
// accessions, countries of operation), retractions, judgements, merges, derived views per viewpoint, and the delineation
// of an agreement. Every write is one transaction with its submission, so each claim is in the
// verifiable log; nothing is overwritten.
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { csvDocument } from '../../lib/csv.ts'
import { AppError, badRequest, conflict, notFound, versionConflict } from '../../lib/errors.ts'
import { decodeCursor, instantCursor, toPage } from '../../lib/pagination.ts'
import type { Principal } from '../access/access.policy.ts'
import { agreementsRepository } from '../agreements/agreements.repository.ts'
import { recordSubmission } from '../ledger/ledger.service.ts'
import { actorsRepository, survivorOf, toClaim, type ClaimRow } from './actors.repository.ts'
import type { ClaimBody, ConfirmCandidate, CreateActor, SplitActor } from './actors.schemas.ts'
import { scriptOf, type ActorType, type NameKind, type Script, type SuccessionKind } from './actors.types.ts'
import { exportFtm, type FtmExportActor } from './import/ftm.ts'
import { authorityKey, concernedActors, delineate, factsOf, holdsOn, membershipLoop, type Cell, type Viewpoint } from './viewpoints.ts'

type ActorRow = NonNullable<Awaited<ReturnType<ReturnType<typeof actorsRepository>['find']>>>

const today = () => new Date().toISOString().slice(0, 10)

const presentActor = (a: ActorRow) => ({
  id: a.id, type: a.type as ActorType, displayName: a.display_name, mergedInto: a.merged_into, visibility: a.visibility,
  createdAt: a.created_at.toISOString(), version: a.version,
})

const presentClaim = (c: ClaimRow) => ({
  id: c.id, fact: c.fact, actorId: c.actor_id, otherActorId: c.other_actor_id, agreementId: c.agreement_id, guarantorPartyId: c.guarantor_party_id,
  kind: c.kind, value: c.value, lang: c.lang, script: c.script, authority: c.authority, reference: c.reference,
  validFrom: c.valid_from, validTo: c.valid_to, partyId: c.party_id, source: c.source, asOf: c.as_of, confidence: c.confidence,
  visibility: c.visibility, submissionId: c.submission_id, createdAt: c.created_at.toISOString(),
  retracted: c.retracted_at === null ? null : { reason: c.retraction_reason ?? '', at: c.retracted_at.toISOString(), submissionId: c.retraction_submission_id! },
})

/** The columns a claim body becomes (references already checked). */
function claimColumns(body: ClaimBody, agreementId: string | null) {
  const none = { other_actor_id: null, agreement_id: null, guarantor_party_id: null, kind: null, value: null, lang: null, script: null, reference: null, valid_from: null, valid_to: null }
  switch (body.fact) {
    case 'name':
      return { ...none, kind: body.kind, value: body.value, lang: body.lang ?? null, script: body.script ?? scriptOf(body.value), valid_from: body.validFrom ?? null, valid_to: body.validTo ?? null }
    case 'membership':
      return { ...none, other_actor_id: body.umbrellaId, kind: body.role ?? null, valid_from: body.validFrom ?? null, valid_to: body.validTo ?? null }
    case 'succession':
      return { ...none, other_actor_id: body.predecessorId, kind: body.kind, valid_from: body.date ?? null }
    case 'designation':
      return { ...none, reference: body.reference, valid_from: body.listedOn ?? null, valid_to: body.delistedOn ?? null }
    case 'accession':
      return { ...none, agreement_id: agreementId, guarantor_party_id: body.guarantorPartyId ?? null, kind: body.action, valid_from: body.date }
    case 'country':
      return { ...none, value: body.country, valid_from: body.validFrom ?? null, valid_to: body.validTo ?? null }
  }
}

export function actorsService(db: Kysely<DB>) {
  const repo = actorsRepository(db)

  async function visibleActor(viewer: Principal, id: string): Promise<ActorRow> {
    const a = await actorsRepository(db).find(viewer, id)
    if (!a) throw notFound('actor')
    return a
  }

  /** The viewpoint a query names; consensus is of the agreement's guarantors, else of every guarantor party. */
  async function resolveViewpoint(viewer: Principal, text: string, agreement: string | undefined): Promise<Viewpoint> {
    if (text.startsWith('party:')) return { kind: 'party', partyId: text.slice(6) }
    if (text.startsWith('authority:')) return { kind: 'authority', authority: text.slice(10) }
    if (agreement !== undefined) {
      const a = await agreementsRepository(db).find(viewer, agreement)
      if (!a) throw badRequest('unknown_agreement', 'No such agreement.', [{ path: 'query.agreement', message: 'no agreement you may see has this id or slug' }])
      return { kind: 'consensus', guarantors: (await repo.guarantorsOf(a.id)).map((g) => g.id) }
    }
    return { kind: 'consensus', guarantors: (await repo.guarantorParties()).map((g) => g.id) }
  }

  async function writeClaim(trx: Transaction<DB>, actor: Principal, actorId: string, body: ClaimBody, agreementId: string | null): Promise<string> {
    const columns = claimColumns(body, agreementId)
    const submission = await recordSubmission(trx, actor, {
      kind: `actor.claim.${body.fact}`, subjectId: actorId,
      payload: { actorId, ...body },
      visibility: body.visibility, restrictedTo: body.restrictedTo ?? [],
    })
    const row = await trx.insertInto('actor_claims').values({
      fact: body.fact, actor_id: actorId, ...columns,
      authority: body.fact === 'designation' ? body.authority : body.authority ?? null,
      party_id: actor.partyId!, user_id: actor.userId, source: body.source, as_of: body.asOf ?? today(), confidence: body.confidence,
      visibility: body.visibility, owner_party_id: actor.partyId!, restricted_to: [...(body.restrictedTo ?? [])], submission_id: submission.id,
    }).returning('id').executeTakeFirstOrThrow()
    return row.id
  }

  /**
   * Refuses a membership that would close a loop among the claimant party's own live
   * memberships at an overlapping time. Serialised per party (a row lock on the party), so two
   * concurrent claims cannot close a loop together.
   */
  async function refuseLoop(trx: Transaction<DB>, actor: Principal, memberId: string, umbrellaId: string, from: string | null, to: string | null, path: string) {
    await trx.selectFrom('parties').select('id').where('id', '=', actor.partyId!).forUpdate().execute()
    const mine = (await actorsRepository(trx).liveMemberships(actor.partyId!)).map((r) => ({
      fact: r.fact, actorId: r.actor_id, otherActorId: r.other_actor_id, validFrom: r.valid_from, validTo: r.valid_to,
    }))
    const loop = membershipLoop(mine, memberId, umbrellaId, from, to)
    if (loop) {
      throw badRequest('membership_loop', 'This membership would make an actor a member of itself at the same time.', [
        { path, message: `loop: ${loop.join(' → ')}`, loop },
      ])
    }
  }

  /** Inserts an actor and its creation submission (and its names as claims) inside `trx`. */
  async function insertActor(trx: Transaction<DB>, actor: Principal, body: CreateActor): Promise<string> {
    const submission = await recordSubmission(trx, actor, {
      kind: 'actor.create', subjectId: null,
      payload: { type: body.type, displayName: body.displayName, names: body.names ?? [], countries: body.countries ?? [], source: body.source },
      visibility: body.visibility, restrictedTo: body.restrictedTo ?? [],
    })
    const row = await trx.insertInto('actors').values({
      type: body.type, display_name: JSON.stringify(body.displayName), visibility: body.visibility, owner_party_id: actor.partyId!,
      restricted_to: [...(body.restrictedTo ?? [])], submission_id: submission.id,
    }).returning('id').executeTakeFirstOrThrow()
    const meta = { source: body.source, asOf: body.asOf, confidence: body.confidence, visibility: body.visibility, restrictedTo: body.restrictedTo }
    for (const n of body.names ?? []) await writeClaim(trx, actor, row.id, { fact: 'name', ...n, ...meta }, null)
    for (const country of new Set(body.countries ?? [])) await writeClaim(trx, actor, row.id, { fact: 'country', country, ...meta }, null)
    return row.id
  }

  /**
   * Claims each country for each actor by the actor's party, unless the party already claims it
   * (live, at any time): confirming a second candidate from the same country adds nothing.
   */
  async function claimCountries(trx: Transaction<DB>, actor: Principal, actorIds: readonly string[], countries: readonly string[], meta: Omit<Extract<ClaimBody, { fact: 'country' }>, 'fact' | 'country'>) {
    if (actorIds.length === 0 || countries.length === 0) return
    const have = new Set((await trx.selectFrom('actor_claims as c').leftJoin('actor_claim_retractions as r', 'r.claim_id', 'c.id')
      .select(['c.actor_id', 'c.value']).where('c.fact', '=', 'country').where('c.party_id', '=', actor.partyId!).where('r.claim_id', 'is', null)
      .where('c.actor_id', 'in', [...actorIds]).execute()).map((r) => `${r.actor_id}|${r.value}`))
    for (const id of new Set(actorIds)) {
      for (const country of countries) {
        if (have.has(`${id}|${country}`)) continue
        await writeClaim(trx, actor, id, { fact: 'country', country, ...meta }, null)
      }
    }
  }

  return {
    async list(viewer: Principal, query: { q?: string | undefined; type?: string | undefined; country?: string | undefined; limit: number; cursor?: string | undefined }) {
      const rows = await repo.list(viewer, query.limit, decodeCursor(query.cursor, instantCursor), query)
      return toPage(rows, query.limit, (r) => ({ k: r.created_at.toISOString(), id: r.id }), presentActor)
    },

    async get(viewer: Principal, id: string) {
      const a = await visibleActor(viewer, id)
      const [claims, externalIds, judgements] = await Promise.all([repo.claimsOf(viewer, [a.id]), repo.externalIds(a.id), repo.judgementsOf(a.id)])
      return {
        ...presentActor(a),
        externalIds,
        countries: [...new Set(claims.filter((c) => c.fact === 'country' && c.actor_id === a.id && c.retracted_at === null).map((c) => c.value!))].sort(),
        claims: claims.map(presentClaim),
        judgements: judgements.map((j) => ({ id: j.id, otherActorId: j.actor_a === a.id ? j.actor_b : j.actor_a, verdict: j.verdict, partyId: j.party_id, note: j.note, createdAt: j.created_at.toISOString() })),
      }
    },

    async create(actor: Principal, body: CreateActor) {
      const id = await db.transaction().execute((trx) => insertActor(trx, actor, body))
      return this.get(actor, id)
    },

    /**
     * Records a claim by the actor's party. References must be actors (or an agreement) the
     * claimant may see; a membership must not close a loop with the party's own memberships.
     */
    async addClaim(actor: Principal, actorId: string, body: ClaimBody) {
      const subject = await visibleActor(actor, actorId)
      const other = body.fact === 'membership' ? { id: body.umbrellaId, path: 'body.umbrellaId' }
        : body.fact === 'succession' ? { id: body.predecessorId, path: 'body.predecessorId' } : null
      if (other && !(await repo.visibleIds(actor, [other.id])).has(other.id)) {
        throw badRequest('unknown_actor', 'No such actor.', [{ path: other.path, message: 'no actor you may see has this id' }])
      }
      if (other && other.id === subject.id) {
        throw badRequest('self_reference', 'An actor cannot be its own umbrella or predecessor.', [{ path: other.path, message: 'must be another actor' }])
      }
      let agreementId: string | null = null
      if (body.fact === 'accession') {
        const a = await agreementsRepository(db).find(actor, body.agreementId)
        if (!a) throw badRequest('unknown_agreement', 'No such agreement.', [{ path: 'body.agreementId', message: 'no agreement you may see has this id or slug' }])
        agreementId = a.id
        if (body.guarantorPartyId && !(await repo.guarantorsOf(a.id)).some((g) => g.id === body.guarantorPartyId)) {
          throw badRequest('not_a_guarantor', 'That party is not a guarantor of the agreement.', [{ path: 'body.guarantorPartyId', message: 'must be one of the agreement\'s guarantors' }])
        }
      }
      const id = await db.transaction().execute(async (trx) => {
        if (body.fact === 'membership') await refuseLoop(trx, actor, subject.id, body.umbrellaId, body.validFrom ?? null, body.validTo ?? null, 'body.umbrellaId')
        return writeClaim(trx, actor, subject.id, body, agreementId)
      })
      const row = await repo.claim(actor, id)
      return presentClaim(row!)
    },

    /** A party withdraws one of its own claims; the claim stays, marked retracted. */
    async retract(actor: Principal, claimId: string, reason: string) {
      const claim = await repo.claim(actor, claimId)
      if (!claim) throw notFound('claim')
      if (claim.party_id !== actor.partyId) throw new AppError(403, 'not_your_claim', 'Only the party that made a claim can retract it.')
      if (claim.retracted_at !== null) throw conflict('already_retracted', 'This claim was retracted already.')
      await db.transaction().execute(async (trx) => {
        const submission = await recordSubmission(trx, actor, {
          kind: 'actor.claim.retract', subjectId: claim.actor_id, payload: { claimId, reason },
          visibility: claim.visibility, restrictedTo: claim.restricted_to,
        })
        await trx.insertInto('actor_claim_retractions').values({ claim_id: claimId, party_id: actor.partyId!, user_id: actor.userId, reason, submission_id: submission.id })
          .onConflict((oc) => oc.column('claim_id').doNothing()).execute()
      })
      return presentClaim((await repo.claim(actor, claimId))!)
    },

    async judge(actor: Principal, body: { actorA: string; actorB: string; verdict: 'same' | 'not_same'; note: string }) {
      const visible = await repo.visibleIds(actor, [body.actorA, body.actorB])
      for (const [key, id] of [['actorA', body.actorA], ['actorB', body.actorB]] as const) {
        if (!visible.has(id)) throw badRequest('unknown_actor', 'No such actor.', [{ path: `body.${key}`, message: 'no actor you may see has this id' }])
      }
      const [a, b] = body.actorA < body.actorB ? [body.actorA, body.actorB] : [body.actorB, body.actorA]
      const row = await db.transaction().execute(async (trx) => {
        const submission = await recordSubmission(trx, actor, { kind: 'actor.judgement', subjectId: a, payload: { actorA: a, actorB: b, verdict: body.verdict, note: body.note } })
        return trx.insertInto('actor_judgements').values({ actor_a: a, actor_b: b, verdict: body.verdict, party_id: actor.partyId!, user_id: actor.userId, note: body.note, submission_id: submission.id })
          .returningAll().executeTakeFirstOrThrow()
      })
      return { id: row.id, actorA: a, actorB: b, verdict: row.verdict, partyId: row.party_id, note: row.note, createdAt: row.created_at.toISOString() }
    },

    async candidates(status: 'pending' | 'confirmed' | 'rejected') {
      const rows = await db.selectFrom('actor_candidates').selectAll().where('status', '=', status).orderBy('occurrences', 'desc').orderBy('raw').limit(1000).execute()
      return { items: rows.map((r) => ({ id: r.id, kind: r.kind, raw: r.raw, parts: r.parts, occurrences: r.occurrences, countries: r.countries, source: r.source, status: r.status, createdAt: r.created_at.toISOString() })) }
    },

    /**
     * An analyst confirms a coalition candidate: each part is an actor, all members of one
     * umbrella (given, or created and named after the candidate). The memberships are ordinary
     * claims by the analyst's party, subject to the same checks (visibility, loops). The countries
     * of the rows it came from (or those the analyst gives) become country claims for the umbrella
     * and every member: they fought there together.
     */
    async confirmCandidate(actor: Principal, id: string, body: ConfirmCandidate) {
      const candidate = await db.selectFrom('actor_candidates').selectAll().where('id', '=', id).executeTakeFirst()
      if (!candidate) throw notFound('candidate')
      if (candidate.status !== 'pending') throw conflict('candidate_decided', `This candidate was ${candidate.status} already.`)
      body.members.forEach((m, i) => {
        if (!candidate.parts.includes(m.part)) throw badRequest('unknown_part', 'Not a part of this candidate.', [{ path: `body.members.${i}.part`, message: `one of: ${candidate.parts.join('; ')}` }])
      })
      const visible = await repo.visibleIds(actor, [...body.members.map((m) => m.actorId), ...(body.umbrellaId ? [body.umbrellaId] : [])])
      body.members.forEach((m, i) => {
        if (!visible.has(m.actorId)) throw badRequest('unknown_actor', 'No such actor.', [{ path: `body.members.${i}.actorId`, message: 'no actor you may see has this id' }])
      })
      if (body.umbrellaId && !visible.has(body.umbrellaId)) throw badRequest('unknown_actor', 'No such actor.', [{ path: 'body.umbrellaId', message: 'no actor you may see has this id' }])
      const meta = { source: body.source, asOf: body.asOf, confidence: body.confidence, visibility: body.visibility, restrictedTo: body.restrictedTo, authority: body.authority }
      // One transaction: the umbrella, every membership and the decision, or nothing.
      const { umbrellaId, claimIds } = await db.transaction().execute(async (trx) => {
        const decided = await trx.updateTable('actor_candidates').set({ status: 'confirmed' }).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst()
        if (Number(decided.numUpdatedRows) !== 1) throw conflict('candidate_decided', 'This candidate was decided already.')
        const umbrella = body.umbrellaId ?? await insertActor(trx, actor, {
          type: 'umbrella', displayName: { en: candidate.raw }, visibility: body.visibility, restrictedTo: body.restrictedTo,
          names: [{ kind: 'name', value: candidate.raw, lang: null }], source: body.source, asOf: body.asOf, confidence: body.confidence,
        })
        const ids: string[] = []
        for (const [i, m] of body.members.entries()) {
          if (m.actorId === umbrella) throw badRequest('self_reference', 'An actor cannot be its own umbrella.', [{ path: `body.members.${i}.actorId`, message: 'must not be the umbrella' }])
          await refuseLoop(trx, actor, m.actorId, umbrella, body.validFrom ?? null, body.validTo ?? null, `body.members.${i}.actorId`)
          ids.push(await writeClaim(trx, actor, m.actorId, { fact: 'membership', umbrellaId: umbrella, role: null, validFrom: body.validFrom ?? null, validTo: body.validTo ?? null, ...meta }, null))
        }
        await claimCountries(trx, actor, [umbrella, ...body.members.map((m) => m.actorId)], [...new Set(body.countries ?? candidate.countries)],
          { ...meta, validFrom: body.validFrom ?? null, validTo: body.validTo ?? null })
        return { umbrellaId: umbrella, claimIds: ids }
      })
      const claims = await Promise.all(claimIds.map(async (c) => presentClaim((await repo.claim(actor, c))!)))
      return { umbrellaId, claims }
    },

    async rejectCandidate(id: string) {
      const r = await db.updateTable('actor_candidates').set({ status: 'rejected' }).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst()
      if (Number(r.numUpdatedRows) !== 1) {
        const exists = await db.selectFrom('actor_candidates').select('status').where('id', '=', id).executeTakeFirst()
        if (!exists) throw notFound('candidate')
        throw conflict('candidate_decided', `This candidate was ${exists.status} already.`)
      }
      return (await this.candidates('rejected')).items.find((c) => c.id === id)!
    },

    /**
     * Splits a new actor off `id`: the new actor gets the chosen names (claimed again by the
     * splitting party), succeeds the original by split, and the splitting party retracts its own
     * claims of those names on the original. Other parties' claims stay as they were: history is
     * kept, and each party's view changes only by its own claims.
     */
    async split(actor: Principal, id: string, body: SplitActor) {
      const original = await visibleActor(actor, id)
      const names = await repo.claimsOf(actor, [original.id])
      const chosen = body.nameClaimIds.map((cid, i) => {
        const c = names.find((n) => n.id === cid && n.actor_id === original.id && n.fact === 'name')
        if (!c) throw badRequest('unknown_claim', 'Not a name claim of this actor.', [{ path: `body.nameClaimIds.${i}`, message: 'no name claim of this actor you may see has this id' }])
        return c
      })
      const meta = { source: body.source, asOf: body.asOf, confidence: body.confidence, visibility: body.visibility, restrictedTo: body.restrictedTo, authority: body.authority }
      const newId = await db.transaction().execute(async (trx) => {
        const created = await insertActor(trx, actor, { type: body.type, displayName: body.displayName, visibility: body.visibility, restrictedTo: body.restrictedTo, source: body.source, asOf: body.asOf, confidence: body.confidence })
        for (const c of chosen) {
          await writeClaim(trx, actor, created, { fact: 'name', kind: c.kind as NameKind, value: c.value!, lang: c.lang, script: (c.script ?? undefined) as Script | undefined, validFrom: c.valid_from, validTo: c.valid_to, ...meta }, null)
          if (c.party_id === actor.partyId && c.retracted_at === null) {
            const submission = await recordSubmission(trx, actor, {
              kind: 'actor.claim.retract', subjectId: original.id, payload: { claimId: c.id, reason: `split off into ${created}` }, visibility: c.visibility, restrictedTo: c.restricted_to,
            })
            await trx.insertInto('actor_claim_retractions').values({ claim_id: c.id, party_id: actor.partyId!, user_id: actor.userId, reason: `split off into ${created}`, submission_id: submission.id }).execute()
          }
        }
        await writeClaim(trx, actor, created, { fact: 'succession', predecessorId: original.id, kind: 'split', date: body.date ?? null, ...meta }, null)
        return created
      })
      return this.get(actor, newId)
    },

    /** Points an actor at the one it duplicates; its claims stay. Refused when anyone judged the two "not the same". */
    async merge(actor: Principal, id: string, into: string, version: number) {
      const from = await visibleActor(actor, id)
      const target = await visibleActor(actor, into)
      if (from.id === target.id) throw badRequest('self_reference', 'An actor cannot be merged into itself.', [{ path: 'body.into', message: 'must be another actor' }])
      if (target.merged_into !== null) throw conflict('merged_already', 'The target was itself merged into another actor; merge into that one.')
      if (await repo.notSame(from.id, target.id)) throw conflict('judged_not_same', 'An analyst judged these two actors not the same; the merge is blocked.')
      await db.transaction().execute(async (trx) => {
        const updated = await trx.updateTable('actors').set({ merged_into: target.id, version: from.version + 1 })
          .where('id', '=', from.id).where('version', '=', version).where('merged_into', 'is', null).executeTakeFirst()
        if (Number(updated.numUpdatedRows) !== 1) throw versionConflict(from.version)
        await recordSubmission(trx, actor, { kind: 'actor.merge', subjectId: from.id, payload: { actorId: from.id, into: target.id }, visibility: from.visibility, restrictedTo: from.restricted_to })
      })
      return this.get(actor, from.id)
    },

    /** The actor as one viewpoint holds it on a date: names valid then, memberships, designations, successions. */
    async view(viewer: Principal, id: string, query: { viewpoint: string; at?: string | undefined; agreement?: string | undefined }) {
      const a = await visibleActor(viewer, id)
      const at = query.at ?? today()
      const viewpoint = await resolveViewpoint(viewer, query.viewpoint, query.agreement)
      // Claims about actors merged into this one count for it.
      const merges = await repo.merges()
      const absorbed = [...merges.keys()].filter((m) => survivorOf(merges, m) === a.id)
      const facts = factsOf((await repo.claimsOf(viewer, [a.id, ...absorbed])).map((r) => toClaim(r, merges)), viewpoint)
        .filter((f) => holdsOn(f, at) || f.fact === 'succession')
      return {
        actorId: a.id, viewpoint: query.viewpoint, at,
        names: facts.filter((f) => f.fact === 'name' && f.actorId === a.id)
          .map((f) => ({ kind: f.kind!, value: f.value!, lang: null as string | null, script: null as string | null, validFrom: f.validFrom, validTo: f.validTo, claimIds: f.claimIds })),
        memberOf: facts.filter((f) => f.fact === 'membership' && f.actorId === a.id).map((f) => ({ actorId: f.otherActorId!, role: f.kind, validFrom: f.validFrom, validTo: f.validTo, claimIds: f.claimIds })),
        members: facts.filter((f) => f.fact === 'membership' && f.otherActorId === a.id).map((f) => ({ actorId: f.actorId, role: f.kind, validFrom: f.validFrom, validTo: f.validTo, claimIds: f.claimIds })),
        designations: facts.filter((f) => f.fact === 'designation' && f.actorId === a.id)
          .map((f) => ({ authority: f.authority!, reference: f.reference!, listedOn: f.validFrom, delistedOn: f.validTo, claimIds: f.claimIds })),
        successions: facts.filter((f) => f.fact === 'succession' && f.actorId === a.id && (f.validFrom === null || f.validFrom <= at))
          .map((f) => ({ predecessorId: f.otherActorId!, kind: f.kind!, date: f.validFrom, claimIds: f.claimIds })),
        countries: facts.filter((f) => f.fact === 'country' && f.actorId === a.id)
          .map((f) => ({ country: f.value!, validFrom: f.validFrom, validTo: f.validTo, claimIds: f.claimIds })),
      }
    },

    /**
     * Every actor the viewer may see with the facts one viewpoint holds (at any date), as
     * FollowTheMoney JSON lines: names, countries, memberships, successions and designations.
     */
    async exportFtm(viewer: Principal, viewpointText: string, agreement: string | undefined): Promise<string> {
      const viewpoint = await resolveViewpoint(viewer, viewpointText, agreement)
      const merges = await repo.merges()
      const facts = factsOf((await repo.claimsOfFacts(viewer, ['name', 'membership', 'succession', 'designation', 'country'])).map((r) => toClaim(r, merges)), viewpoint)
      const actors = await repo.findMany(viewer, [...new Set(facts.map((f) => f.actorId))])
      return exportFtm(actors.map((a): FtmExportActor => {
        const mine = facts.filter((f) => f.actorId === a.id)
        const names = mine.filter((f) => f.fact === 'name').map((f) => ({ kind: f.kind as NameKind, value: f.value! }))
        // A viewpoint may hold facts about an actor but none of its names: FtM needs one.
        if (!names.some((n) => n.kind === 'name')) names.unshift({ kind: 'name', value: a.display_name.en ?? Object.values(a.display_name)[0] ?? a.id })
        return {
          id: a.id, type: a.type as ActorType,
          names,
          countries: [...new Set(mine.filter((f) => f.fact === 'country').map((f) => f.value!))].sort(),
          memberships: mine.filter((f) => f.fact === 'membership').map((f) => ({ id: f.claimIds[0]!, umbrellaId: f.otherActorId!, role: f.kind, validFrom: f.validFrom, validTo: f.validTo })),
          successions: mine.filter((f) => f.fact === 'succession').map((f) => ({ id: f.claimIds[0]!, predecessorId: f.otherActorId!, kind: f.kind as SuccessionKind, date: f.validFrom })),
          designations: mine.filter((f) => f.fact === 'designation').map((f) => ({
            id: f.claimIds[0]!, authority: f.authority!, reference: f.reference!, listedOn: f.validFrom, delistedOn: f.validTo, amendedOn: [],
          })),
        }
      }))
    },

    /**
     * For an agreement and a date: every actor the question concerns (those with an accession to
     * it, a designation, or a membership or succession linking them to one) × viewpoints (each
     * guarantor, their consensus, each authority the agreement's exclusions name).
     */
    async delineation(viewer: Principal, agreementIdOrSlug: string, atDate: string | undefined) {
      const agreement = await agreementsRepository(db).find(viewer, agreementIdOrSlug)
      if (!agreement) throw notFound('agreement')
      const at = atDate ?? today()
      const [guarantors, authorities, rows] = await Promise.all([
        repo.guarantorsOf(agreement.id), repo.agreementExclusionAuthorities(agreement.id),
        repo.claimsOfFacts(viewer, ['membership', 'succession', 'designation', 'accession', 'name']),
      ])
      // A claim about a merged actor counts for the actor it was merged into.
      const merges = await repo.merges()
      const claims = rows.map((r) => toClaim(r, merges))
      const viewpoints: { key: string; kind: 'party' | 'consensus' | 'authority'; label: string; partyId?: string; viewpoint: Viewpoint }[] = [
        ...guarantors.map((g) => ({ key: `party:${g.id}`, kind: 'party' as const, label: g.name.en ?? g.slug, partyId: g.id, viewpoint: { kind: 'party' as const, partyId: g.id } })),
        { key: 'consensus', kind: 'consensus', label: 'consensus', viewpoint: { kind: 'consensus', guarantors: guarantors.map((g) => g.id) } },
        ...authorities.map((a) => ({ key: `authority:${authorityKey(a)}`, kind: 'authority' as const, label: a, viewpoint: { kind: 'authority' as const, authority: a } })),
      ]
      const concerned = concernedActors(claims, agreement.id, authorities)
      const actors = (await repo.findMany(viewer, [...concerned])).filter((a) => a.merged_into === null)
      const factsBy = new Map(viewpoints.map((v) => [v.key, factsOf(claims, v.viewpoint)]))
      const nameOf = (a: ActorRow) => {
        const names = claims.filter((c) => c.fact === 'name' && c.actorId === a.id && !c.retracted && c.kind === 'name' && holdsOn(c, at))
        return a.display_name.en ?? names[0]?.value ?? Object.values(a.display_name)[0] ?? a.id
      }
      const out = actors.map((a) => {
        const cells: Record<string, Cell> = {}
        for (const v of viewpoints) cells[v.key] = delineate(factsBy.get(v.key)!, a.id, agreement.id, at, authorities)
        // An authority's list can exclude but never admit: its "unknown" is no opinion, not a disagreement.
        const statuses = new Set(viewpoints.filter((v) => v.kind !== 'authority' || cells[v.key]!.status !== 'unknown').map((v) => cells[v.key]!.status))
        return { actorId: a.id, name: nameOf(a), type: a.type as ActorType, disagreement: statuses.size > 1, cells }
      }).sort((x, y) => Number(y.disagreement) - Number(x.disagreement) || x.name.localeCompare(y.name))
      return {
        agreementId: agreement.id, at,
        viewpoints: viewpoints.map(({ viewpoint: _v, ...rest }) => rest),
        rows: out,
      }
    },
  }
}

/** The delineation as CSV: one row per actor, one column per viewpoint, and the claims behind each cell. */
export function delineationCsv(d: Awaited<ReturnType<ReturnType<typeof actorsService>['delineation']>>): string {
  const header = ['actor_id', 'actor', 'type', 'disagreement', ...d.viewpoints.flatMap((v) => [v.label, `${v.label} claims`])]
  return csvDocument([header, ...d.rows.map((r) => [r.actorId, r.name, r.type, r.disagreement ? 'yes' : 'no',
    ...d.viewpoints.flatMap((v) => {
      const cell = r.cells[v.key]!
      return [cell.status, [...new Set(cell.reasons.flatMap((x) => x.claimIds))].join(' ')]
    })])])
}
