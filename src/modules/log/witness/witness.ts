// A C2SP tlog-witness (c2sp.org/tlog-witness): it cosigns a log's checkpoint (cosignature/v1)
// only when the checkpoint is signed by a key it trusts for that origin and is consistent with
// the last checkpoint it cosigned for that origin. Each refusal carries the status the spec
// gives it; the HTTP server (witness.server.ts) only passes bodies in and answers out.
import { generateKeyPairSync, createPrivateKey, type KeyObject } from 'node:crypto'
import { open, readFile } from 'node:fs/promises'
import { rawEd25519PublicKey } from '../../../lib/ed25519.ts'
import { parseCheckpoint, type Checkpoint } from '../checkpoint.ts'
import { EMPTY_ROOT, HASH_SIZE, MerkleError, verifyConsistency } from '../merkle.ts'
import { cosignatureSigner, decodeBase64Strict, NoteError, openNote, parseNote, signNote, verifierFromVkey, vkeyOf, type NoteVerifier } from '../note.ts'
import { openWitnessState, type LogState } from './witness.state.ts'

/** The spec caps a request at 63 consistency proof lines (a proof in a tree of up to 2^63 leaves). */
export const MAX_PROOF_LINES = 63

/** A request the witness will not cosign: `status` is the HTTP status the spec assigns. */
export class WitnessRefusal extends Error {
  readonly status: 400 | 403 | 404 | 409 | 422
  /** With 409 for a size mismatch: the size of the latest checkpoint the witness cosigned. */
  readonly size?: number
  constructor(status: 400 | 403 | 404 | 409 | 422, message: string, size?: number) {
    super(message)
    this.name = 'WitnessRefusal'
    this.status = status
    if (size !== undefined) this.size = size
  }
}

export type WitnessedLog = { origin: string; verifiers: readonly NoteVerifier[] }

export type WitnessOptions = {
  /** The witness's key name, e.g. "witness.un.example/w1". */
  name: string
  privateKey: KeyObject
  logs: readonly WitnessedLog[]
  stateDir: string
  /** Unix seconds; tests pin it. */
  now?: () => number
  /** Told about a signed checkpoint that did not prove consistent: possible evidence of a fork. */
  onInconsistent?: (event: { origin: string; oldSize: number; checkpointNote: string; reason: string }) => void
}

export type Witness = {
  name: string
  /** The cosignature/v1 vkey parties pin for this witness. */
  vkey: string
  /** Handles one add-checkpoint body: the cosignature lines (each ending in "\n"), or a WitnessRefusal. */
  addCheckpoint(body: string): Promise<string>
  /** What the witness holds for an origin (null: never cosigned). */
  latest(origin: string): Promise<LogState | null>
  close(): Promise<void>
}

export type AddCheckpointBody = { oldSize: number; proof: Buffer[]; checkpointNote: string }

/** Reads an add-checkpoint request body; a WitnessRefusal(400) names the line that is wrong. */
export function parseAddCheckpointBody(body: string): AddCheckpointBody {
  const bad = (line: number, message: string) => new WitnessRefusal(400, `line ${line}: ${message}`)
  const firstBreak = body.indexOf('\n')
  if (firstBreak < 0) throw bad(1, 'expected "old <size>" and a newline')
  const oldLine = body.slice(0, firstBreak)
  const old = /^old (0|[1-9][0-9]*)$/.exec(oldLine)
  if (!old) throw bad(1, 'expected "old <size>" (decimal, no leading zeroes)')
  const oldSize = Number(old[1])
  if (!Number.isSafeInteger(oldSize)) throw bad(1, 'old size too large')
  const proof: Buffer[] = []
  let at = firstBreak + 1
  for (let line = 2; ; line++) {
    const end = body.indexOf('\n', at)
    if (end < 0) throw bad(line, 'expected a base64 hash or the empty line before the checkpoint')
    const text = body.slice(at, end)
    at = end + 1
    if (text === '') break
    if (proof.length === MAX_PROOF_LINES) throw bad(line, `more than ${MAX_PROOF_LINES} consistency proof lines`)
    const hash = decodeBase64Strict(text)
    if (!hash || hash.length !== HASH_SIZE) throw bad(line, `a consistency proof line is one base64 ${HASH_SIZE}-byte hash`)
    proof.push(hash)
  }
  return { oldSize, proof, checkpointNote: body.slice(at) }
}

/** Reads the witness key (Ed25519 PKCS#8 PEM), creating it (mode 0600) if the file does not exist. */
export async function loadOrCreateWitnessKey(file: string): Promise<{ privateKey: KeyObject; created: boolean }> {
  try {
    const privateKey = createPrivateKey(await readFile(file, 'utf8'))
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is a ${privateKey.asymmetricKeyType} key, not Ed25519`)
    return { privateKey, created: false }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
  const { privateKey } = generateKeyPairSync('ed25519')
  // "wx": two witnesses starting at once cannot both write (and one lose) a key.
  const fh = await open(file, 'wx', 0o600)
  try {
    await fh.writeFile(privateKey.export({ format: 'pem', type: 'pkcs8' }))
    await fh.sync()
  } finally {
    await fh.close()
  }
  return { privateKey, created: true }
}

/**
 * Parses "ORIGIN=VKEY" log arguments into witnessed logs; the same origin may come back with more
 * keys (a log rotating its key). The origin is everything before the first "=".
 * @example logsFromArguments(['truce.example/log=truce.example/log+1a2b3c4d+AX…'])
 */
export function logsFromArguments(args: readonly string[]): WitnessedLog[] {
  const byOrigin = new Map<string, NoteVerifier[]>()
  for (const arg of args) {
    const eq = arg.indexOf('=')
    if (eq <= 0) throw new NoteError(`--log "${arg}": expected ORIGIN=VKEY`)
    const origin = arg.slice(0, eq)
    const verifier = verifierFromVkey(arg.slice(eq + 1))
    if (verifier.type !== 'ed25519') throw new NoteError(`--log ${origin}: the log key must be an Ed25519 (0x01) vkey, not ${verifier.type}`)
    byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), verifier])
  }
  return [...byOrigin].map(([origin, verifiers]) => ({ origin, verifiers }))
}

export async function openWitness(options: WitnessOptions): Promise<Witness> {
  const logs = new Map(options.logs.map((l) => [l.origin, l.verifiers]))
  const signer = cosignatureSigner(options.name, options.privateKey, options.now)
  const vkey = vkeyOf(options.name, rawEd25519PublicKey(options.privateKey), 'cosignature/v1')
  const state = await openWitnessState(options.stateDir)

  async function addCheckpoint(body: string): Promise<string> {
    const request = parseAddCheckpointBody(body)
    let checkpoint: Checkpoint
    try {
      checkpoint = parseCheckpoint(parseNote(request.checkpointNote).text)
    } catch (e) {
      if (e instanceof NoteError) throw new WitnessRefusal(400, `checkpoint: ${e.message}`)
      throw e
    }
    const verifiers = logs.get(checkpoint.origin)
    if (!verifiers) throw new WitnessRefusal(404, `unknown log origin "${checkpoint.origin}"`)
    let text: string
    try {
      text = openNote(request.checkpointNote, verifiers).text
    } catch (e) {
      if (e instanceof NoteError) throw new WitnessRefusal(403, `checkpoint signature: ${e.message}`)
      throw e
    }
    if (request.oldSize > checkpoint.size) throw new WitnessRefusal(400, `old size ${request.oldSize} is greater than the checkpoint size ${checkpoint.size}`)

    return state.exclusive(checkpoint.origin, async () => {
      const latest = await state.read(checkpoint.origin)
      const held = latest ?? { size: 0, rootHash: EMPTY_ROOT }
      if (request.oldSize !== held.size) throw new WitnessRefusal(409, `the latest checkpoint cosigned for ${checkpoint.origin} has size ${held.size}`, held.size)
      const inconsistent = (reason: string) => {
        options.onInconsistent?.({ origin: checkpoint.origin, oldSize: request.oldSize, checkpointNote: request.checkpointNote, reason })
        return new WitnessRefusal(422, reason)
      }
      if (checkpoint.size === held.size) {
        // Same size: the root must be the one already cosigned, or the log has forked.
        if (!checkpoint.rootHash.equals(held.rootHash)) {
          options.onInconsistent?.({ origin: checkpoint.origin, oldSize: request.oldSize, checkpointNote: request.checkpointNote, reason: 'same size, different root' })
          throw new WitnessRefusal(409, `the checkpoint has size ${held.size}, already cosigned with a different root hash`)
        }
        if (request.proof.length > 0) throw inconsistent('the consistency proof between equal sizes must be empty')
      } else if (held.size === 0) {
        if (request.proof.length > 0) throw inconsistent('the consistency proof from size 0 must be empty')
      } else {
        let ok: boolean
        try {
          ok = verifyConsistency(held.size, checkpoint.size, held.rootHash, checkpoint.rootHash, request.proof)
        } catch (e) {
          if (e instanceof MerkleError) throw new WitnessRefusal(400, `consistency proof: ${e.message}`)
          throw e
        }
        if (!ok) throw inconsistent(`the consistency proof from size ${held.size} to ${checkpoint.size} does not verify`)
      }
      const cosigned = signNote(text, [signer])
      const line = cosigned.slice(text.length + 1)
      await state.write({
        origin: checkpoint.origin, size: checkpoint.size, rootHash: checkpoint.rootHash,
        note: `${request.checkpointNote}${line}`, updatedAt: new Date().toISOString(),
      })
      return line
    })
  }

  return { name: options.name, vkey, addCheckpoint, latest: (origin) => state.read(origin), close: () => state.close() }
}
