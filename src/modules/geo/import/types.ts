// What the map-layer importers (GeoJSON, TopoJSON, zipped shapefiles) hand to the service: features
// one at a time with their 0-based position in the file, the CRS the file declares as an EPSG code,
// and one error type whose stable `code` and `where` let the API answer 400 naming the place.
// The importers never touch the database: reprojection and ST_MakeValid repair happen in PostGIS,
// and the caller inserts the features in one transaction that it commits only after the last one
// was read without error, so no failure leaves a half-imported layer.
import type { LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon } from 'geojson'
import { AppError, type ErrorDetail } from '../../../lib/errors.ts'

/** The geometries a layer can hold; a GeometryCollection is refused. */
export type ImportGeometry = Point | MultiPoint | LineString | MultiLineString | Polygon | MultiPolygon

export type ParsedFeature = {
  /** 0-based position in the file (in the TopoJSON object's geometries, in the shapefile's records). */
  index: number
  id?: string | number
  /** Positions are 2D: a third (Z) or fourth (M) ordinate is dropped. */
  geometry: ImportGeometry
  properties: Record<string, unknown>
  /** What the reader changed on the way, for the import report (e.g. a shapefile hole outside every ring). */
  notes?: string[]
}

/** The CRS of a file: `declared` is false when the file said nothing and EPSG:4326 is the default. */
export type Crs = { epsg: number; declared: boolean }

export type ImportedLayer = {
  crs: Crs
  /** The object (TopoJSON) or .shp (zip) the features come from, when the file held several. */
  name?: string
  features: AsyncIterable<ParsedFeature> | Iterable<ParsedFeature>
}

export type GeoImportErrorCode =
  // the file as a whole
  | 'format_unknown' | 'format_unsupported' | 'file_too_large' | 'malformed_json'
  | 'not_feature_collection' | 'feature_invalid'
  // CRS
  | 'crs_missing' | 'crs_unsupported' | 'crs_after_features' | 'crs_mismatch'
  // geometry
  | 'unsupported_geometry_type' | 'geometry_invalid' | 'empty_geometry' | 'position_invalid'
  | 'coordinate_not_finite' | 'coordinate_out_of_range' | 'line_too_short' | 'ring_too_short'
  | 'ring_not_closed' | 'geometry_type_not_allowed'
  // TopoJSON
  | 'topology_invalid' | 'topology_object_unknown' | 'topology_object_required'
  // ZIP
  | 'zip_corrupt' | 'zip_bomb' | 'zip_encrypted' | 'zip_unsupported' | 'zip_entry_name_unsafe'
  // shapefile
  | 'shapefile_incomplete' | 'shapefile_corrupt' | 'shapefile_layer_unknown' | 'shapefile_layer_required'
  | 'dbf_field_unsupported' | 'encoding_unsupported'

/** Where in the file an error is; every member is optional and 0-based except `line`. */
export type GeoImportWhere = {
  /** The feature's position in the file (ParsedFeature.index). */
  feature?: number
  /** The polygon of a MultiPolygon, the line of a MultiLineString, the point of a MultiPoint. */
  part?: number
  /** The ring of a polygon (0 is the exterior; for a shapefile, the part of the record). */
  ring?: number
  /** The position within a ring or line. */
  position?: number
  /** The 1-based line of the text file. */
  line?: number
  /** A member or element of the document, e.g. `objects.regions` or `arcs[12]` or a .dbf field. */
  element?: string
  /** The ZIP entry, e.g. `layers/regions.dbf`. */
  entry?: string
}

const PLACE_ORDER = ['entry', 'line', 'element', 'feature', 'part', 'ring', 'position'] as const

/** "feature 3, ring 1" — the place as people read it. */
export function describePlace(where: GeoImportWhere): string {
  return PLACE_ORDER.filter((k) => where[k] !== undefined).map((k) => `${k} ${where[k]}`).join(', ')
}

export class GeoImportError extends Error {
  override name = 'GeoImportError'
  readonly code: GeoImportErrorCode
  readonly where: GeoImportWhere
  /** The message without the place prefix. */
  readonly reason: string
  constructor(code: GeoImportErrorCode, reason: string, where: GeoImportWhere = {}) {
    const place = describePlace(where)
    super(place ? `${place}: ${reason}` : reason)
    this.code = code
    this.where = where
    this.reason = reason
  }

  /** The same error with more of the place filled in (e.g. the feature index a geometry check did not know). */
  at(where: GeoImportWhere): GeoImportError {
    return new GeoImportError(this.code, this.reason, { ...where, ...this.where })
  }
}

/**
 * The API's answer to an import error: 413 for a file over the limit, 400 for the rest, with the
 * place as the detail so a client can point at the feature.
 *
 * @example
 * toAppError(new GeoImportError('ring_not_closed', 'the ring does not end where it starts', { feature: 3, ring: 1 }))
 * // AppError 400 ring_not_closed "feature 3, ring 1: …", details [{ path: 'features[3]', feature: 3, ring: 1, message }]
 */
export function toAppError(e: GeoImportError): AppError {
  const detail: ErrorDetail = { message: e.reason, ...e.where }
  if (e.where.feature !== undefined) detail.path = `features[${e.where.feature}]`
  return new AppError(e.code === 'file_too_large' || e.code === 'zip_bomb' ? 413 : 400, e.code, e.message, [detail])
}
