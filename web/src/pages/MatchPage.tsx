// The match tool: a name in any script (and optionally the date it was used) against every actor
// the reader may see, ranked, each with its band in words, icon and colour, the name it matched
// and why, feature by feature. A country (optional) puts the actors operating there first within
// each band. The List tab does the same for a party's list of names at once and
// hands the results back as CSV. The pieces that show a candidate are shared with the forms that
// pick an actor by name (the claim form's predecessor, the coalition review).
import { useMemo, useState, type FormEvent, type KeyboardEvent } from 'react'
import { api, ApiError, type MatchBand, type MatchCandidate, type MatchFeature, type MatchResult } from '../api.ts'
import { ErrorMessage } from '../components/ErrorMessage.tsx'
import { useI18n, type MessageKey } from '../i18n/index.tsx'
import { Link, navigate, useLocation } from '../router.tsx'
import { useSession } from '../session.tsx'
import { asApiError, useResource } from '../useResource.ts'
import { useTitle } from '../useTitle.ts'
import { CountrySelect, useCountryName } from './actor/Countries.tsx'

const KNOWN_FEATURES = new Set(['exact', 'reference', 'token_overlap', 'dictionary', 'skeleton', 'transliteration', 'compound', 'acronym', 'date', 'weak_alias', 'judgement', 'country'])
const COUNTRY_STATUSES = new Set(['match', 'other_country', 'unknown'])
const KNOWN_SCRIPTS = new Set(['Latn', 'Arab', 'Cyrl', 'Other'])
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/
/** The batch endpoint's limit; a longer list is refused before it is sent. */
const MAX_LIST = 2000

function useScore(): (score: number) => string {
  const { lang } = useI18n()
  const format = useMemo(() => new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }), [lang])
  return (score) => format.format(score)
}

/** The band in words with its own icon; the colour only repeats what the words say. */
export function BandBadge({ band }: { band: MatchBand }) {
  const { t } = useI18n()
  return (
    <span className={`badge band band-${band}`} data-testid="band" data-band={band}>
      <svg aria-hidden="true" viewBox="0 0 16 16" className="icon">
        {band === 'automatic' && <path d="M3 8.5l3.2 3L13 4.5" fill="none" stroke="currentColor" strokeWidth="2" />}
        {band === 'review' && <><circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="1.5" /><path d="M8 4.5v4.5M8 10.8v1.2" stroke="currentColor" strokeWidth="1.8" /></>}
        {band === 'possible' && <><circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="1.5" strokeDasharray="2.5 2" /><circle cx="8" cy="8" r="1.6" fill="currentColor" /></>}
      </svg>
      {t(`band.${band}` as MessageKey)}
    </span>
  )
}

/** "Came into use later" or "no longer in use", when the matched name was not in use on the date. */
export function DateFlag({ candidate }: { candidate: MatchCandidate }) {
  const { t } = useI18n()
  if (candidate.dateStatus === 'valid') return null
  return <span className="badge badge-date-flag" data-testid="date-flag" data-date-status={candidate.dateStatus}>{t(`dateStatus.${candidate.dateStatus}` as MessageKey)}</span>
}

/** The name that matched, in its own script, with its script, language and kind said in words. */
export function MatchedName({ candidate }: { candidate: MatchCandidate }) {
  const { t, languageName } = useI18n()
  const n = candidate.matchedName
  const facts = [
    KNOWN_SCRIPTS.has(n.script) ? t(`script.${n.script}` as MessageKey) : n.script,
    n.lang ? languageName(n.lang) : null,
    t(`nameKind.${n.kind}` as MessageKey),
  ].filter((x): x is string => x !== null)
  return (
    <span className="matched-name" data-testid="matched-name" data-script={n.script} data-lang={n.lang ?? ''}>
      <bdi lang={n.lang ?? undefined} dir="auto" className="matched-value">{n.value}</bdi>
      <span className="muted small"> ({facts.join(' · ')})</span>
    </span>
  )
}

function featureValue(f: MatchFeature): number | null {
  return typeof f.value === 'number' && Number.isFinite(f.value) ? f.value : null
}

/** Why the score is what it is: each feature in plain words, its strength and the server's detail. */
export function FeatureList({ features }: { features: MatchFeature[] }) {
  const { t } = useI18n()
  const score = useScore()
  const countryName = useCountryName()
  if (features.length === 0) return <p className="muted small">{t('match.noFeatures')}</p>
  // The country feature orders a band and has no strength: it is said in the reader's language.
  const countryText = (f: MatchFeature): string | null => {
    if (f.feature !== 'country' || typeof f.status !== 'string' || !COUNTRY_STATUSES.has(f.status)) return null
    const countries = Array.isArray(f.countries) ? f.countries.filter((c): c is string => typeof c === 'string') : []
    return t(`countryStatus.${f.status}` as MessageKey, { country: countryName(String(f.country ?? '')), countries: countries.map(countryName).join(', ') })
  }
  return (
    <ul className="feature-list" data-testid="features">
      {features.map((f, i) => {
        const value = featureValue(f)
        const own = countryText(f)
        return (
          <li key={i} data-testid="feature" data-feature={f.feature} data-status={typeof f.status === 'string' ? f.status : undefined}>
            <strong>{KNOWN_FEATURES.has(f.feature) ? t(`feature.${f.feature}` as MessageKey) : f.feature}</strong>
            {value !== null && <span className="muted"> · {t('match.strength', { value: score(value) })}</span>}
            {own !== null
              ? <><br /><span className="feature-detail small" data-testid="feature-detail">{own}</span></>
              : typeof f.detail === 'string' && f.detail !== '' && (
                <><br /><span className="feature-detail small" lang="en" dir="ltr" data-testid="feature-detail">{f.detail}</span></>
              )}
          </li>
        )
      })}
    </ul>
  )
}

/** The optional country a name was used in, for the match forms. */
function CountryField({ value, onChange }: { value: string; onChange: (code: string) => void }) {
  const { t } = useI18n()
  return (
    <div className="field">
      <label htmlFor="match-country">{t('match.country')}</label>
      <CountrySelect id="match-country" value={value} onChange={onChange} blank={t('match.anyCountry')} describedBy="match-country-hint" />
      <p className="muted small" id="match-country-hint">{t('match.countryHint')}</p>
    </div>
  )
}

function ActorName({ candidate }: { candidate: MatchCandidate }) {
  const { pick } = useI18n()
  const picked = pick(candidate.displayName)
  return <bdi lang={picked?.lang} dir="auto">{picked?.text ?? candidate.actorId}</bdi>
}

function CandidateItem({ candidate, rank }: { candidate: MatchCandidate; rank: number }) {
  const { t } = useI18n()
  const score = useScore()
  return (
    <li className="match-candidate" data-testid="match-candidate" data-actor={candidate.actorId} data-band={candidate.band} data-rank={rank}>
      <div className="match-candidate-head">
        <span className="match-rank" aria-hidden="true">{rank}</span>
        <Link to={`/actors/${encodeURIComponent(candidate.actorId)}`} className="row-title" data-testid="candidate-name"><ActorName candidate={candidate} /></Link>
        <BandBadge band={candidate.band} />
        <span className="match-score" data-testid="score">{t('match.score', { score: score(candidate.score) })}</span>
        <DateFlag candidate={candidate} />
      </div>
      <p className="match-candidate-name">{t('match.matchedName')}: <MatchedName candidate={candidate} /></p>
      <details className="match-why" data-testid="why">
        <summary>{t('match.why')}</summary>
        <FeatureList features={candidate.features} />
      </details>
    </li>
  )
}

/**
 * Candidates as a radio group to pick one from, or none; used wherever a form needs an actor it
 * knows by name only.
 */
export function MatchChoices({ name, candidates, value, onChange, noneLabel, testId = 'match-choices' }: {
  name: string
  candidates: MatchCandidate[]
  value: string
  onChange: (actorId: string) => void
  noneLabel: string
  testId?: string
}) {
  const score = useScore()
  return (
    <ul className="match-choices" data-testid={testId}>
      {candidates.map((c) => (
        <li key={c.actorId}>
          <label className="match-choice" data-testid="match-choice" data-actor={c.actorId} data-band={c.band}>
            <input type="radio" name={name} value={c.actorId} checked={value === c.actorId} onChange={() => onChange(c.actorId)} />
            <span>
              <strong><ActorName candidate={c} /></strong> <BandBadge band={c.band} /> <span className="muted small">{score(c.score)}</span> <DateFlag candidate={c} />
              <br /><MatchedName candidate={c} />
            </span>
          </label>
        </li>
      ))}
      <li>
        <label className="match-choice" data-testid="match-choice" data-actor="">
          <input type="radio" name={name} value="" checked={value === ''} onChange={() => onChange('')} />
          <span>{noneLabel}</span>
        </label>
      </li>
    </ul>
  )
}

/**
 * An actor picked by name through the match API: type a name, press Find (or Enter, which here
 * searches instead of sending the surrounding form), choose among the ranked candidates.
 */
export function MatchPicker({ id, value, onChange, exclude, invalid, describedBy }: {
  id: string
  value: string
  onChange: (actorId: string) => void
  exclude?: string
  invalid?: boolean
  describedBy?: string | undefined
}) {
  const { t } = useI18n()
  const [name, setName] = useState('')
  const [searched, setSearched] = useState<string | null>(null)
  const found = useResource(searched === null ? null : `pick|${searched}`, () => api.match(searched ?? '', { limit: 8 }))
  const candidates = (found.data?.candidates ?? []).filter((c) => c.actorId !== exclude)

  const find = () => {
    const trimmed = name.trim()
    if (trimmed !== '') setSearched(trimmed)
  }
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault()
      find()
    }
  }
  return (
    <div className="match-picker" data-testid={`${id}-picker`}>
      <div className="match-picker-search">
        <input id={id} type="search" dir="auto" value={name} placeholder={t('match.namePlaceholder')} aria-invalid={invalid || undefined}
          aria-describedby={describedBy} data-testid={`${id}-name`} onChange={(e) => setName(e.target.value)} onKeyDown={onKey} />
        <button type="button" className="button button-secondary" data-testid={`${id}-find`} onClick={find}>{t('match.find')}</button>
      </div>
      {found.loading && <p className="loading small" role="status">{t('common.loading')}</p>}
      {found.error && <ErrorMessage error={found.error} onRetry={() => void found.reload()} />}
      {found.data && (candidates.length === 0
        ? <p className="muted small" data-testid={`${id}-none`}>{t('match.none')}</p>
        : <MatchChoices name={id} candidates={candidates} value={value} onChange={onChange} noneLabel={t('match.pickNone')} testId={`${id}-choices`} />)}
    </div>
  )
}

/** One line of a pasted list: a name, then optionally a TAB and the date it was used. */
export type ListLine = { name: string; at?: string }

/** Reads a pasted list; a date that is not YYYY-MM-DD is an error naming its line. */
export function parseList(text: string): { lines: ListLine[]; errors: { line: number; date: string }[] } {
  const lines: ListLine[] = []
  const errors: { line: number; date: string }[] = []
  text.split(/\r?\n/).forEach((raw, i) => {
    const [name = '', date = ''] = raw.split('\t').map((x) => x.trim())
    if (name === '') return
    if (date === '') lines.push({ name })
    else if (ISO_DATE.test(date)) lines.push({ name, at: date })
    else errors.push({ line: i + 1, date })
  })
  return { lines, errors }
}

const csvCell = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)

/**
 * The list's results as CSV, one row per candidate (a name with none gets one row with the
 * candidate columns empty). Starts with a byte-order mark so spreadsheets read Arabic and
 * Cyrillic as UTF-8.
 */
export function resultsCsv(results: MatchResult[], displayName: (c: MatchCandidate) => string): string {
  const rows = [['name', 'at', 'rank', 'actor_id', 'actor', 'matched_name', 'matched_script', 'score', 'band', 'date_status']]
  for (const r of results) {
    if (r.candidates.length === 0) rows.push([r.name, r.at ?? '', '', '', '', '', '', '', '', ''])
    r.candidates.forEach((c, i) => rows.push([
      r.name, r.at ?? '', String(i + 1), c.actorId, displayName(c), c.matchedName.value, c.matchedName.script, c.score.toFixed(3), c.band, c.dateStatus,
    ]))
  }
  return '\uFEFF' + rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n'
}

function SingleMatch() {
  const { t } = useI18n()
  const { search } = useLocation()
  const name = search.get('name') ?? ''
  const at = search.get('at') ?? ''
  const validAt = ISO_DATE.test(at) ? at : ''
  const country = /^[A-Z]{2}$/.test(search.get('country') ?? '') ? search.get('country')! : ''
  const [draft, setDraft] = useState(name)
  const [draftAt, setDraftAt] = useState(validAt)
  const [draftCountry, setDraftCountry] = useState(country)
  const result = useResource(name.trim() === '' ? null : `match|${name}|${validAt}|${country}`,
    () => api.match(name, { at: validAt || undefined, limit: 10, country: country || undefined }))

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const s = new URLSearchParams()
    if (draft.trim() !== '') s.set('name', draft.trim())
    if (draftAt !== '') s.set('at', draftAt)
    if (draftCountry !== '') s.set('country', draftCountry)
    const query = s.toString()
    navigate(query === '' ? '/actors/match' : `/actors/match?${query}`, { replace: true })
  }

  return (
    <>
      <form className="filters" role="search" onSubmit={submit} data-testid="match-form">
        <div className="field field-wide">
          <label htmlFor="match-name">{t('match.name')}</label>
          <input id="match-name" type="search" dir="auto" value={draft} placeholder={t('match.namePlaceholder')} required
            data-testid="match-name" onChange={(e) => setDraft(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="match-at">{t('match.at')}</label>
          <input id="match-at" type="date" value={draftAt} aria-describedby="match-at-hint" data-testid="match-at" onChange={(e) => setDraftAt(e.target.value)} />
          <p className="muted small" id="match-at-hint">{t('match.atHint')}</p>
        </div>
        <CountryField value={draftCountry} onChange={setDraftCountry} />
        <button type="submit" className="button button-primary" data-testid="match-submit">{t('match.submit')}</button>
      </form>

      {result.loading && <p className="loading" role="status">{t('match.matching')}</p>}
      {result.error && <ErrorMessage error={result.error} onRetry={() => void result.reload()} />}
      {result.data && (
        <section aria-labelledby="match-results-title" data-testid="match-results" data-name={name} data-at={validAt} data-country={country}>
          <h2 id="match-results-title">{t('match.results', { name })}</h2>
          {result.data.candidates.length === 0
            ? <p className="empty" data-testid="match-empty">{t('match.none')}</p>
            : <ol className="match-list">{result.data.candidates.map((c, i) => <CandidateItem key={c.actorId} candidate={c} rank={i + 1} />)}</ol>}
        </section>
      )}
    </>
  )
}

function ListMatch() {
  const { t, pick } = useI18n()
  const score = useScore()
  const [text, setText] = useState('')
  const [country, setCountry] = useState('')
  const [results, setResults] = useState<MatchResult[] | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [problem, setProblem] = useState<string[]>([])
  const [busy, setBusy] = useState(false)
  const nameOf = (c: MatchCandidate) => pick(c.displayName)?.text ?? c.actorId
  const csvHref = useMemo(() => (results === null ? null : `data:text/csv;charset=utf-8,${encodeURIComponent(resultsCsv(results, (c) => pick(c.displayName)?.text ?? c.actorId))}`), [results, pick])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const { lines, errors } = parseList(text)
    const problems = errors.map((x) => t('match.listBadDate', { line: x.line, date: x.date }))
    if (lines.length === 0 && problems.length === 0) problems.push(t('match.listEmpty'))
    if (lines.length > MAX_LIST) problems.push(t('match.listTooMany', { max: MAX_LIST }))
    setProblem(problems)
    setError(null)
    if (problems.length > 0) return
    setBusy(true)
    try {
      setResults((await api.matchBatch(lines, 3, country || undefined)).results)
    } catch (err) {
      setError(asApiError(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      <form className="form" onSubmit={(e) => void submit(e)} data-testid="list-form" noValidate>
        <div className="field">
          <label htmlFor="match-list">{t('match.list')}</label>
          <textarea id="match-list" rows={8} dir="auto" value={text} aria-describedby="match-list-hint" data-testid="match-list"
            aria-invalid={problem.length > 0 || undefined} onChange={(e) => setText(e.target.value)} />
          <p className="muted small" id="match-list-hint">{t('match.listIntro')}</p>
          {problem.map((p, i) => <p key={i} className="field-error" role="alert" data-testid="list-problem">{p}</p>)}
        </div>
        <CountryField value={country} onChange={setCountry} />
        <button type="submit" className="button button-primary" disabled={busy} data-testid="list-submit">{busy ? t('match.matching') : t('match.listSubmit')}</button>
      </form>
      {error && <ErrorMessage error={error} />}
      {results && (
        <section aria-labelledby="list-results-title" data-testid="list-results">
          <div className="page-head">
            <h2 id="list-results-title">{t('match.listResults', { count: results.length })}</h2>
            {csvHref && <a className="button button-secondary" href={csvHref} download="truce-matches.csv" data-testid="list-csv">{t('match.csv')}</a>}
          </div>
          <div className="table-wrap">
            <table className="table" data-testid="list-table">
              <thead>
                <tr>
                  <th scope="col">{t('match.colName')}</th>
                  <th scope="col">{t('match.colAt')}</th>
                  <th scope="col">{t('match.colCandidates')}</th>
                </tr>
              </thead>
              <tbody>
                {results.map((r, i) => (
                  <tr key={i} data-testid="list-row" data-name={r.name}>
                    <th scope="row"><bdi dir="auto">{r.name}</bdi></th>
                    <td className="date">{r.at ?? '—'}</td>
                    <td>
                      {r.candidates.length === 0 ? <span className="muted">{t('match.noCandidate')}</span> : (
                        <ol className="list-candidates">
                          {r.candidates.map((c) => (
                            <li key={c.actorId} data-testid="list-candidate" data-actor={c.actorId} data-band={c.band}>
                              <Link to={`/actors/${encodeURIComponent(c.actorId)}`}><bdi dir="auto">{nameOf(c)}</bdi></Link>{' '}
                              <BandBadge band={c.band} /> <span className="muted small">{score(c.score)}</span> <DateFlag candidate={c} />
                            </li>
                          ))}
                        </ol>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  )
}

export function MatchPage() {
  const { t } = useI18n()
  const session = useSession()
  const { search } = useLocation()
  const tab = search.get('tab') === 'list' ? 'list' : 'one'
  useTitle(t('match.title'))

  if (session.me === null) return <p className="loading" role="status">{t('common.loading')}</p>
  if (!session.can('actor.read')) {
    const anonymous = session.me.kind === 'anonymous'
    return (
      <section className="page-narrow">
        <h1>{t('match.title')}</h1>
        <ErrorMessage error={new ApiError(anonymous ? 401 : 403, anonymous ? 'unauthenticated' : 'forbidden', '')} />
        {anonymous && <p><Link to="/login?next=/actors/match">{t('nav.signIn')}</Link></p>}
      </section>
    )
  }

  const tabs = [{ key: 'one', label: t('match.tabOne'), to: '/actors/match' }, { key: 'list', label: t('match.tabList'), to: '/actors/match?tab=list' }] as const
  return (
    <section aria-labelledby="match-title">
      <div className="page-head">
        <div>
          <p><Link to="/actors">{t('actor.back')}</Link></p>
          <h1 id="match-title">{t('match.title')}</h1>
          <p className="muted">{t('match.intro')}</p>
        </div>
        {session.can('actor.manage') && <Link to="/actors/candidates" data-testid="candidates-link">{t('nav.candidates')}</Link>}
      </div>
      <div className="tabs" role="tablist" aria-label={t('match.title')}>
        {tabs.map((x) => (
          <button key={x.key} type="button" role="tab" id={`match-tab-${x.key}`} aria-selected={tab === x.key} aria-controls="match-panel"
            className={tab === x.key ? 'tab tab-on' : 'tab'} data-testid={`match-tab-${x.key}`} onClick={() => navigate(x.to, { replace: true })}>
            {x.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="match-panel" aria-labelledby={`match-tab-${tab}`}>
        {tab === 'one' ? <SingleMatch /> : <ListMatch />}
      </div>
    </section>
  )
}
