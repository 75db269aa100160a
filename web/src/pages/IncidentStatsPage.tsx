// Incident statistics: how many incidents the reader may see per day or week, grouped by category,
// zone, alleged party or verification state, as stacked bars and a line; with an agreement chosen,
// the mean per day before and after its effective date, the change and the trend since; and the
// same figures as CSV or HXL to download. The choices are kept in the address
// (?from=2016-02-01&to=2016-05-31&interval=week&by=category&agreement=syria-coh-2016).
import { useState, type FormEvent } from 'react'
import { api, ApiError } from '../api.ts'
import { ErrorMessage } from '../components/ErrorMessage.tsx'
import { useI18n, type MessageKey } from '../i18n/index.tsx'
import { Link, navigate, useLocation } from '../router.tsx'
import { useSession } from '../session.tsx'
import { useResource } from '../useResource.ts'
import { useTitle } from '../useTitle.ts'
import { GROUPINGS, incidentsApi, isDay, type Stats, type StatsFilter, type StatsGroup } from './incidents/api.ts'
import { paletteColour, StackedBars, TotalLine } from './incidents/charts.tsx'
import { CATEGORY_COLOURS, categoryKey, isCategory, stateKey } from './incidents/labels.tsx'
import './incidents/incidents.css'

type Form = { from: string; to: string; interval: 'day' | 'week'; by: StatsGroup; agreement: string }

function readForm(search: URLSearchParams): Form {
  const from = search.get('from')
  const to = search.get('to')
  const by = search.get('by') ?? ''
  return {
    from: isDay(from) ? from : '',
    to: isDay(to) ? to : '',
    interval: search.get('interval') === 'day' ? 'day' : 'week',
    by: (GROUPINGS as readonly string[]).includes(by) ? by as StatsGroup : 'category',
    agreement: search.get('agreement') ?? '',
  }
}

function pathOf(f: Form): string {
  const s = new URLSearchParams()
  if (f.from) s.set('from', f.from)
  if (f.to) s.set('to', f.to)
  if (f.interval !== 'week') s.set('interval', f.interval)
  if (f.by !== 'category') s.set('by', f.by)
  if (f.agreement) s.set('agreement', f.agreement)
  const out = s.toString()
  return out === '' ? '/incidents/stats' : `/incidents/stats?${out}`
}

const filterOf = (f: Form): StatsFilter => ({ from: f.from || undefined, to: f.to || undefined, interval: f.interval, by: f.by, agreement: f.agreement || undefined })

function Comparison({ stats }: { stats: Stats }) {
  const { t, formatDate } = useI18n()
  const a = stats.agreement
  if (!a) return null
  const mean = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(2))
  return (
    <section className="card" aria-labelledby="stats-agreement" data-testid="stats-comparison">
      <h2 id="stats-agreement">{t('stats.comparison', { agreement: a.slug, date: formatDate(a.effectiveFrom) })}</h2>
      <div className="stats-windows">
        {(['before', 'after'] as const).map((w) => {
          const win = a[w]
          return (
            <div key={w} className="stats-window" data-testid={`stats-${w}`} data-incidents={win?.incidents ?? ''}>
              <h3>{t(`stats.${w}` as MessageKey)}</h3>
              {win ? (
                <>
                  <p className="stats-big numeric">{mean(win.meanPerDay)}</p>
                  <p className="small muted">{t('stats.perDay')} · {t('stats.window', { incidents: win.incidents, days: win.days, from: formatDate(win.from), to: formatDate(win.to) })}</p>
                </>
              ) : <p className="muted">{t('stats.noWindow')}</p>}
            </div>
          )
        })}
        <div className="stats-window" data-testid="stats-change">
          <h3>{t('stats.change')}</h3>
          <p className="stats-big numeric">{a.changePercent === null ? '—' : `${a.changePercent > 0 ? '+' : ''}${a.changePercent.toFixed(0)} %`}</p>
          {a.trend && (
            <p className="small" data-testid="stats-trend" data-direction={a.trend.direction}>
              {t(`stats.trend.${a.trend.direction}` as MessageKey)} · {t('stats.slope', { slope: a.trend.slopePerWeek.toFixed(2), weeks: a.trend.weeks })}
            </p>
          )}
        </div>
      </div>
    </section>
  )
}

export default function IncidentStatsPage() {
  const { t } = useI18n()
  const session = useSession()
  const { search } = useLocation()
  const form = readForm(search)
  const key = pathOf(form)
  const [draft, setDraft] = useState(form)
  const [draftKey, setDraftKey] = useState(key)
  if (draftKey !== key) {
    setDraftKey(key)
    setDraft(form)
  }
  useTitle(t('stats.title'))
  const signedIn = session.me !== null && session.me.kind !== 'anonymous'
  const who = session.me?.userId ?? null
  const stats = useResource(signedIn ? `${who}|${key}` : null, () => incidentsApi.stats(filterOf(form)))
  const agreements = useResource(signedIn ? `${who}|agreements` : null, () => api.agreements({ limit: 100 }))

  if (session.me === null) return <p className="loading" role="status">{t('common.loading')}</p>
  if (!signedIn) {
    return (
      <section className="page-narrow">
        <h1>{t('stats.title')}</h1>
        <ErrorMessage error={new ApiError(401, 'unauthenticated', '')} />
        <p><Link to="/login?next=/incidents/stats">{t('nav.signIn')}</Link></p>
      </section>
    )
  }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    navigate(pathOf(draft), { replace: true })
  }
  const set = <K extends keyof Form>(k: K, v: Form[K], apply = false) => {
    const next = { ...draft, [k]: v }
    setDraft(next)
    if (apply) navigate(pathOf(next), { replace: true })
  }
  const s = stats.data
  const keys = s?.groups.map((g) => g.key) ?? []
  const palette = paletteColour(keys)
  const colourOf = (k: string) => (form.by === 'category' && isCategory(k) ? CATEGORY_COLOURS[k] : palette(k))
  const labelOf = (k: string) => {
    const g = s?.groups.find((x) => x.key === k)
    if (form.by === 'category' && isCategory(k)) return t(categoryKey(k))
    if (form.by === 'state') return t(stateKey(k))
    return g?.label ?? k
  }

  return (
    <section aria-labelledby="stats-title" className="stats-page">
      <nav className="breadcrumb small"><Link to="/incidents">{t('incidents.title')}</Link></nav>
      <div className="page-head">
        <div>
          <h1 id="stats-title">{t('stats.title')}</h1>
          <p className="muted">{t('stats.intro')}</p>
        </div>
        <div className="page-head-tools button-row">
          <a className="button button-secondary" href={incidentsApi.statsExportUrl(filterOf(form), 'csv')} download data-testid="stats-export-csv">{t('stats.exportCsv')}</a>
          <a className="button button-secondary" href={incidentsApi.statsExportUrl(filterOf(form), 'hxl')} download data-testid="stats-export-hxl">{t('stats.exportHxl')}</a>
        </div>
      </div>

      <form className="filters" onSubmit={submit} data-testid="stats-filters">
        <div className="field">
          <label htmlFor="stats-from">{t('incidents.from')}</label>
          <input id="stats-from" type="date" value={draft.from} onChange={(e) => set('from', e.target.value)} data-testid="stats-from" />
        </div>
        <div className="field">
          <label htmlFor="stats-to">{t('incidents.to')}</label>
          <input id="stats-to" type="date" value={draft.to} onChange={(e) => set('to', e.target.value)} data-testid="stats-to" />
        </div>
        <div className="field">
          <label htmlFor="stats-interval">{t('stats.interval')}</label>
          <select id="stats-interval" value={draft.interval} onChange={(e) => set('interval', e.target.value === 'day' ? 'day' : 'week', true)} data-testid="stats-interval">
            <option value="day">{t('stats.day')}</option>
            <option value="week">{t('stats.week')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="stats-by">{t('stats.by')}</label>
          <select id="stats-by" value={draft.by} onChange={(e) => set('by', e.target.value as StatsGroup, true)} data-testid="stats-by">
            {GROUPINGS.map((g) => <option key={g} value={g}>{t(`stats.by.${g}` as MessageKey)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="stats-agreement">{t('stats.agreement')}</label>
          <select id="stats-agreement" value={draft.agreement} onChange={(e) => set('agreement', e.target.value, true)} data-testid="stats-agreement">
            <option value="">{t('stats.noAgreement')}</option>
            {(agreements.data?.items ?? []).filter((a) => a.effectiveFrom !== null).map((a) => (
              <option key={a.id} value={a.slug}>{a.slug}</option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-primary" data-testid="stats-apply">{t('incidents.apply')}</button>
      </form>

      {stats.error && <ErrorMessage error={stats.error} onRetry={() => void stats.reload()} />}
      {!s && !stats.error && <p className="loading" role="status">{t('common.loading')}</p>}
      {s && (
        <>
          <p className="stats-total" data-testid="stats-total" data-total={s.total}>
            {t('stats.total', { count: s.total })}
            {s.from && s.to && <span className="muted small"> · {t('stats.range', { from: s.from, to: s.to })}</span>}
          </p>
          <Comparison stats={s} />
          {s.total === 0 ? <p className="empty" data-testid="stats-empty">{t('stats.empty')}</p> : (
            <div className="stats-charts">
              <section className="card" aria-labelledby="stats-bars-title">
                <h2 id="stats-bars-title">{t('stats.barsTitle', { by: t(`stats.by.${form.by}` as MessageKey) })}</h2>
                <div dir="ltr" className="chart-scroll">{/* Time runs left to right in every language. */}<StackedBars stats={s} colourOf={colourOf} labelOf={labelOf} marker={s.agreement?.effectiveFrom} title={t('stats.barsTitle', { by: t(`stats.by.${form.by}` as MessageKey) })} /></div>
                <ul className="stats-legend small">
                  {s.groups.map((g) => (
                    <li key={g.key} data-testid="stats-group" data-key={g.key} data-total={g.total}>
                      <span className="incident-swatch" style={{ background: colourOf(g.key) }} aria-hidden="true" /> <bdi>{labelOf(g.key)}</bdi> <span className="numeric">{g.total}</span>
                    </li>
                  ))}
                </ul>
              </section>
              <section className="card" aria-labelledby="stats-line-title">
                <h2 id="stats-line-title">{t('stats.lineTitle')}</h2>
                <div dir="ltr" className="chart-scroll"><TotalLine stats={s} marker={s.agreement?.effectiveFrom} title={t('stats.lineTitle')} /></div>
              </section>
              <details className="card">
                <summary>{t('stats.table')}</summary>
                <div className="table-wrap">
                  <table className="table table-compact" data-testid="stats-table">
                    <thead>
                      <tr><th scope="col">{t('stats.period')}</th>{s.groups.map((g) => <th key={g.key} scope="col"><bdi>{labelOf(g.key)}</bdi></th>)}<th scope="col">{t('stats.sum')}</th></tr>
                    </thead>
                    <tbody>
                      {s.buckets.map((b) => (
                        <tr key={b.start}>
                          <th scope="row" className="date">{b.start}</th>
                          {s.groups.map((g) => <td key={g.key} className="numeric">{b.counts[g.key] ?? 0}</td>)}
                          <td className="numeric">{b.total}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </details>
            </div>
          )}
        </>
      )}
      <p className="hint small">{t('stats.note')}</p>
    </section>
  )
}
