// TopoJSON: a Topology whose objects are geometries made of shared arcs. Arcs are shared across the
// document, so it is read whole (up to maxBytes) and then one object is turned into features, one
// geometry at a time: arcs delta-decoded and dequantized (when the topology has a transform),
// negative indices read as reversed arcs, and each geometry validated like a GeoJSON one. TopoJSON
// has no CRS member; a `crs` written GeoJSON-style is honoured, otherwise it is EPSG:4326.
import type { Position } from 'geojson'
import { readLimited, type ReadLimits } from './bytes.ts'
import { crsFromMember, WGS84 } from './crs.ts'
import { parseJsonBytes } from './geojson.ts'
import { GeoImportError, type Crs, type GeoImportWhere, type ParsedFeature } from './types.ts'
import { validateGeometry } from './validate.ts'

export type TopoJsonOptions = ReadLimits & {
  /** The object to import; needed when the topology has several. */
  object?: string
}

export type TopoJsonLayer = {
  crs: Crs
  /** The object the features come from. */
  name: string
  /** The object's geometries in order (a single geometry object is one feature). */
  features: Generator<ParsedFeature, void, undefined>
}

type Transform = { scale: [number, number]; translate: [number, number] }
type TopoObject = { type?: unknown; arcs?: unknown; coordinates?: unknown; geometries?: unknown; properties?: unknown; id?: unknown }

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isPair = (v: unknown): v is [number, number] =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number' && Number.isFinite(v[0]) && Number.isFinite(v[1])

/**
 * Reads a TopoJSON file and opens one of its objects.
 *
 * @example
 * const layer = await openTopoJson(upload, { maxBytes: 100 * 2 ** 20, object: 'governorates' })
 * for (const feature of layer.features) … // feature.index is the position in objects.governorates.geometries
 */
export async function openTopoJson(input: Uint8Array | AsyncIterable<Uint8Array>, options: TopoJsonOptions): Promise<TopoJsonLayer> {
  const bytes = await readLimited(input, options)
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
  return openTopology(parseJsonBytes(hasBom ? bytes.subarray(3) : bytes, {}), options.object)
}

/** Opens one object of an already parsed Topology. */
export function openTopology(doc: unknown, objectName?: string): TopoJsonLayer {
  const invalid = (reason: string, where: GeoImportWhere = {}): never => { throw new GeoImportError('topology_invalid', reason, where) }
  if (!isObject(doc)) return invalid('the file is not a JSON object')
  if (doc.type !== 'Topology') invalid(`the file's type is ${JSON.stringify(doc.type ?? null)}, not "Topology"`, { element: 'type' })
  if (!isObject(doc.objects)) return invalid("the topology has no 'objects'", { element: 'objects' })
  const crs: Crs = doc.crs === undefined ? { epsg: WGS84, declared: false } : crsFromMember(doc.crs)

  let transform: Transform | undefined
  if (doc.transform !== undefined) {
    const t = doc.transform as { scale?: unknown; translate?: unknown }
    if (!isObject(t) || !isPair(t.scale) || !isPair(t.translate)) invalid("'transform' needs a scale and a translate of two numbers each", { element: 'transform' })
    transform = { scale: t.scale as [number, number], translate: t.translate as [number, number] }
  }
  const arcs = doc.arcs === undefined ? [] : doc.arcs
  if (!Array.isArray(arcs)) return invalid("'arcs' is not an array", { element: 'arcs' })

  const names = Object.keys(doc.objects)
  if (names.length === 0) invalid('the topology has no objects', { element: 'objects' })
  let name: string
  if (objectName !== undefined) {
    if (!Object.hasOwn(doc.objects, objectName)) {
      throw new GeoImportError('topology_object_unknown', `the topology has no object "${objectName}"; it has ${names.map((n) => `"${n}"`).join(', ')}`, { element: 'objects' })
    }
    name = objectName
  } else if (names.length > 1) {
    throw new GeoImportError('topology_object_required', `the topology has ${names.length} objects; say which to import: ${names.map((n) => `"${n}"`).join(', ')}`, { element: 'objects' })
  } else {
    name = names[0]!
  }
  const object = doc.objects[name]
  if (!isObject(object)) return invalid(`objects.${name} is not an object`, { element: `objects.${name}` })
  const geometries: unknown[] = object.type === 'GeometryCollection'
    ? (Array.isArray(object.geometries) ? object.geometries : invalid(`objects.${name} has no 'geometries' array`, { element: `objects.${name}` }))
    : [object]

  // Arcs decoded once each, when a geometry first uses them.
  const decoded = new Map<number, Position[]>()
  const arc = (i: number, feature: number): Position[] => {
    const done = decoded.get(i)
    if (done) return done
    const raw = arcs[i]
    const where = { feature, element: `arcs[${i}]` }
    if (!Array.isArray(raw) || raw.length < 2) return invalid('an arc is an array of at least 2 positions', where)
    let x = 0
    let y = 0
    const out = raw.map((p, k): Position => {
      if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number') {
        return invalid(`position ${k} of the arc is not [x, y]`, where)
      }
      if (!transform) return [p[0], p[1]]
      x += p[0]
      y += p[1]
      return [x * transform.scale[0] + transform.translate[0], y * transform.scale[1] + transform.translate[1]]
    })
    decoded.set(i, out)
    return out
  }
  // A line or ring: its arcs end to end, each after the first without its first position (it is
  // the previous arc's last); ~i (a negative index) is arc i reversed.
  const line = (indices: unknown, feature: number): Position[] => {
    if (!Array.isArray(indices)) return invalid("'arcs' of a line or ring is an array of arc indices", { feature })
    const out: Position[] = []
    for (const i of indices) {
      if (!Number.isInteger(i)) invalid(`${JSON.stringify(i)} is not an arc index`, { feature })
      const index = (i as number) < 0 ? ~(i as number) : (i as number)
      if (index >= arcs.length) invalid(`arc ${index} does not exist (the topology has ${arcs.length})`, { feature, element: `arcs[${index}]` })
      const a = arc(index, feature)
      const ordered = (i as number) < 0 ? [...a].reverse() : a
      out.push(...(out.length === 0 ? ordered : ordered.slice(1)))
    }
    return out
  }
  const point = (p: unknown): unknown =>
    transform && Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number'
      ? [p[0] * transform.scale[0] + transform.translate[0], p[1] * transform.scale[1] + transform.translate[1]]
      : p
  const nested = (v: unknown, feature: number): unknown[] => (Array.isArray(v) ? v : invalid("'arcs' is not an array", { feature }))

  const geometryOf = (g: TopoObject, feature: number): unknown => {
    switch (g.type) {
      case null:
      case undefined:
        throw new GeoImportError('empty_geometry', 'the geometry has no type (a null geometry)', { feature })
      case 'Point': return { type: 'Point', coordinates: point(g.coordinates) }
      case 'MultiPoint': return { type: 'MultiPoint', coordinates: Array.isArray(g.coordinates) ? g.coordinates.map(point) : g.coordinates }
      case 'LineString': return { type: 'LineString', coordinates: line(g.arcs, feature) }
      case 'MultiLineString': return { type: 'MultiLineString', coordinates: nested(g.arcs, feature).map((l) => line(l, feature)) }
      case 'Polygon': return { type: 'Polygon', coordinates: nested(g.arcs, feature).map((r) => line(r, feature)) }
      case 'MultiPolygon': return { type: 'MultiPolygon', coordinates: nested(g.arcs, feature).map((p) => nested(p, feature).map((r) => line(r, feature))) }
      default: return { type: g.type } // validateGeometry names what is wrong with it
    }
  }

  function* features(): Generator<ParsedFeature, void, undefined> {
    for (let index = 0; index < geometries.length; index++) {
      const g = geometries[index]
      if (!isObject(g)) invalid('a geometry object is a JSON object', { feature: index })
      const o = g as TopoObject
      if (o.properties !== undefined && o.properties !== null && !isObject(o.properties)) {
        throw new GeoImportError('feature_invalid', "a geometry's 'properties' is an object", { feature: index })
      }
      const geometry = validateGeometry(geometryOf(o, index), { epsg: crs.epsg, feature: index })
      const feature: ParsedFeature = { index, geometry, properties: (o.properties ?? {}) as Record<string, unknown> }
      if (typeof o.id === 'string' || (typeof o.id === 'number' && Number.isFinite(o.id))) feature.id = o.id
      yield feature
    }
  }
  return { crs, name, features: features() }
}
