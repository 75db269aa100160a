// The map on its own: the world, or the theatre of any agreement the reader can see. The chosen
// theatre is kept in the address (?theatre=Syria) so a view can be shared.
import { api } from '../api.ts'
import { useI18n } from '../i18n/index.tsx'
import TruceMap from '../map/Map.tsx'
import { navigate, useLocation } from '../router.tsx'
import { useSession } from '../session.tsx'
import { useResource } from '../useResource.ts'
import { useTitle } from '../useTitle.ts'

export default function MapPage() {
  const { t } = useI18n()
  const session = useSession()
  const { search } = useLocation()
  const theatre = search.get('theatre') ?? ''
  useTitle(t('map.title'))
  const who = session.me === null ? null : (session.me.userId ?? 'anonymous')
  const agreements = useResource(who === null ? null : `${who}|theatres`, () => api.agreements({ limit: 200 }))
  const theatres = [...new Set((agreements.data?.items ?? []).map((a) => a.theatre))].sort((x, y) => x.localeCompare(y))
  if (theatre !== '' && !theatres.includes(theatre)) theatres.push(theatre)

  return (
    <section aria-labelledby="map-page-title" className="map-page">
      <div className="page-head">
        <div>
          <h1 id="map-page-title">{t('map.title')}</h1>
          <p className="muted">{t('map.intro')}</p>
        </div>
        <div className="field field-inline">
          <label htmlFor="map-theatre">{t('map.chooseTheatre')}</label>
          <select
            id="map-theatre" data-testid="map-theatre" value={theatre}
            onChange={(e) => navigate(e.target.value ? `/map?theatre=${encodeURIComponent(e.target.value)}` : '/map', { replace: true })}
          >
            <option value="">{t('map.worldView')}</option>
            {theatres.map((name) => <option key={name} value={name}>{name}</option>)}
          </select>
        </div>
      </div>
      <div className="card card-flush">
        <TruceMap theatre={theatre || null} label={t('map.label', { place: theatre || t('map.world') })} className="map-large" />
      </div>
    </section>
  )
}
