// The offline basemap: Natural Earth 1:50m countries (world-atlas TopoJSON, bundled by Vite)
// turned into GeoJSON in the browser with topojson-client, and a MapLibre style made only of
// GeoJSON sources with fill and line layers. The style has no glyphs, no sprite and no URL of any
// kind, so drawing the map never asks anyone for anything.
import type { FeatureCollection, Geometry, MultiLineString, Position } from 'geojson'
import type { MapOptions } from 'maplibre-gl'
import { feature, mesh } from 'topojson-client'
import type { GeometryCollection, Topology } from 'topojson-specification'
import countries50m from 'world-atlas/countries-50m.json' with { type: 'json' }

export type CountryProperties = { name: string }
export type BasemapStyle = Exclude<NonNullable<MapOptions['style']>, string>
type Layer = BasemapStyle['layers'][number]
export type LayerFilter = NonNullable<Extract<Layer, { type: 'fill' }>['filter']>

export const SOURCE_COUNTRIES = 'countries'
export const SOURCE_BORDERS = 'borders'
export const SOURCE_COASTLINE = 'coastline'
export const SOURCE_CONTROL_LINES = 'control-lines'
export const LAYER_THEATRE_FILL = 'theatre-fill'
export const LAYER_THEATRE_OUTLINE = 'theatre-outline'

type Basemap = {
  countries: FeatureCollection<Geometry, CountryProperties>
  borders: MultiLineString
  coastline: MultiLineString
  /** Ceasefire and control lines that Natural Earth draws as borders but are not recognised ones. */
  controlLines: MultiLineString
}

type Countries = GeometryCollection<CountryProperties>
type CountryGeometry = Countries['geometries'][number]

const RUSSIA = '643'
const UKRAINE = '804'
const ISRAEL = '376'
const SYRIA = '760'
const CRIMEA = 'UA-43'
const CRIMEA_POINT: Position = [34.1, 45.0]

function ringContains(ring: Position[], [x, y]: Position): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi = 0, yi = 0] = ring[i] ?? []
    const [xj = 0, yj = 0] = ring[j] ?? []
    if ((yi > y!) !== (yj > y!) && x! < ((xj - xi) * (y! - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/**
 * Natural Earth draws de facto control: Crimea inside Russia. Truce's basemap follows the
 * boundaries the UN recognises (General Assembly resolution 68/262), so Crimea is moved back to
 * Ukraine as its own geometry, and the line at Perekop becomes a control line, not a border.
 * The Golan Heights cannot be split out of Israel's single polygon at this scale; its 1974
 * disengagement line (the Israel–Syria arcs) is drawn as a control line too.
 */
function recognised(topology: Topology<{ countries: Countries }>): Countries {
  const source = topology.objects.countries
  const geometries: CountryGeometry[] = []
  for (const g of source.geometries) {
    if (g.id !== RUSSIA || g.type !== 'MultiPolygon') { geometries.push(g); continue }
    const crimea = g.arcs.findIndex((polygon) => {
      const f = feature(topology, { type: 'Polygon', arcs: polygon, properties: {} } as never) as unknown as { geometry: { coordinates: Position[][] } }
      return ringContains(f.geometry.coordinates[0] ?? [], CRIMEA_POINT)
    })
    if (crimea < 0) { geometries.push(g); continue }
    geometries.push({ ...g, arcs: g.arcs.filter((_, i) => i !== crimea) })
    geometries.push({ type: 'Polygon', id: CRIMEA, arcs: g.arcs[crimea]!, properties: { name: 'Ukraine' } })
  }
  return { ...source, geometries }
}

const pairIs = (a: { id?: string | number }, b: { id?: string | number }, x: string, y: string) =>
  (a.id === x && b.id === y) || (a.id === y && b.id === x)
const isControlLine = (a: { id?: string | number }, b: { id?: string | number }) =>
  pairIs(a, b, CRIMEA, UKRAINE) || pairIs(a, b, ISRAEL, SYRIA)

let cached: Basemap | null = null

/** Converted once, on first use: the conversion takes tens of milliseconds, not worth repeating. */
export function basemap(): Basemap {
  if (cached) return cached
  // The JSON's inferred type is structural; the TopoJSON types say what it is.
  const topology = countries50m as unknown as Topology<{ countries: Countries }>
  const object = recognised(topology)
  cached = {
    countries: feature(topology, object) as FeatureCollection<Geometry, CountryProperties>,
    // Shared arcs are land borders; arcs used once are coast. Drawing them apart avoids the
    // doubled strokes that outlining every country would give.
    borders: mesh(topology, object, (a, b) => a !== b && !isControlLine(a, b)),
    coastline: mesh(topology, object, (a, b) => a === b),
    controlLines: mesh(topology, object, isControlLine),
  }
  return cached
}

export const COLOURS = {
  sea: '#dde8ef',
  land: '#f6f4ee',
  border: '#a9a596',
  coast: '#8fa9ba',
  theatre: '#f1d9ae',
  theatreOutline: '#a0622a',
} as const

export function basemapStyle(theatreCountries: readonly string[]): BasemapStyle {
  const data = basemap()
  const inTheatre = theatreFilter(theatreCountries)
  return {
    version: 8,
    name: 'Truce offline basemap',
    sources: {
      [SOURCE_COUNTRIES]: { type: 'geojson', data: data.countries, attribution: '' },
      [SOURCE_BORDERS]: { type: 'geojson', data: { type: 'Feature', properties: {}, geometry: data.borders } },
      [SOURCE_COASTLINE]: { type: 'geojson', data: { type: 'Feature', properties: {}, geometry: data.coastline } },
      [SOURCE_CONTROL_LINES]: { type: 'geojson', data: { type: 'Feature', properties: {}, geometry: data.controlLines } },
    },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': COLOURS.sea } },
      { id: 'land', type: 'fill', source: SOURCE_COUNTRIES, paint: { 'fill-color': COLOURS.land } },
      {
        id: LAYER_THEATRE_FILL, type: 'fill', source: SOURCE_COUNTRIES,
        filter: inTheatre, paint: { 'fill-color': COLOURS.theatre },
      },
      {
        id: 'coastline', type: 'line', source: SOURCE_COASTLINE,
        paint: { 'line-color': COLOURS.coast, 'line-width': ['interpolate', ['linear'], ['zoom'], 1, 0.5, 6, 1.2] },
      },
      {
        id: 'borders', type: 'line', source: SOURCE_BORDERS,
        paint: { 'line-color': COLOURS.border, 'line-width': ['interpolate', ['linear'], ['zoom'], 1, 0.4, 6, 1] },
      },
      {
        id: 'control-lines', type: 'line', source: SOURCE_CONTROL_LINES,
        paint: { 'line-color': COLOURS.border, 'line-dasharray': [3, 2], 'line-width': ['interpolate', ['linear'], ['zoom'], 1, 0.4, 6, 1] },
      },
      {
        id: LAYER_THEATRE_OUTLINE, type: 'line', source: SOURCE_COUNTRIES,
        filter: inTheatre,
        paint: { 'line-color': COLOURS.theatreOutline, 'line-width': 1.6 },
      },
    ],
  }
}

/** Matches the countries of a theatre (none when the list is empty). */
export function theatreFilter(countries: readonly string[]): LayerFilter {
  return ['in', ['get', 'name'], ['literal', [...countries]]]
}

const findCountry = (name: string) => {
  const wanted = name.trim().toLowerCase()
  return basemap().countries.features.find((f) => f.properties.name.toLowerCase() === wanted)
}

/** The Natural Earth spelling of a country name given in any letter case, if it is one. */
export const canonicalCountry = (name: string): string | null => findCountry(name)?.properties.name ?? null

/** The bounding box [[west, south], [east, north]] of some geometries, or null when they have no position. */
export function geometriesBounds(geometries: Iterable<Geometry>): [[number, number], [number, number]] | null {
  let west = Infinity, south = Infinity, east = -Infinity, north = -Infinity
  const visit = (p: Position) => {
    const [x, y] = p
    if (x === undefined || y === undefined) return
    west = Math.min(west, x); east = Math.max(east, x); south = Math.min(south, y); north = Math.max(north, y)
  }
  const walk = (g: Geometry) => {
    switch (g.type) {
      case 'Point': visit(g.coordinates); break
      case 'MultiPoint': case 'LineString': g.coordinates.forEach(visit); break
      case 'MultiLineString': case 'Polygon': g.coordinates.forEach((r) => r.forEach(visit)); break
      case 'MultiPolygon': g.coordinates.forEach((p) => p.forEach((r) => r.forEach(visit))); break
      case 'GeometryCollection': g.geometries.forEach(walk); break
    }
  }
  for (const g of geometries) walk(g)
  return Number.isFinite(west) ? [[west, south], [east, north]] : null
}

/** The bounding box of one country, by its Natural Earth name (case-insensitive), if there is one. */
export function countryBounds(name: string): [[number, number], [number, number]] | null {
  const found = findCountry(name)
  return found ? geometriesBounds([found.geometry]) : null
}
