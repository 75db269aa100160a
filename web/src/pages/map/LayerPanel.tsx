// The map's layers, grouped by kind, each with a checkbox to show or hide it, its colour, and how
// many of its features hold on the date; the areas of control with the claimant filter and the
// legend of claimants' colours.
import { GEO_LAYER_KINDS, type GeoLayer, type GeoLayerKind, type Party } from '../../api.ts'
import { useI18n, type MessageKey } from '../../i18n/index.tsx'
import { claimantColour, KIND_COLOURS } from '../../map/overlays.ts'

export type LayerState = { count: number; at: string | null; loading: boolean; failed: boolean }

type Props = {
  layers: readonly GeoLayer[]
  hidden: ReadonlySet<string>
  onToggle: (slug: string, visible: boolean) => void
  state: Readonly<Record<string, LayerState>>
  onZoom: (slug: string) => void
  /** Parties claiming the control areas shown, and every party (for names and colours). */
  claimants: readonly string[]
  parties: readonly Party[]
  partyIds: readonly string[]
  claimant: string
  onClaimant: (partyId: string) => void
}

/** A square of the colour, for the eye only: the words beside it say what it is. */
export function Swatch({ colour, kind }: { colour: string; kind: GeoLayerKind | 'claimant' }) {
  return <span className={`swatch swatch-${kind}`} style={{ backgroundColor: colour, borderColor: colour }} aria-hidden="true" />
}

export function usePartyLabel(parties: readonly Party[]): (id: string) => string {
  const { pick, t } = useI18n()
  return (id) => {
    const party = parties.find((p) => p.id === id)
    return party ? (pick(party.name)?.text ?? party.slug) : t('geo.unknownParty')
  }
}

export function LayerPanel({ layers, hidden, onToggle, state, onZoom, claimants, parties, partyIds, claimant, onClaimant }: Props) {
  const { t, pick } = useI18n()
  const partyLabel = usePartyLabel(parties)
  const kinds = GEO_LAYER_KINDS.filter((k) => layers.some((l) => l.kind === k))

  return (
    <section className="card map-panel-section" aria-labelledby="map-layers-title" data-testid="layer-panel">
      <h2 id="map-layers-title">{t('geo.layers')}</h2>
      {layers.length === 0 && <p className="empty" data-testid="layers-none">{t('geo.noLayers')}</p>}
      {kinds.map((kind) => (
        <fieldset key={kind} className="layer-group" data-kind={kind}>
          <legend>
            <Swatch colour={KIND_COLOURS[kind]} kind={kind} /> {t(`geoKind.${kind}` as MessageKey)}
          </legend>
          <ul className="layer-list">
            {layers.filter((l) => l.kind === kind).map((l) => {
              const s = state[l.slug]
              const visible = !hidden.has(l.slug)
              const title = pick(l.title)
              return (
                <li
                  key={l.slug} className="layer-row" data-testid="layer-row" data-layer={l.slug} data-kind={l.kind}
                  data-visible={visible} data-at={s?.at ?? ''} data-count={s?.count ?? ''} aria-busy={s?.loading ?? false}
                >
                  <label className="layer-toggle">
                    <input type="checkbox" checked={visible} data-testid="layer-toggle" onChange={(e) => onToggle(l.slug, e.target.checked)} />
                    <span lang={title?.lang} dir="auto" className="layer-title">{title?.text ?? l.slug}</span>
                  </label>
                  <span className="layer-meta small muted" data-testid="layer-count">
                    {!visible ? t('geo.hidden') : s?.failed ? t('geo.layerFailed') : s === undefined || s.loading ? t('geo.loading') : t('geo.featureCount', { count: s.count })}
                  </span>
                  {visible && (s?.count ?? 0) > 0 && (
                    <button type="button" className="link-button small" data-testid="layer-zoom" onClick={() => onZoom(l.slug)}>
                      {t('geo.zoomTo')}<span className="visually-hidden"> {title?.text ?? l.slug}</span>
                    </button>
                  )}
                </li>
              )
            })}
          </ul>
          {kind === 'control' && (
            <div className="claimants">
              <div className="field">
                <label htmlFor="map-claimant">{t('geo.claimant')}</label>
                <select id="map-claimant" value={claimant} data-testid="map-claimant" onChange={(e) => onClaimant(e.target.value)}>
                  <option value="">{t('geo.allClaimants')}</option>
                  {[...new Set([...claimants, ...(claimant ? [claimant] : [])])].map((id) => (
                    <option key={id} value={id}>{partyLabel(id)}</option>
                  ))}
                </select>
              </div>
              {claimants.length > 0 && (
                <ul className="legend" aria-label={t('geo.legend')} data-testid="claimant-legend">
                  {claimants.map((id) => (
                    <li key={id} data-testid="legend-claimant" data-party={id} data-shown={claimant === '' || claimant === id}>
                      <Swatch colour={claimantColour(id, partyIds)} kind="claimant" /> {t('geo.claimedBy', { party: partyLabel(id) })}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </fieldset>
      ))}
    </section>
  )
}
