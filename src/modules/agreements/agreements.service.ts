// Agreements: create, amend with a full revision history, read with visibility, and record the
// implementation status of provisions. Each write is one transaction with its submission.
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { badRequest, forbidden, notFound, versionConflict } from '../../lib/errors.ts'
import { decodeCursor, instantCursor, toPage } from '../../lib/pagination.ts'
import type { Principal } from '../access/access.policy.ts'
import { recordSubmission } from '../ledger/ledger.service.ts'
import { agreementsRepository, type AgreementWrite } from './agreements.repository.ts'
import { mayAmend, mayReportStatus } from './agreements.policy.ts'
import type { AgreementDetail, AmendAgreement, CreateAgreement } from './agreements.schemas.ts'

type Repo = ReturnType<typeof agreementsRepository>
type Row = NonNullable<Awaited<ReturnType<Repo['find']>>>
const iso = (d: Date | null) => (d ? d.toISOString() : null)
const json = (v: unknown) => JSON.stringify(v)

const presentSummary = (a: Row) => ({
  id: a.id, slug: a.slug, title: a.title, theatre: a.theatre, status: a.status, signedOn: a.signed_on,
  effectiveFrom: iso(a.effective_from), effectiveTo: iso(a.effective_to), visibility: a.visibility,
  revision: a.revision, version: a.version,
})

type StatusRow = Awaited<ReturnType<Repo['statusHistory']>>[number]
const presentStatus = (s: StatusRow) => ({
  id: s.id, provisionId: s.provision_id, level: s.level, asOf: s.as_of.toISOString(), evidence: s.evidence,
  partyId: s.party_id, userId: s.user_id, submissionId: s.submission_id, createdAt: s.created_at.toISOString(),
})

type DetailRow = NonNullable<Awaited<ReturnType<Repo['detail']>>>
/** Timestamps nested in JSON arrive as strings ("…+00:00"); the API speaks ISO 8601 in UTC. */
const isoOf = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString())

function present(a: DetailRow, actor: Principal): AgreementDetail {
  const parties = a.parties.map((p) => ({ party_id: p.party_id, role: p.role }))
  return {
    ...presentSummary(a),
    summary: a.summary, languages: a.languages, ownerPartyId: a.owner_party_id, restrictedTo: a.restricted_to,
    createdAt: a.created_at.toISOString(), updatedAt: a.updated_at.toISOString(),
    // What this caller may do here, so clients offer only what the API would accept.
    actions: { amend: mayAmend(actor, a, parties), reportStatus: mayReportStatus(actor, a, parties) },
    parties: a.parties.map((p) => ({ partyId: p.party_id, slug: p.slug, name: p.name, kind: p.kind, role: p.role })),
    provisions: a.provisions.map((p) => {
      const s = p.status
      return {
        id: p.id, number: p.number, category: p.category, title: p.title, text: p.text, withdrawnAt: isoOf(p.withdrawn_at),
        exclusions: p.exclusions.map((e) => ({
          id: e.id, description: e.description, designationAuthority: e.designation_authority, namedGroup: e.named_group,
        })),
        status: s ? {
          id: s.id, provisionId: s.provision_id, level: s.level, asOf: isoOf(s.as_of)!, evidence: s.evidence,
          partyId: s.party_id, userId: s.user_id, submissionId: s.submission_id, createdAt: isoOf(s.created_at)!,
        } : null,
      }
    }),
  }
}

/** Reads an agreement as `viewer` sees it ('any': inside a write already authorised for `actor`). */
async function assemble(repo: Repo, viewer: Principal | 'any', idOrSlug: string, actor: Principal): Promise<AgreementDetail> {
  const row = await repo.detail(viewer, idOrSlug)
  if (!row) throw notFound('agreement')
  return present(row, actor)
}

/** What a revision snapshot keeps: the terms, not the implementation status or bookkeeping. */
function snapshotOf(d: AgreementDetail) {
  return {
    slug: d.slug, title: d.title, summary: d.summary, theatre: d.theatre, status: d.status, signedOn: d.signedOn,
    effectiveFrom: d.effectiveFrom, effectiveTo: d.effectiveTo, languages: d.languages, visibility: d.visibility,
    restrictedTo: d.restrictedTo, parties: d.parties.map((p) => ({ partyId: p.partyId, role: p.role })),
    provisions: d.provisions.map((p) => ({
      number: p.number, category: p.category, title: p.title, text: p.text, withdrawnAt: p.withdrawnAt,
      exclusions: p.exclusions.map((e) => ({ description: e.description, designationAuthority: e.designationAuthority, namedGroup: e.namedGroup })),
    })),
  }
}

type Snapshot = ReturnType<typeof snapshotOf>
type Change = { path: string; from: unknown; to: unknown }

/** Field-by-field differences between two snapshots, provisions keyed by their number. */
export function diffSnapshots(before: Snapshot, after: Snapshot): Change[] {
  const changes: Change[] = []
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y)
  for (const key of Object.keys(after) as (keyof Snapshot)[]) {
    if (key === 'provisions') continue
    if (!same(before[key], after[key])) changes.push({ path: key, from: before[key] ?? null, to: after[key] ?? null })
  }
  const old = new Map(before.provisions.map((p) => [p.number, p]))
  for (const p of after.provisions) {
    const o = old.get(p.number)
    if (!o) { changes.push({ path: `provisions.${p.number}`, from: null, to: p }); continue }
    for (const key of Object.keys(p) as (keyof typeof p)[]) {
      if (!same(o[key], p[key])) changes.push({ path: `provisions.${p.number}.${key}`, from: o[key] ?? null, to: p[key] ?? null })
    }
  }
  return changes
}

async function checkParties(repo: Repo, ids: string[], path: string) {
  const unique = [...new Set(ids)]
  const found = new Set((await repo.existingParties(unique)).map((p) => p.id))
  const missing = unique.filter((id) => !found.has(id))
  if (missing.length > 0) {
    throw badRequest('unknown_party', 'The request names parties that do not exist.', missing.map((id) => ({ path, message: `unknown party ${id}` })))
  }
}

function checkPartyRoles(parties: { partyId: string; role: string }[], path: string) {
  const seen = new Set<string>()
  for (const [i, p] of parties.entries()) {
    const key = `${p.partyId} ${p.role}`
    if (seen.has(key)) throw badRequest('duplicate_party_role', `A party is named twice as ${p.role}.`, [{ path: `${path}.${i}`, message: 'named twice in the same role' }])
    seen.add(key)
  }
}

function checkProvisionNumbers(numbers: string[], path: string) {
  const seen = new Set<string>()
  for (const n of numbers) {
    if (seen.has(n)) throw badRequest('duplicate_provision', `Provision ${n} appears twice.`, [{ path, message: `duplicate number ${n}` }])
    seen.add(n)
  }
}

type ExclusionInput = { description: Record<string, string>; designationAuthority?: string | null | undefined; namedGroup?: string | null | undefined }
const exclusionRows = (xs: ExclusionInput[] | undefined) =>
  (xs ?? []).map((e) => ({ description: json(e.description), designation_authority: e.designationAuthority ?? null, named_group: e.namedGroup ?? null }))

/** Recently read details by `id:stamp`; a stamp that moved on makes its entry unreachable. */
class DetailCache {
  readonly #max: number
  readonly #entries = new Map<string, DetailRow>()
  constructor(max: number) { this.#max = max }
  get(key: string): DetailRow | undefined {
    const hit = this.#entries.get(key)
    if (hit) { this.#entries.delete(key); this.#entries.set(key, hit) }
    return hit
  }
  set(key: string, row: DetailRow): void {
    this.#entries.set(key, row)
    if (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value!)
  }
}

export function agreementsService(db: Kysely<DB>) {
  const repo = agreementsRepository(db)
  const cache = new DetailCache(256)

  async function visibleOrThrow(r: Repo, viewer: Principal, idOrSlug: string, forUpdate = false) {
    const a = await r.find(viewer, idOrSlug, forUpdate)
    if (!a) throw notFound('agreement')
    return a
  }

  async function writeRevision(trx: Transaction<DB>, actor: Principal, a: Row, note: string, changes: Change[], snapshot: Snapshot, kind: string) {
    const submission = await recordSubmission(trx, actor, {
      kind, subjectId: a.id,
      payload: { agreementId: a.id, revision: a.revision, note, changes, snapshot },
      visibility: a.visibility, restrictedTo: a.restricted_to,
    })
    await agreementsRepository(trx).insertRevision({
      agreement_id: a.id, revision: a.revision, party_id: actor.partyId!, user_id: actor.userId, summary: note,
      changes: json(changes), snapshot: json(snapshot), submission_id: submission.id,
    })
  }

  return {
    async list(viewer: Principal, q: { limit: number; cursor?: string | undefined; theatre?: string | undefined; status?: string | undefined }) {
      const rows = await repo.list(viewer, q.limit, decodeCursor(q.cursor, instantCursor), q)
      return toPage(rows, q.limit, (r) => ({ k: r.cursor_at, id: r.id }), presentSummary)
    },

    /**
     * One small query decides visibility and reads the stamp; the full detail (one larger
     * query) is read only when this process has not seen that stamp yet.
     */
    async get(viewer: Principal, idOrSlug: string): Promise<AgreementDetail> {
      const a = await visibleOrThrow(repo, viewer, idOrSlug)
      const key = `${a.id}:${a.stamp}`
      let row = cache.get(key)
      if (!row) {
        row = await repo.detail('any', a.id)
        if (!row) throw notFound('agreement')
        cache.set(`${row.id}:${row.stamp}`, row)
      }
      return present(row, viewer)
    },

    async create(actor: Principal, input: CreateAgreement): Promise<AgreementDetail> {
      if (!actor.partyId) throw forbidden('agreement.create')
      const ownerPartyId = actor.partyId
      checkProvisionNumbers((input.provisions ?? []).map((p) => p.number), 'body.provisions')
      return db.transaction().execute(async (trx) => {
        const r = agreementsRepository(trx)
        checkPartyRoles(input.parties ?? [], 'body.parties')
        await checkParties(r, (input.parties ?? []).map((p) => p.partyId), 'body.parties')
        await checkParties(r, input.restrictedTo ?? [], 'body.restrictedTo')
        const row = await r.insert({
          slug: input.slug, title: json(input.title), summary: json(input.summary ?? {}), theatre: input.theatre,
          status: input.status, signed_on: input.signedOn ?? null, effective_from: input.effectiveFrom ?? null,
          effective_to: input.effectiveTo ?? null, languages: input.languages ?? Object.keys(input.title),
          visibility: input.visibility, restricted_to: input.restrictedTo ?? [], owner_party_id: ownerPartyId,
        })
        await r.replaceParties(row.id, input.parties ?? [])
        let ordinal = 0
        for (const p of input.provisions ?? []) {
          const prov = await r.insertProvision({
            agreement_id: row.id, number: p.number, ordinal: ordinal++, category: p.category,
            title: json(p.title ?? {}), text: json(p.text),
          })
          await r.replaceExclusions(prov.id, exclusionRows(p.exclusions))
        }
        const detail = await assemble(r, 'any', row.id, actor)
        await writeRevision(trx, actor, row, 'Created', [], snapshotOf(detail), 'agreement.create')
        return detail
      })
    },

    async amend(actor: Principal, idOrSlug: string, input: AmendAgreement): Promise<AgreementDetail> {
      return db.transaction().execute(async (trx) => {
        const r = agreementsRepository(trx)
        const current = await visibleOrThrow(r, actor, idOrSlug, true)
        if (!mayAmend(actor, current, await r.parties(current.id))) throw forbidden('agreement.edit')
        if (current.version !== input.version) throw versionConflict(current.version)
        const before = snapshotOf(await assemble(r, 'any', current.id, actor))

        if (input.parties) {
          checkPartyRoles(input.parties, 'body.parties')
          await checkParties(r, input.parties.map((p) => p.partyId), 'body.parties')
        }
        if (input.restrictedTo) await checkParties(r, input.restrictedTo, 'body.restrictedTo')
        const effectiveFrom = input.effectiveFrom === undefined ? current.effective_from : input.effectiveFrom
        const effectiveTo = input.effectiveTo === undefined ? current.effective_to : input.effectiveTo
        if (effectiveFrom && effectiveTo && effectiveTo <= effectiveFrom) {
          throw badRequest('validation_failed', 'The request is not valid.', [{ path: 'body.effectiveTo', code: 'inverted_interval', message: 'effectiveTo must be after effectiveFrom' }])
        }

        const patch: Partial<AgreementWrite> = {}
        if (input.title) patch.title = json(input.title)
        if (input.summary) patch.summary = json(input.summary)
        if (input.theatre) patch.theatre = input.theatre
        if (input.status) patch.status = input.status
        if (input.signedOn !== undefined) patch.signed_on = input.signedOn
        if (input.effectiveFrom !== undefined) patch.effective_from = input.effectiveFrom
        if (input.effectiveTo !== undefined) patch.effective_to = input.effectiveTo
        if (input.languages) patch.languages = input.languages
        if (input.visibility) patch.visibility = input.visibility
        if (input.restrictedTo) patch.restricted_to = input.restrictedTo
        const updated = await r.update(current.id, input.version, patch)
        if (!updated) throw versionConflict()

        if (input.parties) await r.replaceParties(current.id, input.parties)
        const provisions = await r.provisions(current.id)
        const byNumber = new Map(provisions.map((p) => [p.number, p]))
        const ops = input.provisions ?? {}
        checkProvisionNumbers([...(ops.add ?? []).map((p) => p.number)], 'body.provisions.add')
        for (const [i, p] of (ops.add ?? []).entries()) {
          if (byNumber.has(p.number)) throw badRequest('duplicate_provision', `Provision ${p.number} exists already.`, [{ path: `body.provisions.add.${i}.number`, message: 'exists already' }])
          const prov = await r.insertProvision({
            agreement_id: current.id, number: p.number, ordinal: provisions.length + i, category: p.category,
            title: json(p.title ?? {}), text: json(p.text),
          })
          await r.replaceExclusions(prov.id, exclusionRows(p.exclusions))
        }
        for (const [i, p] of (ops.update ?? []).entries()) {
          const existing = byNumber.get(p.number)
          if (!existing) throw badRequest('unknown_provision', `There is no provision ${p.number}.`, [{ path: `body.provisions.update.${i}.number`, message: 'unknown provision' }])
          await r.updateProvision(existing.id, {
            ...(p.category ? { category: p.category } : {}), ...(p.title ? { title: json(p.title) } : {}), ...(p.text ? { text: json(p.text) } : {}),
          })
          if (p.exclusions) await r.replaceExclusions(existing.id, exclusionRows(p.exclusions))
        }
        for (const [i, n] of (ops.withdraw ?? []).entries()) {
          const existing = byNumber.get(n)
          if (!existing) throw badRequest('unknown_provision', `There is no provision ${n}.`, [{ path: `body.provisions.withdraw.${i}`, message: 'unknown provision' }])
          if (!existing.withdrawn_at) await r.updateProvision(existing.id, { withdrawn_at: new Date() })
        }

        const detail = await assemble(r, 'any', updated.id, actor)
        const after = snapshotOf(detail)
        const changes = diffSnapshots(before, after)
        if (changes.length === 0) throw badRequest('no_changes', 'The amendment changes nothing.')
        await writeRevision(trx, actor, updated, input.note, changes, after, 'agreement.amend')
        return detail
      })
    },

    async revisions(viewer: Principal, idOrSlug: string) {
      const a = await visibleOrThrow(repo, viewer, idOrSlug)
      const rows = await repo.revisions(a.id)
      return {
        items: rows.map((r) => ({
          revision: r.revision, changedAt: r.changed_at.toISOString(), partyId: r.party_id, userId: r.user_id,
          note: r.summary, changes: r.changes as Change[], submissionId: r.submission_id,
        })),
      }
    },

    async revision(viewer: Principal, idOrSlug: string, n: number) {
      const a = await visibleOrThrow(repo, viewer, idOrSlug)
      const r = await repo.revision(a.id, n)
      if (!r) throw notFound('revision')
      return {
        revision: r.revision, changedAt: r.changed_at.toISOString(), partyId: r.party_id, userId: r.user_id,
        note: r.summary, changes: r.changes as Change[], submissionId: r.submission_id, snapshot: r.snapshot,
      }
    },

    async setStatus(actor: Principal, idOrSlug: string, provisionId: string, input: { level: number; asOf: Date; evidence: string }) {
      return db.transaction().execute(async (trx) => {
        const r = agreementsRepository(trx)
        const a = await visibleOrThrow(r, actor, idOrSlug)
        const provision = (await r.provisions(a.id)).find((p) => p.id === provisionId)
        if (!provision) throw notFound('provision')
        if (!mayReportStatus(actor, a, await r.parties(a.id))) throw forbidden('provision.status')
        if (provision.withdrawn_at) throw badRequest('provision_withdrawn', 'This provision was withdrawn by an amendment.')
        const submission = await recordSubmission(trx, actor, {
          kind: 'provision.status', subjectId: provision.id,
          payload: { agreementId: a.id, provisionId: provision.id, number: provision.number, level: input.level, asOf: input.asOf, evidence: input.evidence },
          visibility: a.visibility, restrictedTo: a.restricted_to,
        })
        await r.bumpStamp(a.id)
        const row = await r.insertStatus({
          provision_id: provision.id, level: input.level, as_of: input.asOf, evidence: input.evidence,
          party_id: actor.partyId!, user_id: actor.userId, submission_id: submission.id,
        })
        return presentStatus(row)
      })
    },

    async statusHistory(viewer: Principal, idOrSlug: string, provisionId: string) {
      const a = await visibleOrThrow(repo, viewer, idOrSlug)
      const provision = (await repo.provisions(a.id)).find((p) => p.id === provisionId)
      if (!provision) throw notFound('provision')
      return { items: (await repo.statusHistory(provision.id)).map(presentStatus) }
    },
  }
}
