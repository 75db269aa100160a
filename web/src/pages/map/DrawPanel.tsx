// Drawing and editing features, for those who may (geo.edit): choose a layer, draw an area or a
// line or place a site, then say what it is — the fields depend on the layer's kind (the actor
// holding an area of control, found by name; a zone's kind; an access area's status; a site's kind
// and protection radius), when it holds, how sure, from what source, and who may see it. An edit
// of one of the party's own features is sent as a new version (PUT); the old one stays, retracted.
// A 400 is shown next to the field it names.
import type { Geometry } from 'geojson'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react'
import {
  ACCESS_STATUSES, api, ApiError, SITE_KINDS, ZONE_KINDS, type AccessStatus, type Confidence, type GeoFeature, type GeoFeatureInput,
  type GeoLayer, type GeoLayerKind, type SiteKind, type Visibility, type ZoneKind,
} from '../../api.ts'
import { ErrorMessage } from '../../components/ErrorMessage.tsx'
import { SigningNote } from '../../components/SigningNote.tsx'
import { LANGUAGE_NAMES, useI18n, type MessageKey } from '../../i18n/index.tsx'
import { dateOfInstant, instantOf, isIsoDate } from '../../map/dates.ts'
import { editableShape, shapeGeometry, type DrawShape } from '../../map/overlays.ts'
import { useSession } from '../../session.tsx'
import { useResource } from '../../useResource.ts'
import { RetractForm } from './AttributionPanel.tsx'
import { minVertices, useDrawing } from './useDrawing.ts'

/** The shapes each kind of layer holds (the server's rule, said again to offer only those). */
export const SHAPES: Readonly<Record<GeoLayerKind, readonly DrawShape[]>> = {
  admin: ['polygon'],
  control: ['polygon'],
  access: ['polygon'],
  zone: ['polygon', 'line'],
  site: ['point'],
}

/** The form's fields for each kind, each the body field it sends. */
const KIND_FIELDS: Readonly<Record<GeoLayerKind, readonly string[]>> = {
  admin: ['externalId'],
  control: ['actorId', 'confidence'],
  zone: ['zoneKind', 'confidence'],
  access: ['accessStatus', 'population', 'criteria', 'confidence'],
  site: ['siteKind', 'radiusM', 'confidence'],
}
const COMMON = ['validFrom', 'validTo', 'source', 'visibility'] as const
const VISIBILITY_CHOICES: readonly Visibility[] = ['parties', 'public', 'internal']

/** An actor found by part of its name (GET /api/actors?q=), chosen from the answers. */
export function ActorSearch({ id, value, onChange, invalid, describedBy }: {
  id: string; value: string; onChange: (id: string) => void; invalid: boolean; describedBy: string | undefined
}) {
  const { t, pick } = useI18n()
  const [text, setText] = useState('')
  const [searched, setSearched] = useState<string | null>(null)
  const found = useResource(searched === null ? null : `geo-actor-search|${searched}`, () => api.actors({ q: searched ?? '' }))
  const chosen = useResource(value === '' ? null : `actor|${value}`, () => api.actor(value))
  const find = () => {
    if (text.trim() !== '') setSearched(text.trim())
  }
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault()
      find()
    }
  }
  return (
    <div className="actor-search" data-testid="actor-search">
      {value !== '' && (
        <p className="small" data-testid="actor-chosen" data-actor={value}>
          {t('geo.actorChosen')}: <strong dir="auto">{chosen.data ? (pick(chosen.data.displayName)?.text ?? value) : value}</strong>
        </p>
      )}
      <div className="match-picker-search">
        <input id={id} type="search" dir="auto" value={text} placeholder={t('geo.actorSearchPlaceholder')} data-testid="actor-search-input"
          aria-invalid={invalid || undefined} aria-describedby={describedBy} onChange={(e) => setText(e.target.value)} onKeyDown={onKey} />
        <button type="button" className="button button-secondary" data-testid="actor-search-find" onClick={find}>{t('match.find')}</button>
      </div>
      {found.loading && <p className="loading small" role="status">{t('common.loading')}</p>}
      {found.error && <ErrorMessage error={found.error} onRetry={() => void found.reload()} />}
      {found.data && (found.data.items.length === 0
        ? <p className="muted small" data-testid="actor-search-none">{t('geo.actorNone')}</p>
        : (
          <ul className="match-choices" data-testid="actor-choices">
            {found.data.items.slice(0, 12).map((a) => (
              <li key={a.id}>
                <label className="match-choice" data-testid="actor-choice" data-actor={a.id}>
                  <input type="radio" name={`${id}-choice`} value={a.id} checked={value === a.id} onChange={() => onChange(a.id)} />
                  <span><strong dir="auto">{pick(a.displayName)?.text ?? a.id}</strong> <span className="muted small">{t(`actorType.${a.type}` as MessageKey)}</span></span>
                </label>
              </li>
            ))}
          </ul>
        ))}
    </div>
  )
}

type Props = {
  map: MapLibreMap | null
  layers: readonly GeoLayer[]
  /** A feature of the reader's party to edit, chosen elsewhere on the page (null: none). */
  editId: string | null
  onEditDone: () => void
  /** While a shape is being drawn or adjusted, clicks on the map belong to the drawing. */
  onActive: (active: boolean) => void
  onSaved: (feature: GeoFeature) => void
  onRetracted: () => void
}

const blankValues = (kind: GeoLayerKind | undefined): Record<string, string> =>
  ({ confidence: kind === 'control' ? 'medium' : '', visibility: 'parties', zoneKind: 'other', siteKind: 'other', accessStatus: 'besieged', radiusM: '' })

export function DrawPanel({ map, layers, editId, onEditDone, onActive, onSaved, onRetracted }: Props) {
  const { t, lang, pick } = useI18n()
  const session = useSession()
  const [layerSlug, setLayerSlug] = useState<string>('')
  const layer = layers.find((l) => l.slug === layerSlug) ?? layers.find((l) => l.kind === 'control') ?? layers[0]
  const kind = layer?.kind
  const [values, setValues] = useState<Record<string, string>>(() => blankValues(kind))
  const [error, setError] = useState<ApiError | null>(null)
  const [saving, setSaving] = useState(false)
  const [saved, setSaved] = useState<GeoFeature | null>(null)
  const [editing, setEditing] = useState<GeoFeature | null>(null)
  /** An edited feature whose shape cannot be adjusted vertex by vertex keeps its geometry unless drawn again. */
  const [keptGeometry, setKeptGeometry] = useState<Geometry | null>(null)
  const radius = Number(values.radiusM)
  const drawing = useDrawing(map, kind === 'site' && Number.isFinite(radius) ? radius : 0)
  const panel = useRef<HTMLElement>(null)

  const active = drawing.step !== 'idle' || keptGeometry !== null
  useEffect(() => {
    onActive(drawing.step !== 'idle')
  }, [drawing.step, onActive])

  // Loading a feature to edit: its layer, its shape on the map, its fields in the form.
  const toEdit = useResource(editId === null ? null : `geo-feature|${editId}`, () => api.geoFeature(editId!))
  const loadedEdit = useRef<string | null>(null)
  useEffect(() => {
    const f = toEdit.data
    if (!f || loadedEdit.current === f.id) return
    loadedEdit.current = f.id
    const p = f.properties
    setEditing(f)
    setLayerSlug(p.layer)
    setError(null)
    setSaved(null)
    const name = pick(p.name)
    setValues({
      ...blankValues(p.kind),
      name: name?.text ?? '', externalId: p.externalId ?? '', actorId: p.actorId ?? '', confidence: p.confidence ?? '',
      zoneKind: p.zoneKind ?? 'other', accessStatus: p.accessStatus ?? 'besieged', population: p.population === null ? '' : String(p.population),
      criteria: p.criteria ?? '', siteKind: p.siteKind ?? 'other', radiusM: p.radiusM === null ? '' : String(p.radiusM),
      validFrom: dateOfInstant(p.validFrom) ?? '', validTo: dateOfInstant(p.validTo) ?? '', source: p.source, visibility: p.visibility === 'restricted' ? 'parties' : p.visibility,
    })
    const shape = editableShape(f.geometry)
    if (shape) {
      setKeptGeometry(null)
      drawing.load(shape.shape, shape.vertices)
    } else {
      setKeptGeometry(f.geometry)
      drawing.cancel()
    }
    panel.current?.scrollIntoView({ block: 'nearest' })
    // Only a newly loaded feature matters here (drawing.load is a new function every render).
  }, [toEdit.data])

  const set = (k: string, v: string) => {
    setValues((old) => ({ ...old, [k]: v }))
    setSaved(null)
    // What the server said about this field no longer holds once it is changed.
    setError((e) => {
      if (!e) return e
      const rest = e.details.filter((d) => d.path !== `body.${k}`)
      if (rest.length === e.details.length) return e
      return rest.length === 0 ? null : new ApiError(e.status, e.code, e.message, rest, e.requestId)
    })
  }

  const reset = (keep: GeoFeature | null) => {
    drawing.cancel()
    setEditing(null)
    setKeptGeometry(null)
    loadedEdit.current = null
    setError(null)
    setSaved(keep)
    setValues((old) => ({ ...blankValues(kind), source: old.source ?? '', visibility: old.visibility ?? 'parties' }))
    if (editId !== null) onEditDone()
  }

  const chooseLayer = (slug: string) => {
    const next = layers.find((l) => l.slug === slug)
    setLayerSlug(slug)
    setError(null)
    setSaved(null)
    // A shape of a kind the new layer does not hold is dropped.
    if (next && !SHAPES[next.kind].includes(drawing.shape)) drawing.cancel()
    setValues((old) => ({ ...old, confidence: old.confidence || (next?.kind === 'control' ? 'medium' : '') }))
  }

  const fieldErrors = (k: string) => error?.details.filter((d) => d.path === `body.${k}` || d.path?.startsWith(`body.${k}.`)) ?? []
  const shown = kind ? ['geometry', 'name', ...KIND_FIELDS[kind], ...COMMON] : []
  const general = error && new ApiError(error.status, error.code, error.message,
    error.details.filter((d) => !d.path || !shown.some((k) => d.path === `body.${k}` || d.path!.startsWith(`body.${k}.`))), error.requestId)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!layer || !kind) return
    const geometry = drawing.step === 'drawn' ? shapeGeometry(drawing.shape, drawing.vertices) : keptGeometry
    if (!geometry) return
    const text = (k: string) => values[k]?.trim() ?? ''
    const body: GeoFeatureInput = {
      geometry, source: text('source'), visibility: (values.visibility ?? 'parties') as Visibility,
      validFrom: isIsoDate(text('validFrom')) ? instantOf(text('validFrom')) : null,
      validTo: isIsoDate(text('validTo')) ? instantOf(text('validTo')) : null,
    }
    // A name in the reader's language; an edit keeps the feature's names in other languages.
    const others = Object.fromEntries(Object.entries(editing?.properties.name ?? {}).filter(([l]) => l !== lang))
    const name = text('name')
    if (name !== '' || Object.keys(others).length > 0) body.name = name === '' ? others : { ...others, [lang]: name }
    if (text('confidence') !== '') body.confidence = text('confidence') as Confidence
    if (kind === 'admin' && text('externalId') !== '') body.externalId = text('externalId')
    if (kind === 'control' && text('actorId') !== '') body.actorId = text('actorId')
    if (kind === 'zone') body.zoneKind = text('zoneKind') as ZoneKind
    if (kind === 'access') {
      body.accessStatus = text('accessStatus') as AccessStatus
      if (text('population') !== '') body.population = Number(text('population'))
      if (text('criteria') !== '') body.criteria = text('criteria')
    }
    if (kind === 'site') {
      body.siteKind = text('siteKind') as SiteKind
      if (text('radiusM') !== '') body.radiusM = Number(text('radiusM'))
    }
    setSaving(true)
    setError(null)
    try {
      const feature = editing ? await api.replaceGeoFeature(editing.id, body) : await api.addGeoFeature(layer.slug, body)
      reset(feature)
      onSaved(feature)
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'client_error', String(err)))
    } finally {
      setSaving(false)
    }
  }

  if (!session.can('geo.edit')) return null

  const field = (k: string, label: MessageKey, control: (invalid: boolean, describedBy: string | undefined) => ReactNode, hint?: ReactNode) => {
    const errs = fieldErrors(k)
    const describedBy = errs.length > 0 ? `feature-${k}-error` : undefined
    return (
      <div className="field" key={k} data-field={k}>
        <label htmlFor={`feature-${k}`}>{t(label)}</label>
        {control(errs.length > 0, describedBy)}
        {hint}
        {errs.map((d, i) => <p key={i} className="field-error" id={`feature-${k}-error`} role="alert" data-testid="field-error" data-path={d.path} dir="auto">{d.message}</p>)}
      </div>
    )
  }
  const input = (k: string, label: MessageKey, type: 'text' | 'date' | 'number' = 'text', extra: { min?: number; step?: number } = {}) =>
    field(k, label, (invalid, describedBy) => (
      <input id={`feature-${k}`} type={type} dir={type === 'text' ? 'auto' : 'ltr'} value={values[k] ?? ''} data-testid={`feature-${k}`}
        aria-invalid={invalid || undefined} aria-describedby={describedBy} onChange={(e) => set(k, e.target.value)} {...extra} />
    ))
  const select = (k: string, label: MessageKey, options: readonly { value: string; label: string }[]) =>
    field(k, label, (invalid, describedBy) => (
      <select id={`feature-${k}`} value={values[k] ?? ''} data-testid={`feature-${k}`} aria-invalid={invalid || undefined} aria-describedby={describedBy}
        onChange={(e) => set(k, e.target.value)}>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    ))

  const control = (k: string) => {
    switch (k) {
      case 'externalId': return input(k, 'geo.field.externalId')
      case 'actorId': return field(k, 'geo.field.actorId', (invalid, describedBy) => (
        <ActorSearch id="feature-actorId" value={values.actorId ?? ''} onChange={(id) => set('actorId', id)} invalid={invalid} describedBy={describedBy} />
      ))
      case 'confidence': return select(k, 'geo.field.confidence', [
        ...(kind === 'control' ? [] : [{ value: '', label: t('geo.notSaid') }]),
        ...(['high', 'medium', 'low'] as const).map((c) => ({ value: c, label: t(`confidence.${c}` as MessageKey) })),
      ])
      case 'zoneKind': return select(k, 'geo.field.zoneKind', ZONE_KINDS.map((z) => ({ value: z, label: t(`zoneKind.${z}` as MessageKey) })))
      case 'accessStatus': return select(k, 'geo.field.accessStatus', ACCESS_STATUSES.map((s) => ({ value: s, label: t(`accessStatus.${s}` as MessageKey) })))
      case 'population': return input(k, 'geo.field.population', 'number', { min: 0, step: 1 })
      case 'criteria': return input(k, 'geo.field.criteria')
      case 'siteKind': return select(k, 'geo.field.siteKind', SITE_KINDS.map((s) => ({ value: s, label: t(`siteKind.${s}` as MessageKey) })))
      case 'radiusM': return input(k, 'geo.field.radiusM', 'number', { min: 0, step: 10 })
      case 'validFrom': return input(k, 'geo.field.validFrom', 'date')
      case 'validTo': return input(k, 'geo.field.validTo', 'date')
      case 'source': return input(k, 'geo.field.source')
      case 'visibility': return select(k, 'geo.field.visibility', VISIBILITY_CHOICES.map((v) => ({ value: v, label: t(`visibility.${v}` as MessageKey) })))
      default: return null
    }
  }

  const shapeErrors = fieldErrors('geometry')
  const instructions: MessageKey = drawing.shape === 'point' ? 'geo.drawPointHelp' : drawing.shape === 'line' ? 'geo.drawLineHelp' : 'geo.drawPolygonHelp'
  const ready = drawing.step === 'drawn' || keptGeometry !== null

  return (
    <section ref={panel} className="card map-panel-section" aria-labelledby="map-draw-title" data-testid="draw-panel" data-step={drawing.step}
      data-editing={editing?.id ?? ''}>
      <h2 id="map-draw-title">{editing ? t('geo.editTitle') : t('geo.drawTitle')}</h2>
      {layers.length === 0 ? <p className="muted small">{t('geo.noLayersToDraw')}</p> : (
        <>
          <div className="field">
            <label htmlFor="draw-layer">{t('geo.drawLayer')}</label>
            <select id="draw-layer" value={layer?.slug ?? ''} data-testid="draw-layer" disabled={editing !== null}
              onChange={(e) => chooseLayer(e.target.value)}>
              {layers.map((l) => <option key={l.slug} value={l.slug}>{pick(l.title)?.text ?? l.slug} ({t(`geoKind.${l.kind}` as MessageKey)})</option>)}
            </select>
          </div>

          {!active && kind && (
            <div className="button-row draw-start">
              {SHAPES[kind].map((shape) => (
                <button key={shape} type="button" className="button button-secondary" data-testid={`draw-${shape}`} onClick={() => { setSaved(null); drawing.start(shape) }}>
                  {t(`geo.draw.${shape}` as MessageKey)}
                </button>
              ))}
            </div>
          )}

          {drawing.step === 'drawing' && (
            <div className="draw-status" data-testid="draw-status">
              <p className="small" role="status">{t(instructions)}</p>
              <p className="small muted" data-testid="draw-vertices" data-count={drawing.vertices.length}>
                {t('geo.vertexCount', { count: drawing.vertices.length, needed: minVertices(drawing.shape) })}
              </p>
              <div className="button-row">
                <button type="button" className="button button-secondary button-small" data-testid="draw-add-centre" onClick={drawing.addAtCentre}>{t('geo.addAtCentre')}</button>
                {drawing.shape !== 'point' && (
                  <>
                    <button type="button" className="button button-secondary button-small" data-testid="draw-undo" disabled={drawing.vertices.length === 0} onClick={drawing.undo}>{t('geo.undoVertex')}</button>
                    <button type="button" className="button button-primary button-small" data-testid="draw-finish" disabled={!drawing.canFinish} onClick={drawing.finish}>{t('geo.finish')}</button>
                  </>
                )}
                <button type="button" className="button button-secondary button-small" data-testid="draw-cancel" onClick={() => reset(null)}>{t('geo.cancel')}</button>
              </div>
            </div>
          )}

          {ready && kind && (
            <form className="form form-compact feature-form" onSubmit={(e) => void submit(e)} noValidate data-testid="feature-form" data-kind={kind}>
              <div className="field" data-field="geometry">
                <span className="field-label">{t('geo.field.shape')}</span>
                <p className="small" data-testid="draw-shape-summary">
                  {keptGeometry !== null && drawing.step === 'idle'
                    ? t('geo.shapeKept')
                    : t('geo.shapeDrawn', { count: drawing.vertices.length }) + (drawing.shape === 'point' ? '' : ` ${t('geo.dragToAdjust')}`)}
                </p>
                <div className="button-row">
                  {SHAPES[kind].map((shape) => (
                    <button key={shape} type="button" className="button button-secondary button-small" data-testid={`redraw-${shape}`}
                      onClick={() => drawing.start(shape)}>
                      {t('geo.redraw')}{SHAPES[kind].length > 1 ? ` (${t(`geo.draw.${shape}` as MessageKey)})` : ''}
                    </button>
                  ))}
                </div>
                {shapeErrors.map((d, i) => <p key={i} className="field-error" role="alert" data-testid="field-error" data-path={d.path} dir="auto">{d.message}</p>)}
              </div>
              {field('name', 'geo.field.name', (invalid, describedBy) => (
                <input id="feature-name" dir="auto" value={values.name ?? ''} data-testid="feature-name" aria-invalid={invalid || undefined}
                  aria-describedby={describedBy} onChange={(e) => set('name', e.target.value)} />
              ), <p className="hint">{t('geo.nameHint', { language: LANGUAGE_NAMES[lang] })}</p>)}
              {KIND_FIELDS[kind].map(control)}
              <div className="form-row">
                {control('validFrom')}
                {control('validTo')}
              </div>
              <p className="hint">{t('geo.validHint')}</p>
              {control('source')}
              {control('visibility')}
              {error && general && (general.details.length > 0 || error.details.length === 0) && <ErrorMessage error={general} testId="feature-error" />}
              <SigningNote />
              <div className="button-row">
                <button type="submit" className="button button-primary" disabled={saving} data-testid="feature-save">
                  {saving ? t('geo.saving') : editing ? t('geo.saveVersion') : t('geo.save')}
                </button>
                <button type="button" className="button button-secondary" data-testid="feature-cancel" onClick={() => reset(null)}>{t('geo.cancel')}</button>
              </div>
              {editing && (
                <RetractForm featureId={editing.id} onDone={() => { reset(null); onRetracted() }} />
              )}
            </form>
          )}
          {saved && (
            <p className="alert alert-success" role="status" data-testid="feature-saved" data-feature={saved.id}>
              {saved.properties.replaces ? t('geo.savedVersion') : t('geo.saved')}
            </p>
          )}
        </>
      )}
    </section>
  )
}
