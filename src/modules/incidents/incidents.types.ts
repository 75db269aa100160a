// The vocabulary of reports and incidents, shared by the intake channels (API, public form, bulk
// import, SMS), the clustering and the verification workflow. Pure: no database.

/** What happened: the categories monitors and guarantors report (the taxonomy). */
export const CATEGORIES = [
  'shelling', 'airstrike', 'drone_strike', 'ground_attack', 'small_arms', 'explosion',
  'heavy_weapons_in_zone', 'monitor_restriction', 'attack_on_protected_site', 'attack_on_humanitarian', 'aid_obstruction',
  'civilian_harm',
] as const
export type Category = (typeof CATEGORIES)[number]

/** The units monitors count in. */
export const COUNT_UNITS = ['explosions', 'projectiles', 'bursts', 'shots'] as const
export type CountUnit = (typeof COUNT_UNITS)[number]

export const SOURCE_KINDS = ['monitor_observation', 'party_allegation', 'media', 'public', 'sensor'] as const
export type SourceKind = (typeof SOURCE_KINDS)[number]

/** Source reliability, A (completely reliable) to F (cannot be judged), as in the Admiralty scale. */
export const RELIABILITY = ['A', 'B', 'C', 'D', 'E', 'F'] as const
export type Reliability = (typeof RELIABILITY)[number]

/**
 * UCDP GED precision scales. Date: 1 exact day, 2 2–6 days, 3 week, 4 month, 5 year or more.
 * Where: 1 exact location, 2 within 25 km, 3 second-order admin unit, 4 first-order admin unit,
 * 5 linear feature or region, 6 country, 7 international waters or airspace.
 */
export type DatePrecision = 1 | 2 | 3 | 4 | 5
export type WherePrecision = 1 | 2 | 3 | 4 | 5 | 6 | 7

/** Half-width of the window a date precision allows, in days (the clustering scales by it). */
export const DATE_PRECISION_DAYS: Record<DatePrecision, number> = { 1: 0.5, 2: 3, 3: 7, 4: 31, 5: 366 }
/** Radius a where precision allows, in metres. */
export const WHERE_PRECISION_M: Record<WherePrecision, number> = { 1: 1_000, 2: 25_000, 3: 50_000, 4: 150_000, 5: 200_000, 6: 500_000, 7: 500_000 }

export type Casualties = { low: number; best: number; high: number }

export type ReportWhere =
  | { kind: 'point'; lon: number; lat: number; precision: WherePrecision; placeName?: string | undefined }
  | { kind: 'area'; geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] }; precision: WherePrecision; placeName?: string | undefined }
  | { kind: 'sector'; lon: number; lat: number; bearing: number | string; spread?: number | undefined; minDistanceM: number; maxDistanceM: number; precision: WherePrecision }

/** One report as an intake channel hands it over, before actors are resolved and places attributed. */
export type ReportInput = {
  /** The channel's own id for it (a UCDP event id, an SMS message id), kept for re-imports. */
  externalId?: string | undefined
  occurredAt: string // ISO 8601 instant
  datePrecision: DatePrecision
  where: ReportWhere
  category: Category
  counts?: Partial<Record<CountUnit, number>> | undefined
  casualties?: {
    civiliansKilled?: Casualties; civiliansInjured?: Casualties; combatantsKilled?: Casualties; combatantsInjured?: Casualties
  } | undefined
  /** Names as the source wrote them; resolved against the registry later, kept verbatim when unresolved. */
  perpetrator?: string | undefined
  target?: string | undefined
  description: string
  language?: string | undefined
  sources: { kind: SourceKind; reliability: Reliability; name?: string | undefined; url?: string | undefined }[]
}

/** A row an importer could not read: its line in the file and why. */
export type RowError = { line: number; field?: string | undefined; message: string }
