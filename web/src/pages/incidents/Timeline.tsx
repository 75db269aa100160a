// One timeline of an incident, in time order: how its reports came together (each assignment by
// the clustering, each analyst's merge and split, with their notes) and how it is being verified
// (state transitions with their reasons, allegations with their requests for information and
// answers, findings with their confidence and who concurs).
import type { ReactNode } from 'react'
import { useI18n, type MessageKey } from '../../i18n/index.tsx'
import { Link } from '../../router.tsx'
import type { Incident, Verification } from './api.ts'
import { stateKey, type PartyNames } from './labels.tsx'

type Entry = { at: string; order: number; kind: string; key: string; body: ReactNode }

export function Timeline({ incident, verification, partyName }: { incident: Incident; verification: Verification | undefined; partyName: PartyNames }) {
  const { t, formatDateTime } = useI18n()
  const seqOf = new Map(incident.reports.map((r) => [r.id, r.seq]))
  const reportsText = (ids: readonly string[]) => ids.map((id) => seqOf.has(id) ? `#${seqOf.get(id)}` : id.slice(0, 8)).join(', ')
  const entries: Entry[] = []
  /** Where an allegation or finding was filed, when on an incident since merged into this one. */
  const filedOn = (incidentId: string) => incidentId === incident.id ? null
    : <span className="muted" data-filed-on={incidentId}> · <Link to={`/incidents/${encodeURIComponent(incidentId)}`}>{t('timeline.filedOnMerged')}</Link></span>

  for (const h of incident.history) {
    const other = h.otherIncidentId
      ? <Link to={`/incidents/${encodeURIComponent(h.otherIncidentId)}`}>{t('timeline.otherIncident')}</Link>
      : null
    const body = h.kind === 'assigned'
      ? <>{t('timeline.assigned', { reports: reportsText(h.reportIds) })}{h.reason && <span className="muted"> — {h.reason}{h.score !== null ? ` (${h.score.toFixed(2)})` : ''}</span>}</>
      : h.kind === 'merged'
        ? <>{h.incidentId === incident.id ? t('timeline.mergedHere') : t('timeline.mergedAway')} {other}</>
        : h.kind === 'split'
          ? <>{t('timeline.split', { reports: reportsText(h.reportIds) })} {other}</>
          : <>{t('timeline.linked', { reports: reportsText(h.reportIds) })} {other}</>
    entries.push({
      at: h.at, order: h.seq, kind: `history-${h.kind}`, key: `h${h.seq}`,
      body: <>{body}{h.partyId && <span className="muted"> · {partyName(h.partyId)}</span>}{h.note && <blockquote dir="auto">{h.note}</blockquote>}</>,
    })
  }
  for (const tr of verification?.transitions ?? []) {
    entries.push({
      at: tr.createdAt, order: tr.seq, kind: 'transition', key: `t${tr.id}`,
      body: <>{t('timeline.transition', { from: t(stateKey(tr.from)), to: t(stateKey(tr.to)) })} <span className="muted">· {partyName(tr.partyId)}</span><blockquote dir="auto">{tr.reason}</blockquote></>,
    })
  }
  for (const a of verification?.allegations ?? []) {
    entries.push({
      at: a.createdAt, order: 0, kind: 'allegation', key: `a${a.id}`,
      body: <>{t('timeline.allegation', { by: partyName(a.allegingPartyId), against: partyName(a.accusedPartyId) })}{filedOn(a.incidentId)}<blockquote dir="auto">{a.text}</blockquote></>,
    })
    for (const r of a.requests) {
      entries.push({
        at: a.createdAt, order: 1, kind: 'request', key: `r${r.id}`,
        body: (
          <span data-request={r.id} data-answered={r.answered}>
            {t('timeline.request', { to: partyName(r.toPartyId), deadline: formatDateTime(r.deadline) })}{' '}
            {r.answered ? <span className="badge">{t('timeline.answered')}</span> : r.overdue ? <span className="badge badge-overdue">{t('timeline.overdue')}</span> : <span className="badge">{t('timeline.open')}</span>}
          </span>
        ),
      })
      for (const res of r.responses) {
        entries.push({
          at: res.createdAt, order: 2, kind: 'response', key: `s${res.id}`,
          body: <>{t('timeline.response', { by: partyName(res.partyId) })}{res.late && <> <span className="badge badge-overdue">{t('timeline.late')}</span></>}<blockquote dir="auto">{res.text}</blockquote></>,
        })
      }
    }
  }
  for (const f of verification?.findings ?? []) {
    entries.push({
      at: f.createdAt, order: 0, kind: 'finding', key: `f${f.id}`,
      body: (
        <span data-finding={f.id} data-joint={f.joint}>
          {t(f.joint ? 'timeline.findingJoint' : 'timeline.findingSeparate', { by: partyName(f.partyId) })}:{' '}
          <strong>{t(`finding.conclusion.${f.conclusion}` as MessageKey)}</strong> ({t(`finding.confidence.${f.confidence}` as MessageKey)})
          {f.concurringParties.length > 0 && <span className="muted"> · {t('timeline.concurring', { parties: f.concurringParties.map((p) => partyName(p)).join(', ') })}</span>}
          {filedOn(f.incidentId)}
          <blockquote dir="auto">{f.text}</blockquote>
        </span>
      ),
    })
  }
  entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.order - b.order)

  if (entries.length === 0) return <p className="empty">{t('timeline.empty')}</p>
  return (
    <ol className="timeline incident-timeline" data-testid="incident-timeline">
      {entries.map((e) => (
        <li key={e.key} data-testid="timeline-entry" data-kind={e.kind}>
          <time className="small muted" dateTime={e.at}>{formatDateTime(e.at)}</time>
          <div>{e.body}</div>
        </li>
      ))}
    </ol>
  )
}
