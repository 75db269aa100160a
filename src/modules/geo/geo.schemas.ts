// The geography's HTTP contract: layers, features (GeoJSON on the wire, EPSG:4326), buffers
// derived from a contact line, attribution of a point, circle, polygon or observer sector.
import { z } from 'zod'
import { instant, intervalCheck } from '../../lib/http.ts'
import { langTag, langText, optionalLangText } from '../../lib/i18n.ts'
import { VISIBILITIES } from '../../lib/visibility.ts'
import { COMPASS_POINTS } from './sector.ts'

export const LAYER_KINDS = ['admin', 'control', 'zone', 'access', 'site'] as const
export const ZONE_KINDS = ['ceasefire_area', 'contact_line', 'withdrawal_line', 'buffer', 'other'] as const
export const SITE_KINDS = ['hospital', 'clinic', 'school', 'water', 'power', 'un_premises', 'shelter', 'religious', 'market', 'other'] as const
export const ACCESS_STATUSES = ['besieged', 'hard_to_reach'] as const
export const CONFIDENCES = ['high', 'medium', 'low'] as const

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).rest(z.number())
const ring = z.array(position).min(4, 'a ring has at least 4 positions, the last equal to the first')
  .refine((r) => r[0]![0] === r[r.length - 1]![0] && r[0]![1] === r[r.length - 1]![1], { message: 'a ring must end where it starts', params: { code: 'ring_not_closed' } })
const line = z.array(position).min(2, 'a line has at least 2 positions')

/** A GeoJSON geometry (RFC 7946) in EPSG:4326; GeometryCollection is not taken. */
export const geometrySchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('Point'), coordinates: position }),
  z.strictObject({ type: z.literal('MultiPoint'), coordinates: z.array(position).min(1) }),
  z.strictObject({ type: z.literal('LineString'), coordinates: line }),
  z.strictObject({ type: z.literal('MultiLineString'), coordinates: z.array(line).min(1) }),
  z.strictObject({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) }),
  z.strictObject({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) }),
]).describe('GeoJSON geometry, longitude/latitude on WGS84 (EPSG:4326)')
export type GeometryInput = z.infer<typeof geometrySchema>

const disclosure = {
  visibility: z.enum(VISIBILITIES).default('parties'),
  restrictedTo: z.array(z.uuid()).max(100).optional(),
}

export const layerSlug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes, up to 63 long')

export const createLayerBody = z.strictObject({
  slug: layerSlug,
  kind: z.enum(LAYER_KINDS),
  title: langText,
  description: z.string().max(5000).default(''),
  agreement: z.string().min(1).max(100).optional().describe("the agreement a zone layer belongs to (id or slug)"),
  ...disclosure,
})

export const layerSchema = z.object({
  id: z.uuid(), slug: z.string(), kind: z.enum(LAYER_KINDS), title: z.record(z.string(), z.string()), description: z.string(),
  agreementId: z.uuid().nullable(), visibility: z.enum(VISIBILITIES), ownerPartyId: z.uuid(), features: z.number().int(),
  createdAt: z.iso.datetime(),
})

/** What a feature says beyond its geometry; which fields apply depends on the layer's kind. */
const featureFields = {
  geometry: geometrySchema,
  validFrom: instant.nullable().optional().describe('when the feature starts to hold (open when omitted)'),
  validTo: instant.nullable().optional().describe('when it stops holding, exclusive (open when omitted)'),
  name: optionalLangText.optional(),
  externalId: z.string().trim().min(1).max(200).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
  actorId: z.uuid().optional().describe('control: the actor holding or present in the area'),
  confidence: z.enum(CONFIDENCES).optional(),
  zoneKind: z.enum(ZONE_KINDS).optional(),
  accessStatus: z.enum(ACCESS_STATUSES).optional(),
  population: z.number().int().min(0).max(100_000_000).optional(),
  criteria: z.string().max(2000).optional(),
  siteKind: z.enum(SITE_KINDS).optional(),
  radiusM: z.number().min(0).max(100_000).optional().describe('site: the protection radius in metres'),
  source: z.string().trim().max(500).default(''),
  ...disclosure,
}

export const featureBody = z.strictObject(featureFields).superRefine(intervalCheck('validFrom', 'validTo'))
export type FeatureBody = z.output<typeof featureBody>

export const retractFeatureBody = z.strictObject({ reason: z.string().trim().min(1).max(1000) })

export const bufferBody = z.strictObject({
  distancesM: z.array(z.number().positive().max(1_000_000)).min(1).max(10)
    .describe('each distance in metres becomes one buffer feature around the line (e.g. Minsk II: 25000, 35000, 70000 each side)'),
  source: z.string().trim().max(500).default(''),
  ...disclosure,
})

export const featureQuery = z.strictObject({
  at: instant.optional().describe('only features valid at this instant'),
  bbox: z.string().regex(/^-?[\d.]+,-?[\d.]+,-?[\d.]+,-?[\d.]+$/, 'minLon,minLat,maxLon,maxLat').optional(),
  claimant: z.string().min(1).max(100).optional().describe('only the claims of this party (id or slug)'),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  cursor: z.string().max(200).optional(),
})

export const featureProperties = z.object({
  id: z.uuid(), layer: z.string(), kind: z.enum(LAYER_KINDS), externalId: z.string().nullable(), name: z.record(z.string(), z.string()),
  properties: z.record(z.string(), z.unknown()), validFrom: z.iso.datetime().nullable(), validTo: z.iso.datetime().nullable(),
  claimantPartyId: z.uuid(), actorId: z.uuid().nullable(), confidence: z.enum(CONFIDENCES).nullable(),
  zoneKind: z.string().nullable(), bufferM: z.number().nullable(), accessStatus: z.string().nullable(), population: z.number().nullable(),
  criteria: z.string().nullable(), siteKind: z.string().nullable(), radiusM: z.number().nullable(), source: z.string(),
  visibility: z.enum(VISIBILITIES), replaces: z.uuid().nullable(), retracted: z.object({ reason: z.string(), at: z.iso.datetime() }).nullable(),
  createdAt: z.iso.datetime(),
})
export const featureSchema = z.object({ type: z.literal('Feature'), id: z.uuid(), geometry: z.unknown(), properties: featureProperties })
export const featureCollection = z.object({
  type: z.literal('FeatureCollection'), features: z.array(featureSchema), nextCursor: z.string().nullable(),
})

const lonLat = {
  lon: z.coerce.number().min(-180).max(180),
  lat: z.coerce.number().min(-90).max(90),
}

export const attributeQuery = z.strictObject({
  ...lonLat,
  at: instant.optional().describe('the instant (default: now)'),
  radius: z.coerce.number().min(0).max(100_000).optional().describe('uncertainty radius in metres: the point becomes a circle'),
  within: z.coerce.number().min(0).max(100_000).default(5000).describe('report protected sites within this many metres'),
  lang: langTag.optional(),
})

export const attributeBody = z.strictObject({
  geometry: geometrySchema.optional().describe('a point, line or polygon to attribute'),
  sector: z.strictObject({
    ...{ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) },
    bearing: z.union([z.number().min(0).max(360), z.enum(COMPASS_POINTS)]).describe('degrees from true north, or a compass point such as NNW'),
    spread: z.number().positive().max(180).optional().describe('half the angular width in degrees (a compass point: 11.25)'),
    minDistanceM: z.number().min(0).max(1_000_000),
    maxDistanceM: z.number().positive().max(1_000_000),
  }).optional().describe('an observer position, bearing and distance range'),
  radius: z.number().min(0).max(100_000).optional(),
  at: instant.optional(),
  within: z.number().min(0).max(100_000).default(5000),
}).refine((b) => (b.geometry === undefined) !== (b.sector === undefined), { message: 'give exactly one of geometry and sector', path: ['geometry'] })

const hit = z.object({
  featureId: z.uuid(), layer: z.string(), name: z.record(z.string(), z.string()), externalId: z.string().nullable(),
  claimantPartyId: z.uuid(), validFrom: z.iso.datetime().nullable(), validTo: z.iso.datetime().nullable(),
  share: z.number().nullable().describe('for a circle, polygon or sector: the share of its area inside this feature (0–1)'),
})
export const attributionSchema = z.object({
  at: z.iso.datetime(),
  geometry: z.unknown().describe('what was attributed: the point, circle, polygon or sector (GeoJSON)'),
  admin: z.array(hit),
  nearestAdmin: z.array(hit.extend({ distanceM: z.number() })).describe('when no admin unit contains a point: the nearest unit of each admin layer, with the distance'),
  control: z.array(hit.extend({ actorId: z.uuid().nullable(), confidence: z.enum(CONFIDENCES).nullable() })),
  zones: z.array(hit.extend({ zoneKind: z.string().nullable(), bufferM: z.number().nullable(), agreementId: z.uuid().nullable() })),
  access: z.array(hit.extend({ accessStatus: z.string().nullable(), population: z.number().nullable() })),
  sites: z.array(hit.extend({ siteKind: z.string().nullable(), radiusM: z.number().nullable(), distanceM: z.number(), insideRadius: z.boolean() })),
})
export type Attribution = z.infer<typeof attributionSchema>
