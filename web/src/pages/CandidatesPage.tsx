// Coalitions an import found (a UCDP side such as "HTS, Southern Front" names several groups at
// once), for an analyst to settle: for each part, the match API's best candidates to pick from
// (or none); confirming creates the umbrella and the memberships as claims by the analyst's party,
// rejecting sets the candidate aside. A 400 naming one member is shown beside that part.
import { useState, type FormEvent } from 'react'
import { api, ApiError, type ActorCandidate, type ConfirmCandidate, type MatchCandidate } from '../api.ts'
import { ErrorMessage } from '../components/ErrorMessage.tsx'
import { SigningNote } from '../components/SigningNote.tsx'
import { useI18n } from '../i18n/index.tsx'
import { Link } from '../router.tsx'
import { useSession } from '../session.tsx'
import { asApiError, useResource } from '../useResource.ts'
import { useTitle } from '../useTitle.ts'
import { MatchChoices } from './MatchPage.tsx'

type Outcome = { kind: 'confirmed'; umbrellaId: string; members: number } | { kind: 'rejected' }

/** Only an automatic match is chosen for the analyst; anything weaker waits for their pick. */
const preselect = (candidates: MatchCandidate[] | undefined): string =>
  candidates?.[0]?.band === 'automatic' ? candidates[0].actorId : ''

function CandidateCard({ candidate }: { candidate: ActorCandidate }) {
  const { t } = useI18n()
  const matches = useResource(`candidate-parts|${candidate.id}`, async () =>
    Promise.all(candidate.parts.map(async (part) => (await api.match(part, { limit: 5 })).candidates)))
  const [picked, setPicked] = useState<Record<string, string>>({})
  const [source, setSource] = useState(candidate.source)
  const [validFrom, setValidFrom] = useState('')
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<Outcome | null>(null)

  const choiceOf = (part: string, i: number): string => picked[part] ?? preselect(matches.data?.[i])
  const members = candidate.parts.map((part, i) => ({ part, actorId: choiceOf(part, i) })).filter((m) => m.actorId !== '')
  // A 400 names members by their index in the body sent; said beside the part it was.
  const partErrors = (part: string) => (error?.details ?? []).filter((d) => {
    const m = /^body\.members\.(\d+)\./.exec(d.path ?? '')
    return m?.[1] !== undefined && members[Number(m[1])]?.part === part
  })
  const general = error && new ApiError(error.status, error.code, error.message, error.details.filter((d) => !/^body\.members\.\d+\./.test(d.path ?? '')), error.requestId)
  const idBase = `cand-${candidate.id}`

  const run = async (act: () => Promise<Outcome>) => {
    setBusy(true)
    setError(null)
    try {
      setOutcome(await act())
    } catch (e) {
      setError(asApiError(e))
    } finally {
      setBusy(false)
    }
  }
  const confirm = (e: FormEvent) => {
    e.preventDefault()
    if (members.length === 0) {
      setError(new ApiError(0, 'no_member', t('candidates.pickOne')))
      return
    }
    const body: ConfirmCandidate = { members, source: source.trim(), ...(validFrom ? { validFrom } : {}) }
    void run(async () => {
      const r = await api.confirmCandidate(candidate.id, body)
      return { kind: 'confirmed', umbrellaId: r.umbrellaId, members: r.claims.length }
    })
  }
  const reject = () => void run(async () => {
    await api.rejectCandidate(candidate.id)
    return { kind: 'rejected' }
  })

  return (
    <li className="card candidate" data-testid="candidate" data-candidate={candidate.id} data-raw={candidate.raw}>
      <h2 className="candidate-raw"><bdi dir="auto">{candidate.raw}</bdi></h2>
      <p className="muted small">
        {t('candidates.occurrences', { count: candidate.occurrences })} · <span dir="auto">{t('candidates.source', { source: candidate.source })}</span>
      </p>
      {outcome?.kind === 'confirmed' && (
        <p className="alert alert-success" role="status" data-testid="candidate-confirmed">
          {t('candidates.confirmed', { count: outcome.members })}{' '}
          <Link to={`/actors/${encodeURIComponent(outcome.umbrellaId)}`} data-testid="candidate-umbrella">{t('candidates.openUmbrella')}</Link>
        </p>
      )}
      {outcome?.kind === 'rejected' && <p className="alert alert-success" role="status" data-testid="candidate-rejected">{t('candidates.rejected')}</p>}
      {outcome === null && (
        <form className="form form-compact" onSubmit={confirm} noValidate data-testid="candidate-form">
          {matches.loading && <p className="loading" role="status">{t('common.loading')}</p>}
          {matches.error && <ErrorMessage error={matches.error} onRetry={() => void matches.reload()} />}
          {matches.data && candidate.parts.map((part, i) => {
            const errs = partErrors(part)
            const found = matches.data?.[i] ?? []
            return (
              <fieldset key={part} className="candidate-part" data-testid="candidate-part" data-part={part} aria-invalid={errs.length > 0 || undefined}>
                <legend>{t('candidates.choose', { part })}</legend>
                {found.length === 0 && <p className="muted small">{t('candidates.noMatch')}</p>}
                <MatchChoices name={`${idBase}-${i}`} candidates={found} value={choiceOf(part, i)}
                  onChange={(actorId) => setPicked((old) => ({ ...old, [part]: actorId }))} noneLabel={t('candidates.none')} />
                {errs.map((d, k) => <p key={k} className="field-error" role="alert" data-testid="part-error" data-path={d.path} dir="auto">{d.message}</p>)}
              </fieldset>
            )
          })}
          <div className="field">
            <label htmlFor={`${idBase}-source`}>{t('candidates.claimSource')}</label>
            <input id={`${idBase}-source`} type="text" dir="auto" value={source} data-testid="candidate-source" onChange={(e) => setSource(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${idBase}-from`}>{t('candidates.validFrom')}</label>
            <input id={`${idBase}-from`} type="date" value={validFrom} data-testid="candidate-from" onChange={(e) => setValidFrom(e.target.value)} />
          </div>
          {general && (general.details.length > 0 || error.details.length === 0) && <ErrorMessage error={general} testId="candidate-error" />}
          <SigningNote />
          <div className="button-row">
            <button type="submit" className="button button-primary" disabled={busy || !matches.data} data-testid="candidate-confirm">
              {busy ? t('candidates.confirming') : t('candidates.confirm')}
            </button>
            <button type="button" className="button button-secondary" disabled={busy} data-testid="candidate-reject" onClick={reject}>{t('candidates.reject')}</button>
          </div>
        </form>
      )}
    </li>
  )
}

export function CandidatesPage() {
  const { t } = useI18n()
  const session = useSession()
  useTitle(t('candidates.title'))
  const allowed = session.can('actor.manage')
  const who = session.me === null ? null : (session.me.userId ?? 'anonymous')
  const list = useResource(allowed && who !== null ? `candidates|${who}` : null, () => api.actorCandidates('pending'))

  if (session.me === null) return <p className="loading" role="status">{t('common.loading')}</p>
  if (!allowed) {
    const anonymous = session.me.kind === 'anonymous'
    return (
      <section className="page-narrow">
        <h1>{t('candidates.title')}</h1>
        <ErrorMessage error={new ApiError(anonymous ? 401 : 403, anonymous ? 'unauthenticated' : 'forbidden', '')} />
        {anonymous && <p><Link to="/login?next=/actors/candidates">{t('nav.signIn')}</Link></p>}
      </section>
    )
  }
  return (
    <section aria-labelledby="candidates-title">
      <div className="page-head">
        <div>
          <p><Link to="/actors">{t('actor.back')}</Link></p>
          <h1 id="candidates-title">{t('candidates.title')}</h1>
          <p className="muted">{t('candidates.intro')}</p>
        </div>
      </div>
      {list.error && <ErrorMessage error={list.error} onRetry={() => void list.reload()} />}
      {!list.data && !list.error && <p className="loading" role="status">{t('common.loading')}</p>}
      {list.data && (list.data.items.length === 0
        ? <p className="empty" data-testid="candidates-empty">{t('candidates.empty')}</p>
        : <ul className="candidate-list" data-testid="candidates">{list.data.items.map((c) => <CandidateCard key={c.id} candidate={c} />)}</ul>)}
    </section>
  )
}
