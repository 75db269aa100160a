// The sign-in contract.
import { z } from 'zod'
import { ROLES } from './access.policy.ts'

export const loginBody = z.strictObject({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
})

export const sessionUser = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  partyId: z.uuid(),
  partySlug: z.string(),
  roles: z.array(z.enum(ROLES)),
  locale: z.string(),
})

export const loginResponse = z.object({
  user: sessionUser,
  csrfToken: z.string(),
  expiresAt: z.iso.datetime(),
})

export const meResponse = z.object({
  kind: z.enum(['user', 'apikey', 'anonymous']),
  userId: z.uuid().nullable(),
  partyId: z.uuid().nullable(),
  roles: z.array(z.string()),
  permissions: z.array(z.string()),
  csrfToken: z.string().nullable(),
  user: sessionUser.nullable(),
})
