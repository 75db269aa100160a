// The map: the world, or the theatre of any agreement the reader can see, with the geography the
// reader may see drawn over it — admin units, areas of control (coloured by the party claiming
// them), agreement zones, access areas and protected sites — as it stood on the date chosen.
// Clicking the map says what holds that place on that date; those who may edit draw and change
// their party's features. The theatre and the date are kept in the address
// (?theatre=Syria&at=2016-03-01) so a view can be shared.
import type { Map as MapLibreMap } from 'maplibre-gl'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { allPages, api, type GeoFeature, type GeoLayer } from '../api.ts'
import { ErrorMessage } from '../components/ErrorMessage.tsx'
import { useI18n } from '../i18n/index.tsx'
import { dateOfInstant, instantOf, isIsoDate, todayUtc } from '../map/dates.ts'
import TruceMap from '../map/Map.tsx'
import {
  ensureGeoLayers, ensureOverlay, featureBounds, recolour, setClaimantFilter, setGeoData, setGeoVisible, setPick,
} from '../map/overlays.ts'
import { Link, navigate, useLocation } from '../router.tsx'
import { useSession } from '../session.tsx'
import { useResource } from '../useResource.ts'
import { useTitle } from '../useTitle.ts'
import { AttributionPanel, type Place } from './map/AttributionPanel.tsx'
import { DrawPanel } from './map/DrawPanel.tsx'
import { LayerPanel, type LayerState } from './map/LayerPanel.tsx'
import { TimeBar } from './map/TimeBar.tsx'

/** A layer has at most this many pages of features drawn (1000 each); more would not be readable anyway. */
const MAX_PAGES = 20

async function allFeatures(slug: string, at: string): Promise<GeoFeature[]> {
  const out: GeoFeature[] = []
  let cursor: string | undefined
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await api.geoFeatures(slug, { at, cursor })
    out.push(...page.features)
    if (page.nextCursor === null) break
    cursor = page.nextCursor
  }
  return out
}

type LayerData = { at: string | null; features: GeoFeature[]; loading: boolean; failed: boolean }

/**
 * The features of the layers shown, valid at `at`, each layer asked for once per date (and again
 * after a write, which bumps `revision`); an answer for a date no longer wanted is dropped.
 */
function useLayerFeatures(slugs: readonly string[], at: string, revision: number): Readonly<Record<string, LayerData>> {
  const [data, setData] = useState<Record<string, LayerData>>({})
  const cache = useRef(new Map<string, GeoFeature[]>())
  const wanted = useRef(new Map<string, string>())
  const asked = useRef(new Set<string>())
  const list = slugs.join('|')
  useEffect(() => {
    if (cache.current.size > 200) cache.current.clear()
    for (const slug of list === '' ? [] : list.split('|')) {
      const key = `${slug}|${at}|${revision}`
      wanted.current.set(slug, key)
      const hit = cache.current.get(key)
      if (hit) {
        setData((d) => ({ ...d, [slug]: { at, features: hit, loading: false, failed: false } }))
        continue
      }
      setData((d) => ({ ...d, [slug]: { at: d[slug]?.at ?? null, features: d[slug]?.features ?? [], loading: true, failed: false } }))
      if (asked.current.has(key)) continue
      asked.current.add(key)
      allFeatures(slug, instantOf(at)).then(
        (features) => {
          cache.current.set(key, features)
          asked.current.delete(key)
          if (wanted.current.get(slug) === key) setData((d) => ({ ...d, [slug]: { at, features, loading: false, failed: false } }))
        },
        () => {
          asked.current.delete(key)
          if (wanted.current.get(slug) === key) setData((d) => ({ ...d, [slug]: { at: d[slug]?.at ?? null, features: d[slug]?.features ?? [], loading: false, failed: true } }))
        },
      )
    }
  }, [list, at, revision])
  return data
}

function mapAddress(theatre: string, at: string | null): string {
  const s = new URLSearchParams()
  if (theatre !== '') s.set('theatre', theatre)
  if (at !== null) s.set('at', at)
  const query = s.toString()
  return query === '' ? '/map' : `/map?${query}`
}

export default function MapPage() {
  const { t } = useI18n()
  const session = useSession()
  const { search } = useLocation()
  const theatre = search.get('theatre') ?? ''
  const atParam = search.get('at') ?? ''
  const date = isIsoDate(atParam) ? atParam : todayUtc()
  useTitle(t('map.title'))
  const who = session.me === null ? null : (session.me.userId ?? 'anonymous')
  const agreements = useResource(who === null ? null : `${who}|theatres`, () => api.agreements({ limit: 200 }))
  const theatres = [...new Set((agreements.data?.items ?? []).map((a) => a.theatre))].sort((x, y) => x.localeCompare(y))
  if (theatre !== '' && !theatres.includes(theatre)) theatres.push(theatre)

  const [map, setMap] = useState<MapLibreMap | null>(null)
  const layers = useResource(who === null ? null : `${who}|geo-layers`, () => api.geoLayers())
  const parties = useResource('parties', () => allPages((cursor) => api.parties(cursor)))
  const layerList: readonly GeoLayer[] = useMemo(() => layers.data?.items ?? [], [layers.data])
  // Guarantors first, so the parties whose claims most often differ get the first, most distinct colours.
  const partyList = useMemo(() => [...(parties.data ?? [])]
    .sort((a, b) => Number(b.kind === 'guarantor') - Number(a.kind === 'guarantor') || a.slug.localeCompare(b.slug)), [parties.data])
  const partyIds = useMemo(() => partyList.map((p) => p.id), [partyList])

  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set())
  const [claimant, setClaimant] = useState('')
  const [revision, setRevision] = useState(0)
  const [place, setPlace] = useState<Place | null>(null)
  const [editId, setEditId] = useState<string | null>(null)
  const [drawingActive, setDrawingActive] = useState(false)

  const shownSlugs = useMemo(() => layerList.filter((l) => !hidden.has(l.slug)).map((l) => l.slug), [layerList, hidden])
  const data = useLayerFeatures(shownSlugs, date, revision)

  const setDate = useCallback((next: string) => navigate(mapAddress(theatre, next), { replace: true }), [theatre])

  // The layers, their colours, visibility and claimant filter; then each layer's features.
  const drawnData = useRef(new Map<string, GeoFeature[]>())
  useEffect(() => {
    if (!map) return
    drawnData.current.clear()
    ensureOverlay(map)
  }, [map])
  useEffect(() => {
    if (!map) return
    ensureGeoLayers(map, layerList, partyIds)
    for (const l of layerList) {
      recolour(map, l, partyIds)
      setGeoVisible(map, l.slug, !hidden.has(l.slug))
      if (l.kind === 'control') setClaimantFilter(map, l.slug, claimant === '' ? null : claimant)
      const features = data[l.slug]?.features
      if (features && drawnData.current.get(l.slug) !== features) {
        drawnData.current.set(l.slug, features)
        setGeoData(map, l.slug, features)
      }
    }
  }, [map, layerList, partyIds, hidden, claimant, data])

  // A click on the map asks what is there, except while a shape is being drawn.
  useEffect(() => {
    if (!map || drawingActive) return
    const onClick = (e: { lngLat: { lng: number; lat: number } }) => {
      setPlace({ lon: Math.round(e.lngLat.lng * 1e6) / 1e6, lat: Math.round(e.lngLat.lat * 1e6) / 1e6 })
    }
    map.on('click', onClick)
    return () => {
      map.off('click', onClick)
    }
  }, [map, drawingActive])
  useEffect(() => {
    if (map) setPick(map, place && [place.lon, place.lat])
  }, [map, place])

  const controlFeatures = layerList.filter((l) => l.kind === 'control' && !hidden.has(l.slug)).flatMap((l) => data[l.slug]?.features ?? [])
  const claimants = [...new Set(controlFeatures.map((f) => f.properties.claimantPartyId))]
    .sort((a, b) => partyIds.indexOf(a) - partyIds.indexOf(b))
  // The dates on which the features seen so far start or stop holding: the slider's marks and its
  // previous/next change. Kept across dates, so a change seen once stays a step away.
  const seenDates = useRef(new Set<string>())
  const known = useMemo(() => {
    for (const d of Object.values(data)) {
      for (const f of d.features) {
        for (const v of [dateOfInstant(f.properties.validFrom), dateOfInstant(f.properties.validTo)]) if (v !== null) seenDates.current.add(v)
      }
    }
    return [...seenDates.current]
  }, [data])
  const state: Record<string, LayerState> = {}
  for (const l of layerList) {
    const d = data[l.slug]
    const features = d?.features ?? []
    const count = l.kind === 'control' && claimant !== '' ? features.filter((f) => f.properties.claimantPartyId === claimant).length : features.length
    state[l.slug] = { count, at: d && !d.loading ? d.at : null, loading: d?.loading ?? false, failed: d?.failed ?? false }
  }
  const loading = shownSlugs.some((s) => data[s]?.loading)

  const zoomTo = (slug: string) => {
    const bounds = featureBounds(data[slug]?.features ?? [])
    if (map && bounds) map.fitBounds(bounds, { padding: 40, maxZoom: 9, duration: 400 })
  }
  const changed = () => {
    setRevision((r) => r + 1)
    void layers.reload()
  }
  const onActive = useCallback((active: boolean) => setDrawingActive(active), [])

  // ?layer=slug (the import page links so): once that layer's features are in, frame them.
  const focus = search.get('layer')
  const focused = useRef<string | null>(null)
  useEffect(() => {
    if (!map || focus === null || focused.current === focus) return
    const d = data[focus]
    if (!d || d.loading) return
    focused.current = focus
    const bounds = featureBounds(d.features)
    if (bounds) map.fitBounds(bounds, { padding: 40, maxZoom: 9, animate: false })
  }, [map, focus, data])

  return (
    <section aria-labelledby="map-page-title" className="map-page">
      <div className="page-head">
        <div>
          <h1 id="map-page-title">{t('map.title')}</h1>
          <p className="muted">{t('map.intro')}</p>
        </div>
        <div className="page-head-tools">
          <div className="field field-inline">
            <label htmlFor="map-theatre">{t('map.chooseTheatre')}</label>
            <select
              id="map-theatre" data-testid="map-theatre" value={theatre}
              onChange={(e) => navigate(mapAddress(e.target.value, atParam === '' ? null : date), { replace: true })}
            >
              <option value="">{t('map.worldView')}</option>
              {theatres.map((name) => <option key={name} value={name}>{name}</option>)}
            </select>
          </div>
          {session.can('geo.import') && <Link to="/map/import" className="button button-secondary" data-testid="map-import-link">{t('geo.importLink')}</Link>}
        </div>
      </div>
      <div className="map-layout">
        <div className="map-main">
          <div className="card card-flush map-card">
            <TimeBar date={date} onChange={setDate} known={known} loading={loading} />
            <div className={drawingActive ? 'map-stage map-stage-drawing' : 'map-stage'}>
              <TruceMap theatre={theatre || null} label={t('map.label', { place: theatre || t('map.world') })} className="map-large" onMap={setMap} />
              {drawingActive && <div className="map-crosshair" aria-hidden="true" />}
            </div>
          </div>
        </div>
        <div className="map-side">
          {layers.error && <ErrorMessage error={layers.error} onRetry={() => void layers.reload()} />}
          {layers.loading && !layers.data && <p className="loading" role="status">{t('common.loading')}</p>}
          {layers.data && (
            <LayerPanel
              layers={layerList} hidden={hidden} state={state} onZoom={zoomTo}
              onToggle={(slug, visible) => setHidden((old) => {
                const next = new Set(old)
                if (visible) next.delete(slug)
                else next.add(slug)
                return next
              })}
              claimants={claimants} parties={partyList} partyIds={partyIds} claimant={claimant} onClaimant={setClaimant}
            />
          )}
          <AttributionPanel
            place={place} onPlace={setPlace} date={date} at={instantOf(date)} revision={revision} parties={partyList} partyIds={partyIds}
            onEdit={setEditId} onRetracted={changed}
          />
          {session.can('geo.edit') && layers.data && (
            <DrawPanel
              map={map} layers={layerList} editId={editId} onEditDone={() => setEditId(null)} onActive={onActive}
              onSaved={changed} onRetracted={changed}
            />
          )}
        </div>
      </div>
    </section>
  )
}
