// The public report form (/report): anyone, signed in or not, says what happened, when and where,
// with no name or account recorded. Mobile first: one column, large controls. Without a
// connection the report waits in this browser (pages/report/queue.ts) and goes when the
// connection returns, under the key it was given here, so it is never recorded twice.
import { lazy, Suspense, useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react'
import type { GeoJSONSource, Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl'
import { ApiError, REPORT_CATEGORIES, sendPublicReport, type ErrorDetail, type PublicReport, type ReportCategory } from '../api.ts'
import { ErrorMessage } from '../components/ErrorMessage.tsx'
import { useI18n, type MessageKey } from '../i18n/index.tsx'
import { useTitle } from '../useTitle.ts'
import { enqueue, flushQueue, readQueue, removeQueued, type QueuedReport } from './report/queue.ts'

const TruceMap = lazy(() => import('../map/Map.tsx'))

const PRECISIONS = [1, 2, 3, 4, 5] as const
const PIN_SOURCE = 'report-pin'
/** How often waiting reports are tried again while the browser says it is online. */
const RETRY_MS = 4000

type Form = {
  category: ReportCategory | ''
  when: string
  datePrecision: number
  lat: string
  lon: string
  placeName: string
  killed: string
  hurt: string
  perpetrator: string
  description: string
}

/** The local date and time now, as a datetime-local input holds it. */
function localNow(): string {
  const d = new Date()
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`
}

const emptyForm = (): Form => ({ category: '', when: localNow(), datePrecision: 1, lat: '', lon: '', placeName: '', killed: '', hurt: '', perpetrator: '', description: '' })

/** The form field an error path from the server names. */
function fieldOf(path: string | undefined): keyof Form | 'where' | null {
  if (path === undefined) return null
  const map: [RegExp, keyof Form | 'where'][] = [
    [/^body\.occurredAt/, 'when'], [/^body\.datePrecision/, 'datePrecision'], [/^body\.where\.lat/, 'lat'], [/^body\.where\.lon/, 'lon'],
    [/^body\.where\.placeName/, 'placeName'], [/^body\.where/, 'where'], [/^body\.category/, 'category'],
    [/^body\.casualties\.civiliansKilled/, 'killed'], [/^body\.casualties\.civiliansInjured/, 'hurt'], [/^body\.perpetrator/, 'perpetrator'],
    [/^body\.description/, 'description'],
  ]
  return map.find(([re]) => re.test(path))?.[1] ?? null
}

const count = (v: string) => {
  const n = Number(v)
  return { low: n, best: n, high: n }
}

/** The form as the server reads it; numbers left as typed so the server names what is wrong. */
function toReport(form: Form, lang: string): PublicReport {
  const when = new Date(form.when)
  const casualties: NonNullable<PublicReport['casualties']> = {}
  if (form.killed.trim() !== '') casualties.civiliansKilled = count(form.killed)
  if (form.hurt.trim() !== '') casualties.civiliansInjured = count(form.hurt)
  return {
    occurredAt: Number.isNaN(when.getTime()) ? form.when : when.toISOString(),
    datePrecision: form.datePrecision,
    where: {
      kind: 'point', lat: Number(form.lat), lon: Number(form.lon),
      ...(form.placeName.trim() === '' ? {} : { placeName: form.placeName.trim() }),
    },
    category: form.category as ReportCategory,
    ...(Object.keys(casualties).length > 0 ? { casualties } : {}),
    ...(form.perpetrator.trim() === '' ? {} : { perpetrator: form.perpetrator.trim() }),
    description: form.description,
    language: lang,
  }
}

/** A queued report back in the form, to correct it. */
function toForm(report: PublicReport): Form {
  const p = (n: number) => String(n).padStart(2, '0')
  const d = new Date(report.occurredAt)
  const when = Number.isNaN(d.getTime()) ? report.occurredAt
    : `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`
  return {
    category: report.category, when, datePrecision: report.datePrecision, lat: String(report.where.lat), lon: String(report.where.lon),
    placeName: report.where.placeName ?? '', killed: report.casualties?.civiliansKilled ? String(report.casualties.civiliansKilled.best) : '',
    hurt: report.casualties?.civiliansInjured ? String(report.casualties.civiliansInjured.best) : '', perpetrator: report.perpetrator ?? '',
    description: report.description,
  }
}

function useQueue(): QueuedReport[] {
  const [queue, setQueue] = useState(readQueue)
  useEffect(() => {
    const update = () => setQueue(readQueue())
    window.addEventListener('truce-report-queue', update)
    window.addEventListener('storage', update)
    return () => {
      window.removeEventListener('truce-report-queue', update)
      window.removeEventListener('storage', update)
    }
  }, [])
  return queue
}

type Outcome = { kind: 'idle' } | { kind: 'sending' } | { kind: 'sent' } | { kind: 'queued' } | { kind: 'failed'; error: ApiError }

function FieldErrors({ errors, field }: { errors: ErrorDetail[]; field: keyof Form | 'where' }) {
  return <>{errors.filter((d) => fieldOf(d.path) === field).map((d, i) => (
    <p key={i} className="field-error" id={`report-${field}-error`} role="alert" data-testid="field-error" data-path={d.path} dir="auto">{d.message}</p>
  ))}</>
}

function Field({ id, label, hint, errors, field, children }: { id: string; label: string; hint?: string; errors: ErrorDetail[]; field: keyof Form | 'where'; children: ReactNode }) {
  return (
    <div className="field" data-field={field}>
      <label htmlFor={id}>{label}</label>
      {hint && <p className="field-hint">{hint}</p>}
      {children}
      <FieldErrors errors={errors} field={field} />
    </div>
  )
}

export function ReportPage() {
  const { t, lang, formatDateTime } = useI18n()
  useTitle(t('publicReport.title'))
  const [form, setForm] = useState<Form>(emptyForm)
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' })
  const [errors, setErrors] = useState<ErrorDetail[]>([])
  const [sentLater, setSentLater] = useState(0)
  const queue = useQueue()
  const waiting = queue.filter((q) => !q.refused).length
  const mapRef = useRef<MapLibreMap | null>(null)

  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }))

  const flush = useCallback(() => {
    if (!navigator.onLine) return
    void flushQueue().then((n) => { if (n > 0) setSentLater((s) => s + n) })
  }, [])

  useEffect(() => {
    flush()
    window.addEventListener('online', flush)
    return () => window.removeEventListener('online', flush)
  }, [flush])

  // The 'online' event can come before requests get through (and a server can be busy): while
  // reports wait, they are tried again now and then.
  useEffect(() => {
    if (waiting === 0) return
    const timer = window.setInterval(flush, RETRY_MS)
    return () => window.clearInterval(timer)
  }, [waiting, flush])

  // The pin follows the typed or tapped place.
  const lat = Number(form.lat)
  const lon = Number(form.lon)
  const hasPlace = form.lat.trim() !== '' && form.lon.trim() !== '' && Math.abs(lat) <= 90 && Math.abs(lon) <= 180
  const drawPin = useCallback((map: MapLibreMap | null, point: [number, number] | null) => {
    const source = map?.getSource<GeoJSONSource>(PIN_SOURCE)
    source?.setData({ type: 'FeatureCollection', features: point ? [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: point } }] : [] })
  }, [])
  useEffect(() => drawPin(mapRef.current, hasPlace ? [lon, lat] : null), [drawPin, hasPlace, lat, lon])

  const onMap = useCallback((map: MapLibreMap | null) => {
    mapRef.current = map
    if (!map) return
    map.addSource(PIN_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } })
    map.addLayer({ id: PIN_SOURCE, type: 'circle', source: PIN_SOURCE, paint: { 'circle-radius': 9, 'circle-color': '#c0392b', 'circle-stroke-color': '#fff', 'circle-stroke-width': 3 } })
    map.on('click', (e: MapMouseEvent) => {
      setForm((f) => ({ ...f, lat: e.lngLat.lat.toFixed(5), lon: e.lngLat.lng.toFixed(5) }))
    })
  }, [])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const report = toReport(form, lang)
    const key = crypto.randomUUID()
    setErrors([])
    const keep = () => {
      enqueue({ key, report, queuedAt: new Date().toISOString() })
      setForm(emptyForm())
      setOutcome({ kind: 'queued' })
    }
    if (!navigator.onLine) return keep()
    setOutcome({ kind: 'sending' })
    try {
      await sendPublicReport(report, key)
      setForm(emptyForm())
      setOutcome({ kind: 'sent' })
    } catch (err) {
      const error = err instanceof ApiError ? err : new ApiError(0, 'network_error', String(err))
      if (error.status === 0) return keep()
      setErrors(error.details)
      setOutcome({ kind: 'failed', error })
    }
  }

  const edit = (item: QueuedReport) => {
    setForm(toForm(item.report))
    setErrors(item.refused?.details ?? [])
    removeQueued(item.key)
    setOutcome({ kind: 'idle' })
  }

  return (
    <div className="report-page">
      <h1>{t('publicReport.title')}</h1>
      <p className="lead">{t('publicReport.intro')}</p>
      <div className="alert alert-info report-privacy" data-testid="report-privacy">
        <p className="alert-text">{t('publicReport.privacy')}</p>
      </div>

      {outcome.kind === 'sent' && <div className="alert alert-success" role="status" data-testid="report-sent"><p className="alert-text">{t('publicReport.sent')}</p></div>}
      {sentLater > 0 && <div className="alert alert-success" role="status" data-testid="report-sent-later" data-count={sentLater}><p className="alert-text">{t('publicReport.sentLater', { count: sentLater })}</p></div>}
      {waiting > 0 && (
        <div className="alert alert-info" role="status" data-testid="report-queued" data-count={waiting}>
          <p className="alert-text">{t('publicReport.queued', { count: waiting })}</p>
        </div>
      )}
      {outcome.kind === 'failed' && errors.length === 0 && <ErrorMessage error={outcome.error} testId="report-error" />}
      {outcome.kind === 'failed' && errors.length > 0 && <p className="field-error" role="alert" data-testid="report-refused">{t('publicReport.fix')}</p>}

      {queue.some((q) => q.refused) && (
        <section aria-labelledby="report-refused-title" className="report-refused-list">
          <h2 id="report-refused-title">{t('publicReport.refusedTitle')}</h2>
          <ul className="plain-list">
            {queue.filter((q) => q.refused).map((q) => (
              <li key={q.key} className="card" data-testid="report-queue-item" data-key={q.key}>
                <p><strong>{t(`publicReport.category.${q.report.category}` as MessageKey)}</strong> · {formatDateTime(q.report.occurredAt)}</p>
                <p dir="auto">{q.report.description}</p>
                {q.refused!.details.map((d, i) => <p key={i} className="field-error" data-testid="queue-item-error" data-path={d.path} dir="auto">{d.message}</p>)}
                {q.refused!.details.length === 0 && <p className="field-error" data-testid="queue-item-error" dir="auto">{q.refused!.message}</p>}
                <div className="button-row">
                  <button type="button" className="button button-secondary" data-testid="queue-item-edit" onClick={() => edit(q)}>{t('publicReport.edit')}</button>
                  <button type="button" className="button button-secondary" data-testid="queue-item-remove" onClick={() => removeQueued(q.key)}>{t('publicReport.remove')}</button>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}

      <form className="form report-form" data-testid="report-form" onSubmit={(e) => void submit(e)} noValidate={false}>
        <Field id="report-category" label={t('publicReport.what')} errors={errors} field="category">
          <select id="report-category" data-testid="report-category" required value={form.category} onChange={(e) => set('category', e.target.value as ReportCategory)}>
            <option value="" disabled>{t('publicReport.choose')}</option>
            {REPORT_CATEGORIES.map((c) => <option key={c} value={c}>{t(`publicReport.category.${c}` as MessageKey)}</option>)}
          </select>
        </Field>

        <Field id="report-when" label={t('publicReport.when')} errors={errors} field="when">
          <input id="report-when" data-testid="report-when" type="datetime-local" required value={form.when} onChange={(e) => set('when', e.target.value)} />
        </Field>
        <Field id="report-roughly" label={t('publicReport.roughly')} errors={errors} field="datePrecision">
          <select id="report-roughly" data-testid="report-roughly" value={form.datePrecision} onChange={(e) => set('datePrecision', Number(e.target.value))}>
            {PRECISIONS.map((p) => <option key={p} value={p}>{t(`publicReport.precision.${p}` as MessageKey)}</option>)}
          </select>
        </Field>

        <fieldset className="form-section" data-field="where">
          <legend>{t('publicReport.where')}</legend>
          <p className="field-hint">{t('publicReport.whereHint')}</p>
          <Suspense fallback={<p className="loading" role="status">{t('common.loading')}</p>}>
            <TruceMap label={t('publicReport.mapLabel')} className="report-map" onMap={onMap} />
          </Suspense>
          <div className="form-row">
            <Field id="report-lat" label={t('publicReport.lat')} errors={errors} field="lat">
              <input id="report-lat" data-testid="report-lat" inputMode="decimal" required dir="ltr" value={form.lat} onChange={(e) => set('lat', e.target.value)} />
            </Field>
            <Field id="report-lon" label={t('publicReport.lon')} errors={errors} field="lon">
              <input id="report-lon" data-testid="report-lon" inputMode="decimal" required dir="ltr" value={form.lon} onChange={(e) => set('lon', e.target.value)} />
            </Field>
          </div>
          <FieldErrors errors={errors} field="where" />
          <Field id="report-place" label={t('publicReport.placeName')} errors={errors} field="placeName">
            <input id="report-place" data-testid="report-place" dir="auto" maxLength={200} value={form.placeName} onChange={(e) => set('placeName', e.target.value)} />
          </Field>
        </fieldset>

        <div className="form-row">
          <Field id="report-killed" label={t('publicReport.killed')} errors={errors} field="killed">
            <input id="report-killed" data-testid="report-killed" type="number" min={0} inputMode="numeric" value={form.killed} onChange={(e) => set('killed', e.target.value)} />
          </Field>
          <Field id="report-hurt" label={t('publicReport.hurt')} errors={errors} field="hurt">
            <input id="report-hurt" data-testid="report-hurt" type="number" min={0} inputMode="numeric" value={form.hurt} onChange={(e) => set('hurt', e.target.value)} />
          </Field>
        </div>
        <Field id="report-perpetrator" label={t('publicReport.perpetrator')} hint={t('publicReport.optional')} errors={errors} field="perpetrator">
          <input id="report-perpetrator" data-testid="report-perpetrator" dir="auto" maxLength={300} value={form.perpetrator} onChange={(e) => set('perpetrator', e.target.value)} />
        </Field>
        <Field id="report-description" label={t('publicReport.description')} errors={errors} field="description">
          <textarea id="report-description" data-testid="report-description" dir="auto" required maxLength={5000} rows={6} value={form.description} onChange={(e) => set('description', e.target.value)} />
        </Field>

        <button type="submit" className="button button-primary button-wide" data-testid="report-submit" disabled={outcome.kind === 'sending'}>
          {outcome.kind === 'sending' ? t('publicReport.sending') : t('publicReport.submit')}
        </button>
      </form>
    </div>
  )
}

export default ReportPage
