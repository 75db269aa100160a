// Sign in with email and password. Wrong passwords and rate limiting (429) are explained in the
// reader's language; on success the reader goes back where they came from, or to the agreements.
import { useState, type FormEvent } from 'react'
import { ApiError } from '../api.ts'
import { ErrorMessage } from '../components/ErrorMessage.tsx'
import { useI18n } from '../i18n/index.tsx'
import { Link, navigate, useLocation } from '../router.tsx'
import { useSession } from '../session.tsx'
import { useTitle } from '../useTitle.ts'

/** Only paths inside this app; anything else could send a fresh session to another site. */
const safeNext = (next: string | null): string => (next && /^\/(?!\/)[^\\]*$/.test(next) && !next.startsWith('/login') ? next : '/agreements')

export function LoginPage() {
  const { t } = useI18n()
  const session = useSession()
  const { search } = useLocation()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  useTitle(t('login.title'))

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await session.login(email.trim(), password)
      navigate(safeNext(search.get('next')), { replace: true })
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'client_error', String(err)))
      setBusy(false)
    }
  }

  return (
    <div className="login">
      <section className="card login-card" aria-labelledby="login-title">
        <h1 id="login-title">{t('login.title')}</h1>
        <p className="muted">{t('login.intro')}</p>
        <form onSubmit={(e) => void submit(e)} className="form">
          <div className="field">
            <label htmlFor="login-email">{t('login.email')}</label>
            <input
              id="login-email" data-testid="login-email" type="email" name="email" autoComplete="username" dir="ltr"
              required value={email} onChange={(e) => setEmail(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="login-password">{t('login.password')}</label>
            <input
              id="login-password" data-testid="login-password" type="password" name="password" autoComplete="current-password" dir="ltr"
              required value={password} onChange={(e) => setPassword(e.target.value)}
            />
          </div>
          {error && <ErrorMessage error={error} testId="login-error" />}
          <button type="submit" className="button button-primary button-wide" data-testid="login-submit" disabled={busy}>
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
        <p className="login-public">
          <Link to="/agreements">{t('login.browsePublic')}</Link>
        </p>
      </section>
    </div>
  )
}
