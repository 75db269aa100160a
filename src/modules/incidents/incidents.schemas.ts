// The incidents API contract: an incident is the reports of one event, as the viewer may see them,
// with where they came from (the clustering's reason and score) and what analysts did to it.
import { z } from 'zod'
import { INCIDENT_STATES } from '../../db/schema.ts'
import { CATEGORIES } from './incidents.types.ts'
import { reportSchema } from './reports.schemas.ts'

const casualty = z.object({ low: z.number(), best: z.number(), high: z.number() })
const named = z.object({ name: z.string(), actorId: z.uuid().nullable() })

export const incidentSummarySchema = z.object({
  id: z.uuid(), seq: z.number().int().describe('the incident\'s number, in the order incidents were made'),
  state: z.enum(INCIDENT_STATES), mergedInto: z.uuid().nullable().describe('set when an analyst merged this incident into another'),
  occurredAt: z.iso.datetime().describe('the earliest time its visible reports give'), datePrecision: z.number().int().describe('the sharpest date precision of its reports'),
  categories: z.array(z.enum(CATEGORIES)), reportCount: z.number().int(),
  lon: z.number().nullable(), lat: z.number().nullable(), wherePrecision: z.number().int().describe('the sharpest where precision of its reports'),
  placeName: z.string().nullable(), perpetrators: z.array(named), createdAt: z.iso.datetime(), updatedAt: z.iso.datetime(),
})

export const incidentSchema = incidentSummarySchema.extend({
  casualties: z.record(z.string(), casualty).describe('per kind, the widest range and the highest best estimate its reports give'),
  targets: z.array(named),
  sources: z.array(z.object({ kind: z.string(), reliability: z.string(), name: z.string().nullable(), reportId: z.uuid() })),
  reports: z.array(reportSchema.extend({ assignment: z.object({ reason: z.string(), score: z.number().nullable() }).nullable() })),
  evidence: z.array(z.object({ reportId: z.uuid(), sha256: z.string(), type: z.string(), mime: z.string(), size: z.number().int() })),
  history: z.array(z.object({
    seq: z.number().int(), kind: z.enum(['assigned', 'merged', 'split', 'linked']), at: z.iso.datetime(),
    incidentId: z.uuid(), otherIncidentId: z.uuid().nullable(), reportIds: z.array(z.uuid()), reason: z.string().nullable(), score: z.number().nullable(),
    partyId: z.uuid().nullable(), note: z.string().nullable(),
  })).describe('how its reports came together: each assignment by the clustering and each analyst merge and split'),
  actions: z.object({ merge: z.boolean(), split: z.boolean() }).describe('what the caller may do to it now'),
})

export const incidentQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional(),
  category: z.enum(CATEGORIES).optional(), state: z.enum(INCIDENT_STATES).optional(),
  bbox: z.string().regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'minLon,minLat,maxLon,maxLat').optional(),
  q: z.string().trim().min(1).max(200).optional().describe('words in a report\'s description, place or actor names'),
  reportSeq: z.coerce.number().int().min(1).optional().describe('the incident holding this report (its seq: the feature id in /tiles/reports)'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
})
export type IncidentQuery = z.output<typeof incidentQuery>

export const mergeBody = z.strictObject({
  incidentId: z.uuid().describe('the incident whose reports join this one (it is kept, pointing here)'),
  note: z.string().trim().min(1).max(2000),
})

export const splitBody = z.strictObject({
  reportIds: z.array(z.uuid()).min(1).max(500).describe('the reports that leave for a new incident'),
  note: z.string().trim().min(1).max(2000),
})
