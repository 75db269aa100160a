// The incidents map: every report the reader may see, drawn from the report vector tiles
// (/tiles/reports, one feature per report, its id the report's seq), as circles coloured by
// category; where a tile is dense the server sends grid cells with a count, drawn as larger circles
// with the count written on them. Clicking a report opens its incident (found by the report's seq);
// clicking a cell zooms in on it. The style has no glyphs (nothing may be fetched from elsewhere),
// so the counts are HTML labels placed over the cells the map has drawn.
import { Marker, type ExpressionSpecification, type GeoJSONSource, type Map as MapLibreMap, type MapGeoJSONFeature, type VectorTileSource } from 'maplibre-gl'
import { useEffect, useRef, useState } from 'react'
import { useI18n } from '../../i18n/index.tsx'
import TruceMap from '../../map/Map.tsx'
import { INCIDENT_CATEGORIES } from './api.ts'
import { CATEGORY_COLOURS } from './labels.tsx'

const SOURCE = 'incident-reports'
const LAYER_POINTS = 'incident-report-points'
const LAYER_CELLS = 'incident-report-cells'
const SOURCE_HIGHLIGHT = 'incident-highlight'
const LAYER_HIGHLIGHT = 'incident-highlight'
/** More labels than this would cover the map; the largest cells get theirs. */
const MAX_LABELS = 150

const categoryColour: ExpressionSpecification = [
  'match', ['get', 'category'],
  ...INCIDENT_CATEGORIES.flatMap((c) => [c, CATEGORY_COLOURS[c]]),
  '#555555',
] as unknown as ExpressionSpecification

function pointFilter(category: string | undefined): ExpressionSpecification {
  const points: ExpressionSpecification = ['!', ['has', 'count']]
  return category ? ['all', points, ['==', ['get', 'category'], category]] : points
}

type Props = {
  tiles: string
  category?: string | undefined
  /** A clicked report, by its seq (the feature id). */
  onPick?: ((seq: number) => void) | undefined
  /** Points to ring, as [lon, lat]: the incident shown, or the ones listed. */
  highlight?: readonly [number, number][] | undefined
  /** Where to look first: [lon, lat] and a zoom, else the world. */
  focus?: { center: [number, number]; zoom: number } | undefined
  label: string
  className?: string | undefined
}

export default function IncidentsMap({ tiles, category, onPick, highlight, focus, label, className }: Props) {
  const { t } = useI18n()
  const [map, setMap] = useState<MapLibreMap | null>(null)
  const onPickRef = useRef(onPick)
  const markers = useRef<Marker[]>([])
  useEffect(() => {
    onPickRef.current = onPick
  })

  // The source and its layers, once the style is there.
  useEffect(() => {
    if (!map) return
    if (!map.getSource(SOURCE)) {
      map.addSource(SOURCE, { type: 'vector', tiles: [tiles], minzoom: 0, maxzoom: 14 })
      map.addSource(SOURCE_HIGHLIGHT, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } })
      map.addLayer({
        id: LAYER_CELLS, type: 'circle', source: SOURCE, 'source-layer': 'reports', filter: ['has', 'count'],
        paint: {
          'circle-color': '#1f5f8b', 'circle-opacity': 0.55, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1,
          'circle-radius': ['interpolate', ['linear'], ['ln', ['max', 1, ['get', 'count']]], 0, 6, 7, 22],
        },
      })
      map.addLayer({
        id: LAYER_HIGHLIGHT, type: 'circle', source: SOURCE_HIGHLIGHT,
        paint: { 'circle-radius': 11, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#111111', 'circle-stroke-width': 2.5 },
      })
      map.addLayer({
        id: LAYER_POINTS, type: 'circle', source: SOURCE, 'source-layer': 'reports', filter: pointFilter(category),
        paint: { 'circle-color': categoryColour, 'circle-radius': ['interpolate', ['linear'], ['zoom'], 2, 3.5, 9, 7], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 },
      })
    }
    const pick = (e: { features?: MapGeoJSONFeature[] | undefined }) => {
      const id = e.features?.[0]?.id
      if (typeof id === 'number') onPickRef.current?.(id)
    }
    const zoomIn = (e: { features?: MapGeoJSONFeature[] | undefined; lngLat: { lng: number; lat: number } }) => {
      map.easeTo({ center: [e.lngLat.lng, e.lngLat.lat], zoom: Math.min(map.getMaxZoom(), map.getZoom() + 2) })
    }
    const pointer = () => { map.getCanvas().style.cursor = 'pointer' }
    const plain = () => { map.getCanvas().style.cursor = '' }
    // The counts on the cells drawn now, redone whenever the map settles.
    const label = () => {
      for (const m of markers.current) m.remove()
      markers.current = []
      const cells = map.queryRenderedFeatures({ layers: [LAYER_CELLS] })
        .filter((f) => f.geometry.type === 'Point')
        .sort((a, b) => Number(b.properties.count) - Number(a.properties.count))
        .slice(0, MAX_LABELS)
      for (const cell of cells) {
        const element = document.createElement('span')
        element.className = 'incident-cell-count'
        element.textContent = String(cell.properties.count)
        element.dataset.testid = 'incident-cell-count'
        const [lon, lat] = (cell.geometry as unknown as { coordinates: [number, number] }).coordinates
        markers.current.push(new Marker({ element }).setLngLat([lon, lat]).addTo(map))
      }
      const points = map.queryRenderedFeatures({ layers: [LAYER_POINTS] }).length
      map.getContainer().dataset.reports = String(points)
      map.getContainer().dataset.cells = String(cells.length)
    }
    map.on('click', LAYER_POINTS, pick)
    map.on('click', LAYER_CELLS, zoomIn)
    map.on('mouseenter', LAYER_POINTS, pointer)
    map.on('mouseleave', LAYER_POINTS, plain)
    map.on('mouseenter', LAYER_CELLS, pointer)
    map.on('mouseleave', LAYER_CELLS, plain)
    map.on('idle', label)
    return () => {
      map.off('click', LAYER_POINTS, pick)
      map.off('click', LAYER_CELLS, zoomIn)
      map.off('mouseenter', LAYER_POINTS, pointer)
      map.off('mouseleave', LAYER_POINTS, plain)
      map.off('mouseenter', LAYER_CELLS, pointer)
      map.off('mouseleave', LAYER_CELLS, plain)
      map.off('idle', label)
      for (const m of markers.current) m.remove()
      markers.current = []
    }
    // The tiles and category at creation; later changes are applied below without rebuilding.
  }, [map])

  useEffect(() => {
    const source = map?.getSource(SOURCE) as VectorTileSource | undefined
    source?.setTiles([tiles])
  }, [map, tiles])

  useEffect(() => {
    if (map?.getLayer(LAYER_POINTS)) map.setFilter(LAYER_POINTS, pointFilter(category))
  }, [map, category])

  const ringed = JSON.stringify(highlight ?? [])
  useEffect(() => {
    const source = map?.getSource(SOURCE_HIGHLIGHT) as GeoJSONSource | undefined
    const points = JSON.parse(ringed) as [number, number][]
    source?.setData({ type: 'FeatureCollection', features: points.map((coordinates) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates } })) })
  }, [map, ringed])

  const focusKey = focus ? `${focus.center.join(',')}|${focus.zoom}` : ''
  useEffect(() => {
    if (!map || focusKey === '') return
    const [center, zoom] = focusKey.split('|') as [string, string]
    map.jumpTo({ center: center.split(',').map(Number) as [number, number], zoom: Number(zoom) })
  }, [map, focusKey])

  return (
    <div className="incidents-map">
      <TruceMap label={label} className={className} onMap={setMap} />
      <details className="incidents-legend small">
        <summary>{t('incidents.map.legend')}</summary>
        <ul>
          {INCIDENT_CATEGORIES.map((c) => (
            <li key={c}><span className="incident-swatch" style={{ background: CATEGORY_COLOURS[c] }} aria-hidden="true" /> {t(`incident.category.${c}`)}</li>
          ))}
          <li><span className="incident-swatch incident-swatch-cell" aria-hidden="true" /> {t('incidents.map.cell')}</li>
        </ul>
      </details>
    </div>
  )
}
