// Incidents: the reports of one event, clustered, as far as the reader may see them. Filters by
// date range, category, verification state and words are kept in the address (?from=2016-03-01&
// to=2016-03-31&category=shelling&state=reported&q=bridge), so a view can be shared; the list is
// paged, and the map beside it draws every report from the report tiles, a click opening its
// incident. Public: what a reader sees depends on the reports visible to them.
import { lazy, Suspense, useState, type FormEvent } from 'react'
import { ErrorMessage } from '../components/ErrorMessage.tsx'
import { LoadMore } from '../components/LoadMore.tsx'
import { useI18n } from '../i18n/index.tsx'
import { Link, navigate, useLocation } from '../router.tsx'
import { useSession } from '../session.tsx'
import { usePagedList } from '../usePagedList.ts'
import { useTitle } from '../useTitle.ts'
import { asApiError } from '../useResource.ts'
import { dayRange, incidentsApi, INCIDENT_CATEGORIES, INCIDENT_STATES, isDay } from './incidents/api.ts'
import { CategoryChip, categoryKey, isCategory, StateBadge, stateKey, useWhen } from './incidents/labels.tsx'
import './incidents/incidents.css'

const IncidentsMap = lazy(() => import('./incidents/IncidentsMap.tsx'))

type Filter = { from: string; to: string; category: string; state: string; q: string }

const FILTER_KEYS = ['from', 'to', 'category', 'state', 'q'] as const

function listPath(f: Filter): string {
  const s = new URLSearchParams()
  for (const k of FILTER_KEYS) if (f[k].trim() !== '') s.set(k, f[k].trim())
  const out = s.toString()
  return out === '' ? '/incidents' : `/incidents?${out}`
}

function readFilter(search: URLSearchParams): Filter {
  const from = search.get('from')
  const to = search.get('to')
  const category = search.get('category')
  const state = search.get('state') ?? ''
  return {
    from: isDay(from) ? from : '',
    to: isDay(to) ? to : '',
    category: isCategory(category) ? category : '',
    state: (INCIDENT_STATES as readonly string[]).includes(state) ? state : '',
    q: search.get('q') ?? '',
  }
}

export default function IncidentsPage() {
  const { t } = useI18n()
  const session = useSession()
  const { search } = useLocation()
  const filter = readFilter(search)
  const [draft, setDraft] = useState<Filter>(filter)
  const [draftKey, setDraftKey] = useState(listPath(filter))
  const [pickError, setPickError] = useState<ReturnType<typeof asApiError> | null>(null)
  const when = useWhen()
  useTitle(t('incidents.title'))

  // The form follows the address when it changes from elsewhere (back, a shared link).
  const key = listPath(filter)
  if (key !== draftKey) {
    setDraftKey(key)
    setDraft(filter)
  }

  const who = session.me === null ? null : (session.me.userId ?? 'anonymous')
  const range = dayRange(filter.from, filter.to)
  const list = usePagedList(who === null ? null : `${who}|${key}`, (cursor) => incidentsApi.list({
    ...range, category: filter.category || undefined, state: filter.state || undefined, q: filter.q.trim() || undefined, cursor,
  }))
  const { first, items } = list

  const submit = (e: FormEvent) => {
    e.preventDefault()
    navigate(listPath(draft), { replace: true })
  }
  const set = (k: keyof Filter, v: string, apply = false) => {
    const next = { ...draft, [k]: v }
    setDraft(next)
    if (apply) navigate(listPath(next), { replace: true })
  }

  const openReport = async (seq: number) => {
    setPickError(null)
    try {
      const page = await incidentsApi.list({ reportSeq: seq, limit: 1 })
      const found = page.items[0]
      if (found) navigate(`/incidents/${encodeURIComponent(found.id)}`)
    } catch (e) {
      setPickError(asApiError(e))
    }
  }

  const located = items.filter((i) => i.lon !== null && i.lat !== null).map((i) => [i.lon!, i.lat!] as [number, number])

  return (
    <section aria-labelledby="incidents-title" className="incidents-page">
      <div className="page-head">
        <div>
          <h1 id="incidents-title">{t('incidents.title')}</h1>
          <p className="muted">{t('incidents.intro')}</p>
        </div>
        <div className="page-head-tools button-row">
          {session.me !== null && session.me.kind !== 'anonymous'
            ? <Link to="/incidents/stats" className="button button-secondary" data-testid="incidents-stats-link">{t('incidents.statsLink')}</Link>
            : null}
          {session.can('incident.import') && <Link to="/incidents/import" className="button button-secondary" data-testid="incidents-import-link">{t('incidents.importLink')}</Link>}
        </div>
      </div>

      <form className="filters" role="search" onSubmit={submit} data-testid="incidents-filters">
        <div className="field">
          <label htmlFor="incident-from">{t('incidents.from')}</label>
          <input id="incident-from" type="date" value={draft.from} data-testid="incidents-from" onChange={(e) => set('from', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="incident-to">{t('incidents.to')}</label>
          <input id="incident-to" type="date" value={draft.to} data-testid="incidents-to" onChange={(e) => set('to', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="incident-category">{t('incidents.category')}</label>
          <select id="incident-category" value={draft.category} data-testid="incidents-category" onChange={(e) => set('category', e.target.value, true)}>
            <option value="">{t('incidents.allCategories')}</option>
            {INCIDENT_CATEGORIES.map((c) => <option key={c} value={c}>{t(categoryKey(c))}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="incident-state">{t('incidents.state')}</label>
          <select id="incident-state" value={draft.state} data-testid="incidents-state" onChange={(e) => set('state', e.target.value, true)}>
            <option value="">{t('incidents.allStates')}</option>
            {INCIDENT_STATES.map((s) => <option key={s} value={s}>{t(stateKey(s))}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="incident-q">{t('incidents.words')}</label>
          <input id="incident-q" type="search" dir="auto" value={draft.q} placeholder={t('incidents.wordsPlaceholder')} data-testid="incidents-q"
            onChange={(e) => set('q', e.target.value)} />
        </div>
        <div className="button-row">
          <button type="submit" className="button button-primary" data-testid="incidents-apply">{t('incidents.apply')}</button>
          {key !== '/incidents' && <Link to="/incidents" className="button button-secondary" data-testid="incidents-clear">{t('incidents.clear')}</Link>}
        </div>
      </form>

      <div className="incidents-layout">
        <div className="incidents-list">
          {first.error && <ErrorMessage error={first.error} onRetry={() => void first.reload()} />}
          {!first.data && !first.error && <p className="loading" role="status">{t('common.loading')}</p>}
          {first.data && (items.length === 0 ? <p className="empty" data-testid="incidents-empty">{t('incidents.empty')}</p> : (
            <ol className="incident-cards" data-testid="incidents-list" data-count={items.length}>
              {items.map((i) => (
                <li key={i.id} className="card incident-card" data-testid="incident-row" data-incident={i.id} data-seq={i.seq}>
                  <div className="incident-card-head">
                    <Link to={`/incidents/${encodeURIComponent(i.id)}`} className="row-title" data-testid="incident-link">
                      {t('incident.number', { seq: i.seq })}{i.placeName ? <> · <bdi>{i.placeName}</bdi></> : null}
                    </Link>
                    <StateBadge state={i.state} />
                  </div>
                  <p className="small muted incident-card-meta">
                    <span className="date">{when(i.occurredAt, i.datePrecision)}</span>
                    {' · '}
                    <span data-testid="incident-report-count" data-count={i.reportCount}>{t('incident.reportCount', { count: i.reportCount })}</span>
                  </p>
                  <p className="incident-card-categories">
                    {i.categories.map((c) => <CategoryChip key={c} category={c} />)}
                  </p>
                  {i.perpetrators.length > 0 && (
                    <p className="small">
                      {t('incident.perpetrators')}: {i.perpetrators.map((p, n) => (
                        <span key={n}>{n > 0 ? ', ' : ''}{p.actorId ? <Link to={`/actors/${encodeURIComponent(p.actorId)}`}><bdi>{p.name}</bdi></Link> : <bdi>{p.name}</bdi>}</span>
                      ))}
                    </p>
                  )}
                </li>
              ))}
            </ol>
          ))}
          <LoadMore list={list} />
        </div>
        <div className="incidents-map-side">
          <p className="small muted">{t('incidents.map.hint')}</p>
          {pickError && <ErrorMessage error={pickError} />}
          <Suspense fallback={<p className="loading" role="status">{t('common.loading')}</p>}>
            <IncidentsMap
              tiles={incidentsApi.tilesUrl(range)} category={filter.category || undefined} highlight={located}
              onPick={(seq) => void openReport(seq)} label={t('incidents.map.label')} className="incidents-map-frame"
            />
          </Suspense>
        </div>
      </div>
    </section>
  )
}
