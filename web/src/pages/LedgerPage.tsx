// The submission record ("Log"): every change written to the shared record, oldest first, with
// the hash of its canonical payload. Open to participants holding submission.read.
import { allPages, api, ApiError } from '../api.ts'
import { ErrorMessage } from '../components/ErrorMessage.tsx'
import { LoadMore } from '../components/LoadMore.tsx'
import { VisibilityBadge, usePartyName } from '../components/Labels.tsx'
import { useI18n } from '../i18n/index.tsx'
import { Link } from '../router.tsx'
import { useSession } from '../session.tsx'
import { usePagedList } from '../usePagedList.ts'
import { useResource } from '../useResource.ts'
import { useTitle } from '../useTitle.ts'
import { verifyPath } from './VerifyPage.tsx'

export function LedgerPage() {
  const { t, formatDateTime } = useI18n()
  const session = useSession()
  const partyNameOf = usePartyName()
  useTitle(t('ledger.title'))
  const allowed = session.can('submission.read')
  const who = session.me === null ? null : (session.me.userId ?? 'anonymous')
  const list = usePagedList(allowed && who !== null ? `${who}|ledger` : null, (cursor) => api.submissions(cursor))
  const { first, items } = list
  const parties = useResource('parties', () => allPages((cursor) => api.parties(cursor)))

  if (session.me === null) return <p className="loading" role="status">{t('common.loading')}</p>
  if (!allowed) {
    return (
      <section className="page-narrow">
        <h1>{t('ledger.title')}</h1>
        <ErrorMessage error={new ApiError(session.me.kind === 'anonymous' ? 401 : 403, session.me.kind === 'anonymous' ? 'unauthenticated' : 'forbidden', '')} />
        {session.me.kind === 'anonymous' && <p><Link to="/login?next=/ledger">{t('nav.signIn')}</Link></p>}
      </section>
    )
  }

  const partyName = (id: string) => {
    const p = parties.data?.find((x) => x.id === id)
    return p ? partyNameOf(p.name, p.slug) : id.slice(0, 8)
  }
  return (
    <section aria-labelledby="ledger-title">
      <div className="page-head">
        <div>
          <h1 id="ledger-title">{t('ledger.title')}</h1>
          <p className="muted">{t('ledger.intro')}</p>
        </div>
      </div>
      {first.error && <ErrorMessage error={first.error} onRetry={() => void first.reload()} />}
      {!first.data && !first.error && <p className="loading" role="status">{t('common.loading')}</p>}
      {first.data && (items.length === 0 ? <p className="empty">{t('ledger.empty')}</p> : (
        <div className="table-wrap">
          <table className="table table-compact" data-testid="ledger-table">
            <thead>
              <tr>
                <th scope="col">{t('ledger.seq')}</th>
                <th scope="col">{t('ledger.recorded')}</th>
                <th scope="col">{t('ledger.kind')}</th>
                <th scope="col">{t('ledger.party')}</th>
                <th scope="col">{t('ledger.visibility')}</th>
                <th scope="col">{t('ledger.hash')}</th>
                <th scope="col">{t('verify.column')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <tr key={s.id} data-testid="ledger-row" data-submission={s.id}>
                  <td className="numeric">{s.seq}</td>
                  <td>{formatDateTime(s.createdAt)}</td>
                  <td><code dir="ltr">{s.kind}</code></td>
                  <td>{partyName(s.partyId)}</td>
                  <td><VisibilityBadge visibility={s.visibility} /></td>
                  <td><code dir="ltr" className="hash" title={s.payloadSha256}>{s.payloadSha256.slice(0, 16)}…</code></td>
                  <td>
                    <Link to={verifyPath(s.id)} data-testid="ledger-verify" title={t('verify.linkLabel')}>{t('verify.link')}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      <LoadMore list={list} />
    </section>
  )
}
