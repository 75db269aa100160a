// A report as an intake channel hands it over (ReportInput), as the clusterer sees it: the time
// window's centre in epoch ms, a representative point and radius for any place, the names as
// written with the actors the resolver found, and the first source as the one who reported it.
import type { ReportInput } from '../incidents.types.ts'
import type { ClusterReport, LinkConstraint } from './clustering.types.ts'
import { placeOfWhere } from './place.ts'

/** What the pipeline knows about a report beyond its input: its id, the actors resolved, an analyst's constraint. */
export type ClusterContext = {
  id: string
  perpetratorIds?: readonly string[] | undefined
  targetIds?: readonly string[] | undefined
  constraint?: LinkConstraint | undefined
}

/**
 * A ClusterReport from a ReportInput. The source key is the first source's kind with its name
 * (or its address, or nothing more when it is anonymous, e.g. a member of the public).
 *
 * @example
 * clusterReportOf(input, { id: 'report-17', perpetratorIds: ['actor-3'] })
 * // { id: 'report-17', occurredAt: 1463054400000, lon: 37.05, lat: 36.27, radiusM: 0, sourceKey: 'media:Enab Baladi', … }
 */
export function clusterReportOf(input: ReportInput, context: ClusterContext): ClusterReport {
  const occurredAt = Date.parse(input.occurredAt)
  if (!Number.isFinite(occurredAt)) throw new RangeError(`occurredAt is not an instant: ${input.occurredAt}`)
  const place = placeOfWhere(input.where)
  const source = input.sources[0]
  const who = source?.name ?? source?.url
  return {
    id: context.id,
    occurredAt,
    datePrecision: input.datePrecision,
    lon: place.lon,
    lat: place.lat,
    wherePrecision: input.where.precision,
    radiusM: place.radiusM,
    category: input.category,
    perpetrator: input.perpetrator || context.perpetratorIds?.length ? { name: input.perpetrator, actorIds: context.perpetratorIds } : undefined,
    target: input.target || context.targetIds?.length ? { name: input.target, actorIds: context.targetIds } : undefined,
    description: input.description,
    sourceKind: source?.kind ?? 'public',
    sourceKey: `${source?.kind ?? 'public'}:${who ?? `anonymous-${context.id}`}`,
    constraint: context.constraint,
  }
}
