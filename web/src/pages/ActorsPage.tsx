// The armed-actor registry: every actor the reader may see, searchable by any of its names in any
// script and filterable by type (both kept in the address). Open to holders of actor.read.
import { useState, type FormEvent } from 'react'
import { ACTOR_TYPES, api, ApiError, type ActorType } from '../api.ts'
import { ErrorMessage } from '../components/ErrorMessage.tsx'
import { LoadMore } from '../components/LoadMore.tsx'
import { LocalText, VisibilityBadge } from '../components/Labels.tsx'
import { useI18n, type MessageKey } from '../i18n/index.tsx'
import { Link, navigate, useLocation } from '../router.tsx'
import { useSession } from '../session.tsx'
import { usePagedList } from '../usePagedList.ts'
import { useTitle } from '../useTitle.ts'

const isActorType = (v: string | null): v is ActorType => v !== null && (ACTOR_TYPES as readonly string[]).includes(v)

const listPath = (q: string, type: string) => {
  const s = new URLSearchParams()
  if (q.trim() !== '') s.set('q', q.trim())
  if (type !== '') s.set('type', type)
  const out = s.toString()
  return out === '' ? '/actors' : `/actors?${out}`
}

export function ActorsPage() {
  const { t, formatDate } = useI18n()
  const session = useSession()
  const { search } = useLocation()
  const q = search.get('q') ?? ''
  const rawType = search.get('type')
  const type = isActorType(rawType) ? rawType : undefined
  const [draft, setDraft] = useState(q)
  useTitle(t('actors.title'))

  const allowed = session.can('actor.read')
  const who = session.me === null ? null : (session.me.userId ?? 'anonymous')
  const list = usePagedList(allowed && who !== null ? `${who}|${q}|${type ?? ''}` : null,
    (cursor) => api.actors({ q: q === '' ? undefined : q, type, cursor }))
  const { first, items } = list

  if (session.me === null) return <p className="loading" role="status">{t('common.loading')}</p>
  if (!allowed) {
    const anonymous = session.me.kind === 'anonymous'
    return (
      <section className="page-narrow">
        <h1>{t('actors.title')}</h1>
        <ErrorMessage error={new ApiError(anonymous ? 401 : 403, anonymous ? 'unauthenticated' : 'forbidden', '')} />
        {anonymous && <p><Link to="/login?next=/actors">{t('nav.signIn')}</Link></p>}
      </section>
    )
  }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    navigate(listPath(draft, type ?? ''), { replace: true })
  }

  return (
    <section aria-labelledby="actors-title">
      <div className="page-head">
        <div>
          <h1 id="actors-title">{t('actors.title')}</h1>
          <p className="muted">{t('actors.intro')}</p>
        </div>
      </div>
      <form className="filters" role="search" onSubmit={submit} data-testid="actors-search">
        <div className="field">
          <label htmlFor="actor-q">{t('actors.search')}</label>
          <input id="actor-q" type="search" dir="auto" value={draft} placeholder={t('actors.searchPlaceholder')}
            data-testid="actors-q" onChange={(e) => setDraft(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="actor-type">{t('actors.filterType')}</label>
          <select id="actor-type" value={type ?? ''} data-testid="actors-type"
            onChange={(e) => navigate(listPath(q, e.target.value), { replace: true })}>
            <option value="">{t('actors.allTypes')}</option>
            {ACTOR_TYPES.map((x) => <option key={x} value={x}>{t(`actorType.${x}` as MessageKey)}</option>)}
          </select>
        </div>
        <button type="submit" className="button button-primary">{t('actors.searchButton')}</button>
      </form>

      {first.error && <ErrorMessage error={first.error} onRetry={() => void first.reload()} />}
      {!first.data && !first.error && <p className="loading" role="status">{t('common.loading')}</p>}
      {first.data && (items.length === 0 ? <p className="empty" data-testid="actors-empty">{t('actors.empty')}</p> : (
        <div className="table-wrap">
          <table className="table" data-testid="actors-table">
            <thead>
              <tr>
                <th scope="col">{t('actors.colName')}</th>
                <th scope="col">{t('actors.colType')}</th>
                <th scope="col">{t('actors.colRegistered')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id} data-testid="actor-row" data-actor={a.id}>
                  <th scope="row">
                    <Link to={`/actors/${encodeURIComponent(a.id)}`} className="row-title"><LocalText text={a.displayName} markFallback={false} /></Link>
                    {a.mergedInto && <> <span className="badge">{t('actor.merged')}</span></>}
                    {a.visibility !== 'parties' && <> <VisibilityBadge visibility={a.visibility} /></>}
                  </th>
                  <td>{t(`actorType.${a.type}` as MessageKey)}</td>
                  <td className="date">{formatDate(a.createdAt)}</td>
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
