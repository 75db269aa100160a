// The map instance that browser tests read from window (see map/Map.tsx).
import type { Map as MapLibreMap } from 'maplibre-gl'

declare global {
  interface Window {
    /** The map on the page, if any; for browser tests (`loaded()`, `queryRenderedFeatures()`). */
    __truceMap?: MapLibreMap
  }
}

export {}
