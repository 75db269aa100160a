// The incidents pages' client: incidents, their verification and compliance, and the statistics.
// The shapes are the server's own (z.output of its schemas), so a change there fails typecheck here.
import type { z } from 'zod'
import type { complianceSchema, statsSchema, STATS_GROUPS } from '../../../../src/modules/incidents/compliance.schemas.ts'
import type { incidentSchema, incidentSummarySchema } from '../../../../src/modules/incidents/incidents.schemas.ts'
import type { CATEGORIES } from '../../../../src/modules/incidents/incidents.types.ts'
import type {
  allegationSchema, CONCLUSIONS as ServerConclusions, CONFIDENCES as ServerConfidences, findingSchema, requestSchema, responseSchema, transitionSchema, verificationSchema,
} from '../../../../src/modules/incidents/verification.schemas.ts'
import { request, type Page, type Visibility } from '../../api.ts'
import { dateOfDay, dayNumber, instantOf, isIsoDate } from '../../map/dates.ts'

export type IncidentSummary = z.output<typeof incidentSummarySchema>
export type Incident = z.output<typeof incidentSchema>
export type IncidentReport = Incident['reports'][number]
export type Verification = z.output<typeof verificationSchema>
export type Transition = z.output<typeof transitionSchema>
export type Allegation = z.output<typeof allegationSchema>
export type Finding = z.output<typeof findingSchema>
export type InformationRequest = z.output<typeof requestSchema>
export type InformationResponse = z.output<typeof responseSchema>
export type Compliance = z.output<typeof complianceSchema>
export type Stats = z.output<typeof statsSchema>
export type StatsGroup = (typeof STATS_GROUPS)[number]
export type Category = (typeof CATEGORIES)[number]
export type Conclusion = (typeof ServerConclusions)[number]
export type Confidence = (typeof ServerConfidences)[number]

// Values repeated here because the server's modules are only imported for their types (the web
// bundle must not pull in zod schemas and the database vocabulary); typecheck ties them together.
export const INCIDENT_CATEGORIES = [
  'shelling', 'airstrike', 'drone_strike', 'ground_attack', 'small_arms', 'explosion',
  'heavy_weapons_in_zone', 'monitor_restriction', 'attack_on_protected_site', 'attack_on_humanitarian', 'aid_obstruction',
  'civilian_harm',
] as const satisfies readonly Category[]
export const INCIDENT_STATES = ['reported', 'under_review', 'corroborated', 'unverifiable', 'verified', 'disputed', 'rejected'] as const satisfies readonly IncidentState[]
export type IncidentState = Incident['state']
export const CONCLUSIONS = ['violation', 'no_violation', 'inconclusive'] as const satisfies readonly Conclusion[]
export const CONFIDENCES = ['highly_probable', 'probable', 'plausible'] as const satisfies readonly Confidence[]
export const GROUPINGS = ['category', 'zone', 'party', 'state'] as const satisfies readonly StatsGroup[]

/** `true` only when `Listed` names every member of `All`: a value the server adds fails typecheck here. */
type Exhaustive<Listed, All> = [Exclude<All, Listed>] extends [never] ? true : never
export const LISTS_COMPLETE: readonly true[] = [
  true satisfies Exhaustive<(typeof INCIDENT_CATEGORIES)[number], Category>,
  true satisfies Exhaustive<(typeof INCIDENT_STATES)[number], IncidentState>,
  true satisfies Exhaustive<(typeof CONCLUSIONS)[number], Conclusion>,
  true satisfies Exhaustive<(typeof CONFIDENCES)[number], Confidence>,
  true satisfies Exhaustive<(typeof GROUPINGS)[number], StatsGroup>,
]

export type IncidentFilter = {
  from?: string | undefined
  to?: string | undefined
  category?: string | undefined
  state?: string | undefined
  q?: string | undefined
  reportSeq?: number | undefined
  limit?: number | undefined
  cursor?: string | undefined
}

export type StatsFilter = {
  from?: string | undefined
  to?: string | undefined
  interval: 'day' | 'week'
  by: StatsGroup
  agreement?: string | undefined
}

const query = (params: Record<string, string | number | undefined | null>): string => {
  const s = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v))
  const out = s.toString()
  return out === '' ? '' : `?${out}`
}
const seg = encodeURIComponent

export const incidentsApi = {
  list: (filter: IncidentFilter) => request<Page<IncidentSummary>>('GET', `/api/incidents${query({ ...filter, limit: filter.limit ?? 50 })}`),
  get: (id: string) => request<Incident>('GET', `/api/incidents/${seg(id)}`),
  merge: (id: string, body: { incidentId: string; note: string }) => request<Incident>('POST', `/api/incidents/${seg(id)}/merge`, body),
  split: (id: string, body: { reportIds: string[]; note: string }) => request<Incident>('POST', `/api/incidents/${seg(id)}/split`, body),

  verification: (id: string) => request<Verification>('GET', `/api/incidents/${seg(id)}/verification`),
  transition: (id: string, body: { to: IncidentState; reason: string }) => request<Transition>('POST', `/api/incidents/${seg(id)}/transitions`, body),
  allege: (id: string, body: { accusedPartyId: string; text: string; visibility: Visibility; deadline?: string | undefined }) =>
    request<Allegation>('POST', `/api/incidents/${seg(id)}/allegations`, body),
  respond: (requestId: string, body: { text: string }) => request<InformationResponse>('POST', `/api/information-requests/${seg(requestId)}/responses`, body),
  find: (id: string, body: { conclusion: Conclusion; confidence: Confidence; text: string; visibility: Visibility }) =>
    request<Finding>('POST', `/api/incidents/${seg(id)}/findings`, body),
  concur: (findingId: string) => request<unknown>('POST', `/api/findings/${seg(findingId)}/concurrences`),

  compliance: (id: string) => request<Compliance>('GET', `/api/incidents/${seg(id)}/compliance`),
  stats: (filter: StatsFilter) => request<Stats>('GET', `/api/incidents/stats${query(filter)}`),
  /** Where the statistics are served as a file, for a download link. */
  statsExportUrl: (filter: StatsFilter, format: 'csv' | 'hxl') => `/api/incidents/stats/export${query({ ...filter, format })}`,
  /** The report tiles, as MapLibre asks for them (absolute: its worker has no page to resolve against). */
  tilesUrl: (range: { from?: string | undefined; to?: string | undefined }) =>
    `${window.location.origin}/tiles/reports/{z}/{x}/{y}.mvt${query(range)}`,
}

/**
 * A range of whole days (YYYY-MM-DD, UTC, both inclusive; either may be empty) as the half-open
 * interval of instants the API filters by: from the first moment of `from` to the first moment
 * of the day after `to`.
 * @example dayRange('2016-06-18', '2016-06-18') → { from: '2016-06-18T00:00:00Z', to: '2016-06-19T00:00:00Z' }
 */
export function dayRange(from: string, to: string): { from: string | undefined; to: string | undefined } {
  return {
    from: isIsoDate(from) ? instantOf(from) : undefined,
    to: isIsoDate(to) ? instantOf(dateOfDay(dayNumber(to) + 1)) : undefined,
  }
}

export const isDay = (v: string | null): v is string => v !== null && isIsoDate(v)
