// The Verify page (/log), open to everyone: the log's latest signed checkpoint, the key to check it
// with (the one the reader's party pinned, else the server's), and a submission's entry checked in
// this browser (log/verify.ts): its leaf hash, its inclusion proof up to the checkpoint's root, and
// the checkpoint's signature, and for a sealed entry, that its full entry hashes to the seal. Each check says in plain words what failed and what that means.
import { useState, type FormEvent, type ReactNode } from 'react'
import { api, ApiError, type InclusionProof, type LogEntry } from '../api.ts'
import { ErrorMessage } from '../components/ErrorMessage.tsx'
import { richText, useI18n, type I18n, type MessageKey } from '../i18n/index.tsx'
import {
  allPassed, checkNoteSignature, describeSigners, followRotation, encodeBase64, LogFormatError, parseCheckpoint, parseSignedNote, parseVkey, readCheckpoint, verifyEntry,
  type Checkpoint, type EntryVerification, type FormatProblem, type InclusionCheck, type LeafCheck, type SignatureCheck, type Signer,
} from '../log/verify.ts'
import { navigate, useLocation } from '../router.tsx'
import { useResource, type Resource } from '../useResource.ts'
import { useTitle } from '../useTitle.ts'

const PINNED_KEY = 'truce.log.vkey'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** How long a lookup waits for the sequencer (which runs every few hundred ms) to take an entry in. */
const SEQUENCING_ATTEMPTS = 6
const SEQUENCING_WAIT_MS = 1000

type T = I18n['t']

/** Where the page links to for a submission. */
export const verifyPath = (submissionId: string): string => `/log?submission=${encodeURIComponent(submissionId)}`

function readPinned(): string | null {
  try {
    return localStorage.getItem(PINNED_KEY)
  } catch {
    // Storage switched off: the pin then lasts for this visit only.
    return null
  }
}

function usePinnedVkey(): [string | null, (vkey: string | null) => void] {
  const [pinned, setState] = useState<string | null>(readPinned)
  const set = (vkey: string | null) => {
    try {
      if (vkey === null) localStorage.removeItem(PINNED_KEY)
      else localStorage.setItem(PINNED_KEY, vkey)
    } catch {
      // See readPinned.
    }
    setState(vkey)
  }
  return [pinned, set]
}

const Hash = ({ value, testId }: { value: string; testId?: string }) => (
  <bdi><code dir="ltr" className="hash-full" data-testid={testId}>{value}</code></bdi>
)

const problemText = (t: T, problem: FormatProblem, line?: number): string =>
  line === undefined ? t(`verify.problem.${problem}` as MessageKey) : `${t(`verify.problem.${problem}` as MessageKey)} (${t('verify.line', { line })})`

// ——— the checkpoint ———

type OpenedCheckpoint = { checkpoint: Checkpoint; signers: Signer[] }

function openCheckpoint(note: string): OpenedCheckpoint {
  const parsed = parseSignedNote(note)
  return { checkpoint: parseCheckpoint(parsed.text), signers: describeSigners(parsed) }
}

function SignerList({ signers, signature }: { signers: Signer[]; signature: SignatureCheck | undefined }) {
  const { t, formatDateTime } = useI18n()
  return (
    <ul className="signers" data-testid="signers">
      {signers.map((s, i) => {
        const checked = signature !== undefined && 'keyName' in signature && signature.keyName === s.name && signature.keyId === s.keyId
        return (
          <li key={`${s.name}-${s.keyId}-${i}`} data-testid="signer" data-kind={s.kind}>
            <bdi><code dir="ltr">{s.name}</code></bdi>
            <span className="signer-meta muted small">
              {s.kind === 'signature' && t('verify.signerLog')}
              {s.kind === 'cosignature' && (s.time === null
                ? t('verify.signerWitness')
                : t('verify.signerWitnessAt', { time: formatDateTime(new Date(s.time * 1000).toISOString()) }))}
              {s.kind === 'other' && t('verify.signerOther')}
              {' · '}{t('verify.keyId')} <code dir="ltr">{s.keyId}</code>
            </span>
            <span className="signer-status">
              {checked && signature?.ok === true && <span className="check-inline check-inline-ok">✓ {t('verify.signerVerified')}</span>}
              {checked && signature?.ok === false && <span className="check-inline check-inline-failed">✗ {t('verify.signerFailed')}</span>}
              {!checked && <span className="muted">{t('verify.signerNotChecked')}</span>}
            </span>
          </li>
        )
      })}
    </ul>
  )
}

function CheckpointCard({ vkey }: { vkey: string | null }) {
  const { t } = useI18n()
  const note = useResource('log-checkpoint', () => api.logCheckpoint())
  const opened = (() => {
    if (note.data === undefined) return null
    try {
      return openCheckpoint(note.data)
    } catch (e) {
      return e instanceof LogFormatError ? e : new LogFormatError('note_format', String(e))
    }
  })()
  const signature = useResource(note.data !== undefined && vkey !== null ? `${vkey}\n${note.data}` : null,
    () => checkNoteSignature(note.data ?? '', vkey ?? ''))

  return (
    <section className="card" aria-labelledby="checkpoint-title" data-testid="checkpoint">
      <div className="card-head">
        <h2 id="checkpoint-title">{t('verify.checkpoint')}</h2>
        <button type="button" className="button button-secondary" onClick={() => void note.reload()} disabled={note.loading}>
          {t('common.reload')}
        </button>
      </div>
      <p className="muted">{t('verify.checkpointIntro')}</p>
      {note.error && (note.error.code === 'not_found'
        ? <p className="empty" data-testid="no-checkpoint">{t('verify.noCheckpoint')}</p>
        : <ErrorMessage error={note.error} onRetry={() => void note.reload()} />)}
      {note.data === undefined && !note.error && <p className="loading" role="status">{t('common.loading')}</p>}
      {opened instanceof LogFormatError && (
        <p className="alert alert-error" role="alert">{t('verify.checkpointUnreadable', { problem: problemText(t, opened.problem, opened.line) })}</p>
      )}
      {opened !== null && !(opened instanceof LogFormatError) && (
        <dl className="facts facts-wide">
          <div>
            <dt>{t('verify.origin')}</dt>
            <dd><bdi><code dir="ltr" data-testid="checkpoint-origin">{opened.checkpoint.origin}</code></bdi></dd>
          </div>
          <div>
            <dt>{t('verify.size')}</dt>
            <dd className="numeric" data-testid="checkpoint-size">{opened.checkpoint.size}</dd>
          </div>
          <div>
            <dt>{t('verify.root')}</dt>
            <dd><Hash value={encodeBase64(opened.checkpoint.rootHash)} testId="checkpoint-root" /></dd>
          </div>
          <div>
            <dt>{t('verify.signers')}</dt>
            <dd><SignerList signers={opened.signers} signature={signature.data} /></dd>
          </div>
        </dl>
      )}
    </section>
  )
}

// ——— the key ———

type KeyCardProps = { served: Resource<string>; pinned: string | null; setPinned: (vkey: string | null) => void }

function KeyCard({ served, pinned, setPinned }: KeyCardProps) {
  const { t } = useI18n()
  const [draft, setDraft] = useState('')
  const [problem, setProblem] = useState<string | null>(null)

  const pin = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    setProblem(null)
    try {
      const key = await parseVkey(draft)
      if (key.type !== 'ed25519') {
        setProblem(t('verify.keyNotLogKey'))
        return
      }
      setPinned(key.text)
      setDraft('')
    } catch (err) {
      setProblem(err instanceof LogFormatError ? t('verify.keyInvalid', { problem: t(`verify.problem.${err.problem}` as MessageKey) }) : String(err))
    }
  }

  const status = pinned === null ? 'none' : served.data === undefined ? 'unknown' : served.data === pinned ? 'match' : 'mismatch'
  return (
    <section className="card key-card" aria-labelledby="key-title" data-testid="log-key">
      <h2 id="key-title">{t('verify.key')}</h2>
      <div className="field">
        <span className="field-label">{t('verify.keyServed')}</span>
        {served.error && (served.error.code === 'not_found'
          ? <p className="empty">{t('verify.noCheckpoint')}</p>
          : <ErrorMessage error={served.error} onRetry={() => void served.reload()} />)}
        {served.data === undefined && !served.error && <p className="loading" role="status">{t('common.loading')}</p>}
        {served.data !== undefined && <p className="key-text"><bdi><code dir="ltr" data-testid="vkey-served">{served.data}</code></bdi></p>}
        <p className="hint">{t('verify.keyServedHint')}</p>
      </div>

      {pinned !== null ? (
        <div className="field">
          <span className="field-label">{t('verify.keyPinned')}</span>
          <p className="key-text"><bdi><code dir="ltr" data-testid="vkey-pinned">{pinned}</code></bdi></p>
          <p>
            <button type="button" className="button button-secondary" data-testid="vkey-unpin" onClick={() => setPinned(null)}>
              {t('verify.keyUnpin')}
            </button>
          </p>
        </div>
      ) : (
        <form className="form form-compact" onSubmit={(e) => void pin(e)} data-testid="vkey-form">
          <div className="field">
            <label htmlFor="vkey-input">{t('verify.keyPinned')}</label>
            <input
              id="vkey-input" data-testid="vkey-input" dir="ltr" spellCheck={false} autoComplete="off" required
              aria-describedby="vkey-hint" value={draft} onChange={(e) => setDraft(e.target.value)}
            />
            <p id="vkey-hint" className="hint">{t('verify.keyPinnedHint')}</p>
          </div>
          {problem && <p className="alert alert-error" role="alert" data-testid="vkey-problem">{problem}</p>}
          <button type="submit" className="button button-secondary" data-testid="vkey-pin">{t('verify.keyPin')}</button>
        </form>
      )}

      {status === 'mismatch' && pinned !== null && served.data !== undefined
        ? <RotationNotice pinned={pinned} served={served.data} setPinned={setPinned} />
        : (
          <p className="notice" data-testid="vkey-status" data-status={status}>
            {status === 'none' && t('verify.keyUsingServed')}
            {status === 'match' && t('verify.keyMatches')}
            {status === 'unknown' && t('verify.keyUsingPinned')}
          </p>
        )}
    </section>
  )
}

/**
 * The served key is not the pinned one. Either the log rotated its key, from the pinned key,
 * through rotation notes each signed by both keys (checked here), and the reader may pin the new
 * key; or nothing links them, and the mismatch stands.
 */
function RotationNotice({ pinned, served, setPinned }: { pinned: string; served: string; setPinned: (vkey: string | null) => void }) {
  const { t } = useI18n()
  const chain = useResource(`rotation\n${pinned}\n${served}`, async () => followRotation(pinned, served, (await api.logKeys()).rotations))
  if (chain.data?.ok) {
    const last = chain.data.steps[chain.data.steps.length - 1]!
    return (
      <div className="notice" data-testid="vkey-status" data-status="rotated">
        <p>{t('verify.keyRotated', { size: last.size, count: chain.data.steps.length })}</p>
        <p>
          <button type="button" className="button button-secondary" data-testid="vkey-pin-rotated" onClick={() => setPinned(served)}>
            {t('verify.keyPinRotated')}
          </button>
        </p>
      </div>
    )
  }
  return (
    <p className="alert alert-error" data-testid="vkey-status" data-status="mismatch">
      {t('verify.keyMismatch')}
      {chain.data && chain.data.reason === 'bad_rotation' && <> {t('verify.keyRotationBad')}</>}
    </p>
  )
}

// ——— one entry ———

type Evidence = {
  entry: LogEntry
  proof: InclusionProof
  keySource: 'pinned' | 'served'
  result: EntryVerification
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** The entry, waiting a little for the sequencer when it is not in the log yet. */
async function entryOf(submissionId: string): Promise<LogEntry> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.logEntry(submissionId)
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'not_found') || attempt >= SEQUENCING_ATTEMPTS) throw e
      await sleep(SEQUENCING_WAIT_MS)
    }
  }
}

/** Everything a check needs, fetched in the order that makes them agree: the entry, then a checkpoint that holds it, then the proof into that checkpoint. */
async function loadEvidence(submissionId: string, pinned: string | null): Promise<Evidence> {
  const entry = await entryOf(submissionId)
  let note = await api.logCheckpoint()
  // The checkpoint that first holds an entry is signed in the same transaction, so a fresh read
  // has it; an older one can only come from a cache on the way.
  for (let attempt = 1; attempt < SEQUENCING_ATTEMPTS; attempt++) {
    const size = readCheckpoint(note)?.size
    if (size === undefined || size > entry.leafIndex) break
    await sleep(SEQUENCING_WAIT_MS)
    note = await api.logCheckpoint()
  }
  const size = readCheckpoint(note)?.size
  // Against the checkpoint that will be checked; a checkpoint that cannot be read fails check (b) anyway.
  const treeSize = size !== undefined && size > entry.leafIndex ? size : undefined
  const proof = await api.inclusionProof(entry.leafIndex, treeSize)
  const vkey = pinned ?? await api.logVkey()
  const result = await verifyEntry({
    entry: entry.entry, opening: entry.opening, leafIndex: entry.leafIndex, leafHash: entry.leafHash,
    proof: { treeSize: proof.treeSize, proof: proof.proof }, checkpoint: note, vkey,
  })
  return { entry, proof, keySource: pinned === null ? 'served' : 'pinned', result }
}

function CheckItem({ testId, ok, title, children }: { testId: string; ok: boolean; title: string; children: ReactNode }) {
  const { t } = useI18n()
  return (
    <li className={ok ? 'check check-ok' : 'check check-failed'} data-testid={testId} data-ok={String(ok)}>
      <span className="check-mark" aria-hidden="true" data-testid="check-mark">{ok ? '✓' : '✗'}</span>
      <div className="check-body">
        <p className="check-title">
          {title}
          <span className="visually-hidden">: {ok ? t('verify.passed') : t('verify.failed')}</span>
        </p>
        <p className="check-detail">{children}</p>
      </div>
    </li>
  )
}

function leafDetail(t: T, leaf: LeafCheck): ReactNode {
  // The formula reads left to right in every language, with the word for "entry" inside it.
  const formula = <bdi dir="ltr" className="formula">{t('verify.leaf.formula')}</bdi>
  if (leaf.ok) return richText(t('verify.leaf.ok'), { formula, hash: <Hash value={leaf.leafHash} /> })
  if (leaf.reason === 'malformed_leaf_hash') return t('verify.leaf.malformed')
  return richText(t('verify.leaf.mismatch'), { claimed: <Hash value={leaf.claimed} />, computed: <Hash value={leaf.computed} /> })
}

function inclusionDetail(t: T, inclusion: InclusionCheck, proofLength: number): ReactNode {
  if (inclusion.ok) return richText(t('verify.inclusion.ok', { count: proofLength, size: inclusion.treeSize }), { root: <Hash value={inclusion.root} /> })
  switch (inclusion.reason) {
    case 'root_mismatch':
      return richText(t('verify.inclusion.rootMismatch'), { computed: <Hash value={inclusion.computed} />, expected: <Hash value={inclusion.expected} /> })
    case 'wrong_proof_length':
      return t('verify.inclusion.wrongLength', { count: inclusion.length, index: inclusion.leafIndex, size: inclusion.treeSize })
    case 'index_out_of_range':
      return t('verify.inclusion.outOfRange', { index: inclusion.leafIndex, size: inclusion.treeSize })
    case 'malformed_proof':
      return t('verify.inclusion.malformed', { position: inclusion.position })
    case 'tree_size_mismatch':
      return t('verify.inclusion.treeSizeMismatch', { proofSize: inclusion.proofSize, checkpointSize: inclusion.checkpointSize })
    case 'unreadable_checkpoint':
      return t('verify.inclusion.unreadableCheckpoint')
  }
}

function signatureDetail(t: T, signature: SignatureCheck, keySource: 'pinned' | 'served'): ReactNode {
  const key = (name: string, keyId: string) => <bdi><code dir="ltr">{name}+{keyId}</code></bdi>
  if (signature.ok) {
    return richText(t(keySource === 'pinned' ? 'verify.signature.okPinned' : 'verify.signature.okServed'), { key: key(signature.keyName, signature.keyId) })
  }
  switch (signature.reason) {
    case 'bad_vkey':
      return t('verify.signature.badKey', { problem: t(`verify.problem.${signature.problem}` as MessageKey) })
    case 'not_a_log_key':
      return t('verify.keyNotLogKey')
    case 'unreadable_note':
      return t('verify.signature.unreadable', { problem: problemText(t, signature.problem, signature.line) })
    case 'not_signed_by_key':
      return richText(t('verify.signature.notSigned'), {
        key: key(signature.keyName, signature.keyId),
        signers: signature.signers.map((s, i) => <span key={s}>{i > 0 && ', '}<bdi><code dir="ltr">{s}</code></bdi></span>),
      })
    case 'invalid_signature':
      return richText(t('verify.signature.invalid'), { key: key(signature.keyName, signature.keyId) })
    case 'unsupported':
      return t('verify.signature.unsupported')
  }
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}

function EntryResult({ submissionId, pinned }: { submissionId: string; pinned: string | null }) {
  const { t, formatDateTime } = useI18n()
  const [attempt, setAttempt] = useState(0)
  const evidence = useResource(`${submissionId}\n${pinned ?? ''}\n${attempt}`, () => loadEvidence(submissionId, pinned))

  if (evidence.error) {
    if (evidence.error.code === 'not_found') {
      return (
        <div className="alert alert-error" role="alert" data-testid="entry-not-found">
          <p className="alert-text">{t('verify.notInLog')}</p>
          <button type="button" className="button button-secondary" onClick={() => setAttempt((a) => a + 1)}>{t('common.retry')}</button>
        </div>
      )
    }
    return <ErrorMessage error={evidence.error} onRetry={() => setAttempt((a) => a + 1)} />
  }
  if (!evidence.data) return <p className="loading" role="status" data-testid="entry-loading">{t('verify.checking')}</p>

  const { entry, proof, result, keySource } = evidence.data
  const allOk = allPassed(result)
  const opening = result.opening
  return (
    <section aria-labelledby="entry-title" data-testid="entry-result" data-ok={String(allOk)}>
      <h2 id="entry-title">{t('verify.entry')}</h2>
      <p className={allOk ? 'alert alert-success' : 'alert alert-error'} role="status" data-testid="verdict">
        {allOk ? t('verify.allPassed') : t('verify.someFailed')}
      </p>

      <div className="card">
        <h3>{t('verify.checks')}</h3>
        <ol className="checks" data-testid="checks">
          <CheckItem testId="check-leaf" ok={result.leaf.ok} title={t('verify.leaf.title')}>{leafDetail(t, result.leaf)}</CheckItem>
          <CheckItem testId="check-inclusion" ok={result.inclusion.ok} title={t('verify.inclusion.title')}>
            {inclusionDetail(t, result.inclusion, proof.proof.length)}
          </CheckItem>
          <CheckItem testId="check-signature" ok={result.signature.ok} title={t('verify.signature.title')}>
            {signatureDetail(t, result.signature, keySource)}
          </CheckItem>
          {opening.sealed && (
            <CheckItem testId="check-opening" ok={opening.ok} title={t('verify.opening.title')}>
              {opening.ok ? richText(t('verify.opening.ok'), { seal: <Hash value={opening.seal} /> })
                : opening.reason === 'missing' ? t('verify.opening.missing')
                : richText(t('verify.opening.mismatch'), { seal: <Hash value={opening.seal} />, computed: <Hash value={opening.computed} /> })}
            </CheckItem>
          )}
        </ol>
        <p className="hint">{t('verify.checksHint')}</p>
      </div>

      <div className="card">
        <dl className="facts facts-wide">
          <div><dt>{t('verify.submission')}</dt><dd><bdi><code dir="ltr" data-testid="entry-submission">{entry.submissionId}</code></bdi></dd></div>
          <div><dt>{t('verify.leafIndex')}</dt><dd className="numeric" data-testid="entry-leaf-index">{entry.leafIndex}</dd></div>
          <div><dt>{t('verify.sequencedAt')}</dt><dd>{formatDateTime(entry.sequencedAt)}</dd></div>
          <div><dt>{t('verify.leafHash')}</dt><dd><Hash value={entry.leafHash} /></dd></div>
          <div><dt>{t('verify.checkedAgainst')}</dt><dd className="numeric">{t('verify.treeOf', { size: proof.treeSize })}</dd></div>
        </dl>
        <p className="receipt"><a href={api.receiptUrl(entry.submissionId)} data-testid="receipt-link">{t('verify.receipt')}</a></p>
      </div>

      <div className="card">
        <h3>{t('verify.entryJson')}</h3>
        {opening.sealed && <p className="hint" data-testid="entry-sealed">{t('verify.sealedHint')}</p>}
        <p className="hint">{t('verify.entryJsonHint')}</p>
        <pre className="code-block code-wrap" dir="ltr" data-testid="entry-json">{prettyJson(entry.opening ?? entry.entry)}</pre>
        <details className="disclosure">
          <summary>{t('verify.entryBytes')}</summary>
          <pre className="code-block code-wrap" dir="ltr" data-testid="entry-bytes">{entry.entry}</pre>
          {entry.opening !== null && <pre className="code-block code-wrap" dir="ltr" data-testid="opening-bytes">{entry.opening}</pre>}
        </details>
      </div>

      <div className="card">
        <h3>{t('verify.proof')}</h3>
        <p className="hint">{proof.proof.length === 0 ? t('verify.proofEmpty') : t('verify.proofIntro', { size: proof.treeSize })}</p>
        {proof.proof.length > 0 && (
          <ol className="proof" data-testid="proof">
            {proof.proof.map((h, i) => <li key={`${i}-${h}`}><Hash value={h} /></li>)}
          </ol>
        )}
      </div>
    </section>
  )
}

// ——— the page ———

function LookupForm({ initial }: { initial: string }) {
  const { t } = useI18n()
  const [value, setValue] = useState(initial)
  const [invalid, setInvalid] = useState(false)
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const id = value.trim().toLowerCase()
    if (!UUID.test(id)) {
      setInvalid(true)
      return
    }
    setInvalid(false)
    navigate(verifyPath(id))
  }
  return (
    <form className="form form-compact lookup" onSubmit={submit} data-testid="lookup-form">
      <div className="field">
        <label htmlFor="lookup-id">{t('verify.submission')}</label>
        <div className="lookup-row">
          <input
            id="lookup-id" data-testid="lookup-id" dir="ltr" spellCheck={false} autoComplete="off" required
            aria-describedby="lookup-hint" aria-invalid={invalid} value={value} onChange={(e) => setValue(e.target.value)}
          />
          <button type="submit" className="button button-primary" data-testid="lookup-submit">{t('verify.submit')}</button>
        </div>
        <p id="lookup-hint" className="hint">{t('verify.submissionHint')}</p>
      </div>
      {invalid && <p className="alert alert-error" role="alert" data-testid="lookup-invalid">{t('verify.invalidId')}</p>}
    </form>
  )
}

export function VerifyPage() {
  const { t } = useI18n()
  const { search } = useLocation()
  const [pinned, setPinned] = usePinnedVkey()
  useTitle(t('verify.title'))
  const submission = (search.get('submission') ?? '').trim().toLowerCase()
  const valid = UUID.test(submission)
  // The checkpoint card checks with the same key as the entry: the pinned one, else the server's.
  const served = useResource('log-vkey', () => api.logVkey())
  const vkey = pinned ?? served.data ?? null

  return (
    <section aria-labelledby="verify-title" className="verify">
      <div className="page-head">
        <div>
          <h1 id="verify-title">{t('verify.title')}</h1>
          <p className="muted">{t('verify.intro')}</p>
        </div>
      </div>

      <div className="verify-layout">
        <div className="verify-main">
          <section className="card" aria-labelledby="lookup-title">
            <h2 id="lookup-title">{t('verify.lookup')}</h2>
            <LookupForm key={submission} initial={submission} />
          </section>
          {submission !== '' && !valid && <p className="alert alert-error" role="alert" data-testid="lookup-invalid-link">{t('verify.invalidId')}</p>}
          {valid && <EntryResult key={submission} submissionId={submission} pinned={pinned} />}
          {submission === '' && <p className="muted">{t('verify.whereIds')}</p>}
        </div>
        <div className="verify-side">
          <CheckpointCard vkey={vkey} />
          <KeyCard served={served} pinned={pinned} setPinned={setPinned} />
        </div>
      </div>
    </section>
  )
}
