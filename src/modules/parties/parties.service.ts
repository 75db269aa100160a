// Parties and the people, machines and keys that act for them. Every change is one transaction
// with its submission.
import type { Kysely } from 'kysely'
import type { DB, PartyKind } from '../../db/schema.ts'
import { keyFingerprint, parseEd25519PublicKey } from '../../lib/ed25519.ts'
import { badRequest, forbidden, notFound } from '../../lib/errors.ts'
import { decodeCursor, toPage } from '../../lib/pagination.ts'
import { hashPassword } from '../../lib/secrets.ts'
import type { Principal, Role } from '../access/access.policy.ts'
import { newApiKeyToken } from '../access/access.service.ts'
import { recordSubmission, systemActor } from '../ledger/ledger.service.ts'
import { partiesRepository } from './parties.repository.ts'
import { mayCreateUser, mayGrantScopes, mayManagePartyKeys, userScope } from './parties.policy.ts'

const iso = (d: Date | null) => (d ? d.toISOString() : null)

type PartyRow = { id: string; slug: string; name: Record<string, string>; kind: PartyKind; created_at: Date; version: number }
export const presentParty = (p: PartyRow) =>
  ({ id: p.id, slug: p.slug, name: p.name, kind: p.kind, createdAt: p.created_at.toISOString(), version: p.version })

type UserRow = { id: string; party_id: string; email: string; display_name: string; roles: string[]; locale: string; disabled_at: Date | null; created_at: Date }
const presentUser = (u: UserRow) => ({
  id: u.id, partyId: u.party_id, email: u.email, displayName: u.display_name, roles: u.roles as Role[], locale: u.locale,
  disabled: u.disabled_at !== null, createdAt: u.created_at.toISOString(),
})

type ApiKeyRow = { id: string; party_id: string; user_id: string; name: string; prefix: string; scopes: string[]; created_at: Date; expires_at: Date | null; revoked_at: Date | null; last_used_at: Date | null }
const presentApiKey = (k: ApiKeyRow) => ({
  id: k.id, partyId: k.party_id, userId: k.user_id, name: k.name, prefix: k.prefix, scopes: k.scopes,
  createdAt: k.created_at.toISOString(), expiresAt: iso(k.expires_at), revokedAt: iso(k.revoked_at), lastUsedAt: iso(k.last_used_at),
})

type PartyKeyRow = { id: string; party_id: string; name: string; public_key: string; key_hash: string; valid_from: Date; valid_to: Date | null; revoked_at: Date | null; replaces_id: string | null; created_at: Date }
const presentPartyKey = (k: PartyKeyRow) => ({
  id: k.id, partyId: k.party_id, name: k.name, algorithm: 'ed25519' as const, publicKey: k.public_key, fingerprint: k.key_hash,
  validFrom: k.valid_from.toISOString(), validTo: iso(k.valid_to), revokedAt: iso(k.revoked_at), replacesId: k.replaces_id,
  createdAt: k.created_at.toISOString(),
})

export function partiesService(db: Kysely<DB>, now: () => Date = () => new Date()) {
  const repo = partiesRepository(db)

  async function partyOrThrow(idOrSlug: string) {
    const p = await repo.partyByIdOrSlug(idOrSlug)
    if (!p) throw notFound('party')
    return p
  }

  return {
    async listParties(limit: number, cursor?: string) {
      const rows = await repo.listParties(limit, decodeCursor(cursor))
      return toPage(rows, limit, (r) => ({ k: r.slug, id: r.id }), presentParty)
    },

    async getParty(idOrSlug: string) {
      return presentParty(await partyOrThrow(idOrSlug))
    },

    /**
     * Creates a party. 'system' (the CLI, the demo) records the party as registering itself,
     * which is how the very first party comes to exist.
     */
    async createParty(actor: Principal | 'system', input: { slug: string; name: Record<string, string>; kind: PartyKind }) {
      return db.transaction().execute(async (trx) => {
        const row = await partiesRepository(trx).insertParty({ slug: input.slug, name: JSON.stringify(input.name), kind: input.kind })
        await recordSubmission(trx, actor === 'system' ? systemActor(row.id) : actor, { kind: 'party.create', subjectId: row.id, payload: { id: row.id, ...input }, visibility: 'public' })
        return presentParty(row)
      })
    },

    async listUsers(actor: Principal, q: { limit: number; cursor?: string | undefined; partyId?: string | undefined }) {
      const rows = await repo.listUsers(userScope(actor), q.limit, q.partyId, decodeCursor(q.cursor))
      return toPage(rows, q.limit, (r) => ({ k: r.email, id: r.id }), presentUser)
    },

    async createUser(actor: Principal, input: { partyId: string; email: string; displayName: string; password: string; roles: Role[]; locale?: string | undefined }) {
      if (!mayCreateUser(actor, input.partyId, input.roles)) throw forbidden('user.manage')
      if (!(await repo.partyByIdOrSlug(input.partyId))) {
        throw badRequest('unknown_party', 'No such party.', [{ path: 'body.partyId', message: 'unknown party' }])
      }
      const passwordHash = await hashPassword(input.password)
      return db.transaction().execute(async (trx) => {
        const row = await partiesRepository(trx).insertUser({
          party_id: input.partyId, email: input.email, display_name: input.displayName, password_hash: passwordHash,
          roles: [...new Set(input.roles)], ...(input.locale ? { locale: input.locale } : {}),
        })
        await recordSubmission(trx, actor, {
          kind: 'user.create', subjectId: row.id,
          payload: { id: row.id, partyId: row.party_id, email: row.email, displayName: row.display_name, roles: row.roles },
          visibility: 'restricted', restrictedTo: [row.party_id],
        })
        return presentUser(row)
      })
    },

    async createApiKey(actor: Principal, input: { name: string; scopes: string[]; expiresAt?: Date | undefined }) {
      if (!actor.partyId || !actor.userId) throw forbidden('apikey.manage')
      if (!mayGrantScopes(actor, input.scopes)) {
        throw badRequest('scope_not_held', 'An API key can carry only permissions you hold.', [{ path: 'body.scopes', message: 'includes a permission you do not hold' }])
      }
      const { token, prefix, secretHash } = newApiKeyToken()
      const partyId = actor.partyId
      const userId = actor.userId
      return db.transaction().execute(async (trx) => {
        const row = await partiesRepository(trx).insertApiKey({
          party_id: partyId, user_id: userId, name: input.name, prefix, secret_hash: secretHash,
          scopes: [...new Set(input.scopes)], expires_at: input.expiresAt ?? null,
        })
        await recordSubmission(trx, actor, {
          kind: 'apikey.create', subjectId: row.id,
          payload: { id: row.id, name: row.name, prefix, scopes: row.scopes, expiresAt: iso(row.expires_at) },
          visibility: 'internal',
        })
        return { ...presentApiKey(row), token }
      })
    },

    async listApiKeys(actor: Principal) {
      if (!actor.partyId) return { items: [] }
      return { items: (await repo.listApiKeys(actor.partyId)).map(presentApiKey) }
    },

    async revokeApiKey(actor: Principal, id: string) {
      if (!actor.partyId) throw notFound('API key')
      const partyId = actor.partyId
      await db.transaction().execute(async (trx) => {
        const r = partiesRepository(trx)
        const row = await r.revokeApiKey(id, partyId, now())
        if (!row) {
          if (await r.apiKeyOfParty(id, partyId)) return // already revoked: revoking again changes nothing
          throw notFound('API key')
        }
        await recordSubmission(trx, actor, { kind: 'apikey.revoke', subjectId: id, payload: { id }, visibility: 'internal' })
      })
    },

    /** A key of this party valid at `at` and not revoked: the raw public key, or null. */
    async activeKey(partyId: string, keyId: string, at: Date): Promise<Buffer | null> {
      const k = await repo.partyKey(keyId, partyId)
      if (!k || k.revoked_at || k.valid_from > at || (k.valid_to && k.valid_to <= at)) return null
      return Buffer.from(k.public_key, 'base64')
    },

    async listPartyKeys(partyIdOrSlug: string) {
      const party = await partyOrThrow(partyIdOrSlug)
      return { items: (await repo.listPartyKeys(party.id)).map(presentPartyKey) }
    },

    /** Registers a key; with `replacesId` it rotates: the old key's validity ends where the new one's begins. */
    async registerPartyKey(actor: Principal, partyIdOrSlug: string, input: { name: string; publicKey: string; validFrom: Date; validTo?: Date | undefined; replacesId?: string | undefined }) {
      const party = await partyOrThrow(partyIdOrSlug)
      if (!mayManagePartyKeys(actor, party.id)) throw forbidden('partykey.manage')
      const raw = parseEd25519PublicKey(input.publicKey, 'body.publicKey')
      const publicKey = raw.toString('base64')
      return db.transaction().execute(async (trx) => {
        const r = partiesRepository(trx)
        if (input.replacesId) {
          const old = await r.partyKey(input.replacesId, party.id)
          if (!old) throw badRequest('unknown_key', 'The key to replace is not one of this party\'s keys.', [{ path: 'body.replacesId', message: 'unknown key' }])
          if (input.validFrom <= old.valid_from) {
            throw badRequest('inverted_interval', 'A replacement key must become valid after the key it replaces.', [{ path: 'body.validFrom', message: 'not after the old key\'s validFrom', code: 'inverted_interval' }])
          }
          if (old.valid_to === null || old.valid_to > input.validFrom) await r.endPartyKey(old.id, input.validFrom)
        }
        const row = await r.insertPartyKey({
          party_id: party.id, name: input.name, public_key: publicKey, key_hash: keyFingerprint(raw),
          valid_from: input.validFrom, valid_to: input.validTo ?? null, replaces_id: input.replacesId ?? null,
        })
        await recordSubmission(trx, actor, {
          kind: 'partykey.register', subjectId: row.id,
          payload: { id: row.id, partyId: party.id, name: row.name, algorithm: 'ed25519', publicKey, validFrom: row.valid_from,
            validTo: row.valid_to, replacesId: row.replaces_id },
          visibility: 'public',
        })
        return presentPartyKey(row)
      })
    },

    async revokePartyKey(actor: Principal, partyIdOrSlug: string, keyId: string) {
      const party = await partyOrThrow(partyIdOrSlug)
      if (!mayManagePartyKeys(actor, party.id)) throw notFound('key')
      return db.transaction().execute(async (trx) => {
        const r = partiesRepository(trx)
        const key = await r.partyKey(keyId, party.id)
        if (!key) throw notFound('key')
        if (key.revoked_at) return presentPartyKey(key)
        const row = await r.revokePartyKey(keyId, now())
        await recordSubmission(trx, actor, { kind: 'partykey.revoke', subjectId: keyId, payload: { id: keyId, partyId: party.id }, visibility: 'public' })
        return presentPartyKey(row)
      })
    },
  }
}
