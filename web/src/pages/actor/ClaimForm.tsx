// Claim entry on the actor page, for those who may claim: a name, a membership, a succession (its
// predecessor picked by name through the match API), a designation, an accession or a country of
// operation, recorded for the reader's party beside everyone else's. A 400 is shown next to
// the field it names; anything else above the form.
import { useState, type FormEvent, type ReactNode } from 'react'
import { allPages, api, ApiError, NAME_KINDS, SUCCESSION_KINDS, type ActorDetail, type Confidence, type NewClaim } from '../../api.ts'
import { ErrorMessage, useErrorText } from '../../components/ErrorMessage.tsx'
import { SigningNote } from '../../components/SigningNote.tsx'
import { useI18n, type MessageKey } from '../../i18n/index.tsx'
import { useResource } from '../../useResource.ts'
import { MatchPicker } from '../MatchPage.tsx'
import { CountrySelect } from './Countries.tsx'

const FACTS = ['name', 'membership', 'succession', 'designation', 'accession', 'country'] as const
type Fact = (typeof FACTS)[number]

/** The form's fields per fact, each the body field it sends. */
const FIELDS: Readonly<Record<Fact, readonly string[]>> = {
  name: ['kind', 'value', 'lang', 'validFrom', 'validTo'],
  membership: ['umbrellaId', 'role', 'validFrom', 'validTo'],
  succession: ['predecessorId', 'kind', 'date'],
  designation: ['authority', 'reference', 'listedOn', 'delistedOn'],
  accession: ['agreementId', 'guarantorPartyId', 'action', 'date'],
  country: ['country', 'validFrom', 'validTo'],
}
const COMMON = ['source', 'asOf', 'confidence'] as const
const DATES = new Set(['validFrom', 'validTo', 'listedOn', 'delistedOn', 'date', 'asOf'])

export function ClaimForm({ actor, onClaimed }: { actor: ActorDetail; onClaimed: () => void }) {
  const { t, pick } = useI18n()
  const errorText = useErrorText()
  const [fact, setFact] = useState<Fact>('name')
  const [values, setValues] = useState<Record<string, string>>({ kind: 'alias', action: 'joined', confidence: 'medium' })
  const [error, setError] = useState<ApiError | null>(null)
  const [saving, setSaving] = useState(false)
  const [saved, setSaved] = useState(false)
  const actors = useResource(fact === 'membership' ? 'claim-form|actors' : null, () => allPages((cursor) => api.actors({ cursor }), 5))
  const agreements = useResource(fact === 'accession' ? 'claim-form|agreements' : null, () => allPages((cursor) => api.agreements({ cursor, limit: 100 })))
  const parties = useResource(fact === 'accession' ? 'parties' : null, () => allPages((cursor) => api.parties(cursor)))

  const set = (k: string, v: string) => {
    setValues((old) => ({ ...old, [k]: v }))
    setSaved(false)
  }
  const fieldError = (k: string) => error?.details.filter((d) => d.path === `body.${k}`) ?? []
  const shown = new Set([...FIELDS[fact], ...COMMON].map((k) => `body.${k}`))
  // What cannot be put beside a field is said above the form.
  const general = error && new ApiError(error.status, error.code, error.message, error.details.filter((d) => !d.path || !shown.has(d.path)), error.requestId)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setSaving(true)
    setError(null)
    setSaved(false)
    const body: NewClaim = { fact, source: values.source ?? '', confidence: (values.confidence ?? 'medium') as Confidence }
    for (const k of [...FIELDS[fact], 'asOf']) {
      const v = values[k]?.trim()
      if (v) body[k] = v
    }
    try {
      await api.addClaim(actor.id, body)
      setSaved(true)
      setValues((old) => ({ kind: old.kind ?? 'alias', action: old.action ?? 'joined', confidence: old.confidence ?? 'medium', source: old.source ?? '' }))
      onClaimed()
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'client_error', String(err)))
    } finally {
      setSaving(false)
    }
  }

  const changeFact = (next: Fact) => {
    setFact(next)
    setError(null)
    setSaved(false)
    // "kind" is a kind of name for a name and a kind of succession for a succession.
    setValues((old) => ({ ...old, kind: next === 'succession' ? 'rename' : (old.kind && (NAME_KINDS as readonly string[]).includes(old.kind) ? old.kind : 'alias') }))
  }

  const field = (k: string, control: ReactNode) => {
    const errs = fieldError(k)
    const label = fact === 'succession' && k === 'kind' ? 'claimForm.successionKind' : `claimForm.${k}`
    return (
      <div className="field" key={k} data-field={k}>
        <label htmlFor={`claim-${k}`}>{t(label as MessageKey)}</label>
        {control}
        {errs.map((d, i) => <p key={i} className="field-error" id={`claim-${k}-error`} role="alert" data-testid="field-error" data-path={d.path} dir="auto">{d.message}</p>)}
      </div>
    )
  }
  const input = (k: string) => field(k, (
    <input id={`claim-${k}`} type={DATES.has(k) ? 'date' : 'text'} dir={DATES.has(k) ? undefined : 'auto'} value={values[k] ?? ''}
      aria-invalid={fieldError(k).length > 0 || undefined} aria-describedby={fieldError(k).length > 0 ? `claim-${k}-error` : undefined}
      data-testid={`claim-${k}`} onChange={(e) => set(k, e.target.value)} />
  ))
  const select = (k: string, options: { value: string; label: string }[], blank = false) => field(k, (
    <select id={`claim-${k}`} value={values[k] ?? ''} data-testid={`claim-${k}`} aria-invalid={fieldError(k).length > 0 || undefined}
      onChange={(e) => set(k, e.target.value)}>
      {blank && <option value="">—</option>}
      {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
    </select>
  ))

  const control = (k: string) => {
    switch (k) {
      case 'kind': return fact === 'succession'
        ? select(k, SUCCESSION_KINDS.map((x) => ({ value: x, label: t(`successionKind.${x}` as MessageKey) })))
        : select(k, NAME_KINDS.map((x) => ({ value: x, label: t(`nameKind.${x}` as MessageKey) })))
      case 'predecessorId': return field(k, (
        <MatchPicker id="claim-predecessorId" value={values.predecessorId ?? ''} onChange={(id) => set(k, id)} exclude={actor.id}
          invalid={fieldError(k).length > 0} describedBy={fieldError(k).length > 0 ? 'claim-predecessorId-error' : undefined} />
      ))
      case 'umbrellaId': return select(k, (actors.data ?? []).filter((x) => x.id !== actor.id).map((x) => ({ value: x.id, label: pick(x.displayName)?.text ?? x.id })), true)
      case 'agreementId': return select(k, (agreements.data ?? []).map((x) => ({ value: x.slug, label: pick(x.title)?.text ?? x.slug })), true)
      case 'guarantorPartyId': return select(k, (parties.data ?? []).filter((p) => p.kind === 'guarantor').map((p) => ({ value: p.id, label: pick(p.name)?.text ?? p.slug })), true)
      case 'country': return field(k, (
        <CountrySelect id="claim-country" value={values.country ?? ''} onChange={(code) => set(k, code)} blank="—" testId="claim-country"
          invalid={fieldError(k).length > 0} describedBy={fieldError(k).length > 0 ? 'claim-country-error' : undefined} />
      ))
      case 'action': return select(k, [{ value: 'joined', label: t('accession.joined') }, { value: 'withdrew', label: t('accession.withdrew') }])
      case 'confidence': return select(k, (['high', 'medium', 'low'] as const).map((c) => ({ value: c, label: t(`confidence.${c}` as MessageKey) })))
      default: return input(k)
    }
  }

  return (
    <section className="card" aria-labelledby="claim-form-title">
      <h2 id="claim-form-title">{t('claimForm.title')}</h2>
      <p className="muted small">{t('claimForm.intro')}</p>
      <form className="form form-compact" onSubmit={(e) => void submit(e)} noValidate data-testid="claim-form">
        <div className="field">
          <label htmlFor="claim-fact">{t('claimForm.fact')}</label>
          <select id="claim-fact" value={fact} data-testid="claim-fact" onChange={(e) => changeFact(e.target.value as Fact)}>
            {FACTS.map((f) => <option key={f} value={f}>{t(`fact.${f}` as MessageKey)}</option>)}
          </select>
        </div>
        {FIELDS[fact].map(control)}
        {COMMON.map(control)}
        {error && general && (general.details.length > 0 || error.details.length === 0
          ? <ErrorMessage error={general} testId="claim-error" />
          : <p className="alert alert-error" role="alert" data-testid="claim-error">{errorText(error)}</p>)}
        {saved && <p className="alert alert-success" role="status" data-testid="claim-saved">{t('claimForm.saved')}</p>}
        <SigningNote />
        <button type="submit" className="button button-primary" disabled={saving} data-testid="claim-submit">
          {saving ? t('claimForm.saving') : t('claimForm.submit')}
        </button>
      </form>
    </section>
  )
}
