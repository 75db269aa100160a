// Rotating the log's key. The log hands over from its current key to a new one at the tree it has
// signed last: a signed note, signed by BOTH keys, that names the origin, that tree (size and
// root) and the two vkeys:
//
//   truce.log/key-rotation/v1
//   <origin>
//   <size>
//   <root, base64>
//   from <old vkey>
//   to <new vkey>
//
//   — <origin> <old key's signature>
//   — <origin> <new key's signature>
//
// A party that pinned the old key checks the note with it (`truce verify note NOTE --vkey OLD
// --vkey NEW`) and pins the new key; the new key's checkpoints must extend that tree. The first
// line is not the origin, so no checkpoint verifier mistakes the note for a checkpoint. After
// the handover the old key signs nothing more: the sequencer refuses to, and the audit reports a
// checkpoint the old key signed above the handover size.
import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { logRepository, type StoredRotation } from './log.repository.ts'
import type { LogKey } from './log.keys.ts'
import { decodeBase64Strict, NoteError, openNote, parseNote, signNote, verifierFromVkey } from './note.ts'

export const ROTATION_HEADER = 'truce.log/key-rotation/v1'

export type Rotation = { origin: string; size: number; rootHash: Buffer; fromVkey: string; toVkey: string }

/** A rotation note that is malformed or not signed by both of its keys; `line` names where, when known. */
export class RotationError extends Error {
  override name = 'RotationError'
  readonly line: number | undefined
  constructor(message: string, line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`)
    this.line = line
  }
}

/** The key cannot be rotated now (nothing signed yet, already rotated, a key of another origin). */
export class RotationRefusedError extends Error {
  override name = 'RotationRefusedError'
}

export function formatRotation(r: Rotation): string {
  return [ROTATION_HEADER, r.origin, String(r.size), r.rootHash.toString('base64'), `from ${r.fromVkey}`, `to ${r.toVkey}`].map((l) => `${l}\n`).join('')
}

/** Parses a rotation note's text (the part above the blank line); a problem names its line. */
export function parseRotation(text: string): Rotation {
  const lines = text.split('\n')
  if (lines.length !== 7 || lines[6] !== '') throw new RotationError(`a rotation has exactly 6 lines, each ending in a newline; got ${lines.length - 1}`)
  if (lines[0] !== ROTATION_HEADER) throw new RotationError(`expected "${ROTATION_HEADER}"`, 1)
  const origin = lines[1]!
  if (origin === '' || /\s/.test(origin)) throw new RotationError('expected the origin', 2)
  if (!/^(0|[1-9][0-9]*)$/.test(lines[2]!) || !Number.isSafeInteger(Number(lines[2]))) throw new RotationError('expected the tree size, a decimal number', 3)
  const rootHash = decodeBase64Strict(lines[3]!)
  if (!rootHash || rootHash.length !== 32) throw new RotationError('expected the root hash, 32 bytes in base64', 4)
  const from = /^from (\S+)$/.exec(lines[4]!)
  if (!from) throw new RotationError('expected "from <old vkey>"', 5)
  const to = /^to (\S+)$/.exec(lines[5]!)
  if (!to) throw new RotationError('expected "to <new vkey>"', 6)
  return { origin, size: Number(lines[2]), rootHash, fromVkey: from[1]!, toVkey: to[1]! }
}

/**
 * The rotation a note states, once BOTH of the keys it names have signed it (each an Ed25519
 * key named by the origin, and not the same key). Throws RotationError otherwise.
 */
export function openRotation(note: string): Rotation {
  let text: string
  try {
    text = parseNote(note).text
  } catch (e) {
    if (e instanceof NoteError) throw new RotationError(`not a signed note: ${e.message}`)
    throw e
  }
  const rotation = parseRotation(text)
  const keys = [rotation.fromVkey, rotation.toVkey].map((vkey, i) => {
    try {
      const v = verifierFromVkey(vkey)
      if (v.type !== 'ed25519') throw new RotationError('a log key is an Ed25519 (type 0x01) key', 5 + i)
      if (v.name !== rotation.origin) throw new RotationError(`the key is named "${v.name}", not the origin "${rotation.origin}"`, 5 + i)
      return v
    } catch (e) {
      if (e instanceof RotationError) throw e
      throw new RotationError(`not a vkey: ${e instanceof Error ? e.message : String(e)}`, 5 + i)
    }
  })
  if (rotation.fromVkey === rotation.toVkey) throw new RotationError('the old and the new key are the same', 6)
  let opened
  try {
    opened = openNote(note, keys)
  } catch (e) {
    if (e instanceof NoteError) throw new RotationError(e.message)
    throw e
  }
  for (const k of keys) {
    if (!opened.signatures.some((s) => s.verifiedBy === k)) throw new RotationError(`the note is not signed by ${k.vkey}; a rotation needs both keys' signatures`)
  }
  return rotation
}

/** A stored rotation, checked: its note opens and says what the row says. */
export function checkStoredRotation(row: StoredRotation): Rotation {
  const r = openRotation(row.note)
  if (r.fromVkey !== row.fromVkey || r.toVkey !== row.toVkey || r.size !== row.atSize) {
    throw new RotationError(`the stored rotation from ${row.fromVkey} does not match its signed note`)
  }
  return r
}

/**
 * Hands the log over from `current` to `next` at the tree `current` signed last, in one
 * transaction that holds the head row, so no pass signs in between. Refused when the log has not
 * signed anything yet (there is nothing to hand over: replace the key file instead), when the
 * latest checkpoint is not `current`'s, or when `current` was rotated away from already.
 */
export async function rotateLogKey(db: Kysely<DB>, current: LogKey, next: LogKey): Promise<{ rotation: Rotation; note: string }> {
  if (next.origin !== current.origin) throw new RotationRefusedError(`the new key is for origin "${next.origin}", the log's is "${current.origin}"`)
  if (next.vkey === current.vkey) throw new RotationRefusedError('the new key is the current key')
  return db.transaction().execute(async (trx) => {
    await sql`set local synchronous_commit = on`.execute(trx)
    const repo = logRepository(trx)
    await repo.state(true)
    const latest = await repo.latestCheckpoint()
    if (!latest) throw new RotationRefusedError('the log has signed no checkpoint yet: nobody can have pinned its key, so replace the key file instead')
    if (latest.vkey !== current.vkey) throw new RotationRefusedError(`the latest checkpoint is signed by ${latest.vkey}, not by the configured key ${current.vkey}`)
    const retired = await repo.rotationFrom(current.vkey)
    if (retired) throw new RotationRefusedError(`the configured key was rotated away from already, to ${retired.toVkey}`)
    if (await repo.rotationTo(next.vkey) || await repo.rotationFrom(next.vkey)) throw new RotationRefusedError('the new key has been a log key before; use a fresh one')
    const rotation: Rotation = { origin: current.origin, size: latest.size, rootHash: latest.rootHash, fromVkey: current.vkey, toVkey: next.vkey }
    const note = signNote(formatRotation(rotation), [current.signer, next.signer])
    await repo.insertRotation({ fromVkey: current.vkey, toVkey: next.vkey, atSize: latest.size, note })
    return { rotation, note }
  })
}

/** A key of the chain: the rotation that made it the log's key, and the one that retired it. */
export type ChainKey = { introduced: Rotation | null; retired: Rotation | null }

/**
 * The keys reachable from `start` along rotations already checked (checkStoredRotation), forward
 * and backward: each note is signed by both its keys, so a party that trusts one key of the chain
 * can check every checkpoint of the log.
 */
export function rotationChain(checked: readonly Rotation[], start: readonly string[]): Map<string, ChainKey> {
  const out = new Map<string, ChainKey>()
  const entry = (vkey: string) => {
    let e = out.get(vkey)
    if (!e) out.set(vkey, e = { introduced: null, retired: null })
    return e
  }
  const queue = [...start]
  for (const vkey of queue) entry(vkey)
  while (queue.length > 0) {
    const vkey = queue.shift()!
    for (const r of checked) {
      if (r.fromVkey === vkey || r.toVkey === vkey) {
        const fresh = [r.fromVkey, r.toVkey].filter((k) => !out.has(k))
        entry(r.fromVkey).retired = r
        entry(r.toVkey).introduced = r
        queue.push(...fresh)
      }
    }
  }
  return out
}
