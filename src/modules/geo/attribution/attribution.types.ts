// The attribution engine's contract: which areas of control cover a point at an instant. Shared by
// the engine (area-index.ts) and the service that loads areas from the database and calls it.
import type { MultiPolygon, Polygon } from 'geojson'

/**
 * An area to attribute to: GeoJSON in EPSG:4326 (longitude, latitude), valid over the half-open
 * interval [validFrom, validTo) in epoch milliseconds; null is unbounded on that side.
 */
export type AreaInput = {
  id: string
  geometry: Polygon | MultiPolygon
  validFrom: number | null
  validTo: number | null
}

/**
 * How the engine decides which side of an edge a point is on.
 * - `postgis` (default): the same double-precision expression PostGIS evaluates, so that results
 *   equal `ST_Covers(area, point)` on every point, however close to an edge.
 * - `exact`: the exact sign for the doubles' exact values. It differs from PostGIS only for points
 *   within rounding distance (~1e-15°) of an edge or its extension.
 */
export type Predicate = 'postgis' | 'exact'

export type BuildOptions = {
  predicate?: Predicate
  /** Cells of each polygon's classification grid per edge (default 8); more cells, fewer edge tests. */
  cellsPerEdge?: number
}

/**
 * Areas per point, compact: point i is covered by the areas `areaIndexes[offsets[i] .. offsets[i + 1])`,
 * in the order the areas were given to `AreaIndex.build` (indexes into `AreaIndex.ids`).
 */
export type Attribution = {
  readonly offsets: Uint32Array
  readonly areaIndexes: Uint32Array
}

/** The nearest area to a point, and how far its boundary is. */
export type NearestArea = {
  id: string
  /**
   * Metres on the WGS84 ellipsoid (Vincenty's inverse formula) from the point to `boundary`, 0 when
   * the point is covered.
   */
  metres: number
  /** The same distance on a sphere of the mean Earth radius (6,371,008.8 m). */
  sphericalMetres: number
  /** The nearest point of the area's boundary, edges taken as great-circle arcs (as PostGIS geography does). */
  boundary: { lon: number; lat: number }
}

export type IndexStats = {
  areas: number
  parts: number
  rings: number
  edges: number
  /** Edges as filed in their polygons' grid rows (an edge spanning rows is filed in each). */
  filedEdges: number
  cells: number
  boundaryCells: number
  insideCells: number
  globalCells: number
  globalEntries: number
  bytes: number
}

/** A geometry or interval the engine cannot index; `code` is a stable snake_case id. */
export class AreaInputError extends Error {
  override name = 'AreaInputError'
  readonly code: string
  readonly areaId: string
  constructor(code: string, areaId: string, message: string) {
    super(`area ${areaId}: ${message}`)
    this.code = code
    this.areaId = areaId
  }
}
