// The geography drawn over the basemap: one GeoJSON source per map layer, styled by the layer's
// kind (areas of control by the party claiming them), and the drawing overlay (the shape being
// drawn, its vertices, the place last asked about). Plain MapLibre sources and layers, with no
// glyphs or sprites, so nothing is fetched to draw them.
import type { Feature, FeatureCollection, Geometry, Polygon, Position } from 'geojson'
import type { ExpressionSpecification, FilterSpecification, GeoJSONSource, LayerSpecification, Map as MapLibreMap } from 'maplibre-gl'
import type { GeoFeature, GeoLayer, GeoLayerKind } from '../api.ts'
import { geometriesBounds } from './basemap.ts'

/** Bottom to top: units under areas, areas under lines, sites on top. */
export const KIND_ORDER: readonly GeoLayerKind[] = ['admin', 'access', 'control', 'zone', 'site']

export const KIND_COLOURS: Readonly<Record<GeoLayerKind, string>> = {
  admin: '#4b5562',
  control: '#1f5f8b',
  zone: '#c2410c',
  access: '#b3261e',
  site: '#6d28d9',
}

/** Colours for claimants, told apart from each other and from the kinds' own colours. */
// Purple comes last: sites are drawn in it.
export const CLAIMANT_PALETTE = ['#1565c0', '#c62828', '#2e7d32', '#e65100', '#ad1457', '#00838f', '#6d4c41', '#546e7a', '#9e9d24', '#8e24aa'] as const

/** A party's colour: by its place among all parties, so it stays the same from page to page. */
export function claimantColour(partyId: string, partyIds: readonly string[]): string {
  const i = partyIds.indexOf(partyId)
  return CLAIMANT_PALETTE[(i < 0 ? partyIds.length : i) % CLAIMANT_PALETTE.length]!
}

export const sourceId = (slug: string) => `geo-${slug}`
export const layerIds = (slug: string) => ({
  fill: `geo-${slug}-fill`,
  line: `geo-${slug}-line`,
  point: `geo-${slug}-point`,
})
const allLayerIds = (slug: string) => Object.values(layerIds(slug))

export const DRAW_SOURCE = 'draw'
export const DRAW_FILL = 'draw-fill'
export const DRAW_LINE = 'draw-line'
export const DRAW_VERTEX = 'draw-vertex'
export const PICK_SOURCE = 'pick'
export const PICK_POINT = 'pick-point'
const OVERLAY_LAYERS = [DRAW_FILL, DRAW_LINE, DRAW_VERTEX, PICK_POINT]

const EARTH_RADIUS_M = 6_371_008.8

/** The point `distanceM` from [lon, lat] on `bearingDeg`, on a sphere (close enough to draw a site's radius). */
export function destination([lon, lat]: Position, bearingDeg: number, distanceM: number): Position {
  const rad = Math.PI / 180
  const d = distanceM / EARTH_RADIUS_M
  const bearing = bearingDeg * rad
  const lat1 = lat! * rad
  const lon1 = lon! * rad
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(bearing))
  const lon2 = lon1 + Math.atan2(Math.sin(bearing) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2))
  return [((lon2 / rad + 540) % 360) - 180, lat2 / rad]
}

/** A circle of `radiusM` around `centre` as a closed polygon of `steps` sides. */
export function circlePolygon(centre: Position, radiusM: number, steps = 48): Polygon {
  const ring: Position[] = []
  for (let i = 0; i < steps; i++) ring.push(destination(centre, (360 * i) / steps, radiusM))
  ring.push(ring[0]!)
  return { type: 'Polygon', coordinates: [ring] }
}

/** What the map needs of a feature, flat (MapLibre turns nested properties into strings). */
export type MapFeatureProperties = {
  id: string
  kind: GeoLayerKind
  claimantPartyId: string
  zoneKind: string
  siteKind: string
  accessStatus: string
  /** 'feature', or 'radius' for the protection circle drawn around a site. */
  role: 'feature' | 'radius'
}

/** A layer's features as the map draws them; a site with a radius gets its circle as well. */
export function mapData(features: readonly GeoFeature[]): FeatureCollection<Geometry, MapFeatureProperties> {
  const out: Feature<Geometry, MapFeatureProperties>[] = []
  for (const f of features) {
    const p = f.properties
    const properties: MapFeatureProperties = {
      id: p.id, kind: p.kind, claimantPartyId: p.claimantPartyId, zoneKind: p.zoneKind ?? '', siteKind: p.siteKind ?? '',
      accessStatus: p.accessStatus ?? '', role: 'feature',
    }
    out.push({ type: 'Feature', geometry: f.geometry, properties })
    if (f.geometry.type === 'Point' && p.radiusM !== null && p.radiusM > 0) {
      out.push({ type: 'Feature', geometry: circlePolygon(f.geometry.coordinates, p.radiusM), properties: { ...properties, role: 'radius' } })
    }
  }
  return { type: 'FeatureCollection', features: out }
}

const polygons: ExpressionSpecification = ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]]
const points: ExpressionSpecification = ['in', ['geometry-type'], ['literal', ['Point', 'MultiPoint']]]

/** Control areas in their claimant's colour; everything else in its kind's. */
function colourOf(layer: GeoLayer, partyIds: readonly string[]): string | ExpressionSpecification {
  if (layer.kind !== 'control' || partyIds.length === 0) return KIND_COLOURS[layer.kind]
  const pairs = partyIds.flatMap((id) => [id, claimantColour(id, partyIds)])
  // A match over as many parties as there are, which the expression's tuple type cannot spell.
  return ['match', ['get', 'claimantPartyId'], ...pairs, claimantColour('', partyIds)] as unknown as ExpressionSpecification
}

function styleLayers(layer: GeoLayer, partyIds: readonly string[]): LayerSpecification[] {
  const ids = layerIds(layer.slug)
  const source = sourceId(layer.slug)
  const colour = colourOf(layer, partyIds)
  const fillOpacity: Record<GeoLayerKind, number | ExpressionSpecification> = {
    admin: 0.03,
    control: 0.32,
    access: 0.2,
    zone: ['match', ['get', 'zoneKind'], 'buffer', 0.06, 'withdrawal_line', 0.06, 0.12],
    site: 0.14,
  }
  const dashed = layer.kind === 'access'
    ? ['literal', [2, 1.5]]
    : layer.kind === 'zone' ? ['match', ['get', 'zoneKind'], 'buffer', ['literal', [3, 2]], 'withdrawal_line', ['literal', [3, 2]], ['literal', [1, 0]]] : undefined
  return [
    {
      id: ids.fill, type: 'fill', source, filter: polygons,
      paint: { 'fill-color': colour, 'fill-opacity': fillOpacity[layer.kind] },
    },
    {
      id: ids.line, type: 'line', source,
      paint: {
        'line-color': colour,
        'line-width': layer.kind === 'zone' ? ['match', ['get', 'zoneKind'], 'contact_line', 3, 1.8] : layer.kind === 'admin' ? 1.2 : 1.6,
        ...(dashed ? { 'line-dasharray': dashed as ExpressionSpecification } : {}),
      },
    },
    {
      id: ids.point, type: 'circle', source, filter: points,
      paint: { 'circle-radius': 5.5, 'circle-color': colour, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 },
    },
  ]
}

/** Adds the sources and layers of `layers` that are missing, in kind order, under the drawing overlay. */
export function ensureGeoLayers(map: MapLibreMap, layers: readonly GeoLayer[], partyIds: readonly string[]): void {
  const sorted = [...layers].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.slug.localeCompare(b.slug))
  let added = false
  for (const layer of sorted) {
    if (map.getSource(sourceId(layer.slug))) continue
    map.addSource(sourceId(layer.slug), { type: 'geojson', data: { type: 'FeatureCollection', features: [] } })
    for (const spec of styleLayers(layer, partyIds)) map.addLayer(spec)
    added = true
  }
  if (!added) return
  for (const layer of sorted) for (const id of allLayerIds(layer.slug)) if (map.getLayer(id)) map.moveLayer(id)
  for (const id of OVERLAY_LAYERS) if (map.getLayer(id)) map.moveLayer(id)
}

/** Control layers are coloured by claimant; when the parties become known, the colours follow. */
export function recolour(map: MapLibreMap, layer: GeoLayer, partyIds: readonly string[]): void {
  if (layer.kind !== 'control') return
  const ids = layerIds(layer.slug)
  const colour = colourOf(layer, partyIds)
  if (map.getLayer(ids.fill)) map.setPaintProperty(ids.fill, 'fill-color', colour)
  if (map.getLayer(ids.line)) map.setPaintProperty(ids.line, 'line-color', colour)
  if (map.getLayer(ids.point)) map.setPaintProperty(ids.point, 'circle-color', colour)
}

export function setGeoData(map: MapLibreMap, slug: string, features: readonly GeoFeature[]): void {
  map.getSource<GeoJSONSource>(sourceId(slug))?.setData(mapData(features))
}

export function setGeoVisible(map: MapLibreMap, slug: string, visible: boolean): void {
  for (const id of allLayerIds(slug)) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none')
}

/** Only one claimant's areas (null: everyone's). */
export function setClaimantFilter(map: MapLibreMap, slug: string, claimant: string | null): void {
  const ids = layerIds(slug)
  const own: ExpressionSpecification | null = claimant === null ? null : ['==', ['get', 'claimantPartyId'], claimant]
  const and = (base: ExpressionSpecification | null): FilterSpecification | null =>
    base === null ? own : own === null ? base : ['all', base, own]
  if (map.getLayer(ids.fill)) map.setFilter(ids.fill, and(polygons))
  if (map.getLayer(ids.line)) map.setFilter(ids.line, and(null))
  if (map.getLayer(ids.point)) map.setFilter(ids.point, and(points))
}

/** The bounds of some features, for "show on the map". */
export function featureBounds(features: readonly GeoFeature[]): [[number, number], [number, number]] | null {
  return geometriesBounds(features.map((f) => f.geometry as Geometry))
}

export type DrawShape = 'polygon' | 'line' | 'point'

/** The shape being drawn: its outline so far, a line to the pointer, and its vertices (numbered, for dragging). */
export function drawData(shape: DrawShape, vertices: readonly Position[], pointer: Position | null, radiusM: number): FeatureCollection {
  const features: Feature[] = []
  const v = [...vertices]
  if (shape === 'point') {
    const [first] = v
    if (first && radiusM > 0) features.push({ type: 'Feature', properties: { role: 'shape' }, geometry: circlePolygon(first, radiusM) })
  } else if (shape === 'polygon' && v.length >= 3) {
    features.push({ type: 'Feature', properties: { role: 'shape' }, geometry: { type: 'Polygon', coordinates: [[...v, v[0]!]] } })
  } else if (v.length >= 2) {
    features.push({ type: 'Feature', properties: { role: 'shape' }, geometry: { type: 'LineString', coordinates: v } })
  }
  const last = v[v.length - 1]
  if (pointer && last && shape !== 'point') {
    const rubber = shape === 'polygon' && v.length >= 2 ? [last, pointer, v[0]!] : [last, pointer]
    features.push({ type: 'Feature', properties: { role: 'rubber' }, geometry: { type: 'LineString', coordinates: rubber } })
  }
  v.forEach((p, index) => features.push({ type: 'Feature', properties: { role: 'vertex', index }, geometry: { type: 'Point', coordinates: p } }))
  return { type: 'FeatureCollection', features }
}

/** A drawn shape as GeoJSON. */
export function shapeGeometry(shape: DrawShape, vertices: readonly Position[]): Geometry {
  if (shape === 'point') return { type: 'Point', coordinates: vertices[0]! }
  if (shape === 'line') return { type: 'LineString', coordinates: [...vertices] }
  return { type: 'Polygon', coordinates: [[...vertices, vertices[0]!]] }
}

/**
 * A feature's geometry as a shape to adjust vertex by vertex, when it is one: a polygon without
 * holes, a line, a point. Anything else can be kept as it is or drawn again.
 */
export function editableShape(geometry: Geometry): { shape: DrawShape; vertices: Position[] } | null {
  switch (geometry.type) {
    case 'Point': return { shape: 'point', vertices: [geometry.coordinates] }
    case 'LineString': return { shape: 'line', vertices: geometry.coordinates }
    case 'Polygon': {
      const [outer, ...holes] = geometry.coordinates
      if (!outer || holes.length > 0 || outer.length < 4) return null
      return { shape: 'polygon', vertices: outer.slice(0, -1) }
    }
    default: return null
  }
}

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] }
const DRAW_COLOUR = '#f0a43a'

/** The drawing overlay and the marker of the place asked about, on top of everything. */
export function ensureOverlay(map: MapLibreMap): void {
  if (!map.getSource(DRAW_SOURCE)) map.addSource(DRAW_SOURCE, { type: 'geojson', data: EMPTY })
  if (!map.getSource(PICK_SOURCE)) map.addSource(PICK_SOURCE, { type: 'geojson', data: EMPTY })
  if (!map.getLayer(DRAW_FILL)) {
    map.addLayer({ id: DRAW_FILL, type: 'fill', source: DRAW_SOURCE, filter: polygons, paint: { 'fill-color': DRAW_COLOUR, 'fill-opacity': 0.25 } })
  }
  if (!map.getLayer(DRAW_LINE)) {
    map.addLayer({
      id: DRAW_LINE, type: 'line', source: DRAW_SOURCE, filter: ['!', points],
      paint: {
        'line-color': '#a0622a', 'line-width': 2,
        'line-dasharray': ['match', ['get', 'role'], 'rubber', ['literal', [2, 2]], ['literal', [1, 0]]],
      },
    })
  }
  if (!map.getLayer(DRAW_VERTEX)) {
    map.addLayer({
      id: DRAW_VERTEX, type: 'circle', source: DRAW_SOURCE, filter: points,
      paint: { 'circle-radius': 6, 'circle-color': '#ffffff', 'circle-stroke-color': '#a0622a', 'circle-stroke-width': 2.5 },
    })
  }
  if (!map.getLayer(PICK_POINT)) {
    map.addLayer({
      id: PICK_POINT, type: 'circle', source: PICK_SOURCE,
      paint: { 'circle-radius': 7, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#1d2733', 'circle-stroke-width': 2.5 },
    })
  }
}

export function setDrawData(map: MapLibreMap, data: FeatureCollection): void {
  map.getSource<GeoJSONSource>(DRAW_SOURCE)?.setData(data)
}

export function setPick(map: MapLibreMap, place: Position | null): void {
  map.getSource<GeoJSONSource>(PICK_SOURCE)?.setData(place
    ? { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: place } }] }
    : EMPTY)
}
