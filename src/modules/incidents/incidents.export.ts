// Incidents as files: CSV, HXL-tagged CSV, UCDP-GED-like CSV (one row per incident, the
// de-duplicated events) and GeoJSON. Each holds only what the reader's visible reports say.
import { csvDocument } from '../../lib/csv.ts'

export const INCIDENT_EXPORT_FORMATS = ['csv', 'geojson', 'hxl', 'ucdp'] as const
export type IncidentExportFormat = (typeof INCIDENT_EXPORT_FORMATS)[number]

type Range = { low: number; best: number; high: number }

export type IncidentExportRow = {
  id: string; seq: number; state: string; occurredAt: string; datePrecision: number; categories: string[]; reportCount: number
  lon: number | null; lat: number | null; wherePrecision: number; placeName: string | null
  perpetrators: { name: string; actorId: string | null }[]; targets: string[]; casualties: Record<string, Range>; sourceKinds: string[]
}

const best = (r: IncidentExportRow, k: string) => r.casualties[k]?.best ?? ''
const names = (r: IncidentExportRow) => r.perpetrators.map((p) => p.name).join('; ')

/**
 * @example exportIncidents(rows, 'hxl') // "id,seq,state,…\r\n#meta+id,#meta+seq,#status,…\r\n…"
 */
export function exportIncidents(rows: readonly IncidentExportRow[], format: IncidentExportFormat): string {
  if (format === 'geojson') {
    return JSON.stringify({
      type: 'FeatureCollection',
      features: rows.map(({ lon, lat, ...properties }) => ({ type: 'Feature', id: properties.id, geometry: lon === null || lat === null ? null : { type: 'Point', coordinates: [lon, lat] }, properties })),
    })
  }
  if (format === 'ucdp') {
    const header = ['id', 'date_start', 'date_prec', 'latitude', 'longitude', 'where_prec', 'where_coordinates', 'side_a', 'side_b', 'deaths_civilians', 'low', 'best', 'high', 'source_article', 'number_of_sources', 'verification_state']
    return csvDocument([header, ...rows.map((r) => {
      const killed = ['civiliansKilled', 'combatantsKilled'].map((k) => r.casualties[k])
      const sum = (f: keyof Range) => killed.reduce((n, c) => n + (c?.[f] ?? 0), 0)
      return [r.seq, r.occurredAt.slice(0, 10), r.datePrecision, r.lat, r.lon, r.wherePrecision, r.placeName, names(r), r.targets.join('; '),
        best(r, 'civiliansKilled'), sum('low'), sum('best'), sum('high'), r.sourceKinds.join('; '), r.reportCount, r.state]
    })])
  }
  const columns: [string, string, (r: IncidentExportRow) => string | number | null][] = [
    ['id', '#meta+id', (r) => r.id], ['seq', '#meta+seq', (r) => r.seq], ['state', '#status+verification', (r) => r.state],
    ['occurred_at', '#date+occurred', (r) => r.occurredAt], ['date_precision', '#date+precision', (r) => r.datePrecision],
    ['categories', '#event+type', (r) => r.categories.join('; ')],
    ['latitude', '#geo+lat', (r) => r.lat], ['longitude', '#geo+lon', (r) => r.lon], ['where_precision', '#geo+precision', (r) => r.wherePrecision],
    ['place', '#loc+name', (r) => r.placeName], ['perpetrators', '#actor+perpetrator', names],
    ['perpetrator_actor_ids', '#actor+perpetrator+code', (r) => r.perpetrators.flatMap((p) => (p.actorId ? [p.actorId] : [])).join('; ')],
    ['targets', '#actor+target', (r) => r.targets.join('; ')],
    ['civilians_killed', '#affected+killed', (r) => best(r, 'civiliansKilled')], ['civilians_injured', '#affected+injured', (r) => best(r, 'civiliansInjured')],
    ['combatants_killed', '#affected+killed+combatants', (r) => best(r, 'combatantsKilled')], ['combatants_injured', '#affected+injured+combatants', (r) => best(r, 'combatantsInjured')],
    ['reports', '#meta+count', (r) => r.reportCount], ['source_kinds', '#meta+source', (r) => r.sourceKinds.join('; ')],
  ]
  const head = [columns.map((c) => c[0]), ...(format === 'hxl' ? [columns.map((c) => c[1])] : [])]
  return csvDocument([...head, ...rows.map((r) => columns.map((c) => c[2](r)))])
}
