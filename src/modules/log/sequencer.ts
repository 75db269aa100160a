// The sequencer: turns submissions into log entries and signs checkpoints. One pass takes up to a
// batch of unsequenced submissions in seq order and, in ONE durable transaction, appends their
// entries and the tree nodes they complete, signs the checkpoint of the new tree, stores it and
// moves the head by compare-and-swap. A pass that loses the race (another sequencer moved the
// head) rolls back whole, so no checkpoint is ever published that is not an extension of the
// one before it. Witnesses are asked to cosign after the commit, off the sequencing path.
//
// State lives only in the database: a restart (or a second server on the same PostgreSQL)
// continues the same tree from log_state.
import { sql } from 'kysely'
import type { Database } from '../../db/database.ts'
import { leafOf, logEntry } from '../ledger/entry.ts'
import { formatCheckpoint, openCheckpoint } from './checkpoint.ts'
import { LogIntegrityError, logRepository, nodeReader, type StoredCheckpoint, type StoredNode } from './log.repository.ts'
import type { LogKey } from './log.keys.ts'
import { appendNodes, EMPTY_ROOT, leafHash, treeRoot, type NodeBatchReader } from './merkle.ts'
import { signNote, verifierFromVkey } from './note.ts'
import { checkStoredRotation } from './rotation.ts'
import { witnessNotifier, type AddCheckpoint, type WitnessTarget } from './witnesses.ts'

/** Entries per pass at most: "a few hundred" per checkpoint, as the issue asks. */
export const DEFAULT_BATCH = 500

export { LogIntegrityError }

/** The key this sequencer signs with was rotated away from: it must sign nothing more. */
export class LogKeyRetiredError extends Error {
  override name = 'LogKeyRetiredError'
}

/** Another sequencer moved the head while this pass worked; everything it wrote was rolled back. */
export class StaleLogStateError extends Error {
  override name = 'StaleLogStateError'
}

export type PassResult = {
  /** Tree size after the pass. */
  size: number
  /** Entries this pass appended. */
  added: number
  /** The checkpoint this pass signed, if it signed one. */
  checkpoint: StoredCheckpoint | null
}

/** A reader that answers from nodes still in memory first, then from the database. */
function overlayReader(fresh: readonly StoredNode[], fallback: NodeBatchReader): NodeBatchReader {
  const known = new Map(fresh.map((n) => [`${n.level}/${n.index}`, n.hash]))
  return async (ids) => {
    const missing = ids.filter((n) => !known.has(`${n.level}/${n.index}`))
    const read = await fallback(missing)
    missing.forEach((n, i) => known.set(`${n.level}/${n.index}`, read[i]!))
    return ids.map((n) => known.get(`${n.level}/${n.index}`)!)
  }
}

/**
 * A configured key that did not sign the latest checkpoint may take over only when a stored
 * rotation, signed by both keys, hands the log from the latest checkpoint's key to it at that
 * very tree (a rotation's new key has signed nothing yet). A key that took over by rotation
 * must still have that rotation intact.
 */
async function checkHandover(repo: ReturnType<typeof logRepository>, latest: StoredCheckpoint, key: LogKey): Promise<void> {
  const handover = await repo.rotationTo(key.vkey)
  if (latest.vkey === key.vkey && !handover) return
  if (!handover || (latest.vkey !== key.vkey && handover.fromVkey !== latest.vkey)) {
    throw new LogIntegrityError(`the log's checkpoints are signed by ${latest.vkey}, but the configured log key is ${key.vkey}, and no rotation hands the log over to it: ` +
      'restore the original key file (TRUCE_LOG_KEY_FILE) and origin (TRUCE_LOG_ORIGIN), or rotate with `truce log rotate-key`')
  }
  let rotation
  try {
    rotation = checkStoredRotation(handover)
  } catch (e) {
    throw new LogIntegrityError(`the rotation to the configured key does not verify: ${e instanceof Error ? e.message : String(e)}`)
  }
  if (latest.vkey !== key.vkey && (rotation.size !== latest.size || !rotation.rootHash.equals(latest.rootHash))) {
    throw new LogIntegrityError(`the rotation to the configured key hands over the tree of size ${rotation.size}, but the latest checkpoint is of size ${latest.size}`)
  }
}

/**
 * Checks that the stored log is whole before anything is signed on top of it: the head's root
 * is the root recomputed from log_nodes, the entries reach exactly the head's size, and the head's
 * checkpoint is signed by this key for this origin over that size and root.
 */
export async function checkLog(db: Database, key: LogKey): Promise<{ size: number; rootHash: Buffer }> {
  const repo = logRepository(db.kysely)
  const state = await repo.state()
  const root = await treeRoot(state.size, nodeReader(repo))
  if (!root.equals(state.rootHash)) {
    throw new LogIntegrityError(`the head says size ${state.size} with root ${state.rootHash.toString('base64')}, but log_nodes give ${root.toString('base64')}`)
  }
  const entries = await repo.entryCount()
  if (entries !== state.size) throw new LogIntegrityError(`the head says size ${state.size}, but log_entries hold ${entries} entries`)
  if (state.checkpointSize === null) {
    if (state.size > 0) throw new LogIntegrityError(`the head is at size ${state.size} without a checkpoint`)
    return { size: state.size, rootHash: root }
  }
  const latest = await repo.latestCheckpoint()
  if (!latest) throw new LogIntegrityError(`the head points at checkpoint ${state.checkpointSize}, which is missing`)
  const retired = await repo.rotationFrom(key.vkey)
  if (retired) {
    throw new LogIntegrityError(`the configured log key ${key.vkey} was rotated away from at size ${retired.atSize}, to ${retired.toVkey}: ` +
      'configure the new key file (TRUCE_LOG_KEY_FILE)')
  }
  await checkHandover(repo, latest, key)
  let opened
  try {
    opened = openCheckpoint(latest.note, [verifierFromVkey(latest.vkey)]).checkpoint
  } catch (e) {
    throw new LogIntegrityError(`the latest checkpoint does not verify with the key that signed it: ${e instanceof Error ? e.message : String(e)}`)
  }
  if (opened.origin !== key.origin) throw new LogIntegrityError(`the latest checkpoint's origin is "${opened.origin}", but TRUCE_LOG_ORIGIN is "${key.origin}"`)
  if (opened.size !== state.size || !opened.rootHash.equals(state.rootHash)) {
    throw new LogIntegrityError(`the latest checkpoint commits to size ${opened.size}, not the head's size ${state.size} and root`)
  }
  return { size: state.size, rootHash: root }
}

/**
 * One sequencing pass. Returns what it appended and the checkpoint it signed (none when there
 * was nothing new and a checkpoint for the current tree exists).
 */
export async function sequencePass(db: Database, key: LogKey, options: { batchSize?: number } = {}): Promise<PassResult> {
  const batch = options.batchSize ?? DEFAULT_BATCH
  const repo = logRepository(db.kysely)
  const head = await repo.state()
  const visible = await repo.maxSeq()
  if (visible <= head.seqFloor && head.checkpointSize !== null) return { size: head.size, added: 0, checkpoint: null }
  // Below `settled` no submission can appear any more, so the floor may move up to it.
  const settled = visible > head.seqFloor
    ? await repo.settledSeq().catch((e: unknown) => {
      // lock_not_available: a writer's transaction is still open; take nothing new this time.
      if ((e as { code?: string }).code === '55P03') return head.seqFloor
      throw e
    })
    : head.seqFloor

  return db.kysely.transaction().execute(async (trx) => {
    // Durable commit: the checkpoint is published only once it is on disk (PostgreSQL's default,
    // made explicit so a server-wide synchronous_commit = off cannot weaken it for the log).
    await sql`set local synchronous_commit = on`.execute(trx)
    const r = logRepository(trx)
    const state = await r.state(true)
    // Under the head's lock, so a rotation committed before this pass is seen, and one after waits for it.
    const retired = await r.rotationFrom(key.vkey)
    if (retired) throw new LogKeyRetiredError(`the log key was rotated away from at size ${retired.atSize}, to ${retired.toVkey}; restart with the new key`)
    const rows = settled > state.seqFloor ? await r.unsequenced(state.seqFloor, settled, batch) : []
    const floor = rows.length === batch ? rows[rows.length - 1]!.seq : Math.max(settled, state.seqFloor)
    if (rows.length === 0 && state.checkpointSize !== null) {
      if (floor > state.seqFloor && !await r.moveState(state.size, { ...state, seqFloor: floor })) throw new StaleLogStateError('the log head moved during the pass')
      return { size: state.size, added: 0, checkpoint: null }
    }

    const entries = rows.map((row, i) => {
      const { leaf, opening } = leafOf(logEntry(row, key.attestor))
      return { leafIndex: state.size + i, submissionId: row.id, entry: leaf, opening, leafHash: leafHash(Buffer.from(leaf, 'utf8')) }
    })
    const read = nodeReader(r)
    const created = await appendNodes(state.size, entries.map((e) => e.leafHash), read)
    const size = state.size + entries.length
    const rootHash = size === 0 ? EMPTY_ROOT : await treeRoot(size, overlayReader(created, read))
    const note = signNote(formatCheckpoint({ origin: key.origin, size, rootHash, extensions: [] }), [key.signer])

    await r.insertEntries(entries)
    await r.insertNodes(created)
    await r.insertCheckpoint({ size, rootHash, note, vkey: key.vkey })
    if (!await r.moveState(state.size, { size, rootHash, checkpointSize: size, seqFloor: floor })) {
      throw new StaleLogStateError(`the log head moved from size ${state.size} during the pass`)
    }
    return { size, added: entries.length, checkpoint: { size, rootHash, note, vkey: key.vkey, createdAt: new Date() } }
  })
}

type Log = {
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

export type Sequencer = {
  /** Runs one pass now (queued behind a pass already running). */
  pass(): Promise<PassResult>
  /** Stops the loop after a last pass and waits for witness requests in flight. */
  stop(): Promise<void>
}

export type SequencerOptions = {
  db: Database
  key: LogKey
  intervalMs: number
  batchSize?: number
  witnesses?: readonly WitnessTarget[]
  /** The tlog-witness client; tests give their own. */
  addCheckpoint?: AddCheckpoint
  logger?: Log
}

const SILENT: Log = { info() {}, warn() {}, error() {} }

/**
 * Checks the stored log (checkLog), then sequences every `intervalMs`, or at once again while a
 * pass comes back full. A failing pass is logged and retried on the next tick.
 */
export async function startSequencer(options: SequencerOptions): Promise<Sequencer> {
  const { db, key, intervalMs } = options
  const batchSize = options.batchSize ?? DEFAULT_BATCH
  const logger = options.logger ?? SILENT
  await checkLog(db, key)
  const witnesses = witnessNotifier({ db, key, targets: options.witnesses ?? [], addCheckpoint: options.addCheckpoint, logger })

  let tail: Promise<unknown> = Promise.resolve()
  const pass = (): Promise<PassResult> => {
    const run = tail.then(() => sequencePass(db, key, { batchSize }))
    tail = run.catch(() => {})
    return run.then((result) => {
      if (result.checkpoint) witnesses.notify(result.checkpoint.size)
      return result
    })
  }

  let stopped = false
  let retiredReported = false
  let wake: (() => void) | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    wake = resolve
    timer = setTimeout(resolve, ms)
  })
  const loop = (async () => {
    // The first pass right away: it signs the first checkpoint and catches up after a restart.
    while (!stopped) {
      let full = false
      try {
        const result = await pass()
        full = result.added >= batchSize
        if (result.checkpoint) logger.info({ size: result.size, added: result.added }, 'log checkpoint signed')
      } catch (err) {
        if (!(err instanceof LogKeyRetiredError)) logger.error({ err }, 'log sequencing pass failed; retrying')
        else if (!retiredReported) logger.error({ err }, 'the log key was rotated: this server signs nothing more until it restarts with the new key')
        retiredReported ||= err instanceof LogKeyRetiredError
      }
      if (!full && !stopped) await sleep(intervalMs)
    }
  })()

  let stopping: Promise<void> | undefined
  return {
    pass,
    stop() {
      stopping ??= (async () => {
        stopped = true
        clearTimeout(timer)
        wake?.()
        await loop
        // What was written before the server stopped accepting requests gets into the log now.
        try {
          while ((await pass()).added >= batchSize) { /* drain */ }
        } catch (err) {
          logger.error({ err }, 'last log sequencing pass failed')
        }
        await witnesses.close()
      })()
      return stopping
    },
  }
}
