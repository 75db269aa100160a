// Importing a file of incident reports (incident.import): a UCDP GED, ACLED or HXL file (gzip or
// not, in whatever encoding; the server detects it) goes in as the party's reports. The format is
// guessed from the file's header row and can be changed; a dry run checks it and says what would be
// added; bad rows refuse the whole file unless skipped. The import runs as a job on the server, its
// progress (rows done of the file's valid rows) followed here, then its result: what was added,
// what was there already, and every bad row by line, field and problem — or, for a refused file,
// the same table and the offer to import the good rows.
import { useState, type FormEvent } from 'react'
import { api, REPORT_IMPORT_FORMATS, type ErrorDetail, type ReportImportFormat, type ReportImportOptions, type ReportImportResult } from '../api.ts'
import { ErrorMessage } from '../components/ErrorMessage.tsx'
import { SigningNote } from '../components/SigningNote.tsx'
import { useI18n, type MessageKey } from '../i18n/index.tsx'
import { Link } from '../router.tsx'
import { useSession } from '../session.tsx'
import { useImportJob } from '../useImportJob.ts'
import { useTitle } from '../useTitle.ts'

const POLL_MS = 400
/** Rows of problems shown; the rest are counted (the API answer has them all). */
const SHOWN_PROBLEMS = 500
const VISIBILITIES = ['parties', 'public', 'internal'] as const
type ImportVisibility = (typeof VISIBILITIES)[number]

type Picked = { name: string; size: number; bytes: ArrayBuffer; guess: ReportImportFormat | null }
type Problem = { line: number; field: string | null; message: string }

/**
 * The format a file's header says, read from its first bytes (not for gzip, which the server
 * inflates): ACLED's event_id_cnty, UCDP's date_prec with side_a, or a row of HXL hashtags.
 */
export function guessFormat(bytes: Uint8Array): ReportImportFormat | null {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return null
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 64 * 1024)).toLowerCase()
  const lines = head.split(/\r?\n/).slice(0, 5)
  if (lines.some((l) => /(^|,)"?#[a-z]/.test(l.trim()))) return 'hxl'
  if (/(^|,)"?event_id_cnty"?(,|$)/m.test(head)) return 'acled'
  if (/(^|,)"?date_prec"?(,|$)/m.test(head) && /(^|,)"?side_a"?(,|$)/m.test(head)) return 'ucdp'
  return null
}

/** A refusal's details, when they are rows of the file (invalid_rows). */
const problemsOf = (details: ErrorDetail[]): Problem[] =>
  details.filter((d) => typeof d.line === 'number').map((d) => ({ line: d.line as number, field: typeof d.field === 'string' ? d.field : null, message: d.message }))

function ProblemTable({ problems }: { problems: Problem[] }) {
  const { t } = useI18n()
  const shown = problems.slice(0, SHOWN_PROBLEMS)
  return (
    <>
      <div className="table-wrap">
        <table className="table table-compact" data-testid="import-problems">
          <thead>
            <tr><th scope="col">{t('reportImport.line')}</th><th scope="col">{t('reportImport.field')}</th><th scope="col">{t('reportImport.problem')}</th></tr>
          </thead>
          <tbody>
            {shown.map((p, i) => (
              <tr key={i} data-testid="import-problem" data-line={p.line} data-field={p.field ?? ''}>
                <td dir="ltr" className="import-line">{p.line}</td>
                <td>{p.field ? <bdi><code dir="ltr">{p.field}</code></bdi> : '—'}</td>
                {/* The readers explain in English; the text keeps its own direction in an Arabic page. */}
                <td><span dir="ltr" lang="en">{p.message}</span></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {problems.length > shown.length && <p className="small muted">{t('reportImport.moreProblems', { count: problems.length - shown.length })}</p>}
    </>
  )
}

export function ReportImportPage() {
  const { t, formatDate } = useI18n()
  const session = useSession()
  useTitle(t('reportImport.title'))
  const allowed = session.can('incident.import')
  const [file, setFile] = useState<Picked | null>(null)
  const [fileFailed, setFileFailed] = useState(false)
  const [format, setFormat] = useState<ReportImportFormat | ''>('')
  const [dryRun, setDryRun] = useState(false)
  const [skipInvalid, setSkipInvalid] = useState(false)
  const [visibility, setVisibility] = useState<ImportVisibility>('parties')
  const { outcome, send: sendImport, reset } = useImportJob<ReportImportResult>(POLL_MS)
  const effectiveFormat = format === '' ? file?.guess ?? null : format

  const pickFile = async (picked: File | undefined) => {
    reset()
    setFileFailed(false)
    setFormat('')
    if (!picked) {
      setFile(null)
      return
    }
    try {
      const bytes = await picked.arrayBuffer()
      setFile({ name: picked.name, size: picked.size, bytes, guess: guessFormat(new Uint8Array(bytes)) })
    } catch {
      setFile(null)
      setFileFailed(true)
    }
  }

  const send = async (options: { skipInvalid: boolean; dryRun: boolean }) => {
    if (!file || !effectiveFormat) return
    const body: ReportImportOptions = { format: effectiveFormat, fileName: file.name, dryRun: options.dryRun, skipInvalid: options.skipInvalid, visibility }
    await sendImport(() => api.importReports(file.bytes, body))
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void send({ skipInvalid, dryRun })
  }

  if (session.me === null) return <p className="loading" role="status">{t('common.loading')}</p>
  if (!allowed) {
    return (
      <section className="page-narrow" aria-labelledby="report-import-title">
        <h1 id="report-import-title">{t('reportImport.title')}</h1>
        <p className="notice" data-testid="import-not-allowed">{session.user ? t('reportImport.notAllowed') : t('reportImport.signIn')}</p>
      </section>
    )
  }

  const busy = outcome.kind === 'uploading' || outcome.kind === 'running'
  const job = outcome.kind === 'running' ? outcome.job : null
  const refusedRows = outcome.kind === 'failed' && outcome.error.code === 'invalid_rows' ? problemsOf(outcome.error.details) : []
  const result = outcome.kind === 'done' ? outcome.result : null
  const percent = job && job.total ? Math.min(100, Math.round((job.done / job.total) * 100)) : null
  // The export takes [from, to): the day after the latest report, so that one is in.
  const range = result?.occurred ? { from: result.occurred.from, to: new Date(Date.parse(result.occurred.to) + 86_400_000).toISOString() } : {}

  return (
    <section aria-labelledby="report-import-title" className="report-import">
      <p className="breadcrumb"><Link to="/incidents"><span className="arrow" aria-hidden="true">←</span> {t('reportImport.back')}</Link></p>
      <div className="page-head">
        <div>
          <h1 id="report-import-title">{t('reportImport.title')}</h1>
          <p className="muted">{t('reportImport.intro')}</p>
        </div>
      </div>
      <form className="form card" onSubmit={submit} noValidate data-testid="import-form" aria-busy={busy}>
        <fieldset className="form-section">
          <legend>{t('reportImport.fileStep')}</legend>
          <div className="field">
            <label htmlFor="report-import-file">{t('reportImport.file')}</label>
            <input id="report-import-file" type="file" accept=".csv,.gz,.txt,.tsv,text/csv,application/gzip" data-testid="import-file"
              aria-describedby="report-import-file-hint" onChange={(e) => void pickFile(e.target.files?.[0])} />
            <p className="hint" id="report-import-file-hint">{t('reportImport.fileHint')}</p>
            {fileFailed && <p className="field-error" role="alert">{t('reportImport.fileUnreadable')}</p>}
          </div>
          {file && (
            <p className="small" data-testid="import-file-facts" data-guess={file.guess ?? ''}>
              <bdi dir="ltr">{file.name}</bdi> · {t('reportImport.size', { kb: Math.max(1, Math.round(file.size / 1024)) })}
            </p>
          )}
          <div className="field">
            <label htmlFor="report-import-format">{t('reportImport.format')}</label>
            <select id="report-import-format" value={format} data-testid="import-format" aria-describedby="report-import-format-hint"
              onChange={(e) => setFormat(e.target.value as ReportImportFormat | '')}>
              <option value="">{file?.guess ? t('reportImport.formatGuessed', { format: t(`reportImport.format.${file.guess}` as MessageKey) }) : t('reportImport.formatChoose')}</option>
              {REPORT_IMPORT_FORMATS.map((f) => <option key={f} value={f}>{t(`reportImport.format.${f}` as MessageKey)}</option>)}
            </select>
            <p className="hint" id="report-import-format-hint">{t('reportImport.formatHint')}</p>
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('reportImport.optionsStep')}</legend>
          <label className="checkbox import-check">
            <input type="checkbox" checked={dryRun} data-testid="import-dry-run" aria-describedby="report-import-dry-run-hint" onChange={(e) => setDryRun(e.target.checked)} />
            <span>{t('reportImport.dryRun')}</span>
          </label>
          <p className="hint" id="report-import-dry-run-hint">{t('reportImport.dryRunHint')}</p>
          <label className="checkbox import-check">
            <input type="checkbox" checked={skipInvalid} data-testid="import-skip-invalid" aria-describedby="report-import-skip-hint" onChange={(e) => setSkipInvalid(e.target.checked)} />
            <span>{t('reportImport.skipInvalid')}</span>
          </label>
          <p className="hint" id="report-import-skip-hint">{t('reportImport.skipInvalidHint')}</p>
          <div className="field">
            <label htmlFor="report-import-visibility">{t('reportImport.visibility')}</label>
            <select id="report-import-visibility" value={visibility} data-testid="import-visibility" onChange={(e) => setVisibility(e.target.value as ImportVisibility)}>
              {VISIBILITIES.map((v) => <option key={v} value={v}>{t(`visibility.${v}` as MessageKey)}</option>)}
            </select>
          </div>
        </fieldset>

        <SigningNote />
        <button type="submit" className="button button-primary" disabled={busy || !file || !effectiveFormat} data-testid="import-submit">
          {busy ? t('reportImport.importing') : dryRun ? t('reportImport.check') : t('reportImport.submit')}
        </button>
      </form>

      <section aria-live="polite" className="import-outcome" data-testid="import-outcome" data-state={outcome.kind}>
        {outcome.kind === 'uploading' && <p className="loading" role="status">{t('reportImport.uploading')}</p>}
        {job && (
          <div className="card" data-testid="import-progress" data-done={job.done} data-total={job.total ?? ''}>
            <label htmlFor="report-import-progress-bar" className="field-label">{t('reportImport.progress')}</label>
            <progress id="report-import-progress-bar" max={job.total ?? undefined} value={job.total === null ? undefined : job.done} />
            <p className="small muted">
              {job.total === null ? t('reportImport.progressStarted') : t('reportImport.progressOf', { done: job.done, total: job.total, percent: percent ?? 0 })}
            </p>
          </div>
        )}
        {result && (
          <div className="card" data-testid="import-result" data-added={result.added} data-already={result.alreadyImported} data-invalid={result.invalidRows} data-dry-run={String(result.dryRun)}>
            <h2>{result.dryRun ? t('reportImport.checkedTitle') : t('reportImport.resultTitle')}</h2>
            <p className="alert alert-success" role="status" data-testid="import-summary">
              {result.dryRun
                ? t('reportImport.wouldAdd', { count: result.valid - result.alreadyImported })
                : t('reportImport.added', { count: result.added })}
              {result.alreadyImported > 0 && <> {t('reportImport.alreadyImported', { count: result.alreadyImported })}</>}
            </p>
            <dl className="facts">
              <div><dt>{t('reportImport.file')}</dt><dd><bdi dir="ltr">{result.fileName}</bdi></dd></div>
              <div><dt>{t('reportImport.format')}</dt><dd>{t(`reportImport.format.${result.format}` as MessageKey)}</dd></div>
              <div><dt>{t('reportImport.encoding')}</dt><dd dir="ltr" data-testid="import-encoding">{result.encoding}{result.gzip ? ', gzip' : ''}</dd></div>
              <div><dt>{t('reportImport.rows')}</dt><dd data-testid="import-rows">{result.rows}</dd></div>
              <div><dt>{t('reportImport.valid')}</dt><dd>{result.valid}</dd></div>
              <div><dt>{t('reportImport.invalidRows')}</dt><dd>{result.invalidRows}</dd></div>
              <div><dt>{t('reportImport.notIncidents')}</dt><dd>{result.notIncidents.length}</dd></div>
              <div><dt>{t('reportImport.actors')}</dt><dd>{t('reportImport.actorsOf', { resolved: result.actorsResolved, names: result.actorNames })}</dd></div>
              {!result.dryRun && <div><dt>{t('reportImport.incidents')}</dt><dd>{result.incidentsCreated}</dd></div>}
            </dl>
            {result.invalid.length > 0 && (
              <>
                <h3>{result.dryRun ? t('reportImport.invalidWouldSkip') : t('reportImport.invalidSkipped')}</h3>
                <ProblemTable problems={result.invalid} />
              </>
            )}
            {result.notIncidents.length > 0 && (
              <>
                <h3>{t('reportImport.notIncidentsTitle')}</h3>
                <ul className="repairs" data-testid="import-not-incidents">
                  {result.notIncidents.slice(0, SHOWN_PROBLEMS).map((n) => (
                    <li key={n.line}><strong>{t('reportImport.lineN', { line: n.line })}</strong>: <span dir="ltr" lang="en">{n.reason}</span></li>
                  ))}
                </ul>
              </>
            )}
            {result.dryRun && result.valid - result.alreadyImported > 0 && (
              <button type="button" className="button button-primary" data-testid="import-now" onClick={() => { setDryRun(false); void send({ skipInvalid: skipInvalid || result.invalidRows > 0, dryRun: false }) }}>
                {t('reportImport.importNow')}
              </button>
            )}
            {!result.dryRun && result.occurred && (
              <p className="import-links">
                <Link to={`/incidents?from=${result.occurred.from.slice(0, 10)}&to=${result.occurred.to.slice(0, 10)}`} data-testid="import-show-incidents">{t('reportImport.showIncidents')}</Link>
              </p>
            )}
            {!result.dryRun && result.occurred && (
              <p className="import-links">
                {t('reportImport.reportsLinks', { from: formatDate(result.occurred.from), to: formatDate(result.occurred.to) })}{' '}
                <a href={api.reportsExportUrl('csv', range)} data-testid="import-reports-csv">{t('reportImport.reportsCsv')}</a>
                {' · '}
                <a href={api.reportsExportUrl('geojson', range)} data-testid="import-reports-geojson">{t('reportImport.reportsGeojson')}</a>
              </p>
            )}
          </div>
        )}
        {outcome.kind === 'failed' && (refusedRows.length > 0 ? (
          <div className="alert alert-error" role="alert" data-testid="import-error" data-error-code={outcome.error.code}>
            <p className="alert-text">{t('reportImport.refused', { rows: new Set(refusedRows.map((p) => p.line)).size })}</p>
            <ProblemTable problems={refusedRows} />
            <p>
              <button type="button" className="button button-secondary" data-testid="import-skip-and-retry" onClick={() => { setSkipInvalid(true); void send({ skipInvalid: true, dryRun }) }}>
                {dryRun ? t('reportImport.checkSkipping') : t('reportImport.importGood')}
              </button>
            </p>
          </div>
        ) : (
          <div data-testid="import-error" data-error-code={outcome.error.code}><ErrorMessage error={outcome.error} testId="import-error-detail" /></div>
        ))}
      </section>
    </section>
  )
}
