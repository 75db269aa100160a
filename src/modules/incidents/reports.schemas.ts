// The contract of reports: when (with a UCDP date precision), where (a point, an area, or a sector
// seen from an observer, with a where precision), what (a category, counts, casualties), who
// (alleged perpetrator and target, as written), and the sources, each with a reliability grade.
import { z } from 'zod'
import { langTag } from '../../lib/i18n.ts'
import { VISIBILITIES } from '../../lib/visibility.ts'
import { geometrySchema } from '../geo/geo.schemas.ts'
import { COMPASS_POINTS } from '../geo/sector.ts'
import { CATEGORIES, COUNT_UNITS, RELIABILITY, SOURCE_KINDS } from './incidents.types.ts'

const lon = z.number().min(-180).max(180)
const lat = z.number().min(-90).max(90)
const datePrecision = z.number().int().min(1).max(5).describe('UCDP date precision: 1 the day, 2 within 2–6 days, 3 the week, 4 the month, 5 the year')
const wherePrecision = z.number().int().min(1).max(7).describe('UCDP where precision: 1 exact, 2 within 25 km, 3 district, 4 province, 5 region, 6 country, 7 waters/airspace')

export const whereSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('point'), lon, lat, precision: wherePrecision.default(1), placeName: z.string().trim().min(1).max(200).optional() }),
  z.strictObject({
    kind: z.literal('area'), geometry: geometrySchema.refine((g) => g.type === 'Polygon' || g.type === 'MultiPolygon', { message: 'an area is a Polygon or MultiPolygon' }),
    precision: wherePrecision.default(3), placeName: z.string().trim().min(1).max(200).optional(),
  }),
  z.strictObject({
    kind: z.literal('sector'), lon, lat,
    bearing: z.union([z.number().min(0).max(360), z.enum(COMPASS_POINTS)]).describe('degrees from true north or a compass point (NNW)'),
    spread: z.number().positive().max(180).optional(), minDistanceM: z.number().min(0).max(1_000_000), maxDistanceM: z.number().positive().max(1_000_000),
    precision: wherePrecision.default(2),
  }),
])

const casualty = z.strictObject({ low: z.number().int().min(0).max(1_000_000), best: z.number().int().min(0).max(1_000_000), high: z.number().int().min(0).max(1_000_000) })
  .refine((c) => c.low <= c.best && c.best <= c.high, { message: 'low ≤ best ≤ high', params: { code: 'inverted_range' } })

export const sourceSchema = z.strictObject({
  kind: z.enum(SOURCE_KINDS), reliability: z.enum(RELIABILITY).default('F').describe('A completely reliable … E unreliable, F cannot be judged'),
  name: z.string().trim().min(1).max(300).optional(), url: z.url().max(2000).optional(),
})

export const reportBody = z.strictObject({
  occurredAt: z.iso.datetime({ offset: true }).describe('when it happened (not in the future)'),
  datePrecision: datePrecision.default(1),
  where: whereSchema,
  category: z.enum(CATEGORIES),
  counts: z.partialRecord(z.enum(COUNT_UNITS), z.number().int().min(0).max(1_000_000)).optional(),
  casualties: z.strictObject({ civiliansKilled: casualty, civiliansInjured: casualty, combatantsKilled: casualty, combatantsInjured: casualty }).partial().optional(),
  perpetrator: z.string().trim().min(1).max(300).optional().describe('the alleged perpetrator as the source names it; resolved against the registry when the match is automatic'),
  target: z.string().trim().min(1).max(300).optional(),
  description: z.string().trim().max(20_000).default(''),
  language: langTag.optional(),
  sources: z.array(sourceSchema).min(1).max(50),
  externalId: z.string().trim().min(1).max(200).optional(),
  anonymous: z.boolean().default(false).describe('do not record who in your party sent it'),
  visibility: z.enum(VISIBILITIES).default('parties'),
  restrictedTo: z.array(z.uuid()).max(100).optional(),
})
export type ReportBody = z.output<typeof reportBody>

const resolved = z.object({ name: z.string(), actorId: z.uuid().nullable(), score: z.number().nullable() }).nullable()

export const reportSchema = z.object({
  id: z.uuid(), seq: z.number().int().describe('the report\'s number: its feature id in /tiles/reports'), partyId: z.uuid(), channel: z.string(), externalId: z.string().nullable(),
  occurredAt: z.iso.datetime(), datePrecision: z.number().int(), where: z.unknown(), wherePrecision: z.number().int(), geometry: z.unknown(),
  category: z.enum(CATEGORIES), counts: z.record(z.string(), z.number()), casualties: z.record(z.string(), z.unknown()),
  perpetrator: resolved, target: resolved, description: z.string(), language: z.string().nullable(), anonymous: z.boolean(),
  sources: z.array(z.object({ kind: z.string(), reliability: z.string(), name: z.string().nullable(), url: z.string().nullable() })),
  attribution: z.object({ features: z.array(z.uuid()), sites: z.array(z.uuid()), nearestAdmin: z.object({ featureId: z.uuid(), distanceM: z.number() }).nullable() }).nullable()
    .describe('the map features containing the place (ids; GET /api/geo/features/:id for those you may see)'),
  coarsened: z.boolean().describe('the location was coarsened to about 1 km because a member of the public reported it'),
  visibility: z.enum(VISIBILITIES), submissionId: z.uuid(), createdAt: z.iso.datetime(),
  incidentId: z.uuid().nullable().describe('the incident the report is in now (GET /api/incidents/:id)'),
})

export const reportQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional(),
  category: z.enum(CATEGORIES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
})

/** What a member of the public sends: no sources to grade (they are the source), no disclosure to choose. */
export const publicReportBody = z.strictObject({
  occurredAt: reportBody.shape.occurredAt, datePrecision: reportBody.shape.datePrecision, where: whereSchema, category: z.enum(CATEGORIES),
  counts: reportBody.shape.counts, casualties: reportBody.shape.casualties, perpetrator: reportBody.shape.perpetrator, target: reportBody.shape.target,
  description: z.string().trim().min(1).max(5000), language: langTag.optional(),
})
