// The log's side of c2sp.org/tlog-witness: submit a checkpoint with a consistency proof, get back
// the witness's cosignature lines, or the size it holds when it is at another one (409).
import { NoteError, openNote, parseNote, type NoteVerifier } from '../note.ts'

export type AddCheckpointRequest = { oldSize: number; consistencyProof: Buffer[]; checkpointNote: string }

/** Any answer other than a cosignature or a size conflict; `status` is the witness's HTTP status (0: no answer). */
export class WitnessClientError extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.name = 'WitnessClientError'
    this.status = status
  }
}

/** The add-checkpoint request body: "old N", the proof hashes, an empty line, the checkpoint note. */
export function addCheckpointBody(request: AddCheckpointRequest): string {
  return `old ${request.oldSize}\n${request.consistencyProof.map((h) => `${h.toString('base64')}\n`).join('')}\n${request.checkpointNote}`
}

/**
 * POSTs to `<witnessUrl>/add-checkpoint`. Resolves with the signature lines (each "— name sig",
 * without its newline), or `{ conflict: size }` when the witness's latest cosigned size is not
 * `oldSize`; throws WitnessClientError on every other answer. The lines are not verified here:
 * see withCosignatures.
 * @example
 * const r = await addCheckpoint('http://witness.example:7380', { oldSize: 0, consistencyProof: [], checkpointNote })
 * if ('conflict' in r) retryFrom(r.conflict)
 */
export async function addCheckpoint(
  witnessUrl: string,
  request: AddCheckpointRequest,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<{ cosignatureLines: string[] } | { conflict: number }> {
  const signal = options.signal ?? AbortSignal.timeout(options.timeoutMs ?? 10_000)
  let res: Response
  try {
    res = await fetch(`${witnessUrl.replace(/\/+$/, '')}/add-checkpoint`, {
      method: 'POST', body: addCheckpointBody(request), headers: { 'content-type': 'text/plain; charset=utf-8' }, signal,
    })
  } catch (e) {
    throw new WitnessClientError(0, `no answer from ${witnessUrl}: ${e instanceof Error ? e.message : String(e)}`)
  }
  const text = await res.text()
  if (res.status === 200) {
    const lines = text.split('\n')
    if (lines.pop() !== '' || lines.length === 0 || lines.some((l) => !l.startsWith('\u2014 '))) {
      throw new WitnessClientError(200, 'the witness answered 200 without note signature lines')
    }
    return { cosignatureLines: lines }
  }
  if (res.status === 409 && (res.headers.get('content-type') ?? '').startsWith('text/x.tlog.size')) {
    const size = /^(0|[1-9][0-9]*)\n$/.exec(text)
    if (!size || !Number.isSafeInteger(Number(size[1]))) throw new WitnessClientError(409, `the witness answered 409 with a malformed size "${text.slice(0, 40)}"`)
    return { conflict: Number(size[1]) }
  }
  throw new WitnessClientError(res.status, `the witness answered ${res.status}: ${text.trim().slice(0, 300)}`)
}

/**
 * Adds to a checkpoint note the cosignature lines, of those given, that come from the given
 * witnesses; lines by other keys are dropped. Throws NoteError when a given witness's line does
 * not verify on this checkpoint, or when no line is left.
 */
export function withCosignatures(checkpointNote: string, lines: readonly string[], witnesses: readonly NoteVerifier[]): string {
  const { text } = parseNote(checkpointNote)
  const kept = lines.filter((line) => {
    if (line.includes('\n')) throw new NoteError('a cosignature line must be a single line')
    const [signature] = parseNote(`${text}\n${line}\n`).signatures
    if (!signature || !witnesses.some((w) => w.name === signature.name && w.keyHash === signature.keyHash)) return false
    openNote(`${text}\n${line}\n`, witnesses) // throws when the known witness's signature does not verify
    return true
  })
  if (kept.length === 0) throw new NoteError('no cosignature line comes from the given witness keys')
  return `${checkpointNote}${kept.map((l) => `${l}\n`).join('')}`
}
