// The contract of verification: transitions of an incident's state, allegations with their
// requests for information and answers, findings with graded confidence and the parties that
// concur in them, and the thresholds each agreement sets for "verified".
import { z } from 'zod'
import { INCIDENT_STATES } from '../../db/schema.ts'
import { VISIBILITIES } from '../../lib/visibility.ts'
import { pageQuery } from '../../lib/pagination.ts'

export const CONCLUSIONS = ['violation', 'no_violation', 'inconclusive'] as const
export const CONFIDENCES = ['highly_probable', 'probable', 'plausible'] as const

export const incidentParams = z.strictObject({ id: z.uuid() })

const text = z.string().trim().min(1).max(20_000)
const disclosure = {
  visibility: z.enum(VISIBILITIES).default('parties'),
  restrictedTo: z.array(z.uuid()).max(100).optional().describe('the parties a restricted record is shared with'),
}

export const transitionBody = z.strictObject({
  to: z.enum(INCIDENT_STATES),
  reason: z.string().trim().min(1).max(5000).describe('why: it is kept with the transition in the verifiable record'),
})

export const allegationBody = z.strictObject({
  accusedPartyId: z.uuid(),
  provisionId: z.uuid().optional().describe('the provision of an agreement the accused party is alleged to have broken'),
  text,
  deadline: z.iso.datetime({ offset: true }).optional().describe('when the accused party must answer by; else now plus the agreement\'s rfiDeadlineHours'),
  ...disclosure,
}).describe('The accused party always sees the allegation: internal is refused and restricted includes it')

export const findingBody = z.strictObject({
  conclusion: z.enum(CONCLUSIONS),
  confidence: z.enum(CONFIDENCES).describe('highly probable, probable or plausible'),
  responsibleActorId: z.uuid().optional(),
  provisionId: z.uuid().optional(),
  text,
  ...disclosure,
})

export const responseBody = z.strictObject({ text })

export const rulesBody = z.strictObject({
  monitorObservationSuffices: z.boolean(),
  independentSources: z.number().int().min(1).max(50),
  distinctSourceKinds: z.number().int().min(1).max(5),
  rfiDeadlineHours: z.number().int().min(1).max(24 * 365),
})

export const requestsQuery = pageQuery.extend({
  open: z.enum(['true', 'false']).optional().transform((v) => v === 'true').describe('only requests not answered yet'),
})

const iso = z.iso.datetime()

export const transitionSchema = z.object({
  id: z.uuid(), seq: z.number().int(), from: z.enum(INCIDENT_STATES), to: z.enum(INCIDENT_STATES), reason: z.string(),
  partyId: z.uuid(), userId: z.uuid().nullable(), evidence: z.unknown().describe('the thresholds check or sources counted when it was made'),
  submissionId: z.uuid(), createdAt: iso,
})

export const responseSchema = z.object({ id: z.uuid(), requestId: z.uuid(), partyId: z.uuid(), userId: z.uuid().nullable(), text: z.string(), late: z.boolean(), submissionId: z.uuid(), createdAt: iso })

export const requestSchema = z.object({
  id: z.uuid(), allegationId: z.uuid(), incidentId: z.uuid(), toPartyId: z.uuid(), fromPartyId: z.uuid(), deadline: iso,
  answered: z.boolean(), overdue: z.boolean(), allegation: z.string(), createdAt: iso,
  direction: z.enum(['received', 'sent']).describe('addressed to your party, or sent by it'),
})

export const allegationSchema = z.object({
  id: z.uuid(), incidentId: z.uuid(), allegingPartyId: z.uuid(), accusedPartyId: z.uuid(), provisionId: z.uuid().nullable(), text: z.string(),
  visibility: z.enum(VISIBILITIES), submissionId: z.uuid(), createdAt: iso,
  requests: z.array(z.object({ id: z.uuid(), toPartyId: z.uuid(), deadline: iso, answered: z.boolean(), overdue: z.boolean(), responses: z.array(responseSchema) })),
})

export const findingSchema = z.object({
  id: z.uuid(), incidentId: z.uuid(), partyId: z.uuid(), conclusion: z.enum(CONCLUSIONS), confidence: z.enum(CONFIDENCES),
  responsibleActorId: z.uuid().nullable(), provisionId: z.uuid().nullable(), text: z.string(), visibility: z.enum(VISIBILITIES),
  joint: z.boolean().describe('another party concurs: a joint finding; else a separate one'), concurringParties: z.array(z.uuid()),
  submissionId: z.uuid(), createdAt: iso,
})

export const concurrenceSchema = z.object({ findingId: z.uuid(), partyId: z.uuid(), submissionId: z.uuid(), createdAt: iso })

const rules = z.object({ monitorObservationSuffices: z.boolean(), independentSources: z.number(), distinctSourceKinds: z.number(), rfiDeadlineHours: z.number() })

export const rulesSchema = z.object({
  agreementId: z.uuid(), version: z.number().int().nullable().describe('null: the agreement set none, and the defaults apply'), rules,
  submissionId: z.uuid().nullable(), createdAt: iso.nullable(),
})

export const verificationSchema = z.object({
  incidentId: z.uuid(), state: z.enum(INCIDENT_STATES), mergedInto: z.uuid().nullable(),
  evidence: z.object({
    monitorObservation: z.boolean(), independentSources: z.number().int(), sourceKinds: z.array(z.string()),
    agreements: z.array(z.object({ agreementId: z.uuid().nullable(), slug: z.string().nullable(), rules, met: z.boolean(), missing: z.array(z.string()) })),
  }).describe('the sources of the reports you may see against the thresholds of each agreement in force at the incident\'s time and place'),
  transitions: z.array(transitionSchema),
  allegations: z.array(allegationSchema),
  findings: z.array(findingSchema),
  actions: z.object({
    transitions: z.array(z.enum(INCIDENT_STATES)).describe('the states you may move the incident to now'),
    refused: z.array(z.object({ to: z.enum(INCIDENT_STATES), code: z.string(), message: z.string() })).describe('the other next states, and why not'),
    allege: z.boolean(), find: z.boolean(),
    concur: z.array(z.uuid()).describe('findings you may concur in'), respond: z.array(z.uuid()).describe('requests for information you may answer'),
  }),
})
