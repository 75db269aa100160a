// The contract of compliance: an agreement's rules (coverage, prohibitions, whom it binds), the
// step-by-step evaluation of an incident against the agreements in force, and statistics of
// incidents over time with their exports.
import { z } from 'zod'
import { CATEGORIES } from './incidents.types.ts'
import { CONCLUSIONS } from './compliance.ts'

const slugOrKind = z.string().trim().min(1).max(63)

export const coverageSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('everywhere'),
    bbox: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number().min(-180).max(180), z.number().min(-90).max(90)])
      .refine(([w, s, e, n]) => w < e && s < n, { message: 'west < east and south < north', params: { code: 'inverted_bbox' } })
      .optional().describe('the theatre as [west, south, east, north]; without it, every place'),
  }),
  z.strictObject({ kind: z.literal('layers'), layers: z.array(slugOrKind).min(1).max(50).describe('zone, admin or access layer slugs whose features at the incident\'s time must cover its place') }),
])

export const prohibitionSchema = z.strictObject({
  provision: z.string().trim().min(1).max(20).describe('the provision\'s number'),
  categories: z.array(z.enum(CATEGORIES)).min(1).max(CATEGORIES.length),
  within: z.array(slugOrKind).min(1).max(50).optional().describe('only within these zone layers (slugs) or zone kinds (withdrawal_line, buffer, ceasefire_area, contact_line, other)'),
})

export const complianceRulesBody = z.strictObject({
  coverage: coverageSchema,
  prohibitions: z.array(prohibitionSchema).max(200),
  bound: z.enum(['acceded', 'all']).default('acceded').describe('acceded: binds the actors that joined; all: every actor it does not exclude'),
  note: z.string().trim().max(2000).default(''),
})
export type ComplianceRulesBody = z.output<typeof complianceRulesBody>

export const complianceRulesSchema = z.object({
  agreementId: z.uuid(), version: z.number().int(), coverage: coverageSchema, prohibitions: z.array(prohibitionSchema), bound: z.enum(['acceded', 'all']),
  note: z.string(), partyId: z.uuid(), submissionId: z.uuid(), createdAt: z.string(),
})

const stepSchema = z.object({ step: z.enum(['in_force', 'covered', 'control', 'parties', 'prohibited']), outcome: z.string(), detail: z.string(), evidence: z.record(z.string(), z.unknown()) })
const conclusion = z.enum(CONCLUSIONS)

export const complianceSchema = z.object({
  incidentId: z.uuid(),
  at: z.string().describe('the incident\'s time: its earliest report you may see'),
  categories: z.array(z.enum(CATEGORIES)),
  reportIds: z.array(z.uuid()),
  evaluations: z.array(z.object({
    agreementId: z.uuid(), slug: z.string(), agreement: z.string(), rulesVersion: z.number().int(),
    steps: z.array(stepSchema),
    viewpoints: z.array(z.object({ viewpoint: z.string(), label: z.string(), conclusion, provision: z.string().nullable(), sentence: z.string(), opinion: z.boolean() })),
    overall: z.object({ conclusion, provision: z.string().nullable(), sentence: z.string() }),
  })),
})

export const complianceQuery = z.strictObject({ agreement: z.string().trim().min(1).max(80).optional().describe('one agreement (id or slug), evaluated even when it was not in force then') })

export const STATS_GROUPS = ['category', 'zone', 'party', 'state'] as const
export type StatsGroup = (typeof STATS_GROUPS)[number]

export const statsQuery = z.strictObject({
  from: z.iso.date().optional().describe('first day (UTC), inclusive; default: the first incident'),
  to: z.iso.date().optional().describe('last day (UTC), inclusive; default: the last incident'),
  interval: z.enum(['day', 'week']).default('week'),
  by: z.enum(STATS_GROUPS).default('category'),
  agreement: z.string().trim().min(1).max(80).optional().describe('compare before and after its effective date'),
}).refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { path: ['to'], message: 'to must not be before from', params: { code: 'inverted_interval' } })

export const statsExportQuery = z.strictObject({
  from: z.iso.date().optional(), to: z.iso.date().optional(), interval: z.enum(['day', 'week']).default('week'), by: z.enum(STATS_GROUPS).default('category'),
  agreement: z.string().trim().min(1).max(80).optional(),
  format: z.enum(['csv', 'hxl']),
}).refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { path: ['to'], message: 'to must not be before from', params: { code: 'inverted_interval' } })

const window = z.object({ from: z.string(), to: z.string(), days: z.number().int(), incidents: z.number().int(), meanPerDay: z.number().nullable() })

export const statsSchema = z.object({
  from: z.string().nullable(), to: z.string().nullable(), interval: z.enum(['day', 'week']), by: z.enum(STATS_GROUPS),
  total: z.number().int(),
  groups: z.array(z.object({ key: z.string(), label: z.string(), total: z.number().int() })),
  buckets: z.array(z.object({ start: z.string(), total: z.number().int(), counts: z.record(z.string(), z.number().int()) })),
  agreement: z.object({
    id: z.uuid(), slug: z.string(), effectiveFrom: z.string(),
    before: window.nullable(), after: window.nullable(),
    changePercent: z.number().nullable(),
    trend: z.object({ slopePerWeek: z.number(), direction: z.enum(['rising', 'falling', 'flat']), weeks: z.number().int() }).nullable(),
  }).nullable(),
})
