// How an API failure is told to the reader: a sentence in their language when the error code is
// one we know, the server's own message otherwise, and always the code and request id, which
// are what an operator needs to find the request in the logs.
import type { ApiError } from '../api.ts'
import { useI18n, type MessageKey } from '../i18n/index.tsx'

const KNOWN: ReadonlySet<string> = new Set([
  'invalid_credentials', 'too_many_attempts', 'version_conflict', 'forbidden', 'unauthenticated', 'not_found',
  'network_error', 'validation_failed', 'csrf_token_invalid', 'internal_error', 'invalid_signature', 'signing_failed',
])

export function useErrorText(): (error: ApiError) => string {
  const { t } = useI18n()
  return (error) => {
    if (error.code === 'too_many_attempts') {
      const retry = error.details.find((d) => typeof d.retryAfterSeconds === 'number')?.retryAfterSeconds
      if (typeof retry === 'number') return t('error.too_many_attempts_retry', { seconds: Math.ceil(retry) })
    }
    return KNOWN.has(error.code) ? t(`error.${error.code}` as MessageKey) : error.message
  }
}

type Props = {
  error: ApiError
  onRetry?: (() => void) | undefined
  testId?: string
}

export function ErrorMessage({ error, onRetry, testId = 'error' }: Props) {
  const { t } = useI18n()
  const text = useErrorText()
  const details = error.details.filter((d) => d.message !== '' && d.path !== undefined)
  return (
    <div className="alert alert-error" role="alert" data-testid={testId} data-error-code={error.code}>
      <p className="alert-text">{text(error)}</p>
      {details.length > 0 && (
        <ul className="alert-details">
          {details.map((d, i) => (
            <li key={i}>
              <code dir="ltr">{d.path}</code>: <span dir="auto">{d.message}</span>
            </li>
          ))}
        </ul>
      )}
      {/* The server's own words (English), when the line above is our translation of them. */}
      {error.message !== '' && error.code !== error.message && KNOWN.has(error.code) && (
        <p className="alert-meta" lang="en" dir="ltr" data-testid="server-message">{error.message}</p>
      )}
      <p className="alert-meta">
        {t('common.errorCode')}: <code dir="ltr">{error.code}</code>
        {error.requestId && <> · {t('common.requestId')}: <bdi><code dir="ltr">{error.requestId}</code></bdi></>}
      </p>
      {onRetry && (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  )
}
