// The one map component: MapLibre on the offline Natural Earth basemap, framed on a theatre.
// The instance is exposed as window.__truceMap so browser tests can ask whether it has drawn.
import 'maplibre-gl/dist/maplibre-gl.css'
import { AttributionControl, Map as MapLibreMap, NavigationControl, setWorkerUrl } from 'maplibre-gl'
// MapLibre finds its worker next to its own module file, which a bundler moves; the worker is
// shipped as a separate asset and its bundled address given explicitly.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import { useEffect, useRef, useState } from 'react'
import { useI18n } from '../i18n/index.tsx'
import { basemapStyle, canonicalCountry, countryBounds, LAYER_THEATRE_FILL, LAYER_THEATRE_OUTLINE, theatreFilter } from './basemap.ts'
import { theatreView, type TheatreView } from './theatres.ts'

setWorkerUrl(workerUrl)

type Props = {
  theatre?: string | null | undefined
  /** What the map shows, for assistive technology. */
  label: string
  className?: string
  /**
   * Told the map once its style has loaded (and null when it goes), for pages that draw on it:
   * from then on sources and layers can be added at once.
   */
  onMap?: ((map: MapLibreMap | null) => void) | undefined
}

type Camera = { center: [number, number]; zoom: number } | { bounds: [[number, number], [number, number]] }

function cameraFor(view: TheatreView): Camera {
  if (view.kind === 'country') {
    const bounds = countryBounds(view.country)
    if (bounds) return { bounds }
  }
  return view.kind === 'country' ? { center: [20, 25], zoom: 1.2 } : view.view
}

function moveTo(map: MapLibreMap, camera: Camera): void {
  if ('bounds' in camera) map.fitBounds(camera.bounds, { padding: 32, animate: false, maxZoom: 7 })
  else map.jumpTo(camera)
}

export default function TruceMap({ theatre, label, className, onMap }: Props) {
  const { t, dir, lang } = useI18n()
  const container = useRef<HTMLDivElement>(null)
  const [map, setMap] = useState<MapLibreMap | null>(null)
  const [failed, setFailed] = useState(false)
  const [ready, setReady] = useState(false)
  // The first theatre is used to build the map; later ones move it (see below).
  const initialTheatre = useRef(theatre)
  const onMapRef = useRef(onMap)
  useEffect(() => {
    onMapRef.current = onMap
  })

  useEffect(() => {
    const element = container.current
    if (!element) return
    const view = theatreView(initialTheatre.current, canonicalCountry)
    const camera = cameraFor(view)
    let instance: MapLibreMap
    try {
      instance = new MapLibreMap({
        container: element,
        style: basemapStyle(view.countries),
        ...('bounds' in camera ? { bounds: camera.bounds, fitBoundsOptions: { padding: 32, maxZoom: 7 } } : camera),
        attributionControl: false,
        maplibreLogo: false,
        dragRotate: false,
        pitchWithRotate: false,
        maxZoom: 9,
        renderWorldCopies: false,
      })
    } catch (e) {
      // No WebGL (old hardware, locked-down browsers): say so instead of an empty box.
      console.warn('map unavailable', e)
      setFailed(true)
      return
    }
    instance.touchZoomRotate.disableRotation()
    instance.keyboard.disableRotation()
    window.__truceMap = instance
    setMap(instance)
    // The style is loaded once and never replaced, so after this event it is ready for good.
    // (isStyleLoaded() is no guide later: it is false whenever a source is updating its data.)
    instance.once('load', () => {
      setReady(true)
      onMapRef.current?.(instance)
    })
    return () => {
      if (window.__truceMap === instance) delete window.__truceMap
      onMapRef.current?.(null)
      instance.remove()
      setMap(null)
      setReady(false)
    }
  }, [])

  // A new theatre moves the camera and the highlight without rebuilding the map.
  useEffect(() => {
    if (!map || !ready) return
    const view = theatreView(theatre, canonicalCountry)
    map.setFilter(LAYER_THEATRE_FILL, theatreFilter(view.countries))
    map.setFilter(LAYER_THEATRE_OUTLINE, theatreFilter(view.countries))
    moveTo(map, cameraFor(view))
  }, [map, ready, theatre])

  // Controls sit at the inline end, so they change sides with the writing direction, and their
  // tooltips follow the interface language.
  useEffect(() => {
    if (!map) return
    map._locale = {
      ...map._locale,
      'NavigationControl.ZoomIn': t('map.zoomIn'),
      'NavigationControl.ZoomOut': t('map.zoomOut'),
      'AttributionControl.ToggleAttribution': t('map.toggleAttribution'),
    }
    const end = dir === 'rtl' ? 'left' : 'right'
    const navigation = new NavigationControl({ showCompass: false })
    const attribution = new AttributionControl({ compact: true, customAttribution: t('map.attribution') })
    map.addControl(navigation, `top-${end}`)
    map.addControl(attribution, `bottom-${end}`)
    map.getCanvas().setAttribute('aria-label', label)
    return () => {
      // On unmount the map may already be removed (the effect above cleans up first), and with it
      // its controls; removing one twice throws, which would take the whole page down on leaving it.
      if (map.hasControl(navigation)) map.removeControl(navigation)
      if (map.hasControl(attribution)) map.removeControl(attribution)
    }
  }, [map, t, dir, lang, label])

  return (
    <div className={className ? `map-frame ${className}` : 'map-frame'}>
      <div ref={container} className="map" role="region" aria-label={label} data-testid="map" data-theatre={theatre ?? ''} />
      {failed && <p className="map-unavailable" role="status">{t('map.unavailable')}</p>}
    </div>
  )
}
