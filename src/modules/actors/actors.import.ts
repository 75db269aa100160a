// Applying an ImportBatch (from the UN list, FollowTheMoney or UCDP importers) as claims by the
// importing party, in ONE transaction: a failure leaves nothing written. Actors are recognised by
// their external key (scheme:value, e.g. un:QDe.137), so re-importing a newer version of a list
// adds only the facts that changed, as new claims, and never a duplicate actor or claim; what the
// new version no longer says is retracted, and an entity no longer listed is delisted as of it. Each
// actor touched gets one submission carrying the facts it added, which the log then holds. A
// succession may name its predecessor in passing (a UN comment's reference number): one not in
// the batch is looked up among the actors earlier imports made, and left out, counted, if none is.
import type { Kysely, Transaction } from 'kysely'
import type { ActorClaimsTable, ClaimFact, DB, Visibility } from '../../db/schema.ts'
import type { Principal } from '../access/access.policy.ts'
import { recordSubmission } from '../ledger/ledger.service.ts'
import type { ImportBatch, ImportedActor } from './actors.types.ts'
import { authorityKey } from './viewpoints.ts'

export type ImportSummary = {
  source: string
  actors: number
  actorsCreated: number
  claimsAdded: number
  claimsUnchanged: number
  /** Claims of an earlier import this version no longer makes, retracted. */
  claimsRetracted: number
  /** Actors an earlier import listed that this version does not: their designations closed as of its date. */
  actorsDelisted: number
  /** Successions naming, in passing, a predecessor neither the batch nor the registry has: left out. */
  successionsUnresolved: number
  candidates: number
}

export type ImportOptions = {
  /** The scheme for keys without one (FollowTheMoney ids): e.g. "ftm". */
  scheme: string
  visibility: Visibility
  /** Called after each actor: done, total. */
  onProgress?: (done: number, total: number) => void
  /** Work everything out, write nothing. */
  dryRun?: boolean
  /** The batch is the whole list: what it no longer says is withdrawn (see withdrawWhatIsGone). */
  complete?: boolean
}

/** Splits "un:QDe.137/sub/1" into scheme and value; a key without a scheme takes the batch's. */
export function externalKey(key: string, scheme: string): { scheme: string; value: string } {
  const m = /^([a-z][a-z0-9_-]{0,31}):(.+)$/.exec(key)
  return m ? { scheme: m[1]!, value: m[2]! } : { scheme, value: key }
}

/**
 * The fact columns of an imported claim (the claim columns are the same for the whole batch), and
 * where in the source it is said when that is narrower than the batch.
 */
type NewClaim = Pick<ActorClaimsTable, 'other_actor_id' | 'kind' | 'value' | 'lang' | 'script' | 'authority' | 'reference' | 'valid_from' | 'valid_to'>
  & { fact: Exclude<ClaimFact, 'accession'>; source?: string }

/** The claim's source: the batch's, narrowed by where in it the fact is said (within the 500 characters a source may have). */
const sourceOf = (batch: string, where: string | undefined) => {
  if (where === undefined) return batch
  const full = `${batch}, ${where}`
  return full.length <= 500 ? full : `${full.slice(0, 499)}…`
}

/** What makes an imported fact "the same" as one the party already claimed. */
const sameKey = (c: { fact: string } & Pick<NewClaim, 'other_actor_id' | 'kind' | 'value' | 'authority' | 'reference' | 'valid_from' | 'valid_to'>) =>
  [c.fact, c.other_actor_id ?? '', c.kind ?? '', (c.value ?? '').normalize('NFKC').toLowerCase(), authorityKey(c.authority ?? ''), c.reference ?? '', c.valid_from ?? '', c.valid_to ?? ''].join('|')

export class ImportReferenceError extends Error {
  override name = 'ImportReferenceError'
}

export async function applyImport(db: Kysely<DB>, actor: Principal, batch: ImportBatch, options: ImportOptions): Promise<ImportSummary> {
  if (actor.partyId === null) throw new Error('an import needs a party')
  const partyId = actor.partyId
  const summary: ImportSummary = {
    source: batch.source, actors: batch.actors.length, actorsCreated: 0, claimsAdded: 0, claimsUnchanged: 0, claimsRetracted: 0, actorsDelisted: 0,
    successionsUnresolved: 0, candidates: batch.candidates.length,
  }
  const asOf = batch.asOf ?? new Date().toISOString().slice(0, 10)
  const byKey = new Map(batch.actors.map((a) => [a.key, a]))
  for (const a of batch.actors) {
    for (const m of a.memberships) if (!byKey.has(m.umbrellaKey)) throw new ImportReferenceError(`actor ${a.key}: its umbrella ${m.umbrellaKey} is not in the batch`)
    for (const s of a.successions) if (!byKey.has(s.predecessorKey) && !s.optional) throw new ImportReferenceError(`actor ${a.key}: its predecessor ${s.predecessorKey} is not in the batch`)
  }
  // A sub-unit restates its umbrella's list: its claims carry the umbrella's authority.
  const authorityOf = (a: ImportedActor, seen = new Set<string>()): string | null => {
    if (a.designations[0]) return a.designations[0].authority
    seen.add(a.key)
    for (const m of a.memberships) {
      const u = byKey.get(m.umbrellaKey)
      if (u && !seen.has(u.key)) {
        const found = authorityOf(u, seen)
        if (found) return found
      }
    }
    return null
  }

  /**
   * What this version no longer says. Only the party's own imported claims count (those an
   * actor.import submission made), on actors of the batch's key schemes, under the authorities
   * the batch covers (so importing the 1267 list alone says nothing of the other lists). A fact
   * dropped from an actor still listed is retracted; an actor no longer listed at all has each
   * open designation closed as of the batch's date (a new claim), the open one retracted.
   */
  const withdrawWhatIsGone = async (trx: Transaction<DB>, present: Set<string>, stated: Set<string>, schemes: string[]) => {
    const covered = new Set(batch.actors.flatMap((a) => a.designations.map((d) => authorityKey(d.authority))))
    if (covered.size === 0 || schemes.length === 0) return
    const imported = await trx.selectFrom('actor_claims as c')
      .innerJoin('submissions as s', 's.id', 'c.submission_id')
      .leftJoin('actor_claim_retractions as r', 'r.claim_id', 'c.id')
      .select(['c.id', 'c.actor_id', 'c.fact', 'c.other_actor_id', 'c.kind', 'c.value', 'c.lang', 'c.script', 'c.authority', 'c.reference', 'c.valid_from', 'c.valid_to', 'c.visibility'])
      .where('c.party_id', '=', partyId).where('s.kind', '=', 'actor.import').where('r.claim_id', 'is', null)
      .where((eb) => eb.exists(eb.selectFrom('actor_external_ids as e').select('e.actor_id').whereRef('e.actor_id', '=', 'c.actor_id').where('e.scheme', 'in', schemes)))
      .execute()
    const byActor = new Map<string, typeof imported>()
    for (const c of imported) {
      if (c.authority === null || !covered.has(authorityKey(c.authority))) continue
      const list = byActor.get(c.actor_id)
      if (list) list.push(c)
      else byActor.set(c.actor_id, [c])
    }
    for (const [actorId, claims] of byActor) {
      const listed = present.has(actorId)
      const gone = claims.filter((c) => listed ? !stated.has(`${actorId}|${sameKey(c)}`) : c.fact === 'designation' && c.valid_to === null)
      if (gone.length === 0) continue
      const closed: NewClaim[] = listed ? [] : gone.filter((c) => c.valid_from === null || c.valid_from <= asOf).map((c) => ({
        fact: 'designation', other_actor_id: null, kind: null, value: null, lang: null, script: null, authority: c.authority, reference: c.reference, valid_from: c.valid_from, valid_to: asOf,
      }))
      const reason = listed ? `absent from ${batch.source}` : `no longer listed in ${batch.source}: delisted by ${asOf}`
      const submission = await recordSubmission(trx, actor, {
        kind: 'actor.import', subjectId: actorId, payload: { source: batch.source, asOf: batch.asOf, withdrawn: gone.map((c) => c.id), facts: closed, reason },
        visibility: options.visibility,
      })
      if (closed.length > 0) {
        await trx.insertInto('actor_claims').values(closed.map((f) => ({
          ...f, actor_id: actorId, agreement_id: null, guarantor_party_id: null, party_id: partyId, user_id: actor.userId, source: batch.source, as_of: asOf,
          confidence: 'high' as const, visibility: options.visibility, owner_party_id: partyId, restricted_to: [], submission_id: submission.id,
        }))).execute()
        summary.claimsAdded += closed.length
        summary.actorsDelisted++
      }
      await trx.insertInto('actor_claim_retractions').values(gone.map((c) => ({ claim_id: c.id, party_id: partyId, user_id: actor.userId, reason, submission_id: submission.id }))).execute()
      summary.claimsRetracted += gone.length
    }
  }

  const run = async (trx: Transaction<DB>) => {
    // Resolve or create every actor first, so memberships and successions can point at them.
    const ids = new Map<string, string>()
    const keys = batch.actors.map((a) => ({ key: a.key, ...externalKey(a.key, options.scheme) }))
    const schemes = [...new Set(keys.map((k) => k.scheme))]
    const known = keys.length === 0 ? [] : await trx.selectFrom('actor_external_ids').select(['scheme', 'value', 'actor_id'])
      .where('scheme', 'in', schemes).where('value', 'in', keys.map((k) => k.value)).execute()
    const knownBy = new Map(known.map((k) => [`${k.scheme}:${k.value}`, k.actor_id]))
    for (const k of keys) {
      const id = knownBy.get(`${k.scheme}:${k.value}`)
      if (id) ids.set(k.key, id)
    }
    const existing = ids.size === 0 ? [] : await trx.selectFrom('actor_claims as c').leftJoin('actor_claim_retractions as r', 'r.claim_id', 'c.id')
      .select(['c.actor_id', 'c.fact', 'c.other_actor_id', 'c.kind', 'c.value', 'c.authority', 'c.reference', 'c.valid_from', 'c.valid_to'])
      .where('c.party_id', '=', partyId).where('r.claim_id', 'is', null).where('c.actor_id', 'in', [...ids.values()]).execute()
    const have = new Set(existing.map((c) => `${c.actor_id}|${sameKey(c)}`))

    // Predecessors named in passing and not in the batch: actors an earlier import made, if any.
    const outside = [...new Set(batch.actors.flatMap((a) => a.successions.map((s) => s.predecessorKey)).filter((k) => !byKey.has(k)))]
    const elsewhere = new Map<string, string>()
    for (const key of outside) {
      const k = externalKey(key, options.scheme)
      const row = await trx.selectFrom('actor_external_ids').select('actor_id').where('scheme', '=', k.scheme).where('value', '=', k.value).executeTakeFirst()
      if (row) elsewhere.set(key, row.actor_id)
    }
    const predecessorOf = (key: string) => ids.get(key) ?? elsewhere.get(key) ?? null

    let done = 0
    /** Every fact this version states, as `${actorId}|${sameKey}`. */
    const stated = new Set<string>()
    const pending: { a: ImportedActor; id: string; created: boolean }[] = []
    for (const a of batch.actors) {
      let id = ids.get(a.key)
      let created = false
      if (!id) {
        const name = a.names.find((n) => n.kind === 'name') ?? a.names[0]
        const submission = await recordSubmission(trx, actor, {
          kind: 'actor.create', subjectId: null, payload: { key: a.key, type: a.type, source: batch.source }, visibility: options.visibility,
        })
        id = (await trx.insertInto('actors').values({
          type: a.type, display_name: JSON.stringify(name ? { [name.lang ?? 'en']: name.value } : { en: a.key }), visibility: options.visibility,
          owner_party_id: partyId, restricted_to: [], submission_id: submission.id,
        }).returning('id').executeTakeFirstOrThrow()).id
        const k = externalKey(a.key, options.scheme)
        await trx.insertInto('actor_external_ids').values({ scheme: k.scheme, value: k.value, actor_id: id }).execute()
        ids.set(a.key, id)
        created = true
        summary.actorsCreated++
      }
      pending.push({ a, id, created })
    }

    for (const { a, id } of pending) {
      const authority = authorityOf(a)
      const facts: NewClaim[] = [
        ...a.names.map((n): NewClaim => ({ fact: 'name', other_actor_id: null, kind: n.kind, value: n.value, lang: n.lang, script: n.script, authority, reference: null, valid_from: n.validFrom, valid_to: n.validTo })),
        ...a.designations.map((d): NewClaim => ({ fact: 'designation', other_actor_id: null, kind: null, value: null, lang: null, script: null, authority: d.authority, reference: d.reference, valid_from: d.listedOn, valid_to: d.delistedOn })),
        ...a.memberships.map((m): NewClaim => ({ fact: 'membership', other_actor_id: ids.get(m.umbrellaKey)!, kind: m.role, value: null, lang: null, script: null, authority, reference: null, valid_from: m.validFrom, valid_to: m.validTo })),
        ...a.successions.flatMap((s): NewClaim[] => {
          const predecessor = predecessorOf(s.predecessorKey)
          if (predecessor === null || predecessor === id) { summary.successionsUnresolved++; return [] }
          return [{ fact: 'succession', other_actor_id: predecessor, kind: s.kind, value: null, lang: null, script: null, authority, reference: null, valid_from: s.date, valid_to: null, ...(s.source === undefined ? {} : { source: s.source }) }]
        }),
        ...a.countries.map((country): NewClaim => ({ fact: 'country', other_actor_id: null, kind: null, value: country, lang: null, script: null, authority, reference: null, valid_from: null, valid_to: null })),
      ]
      const fresh: NewClaim[] = []
      for (const f of facts) {
        const k = `${id}|${sameKey(f)}`
        stated.add(k)
        if (have.has(k)) { summary.claimsUnchanged++; continue }
        have.add(k)
        fresh.push(f)
      }
      if (fresh.length > 0) {
        const submission = await recordSubmission(trx, actor, {
          kind: 'actor.import', subjectId: id, payload: { source: batch.source, asOf: batch.asOf, key: a.key, facts: fresh }, visibility: options.visibility,
        })
        await trx.insertInto('actor_claims').values(fresh.map(({ source, ...f }) => ({
          ...f, actor_id: id, agreement_id: null, guarantor_party_id: null, party_id: partyId, user_id: actor.userId, source: sourceOf(batch.source, source), as_of: asOf,
          confidence: 'high' as const, visibility: options.visibility, owner_party_id: partyId, restricted_to: [], submission_id: submission.id,
        }))).execute()
        summary.claimsAdded += fresh.length
      }
      options.onProgress?.(++done, batch.actors.length)
    }

    if (options.complete) await withdrawWhatIsGone(trx, new Set(pending.map((p) => p.id)), stated, schemes)

    for (const c of batch.candidates) {
      await trx.insertInto('actor_candidates').values({ kind: c.kind, raw: c.raw, parts: c.parts, occurrences: c.occurrences, countries: c.countries, source: batch.source })
        .onConflict((oc) => oc.columns(['kind', 'raw']).doUpdateSet({ occurrences: c.occurrences, countries: c.countries, source: batch.source })).execute()
    }
  }

  class DryRun extends Error {}
  try {
    await db.transaction().execute(async (trx) => {
      await run(trx)
      if (options.dryRun) throw new DryRun()
    })
  } catch (e) {
    if (!(e instanceof DryRun)) throw e
  }
  return summary
}
