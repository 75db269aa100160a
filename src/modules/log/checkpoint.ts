// C2SP checkpoints (c2sp.org/tlog-checkpoint): the note text that commits a log to its Merkle tree
// at one size: origin, decimal tree size, base64 root hash, then optional extension lines.
import { HASH_SIZE } from './merkle.ts'
import { decodeBase64Strict, NoteError, openNote, type NoteVerifier, type OpenedNote } from './note.ts'

export type Checkpoint = {
  /** Who issued it: a unique name for the log, e.g. "truce.example/log". */
  origin: string
  size: number
  rootHash: Buffer
  /** Opaque, non-empty lines after the root hash; not auditable, so Truce writes none. */
  extensions: string[]
}

/**
 * The note text for a checkpoint, ending in a newline.
 * @example formatCheckpoint({ origin: 'truce.example/log', size: 0, rootHash: sha256(''), extensions: [] })
 * // "truce.example/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
 */
export function formatCheckpoint(c: Checkpoint): string {
  if (c.origin === '' || c.origin.includes('\n')) throw new NoteError('checkpoint origin must be one non-empty line')
  if (!Number.isSafeInteger(c.size) || c.size < 0) throw new NoteError(`checkpoint size must be a whole number ≥ 0, got ${c.size}`)
  if (c.rootHash.length !== HASH_SIZE) throw new NoteError(`checkpoint root hash must be ${HASH_SIZE} bytes, got ${c.rootHash.length}`)
  for (const e of c.extensions) if (e === '' || e.includes('\n')) throw new NoteError('checkpoint extension lines must be non-empty single lines')
  return [c.origin, String(c.size), c.rootHash.toString('base64'), ...c.extensions].map((l) => `${l}\n`).join('')
}

/** Reads a checkpoint note text (without signatures); NoteError names the line that is wrong. */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new NoteError('a checkpoint must end with a newline')
  const lines = text.slice(0, -1).split('\n')
  if (lines.length < 3) throw new NoteError(`a checkpoint has at least three lines (origin, size, root hash), got ${lines.length}`)
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]]
  if (origin === '') throw new NoteError('the origin is empty', 1)
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) throw new NoteError(`the tree size "${sizeLine}" is not a decimal number without leading zeroes`, 2)
  const size = Number(sizeLine)
  if (!Number.isSafeInteger(size)) throw new NoteError(`the tree size ${sizeLine} is too large`, 2)
  const rootHash = decodeBase64Strict(rootLine)
  if (!rootHash) throw new NoteError('the root hash is not valid base64', 3)
  if (rootHash.length !== HASH_SIZE) throw new NoteError(`the root hash is ${rootHash.length} bytes, not ${HASH_SIZE}`, 3)
  extensions.forEach((e, i) => { if (e === '') throw new NoteError('an extension line is empty', 4 + i) })
  return { origin, size, rootHash, extensions }
}

/**
 * Opens a signed checkpoint: verifies the note against the given keys (openNote's rules) and
 * parses its text. Throws NoteError when either fails.
 */
export function openCheckpoint(note: string, verifiers: readonly NoteVerifier[]): { checkpoint: Checkpoint; note: OpenedNote } {
  const opened = openNote(note, verifiers)
  return { checkpoint: parseCheckpoint(opened.text), note: opened }
}
