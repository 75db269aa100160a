// The actor registry's HTTP contract: actors, claims (one shape per fact), retractions,
// judgements, derived views, the delineation table and matching.
import { z } from 'zod'
import { isoDate } from '../../lib/http.ts'
import { langTag, langText } from '../../lib/i18n.ts'
import { pageSchema } from '../../lib/pagination.ts'
import { VISIBILITIES } from '../../lib/visibility.ts'
import { ACTOR_TYPES, NAME_KINDS, SCRIPTS, SUCCESSION_KINDS } from './actors.types.ts'
import { isCountryCode } from './countries.ts'

export const CONFIDENCES = ['high', 'medium', 'low'] as const
export const CLAIM_FACTS = ['name', 'membership', 'succession', 'designation', 'accession', 'country'] as const

/** A country of operation: an assigned ISO 3166-1 alpha-2 code ("SY"; "sy" is read as "SY"). */
export const countryCode = z.string().regex(/^[A-Za-z]{2}$/, { message: 'an ISO 3166-1 alpha-2 code: two letters, e.g. SY', abort: true }).toUpperCase()
  .refine(isCountryCode, { message: 'not an assigned ISO 3166-1 alpha-2 country code', params: { code: 'unknown_country' } })
  .describe('ISO 3166-1 alpha-2 country code, e.g. SY')

/** Rejects an interval whose end is before its start (dates compare as YYYY-MM-DD strings). */
const dateInterval = (fromKey: string, toKey: string) => (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
  const from = value[fromKey]
  const to = value[toKey]
  if (typeof from === 'string' && typeof to === 'string' && to < from) {
    ctx.addIssue({ code: 'custom', path: [toKey], message: `${toKey} must not be before ${fromKey}`, params: { code: 'inverted_interval' } })
  }
}

/** Who says so, from what, as of when, how sure, and who may see it. */
const claimMeta = {
  source: z.string().trim().min(1).max(500).describe('where the claim comes from: a document, a list, a report'),
  asOf: isoDate.optional().describe('the date the claim speaks for (default: today)'),
  confidence: z.enum(CONFIDENCES).default('medium'),
  visibility: z.enum(VISIBILITIES).default('parties'),
  restrictedTo: z.array(z.uuid()).max(100).optional(),
  authority: z.string().trim().min(1).max(120).optional().describe("the authority whose list this claim restates (e.g. UNSC-1267), for that authority's viewpoint"),
}

export const nameClaim = z.strictObject({
  fact: z.literal('name'), kind: z.enum(NAME_KINDS), value: z.string().trim().min(1).max(300),
  lang: langTag.nullable().optional(), script: z.enum(SCRIPTS).optional().describe('detected from the value when omitted'),
  validFrom: isoDate.nullable().optional(), validTo: isoDate.nullable().optional(), ...claimMeta,
}).superRefine(dateInterval('validFrom', 'validTo'))

export const membershipClaim = z.strictObject({
  fact: z.literal('membership'), umbrellaId: z.uuid(), role: z.string().trim().min(1).max(120).nullable().optional(),
  validFrom: isoDate.nullable().optional(), validTo: isoDate.nullable().optional(), ...claimMeta,
}).superRefine(dateInterval('validFrom', 'validTo'))

export const successionClaim = z.strictObject({
  fact: z.literal('succession'), predecessorId: z.uuid(), kind: z.enum(SUCCESSION_KINDS), date: isoDate.nullable().optional(), ...claimMeta,
})

export const designationClaim = z.strictObject({
  ...claimMeta,
  fact: z.literal('designation'), authority: z.string().trim().min(1).max(120).describe('the listing authority, e.g. UNSC-1267'),
  reference: z.string().trim().min(1).max(120), listedOn: isoDate.nullable().optional(), delistedOn: isoDate.nullable().optional(),
}).superRefine(dateInterval('listedOn', 'delistedOn'))

export const accessionClaim = z.strictObject({
  fact: z.literal('accession'), agreementId: z.string().min(1).max(80).describe('agreement id or slug'),
  guarantorPartyId: z.uuid().nullable().optional().describe('the guarantor it joined through'),
  action: z.enum(['joined', 'withdrew']), date: isoDate, ...claimMeta,
})

/** The actor operates in a country (over an interval, when given). */
export const countryClaim = z.strictObject({
  fact: z.literal('country'), country: countryCode, validFrom: isoDate.nullable().optional(), validTo: isoDate.nullable().optional(), ...claimMeta,
}).superRefine(dateInterval('validFrom', 'validTo'))

export const claimBody = z.discriminatedUnion('fact', [nameClaim, membershipClaim, successionClaim, designationClaim, accessionClaim, countryClaim])
export type ClaimBody = z.output<typeof claimBody>

export const createActorBody = z.strictObject({
  type: z.enum(ACTOR_TYPES),
  displayName: langText,
  visibility: z.enum(VISIBILITIES).default('parties'),
  restrictedTo: z.array(z.uuid()).max(100).optional(),
  /** Names to claim at once (each a name claim with the meta below). */
  names: z.array(z.strictObject({
    kind: z.enum(NAME_KINDS), value: z.string().trim().min(1).max(300), lang: langTag.nullable().optional(),
    validFrom: isoDate.nullable().optional(), validTo: isoDate.nullable().optional(),
  }).superRefine(dateInterval('validFrom', 'validTo'))).max(200).optional(),
  countries: z.array(countryCode).max(50).optional().describe('countries of operation, each claimed at once like the names'),
  source: claimMeta.source,
  asOf: claimMeta.asOf,
  confidence: claimMeta.confidence,
})
export type CreateActor = z.output<typeof createActorBody>

export const claimSchema = z.object({
  id: z.uuid(), fact: z.enum(CLAIM_FACTS).describe('for a country claim, `value` is the ISO 3166-1 alpha-2 code'), actorId: z.uuid(),
  otherActorId: z.uuid().nullable(), agreementId: z.uuid().nullable(), guarantorPartyId: z.uuid().nullable(),
  kind: z.string().nullable(), value: z.string().nullable(), lang: z.string().nullable(), script: z.string().nullable(),
  authority: z.string().nullable(), reference: z.string().nullable(), validFrom: z.string().nullable(), validTo: z.string().nullable(),
  partyId: z.uuid(), source: z.string(), asOf: z.string(), confidence: z.enum(CONFIDENCES), visibility: z.enum(VISIBILITIES),
  submissionId: z.uuid(), createdAt: z.iso.datetime(),
  retracted: z.object({ reason: z.string(), at: z.iso.datetime(), submissionId: z.uuid() }).nullable(),
})

export const actorSummary = z.object({
  id: z.uuid(), type: z.enum(ACTOR_TYPES), displayName: z.record(z.string(), z.string()), mergedInto: z.uuid().nullable(),
  visibility: z.enum(VISIBILITIES), createdAt: z.iso.datetime(), version: z.number().int(),
})
export const actorPage = pageSchema(actorSummary)

export const actorDetail = actorSummary.extend({
  externalIds: z.array(z.object({ scheme: z.string(), value: z.string() })),
  countries: z.array(z.string()).describe('countries of operation any live country claim you may see names (ISO 3166-1 alpha-2, sorted)'),
  claims: z.array(claimSchema),
  judgements: z.array(z.object({ id: z.uuid(), otherActorId: z.uuid(), verdict: z.enum(['same', 'not_same']), partyId: z.uuid(), note: z.string(), createdAt: z.iso.datetime() })),
})

export const listQuery = z.strictObject({
  q: z.string().trim().min(1).max(200).optional().describe('part of any visible name'),
  type: z.enum(ACTOR_TYPES).optional(),
  country: countryCode.optional().describe('only actors some live country claim you may see says operate there'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(512).optional(),
})

export const idParams = z.strictObject({ id: z.uuid() })
export const claimParams = z.strictObject({ claimId: z.uuid() })
export const retractBody = z.strictObject({ reason: z.string().trim().min(1).max(2000) })
export const judgementBody = z.strictObject({
  actorA: z.uuid(), actorB: z.uuid(), verdict: z.enum(['same', 'not_same']), note: z.string().trim().max(2000).default(''),
}).superRefine((v, ctx) => {
  if (v.actorA === v.actorB) ctx.addIssue({ code: 'custom', path: ['actorB'], message: 'a judgement compares two different actors', params: { code: 'same_actor' } })
})
export const mergeBody = z.strictObject({ into: z.uuid(), version: z.number().int().min(1) })

/** `party:<uuid>`, `consensus` (optionally of one agreement's guarantors) or `authority:<name>`. */
export const viewpointParam = z.string().max(200).regex(/^(party:[0-9a-f-]{36}|consensus|authority:.{1,120})$/, 'party:<party id>, consensus or authority:<name>')

export const viewQuery = z.strictObject({
  viewpoint: viewpointParam,
  at: isoDate.optional().describe('the date to view (default: today)'),
  agreement: z.string().min(1).max(80).optional().describe('for consensus: whose guarantors (default: every guarantor party)'),
})

export const delineationQuery = z.strictObject({
  at: isoDate.optional().describe('the date to delineate (default: today)'),
  format: z.enum(['json', 'csv']).default('json'),
})

const reason = z.object({
  kind: z.enum(['joined', 'withdrew', 'designated', 'member_of_designated', 'successor_of_designated']),
  via: z.array(z.uuid()), claimIds: z.array(z.uuid()), authority: z.string().optional(), reference: z.string().optional(), date: z.string().nullable().optional(),
})
export const delineationSchema = z.object({
  agreementId: z.uuid(), at: z.string(),
  viewpoints: z.array(z.object({ key: z.string(), kind: z.enum(['party', 'consensus', 'authority']), label: z.string(), partyId: z.uuid().optional() })),
  rows: z.array(z.object({
    actorId: z.uuid(), name: z.string(), type: z.enum(ACTOR_TYPES),
    disagreement: z.boolean().describe('the viewpoints do not all give the same status'),
    cells: z.record(z.string(), z.object({ status: z.enum(['joined', 'excluded', 'joined_and_excluded', 'unknown']), reasons: z.array(reason) })),
  })),
})

export const viewSchema = z.object({
  actorId: z.uuid(), viewpoint: z.string(), at: z.string(),
  names: z.array(z.object({ kind: z.string(), value: z.string(), lang: z.string().nullable(), script: z.string().nullable(), validFrom: z.string().nullable(), validTo: z.string().nullable(), claimIds: z.array(z.uuid()) })),
  memberOf: z.array(z.object({ actorId: z.uuid(), role: z.string().nullable(), validFrom: z.string().nullable(), validTo: z.string().nullable(), claimIds: z.array(z.uuid()) })),
  members: z.array(z.object({ actorId: z.uuid(), role: z.string().nullable(), validFrom: z.string().nullable(), validTo: z.string().nullable(), claimIds: z.array(z.uuid()) })),
  designations: z.array(z.object({ authority: z.string(), reference: z.string(), listedOn: z.string().nullable(), delistedOn: z.string().nullable(), claimIds: z.array(z.uuid()) })),
  successions: z.array(z.object({ predecessorId: z.uuid(), kind: z.string(), date: z.string().nullable(), claimIds: z.array(z.uuid()) })),
  countries: z.array(z.object({ country: z.string(), validFrom: z.string().nullable(), validTo: z.string().nullable(), claimIds: z.array(z.uuid()) })),
})


export const candidateSchema = z.object({
  id: z.uuid(), kind: z.enum(['coalition', 'membership']), raw: z.string(), parts: z.array(z.string()), occurrences: z.number().int(),
  countries: z.array(z.string()).describe('ISO 3166-1 alpha-2 codes of the rows it came from'),
  source: z.string(), status: z.enum(['pending', 'confirmed', 'rejected']), createdAt: z.iso.datetime(),
})
export const candidateList = z.object({ items: z.array(candidateSchema) })
export const candidateQuery = z.strictObject({ status: z.enum(['pending', 'confirmed', 'rejected']).default('pending') })

/** Confirming a coalition candidate: the umbrella (an existing actor, or a new one) and which actor each part is. */
export const confirmCandidateBody = z.strictObject({
  umbrellaId: z.uuid().optional().describe('an existing umbrella actor; omit to create one named after the candidate'),
  members: z.array(z.strictObject({ part: z.string().min(1).max(300), actorId: z.uuid() })).min(1).max(50),
  validFrom: isoDate.nullable().optional(),
  validTo: isoDate.nullable().optional(),
  countries: z.array(countryCode).max(50).optional()
    .describe("countries to claim for the umbrella and each member (default: the candidate's countries; [] for none)"),
  ...claimMeta,
}).superRefine(dateInterval('validFrom', 'validTo'))
export type ConfirmCandidate = z.output<typeof confirmCandidateBody>

/** Splitting off a new actor: it takes the names chosen, and succeeds the original by split on `date`. */
export const splitBody = z.strictObject({
  type: z.enum(ACTOR_TYPES),
  displayName: langText,
  nameClaimIds: z.array(z.uuid()).min(1).max(200).describe("name claims of the original that belong to the new actor"),
  date: isoDate.nullable().optional(),
  ...claimMeta,
})
export type SplitActor = z.output<typeof splitBody>

export const matchBody = z.strictObject({
  name: z.string().trim().min(1).max(300).describe('a name in any script'),
  at: isoDate.optional().describe('the date the name was used (a report\'s date): names valid then rank first'),
  limit: z.number().int().min(1).max(100).default(10),
  actorId: z.uuid().optional().describe("context: looking for this actor's duplicates; judgements about it apply"),
  agreement: z.string().min(1).max(80).optional().describe("context: an agreement (id or slug); candidates its delineation concerns come first within a band"),
  country: countryCode.optional().describe('context: where the name was used; candidates operating in that country come first within a band (never into a higher one)'),
})
export const matchBatchBody = z.strictObject({
  names: z.array(z.strictObject({
    name: z.string().trim().min(1).max(300), at: isoDate.optional(), country: countryCode.optional().describe("this name's country, instead of the list's"),
  })).min(1).max(2000),
  limit: z.number().int().min(1).max(20).default(3),
  agreement: z.string().min(1).max(80).optional().describe('context: an agreement (id or slug), as for a single name'),
  country: countryCode.optional().describe('context: the country of every name of the list, as for a single name'),
})
const feature = z.object({ feature: z.string() }).catchall(z.unknown())
export const candidateMatch = z.object({
  actorId: z.uuid(), displayName: z.record(z.string(), z.string()), score: z.number(), band: z.enum(['automatic', 'review', 'possible']),
  matchedName: z.object({ nameId: z.uuid(), value: z.string(), kind: z.string(), lang: z.string().nullable(), script: z.string(), validFrom: z.string().nullable(), validTo: z.string().nullable(), isReference: z.boolean().optional() }),
  dateStatus: z.enum(['valid', 'came_into_use_later', 'no_longer_in_use']), cameIntoUseLater: z.boolean(),
  concerned: z.boolean().nullable().describe('whether the context agreement\'s delineation concerns this actor (null without an agreement)'),
  features: z.array(feature).describe("why: one entry per feature of the comparison; with a country as context, a `country` entry whose `status` is match, other_country or unknown (it ranks within the band and never changes the score)"),
})
export const matchResponse = z.object({ candidates: z.array(candidateMatch) })
export const matchBatchResponse = z.object({ results: z.array(z.object({ name: z.string(), at: z.string().nullable(), country: z.string().nullable(), candidates: z.array(candidateMatch) })) })
