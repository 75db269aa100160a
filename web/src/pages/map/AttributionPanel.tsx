// "What is here": the place clicked on the map (or typed in) attributed on the map's date — the
// admin units holding it (or the nearest one and how far), each party's claim of control over it,
// the agreement zones and access areas it is in, and the protected sites near it with their
// distances. A claim of the reader's own party can be edited or retracted from here.
import { useMemo, useState, type FormEvent, type ReactNode } from 'react'
import { ACCESS_STATUSES, api, ApiError, SITE_KINDS, ZONE_KINDS, type Attribution, type LangText, type Party } from '../../api.ts'
import { ErrorMessage } from '../../components/ErrorMessage.tsx'
import { dirOf, useI18n, type MessageKey } from '../../i18n/index.tsx'
import { claimantColour } from '../../map/overlays.ts'
import { useSession } from '../../session.tsx'
import { useResource } from '../../useResource.ts'
import { Swatch, usePartyLabel } from './LayerPanel.tsx'

export type Place = { lon: number; lat: number }

type Props = {
  place: Place | null
  onPlace: (place: Place) => void
  date: string
  at: string
  /** Changes after every write, so the answer is asked for again. */
  revision: number
  parties: readonly Party[]
  partyIds: readonly string[]
  onEdit: (featureId: string) => void
  onRetracted: () => void
}

/** A kind in words when it is one the interface knows; the server's own word otherwise. */
function useKindName(): (prefix: 'zoneKind' | 'siteKind' | 'accessStatus', value: string) => string {
  const { t } = useI18n()
  const known: Record<string, readonly string[]> = { zoneKind: ZONE_KINDS, siteKind: SITE_KINDS, accessStatus: ACCESS_STATUSES }
  return (prefix, value) => (known[prefix]!.includes(value) ? t(`${prefix}.${value}` as MessageKey) : value)
}

/** Protected sites within this many metres are asked about (the server's default). */
const WITHIN_M = 5000

export function useDistance(): (metres: number) => string {
  const { lang, t } = useI18n()
  const km = useMemo(() => new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }), [lang])
  const m = useMemo(() => new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }), [lang])
  return (metres) => (metres >= 1000 ? t('geo.km', { value: km.format(metres / 1000) }) : t('geo.m', { value: m.format(metres) }))
}

function Name({ text, fallback }: { text: LangText; fallback: string }) {
  const { pick } = useI18n()
  const picked = pick(text)
  return picked ? <bdi lang={picked.lang} dir={dirOf(picked.lang)}>{picked.text}</bdi> : <span className="muted">{fallback}</span>
}

function Validity({ from, to }: { from: string | null; to: string | null }) {
  const { t, formatDate } = useI18n()
  if (from === null && to === null) return null
  return <span className="muted small"> · {t('geo.validSpan', { from: from ? formatDate(from) : '…', to: to ? formatDate(to) : '…' })}</span>
}

/** Retracting one of the party's own features: a reason, then the request. */
export function RetractForm({ featureId, onDone }: { featureId: string; onDone: () => void }) {
  const { t } = useI18n()
  const [reason, setReason] = useState('')
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await api.retractGeoFeature(featureId, reason)
      onDone()
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'client_error', String(err)))
    } finally {
      setBusy(false)
    }
  }
  const reasonError = error?.details.find((d) => d.path === 'body.reason')
  return (
    <details className="disclosure disclosure-action retract" data-testid="retract">
      <summary>{t('geo.retract')}</summary>
      <form className="form form-compact" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor={`retract-${featureId}`}>{t('geo.retractReason')}</label>
          <input
            id={`retract-${featureId}`} dir="auto" value={reason} required data-testid="retract-reason"
            aria-invalid={reasonError ? true : undefined} aria-describedby={reasonError ? `retract-${featureId}-error` : undefined}
            onChange={(e) => setReason(e.target.value)}
          />
          {reasonError && <p className="field-error" id={`retract-${featureId}-error`} role="alert" dir="auto">{reasonError.message}</p>}
        </div>
        {error && !reasonError && <ErrorMessage error={error} testId="retract-error" />}
        <button type="submit" className="button button-secondary" disabled={busy} data-testid="retract-submit">
          {busy ? t('geo.retracting') : t('geo.retractConfirm')}
        </button>
      </form>
    </details>
  )
}

export function AttributionPanel({ place, onPlace, date, at, revision, parties, partyIds, onEdit, onRetracted }: Props) {
  const { t, formatDate, lang, pick } = useI18n()
  const session = useSession()
  const distance = useDistance()
  const kindName = useKindName()
  const partyLabel = usePartyLabel(parties)
  const coordinate = useMemo(() => new Intl.NumberFormat(lang, { minimumFractionDigits: 4, maximumFractionDigits: 4 }), [lang])
  const [lon, setLon] = useState('')
  const [lat, setLat] = useState('')
  const [typedError, setTypedError] = useState(false)
  const answer = useResource(place === null ? null : `attribute|${place.lon}|${place.lat}|${at}|${revision}|${session.me?.userId ?? ''}`,
    () => api.attribute({ lon: place!.lon, lat: place!.lat, at, within: WITHIN_M }))
  const actorIds = [...new Set((answer.data?.control ?? []).map((c) => c.actorId).filter((x): x is string => x !== null))].sort()
  const canReadActors = session.can('actor.read')
  const actors = useResource(canReadActors && actorIds.length > 0 ? `attribute-actors|${actorIds.join(',')}` : null,
    () => Promise.all(actorIds.map((id) => api.actor(id).catch(() => null))))
  const actorName = (id: string | null) => {
    if (id === null) return t('geo.noActor')
    const found = actors.data?.find((a) => a?.id === id)
    return found ? (pick(found.displayName)?.text ?? id) : t('geo.actorUnnamed')
  }
  const mine = (claimant: string) => session.can('geo.edit') && session.me?.partyId === claimant

  const own = (featureId: string, claimant: string): ReactNode => mine(claimant) && (
    <div className="hit-actions">
      <button type="button" className="link-button small" data-testid="hit-edit" onClick={() => onEdit(featureId)}>{t('geo.edit')}</button>
      <RetractForm featureId={featureId} onDone={onRetracted} />
    </div>
  )

  const typed = (e: FormEvent) => {
    e.preventDefault()
    const x = Number(lon.replace(',', '.'))
    const y = Number(lat.replace(',', '.'))
    const ok = lon.trim() !== '' && lat.trim() !== '' && Number.isFinite(x) && Number.isFinite(y) && Math.abs(x) <= 180 && Math.abs(y) <= 90
    setTypedError(!ok)
    if (ok) onPlace({ lon: x, lat: y })
  }

  const a: Attribution | undefined = answer.data
  return (
    <section className="card map-panel-section" aria-labelledby="map-here-title" data-testid="attribution">
      <h2 id="map-here-title">{t('geo.whatIsHere')}</h2>
      <p className="hint">{t('geo.whatIsHereHint')}</p>
      <form className="place-form" onSubmit={typed} noValidate data-testid="place-form">
        <div className="field">
          <label htmlFor="place-lat">{t('geo.latitude')}</label>
          <input id="place-lat" inputMode="decimal" dir="ltr" value={lat} data-testid="place-lat" onChange={(e) => setLat(e.target.value)}
            aria-invalid={typedError || undefined} aria-describedby={typedError ? 'place-error' : undefined} />
        </div>
        <div className="field">
          <label htmlFor="place-lon">{t('geo.longitude')}</label>
          <input id="place-lon" inputMode="decimal" dir="ltr" value={lon} data-testid="place-lon" onChange={(e) => setLon(e.target.value)}
            aria-invalid={typedError || undefined} aria-describedby={typedError ? 'place-error' : undefined} />
        </div>
        <button type="submit" className="button button-secondary" data-testid="place-submit">{t('geo.lookUp')}</button>
      </form>
      {typedError && <p className="field-error" id="place-error" role="alert">{t('geo.placeInvalid')}</p>}

      {place === null && <p className="muted small">{t('geo.clickToAsk')}</p>}
      {place !== null && (
        <div className="attribution" aria-live="polite" aria-busy={answer.loading} data-testid="attribution-result" data-loading={answer.loading}
          data-lon={place.lon} data-lat={place.lat}>
          <p className="small" data-testid="attribution-place">
            <span dir="ltr">{coordinate.format(place.lat)}, {coordinate.format(place.lon)}</span>
            <span className="muted"> · {t('geo.onDate', { date: formatDate(date) })}</span>
          </p>
          {answer.loading && <p className="loading small" role="status">{t('common.loading')}</p>}
          {answer.error && <ErrorMessage error={answer.error} onRetry={() => void answer.reload()} />}
          {a && (
            <dl className="hits">
              <div>
                <dt>{t('geo.adminUnits')}</dt>
                <dd>
                  {a.admin.length > 0 ? (
                    <ul>
                      {a.admin.map((h) => (
                        <li key={h.featureId} data-testid="hit-admin" data-feature={h.featureId}>
                          <Name text={h.name} fallback={h.externalId ?? t('geo.unnamed')} />
                          {own(h.featureId, h.claimantPartyId)}
                        </li>
                      ))}
                    </ul>
                  ) : a.nearestAdmin.length > 0 ? (
                    <ul>
                      {a.nearestAdmin.map((h) => (
                        <li key={h.featureId} data-testid="hit-nearest" data-feature={h.featureId} data-distance={Math.round(h.distanceM)}>
                          {t('geo.outsideNearest')} <Name text={h.name} fallback={h.externalId ?? t('geo.unnamed')} />
                          <span className="muted"> · {t('geo.away', { distance: distance(h.distanceM) })}</span>
                        </li>
                      ))}
                    </ul>
                  ) : <span className="muted">{t('geo.none')}</span>}
                </dd>
              </div>
              <div>
                <dt>{t('geo.control')}</dt>
                <dd>
                  {a.control.length === 0 ? <span className="muted" data-testid="hit-control-none">{t('geo.noControl')}</span> : (
                    <ul>
                      {a.control.map((h) => (
                        <li key={h.featureId} data-testid="hit-control" data-feature={h.featureId} data-claimant={h.claimantPartyId}>
                          <Swatch colour={claimantColour(h.claimantPartyId, partyIds)} kind="claimant" />{' '}
                          <strong dir="auto">{actorName(h.actorId)}</strong>
                          <span> — {t('geo.claimedBy', { party: partyLabel(h.claimantPartyId) })}</span>
                          {h.confidence && <span className="muted small"> · {t(`confidence.${h.confidence}` as MessageKey)}</span>}
                          <Validity from={h.validFrom} to={h.validTo} />
                          {own(h.featureId, h.claimantPartyId)}
                        </li>
                      ))}
                    </ul>
                  )}
                  {a.control.length > 1 && new Set(a.control.map((c) => c.claimantPartyId)).size > 1 && (
                    <p className="hint" data-testid="control-disagreement">{t('geo.claimsDiffer')}</p>
                  )}
                </dd>
              </div>
              {a.zones.length > 0 && (
                <div>
                  <dt>{t('geo.zones')}</dt>
                  <dd>
                    <ul>
                      {a.zones.map((h) => (
                        <li key={h.featureId} data-testid="hit-zone" data-feature={h.featureId}>
                          <Name text={h.name} fallback={t('geo.unnamed')} />
                          {h.zoneKind && <span className="muted small"> · {kindName('zoneKind', h.zoneKind)}</span>}
                          {h.bufferM !== null && <span className="muted small"> · {distance(h.bufferM)}</span>}
                          {own(h.featureId, h.claimantPartyId)}
                        </li>
                      ))}
                    </ul>
                  </dd>
                </div>
              )}
              {a.access.length > 0 && (
                <div>
                  <dt>{t('geo.access')}</dt>
                  <dd>
                    <ul>
                      {a.access.map((h) => (
                        <li key={h.featureId} data-testid="hit-access" data-feature={h.featureId}>
                          <Name text={h.name} fallback={t('geo.unnamed')} />
                          {h.accessStatus && <span className="badge badge-access"> {kindName('accessStatus', h.accessStatus)}</span>}
                          {h.population !== null && <span className="muted small"> · {t('geo.population', { count: h.population })}</span>}
                          {own(h.featureId, h.claimantPartyId)}
                        </li>
                      ))}
                    </ul>
                  </dd>
                </div>
              )}
              <div>
                <dt>{t('geo.sitesNear', { distance: distance(WITHIN_M) })}</dt>
                <dd>
                  {a.sites.length === 0 ? <span className="muted">{t('geo.none')}</span> : (
                    <ul>
                      {a.sites.map((h) => (
                        <li key={h.featureId} data-testid="hit-site" data-feature={h.featureId} data-inside={h.insideRadius}>
                          <Name text={h.name} fallback={t('geo.unnamed')} />
                          {h.siteKind && <span className="muted small"> · {kindName('siteKind', h.siteKind)}</span>}
                          <span className="muted small"> · {t('geo.away', { distance: distance(h.distanceM) })}</span>
                          {h.insideRadius && <span className="badge badge-inside"> {t('geo.insideRadius')}</span>}
                          {own(h.featureId, h.claimantPartyId)}
                        </li>
                      ))}
                    </ul>
                  )}
                </dd>
              </div>
            </dl>
          )}
        </div>
      )}
    </section>
  )
}
