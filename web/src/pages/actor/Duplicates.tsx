// Keeping the registry one actor per group, on the actor page: the possible duplicates of this
// actor (every other actor whose names come close to one of its names), each judged "same" or
// "not the same" or merged in either direction after a confirmation; the judgements already
// recorded, with who made them; and splitting a new actor off this one with some of its names.
// The server applies the judgements: a "not the same" candidate is no longer offered, and a merge
// of two actors judged not the same is refused (409 judged_not_same), which is said in words.
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { ACTOR_TYPES, api, ApiError, type ActorDetail, type ActorType, type MatchCandidate } from '../../api.ts'
import { ErrorMessage } from '../../components/ErrorMessage.tsx'
import { useI18n, type MessageKey } from '../../i18n/index.tsx'
import { Link, navigate } from '../../router.tsx'
import { asApiError, useResource } from '../../useResource.ts'
import { BandBadge, MatchedName } from '../MatchPage.tsx'
import type { Names } from './Claims.tsx'

/** Candidates asked for per name; a duplicate worth judging ranks well above this. */
const PER_NAME = 10

type Action = 'same' | 'not_same' | 'merge_in' | 'merge_out'
type Pending = { action: Action; candidate: MatchCandidate }

/** The name claims of the actor itself that still stand (not withdrawn). */
export const ownNameClaims = (actor: ActorDetail) => actor.claims.filter((c) => c.fact === 'name' && c.actorId === actor.id && !c.retracted && c.value)

/**
 * One list from the candidates of each name: an actor found through several names appears once,
 * with its best score (and the name that gave it), best first.
 */
export function mergeCandidates(lists: readonly (readonly MatchCandidate[])[]): MatchCandidate[] {
  const best = new Map<string, MatchCandidate>()
  for (const list of lists) {
    for (const c of list) {
      const seen = best.get(c.actorId)
      if (!seen || c.score > seen.score) best.set(c.actorId, c)
    }
  }
  return [...best.values()].sort((a, b) => b.score - a.score)
}

const TITLE: Readonly<Record<Action, MessageKey>> = {
  same: 'duplicates.same', not_same: 'duplicates.notSame', merge_in: 'duplicates.mergeIn', merge_out: 'duplicates.mergeOut',
}
const QUESTION: Readonly<Record<Action, MessageKey>> = {
  same: 'duplicates.confirmSame', not_same: 'duplicates.confirmNotSame', merge_in: 'duplicates.confirmMergeIn', merge_out: 'duplicates.confirmMergeOut',
}

/** Said in plain words: the refusals a reader can act on. */
const PLAIN: Readonly<Record<string, MessageKey>> = {
  judged_not_same: 'duplicates.blockedNotSame',
  merged_already: 'duplicates.mergedAlready',
}

function ConfirmDialog({ pending, actor, names, onDone, onCancel }: {
  pending: Pending; actor: ActorDetail; names: Names; onDone: () => void; onCancel: () => void
}) {
  const { t, pick } = useI18n()
  const ref = useRef<HTMLDialogElement>(null)
  const [note, setNote] = useState('')
  const [error, setError] = useState<ApiError | null>(null)
  const [saving, setSaving] = useState(false)
  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    return () => dialog?.close()
  }, [])

  const { action, candidate } = pending
  const words = { self: names.actor(actor.id), other: pick(candidate.displayName)?.text ?? candidate.actorId.slice(0, 8) }
  const judging = action === 'same' || action === 'not_same'

  const confirm = async (e: FormEvent) => {
    e.preventDefault()
    setSaving(true)
    setError(null)
    try {
      if (judging) await api.judge(actor.id, candidate.actorId, action, note.trim())
      else if (action === 'merge_in') {
        // The merge checks the version of the actor that goes, so it is read fresh.
        const other = await api.actor(candidate.actorId)
        await api.mergeActor(other.id, actor.id, other.version)
      } else await api.mergeActor(actor.id, candidate.actorId, actor.version)
      onDone()
    } catch (err) {
      setError(asApiError(err))
      setSaving(false)
    }
  }
  const plain = error ? PLAIN[error.code] : undefined

  return (
    <dialog ref={ref} className="confirm-dialog" aria-labelledby="duplicate-dialog-title" data-testid="duplicate-dialog" data-action={action}
      onCancel={(e) => { e.preventDefault(); onCancel() }}>
      <form method="dialog" className="form form-compact" onSubmit={(e) => void confirm(e)}>
        <h3 id="duplicate-dialog-title">{t(TITLE[action])}</h3>
        <p data-testid="dialog-question">{t(QUESTION[action], words)}</p>
        {judging && (
          <div className="field">
            <label htmlFor="judgement-note">{t('duplicates.note')}</label>
            <textarea id="judgement-note" rows={3} dir="auto" value={note} maxLength={2000} data-testid="judgement-note" onChange={(e) => setNote(e.target.value)} />
          </div>
        )}
        {error && (plain
          ? <p className="alert alert-error" role="alert" data-testid="dialog-error" data-error-code={error.code}>{t(plain)}</p>
          : <ErrorMessage error={error} testId="dialog-error" />)}
        <div className="dialog-actions">
          <button type="submit" className="button button-primary" disabled={saving || plain !== undefined} data-testid="dialog-confirm">
            {saving ? t('duplicates.working') : t('duplicates.confirm')}
          </button>
          <button type="button" className="button button-secondary" onClick={onCancel} data-testid="dialog-cancel">{t('duplicates.cancel')}</button>
        </div>
      </form>
    </dialog>
  )
}

/** The possible duplicates of an actor, for those who manage the registry. */
export function Duplicates({ actor, names, onChanged }: { actor: ActorDetail; names: Names; onChanged: () => void }) {
  const { t, lang, pick } = useI18n()
  const [pending, setPending] = useState<Pending | null>(null)
  const values = [...new Set(ownNameClaims(actor).map((c) => c.value!.trim()))].sort()
  // The key moves with every judgement or merge recorded here (the actor's version or its list of
  // judgements changes), so the candidates are asked for again and the server's verdict applies.
  const key = values.length === 0 ? null : `duplicates|${actor.id}|${actor.version}|${actor.judgements.map((j) => j.id).join(',')}|${values.join('\u0000')}`
  const candidates = useResource(key, async () =>
    mergeCandidates(await Promise.all(values.map(async (name) => (await api.match(name, { actorId: actor.id, limit: PER_NAME })).candidates))))
  const score = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
  const list = candidates.data ?? []

  // A merge into this actor changes neither its version nor its judgements, so the candidates are
  // asked for again here as well as through the actor's reload.
  const done = () => {
    setPending(null)
    onChanged()
    void candidates.reload()
  }

  return (
    <section className="card duplicates" aria-labelledby="duplicates-title" data-testid="duplicates" aria-busy={candidates.loading}>
      <h2 id="duplicates-title">{t('duplicates.title')}</h2>
      <p className="muted small">{t('duplicates.intro')}</p>
      {values.length === 0 && <p className="empty">{t('duplicates.noNames')}</p>}
      {candidates.error && <ErrorMessage error={candidates.error} onRetry={() => void candidates.reload()} />}
      {key !== null && !candidates.data && !candidates.error && <p className="loading" role="status">{t('common.loading')}</p>}
      {candidates.data && list.length === 0 && <p className="empty" data-testid="duplicates-none">{t('duplicates.none')}</p>}
      {list.length > 0 && (
        <ul className="duplicate-list" data-testid="duplicate-list">
          {list.map((c) => (
            <li key={c.actorId} className="duplicate" data-testid="duplicate" data-actor={c.actorId} data-band={c.band}>
              <div className="duplicate-head">
                <Link to={`/actors/${encodeURIComponent(c.actorId)}`} data-testid="duplicate-name"><bdi>{pick(c.displayName)?.text ?? c.actorId.slice(0, 8)}</bdi></Link>
                <BandBadge band={c.band} />
                <span className="muted small" data-testid="duplicate-score">{t('match.score', { score: score.format(c.score) })}</span>
              </div>
              <p className="small">{t('match.matchedName')}: <MatchedName candidate={c} /></p>
              <div className="duplicate-actions">
                <button type="button" className="button button-secondary" data-testid="duplicate-same" onClick={() => setPending({ action: 'same', candidate: c })}>{t('duplicates.same')}</button>
                <button type="button" className="button button-secondary" data-testid="duplicate-not-same" onClick={() => setPending({ action: 'not_same', candidate: c })}>{t('duplicates.notSame')}</button>
                <button type="button" className="button button-secondary" data-testid="duplicate-merge-in" onClick={() => setPending({ action: 'merge_in', candidate: c })}>{t('duplicates.mergeIn')}</button>
                <button type="button" className="button button-secondary" data-testid="duplicate-merge-out" onClick={() => setPending({ action: 'merge_out', candidate: c })}>{t('duplicates.mergeOut')}</button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {pending && <ConfirmDialog key={`${pending.action}|${pending.candidate.actorId}`} pending={pending} actor={actor} names={names} onDone={done} onCancel={() => setPending(null)} />}
    </section>
  )
}

/** The "same" and "not the same" judgements recorded about this actor, newest first. */
export function Judgements({ actor, names }: { actor: ActorDetail; names: Names }) {
  const { t, formatDateTime } = useI18n()
  const judgements = [...actor.judgements].sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  return (
    <section className="card judgements" aria-labelledby="judgements-title" data-testid="judgements">
      <h2 id="judgements-title">{t('judgements.title')}</h2>
      {judgements.length === 0 ? <p className="empty" data-testid="judgements-none">{t('judgements.none')}</p> : (
        <ul className="judgement-list">
          {judgements.map((j) => (
            <li key={j.id} className="judgement" data-testid="judgement" data-verdict={j.verdict} data-other={j.otherActorId}>
              <span className={`badge verdict-${j.verdict}`} data-testid="judgement-verdict">{t(`judgements.${j.verdict}` as MessageKey)}</span>{' '}
              <Link to={`/actors/${encodeURIComponent(j.otherActorId)}`} data-testid="judgement-other"><bdi>{names.actor(j.otherActorId)}</bdi></Link>
              <p className="muted small" data-testid="judgement-by">{t('judgements.by', { party: names.party(j.partyId), date: formatDateTime(j.createdAt) })}</p>
              {j.note && <p className="small judgement-note" dir="auto" data-testid="judgement-note-text">{j.note}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

/** Splitting a new actor off this one: it takes the chosen names and succeeds this one by split. */
export function SplitForm({ actor }: { actor: ActorDetail }) {
  const { t } = useI18n()
  const names = ownNameClaims(actor)
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set())
  const [type, setType] = useState<ActorType>(actor.type)
  const [displayName, setDisplayName] = useState('')
  const [date, setDate] = useState('')
  const [source, setSource] = useState('')
  const [error, setError] = useState<ApiError | null>(null)
  const [saving, setSaving] = useState(false)

  const toggle = (id: string, on: boolean) => setChosen((old) => {
    const next = new Set(old)
    if (on) next.add(id)
    else next.delete(id)
    return next
  })
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setSaving(true)
    setError(null)
    try {
      const created = await api.splitActor(actor.id, {
        type, displayName: { en: displayName.trim() }, nameClaimIds: names.filter((c) => chosen.has(c.id)).map((c) => c.id),
        ...(date ? { date } : {}), source: source.trim(),
      })
      navigate(`/actors/${encodeURIComponent(created.id)}`)
    } catch (err) {
      setError(asApiError(err))
      setSaving(false)
    }
  }

  return (
    <section className="card" aria-labelledby="split-title">
      <h2 id="split-title">{t('split.title')}</h2>
      <p className="muted small">{t('split.intro')}</p>
      <form className="form form-compact" onSubmit={(e) => void submit(e)} noValidate data-testid="split-form">
        <fieldset className="split-names">
          <legend>{t('split.names')}</legend>
          {names.map((c) => (
            <label key={c.id} className="checkbox" data-testid="split-name">
              <input type="checkbox" checked={chosen.has(c.id)} onChange={(e) => toggle(c.id, e.target.checked)} />{' '}
              <bdi lang={c.lang ?? undefined} dir="auto">{c.value}</bdi>
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="split-type">{t('split.type')}</label>
          <select id="split-type" value={type} data-testid="split-type" onChange={(e) => setType(e.target.value as ActorType)}>
            {ACTOR_TYPES.map((x) => <option key={x} value={x}>{t(`actorType.${x}` as MessageKey)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="split-displayName">{t('split.displayName')}</label>
          <input id="split-displayName" type="text" lang="en" dir="ltr" value={displayName} data-testid="split-displayName" onChange={(e) => setDisplayName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="split-date">{t('split.date')}</label>
          <input id="split-date" type="date" value={date} data-testid="split-date" onChange={(e) => setDate(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="split-source">{t('split.source')}</label>
          <input id="split-source" type="text" dir="auto" value={source} data-testid="split-source" onChange={(e) => setSource(e.target.value)} />
        </div>
        {error && <ErrorMessage error={error} testId="split-error" />}
        <button type="submit" className="button button-primary" disabled={saving || chosen.size === 0} data-testid="split-submit">
          {saving ? t('split.saving') : t('split.submit')}
        </button>
      </form>
    </section>
  )
}
