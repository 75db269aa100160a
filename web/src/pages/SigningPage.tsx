// The Signing key page (/signing), for a signed-in user: load the party's private key from its
// PEM file so that what they submit is signed by their party (signing.ts), see which key is
// loaded, forget it; and the party's registered keys, which decide what may be loaded.
import { useState, type ChangeEvent } from 'react'
import { api, ApiError, type PartyKey } from '../api.ts'
import { ErrorMessage } from '../components/ErrorMessage.tsx'
import { useI18n, type I18n, type MessageKey, type Vars } from '../i18n/index.tsx'
import { Link } from '../router.tsx'
import { useSession } from '../session.tsx'
import { partyKeyStatus, SigningKeyError, type SigningKey } from '../signing.ts'
import { useSigningKey } from '../signingKey.tsx'
import { asApiError, useResource } from '../useResource.ts'
import { useTitle } from '../useTitle.ts'

/** What went wrong loading a key, in the reader's words: a key problem, or an API failure. */
type LoadProblem = { kind: 'key'; error: SigningKeyError } | { kind: 'api'; error: ApiError }

function keyProblemText(t: I18n['t'], formatDateTime: I18n['formatDateTime'], error: SigningKeyError): string {
  const k = error.partyKey
  switch (error.problem) {
    case 'revoked': return t('signing.problem.revoked', { name: k?.name ?? '', date: formatDateTime(k?.revokedAt) })
    case 'not_yet_valid': return t('signing.problem.not_yet_valid', { name: k?.name ?? '', date: formatDateTime(k?.validFrom) })
    case 'expired': return t('signing.problem.expired', { name: k?.name ?? '', date: formatDateTime(k?.validTo) })
    default: return t(`signing.problem.${error.problem}` as MessageKey)
  }
}

const Code = ({ value, testId }: { value: string; testId?: string }) => (
  <bdi><code dir="ltr" className="hash-full" data-testid={testId}>{value}</code></bdi>
)

function LoadedKey({ signingKey, status, persisted, onForget, busy }: {
  signingKey: SigningKey; status: ReturnType<typeof partyKeyStatus> | null; persisted: boolean; onForget: () => void; busy: boolean
}) {
  const { t } = useI18n()
  return (
    <div className="signing-loaded" data-testid="signing-loaded" data-key-id={signingKey.keyId}>
      <dl className="facts facts-wide">
        <div><dt>{t('signing.name')}</dt><dd><bdi data-testid="signing-name">{signingKey.name}</bdi></dd></div>
        <div><dt>{t('signing.fingerprint')}</dt><dd><Code value={signingKey.fingerprint} testId="signing-fingerprint" /></dd></div>
        <div><dt>{t('signing.keyId')}</dt><dd><Code value={signingKey.keyId} testId="signing-key-id" /></dd></div>
        <div><dt>{t('signing.publicKey')}</dt><dd><Code value={signingKey.publicKey} /></dd></div>
      </dl>
      {status !== null && status !== 'active' && (
        <p className="alert alert-error" role="alert" data-testid="signing-stale">
          {t('signing.loadedStale', { status: t(`signing.status.${status}` as MessageKey) })}
        </p>
      )}
      <p className="hint">{persisted ? t('signing.kept') : t('signing.keptVisit')}</p>
      <p>
        <button type="button" className="button button-secondary" data-testid="signing-forget" onClick={onForget} disabled={busy}>
          {t('signing.forget')}
        </button>
      </p>
    </div>
  )
}

function PartyKeys({ keys, loadedId }: { keys: PartyKey[]; loadedId: string | null }) {
  const { t, formatDateTime } = useI18n()
  const now = new Date()
  if (keys.length === 0) return <p className="empty" data-testid="party-keys-empty">{t('signing.noPartyKeys')}</p>
  return (
    <div className="table-wrap">
      <table className="table table-compact" data-testid="party-keys">
        <thead>
          <tr>
            <th scope="col">{t('signing.name')}</th>
            <th scope="col">{t('signing.fingerprint')}</th>
            <th scope="col">{t('signing.validFrom')}</th>
            <th scope="col">{t('signing.validTo')}</th>
            <th scope="col">{t('signing.status')}</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => {
            const status = partyKeyStatus(k, now)
            return (
              <tr key={k.id} data-testid="party-key" data-key-id={k.id} data-status={status} aria-current={k.id === loadedId ? 'true' : undefined}>
                <td>
                  <bdi>{k.name}</bdi>
                  {k.id === loadedId && <> <span className="badge badge-loaded">{t('signing.thisKey')}</span></>}
                </td>
                <td><code dir="ltr" className="hash" title={k.fingerprint}>{k.fingerprint.slice(0, 16)}…</code></td>
                <td>{formatDateTime(k.validFrom)}</td>
                <td>{k.validTo === null ? t('common.openEnded') : formatDateTime(k.validTo)}</td>
                <td><span className={`badge badge-key-${status}`}>{t(`signing.status.${status}` as MessageKey)}</span></td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

export function SigningPage() {
  const { t, formatDateTime } = useI18n()
  const session = useSession()
  const signing = useSigningKey()
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<LoadProblem | null>(null)
  // Kept as a key, not a sentence, so it follows a change of language.
  const [message, setMessage] = useState<{ key: MessageKey; vars?: Vars } | null>(null)
  useTitle(t('signing.title'))
  const user = session.user
  const partyKeys = useResource(user ? `party-keys|${user.partyId}` : null, () => api.partyKeys(user?.partyId ?? ''))

  if (session.me === null) return <p className="loading" role="status">{t('common.loading')}</p>
  if (user === null) {
    return (
      <section className="page-narrow">
        <h1>{t('signing.title')}</h1>
        <p>{t('signing.intro')}</p>
        <p><Link to="/login?next=/signing" data-testid="signing-sign-in">{t('signing.signInFirst')}</Link></p>
      </section>
    )
  }

  const choose = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.currentTarget
    const file = input.files?.[0]
    if (!file) return
    setBusy(true)
    setProblem(null)
    setMessage(null)
    try {
      const key = await signing.load(await file.text())
      setMessage({ key: 'signing.loadedOk', vars: { name: key.name } })
      void partyKeys.reload()
    } catch (err) {
      setProblem(err instanceof SigningKeyError ? { kind: 'key', error: err } : { kind: 'api', error: asApiError(err) })
    } finally {
      // The same file may be chosen again after a fix (say, once its key is registered).
      input.value = ''
      setBusy(false)
    }
  }

  const forget = async () => {
    setBusy(true)
    setProblem(null)
    setMessage(null)
    try {
      await signing.forget()
      setMessage({ key: 'signing.forgotten' })
    } catch (err) {
      setProblem({ kind: 'api', error: asApiError(err) })
    } finally {
      setBusy(false)
    }
  }

  const key = signing.key
  const registered = key === null ? undefined : partyKeys.data?.items.find((k) => k.id === key.keyId)
  return (
    <section aria-labelledby="signing-title" className="signing">
      <div className="page-head">
        <div>
          <h1 id="signing-title">{t('signing.title')}</h1>
          <p className="muted" data-testid="signing-intro">{t('signing.intro')}</p>
        </div>
      </div>

      <section className="card" aria-labelledby="signing-key-title" data-testid="signing-key">
        <h2 id="signing-key-title">{t('signing.loaded')}</h2>
        {!signing.ready && <p className="loading" role="status">{t('common.loading')}</p>}
        {signing.ready && key !== null && (
          <LoadedKey
            signingKey={key} status={registered === undefined ? null : partyKeyStatus(registered, new Date())}
            persisted={signing.persisted} onForget={() => void forget()} busy={busy}
          />
        )}
        {signing.ready && key === null && (
          <>
            <p className="notice" data-testid="signing-none">{t('signing.none')}</p>
            <div className="field">
              <label htmlFor="signing-file">{t('signing.file')}</label>
              <input
                id="signing-file" data-testid="signing-file" type="file" accept=".pem,.key,application/x-pem-file,application/pkcs8"
                aria-describedby="signing-file-hint" disabled={busy} onChange={(e) => void choose(e)}
              />
              <p id="signing-file-hint" className="hint">{t('signing.fileHint')}</p>
            </div>
          </>
        )}
        {busy && <p className="loading" role="status">{t('signing.reading')}</p>}
        {problem?.kind === 'key' && (
          <p className="alert alert-error" role="alert" data-testid="signing-problem" data-problem={problem.error.problem}>
            {keyProblemText(t, formatDateTime, problem.error)}
          </p>
        )}
        {problem?.kind === 'api' && <ErrorMessage error={problem.error} testId="signing-problem" />}
        {message && <p className="alert alert-success" role="status" data-testid="signing-message">{t(message.key, message.vars)}</p>}
      </section>

      <section className="card" aria-labelledby="party-keys-title">
        <h2 id="party-keys-title">{t('signing.partyKeys')}</h2>
        <p className="muted">{t('signing.partyKeysIntro')}</p>
        {partyKeys.error && <ErrorMessage error={partyKeys.error} onRetry={() => void partyKeys.reload()} />}
        {!partyKeys.data && !partyKeys.error && <p className="loading" role="status">{t('common.loading')}</p>}
        {partyKeys.data && <PartyKeys keys={partyKeys.data.items} loadedId={key?.keyId ?? null} />}
      </section>
    </section>
  )
}
