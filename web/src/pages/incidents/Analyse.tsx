// The incident's reports, and an analyst's two corrections of the clustering: splitting reports
// off into a new incident (they are another event), and merging another incident into this one
// (they are the same event). Both need a note, kept in the verifiable record.
import { useState, type FormEvent } from 'react'
import { ApiError } from '../../api.ts'
import { ErrorMessage } from '../../components/ErrorMessage.tsx'
import { useI18n, type MessageKey } from '../../i18n/index.tsx'
import { Link, navigate } from '../../router.tsx'
import { asApiError } from '../../useResource.ts'
import { incidentsApi, type Incident, type IncidentReport, type IncidentSummary } from './api.ts'
import { CategoryChip, useWhen, type PartyNames } from './labels.tsx'

const CHANNELS: readonly string[] = ['api', 'web', 'public_form', 'import', 'sms']

function Report({ report, partyName, selectable, selected, onToggle }: {
  report: IncidentReport; partyName: PartyNames; selectable: boolean; selected: boolean; onToggle: () => void
}) {
  const { t } = useI18n()
  const when = useWhen()
  const place = (report.where as { placeName?: string } | null)?.placeName
  return (
    <li className="incident-report" data-testid="incident-report" data-report={report.id} data-seq={report.seq}>
      <div className="incident-report-head">
        {selectable && (
          <input type="checkbox" checked={selected} onChange={onToggle} data-testid="split-report" aria-label={t('incident.splitChoose', { seq: report.seq })} />
        )}
        <strong>{t('incident.reportNumber', { seq: report.seq })}</strong>
        <CategoryChip category={report.category} />
        <span className="small muted">{when(report.occurredAt, report.datePrecision)}{place ? <> · <bdi>{place}</bdi></> : null}</span>
      </div>
      {report.description !== '' && <p dir="auto" lang={report.language ?? undefined} data-testid="incident-report-description">{report.description}</p>}
      <p className="small">
        {report.anonymous ? t('incident.reportedAnonymously', { party: partyName(report.partyId) }) : t('incident.reportedBy', { party: partyName(report.partyId) })}
        {' · '}{CHANNELS.includes(report.channel) ? t(`incident.channel.${report.channel}` as MessageKey) : report.channel}
        {report.coarsened && <> · {t('incident.coarsened')}</>}
      </p>
      {(report.perpetrator || report.target) && (
        <p className="small">
          {report.perpetrator && <>{t('incident.perpetrator')}: {report.perpetrator.actorId ? <Link to={`/actors/${encodeURIComponent(report.perpetrator.actorId)}`}><bdi>{report.perpetrator.name}</bdi></Link> : <bdi>{report.perpetrator.name}</bdi>} </>}
          {report.target && <>{t('incident.target')}: {report.target.actorId ? <Link to={`/actors/${encodeURIComponent(report.target.actorId)}`}><bdi>{report.target.name}</bdi></Link> : <bdi>{report.target.name}</bdi>}</>}
        </p>
      )}
      <ul className="incident-sources small" data-testid="incident-sources">
        {report.sources.map((s, i) => (
          <li key={i} data-kind={s.kind} data-reliability={s.reliability}>
            <span className="badge incident-reliability" title={t(`incident.reliability.${s.reliability}` as MessageKey)}>{s.reliability}</span>{' '}
            {t(`incident.source.${s.kind}` as MessageKey)}
            {s.name && <> · <bdi>{s.name}</bdi></>}
            {s.url && <> · <a href={s.url} target="_blank" rel="noopener noreferrer nofollow" dir="ltr">{t('incident.sourceLink')}</a></>}
            <span className="muted"> — {t(`incident.reliability.${s.reliability}` as MessageKey)}</span>
          </li>
        ))}
      </ul>
      {report.assignment && (
        <p className="small muted" data-testid="incident-assignment">
          {t('incident.assignment', { reason: report.assignment.reason })}
          {report.assignment.score !== null && <> ({t('incident.score', { score: report.assignment.score.toFixed(2) })})</>}
        </p>
      )}
    </li>
  )
}

/** The reports, each with a box to tick when splitting. */
export function SplitSelection({ incident, active, onCancel, partyName }: { incident: Incident; active: boolean; onCancel: () => void; partyName: PartyNames }) {
  const { t } = useI18n()
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set())
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const toggle = (id: string) => setChosen((s) => {
    const next = new Set(s)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    return next
  })
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const created = await incidentsApi.split(incident.id, { reportIds: [...chosen], note })
      navigate(`/incidents/${encodeURIComponent(created.id)}`)
    } catch (err) {
      setError(asApiError(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      {incident.reports.length === 0
        ? <p className="empty">{t('incident.noReports')}</p>
        : (
          <ol className="incident-reports" data-testid="incident-reports" data-count={incident.reports.length}>
            {incident.reports.map((r) => (
              <Report key={r.id} report={r} partyName={partyName} selectable={active} selected={chosen.has(r.id)} onToggle={() => toggle(r.id)} />
            ))}
          </ol>
        )}
      {active && (
        <form className="form form-compact" onSubmit={(e) => void submit(e)} data-testid="split-form">
          <p className="hint">{t('incident.splitHint')}</p>
          <div className="field">
            <label htmlFor="split-note">{t('incident.note')}</label>
            <textarea id="split-note" dir="auto" rows={2} value={note} required onChange={(e) => setNote(e.target.value)} data-testid="split-note" />
          </div>
          {error && <ErrorMessage error={error} />}
          <div className="button-row">
            <button type="submit" className="button button-primary" disabled={busy || chosen.size === 0 || chosen.size === incident.reports.length || note.trim() === ''} data-testid="split-submit">
              {t('incident.splitSubmit', { count: chosen.size })}
            </button>
            <button type="button" className="button button-secondary" onClick={onCancel}>{t('incident.cancel')}</button>
          </div>
        </form>
      )}
    </>
  )
}

/** Another incident to merge into this one: found by words or its number, then confirmed with a note. */
export function MergePanel({ incident, onMerged }: { incident: Incident; onMerged: () => void }) {
  const { t } = useI18n()
  const when = useWhen()
  const [words, setWords] = useState('')
  const [found, setFound] = useState<IncidentSummary[] | null>(null)
  const [other, setOther] = useState<IncidentSummary | null>(null)
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)

  const search = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    try {
      // Without words: the incidents of the days around this one, nearest first in time.
      const at = Date.parse(incident.occurredAt)
      const page = await incidentsApi.list(words.trim() !== ''
        ? { q: words.trim(), limit: 20 }
        : { from: new Date(at - 3 * 86_400_000).toISOString(), to: new Date(at + 4 * 86_400_000).toISOString(), limit: 20 })
      setFound(page.items.filter((i) => i.id !== incident.id))
    } catch (err) {
      setError(asApiError(err))
    }
  }
  const merge = async (e: FormEvent) => {
    e.preventDefault()
    if (!other) return
    setBusy(true)
    setError(null)
    try {
      await incidentsApi.merge(incident.id, { incidentId: other.id, note })
      setOther(null)
      setFound(null)
      setNote('')
      onMerged()
    } catch (err) {
      setError(asApiError(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <section className="card" aria-labelledby="merge-title" data-testid="merge-panel">
      <h2 id="merge-title">{t('incident.merge')}</h2>
      <p className="small muted">{t('incident.mergeHint')}</p>
      <form className="form form-compact" role="search" onSubmit={(e) => void search(e)}>
        <div className="field">
          <label htmlFor="merge-q">{t('incident.mergeSearch')}</label>
          <input id="merge-q" type="search" dir="auto" value={words} onChange={(e) => setWords(e.target.value)} data-testid="merge-q" />
        </div>
        <button type="submit" className="button button-secondary button-small" data-testid="merge-search">{t('incident.mergeFind')}</button>
      </form>
      {found && (found.length === 0 ? <p className="empty small">{t('incidents.empty')}</p> : (
        <ul className="plain-list merge-candidates" data-testid="merge-candidates">
          {found.map((i) => (
            <li key={i.id}>
              <label className="incident-choice">
                <input type="radio" name="merge-other" checked={other?.id === i.id} onChange={() => setOther(i)} data-testid="merge-candidate" data-incident={i.id} />
                <span>{t('incident.number', { seq: i.seq })}{i.placeName ? <> · <bdi>{i.placeName}</bdi></> : null} <span className="small muted">{when(i.occurredAt, i.datePrecision)} · {t('incident.reportCount', { count: i.reportCount })}</span></span>
              </label>
            </li>
          ))}
        </ul>
      ))}
      {other && (
        <form className="form form-compact" onSubmit={(e) => void merge(e)} data-testid="merge-form">
          <div className="field">
            <label htmlFor="merge-note">{t('incident.note')}</label>
            <textarea id="merge-note" dir="auto" rows={2} value={note} required onChange={(e) => setNote(e.target.value)} data-testid="merge-note" />
          </div>
          <button type="submit" className="button button-primary" disabled={busy || note.trim() === ''} data-testid="merge-submit">
            {t('incident.mergeSubmit', { seq: other.seq })}
          </button>
        </form>
      )}
      {error && <ErrorMessage error={error} />}
    </section>
  )
}
