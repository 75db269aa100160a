// One armed actor: its names in every script, and a timeline of every claim about it (names,
// memberships, successions, designations, accessions), each with the party that claims it, its
// source, as-of date and confidence; withdrawn claims stay, struck through. A viewpoint (a party,
// the guarantors' consensus, an authority) and a date show what that viewpoint derives. Those who
// may claim add a claim here; those who manage the registry judge and merge its possible duplicates
// and split a new actor off it. A merged actor says so first, and offers none of those tools.
import { useState } from 'react'
import { allPages, api, type ActorClaim, type ActorDetail, type ActorView } from '../api.ts'
import { ErrorMessage } from '../components/ErrorMessage.tsx'
import { LocalText } from '../components/Labels.tsx'
import { useI18n, type MessageKey } from '../i18n/index.tsx'
import { Link } from '../router.tsx'
import { useSession } from '../session.tsx'
import { useResource } from '../useResource.ts'
import { useTitle } from '../useTitle.ts'
import { ClaimForm } from './actor/ClaimForm.tsx'
import { ClaimItem, referencesOf, useNames, type Names } from './actor/Claims.tsx'
import { useCountryName } from './actor/Countries.tsx'
import { Duplicates, Judgements, SplitForm } from './actor/Duplicates.tsx'

const today = () => new Date().toISOString().slice(0, 10)
/** When a claim's fact happened, for the timeline's order: its start, else the date it speaks for. */
const whenOf = (c: ActorClaim) => c.validFrom ?? c.asOf

/** The viewpoints worth offering for this actor: who claimed about it, consensus per agreement, each authority. */
function viewpointOptions(actor: ActorDetail, agreements: readonly { id: string; slug: string }[]): { value: string; viewpoint: string; agreement?: string }[] {
  const parties = [...new Set(actor.claims.map((c) => c.partyId))]
  const authorities = [...new Set(actor.claims.flatMap((c) => (c.authority ? [c.authority.trim().toUpperCase().replace(/[\s_-]+/g, '-')] : [])))]
  return [
    ...agreements.map((a) => ({ value: `consensus|${a.slug}`, viewpoint: 'consensus', agreement: a.slug })),
    ...parties.map((p) => ({ value: `party:${p}`, viewpoint: `party:${p}` })),
    ...authorities.map((a) => ({ value: `authority:${a}`, viewpoint: `authority:${a}` })),
    { value: 'consensus', viewpoint: 'consensus' },
  ]
}

function DerivedView({ view, names }: { view: ActorView; names: Names }) {
  const { t, formatDate } = useI18n()
  const countryName = useCountryName()
  const actorLink = (id: string) => <Link to={`/actors/${encodeURIComponent(id)}`}><bdi>{names.actor(id)}</bdi></Link>
  const { countries } = view
  const empty = view.names.length + view.memberOf.length + view.members.length + view.designations.length + view.successions.length + countries.length === 0
  if (empty) return <p className="empty" data-testid="view-empty">{t('actor.viewNothing')}</p>
  return (
    <dl className="derived-view" data-testid="actor-view">
      {view.names.length > 0 && <div><dt>{t('actor.viewNames')}</dt><dd><ul>{view.names.map((n, i) => (
        <li key={i} data-testid="view-name"><bdi dir="auto">{n.value}</bdi> <span className="muted small">{t(`nameKind.${n.kind}` as MessageKey)}</span></li>
      ))}</ul></dd></div>}
      {view.memberOf.length > 0 && <div><dt>{t('actor.viewMemberOf')}</dt><dd><ul>{view.memberOf.map((m, i) => (
        <li key={i} data-testid="view-member-of">{actorLink(m.actorId)}{m.role && <span className="muted"> ({m.role})</span>}</li>
      ))}</ul></dd></div>}
      {view.members.length > 0 && <div><dt>{t('actor.viewMembers')}</dt><dd><ul>{view.members.map((m, i) => (
        <li key={i}>{actorLink(m.actorId)}{m.role && <span className="muted"> ({m.role})</span>}</li>
      ))}</ul></dd></div>}
      {view.designations.length > 0 && <div><dt>{t('actor.viewDesignations')}</dt><dd><ul>{view.designations.map((d, i) => (
        <li key={i} data-testid="view-designation">{d.authority} <code dir="ltr">{d.reference}</code>{d.listedOn && <span className="muted"> · {t('claim.listedOn', { date: formatDate(d.listedOn) })}</span>}</li>
      ))}</ul></dd></div>}
      {view.successions.length > 0 && <div><dt>{t('actor.viewSuccessions')}</dt><dd><ul>{view.successions.map((s, i) => (
        <li key={i}>{t(`succession.${s.kind}` as MessageKey)} {actorLink(s.predecessorId)}{s.date && <span className="muted"> · {formatDate(s.date)}</span>}</li>
      ))}</ul></dd></div>}
      {countries.length > 0 && <div><dt>{t('actor.viewCountries')}</dt><dd><ul>{countries.map((c, i) => (
        <li key={i} data-testid="view-country" data-country={c.country}>{countryName(c.country)}</li>
      ))}</ul></dd></div>}
    </dl>
  )
}

function ViewPanel({ actor, names }: { actor: ActorDetail; names: Names }) {
  const { t, pick } = useI18n()
  const agreements = useResource('agreements|all', () => allPages((cursor) => api.agreements({ cursor, limit: 100 })))
  const options = viewpointOptions(actor, agreements.data ?? [])
  // By default, the reader's own party when it claims anything here, else the consensus of an
  // agreement this actor acceded to, else the first viewpoint offered.
  const mine = useSession().me?.partyId
  const acceded = actor.claims.find((c) => c.fact === 'accession' && c.agreementId)?.agreementId
  const preferred = options.find((o) => mine && o.viewpoint === `party:${mine}`)
    ?? options.find((o) => o.agreement !== undefined && agreements.data?.find((a) => a.id === acceded)?.slug === o.agreement) ?? options[0]
  const [chosen, setChosen] = useState<string | null>(null)
  const [at, setAt] = useState(today)
  const option = options.find((o) => o.value === chosen) ?? preferred
  const view = useResource(option && at ? `${actor.id}|${option.value}|${at}|${actor.version}|${actor.claims.length}` : null,
    () => api.actorView(actor.id, option!.viewpoint, at, option!.agreement))

  const label = (o: (typeof options)[number]) => {
    if (o.agreement !== undefined) return t('viewpoint.consensusOf', { agreement: pick(agreements.data?.find((a) => a.slug === o.agreement)?.title)?.text ?? o.agreement })
    if (o.viewpoint === 'consensus') return t('viewpoint.consensusAll')
    if (o.viewpoint.startsWith('party:')) return names.party(o.viewpoint.slice(6))
    return t('viewpoint.authority', { authority: o.viewpoint.slice(10) })
  }
  return (
    <section className="card view-panel" aria-labelledby="view-title" data-testid="view-panel">
      <h2 id="view-title">{t('actor.view')}</h2>
      <p className="muted small">{t('actor.viewIntro')}</p>
      <div className="form-row">
        <div className="field">
          <label htmlFor="viewpoint">{t('actor.viewpoint')}</label>
          <select id="viewpoint" data-testid="viewpoint" value={option?.value ?? ''} onChange={(e) => setChosen(e.target.value)}>
            {options.map((o) => <option key={o.value} value={o.value}>{label(o)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="view-at">{t('actor.viewDate')}</label>
          <input id="view-at" type="date" data-testid="view-at" value={at} onChange={(e) => setAt(e.target.value)} />
        </div>
      </div>
      {view.error && <ErrorMessage error={view.error} onRetry={() => void view.reload()} />}
      {view.data ? <DerivedView view={view.data} names={names} /> : !view.error && <p className="loading" role="status">{t('common.loading')}</p>}
    </section>
  )
}

export function ActorPage({ id }: { id: string }) {
  const { t, pick } = useI18n()
  const countryName = useCountryName()
  const session = useSession()
  const who = session.me === null ? null : (session.me.userId ?? 'anonymous')
  const actor = useResource(who === null ? null : `${who}|${id}`, () => api.actor(id))
  const a = actor.data
  const refs = referencesOf(a?.claims ?? [])
  const others = [...(a?.judgements.map((j) => j.otherActorId) ?? []), ...(a?.mergedInto ? [a.mergedInto] : [])]
  const names = useNames([...refs.actors, ...others], refs.agreements, a ? { [a.id]: a.displayName } : {})
  useTitle(pick(a?.displayName)?.text ?? t('actors.title'))

  if (actor.error) {
    return (
      <section>
        <p><Link to="/actors">← {t('actor.back')}</Link></p>
        <ErrorMessage error={actor.error} onRetry={() => void actor.reload()} />
      </section>
    )
  }
  if (!a) return <p className="loading" role="status">{t('common.loading')}</p>

  const timeline = [...a.claims].sort((x, y) => whenOf(x).localeCompare(whenOf(y)) || x.createdAt.localeCompare(y.createdAt))
  const ownNames = a.claims.filter((c) => c.fact === 'name' && c.actorId === a.id && !c.retracted)
  // A merged actor is history: its duplicates are judged and split on the actor it was merged into.
  const manage = session.can('actor.manage') && a.mergedInto === null

  return (
    <article className="actor" data-testid="actor" data-actor={a.id}>
      <p className="breadcrumb"><Link to="/actors"><span aria-hidden="true" className="arrow">←</span> {t('actor.back')}</Link></p>
      <header className="agreement-head">
        <LocalText text={a.displayName} as="h1" testId="actor-title" />
        <div className="agreement-badges">
          <span className="badge">{t(`actorType.${a.type}` as MessageKey)}</span>
          {a.mergedInto && <Link to={`/actors/${encodeURIComponent(a.mergedInto)}`} className="badge">{t('actor.mergedInto', { actor: names.actor(a.mergedInto) })}</Link>}
        </div>
      </header>
      {a.mergedInto && (
        <div className="alert alert-merged" role="note" data-testid="merged-banner">
          <p className="alert-text">{t('actor.mergedBanner')} <Link to={`/actors/${encodeURIComponent(a.mergedInto)}`} data-testid="merged-into"><bdi>{names.actor(a.mergedInto)}</bdi></Link></p>
          <p className="alert-meta">{t('actor.mergedBannerNote')}</p>
        </div>
      )}

      <div className="agreement-layout">
        <div className="agreement-main">
          <section className="card" aria-labelledby="names-title">
            <h2 id="names-title">{t('actor.names')}</h2>
            <ul className="actor-names" data-testid="actor-names">
              {ownNames.map((c) => (
                <li key={c.id} data-testid="actor-name" data-script={c.script ?? ''}>
                  <bdi lang={c.lang ?? undefined} dir="auto">{c.value}</bdi>
                  <span className="muted small"> {t(`nameKind.${c.kind ?? 'name'}` as MessageKey)}{c.script && ` · ${c.script}`}</span>
                </li>
              ))}
            </ul>
            {a.countries.length > 0 && (
              <p className="muted" data-testid="actor-countries">{t('actor.countries')}: {a.countries.map(countryName).join(', ')}</p>
            )}
          </section>

          <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">{t('actor.timeline')}</h2>
            <p className="muted">{t('actor.timelineIntro')}</p>
            {timeline.length === 0 ? <p className="empty">{t('actor.noClaims')}</p> : (
              <ol className="timeline" data-testid="timeline">
                {timeline.map((c) => <li key={c.id}><ClaimItem claim={c} names={names} self={a.id} /></li>)}
              </ol>
            )}
          </section>

          {manage && <Duplicates actor={a} names={names} onChanged={() => void actor.reload()} />}
          <Judgements actor={a} names={names} />
        </div>
        <aside className="agreement-aside">
          <ViewPanel actor={a} names={names} />
          {session.can('actor.claim') && <ClaimForm actor={a} onClaimed={() => void actor.reload()} />}
          {manage && <SplitForm key={a.id} actor={a} />}
        </aside>
      </div>
    </article>
  )
}
