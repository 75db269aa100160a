// Who is in, who is out: for one agreement and a date, every actor the question concerns against
// each viewpoint (each guarantor, their consensus, each designating authority the agreement's
// exclusions name), with the status in words, an icon and a colour. Rows where the viewpoints
// disagree are highlighted and come first (the server orders them). Each cell opens to the
// claims behind it, each linked to its actor and to its entry in the log. The same table is a
// CSV download.
import { useState } from 'react'
import { api, ApiError, type ActorClaim, type Delineation, type DelineationReason, type DelineationStatus } from '../api.ts'
import { ErrorMessage } from '../components/ErrorMessage.tsx'
import { LocalText } from '../components/Labels.tsx'
import { useI18n, type MessageKey } from '../i18n/index.tsx'
import { Link, navigate, useLocation } from '../router.tsx'
import { useSession } from '../session.tsx'
import { useResource } from '../useResource.ts'
import { useTitle } from '../useTitle.ts'
import { ClaimItem, useNames, type Names } from './actor/Claims.tsx'

const isDate = (v: string | null): v is string => v !== null && /^\d{4}-\d{2}-\d{2}$/.test(v)
const today = () => new Date().toISOString().slice(0, 10)

/** Never colour alone: each status has its own shape, and its name in words beside it. */
function StatusIcon({ status }: { status: DelineationStatus }) {
  const path = status === 'joined' ? 'M3.5 8.5l3 3 6-7'
    : status === 'excluded' ? 'M4 4l8 8M12 4l-8 8'
      : status === 'joined_and_excluded' ? 'M8 2.5l6 11H2z M8 7v3 M8 11.5v.5'
        : 'M6 6a2 2 0 1 1 2.5 1.9c-.4.2-.5.5-.5 1.1 M8 11.5v.5'
  return (
    <svg aria-hidden="true" viewBox="0 0 16 16" className="icon status-icon">
      <path d={path} fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  )
}

function ReasonText({ reason: r, names }: { reason: DelineationReason; names: Names }) {
  const { t, formatDate } = useI18n()
  const via = r.via.map((id) => names.actor(id)).join(' → ')
  return <span>{t(`reason.${r.kind}` as MessageKey, { date: formatDate(r.date ?? null), authority: r.authority ?? '', reference: r.reference ?? '', via })}</span>
}

/** The claims behind one cell, loaded when the reader opens it: they belong to the row's actor and the actors on the way. */
function CellClaims({ actorId, reasons, names }: { actorId: string; reasons: DelineationReason[]; names: Names }) {
  const { t } = useI18n()
  const ids = new Set(reasons.flatMap((r) => r.claimIds))
  const owners = [...new Set([actorId, ...reasons.flatMap((r) => r.via)])]
  const claims = useResource(ids.size === 0 ? null : `cell|${owners.join(',')}|${[...ids].sort().join(',')}`, async () => {
    const details = await Promise.all(owners.map((id) => api.actor(id)))
    const found = new Map<string, ActorClaim>()
    for (const d of details) for (const c of d.claims) if (ids.has(c.id)) found.set(c.id, c)
    return [...found.values()]
  })
  if (ids.size === 0) return <p className="muted small">{t('delineation.noClaims')}</p>
  return (
    <>
      <ul className="reasons">{reasons.map((r, i) => <li key={i} data-testid="cell-reason" data-kind={r.kind}><ReasonText reason={r} names={names} /></li>)}</ul>
      {claims.error && <ErrorMessage error={claims.error} />}
      {claims.data
        ? <ul className="cell-claims" data-testid="cell-claims">{claims.data.map((c) => <li key={c.id}><ClaimItem claim={c} names={names} /></li>)}</ul>
        : !claims.error && <p className="loading" role="status">{t('common.loading')}</p>}
    </>
  )
}

function Cell({ actorId, cell, names, viewpoint }: { actorId: string; cell: Delineation['rows'][number]['cells'][string]; names: Names; viewpoint: string }) {
  const { t } = useI18n()
  const [open, setOpen] = useState(false)
  return (
    <td className={`dl-cell dl-${cell.status}`} data-testid="dl-cell" data-viewpoint={viewpoint} data-status={cell.status}>
      <details onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>
          <span className="dl-status"><StatusIcon status={cell.status} /> {t(`dstatus.${cell.status}` as MessageKey)}</span>
          {cell.reasons.length > 0 && <span className="visually-hidden"> — {t('delineation.why')}</span>}
        </summary>
        {open && <CellClaims actorId={actorId} reasons={cell.reasons} names={names} />}
      </details>
    </td>
  )
}

export function DelineationPage({ slug }: { slug: string }) {
  const { t, pick } = useI18n()
  const session = useSession()
  const { search } = useLocation()
  const rawAt = search.get('at')
  const at = isDate(rawAt) ? rawAt : today()
  const allowed = session.can('actor.read')
  const who = session.me === null ? null : (session.me.userId ?? 'anonymous')
  const agreement = useResource(who === null ? null : `${who}|${slug}`, () => api.agreement(slug))
  const table = useResource(allowed && who !== null ? `${who}|${slug}|${at}` : null, () => api.delineation(slug, at))
  const d = table.data
  const known = Object.fromEntries((d?.rows ?? []).map((r) => [r.actorId, { en: r.name }]))
  const names = useNames([], [], known)
  const title = pick(agreement.data?.title)?.text
  useTitle(title ? `${t('delineation.title')}: ${title}` : t('delineation.title'))

  const here = `/agreements/${encodeURIComponent(slug)}/delineation`
  if (session.me === null) return <p className="loading" role="status">{t('common.loading')}</p>
  if (!allowed) {
    const anonymous = session.me.kind === 'anonymous'
    return (
      <section className="page-narrow">
        <h1>{t('delineation.title')}</h1>
        <ErrorMessage error={new ApiError(anonymous ? 401 : 403, anonymous ? 'unauthenticated' : 'forbidden', '')} />
        {anonymous && <p><Link to={`/login?next=${encodeURIComponent(here)}`}>{t('nav.signIn')}</Link></p>}
      </section>
    )
  }

  const viewpointLabel = (v: Delineation['viewpoints'][number]) =>
    v.kind === 'party' && v.partyId ? names.party(v.partyId) : v.kind === 'consensus' ? t('viewpoint.consensus') : t('viewpoint.authority', { authority: v.label })

  return (
    <section aria-labelledby="delineation-title" data-testid="delineation">
      <p className="breadcrumb">
        <Link to={`/agreements/${encodeURIComponent(slug)}`}><span aria-hidden="true" className="arrow">←</span> {agreement.data ? <LocalText text={agreement.data.title} markFallback={false} /> : t('delineation.back')}</Link>
      </p>
      <div className="page-head">
        <div>
          <h1 id="delineation-title">{t('delineation.title')}</h1>
          <p className="muted">{t('delineation.intro')}</p>
        </div>
        <div className="filters">
          <div className="field">
            <label htmlFor="dl-at">{t('delineation.date')}</label>
            <input id="dl-at" type="date" value={at} data-testid="dl-at"
              onChange={(e) => { if (isDate(e.target.value)) navigate(`${here}?at=${e.target.value}`, { replace: true }) }} />
          </div>
          <a className="button button-secondary" href={api.delineationCsvUrl(slug, at)} download data-testid="dl-csv">{t('delineation.csv')}</a>
        </div>
      </div>

      {table.error && <ErrorMessage error={table.error} onRetry={() => void table.reload()} />}
      {!d && !table.error && <p className="loading" role="status">{t('common.loading')}</p>}
      {d && (d.rows.length === 0 ? <p className="empty">{t('delineation.empty')}</p> : (
        <div className="table-wrap">
          <table className="table table-compact delineation-table" data-testid="dl-table" data-at={d.at}>
            <caption className="visually-hidden">{t('delineation.caption', { date: d.at })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('delineation.actor')}</th>
                {d.viewpoints.map((v) => <th scope="col" key={v.key} data-viewpoint={v.key}>{viewpointLabel(v)}</th>)}
              </tr>
            </thead>
            <tbody>
              {d.rows.map((r) => (
                <tr key={r.actorId} className={r.disagreement ? 'dl-row dl-disagree' : 'dl-row'} data-testid="dl-row" data-actor={r.actorId}
                  data-name={r.name} data-disagreement={r.disagreement ? 'yes' : 'no'}>
                  <th scope="row">
                    <Link to={`/actors/${encodeURIComponent(r.actorId)}`} data-testid="dl-actor">{names.actor(r.actorId)}</Link>
                    <span className="muted small"> · {t(`actorType.${r.type}` as MessageKey)}</span>
                    {r.disagreement && (
                      <span className="dl-flag" data-testid="dl-flag">
                        <svg aria-hidden="true" viewBox="0 0 16 16" className="icon"><path d="M3 14V2.5h8l-1.5 3 1.5 3H3" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" /></svg>
                        {t('delineation.disagreement')}
                      </span>
                    )}
                  </th>
                  {d.viewpoints.map((v) => <Cell key={v.key} actorId={r.actorId} cell={r.cells[v.key] ?? { status: 'unknown', reasons: [] }} names={names} viewpoint={v.key} />)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  )
}
