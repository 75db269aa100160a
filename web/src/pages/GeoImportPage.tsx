// Importing a file of features into a map layer (geo.import): choose a layer or create one, pick a
// GeoJSON, TopoJSON or zipped shapefile (its format read from its name and content, and
// overridable), say when the features hold, which properties name them, and what the layer's kind
// needs (the actor holding areas of control, an access status, a kind of site), then send it. The
// import runs as a job on the server; its progress is followed here, then its result — how many
// features, which ones had to be repaired and why — or the error, naming the feature it is about.
import { useMemo, useState, type FormEvent, type ReactNode } from 'react'
import {
  ACCESS_STATUSES, api, ApiError, GEO_IMPORT_FORMATS, GEO_LAYER_KINDS, SITE_KINDS, type AccessStatus, type Confidence, type ErrorDetail,
  type GeoImportFormat, type GeoImportOptions, type GeoImportResult, type GeoLayerKind, type SiteKind, type Visibility,
} from '../api.ts'
import { ErrorMessage } from '../components/ErrorMessage.tsx'
import { LANGUAGE_NAMES, LANGUAGES, useI18n, type MessageKey } from '../i18n/index.tsx'
import { instantOf, isIsoDate } from '../map/dates.ts'
import { Link } from '../router.tsx'
import { useSession } from '../session.tsx'
import { useImportJob } from '../useImportJob.ts'
import { SigningNote } from '../components/SigningNote.tsx'
import { useResource } from '../useResource.ts'
import { useTitle } from '../useTitle.ts'
import { ActorSearch } from './map/DrawPanel.tsx'
import { featureOf, fileNameFor, formatFromName, lookInside, type FileLook } from './map/importFile.ts'

const POLL_MS = 500
const NEW_LAYER = '__new__'
const LAYER_VISIBILITIES: readonly Visibility[] = ['parties', 'public', 'internal']
const PLACE_PARTS = ['entry', 'line', 'element', 'part', 'ring', 'position'] as const

type Picked = { name: string; size: number; bytes: ArrayBuffer; look: FileLook }

/** An error of the import: where it names a place in the file (a feature, a ring …), said as such. */
function ImportError({ error }: { error: ApiError }) {
  const { t } = useI18n()
  const located = error.details.filter((d) => featureOf(d) !== null || PLACE_PARTS.some((k) => d[k] !== undefined))
  if (located.length === 0) {
    return <div data-testid="import-error" data-error-code={error.code}><ErrorMessage error={error} testId="import-error-detail" /></div>
  }
  const place = (d: ErrorDetail) => {
    const parts: string[] = []
    const feature = featureOf(d)
    if (feature !== null) parts.push(t('geoImport.place.feature', { index: feature, number: feature + 1 }))
    for (const k of PLACE_PARTS) if (d[k] !== undefined) parts.push(t(`geoImport.place.${k}` as MessageKey, { value: String(d[k]) }))
    return parts.join(', ')
  }
  return (
    <div className="alert alert-error" role="alert" data-testid="import-error" data-error-code={error.code}>
      <p className="alert-text">{t('geoImport.refused')}</p>
      <ul className="alert-details">
        {located.map((d, i) => (
          <li key={i} data-testid="import-error-place" data-feature={featureOf(d) ?? ''}>
            <strong>{place(d)}</strong>: <span dir="ltr" lang="en">{d.message}</span>
          </li>
        ))}
      </ul>
      <p className="alert-meta">
        {t('common.errorCode')}: <code dir="ltr">{error.code}</code>
        {error.requestId && <> · {t('common.requestId')}: <bdi><code dir="ltr">{error.requestId}</code></bdi></>}
      </p>
    </div>
  )
}

export function GeoImportPage() {
  const { t, pick, formatDate, lang } = useI18n()
  const session = useSession()
  useTitle(t('geoImport.title'))
  const allowed = session.can('geo.import')
  const layers = useResource(allowed ? `${session.me?.userId ?? ''}|geo-layers` : null, () => api.geoLayers())
  const [layerChoice, setLayerChoice] = useState('')
  const [newLayer, setNewLayer] = useState<{ slug: string; kind: GeoLayerKind; title: string; visibility: Visibility }>({ slug: '', kind: 'admin', title: '', visibility: 'parties' })
  const [file, setFile] = useState<Picked | null>(null)
  const [fileFailed, setFileFailed] = useState(false)
  const [format, setFormat] = useState<GeoImportFormat | ''>('')
  const [options, setOptions] = useState({
    validFrom: '', validTo: '', idProperty: '', object: '', actor: '', confidence: '', accessStatus: 'besieged', siteKind: 'other', radiusM: '',
    source: '', visibility: 'parties',
  })
  /** Language → the property holding the name in it. */
  const [names, setNames] = useState<Record<string, string>>({})
  const { outcome, send, setOutcome } = useImportJob<GeoImportResult>(POLL_MS)
  const [layerError, setLayerError] = useState<ApiError | null>(null)
  const [importedInto, setImportedInto] = useState<string | null>(null)

  const items = useMemo(() => layers.data?.items ?? [], [layers.data])
  const choice = layerChoice || items[0]?.slug || NEW_LAYER
  const creating = choice === NEW_LAYER
  const kind: GeoLayerKind | undefined = creating ? newLayer.kind : items.find((l) => l.slug === choice)?.kind
  const detected = file ? (file.look.format ?? formatFromName(file.name)) : null
  const effectiveFormat: GeoImportFormat | null = format === '' ? detected : format

  const pickFile = async (picked: File | undefined) => {
    setOutcome({ kind: 'idle' })
    setFileFailed(false)
    setFormat('')
    if (!picked) {
      setFile(null)
      return
    }
    try {
      const bytes = await picked.arrayBuffer()
      const look = lookInside(new Uint8Array(bytes), formatFromName(picked.name))
      setFile({ name: picked.name, size: picked.size, bytes, look })
      setOptions((o) => ({ ...o, object: look.objects.length === 1 ? look.objects[0]! : '' }))
    } catch {
      setFile(null)
      setFileFailed(true)
    }
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!file || !effectiveFormat) return
    setLayerError(null)
    setOutcome({ kind: 'uploading' })
    let slug = choice
    try {
      if (creating) {
        const layer = await api.createGeoLayer({
          slug: newLayer.slug.trim(), kind: newLayer.kind, title: { [lang]: newLayer.title.trim() || newLayer.slug.trim() },
          visibility: newLayer.visibility,
        })
        slug = layer.slug
        await layers.reload()
        setLayerChoice(layer.slug)
      }
    } catch (err) {
      setLayerError(err instanceof ApiError ? err : new ApiError(0, 'client_error', String(err)))
      setOutcome({ kind: 'idle' })
      return
    }
    setImportedInto(slug)
    await send(() => {
      const text = (v: string) => v.trim() || undefined
      const nameMap = Object.fromEntries(Object.entries(names).map(([l, p]) => [l, p.trim()]).filter(([, p]) => p !== ''))
      const body: GeoImportOptions = {
        // The server reads the format from the bytes, and from the name only when they cannot tell.
        fileName: fileNameFor(file.name, effectiveFormat),
        object: text(options.object),
        validFrom: isIsoDate(options.validFrom) ? instantOf(options.validFrom) : undefined,
        validTo: isIsoDate(options.validTo) ? instantOf(options.validTo) : undefined,
        names: Object.keys(nameMap).length > 0 ? nameMap : undefined,
        idProperty: text(options.idProperty),
        source: text(options.source),
        visibility: options.visibility as Visibility,
        confidence: options.confidence === '' ? undefined : options.confidence as Confidence,
      }
      if (kind === 'control') body.actor = text(options.actor)
      if (kind === 'access') body.accessStatus = options.accessStatus as AccessStatus
      if (kind === 'site') {
        body.siteKind = options.siteKind as SiteKind
        if (options.radiusM.trim() !== '') body.radiusM = Number(options.radiusM)
      }
      return api.importGeoLayer(slug, file.bytes, body)
    })
  }

  if (session.me === null) return <p className="loading" role="status">{t('common.loading')}</p>
  if (!allowed) {
    return (
      <section className="page-narrow" aria-labelledby="geo-import-title">
        <h1 id="geo-import-title">{t('geoImport.title')}</h1>
        <p className="notice" data-testid="import-not-allowed">{session.user ? t('geoImport.notAllowed') : t('geoImport.signIn')}</p>
      </section>
    )
  }

  const layerFieldError = (k: string) => layerError?.details.filter((d) => d.path === `body.${k}`) ?? []
  const busy = outcome.kind === 'uploading' || outcome.kind === 'running'
  const layerInput = (k: 'slug' | 'title', label: MessageKey, hint?: MessageKey) => {
    const errs = layerFieldError(k)
    return (
      <div className="field">
        <label htmlFor={`new-layer-${k}`}>{t(label)}</label>
        <input id={`new-layer-${k}`} value={newLayer[k]} dir={k === 'slug' ? 'ltr' : 'auto'} data-testid={`new-layer-${k}`}
          aria-invalid={errs.length > 0 || undefined} aria-describedby={errs.length > 0 ? `new-layer-${k}-error` : hint ? `new-layer-${k}-hint` : undefined}
          onChange={(e) => setNewLayer((l) => ({ ...l, [k]: e.target.value }))} />
        {hint && <p className="hint" id={`new-layer-${k}-hint`}>{t(hint)}</p>}
        {errs.map((d, i) => <p key={i} className="field-error" id={`new-layer-${k}-error`} role="alert" data-testid="field-error" data-path={d.path} dir="auto">{d.message}</p>)}
      </div>
    )
  }
  const queryErrors = (k: string) => (outcome.kind === 'failed' ? outcome.error.details.filter((d) => d.path === `query.${k}`) : [])
  const optionField = (k: string, label: MessageKey, control: (invalid: boolean, describedBy: string | undefined) => ReactNode) => {
    const errs = queryErrors(k)
    const describedBy = errs.length > 0 ? `import-${k}-error` : undefined
    return (
      <div className="field" key={k}>
        <label htmlFor={`import-${k}`}>{t(label)}</label>
        {control(errs.length > 0, describedBy)}
        {errs.map((d, i) => <p key={i} className="field-error" id={`import-${k}-error`} role="alert" data-testid="field-error" data-path={d.path} dir="auto">{d.message}</p>)}
      </div>
    )
  }
  type OptionKey = keyof typeof options
  const option = (k: OptionKey, label: MessageKey, type: 'date' | 'text' | 'number', list?: string) => optionField(k, label, (invalid, describedBy) => (
    <input id={`import-${k}`} type={type} dir={type === 'text' && k === 'source' ? 'auto' : 'ltr'} value={options[k]} data-testid={`import-${k}`}
      list={list} aria-invalid={invalid || undefined} aria-describedby={describedBy} min={type === 'number' ? 0 : undefined}
      onChange={(e) => setOptions((o) => ({ ...o, [k]: e.target.value }))} />
  ))
  const choose = (k: OptionKey, label: MessageKey, choices: readonly { value: string; label: string }[]) => optionField(k, label, (invalid, describedBy) => (
    <select id={`import-${k}`} value={options[k]} data-testid={`import-${k}`} aria-invalid={invalid || undefined} aria-describedby={describedBy}
      onChange={(e) => setOptions((o) => ({ ...o, [k]: e.target.value }))}>
      {choices.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
    </select>
  ))
  const properties = (file?.look.properties.length ?? 0) > 0 ? 'import-properties' : undefined
  const nameErrors = queryErrors('names')
  const job = outcome.kind === 'running' ? outcome.job : null
  const formatLabel = (f: string) => ((GEO_IMPORT_FORMATS as readonly string[]).includes(f) ? t(`geoImport.format.${f}` as MessageKey) : f)

  return (
    <section aria-labelledby="geo-import-title" className="geo-import">
      <p className="breadcrumb"><Link to="/map"><span className="arrow" aria-hidden="true">←</span> {t('geoImport.back')}</Link></p>
      <div className="page-head">
        <div>
          <h1 id="geo-import-title">{t('geoImport.title')}</h1>
          <p className="muted">{t('geoImport.intro')}</p>
        </div>
      </div>
      {layers.error && <ErrorMessage error={layers.error} onRetry={() => void layers.reload()} />}
      <form className="form card" onSubmit={(e) => void submit(e)} noValidate data-testid="import-form" aria-busy={busy}>
        <fieldset className="form-section">
          <legend>{t('geoImport.layerStep')}</legend>
          <div className="field">
            <label htmlFor="import-layer">{t('geoImport.layer')}</label>
            <select id="import-layer" value={choice} data-testid="import-layer" onChange={(e) => { setLayerChoice(e.target.value); setLayerError(null) }}>
              {items.map((l) => <option key={l.slug} value={l.slug}>{pick(l.title)?.text ?? l.slug} ({t(`geoKind.${l.kind}` as MessageKey)})</option>)}
              <option value={NEW_LAYER}>{t('geoImport.newLayer')}</option>
            </select>
          </div>
          {creating && (
            <div className="form-row" data-testid="new-layer">
              {layerInput('slug', 'geoImport.layerSlug', 'geoImport.layerSlugHint')}
              {layerInput('title', 'geoImport.layerTitle')}
              <div className="field">
                <label htmlFor="new-layer-kind">{t('geoImport.layerKind')}</label>
                <select id="new-layer-kind" value={newLayer.kind} data-testid="new-layer-kind" onChange={(e) => setNewLayer((l) => ({ ...l, kind: e.target.value as GeoLayerKind }))}>
                  {GEO_LAYER_KINDS.map((k) => <option key={k} value={k}>{t(`geoKind.${k}` as MessageKey)}</option>)}
                </select>
              </div>
              <div className="field">
                <label htmlFor="new-layer-visibility">{t('geo.field.visibility')}</label>
                <select id="new-layer-visibility" value={newLayer.visibility} data-testid="new-layer-visibility" onChange={(e) => setNewLayer((l) => ({ ...l, visibility: e.target.value as Visibility }))}>
                  {LAYER_VISIBILITIES.map((v) => <option key={v} value={v}>{t(`visibility.${v}` as MessageKey)}</option>)}
                </select>
              </div>
            </div>
          )}
          {layerError && layerError.details.every((d) => d.path !== 'body.slug' && d.path !== 'body.title') && <ErrorMessage error={layerError} testId="layer-error" />}
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('geoImport.fileStep')}</legend>
          <div className="field">
            <label htmlFor="import-file">{t('geoImport.file')}</label>
            <input id="import-file" type="file" accept=".geojson,.json,.topojson,.zip,application/geo+json,application/json,application/zip"
              data-testid="import-file" aria-describedby="import-file-hint" onChange={(e) => void pickFile(e.target.files?.[0])} />
            <p className="hint" id="import-file-hint">{t('geoImport.fileHint')}</p>
            {fileFailed && <p className="field-error" role="alert">{t('geoImport.fileUnreadable')}</p>}
          </div>
          {file && (
            <p className="small" data-testid="import-file-facts" data-format={detected ?? ''}>
              <bdi dir="ltr">{file.name}</bdi> · {t('geoImport.size', { kb: Math.max(1, Math.round(file.size / 1024)) })}
              {file.look.features !== null && <> · {t('geoImport.featuresInFile', { count: file.look.features })}</>}
            </p>
          )}
          <div className="field">
            <label htmlFor="import-format">{t('geoImport.format')}</label>
            <select id="import-format" value={format} data-testid="import-format" onChange={(e) => setFormat(e.target.value as GeoImportFormat | '')} aria-describedby="import-format-hint">
              <option value="">{detected ? t('geoImport.formatDetected', { format: t(`geoImport.format.${detected}` as MessageKey) }) : t('geoImport.formatUnknown')}</option>
              {GEO_IMPORT_FORMATS.map((f) => <option key={f} value={f}>{t(`geoImport.format.${f}` as MessageKey)}</option>)}
            </select>
            <p className="hint" id="import-format-hint">{t('geoImport.formatHint')}</p>
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('geoImport.optionsStep')}</legend>
          <div className="form-row">
            {option('validFrom', 'geo.field.validFrom', 'date')}
            {option('validTo', 'geo.field.validTo', 'date')}
          </div>
          <fieldset className="names-fieldset" aria-describedby="import-names-hint">
            <legend className="field-label">{t('geoImport.nameProperties')}</legend>
            <div className="form-row">
              {LANGUAGES.map((l) => (
                <div className="field" key={l}>
                  <label htmlFor={`import-name-${l}`}>{LANGUAGE_NAMES[l]}</label>
                  <input id={`import-name-${l}`} dir="ltr" value={names[l] ?? ''} list={properties} data-testid={`import-name-${l}`}
                    aria-invalid={nameErrors.length > 0 || undefined} onChange={(e) => setNames((n) => ({ ...n, [l]: e.target.value }))} />
                </div>
              ))}
            </div>
            {nameErrors.map((d, i) => <p key={i} className="field-error" role="alert" data-testid="field-error" data-path={d.path} dir="auto">{d.message}</p>)}
          </fieldset>
          <div className="form-row">
            {option('idProperty', 'geoImport.idProperty', 'text', properties)}
          </div>
          {properties && (
            <datalist id="import-properties">{file!.look.properties.map((p) => <option key={p} value={p} />)}</datalist>
          )}
          <p className="hint" id="import-names-hint">{t('geoImport.propertiesHint')}</p>
          {kind === 'control' && optionField('actor', 'geoImport.actor', (invalid, describedBy) => (
            <ActorSearch id="import-actor" value={options.actor} onChange={(id) => setOptions((o) => ({ ...o, actor: id }))} invalid={invalid} describedBy={describedBy} />
          ))}
          {kind === 'access' && choose('accessStatus', 'geo.field.accessStatus', ACCESS_STATUSES.map((a) => ({ value: a, label: t(`accessStatus.${a}` as MessageKey) })))}
          {kind === 'site' && (
            <div className="form-row">
              {choose('siteKind', 'geo.field.siteKind', SITE_KINDS.map((k) => ({ value: k, label: t(`siteKind.${k}` as MessageKey) })))}
              {option('radiusM', 'geo.field.radiusM', 'number')}
            </div>
          )}
          {choose('confidence', 'geo.field.confidence', [
            { value: '', label: t('geo.notSaid') },
            ...(['high', 'medium', 'low'] as const).map((c) => ({ value: c, label: t(`confidence.${c}` as MessageKey) })),
          ])}
          <div className="form-row">
            {option('source', 'geo.field.source', 'text')}
            {choose('visibility', 'geo.field.visibility', LAYER_VISIBILITIES.map((v) => ({ value: v, label: t(`visibility.${v}` as MessageKey) })))}
          </div>
          {(effectiveFormat === 'topojson' || (file?.look.objects.length ?? 0) > 1) && (
            <div className="field">
              <label htmlFor="import-object">{effectiveFormat === 'shapefile' ? t('geoImport.shapefileLayer') : t('geoImport.object')}</label>
              {(file?.look.objects.length ?? 0) > 0 ? (
                <select id="import-object" value={options.object} data-testid="import-object" onChange={(e) => setOptions((o) => ({ ...o, object: e.target.value }))}>
                  <option value="">{t('geoImport.objectAuto')}</option>
                  {file!.look.objects.map((o) => <option key={o} value={o}>{o}</option>)}
                </select>
              ) : (
                <input id="import-object" dir="ltr" value={options.object} data-testid="import-object" onChange={(e) => setOptions((o) => ({ ...o, object: e.target.value }))} />
              )}
            </div>
          )}
        </fieldset>

        <SigningNote />
        <button type="submit" className="button button-primary" disabled={busy || !file || !effectiveFormat || (creating && newLayer.slug.trim() === '')}
          data-testid="import-submit">
          {busy ? t('geoImport.importing') : t('geoImport.submit')}
        </button>
      </form>

      <section aria-live="polite" className="import-outcome" data-testid="import-outcome" data-state={outcome.kind}>
        {outcome.kind === 'uploading' && <p className="loading" role="status">{t('geoImport.uploading')}</p>}
        {job && (
          <div className="card" data-testid="import-progress" data-done={job.done} data-total={job.total ?? ''}>
            <label htmlFor="import-progress-bar" className="field-label">{t('geoImport.progress')}</label>
            <progress id="import-progress-bar" max={job.total ?? undefined} value={job.total === null ? undefined : job.done} />
            {/* The job counts the bytes of the file read so far. */}
            <p className="small muted">{job.total ? t('geoImport.progressOf', { percent: Math.min(100, Math.round((job.done / job.total) * 100)) }) : t('geoImport.progressStarted')}</p>
          </div>
        )}
        {outcome.kind === 'done' && (
          <div className="card" data-testid="import-result" data-features={outcome.result.features} data-import={outcome.result.importId}>
            <h2>{t('geoImport.resultTitle')}</h2>
            <p className="alert alert-success" role="status">
              {t('geoImport.imported', { count: outcome.result.features })}
              {outcome.result.alreadyImported && <> {t('geoImport.alreadyImported')}</>}
            </p>
            <dl className="facts">
              <div><dt>{t('geoImport.file')}</dt><dd><bdi dir="ltr">{outcome.result.fileName}</bdi></dd></div>
              <div><dt>{t('geoImport.format')}</dt><dd>{formatLabel(outcome.result.format)}</dd></div>
              <div><dt>{t('geoImport.sourceSrid')}</dt><dd dir="ltr" data-testid="import-srid">EPSG:{outcome.result.sourceSrid}</dd></div>
              {options.validFrom && <div><dt>{t('geo.field.validFrom')}</dt><dd>{formatDate(options.validFrom)}</dd></div>}
            </dl>
            <h3>{t('geoImport.repairs')}</h3>
            {outcome.result.repaired.length === 0 ? <p className="muted small" data-testid="import-no-repairs">{t('geoImport.noRepairs')}</p> : (
              <ul className="repairs" data-testid="import-repairs">
                {outcome.result.repaired.map((r) => (
                  <li key={r.index} data-testid="import-repair" data-index={r.index}>
                    <strong>{t('geoImport.place.feature', { index: r.index, number: r.index + 1 })}</strong>: <span dir="auto" lang="en">{r.reason}</span>
                  </li>
                ))}
              </ul>
            )}
            {outcome.result.notes.length > 0 && (
              <>
                <h3>{t('geoImport.notes')}</h3>
                <ul className="repairs" data-testid="import-notes">
                  {outcome.result.notes.map((n, i) => (
                    <li key={i} data-testid="import-note" data-index={n.index}>
                      <strong>{t('geoImport.place.feature', { index: n.index, number: n.index + 1 })}</strong>: <span dir="auto" lang="en">{n.note}</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
            {importedInto && (
              <p><Link to={`/map?layer=${encodeURIComponent(importedInto)}`} data-testid="import-show-map">{t('geoImport.showOnMap')}</Link></p>
            )}
          </div>
        )}
        {outcome.kind === 'failed' && <ImportError error={outcome.error} />}
      </section>
    </section>
  )
}
