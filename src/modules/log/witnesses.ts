// Asking the configured witnesses to cosign (C2SP tlog-witness add-checkpoint), after each
// checkpoint commits. It never holds up sequencing: one request in flight per witness, and a
// witness that is down or slow only misses checkpoints; the next request carries a consistency
// proof from the last size it cosigned (remembered in log_cosignatures, so in the database).
import type { Database } from '../../db/database.ts'
import { logRepository, nodeReader } from './log.repository.ts'
import type { LogKey } from './log.keys.ts'
import { consistencyProof } from './merkle.ts'
import { openNote, verifierFromVkey, type VkeyVerifier } from './note.ts'
import { addCheckpoint, WitnessClientError, type AddCheckpointRequest } from './witness/witness.client.ts'

export type WitnessTarget = { url: string; vkey: string }

/** What a witness answered: its cosignature lines, or a refusal (409 carries the size it holds). */
export type AddCheckpointResult =
  | { ok: true; cosignatures: string }
  | { ok: false; status: number; witnessSize?: number; message: string }
export type AddCheckpoint = (url: string, request: AddCheckpointRequest, signal: AbortSignal) => Promise<AddCheckpointResult>

/** How long one add-checkpoint request may take before it is abandoned. */
const REQUEST_TIMEOUT_MS = 10_000

/** The tlog-witness add-checkpoint call over HTTP (witness/witness.client.ts). */
export const httpAddCheckpoint: AddCheckpoint = async (url, request, signal) => {
  try {
    const answer = await addCheckpoint(url, request, { signal })
    if ('conflict' in answer) return { ok: false, status: 409, witnessSize: answer.conflict, message: `the witness holds size ${answer.conflict}` }
    return { ok: true, cosignatures: answer.cosignatureLines.map((l) => `${l}\n`).join('') }
  } catch (e) {
    if (e instanceof WitnessClientError) return { ok: false, status: e.status, message: e.message }
    throw e
  }
}

type Log = { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void }

type Tracked = WitnessTarget & { verifier: VkeyVerifier; wanted: number | null; inFlight: Promise<void> | null }

export function witnessNotifier(options: { db: Database; key: LogKey; targets: readonly WitnessTarget[]; addCheckpoint?: AddCheckpoint | undefined; logger: Log }) {
  const repo = logRepository(options.db.kysely)
  const add = options.addCheckpoint ?? httpAddCheckpoint
  const controller = new AbortController()
  const tracked: Tracked[] = options.targets.map((t) => ({ ...t, verifier: verifierFromVkey(t.vkey), wanted: null, inFlight: null }))

  /** Submits checkpoint `size` to one witness; true when it cosigned. */
  async function submit(w: Tracked, size: number): Promise<boolean> {
    const checkpoint = await repo.checkpointAt(size)
    if (!checkpoint) return false
    let oldSize = await repo.witnessSize(w.vkey)
    for (let attempt = 0; attempt < 2; attempt++) {
      if (oldSize >= size) return false
      const proof = oldSize === 0 ? [] : await consistencyProof(oldSize, size, nodeReader(repo))
      const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)])
      const answer = await add(w.url, { oldSize, consistencyProof: proof, checkpointNote: checkpoint.note }, signal)
      if (answer.ok) {
        // Keep the first line that verifies as this witness's cosignature over exactly this checkpoint.
        for (const line of answer.cosignatures.split('\n').filter((l) => l.startsWith(`\u2014 ${w.verifier.name} `))) {
          let verified = false
          try {
            verified = openNote(`${checkpoint.note}${line}\n`, [w.verifier]).signatures.some((s) => s.verifiedBy === w.verifier)
          } catch { /* not this one */ }
          if (!verified) continue
          await repo.insertCosignature(size, w.vkey, line)
          return true
        }
        throw new Error('the witness answered without a valid cosignature by its key')
      }
      // 409: the witness holds another size. Start again from it, once.
      if (answer.status === 409 && answer.witnessSize !== undefined && attempt === 0) {
        oldSize = answer.witnessSize
        continue
      }
      throw new Error(`witness answered ${answer.status}: ${answer.message}`)
    }
    return false
  }

  function drive(w: Tracked): Promise<void> {
    return (async () => {
      while (w.wanted !== null && !controller.signal.aborted) {
        const size = w.wanted
        w.wanted = null
        try {
          if (await submit(w, size)) options.logger.info({ witness: w.verifier.name, size }, 'checkpoint cosigned')
        } catch (err) {
          options.logger.warn({ err, witness: w.verifier.name, url: w.url, size }, 'witness did not cosign the checkpoint')
        }
      }
    })().finally(() => { w.inFlight = null })
  }

  return {
    /** A new checkpoint is committed: ask every witness (the latest wins over any still queued). */
    notify(size: number): void {
      for (const w of tracked) {
        w.wanted = Math.max(w.wanted ?? 0, size)
        w.inFlight ??= drive(w)
      }
    },
    /** Waits for requests in flight, giving them a moment before aborting them. */
    async close(graceMs = 2_000): Promise<void> {
      const all = tracked.map((w) => w.inFlight).filter((p): p is Promise<void> => p !== null)
      const timer = setTimeout(() => controller.abort(), graceMs)
      await Promise.all(all)
      clearTimeout(timer)
      controller.abort()
    },
  }
}
