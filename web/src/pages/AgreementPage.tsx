// One agreement: what it says (provisions and their exclusions, in the reader's language), who
// is party to it, where it applies (map), how far each provision is implemented and how that
// changed, and its revision history. Coordinators and monitors record implementation levels;
// those who may edit agreements amend it here.
import { lazy, Suspense, useCallback } from 'react'
import { allPages, api, type AgreementDetail } from '../api.ts'
import { ErrorMessage } from '../components/ErrorMessage.tsx'
import { LocalText, StatusBadge, VisibilityBadge, usePartyName } from '../components/Labels.tsx'
import { useI18n, type MessageKey } from '../i18n/index.tsx'
import { Link } from '../router.tsx'
import { useSession } from '../session.tsx'
import { useResource } from '../useResource.ts'
import { useTitle } from '../useTitle.ts'
import { AmendForm } from './agreement/AmendForm.tsx'
import { ProvisionCard } from './agreement/ProvisionCard.tsx'
import { Revisions } from './agreement/Revisions.tsx'

const TruceMap = lazy(() => import('../map/Map.tsx'))

const PARTY_KINDS = new Set(['guarantor', 'signatory', 'monitor', 'humanitarian', 'public'])

function Facts({ agreement }: { agreement: AgreementDetail }) {
  const { t, formatDate } = useI18n()
  return (
    <dl className="facts" data-testid="agreement-facts">
      <div><dt>{t('agreement.status')}</dt><dd><StatusBadge status={agreement.status} /></dd></div>
      <div><dt>{t('agreement.theatre')}</dt><dd data-testid="agreement-theatre">{agreement.theatre}</dd></div>
      <div><dt>{t('agreement.signedOn')}</dt><dd>{formatDate(agreement.signedOn)}</dd></div>
      <div><dt>{t('agreement.effectiveFrom')}</dt><dd>{formatDate(agreement.effectiveFrom)}</dd></div>
      <div>
        <dt>{t('agreement.effectiveTo')}</dt>
        <dd data-testid="agreement-effective-to">{agreement.effectiveTo ? formatDate(agreement.effectiveTo) : t('common.openEnded')}</dd>
      </div>
      <div><dt>{t('agreement.visibility')}</dt><dd><VisibilityBadge visibility={agreement.visibility} /></dd></div>
      <div><dt>{t('agreement.revision')}</dt><dd data-testid="agreement-revision">{agreement.revision}</dd></div>
    </dl>
  )
}

export function AgreementPage({ slug }: { slug: string }) {
  const { t, pick } = useI18n()
  const session = useSession()
  const partyNameOf = usePartyName()
  const who = session.me === null ? null : (session.me.userId ?? 'anonymous')

  const agreement = useResource(who === null ? null : `${who}|${slug}`, () => api.agreement(slug))
  const parties = useResource('parties', () => allPages((cursor) => api.parties(cursor)))
  const id = agreement.data?.id ?? null
  const revisions = useResource(id === null ? null : `${who}|${id}`, () => api.revisions(id ?? ''))
  useTitle(pick(agreement.data?.title)?.text ?? t('agreements.title'))

  const a = agreement.data
  const partyName = useCallback((partyId: string): string => {
    const known = parties.data?.find((p) => p.id === partyId) ?? a?.parties.find((p) => p.partyId === partyId)
    // A party the reader cannot see is shown by the start of its id, which is all they may know.
    return known ? partyNameOf(known.name, known.slug) : partyId.slice(0, 8)
  }, [parties.data, a, partyNameOf])

  if (agreement.error) {
    return (
      <section>
        <p><Link to="/agreements">← {t('agreement.back')}</Link></p>
        <ErrorMessage error={agreement.error} onRetry={() => void agreement.reload()} />
      </section>
    )
  }
  if (!a) return <p className="loading" role="status">{t('common.loading')}</p>

  const reloadAll = () => {
    void agreement.reload()
    void revisions.reload()
  }
  const provisions = a.provisions
  const canReport = a.actions.reportStatus
  const summary = pick(a.summary)

  return (
    <article className="agreement" data-testid="agreement" data-slug={a.slug}>
      <p className="breadcrumb"><Link to="/agreements"><span aria-hidden="true" className="arrow">←</span> {t('agreement.back')}</Link></p>
      <header className="agreement-head">
        <LocalText text={a.title} as="h1" testId="agreement-title" />
        <div className="agreement-badges">
          <StatusBadge status={a.status} />
          <span className="muted">{a.theatre}</span>
        </div>
      </header>

      <div className="agreement-layout">
        <div className="agreement-main">
          {summary && (
            <section aria-labelledby="summary-title" className="card">
              <h2 id="summary-title">{t('agreement.summary')}</h2>
              <LocalText text={a.summary} as="p" className="summary" testId="agreement-summary" />
            </section>
          )}

          <section className="card card-flush" aria-labelledby="map-title">
            <h2 id="map-title" className="card-title-padded">{t('agreement.map')}: {a.theatre}</h2>
            <Suspense fallback={<div className="map-frame"><p className="loading" role="status">{t('common.loading')}</p></div>}>
              <TruceMap theatre={a.theatre} label={t('map.label', { place: a.theatre })} />
            </Suspense>
          </section>

          <section aria-labelledby="provisions-title">
            <h2 id="provisions-title">{t('agreement.provisions')}</h2>
            {provisions.length === 0 ? (
              <p className="empty">{t('agreement.noProvisions')}</p>
            ) : (
              <ol className="provisions" data-testid="provisions">
                {provisions.map((p) => (
                  <ProvisionCard
                    key={p.id} agreementId={a.id} provision={p} partyName={partyName}
                    canReport={canReport}
                    onReported={() => void agreement.reload()}
                  />
                ))}
              </ol>
            )}
          </section>

          <section aria-labelledby="revisions-title" className="card">
            <h2 id="revisions-title">{t('revisions.title')}</h2>
            {revisions.error && <ErrorMessage error={revisions.error} onRetry={() => void revisions.reload()} />}
            {revisions.data ? <Revisions revisions={revisions.data.items} partyName={partyName} /> : !revisions.error && <p className="loading" role="status">{t('common.loading')}</p>}
          </section>
        </div>

        <aside className="agreement-aside">
          <section className="card" aria-label={t('agreement.status')}>
            <Facts agreement={a} />
          </section>

          <section className="card" aria-labelledby="parties-title">
            <h2 id="parties-title">{t('agreement.parties')}</h2>
            {a.parties.length === 0 ? <p className="empty">{t('agreement.noParties')}</p> : (
              <ul className="parties" data-testid="parties">
                {a.parties.map((p) => (
                  <li key={`${p.partyId}-${p.role}`} data-testid="party" data-role={p.role}>
                    <span className="party-name"><LocalText text={p.name} markFallback={false} /></span>
                    <span className="party-meta">
                      <span className={`role role-${p.role}`}>{t(`role.${p.role}` as MessageKey)}</span>
                      {PARTY_KINDS.has(p.kind) && <span className="muted small"> · {t(`partyKind.${p.kind}` as MessageKey)}</span>}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          {a.actions.amend && <AmendForm agreement={a} onAmended={reloadAll} onReload={reloadAll} />}
        </aside>
      </div>
    </article>
  )
}
