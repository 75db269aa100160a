// Amending an agreement: change its status or the end of its validity, with a note saying why.
// The form sends the version it was based on; if someone else amended the agreement meanwhile,
// the server answers 409 version_conflict and the reader is told to reload, not overwritten.
import { useState, type FormEvent } from 'react'
import { AGREEMENT_STATUSES, api, ApiError, type AgreementDetail, type AgreementStatus, type Amendment } from '../../api.ts'
import { ErrorMessage } from '../../components/ErrorMessage.tsx'
import { SigningNote } from '../../components/SigningNote.tsx'
import { useI18n, type MessageKey } from '../../i18n/index.tsx'
import { fromUtcInput, toUtcInput } from '../../time.ts'
import { asApiError } from '../../useResource.ts'

type Props = {
  agreement: AgreementDetail
  onAmended: (detail: AgreementDetail) => void
  onReload: () => void
}

const isStatus = (v: string): v is AgreementStatus => (AGREEMENT_STATUSES as readonly string[]).includes(v)

export function AmendForm({ agreement, onAmended, onReload }: Props) {
  const { t } = useI18n()
  const [status, setStatus] = useState<AgreementStatus>(agreement.status)
  const [effectiveTo, setEffectiveTo] = useState(toUtcInput(agreement.effectiveTo))
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [message, setMessage] = useState<string | null>(null)

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    setError(null)
    setMessage(null)
    const amendment: Amendment = { version: agreement.version, note: note.trim() }
    if (status !== agreement.status) amendment.status = status
    const wantedEnd = effectiveTo === '' ? null : fromUtcInput(effectiveTo)
    if (effectiveTo !== '' && wantedEnd === null) {
      setError(new ApiError(400, 'validation_failed', '', [{ path: 'effectiveTo', message: t('error.invalidDateTime') }]))
      return
    }
    const currentEnd = agreement.effectiveTo === null ? null : new Date(agreement.effectiveTo).toISOString()
    if (wantedEnd !== currentEnd) amendment.effectiveTo = wantedEnd
    if (amendment.status === undefined && amendment.effectiveTo === undefined) {
      setMessage(t('amend.noChanges'))
      return
    }
    setBusy(true)
    try {
      const detail = await api.amend(agreement.id, amendment)
      setNote('')
      setStatus(detail.status)
      setEffectiveTo(toUtcInput(detail.effectiveTo))
      setMessage(t('amend.saved', { revision: detail.revision }))
      onAmended(detail)
    } catch (err) {
      setError(asApiError(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="card" aria-labelledby="amend-title" data-testid="amend">
      <h2 id="amend-title">{t('amend.title')}</h2>
      <p className="muted small">{t('amend.intro')}</p>
      <form className="form form-compact" data-testid="amend-form" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="amend-status">{t('amend.status')}</label>
          <select
            id="amend-status" data-testid="amend-status" value={status}
            onChange={(e) => { if (isStatus(e.target.value)) setStatus(e.target.value) }}
          >
            {AGREEMENT_STATUSES.map((s) => <option key={s} value={s}>{t(`status.${s}` as MessageKey)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="amend-effective-to">{t('amend.effectiveTo')}</label>
          <input
            id="amend-effective-to" data-testid="amend-effective-to" type="datetime-local" dir="ltr"
            aria-describedby="amend-effective-to-hint" value={effectiveTo} onChange={(e) => setEffectiveTo(e.target.value)}
          />
          <p id="amend-effective-to-hint" className="hint">{t('amend.effectiveToHint')}</p>
        </div>
        <div className="field">
          <label htmlFor="amend-note">{t('amend.note')}</label>
          <textarea
            id="amend-note" data-testid="amend-note" required minLength={3} maxLength={2000} rows={3} dir="auto"
            aria-describedby="amend-note-hint" value={note} onChange={(e) => setNote(e.target.value)}
          />
          <p id="amend-note-hint" className="hint">{t('amend.noteHint')}</p>
        </div>
        {error && (
          <ErrorMessage error={error} testId="amend-error" />
        )}
        {error?.code === 'version_conflict' && (
          <p><button type="button" className="button button-secondary" data-testid="amend-reload" onClick={() => { setError(null); onReload() }}>{t('common.reload')}</button></p>
        )}
        {message && <p className="alert alert-success" role="status" data-testid="amend-message">{message}</p>}
        <SigningNote />
        <button type="submit" className="button button-primary" data-testid="amend-submit" disabled={busy}>
          {busy ? t('amend.submitting') : t('amend.submit')}
        </button>
      </form>
    </section>
  )
}
