// One claim about an actor as the actor page and the delineation page show it: the fact in words,
// who claims it, from what source, as of when and how surely, a link to check it in the log, and
// (when withdrawn) struck through with the reason. Also the lookups these need: party names, and
// the names of the actors and agreements a claim points at.
import { useCallback } from 'react'
import { allPages, api, type ActorClaim, type LangText } from '../../api.ts'
import { usePartyName } from '../../components/Labels.tsx'
import { useI18n, type MessageKey } from '../../i18n/index.tsx'
import { Link } from '../../router.tsx'
import { useResource } from '../../useResource.ts'
import { verifyPath } from '../VerifyPage.tsx'
import { useCountryName } from './Countries.tsx'

export type Names = {
  party: (id: string) => string
  actor: (id: string) => string
  agreement: (id: string) => string
}

/** Party names for everyone; actor and agreement names for the ids given (loaded once per set). */
export function useNames(actorIds: readonly string[], agreementIds: readonly string[], known: Readonly<Record<string, LangText>> = {}): Names {
  const { pick } = useI18n()
  const partyNameOf = usePartyName()
  const parties = useResource('parties', () => allPages((cursor) => api.parties(cursor)))
  const wanted = [...new Set(actorIds)].filter((id) => !(id in known)).sort()
  const actors = useResource(wanted.length === 0 ? null : `actors|${wanted.join(',')}`, () =>
    Promise.all(wanted.map((id) => api.actor(id).then((a) => [id, a.displayName] as const, () => [id, null] as const))))
  const agreementList = [...new Set(agreementIds)].sort()
  const agreements = useResource(agreementList.length === 0 ? null : `agreements|${agreementList.join(',')}`, () =>
    Promise.all(agreementList.map((id) => api.agreement(id).then((a) => [id, a.title] as const, () => [id, null] as const))))

  const party = useCallback((id: string) => {
    const p = parties.data?.find((x) => x.id === id)
    // A party the reader cannot see is shown by the start of its id, which is all they may know.
    return p ? partyNameOf(p.name, p.slug) : id.slice(0, 8)
  }, [parties.data, partyNameOf])
  const actor = useCallback((id: string) => {
    const text = known[id] ?? actors.data?.find(([x]) => x === id)?.[1]
    return pick(text)?.text ?? id.slice(0, 8)
  }, [known, actors.data, pick])
  const agreement = useCallback((id: string) => pick(agreements.data?.find(([x]) => x === id)?.[1])?.text ?? id.slice(0, 8), [agreements.data, pick])
  return { party, actor, agreement }
}

/** The ids a set of claims points at, for useNames. */
export const referencesOf = (claims: readonly ActorClaim[]) => ({
  actors: claims.flatMap((c) => [c.actorId, ...(c.otherActorId ? [c.otherActorId] : [])]),
  agreements: claims.flatMap((c) => (c.agreementId ? [c.agreementId] : [])),
})

function ActorLink({ id, names, self }: { id: string; names: Names; self?: string | undefined }) {
  if (id === self) return <bdi>{names.actor(id)}</bdi>
  return <Link to={`/actors/${encodeURIComponent(id)}`} data-testid="claim-actor-link"><bdi>{names.actor(id)}</bdi></Link>
}

/** The fact a claim states, in words, from the point of view of actor `self` (its page), if any. */
export function ClaimFact({ claim: c, names, self }: { claim: ActorClaim; names: Names; self?: string | undefined }) {
  const { t, formatDate } = useI18n()
  const countryName = useCountryName()
  const range = () => {
    if (c.validFrom && c.validTo) return t('claim.between', { from: formatDate(c.validFrom), to: formatDate(c.validTo) })
    if (c.validFrom) return t('claim.from', { date: formatDate(c.validFrom) })
    if (c.validTo) return t('claim.until', { date: formatDate(c.validTo) })
    return null
  }
  const subject = c.actorId === self ? null : <><ActorLink id={c.actorId} names={names} self={self} />: </>
  switch (c.fact) {
    case 'name': {
      const r = range()
      return (
        <span>
          {subject}<span className="muted">{t(`nameKind.${c.kind ?? 'name'}` as MessageKey)}</span>{' '}
          <strong lang={c.lang ?? undefined} dir="auto" data-testid="claim-name" data-script={c.script ?? ''}>{c.value}</strong>
          {c.lang && <span className="muted small"> ({c.lang})</span>}
          {r && <span className="muted"> · {r}</span>}
        </span>
      )
    }
    case 'membership': {
      const r = range()
      return (
        <span>
          {subject}{t('claim.memberOf')} <ActorLink id={c.otherActorId ?? ''} names={names} self={self} />
          {c.kind && <span className="muted"> ({c.kind})</span>}
          {r && <span className="muted"> · {r}</span>}
        </span>
      )
    }
    case 'succession':
      return (
        <span>
          {subject}{t(`succession.${c.kind ?? 'rename'}` as MessageKey)} <ActorLink id={c.otherActorId ?? ''} names={names} self={self} />
          {c.validFrom && <span className="muted"> · {formatDate(c.validFrom)}</span>}
        </span>
      )
    case 'designation': {
      return (
        <span>
          {subject}{t('claim.designatedBy', { authority: c.authority ?? '' })} <code dir="ltr">{c.reference}</code>
          {c.validFrom && <span className="muted"> · {t('claim.listedOn', { date: formatDate(c.validFrom) })}</span>}
          {c.validTo && <span className="muted"> · {t('claim.delistedOn', { date: formatDate(c.validTo) })}</span>}
        </span>
      )
    }
    case 'accession':
      return (
        <span>
          {subject}{t(c.kind === 'withdrew' ? 'claim.withdrewFrom' : 'claim.joined')}{' '}
          {c.agreementId && <Link to={`/agreements/${encodeURIComponent(c.agreementId)}`}><bdi>{names.agreement(c.agreementId)}</bdi></Link>}
          {c.guarantorPartyId && <> {t('claim.through', { party: names.party(c.guarantorPartyId) })}</>}
          {c.validFrom && <span className="muted"> · {formatDate(c.validFrom)}</span>}
        </span>
      )
    case 'country': {
      const r = range()
      return (
        <span>
          {subject}<span data-testid="claim-country" data-country={c.value ?? ''}>{t('claim.operatesIn', { country: countryName(c.value ?? '') })}</span>
          {r && <span className="muted"> · {r}</span>}
        </span>
      )
    }
  }
}

/** A claim with who says it and on what ground; withdrawn claims are struck through, with the reason. */
export function ClaimItem({ claim: c, names, self }: { claim: ActorClaim; names: Names; self?: string | undefined }) {
  const { t, formatDate } = useI18n()
  return (
    <div className={c.retracted ? 'claim claim-retracted' : 'claim'} data-testid="claim" data-claim={c.id} data-fact={c.fact} data-retracted={c.retracted ? 'yes' : 'no'}>
      <span className={`fact-tag fact-${c.fact}`}>{t(`fact.${c.fact}` as MessageKey)}</span>
      <span className="claim-body">{c.retracted ? <s><ClaimFact claim={c} names={names} self={self} /></s> : <ClaimFact claim={c} names={names} self={self} />}</span>
      <span className="claim-meta muted small">
        <span data-testid="claim-party">{t('claim.by', { party: names.party(c.partyId) })}</span>
        {' · '}<span dir="auto">{t('claim.source', { source: c.source })}</span>
        {' · '}{t('claim.asOf', { date: formatDate(c.asOf) })}
        {' · '}<span className={`confidence confidence-${c.confidence}`}>{t(`confidence.${c.confidence}` as MessageKey)}</span>
        {' · '}<Link to={verifyPath(c.submissionId)} data-testid="claim-verify">{t('claim.verify')}</Link>
      </span>
      {c.retracted && (
        <span className="claim-retraction small" data-testid="claim-retraction">
          {t('claim.retracted', { date: formatDate(c.retracted.at) })} <span dir="auto">{c.retracted.reason}</span>
        </span>
      )}
    </div>
  )
}
