// One provision of an agreement: its text in the reader's language, its exclusions, where its
// implementation stands, the history of that status, and (for those who may) the form that
// records a new implementation level.
import { useState, type FormEvent } from 'react'
import { api, ApiError, IMPLEMENTATION_LEVELS, type ImplementationLevel, type Provision, type StatusEntry } from '../../api.ts'
import { ErrorMessage } from '../../components/ErrorMessage.tsx'
import { LevelMeter, LocalText, levelName } from '../../components/Labels.tsx'
import { SigningNote } from '../../components/SigningNote.tsx'
import { useI18n, type MessageKey } from '../../i18n/index.tsx'
import { Link } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { fromUtcInput, nowUtcInput } from '../../time.ts'
import { asApiError, useResource } from '../../useResource.ts'
import { verifyPath } from '../VerifyPage.tsx'

type Props = {
  agreementId: string
  provision: Provision
  canReport: boolean
  partyName: (partyId: string) => string
  onReported: (entry: StatusEntry) => void
}

function StatusForm({ agreementId, provision, onSaved }: { agreementId: string; provision: Provision; onSaved: (entry: StatusEntry) => void }) {
  const { t } = useI18n()
  const [level, setLevel] = useState<ImplementationLevel>(() => {
    const current = provision.status?.level
    return current === 0 || current === 1 || current === 2 || current === 3 ? current : 0
  })
  const [asOf, setAsOf] = useState(nowUtcInput)
  const [evidence, setEvidence] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  const id = `status-${provision.id}`

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    setError(null)
    setSaved(null)
    const instant = fromUtcInput(asOf)
    if (instant === null) {
      setError(new ApiError(400, 'validation_failed', '', [{ path: 'asOf', message: t('error.invalidDateTime') }]))
      return
    }
    setBusy(true)
    try {
      const entry = await api.reportStatus(agreementId, provision.id, { level, asOf: instant, evidence: evidence.trim() })
      setEvidence('')
      setSaved(t('implementation.saved', { level: entry.level, name: levelName(t, entry.level) }))
      onSaved(entry)
    } catch (err) {
      setError(asApiError(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="form form-compact" data-testid="status-form" onSubmit={(e) => void submit(e)}>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${id}-level`}>{t('implementation.formLevel')}</label>
          <select
            id={`${id}-level`} data-testid="status-level" value={level}
            onChange={(e) => {
              const v = Number(e.target.value)
              if (v === 0 || v === 1 || v === 2 || v === 3) setLevel(v)
            }}
          >
            {IMPLEMENTATION_LEVELS.map((l) => (
              <option key={l} value={l}>{t('level.option', { level: l, name: levelName(t, l) })}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-asof`}>{t('implementation.formAsOf')}</label>
          <input
            id={`${id}-asof`} data-testid="status-asof" type="datetime-local" required dir="ltr"
            value={asOf} onChange={(e) => setAsOf(e.target.value)}
          />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-evidence`}>{t('implementation.formEvidence')}</label>
        <textarea
          id={`${id}-evidence`} data-testid="status-evidence" required minLength={3} maxLength={10000} rows={3} dir="auto"
          aria-describedby={`${id}-evidence-hint`} value={evidence} onChange={(e) => setEvidence(e.target.value)}
        />
        <p id={`${id}-evidence-hint`} className="hint">{t('implementation.formEvidenceHint')}</p>
      </div>
      {error && <ErrorMessage error={error} testId="status-error" />}
      {saved && <p className="alert alert-success" role="status" data-testid="status-saved">{saved}</p>}
      <SigningNote />
      <button type="submit" className="button button-primary" data-testid="status-submit" disabled={busy}>
        {busy ? t('implementation.formSubmitting') : t('implementation.formSubmit')}
      </button>
    </form>
  )
}

function History({ agreementId, provisionId, generation, partyName }: { agreementId: string; provisionId: string; generation: number; partyName: (id: string) => string }) {
  const { t, formatDateTime } = useI18n()
  const history = useResource(`${provisionId}#${generation}`, () => api.provisionHistory(agreementId, provisionId))
  if (history.error) return <ErrorMessage error={history.error} onRetry={() => void history.reload()} />
  if (!history.data) return <p className="loading" role="status">{t('common.loading')}</p>
  if (history.data.items.length === 0) return <p className="empty" data-testid="history-empty">{t('implementation.historyEmpty')}</p>
  return (
    <div className="table-wrap">
      <table className="table table-compact" data-testid="status-history">
        <thead>
          <tr>
            <th scope="col">{t('implementation.historyAsOf')}</th>
            <th scope="col">{t('implementation.historyLevel')}</th>
            <th scope="col">{t('implementation.historyEvidence')}</th>
            <th scope="col">{t('implementation.historyParty')}</th>
            <th scope="col">{t('implementation.historyRecorded')}</th>
          </tr>
        </thead>
        <tbody>
          {history.data.items.map((entry) => (
            <tr key={entry.id} data-testid="history-entry" data-level={entry.level} data-submission={entry.submissionId}>
              <td>{formatDateTime(entry.asOf)}</td>
              <td><LevelMeter level={entry.level} /></td>
              <td dir="auto" className="evidence">{entry.evidence}</td>
              <td>{partyName(entry.partyId)}</td>
              <td className="muted">
                {formatDateTime(entry.createdAt)}
                {/* In this cell rather than a column of its own: the table is already wide in a provision card. */}
                <Link to={verifyPath(entry.submissionId)} className="history-verify" data-testid="history-verify" title={t('verify.linkLabel')}>
                  {t('verify.link')}
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function ProvisionCard({ agreementId, provision, canReport, partyName, onReported }: Props) {
  const { t, formatDate, formatDateTime } = useI18n()
  const canReadActors = useSession().can('actor.read')
  const [historyOpen, setHistoryOpen] = useState(false)
  const [generation, setGeneration] = useState(0)
  const withdrawn = provision.withdrawnAt !== null
  const status = provision.status

  return (
    <li className={withdrawn ? 'provision provision-withdrawn' : 'provision'} data-testid="provision" data-number={provision.number} id={`provision-${provision.number}`}>
      <div className="provision-head">
        <span className="provision-number">{t('agreement.provision', { number: provision.number })}</span>
        <span className={`category category-${provision.category}`} data-testid="provision-category">
          {t(`category.${provision.category}` as MessageKey)}
        </span>
        {withdrawn && <span className="badge badge-withdrawn">{t('agreement.withdrawn', { date: formatDate(provision.withdrawnAt) })}</span>}
      </div>
      {Object.keys(provision.title).length > 0 && <LocalText text={provision.title} as="h3" className="provision-title" markFallback={false} />}
      <div className="provision-text">
        <LocalText text={provision.text} as="p" testId="provision-text" />
      </div>

      {provision.exclusions.length > 0 && (
        <div className="exclusions">
          <h4>{t('agreement.exclusions')}</h4>
          <ul>
            {provision.exclusions.map((x) => (
              <li key={x.id} data-testid="exclusion">
                <LocalText text={x.description} as="p" />
                {(x.namedGroup || x.designationAuthority) && (
                  <dl className="exclusion-facts">
                    {x.namedGroup && <><dt>{t('agreement.namedGroup')}</dt><dd dir="auto">{x.namedGroup}</dd></>}
                    {x.designationAuthority && <><dt>{t('agreement.designationAuthority')}</dt><dd dir="auto">{x.designationAuthority}</dd></>}
                  </dl>
                )}
              </li>
            ))}
          </ul>
          {canReadActors && (
            <p className="delineation-link">
              <Link to={`/agreements/${encodeURIComponent(agreementId)}/delineation`} data-testid="delineation-link">{t('delineation.link')}</Link>
            </p>
          )}
        </div>
      )}

      <div className="implementation" data-testid="provision-status" data-level={status?.level ?? ''}>
        <h4>{t('implementation.title')}</h4>
        {status ? (
          <>
            <p className="implementation-level"><LevelMeter level={status.level} /></p>
            <p className="muted small">
              {t('implementation.asOf', { date: formatDateTime(status.asOf) })} · {t('implementation.reportedBy', { party: partyName(status.partyId) })}
            </p>
            <p className="evidence" dir="auto"><span className="visually-hidden">{t('implementation.evidence')}: </span>{status.evidence}</p>
          </>
        ) : (
          <p className="muted">{t('implementation.none')}</p>
        )}
      </div>

      <details
        className="disclosure" data-testid="history-toggle" open={historyOpen}
        onToggle={(e) => setHistoryOpen(e.currentTarget.open)}
      >
        <summary>{t('implementation.history')}</summary>
        {historyOpen && <History agreementId={agreementId} provisionId={provision.id} generation={generation} partyName={partyName} />}
      </details>

      {canReport && !withdrawn && (
        <details className="disclosure disclosure-action">
          <summary data-testid="status-form-toggle">{t('implementation.formTitle')}</summary>
          <StatusForm
            agreementId={agreementId} provision={provision}
            onSaved={(entry) => {
              setGeneration((g) => g + 1)
              setHistoryOpen(true)
              onReported(entry)
            }}
          />
        </details>
      )}
    </li>
  )
}
