// The list of agreements the reader may see: anonymous visitors get the public ones, signed-in
// participants also those shared with their party. Filterable by status (kept in the address).
import { AGREEMENT_STATUSES, api, type AgreementStatus } from '../api.ts'
import { ErrorMessage } from '../components/ErrorMessage.tsx'
import { LoadMore } from '../components/LoadMore.tsx'
import { LocalText, StatusBadge, VisibilityBadge } from '../components/Labels.tsx'
import { useI18n, type MessageKey } from '../i18n/index.tsx'
import { Link, navigate, useLocation } from '../router.tsx'
import { useSession } from '../session.tsx'
import { usePagedList } from '../usePagedList.ts'
import { useTitle } from '../useTitle.ts'

const isStatus = (v: string | null): v is AgreementStatus => v !== null && (AGREEMENT_STATUSES as readonly string[]).includes(v)

export function AgreementsPage() {
  const { t, formatDate } = useI18n()
  const session = useSession()
  const { search } = useLocation()
  const raw = search.get('status')
  const status = isStatus(raw) ? raw : undefined
  useTitle(t('agreements.title'))

  // Wait for /me before loading, and load again when the reader signs in or out: what the list
  // holds depends on who asks.
  const who = session.me === null ? null : (session.me.userId ?? 'anonymous')
  const key = who === null ? null : `${who}|${status ?? ''}`
  const list = usePagedList(key, (cursor) => api.agreements({ status, cursor }))
  const { first, items } = list

  const anonymous = session.me !== null && session.me.kind === 'anonymous'

  return (
    <section aria-labelledby="agreements-title">
      <div className="page-head">
        <div>
          <h1 id="agreements-title">{t('agreements.title')}</h1>
          <p className="muted">{t('agreements.intro')}</p>
        </div>
        <div className="field field-inline">
          <label htmlFor="status-filter">{t('agreements.filterStatus')}</label>
          <select
            id="status-filter" data-testid="status-filter" value={status ?? ''}
            onChange={(e) => navigate(e.target.value ? `/agreements?status=${e.target.value}` : '/agreements', { replace: true })}
          >
            <option value="">{t('agreements.allStatuses')}</option>
            {AGREEMENT_STATUSES.map((s) => <option key={s} value={s}>{t(`status.${s}` as MessageKey)}</option>)}
          </select>
        </div>
      </div>

      {anonymous && (
        <p className="notice" data-testid="public-only">
          {t('agreements.publicOnly')} <Link to="/login?next=/agreements">{t('nav.signIn')}</Link>
        </p>
      )}

      {first.error && <ErrorMessage error={first.error} onRetry={() => void first.reload()} />}
      {first.loading && !first.data && <p className="loading" role="status">{t('common.loading')}</p>}

      {first.data && (
        items.length === 0 ? (
          <p className="empty" data-testid="agreements-empty">{t('agreements.empty')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="agreements-table">
              <thead>
                <tr>
                  <th scope="col">{t('agreements.colTitle')}</th>
                  <th scope="col">{t('agreements.colTheatre')}</th>
                  <th scope="col">{t('agreements.colStatus')}</th>
                  <th scope="col">{t('agreements.colEffectiveFrom')}</th>
                  <th scope="col">{t('agreements.colEffectiveTo')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((a) => (
                  <tr key={a.id} data-testid="agreement-row" data-slug={a.slug}>
                    <th scope="row">
                      <Link to={`/agreements/${encodeURIComponent(a.slug)}`} className="row-title">
                        <LocalText text={a.title} markFallback={false} />
                      </Link>
                      {a.visibility !== 'public' && <> <VisibilityBadge visibility={a.visibility} /></>}
                    </th>
                    <td>{a.theatre}</td>
                    <td><StatusBadge status={a.status} /></td>
                    <td className="date">{formatDate(a.effectiveFrom)}</td>
                    <td className="date">{a.effectiveTo ? formatDate(a.effectiveTo) : <span className="muted">{t('common.openEnded')}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      )}
      <LoadMore list={list} />
    </section>
  )
}
