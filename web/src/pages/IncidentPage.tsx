// One incident: when and where (on a small map), what (categories, casualty ranges), who (alleged
// perpetrators and targets, linked to the registry when resolved), the reports the reader may see
// with their sources and reliability grades, evidence files, and one timeline of how it came
// together and how it is being verified. What the reader may do (verification transitions,
// allegations, answers to requests for information, findings, concurrences, an analyst's merge and
// split) is what the server's `actions` allow; the compliance reasoning is shown step by step.
// A merged incident says where its reports went.
import { lazy, Suspense, useState } from 'react'
import { allPages, api, type Party } from '../api.ts'
import { ErrorMessage } from '../components/ErrorMessage.tsx'
import { usePartyName } from '../components/Labels.tsx'
import { useI18n, type MessageKey } from '../i18n/index.tsx'
import { Link, navigate } from '../router.tsx'
import { useSession } from '../session.tsx'
import { useResource } from '../useResource.ts'
import { useTitle } from '../useTitle.ts'
import { incidentsApi, type Incident } from './incidents/api.ts'
import { ComplianceSection } from './incidents/Compliance.tsx'
import { MergePanel, SplitSelection } from './incidents/Analyse.tsx'
import { CategoryChip, StateBadge, useWhen, wherePrecisionKey, type PartyNames } from './incidents/labels.tsx'
import { Timeline } from './incidents/Timeline.tsx'
import { VerificationPanel } from './incidents/Verification.tsx'
import './incidents/incidents.css'

const IncidentsMap = lazy(() => import('./incidents/IncidentsMap.tsx'))

const CASUALTY_KINDS = ['civiliansKilled', 'civiliansInjured', 'combatantsKilled', 'combatantsInjured'] as const
const DAY = 86_400_000

function Named({ list }: { list: Incident['perpetrators'] }) {
  const { t } = useI18n()
  if (list.length === 0) return <span className="muted">{t('incident.unknown')}</span>
  return (
    <ul className="plain-inline" data-testid="incident-named">
      {list.map((p, i) => (
        <li key={i}>
          {p.actorId
            ? <Link to={`/actors/${encodeURIComponent(p.actorId)}`} data-testid="incident-actor-link"><bdi>{p.name}</bdi></Link>
            : <><bdi>{p.name}</bdi> <span className="muted small">({t('incident.asWritten')})</span></>}
        </li>
      ))}
    </ul>
  )
}

function Casualties({ casualties }: { casualties: Incident['casualties'] }) {
  const { t } = useI18n()
  const kinds = CASUALTY_KINDS.filter((k) => casualties[k] !== undefined)
  if (kinds.length === 0) return <span className="muted">{t('incident.noCasualties')}</span>
  return (
    <ul className="plain-inline" data-testid="incident-casualties">
      {kinds.map((k) => {
        const c = casualties[k]!
        return (
          <li key={k} data-kind={k} data-best={c.best}>
            {t(`incident.casualty.${k}` as MessageKey)}: <strong className="numeric">{c.low === c.high ? c.best : t('incident.range', { low: c.low, best: c.best, high: c.high })}</strong>
          </li>
        )
      })}
    </ul>
  )
}

export default function IncidentPage({ id }: { id: string }) {
  const { t, formatDateTime } = useI18n()
  const session = useSession()
  const when = useWhen()
  const partyName = usePartyName()
  const [revision, setRevision] = useState(0)
  const [splitting, setSplitting] = useState(false)
  const who = session.me === null ? null : (session.me.userId ?? 'anonymous')
  const signedIn = session.me !== null && session.me.kind !== 'anonymous'

  const incident = useResource(who === null ? null : `${who}|${id}|${revision}`, () => incidentsApi.get(id))
  // Public: anyone sees the verification as far as they see the incident; actions need a sign-in.
  const verification = useResource(who !== null ? `${who}|${id}|${revision}` : null, () => incidentsApi.verification(id))
  const compliance = useResource(session.can('actor.read') && who !== null ? `${who}|${id}|${revision}` : null, () => incidentsApi.compliance(id))
  const parties = useResource(who !== null ? 'parties' : null, () => allPages<Party>((cursor) => api.parties(cursor)))
  const inc = incident.data
  useTitle(inc ? t('incident.number', { seq: inc.seq }) : t('incident.title'))

  const names: PartyNames = (pid) => {
    if (!pid) return t('incident.unknownParty')
    const p = parties.data?.find((x) => x.id === pid)
    return p ? partyName(p.name, p.slug) : pid.slice(0, 8)
  }
  const changed = () => setRevision((r) => r + 1)

  if (incident.error) {
    return (
      <section className="page-narrow">
        <h1>{t('incident.title')}</h1>
        <ErrorMessage error={incident.error} onRetry={() => void incident.reload()} />
        <p><Link to="/incidents">{t('incident.back')}</Link></p>
      </section>
    )
  }
  if (!inc) return <p className="loading" role="status">{t('common.loading')}</p>

  const at = Date.parse(inc.occurredAt)
  const mapRange = { from: new Date(at - 7 * DAY).toISOString(), to: new Date(at + 8 * DAY).toISOString() }
  const located = inc.lon !== null && inc.lat !== null

  return (
    <article className="incident-page" aria-labelledby="incident-title" data-testid="incident-page" data-incident={inc.id} data-seq={inc.seq}>
      <nav className="breadcrumb small"><Link to="/incidents">{t('incidents.title')}</Link></nav>
      <div className="page-head">
        <div>
          <h1 id="incident-title">{t('incident.number', { seq: inc.seq })}{inc.placeName ? <> · <bdi>{inc.placeName}</bdi></> : null}</h1>
          <p className="muted">{when(inc.occurredAt, inc.datePrecision)}</p>
        </div>
        <StateBadge state={inc.state} />
      </div>

      {inc.mergedInto && (
        <div className="alert alert-merged" role="status" data-testid="incident-merged">
          <p className="alert-text">
            {t('incident.mergedInto')} <Link to={`/incidents/${encodeURIComponent(inc.mergedInto)}`} data-testid="incident-merged-link">{t('incident.openMerged')}</Link>
          </p>
        </div>
      )}

      <div className="incident-layout">
        <div className="incident-main">
          <section className="card" aria-labelledby="incident-summary">
            <h2 id="incident-summary">{t('incident.summary')}</h2>
            <dl className="facts">
              <div><dt>{t('incident.when')}</dt><dd>{when(inc.occurredAt, inc.datePrecision)}</dd></div>
              <div>
                <dt>{t('incident.where')}</dt>
                <dd>
                  {inc.placeName ? <bdi>{inc.placeName}</bdi> : located ? <span dir="ltr">{inc.lat!.toFixed(4)}, {inc.lon!.toFixed(4)}</span> : t('incident.unknown')}
                  <span className="muted small"> ({t(wherePrecisionKey(inc.wherePrecision))})</span>
                </dd>
              </div>
              <div>
                <dt>{t('incident.categories')}</dt>
                <dd>{inc.categories.map((c) => <CategoryChip key={c} category={c} />)}</dd>
              </div>
              <div><dt>{t('incident.casualties')}</dt><dd><Casualties casualties={inc.casualties} /></dd></div>
              <div><dt>{t('incident.perpetrators')}</dt><dd><Named list={inc.perpetrators} /></dd></div>
              <div><dt>{t('incident.targets')}</dt><dd><Named list={inc.targets} /></dd></div>
            </dl>
            {located && (
              <Suspense fallback={<p className="loading" role="status">{t('common.loading')}</p>}>
                <IncidentsMap
                  tiles={incidentsApi.tilesUrl(mapRange)} highlight={[[inc.lon!, inc.lat!]]} focus={{ center: [inc.lon!, inc.lat!], zoom: 8 }}
                  label={t('incident.mapLabel')} className="incident-map-frame"
                  onPick={(seq) => {
                    // A report of another incident nearby opens that one.
                    void incidentsApi.list({ reportSeq: seq, limit: 1 }).then((p) => {
                      const other = p.items[0]
                      if (other && other.id !== inc.id) navigate(`/incidents/${encodeURIComponent(other.id)}`)
                    }, () => undefined)
                  }}
                />
              </Suspense>
            )}
          </section>

          <section className="card" aria-labelledby="incident-reports">
            <div className="card-head">
              <h2 id="incident-reports">{t('incident.reports', { count: inc.reports.length })}</h2>
              {inc.actions.split && !splitting && (
                <button type="button" className="button button-secondary button-small" data-testid="split-start" onClick={() => setSplitting(true)}>{t('incident.split')}</button>
              )}
            </div>
            <SplitSelection incident={inc} active={splitting} onCancel={() => setSplitting(false)} partyName={names} />
          </section>

          {inc.evidence.length > 0 && (
            <section className="card" aria-labelledby="incident-evidence">
              <h2 id="incident-evidence">{t('incident.evidence')}</h2>
              <ul className="plain-list" data-testid="incident-evidence-list">
                {inc.evidence.map((e) => (
                  <li key={`${e.reportId}|${e.sha256}`}>
                    <a href={`/api/evidence/${encodeURIComponent(e.sha256)}`} target="_blank" rel="noopener" data-testid="incident-evidence-link">
                      {t('incident.evidenceFile', { type: e.type, size: Math.max(1, Math.round(e.size / 1024)) })}
                    </a>{' '}
                    <code dir="ltr" className="hash small">{e.sha256.slice(0, 16)}…</code>
                  </li>
                ))}
              </ul>
            </section>
          )}

          <section className="card" aria-labelledby="incident-timeline">
            <h2 id="incident-timeline">{t('incident.timeline')}</h2>
            <Timeline incident={inc} verification={verification.data} partyName={names} />
            {verification.error && verification.error.status !== 404 && <ErrorMessage error={verification.error} />}
            <p className="small muted">{t('incident.updated', { at: formatDateTime(inc.updatedAt) })}</p>
          </section>

          {session.can('actor.read') && (
            <section className="card" aria-labelledby="incident-compliance">
              <h2 id="incident-compliance">{t('compliance.title')}</h2>
              <p className="small muted">{t('compliance.intro')}</p>
              {compliance.error && <ErrorMessage error={compliance.error} onRetry={() => void compliance.reload()} />}
              {!compliance.data && !compliance.error && <p className="loading" role="status">{t('common.loading')}</p>}
              {compliance.data && <ComplianceSection compliance={compliance.data} />}
            </section>
          )}
        </div>

        <aside className="incident-side">
          {inc.mergedInto === null && (
            <section className="card" aria-labelledby="incident-verification">
              <h2 id="incident-verification">{t('verification.title')}</h2>
              {!signedIn && session.me !== null && (
                <p className="small"><Link to={`/login?next=${encodeURIComponent(`/incidents/${inc.id}`)}`}>{t('nav.signIn')}</Link> {t('incident.signInToVerify')}</p>
              )}
              {verification.error && <ErrorMessage error={verification.error} onRetry={() => void verification.reload()} />}
              {verification.data && <VerificationPanel incident={inc} verification={verification.data} parties={parties.data ?? []} partyName={names} onChanged={changed} />}
              {!verification.data && !verification.error && <p className="loading" role="status">{t('common.loading')}</p>}
            </section>
          )}
          {inc.actions.merge && <MergePanel incident={inc} onMerged={changed} />}
        </aside>
      </div>
    </article>
  )
}
