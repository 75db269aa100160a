// Parties, their users, API keys and Ed25519 signing keys.
import { z } from 'zod'
import { instant, intervalCheck, slug } from '../../lib/http.ts'
import { langText } from '../../lib/i18n.ts'
import { pageSchema } from '../../lib/pagination.ts'
import { PERMISSIONS, ROLES } from '../access/access.policy.ts'

export const PARTY_KINDS = ['guarantor', 'signatory', 'monitor', 'humanitarian', 'public'] as const

export const party = z.object({
  id: z.uuid(), slug: z.string(), name: z.record(z.string(), z.string()), kind: z.enum(PARTY_KINDS),
  createdAt: z.iso.datetime(), version: z.number().int(),
})
export const partyPage = pageSchema(party)
export const createPartyBody = z.strictObject({ slug, name: langText, kind: z.enum(PARTY_KINDS) })

export const partyParams = z.strictObject({ id: z.string().min(1).max(80) })

export const user = z.object({
  id: z.uuid(), partyId: z.uuid(), email: z.string(), displayName: z.string(), roles: z.array(z.enum(ROLES)),
  locale: z.string(), disabled: z.boolean(), createdAt: z.iso.datetime(),
})
export const userPage = pageSchema(user)
export const createUserBody = z.strictObject({
  partyId: z.uuid(),
  email: z.email().max(320).transform((e) => e.toLowerCase()),
  displayName: z.string().trim().min(1).max(200),
  password: z.string().min(10, 'at least 10 characters').max(1024),
  roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
  locale: z.enum(['en', 'ar', 'ru', 'uk']).optional(),
})
export const userListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
  partyId: z.uuid().optional(),
})

export const apiKey = z.object({
  id: z.uuid(), partyId: z.uuid(), userId: z.uuid(), name: z.string(), prefix: z.string(), scopes: z.array(z.string()),
  createdAt: z.iso.datetime(), expiresAt: z.iso.datetime().nullable(), revokedAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
})
export const createApiKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(120),
  scopes: z.array(z.enum(PERMISSIONS)).min(1).max(PERMISSIONS.length),
  expiresAt: instant.optional(),
})
export const createdApiKey = apiKey.extend({ token: z.string() })
export const apiKeyList = z.object({ items: z.array(apiKey) })
export const idParam = z.strictObject({ id: z.uuid() })

export const partyKey = z.object({
  id: z.uuid(), partyId: z.uuid(), name: z.string(), algorithm: z.literal('ed25519'), publicKey: z.string(),
  fingerprint: z.string(), validFrom: z.iso.datetime(), validTo: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(), replacesId: z.uuid().nullable(), createdAt: z.iso.datetime(),
})
export const partyKeyList = z.object({ items: z.array(partyKey) })
export const registerKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(120),
  publicKey: z.string().trim().min(40).max(200).describe('Ed25519 public key: 32 bytes, base64, or an SPKI PEM'),
  validFrom: instant,
  validTo: instant.optional(),
  replacesId: z.uuid().optional(),
}).superRefine(intervalCheck('validFrom', 'validTo'))
export const partyKeyParams = z.strictObject({ id: z.string().min(1).max(80), keyId: z.uuid() })
