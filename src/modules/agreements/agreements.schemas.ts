// The agreements contract: agreements, their parties, provisions, exclusions, revisions and the
// implementation status of each provision.
import { z } from 'zod'
import { instant, intervalCheck, isoDate, slug } from '../../lib/http.ts'
import { langText, langTag, optionalLangText } from '../../lib/i18n.ts'
import { pageSchema } from '../../lib/pagination.ts'
import { VISIBILITIES } from '../../lib/visibility.ts'

export const AGREEMENT_STATUSES = ['draft', 'signed', 'in_force', 'suspended', 'terminated', 'superseded'] as const
export const AGREEMENT_ROLES = ['signatory', 'guarantor', 'secretariat', 'monitor', 'observer'] as const
export const PROVISION_CATEGORIES = ['cessation_of_hostilities', 'exclusion', 'humanitarian_access', 'delineation',
  'monitoring', 'weapons_withdrawal', 'political_process', 'public_communication'] as const
export const IMPLEMENTATION_LEVELS = [0, 1, 2, 3] as const

const provisionNumber = z.string().regex(/^[0-9A-Za-z]+([.-][0-9A-Za-z]+)*$/, 'a clause number such as 3, 3.1 or 4.b').max(32)

export const exclusionInput = z.strictObject({
  description: langText,
  designationAuthority: z.string().trim().min(1).max(120).nullable().optional(),
  namedGroup: z.string().trim().min(1).max(300).nullable().optional(),
})

export const provisionInput = z.strictObject({
  number: provisionNumber,
  category: z.enum(PROVISION_CATEGORIES),
  title: optionalLangText.optional(),
  text: langText,
  exclusions: z.array(exclusionInput).max(100).optional(),
})

export const agreementPartyInput = z.strictObject({
  partyId: z.uuid(),
  role: z.enum(AGREEMENT_ROLES),
})

export const createAgreementBody = z.strictObject({
  slug,
  title: langText,
  summary: optionalLangText.optional(),
  theatre: z.string().trim().min(2).max(120),
  status: z.enum(AGREEMENT_STATUSES),
  signedOn: isoDate.nullable().optional(),
  effectiveFrom: instant.nullable().optional(),
  effectiveTo: instant.nullable().optional(),
  languages: z.array(langTag).min(1).max(20).optional(),
  visibility: z.enum(VISIBILITIES),
  restrictedTo: z.array(z.uuid()).max(100).optional(),
  parties: z.array(agreementPartyInput).max(100).optional(),
  provisions: z.array(provisionInput).max(500).optional(),
}).superRefine(intervalCheck('effectiveFrom', 'effectiveTo'))
export type CreateAgreement = z.output<typeof createAgreementBody>

export const provisionUpdate = z.strictObject({
  number: provisionNumber,
  category: z.enum(PROVISION_CATEGORIES).optional(),
  title: optionalLangText.optional(),
  text: langText.optional(),
  exclusions: z.array(exclusionInput).max(100).optional(),
})

export const amendAgreementBody = z.strictObject({
  version: z.number().int().min(1),
  note: z.string().trim().min(3).max(2000),
  title: langText.optional(),
  summary: optionalLangText.optional(),
  theatre: z.string().trim().min(2).max(120).optional(),
  status: z.enum(AGREEMENT_STATUSES).optional(),
  signedOn: isoDate.nullable().optional(),
  effectiveFrom: instant.nullable().optional(),
  effectiveTo: instant.nullable().optional(),
  languages: z.array(langTag).min(1).max(20).optional(),
  visibility: z.enum(VISIBILITIES).optional(),
  restrictedTo: z.array(z.uuid()).max(100).optional(),
  parties: z.array(agreementPartyInput).max(100).optional(),
  provisions: z.strictObject({
    add: z.array(provisionInput).max(500).optional(),
    update: z.array(provisionUpdate).max(500).optional(),
    withdraw: z.array(provisionNumber).max(500).optional(),
  }).optional(),
}).superRefine(intervalCheck('effectiveFrom', 'effectiveTo'))
export type AmendAgreement = z.output<typeof amendAgreementBody>

export const statusBody = z.strictObject({
  level: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  asOf: instant,
  evidence: z.string().trim().min(3).max(10_000),
})

export const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
  theatre: z.string().max(120).optional(),
  status: z.enum(AGREEMENT_STATUSES).optional(),
})

export const idParams = z.strictObject({ id: z.string().min(1).max(80) })
export const provisionParams = z.strictObject({ id: z.string().min(1).max(80), provisionId: z.uuid() })
export const revisionParams = z.strictObject({ id: z.string().min(1).max(80), revision: z.coerce.number().int().min(1) })

const ts = z.iso.datetime()

export const agreementSummary = z.object({
  id: z.uuid(),
  slug: z.string(),
  title: z.record(z.string(), z.string()),
  theatre: z.string(),
  status: z.enum(AGREEMENT_STATUSES),
  signedOn: z.string().nullable(),
  effectiveFrom: ts.nullable(),
  effectiveTo: ts.nullable(),
  visibility: z.enum(VISIBILITIES),
  revision: z.number().int(),
  version: z.number().int(),
})

export const statusEntry = z.object({
  id: z.uuid(),
  provisionId: z.uuid(),
  level: z.number().int().min(0).max(3),
  asOf: ts,
  evidence: z.string(),
  partyId: z.uuid(),
  userId: z.uuid().nullable(),
  submissionId: z.uuid(),
  createdAt: ts,
})

export const agreementDetail = agreementSummary.extend({
  summary: z.record(z.string(), z.string()),
  languages: z.array(z.string()),
  ownerPartyId: z.uuid(),
  restrictedTo: z.array(z.uuid()),
  createdAt: ts,
  updatedAt: ts,
  actions: z.object({
    amend: z.boolean().describe('the caller may amend this agreement'),
    reportStatus: z.boolean().describe('the caller may record implementation status'),
  }),
  parties: z.array(z.object({
    partyId: z.uuid(), slug: z.string(), name: z.record(z.string(), z.string()), kind: z.string(), role: z.enum(AGREEMENT_ROLES),
  })),
  provisions: z.array(z.object({
    id: z.uuid(),
    number: z.string(),
    category: z.enum(PROVISION_CATEGORIES),
    title: z.record(z.string(), z.string()),
    text: z.record(z.string(), z.string()),
    withdrawnAt: ts.nullable(),
    exclusions: z.array(z.object({
      id: z.uuid(), description: z.record(z.string(), z.string()),
      designationAuthority: z.string().nullable(), namedGroup: z.string().nullable(),
    })),
    status: statusEntry.nullable(),
  })),
})
export type AgreementDetail = z.input<typeof agreementDetail>

export const agreementPage = pageSchema(agreementSummary)

export const revisionEntry = z.object({
  revision: z.number().int(),
  changedAt: ts,
  partyId: z.uuid(),
  userId: z.uuid().nullable(),
  note: z.string(),
  changes: z.array(z.object({ path: z.string(), from: z.unknown(), to: z.unknown() })),
  submissionId: z.uuid(),
})
export const revisionList = z.object({ items: z.array(revisionEntry) })
export const revisionSnapshot = revisionEntry.extend({ snapshot: z.unknown() })
export const statusHistory = z.object({ items: z.array(statusEntry) })
