// What the reader may do to verify an incident, as the server's `actions` allow (the rules live in
// verification.policy.ts; nothing here re-decides them): move it to another state with a reason,
// allege a violation by another party (which sends that party a request for information), answer a
// request addressed to the reader's party, record the party's finding with its graded confidence,
// and concur in another party's finding. The other states, and why they are not open, are listed.
import { useState, type FormEvent, type ReactNode } from 'react'
import { ApiError, VISIBILITIES, type Party, type Visibility } from '../../api.ts'
import { ErrorMessage } from '../../components/ErrorMessage.tsx'
import { usePartyName } from '../../components/Labels.tsx'
import { useI18n, type MessageKey } from '../../i18n/index.tsx'
import { useSession } from '../../session.tsx'
import { asApiError } from '../../useResource.ts'
import { CONCLUSIONS, CONFIDENCES, incidentsApi, type Conclusion, type Confidence, type Incident, type IncidentState, type Verification } from './api.ts'
import { StateBadge, stateKey, type PartyNames } from './labels.tsx'

/** A form's submit: busy while sending, the server's error shown, `onDone` after success. */
function useSubmit(onDone: () => void) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const run = async (e: FormEvent, send: () => Promise<unknown>) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await send()
      onDone()
    } catch (err) {
      setError(asApiError(err))
    } finally {
      setBusy(false)
    }
  }
  return { busy, error, run }
}

function Block({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <div className="verification-block" data-testid={testId}>
      <h3>{title}</h3>
      {children}
    </div>
  )
}

function TransitionForm({ incident, allowed, onDone }: { incident: Incident; allowed: readonly IncidentState[]; onDone: () => void }) {
  const { t } = useI18n()
  const [to, setTo] = useState<IncidentState | ''>('')
  const [reason, setReason] = useState('')
  const { busy, error, run } = useSubmit(() => { setReason(''); setTo(''); onDone() })
  const target = to === '' ? allowed[0] : to
  return (
    <form className="form form-compact" data-testid="transition-form"
      onSubmit={(e) => void run(e, () => incidentsApi.transition(incident.id, { to: target!, reason }))}>
      <div className="field">
        <label htmlFor="transition-to">{t('verification.moveTo')}</label>
        <select id="transition-to" value={target} onChange={(e) => setTo(e.target.value as IncidentState)} data-testid="transition-to">
          {allowed.map((s) => <option key={s} value={s}>{t(stateKey(s))}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="transition-reason">{t('verification.reason')}</label>
        <textarea id="transition-reason" dir="auto" rows={2} value={reason} required onChange={(e) => setReason(e.target.value)} data-testid="transition-reason" />
      </div>
      {error && <ErrorMessage error={error} />}
      <button type="submit" className="button button-primary" disabled={busy || reason.trim() === ''} data-testid="transition-submit">{t('verification.move')}</button>
    </form>
  )
}

/** Who sees the record: restricted (to named parties) is left to the API. */
function VisibilityField({ id, value, onChange, internal }: { id: string; value: Visibility; onChange: (v: Visibility) => void; internal: boolean }) {
  const { t } = useI18n()
  return (
    <div className="field">
      <label htmlFor={id}>{t('verification.visibility')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as Visibility)}>
        {VISIBILITIES.filter((v) => v !== 'restricted' && (internal || v !== 'internal')).map((v) => <option key={v} value={v}>{t(`visibility.${v}` as MessageKey)}</option>)}
      </select>
    </div>
  )
}

function AllegationForm({ incident, parties, onDone }: { incident: Incident; parties: readonly Party[]; onDone: () => void }) {
  const { t } = useI18n()
  const partyName = usePartyName()
  const session = useSession()
  const [accused, setAccused] = useState('')
  const [text, setText] = useState('')
  const [visibility, setVisibility] = useState<Visibility>('parties')
  const { busy, error, run } = useSubmit(() => { setText(''); setAccused(''); onDone() })
  return (
    <form className="form form-compact" data-testid="allegation-form"
      onSubmit={(e) => void run(e, () => incidentsApi.allege(incident.id, { accusedPartyId: accused, text, visibility }))}>
      <div className="field">
        <label htmlFor="allegation-accused">{t('verification.accused')}</label>
        <select id="allegation-accused" value={accused} required onChange={(e) => setAccused(e.target.value)} data-testid="allegation-accused">
          <option value="">{t('verification.choose')}</option>
          {/* Another participant: the public is not a party one accuses, and no party accuses itself. */}
          {parties.filter((p) => p.kind !== 'public' && p.id !== session.me?.partyId).map((p) => <option key={p.id} value={p.id}>{partyName(p.name, p.slug)}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="allegation-text">{t('verification.allegationText')}</label>
        <textarea id="allegation-text" dir="auto" rows={3} value={text} required onChange={(e) => setText(e.target.value)} data-testid="allegation-text" />
      </div>
      {/* The accused party always sees an allegation: internal is not offered. */}
      <VisibilityField id="allegation-visibility" value={visibility} onChange={setVisibility} internal={false} />
      <p className="hint small">{t('verification.allegationHint')}</p>
      {error && <ErrorMessage error={error} />}
      <button type="submit" className="button button-primary" disabled={busy || accused === '' || text.trim() === ''} data-testid="allegation-submit">{t('verification.allege')}</button>
    </form>
  )
}

function ResponseForm({ requestId, onDone }: { requestId: string; onDone: () => void }) {
  const { t } = useI18n()
  const [text, setText] = useState('')
  const { busy, error, run } = useSubmit(() => { setText(''); onDone() })
  return (
    <form className="form form-compact" data-testid="response-form" data-request={requestId} onSubmit={(e) => void run(e, () => incidentsApi.respond(requestId, { text }))}>
      <div className="field">
        <label htmlFor={`response-${requestId}`}>{t('verification.answer')}</label>
        <textarea id={`response-${requestId}`} dir="auto" rows={3} value={text} required onChange={(e) => setText(e.target.value)} data-testid="response-text" />
      </div>
      {error && <ErrorMessage error={error} />}
      <button type="submit" className="button button-primary" disabled={busy || text.trim() === ''} data-testid="response-submit">{t('verification.sendAnswer')}</button>
    </form>
  )
}

function FindingForm({ incident, onDone }: { incident: Incident; onDone: () => void }) {
  const { t } = useI18n()
  const [conclusion, setConclusion] = useState<Conclusion>('inconclusive')
  const [confidence, setConfidence] = useState<Confidence>('plausible')
  const [text, setText] = useState('')
  const [visibility, setVisibility] = useState<Visibility>('parties')
  const { busy, error, run } = useSubmit(() => { setText(''); onDone() })
  return (
    <form className="form form-compact" data-testid="finding-form"
      onSubmit={(e) => void run(e, () => incidentsApi.find(incident.id, { conclusion, confidence, text, visibility }))}>
      <div className="field">
        <label htmlFor="finding-conclusion">{t('verification.conclusion')}</label>
        <select id="finding-conclusion" value={conclusion} onChange={(e) => setConclusion(e.target.value as Conclusion)} data-testid="finding-conclusion">
          {CONCLUSIONS.map((c) => <option key={c} value={c}>{t(`finding.conclusion.${c}` as MessageKey)}</option>)}
        </select>
      </div>
      <fieldset className="field">
        <legend>{t('verification.confidence')}</legend>
        {CONFIDENCES.map((c) => (
          <label key={c} className="incident-choice">
            <input type="radio" name="finding-confidence" value={c} checked={confidence === c} onChange={() => setConfidence(c)} data-testid={`finding-confidence-${c}`} />
            <span>{t(`finding.confidence.${c}` as MessageKey)}</span>
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="finding-text">{t('verification.findingText')}</label>
        <textarea id="finding-text" dir="auto" rows={3} value={text} required onChange={(e) => setText(e.target.value)} data-testid="finding-text" />
      </div>
      <VisibilityField id="finding-visibility" value={visibility} onChange={setVisibility} internal />
      {error && <ErrorMessage error={error} />}
      <button type="submit" className="button button-primary" disabled={busy || text.trim() === ''} data-testid="finding-submit">{t('verification.record')}</button>
    </form>
  )
}

function ConcurButton({ findingId, onDone }: { findingId: string; onDone: () => void }) {
  const { t } = useI18n()
  const { busy, error, run } = useSubmit(onDone)
  return (
    <form onSubmit={(e) => void run(e, () => incidentsApi.concur(findingId))} data-testid="concur-form" data-finding={findingId}>
      <button type="submit" className="button button-secondary button-small" disabled={busy} data-testid="concur-submit">{t('verification.concur')}</button>
      {error && <ErrorMessage error={error} />}
    </form>
  )
}

export function VerificationPanel({ incident, verification: v, parties, partyName, onChanged }: {
  incident: Incident; verification: Verification; parties: readonly Party[]; partyName: PartyNames; onChanged: () => void
}) {
  const { t, formatDateTime } = useI18n()
  const session = useSession()
  const { actions } = v
  const requests = v.allegations.flatMap((a) => a.requests.map((r) => ({ ...r, allegation: a })))
  const open = requests.filter((r) => actions.respond.includes(r.id))
  const concurrable = v.findings.filter((f) => actions.concur.includes(f.id))
  return (
    <div className="verification" data-testid="verification" data-state={v.state}>
      <p>{t('verification.state')}: <StateBadge state={v.state} /></p>
      <div className="verification-evidence small">
        <p>
          {t('verification.sources', { count: v.evidence.independentSources })}
          {v.evidence.sourceKinds.length > 0 && <> ({v.evidence.sourceKinds.map((k) => t(`incident.source.${k}` as MessageKey)).join(', ')})</>}
          {v.evidence.monitorObservation && <> · {t('verification.monitorObserved')}</>}
        </p>
        {v.evidence.agreements.length > 0 && (
          <ul className="plain-list" data-testid="verification-thresholds">
            {v.evidence.agreements.map((a, i) => (
              <li key={a.agreementId ?? i} data-met={a.met}>
                <span className={a.met ? 'check-inline check-inline-ok' : 'check-inline check-inline-failed'}>{a.met ? '✓' : '✗'}</span>{' '}
                {a.slug ?? t('verification.defaults')}: {a.met ? t('verification.thresholdsMet') : t('verification.thresholdsMissing', { missing: a.missing.join('; ') })}
              </li>
            ))}
          </ul>
        )}
      </div>

      {actions.transitions.length > 0 && (
        <Block title={t('verification.transitionTitle')} testId="verification-transition">
          <TransitionForm incident={incident} allowed={actions.transitions} onDone={onChanged} />
        </Block>
      )}
      {actions.refused.length > 0 && (
        <details className="small" data-testid="verification-refused">
          <summary>{t('verification.refused')}</summary>
          <ul>
            {actions.refused.map((r) => <li key={r.to} data-to={r.to} data-code={r.code}>{t(stateKey(r.to))}: <span lang="en" dir="auto">{r.message}</span></li>)}
          </ul>
        </details>
      )}
      {open.length > 0 && (
        <Block title={t('verification.requestsTitle')} testId="verification-requests">
          {open.map((r) => (
            <div key={r.id} className="verification-request">
              <p className="small">
                {t('verification.requestFrom', { party: partyName(r.allegation.allegingPartyId), deadline: formatDateTime(r.deadline) })}
                {r.overdue && <> <span className="badge badge-overdue">{t('timeline.overdue')}</span></>}
                {r.answered && <> <span className="badge">{t('timeline.answered')}</span></>}
              </p>
              <blockquote dir="auto">{r.allegation.text}</blockquote>
              <ResponseForm requestId={r.id} onDone={onChanged} />
            </div>
          ))}
        </Block>
      )}
      {concurrable.length > 0 && (
        <Block title={t('verification.concurTitle')} testId="verification-concur">
          {concurrable.map((f) => (
            <div key={f.id} className="verification-request">
              <p className="small">{partyName(f.partyId)}: <strong>{t(`finding.conclusion.${f.conclusion}` as MessageKey)}</strong> ({t(`finding.confidence.${f.confidence}` as MessageKey)})</p>
              <blockquote dir="auto">{f.text}</blockquote>
              <ConcurButton findingId={f.id} onDone={onChanged} />
            </div>
          ))}
        </Block>
      )}
      {actions.find && (
        <Block title={t('verification.findingTitle')} testId="verification-finding">
          <FindingForm incident={incident} onDone={onChanged} />
        </Block>
      )}
      {actions.allege && (
        <Block title={t('verification.allegationTitle')} testId="verification-allegation">
          <AllegationForm incident={incident} parties={parties} onDone={onChanged} />
        </Block>
      )}
      {session.me?.kind !== 'anonymous' && actions.transitions.length === 0 && !actions.allege && !actions.find && open.length === 0 && concurrable.length === 0 && (
        <p className="small muted" data-testid="verification-nothing">{t('verification.nothing')}</p>
      )}
    </div>
  )
}
