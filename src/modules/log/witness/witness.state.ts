// What a witness remembers: for each log origin, the latest checkpoint it cosigned. One file per
// origin, replaced atomically (temporary file, fsync, rename, fsync of the directory), so that
// after a crash the file holds either the old state or the new one, never a mix, and a
// cosignature is only sent once the state that backs it is on disk. A lock file keeps a second
// witness process off the same directory, where the two could roll each other back.
import { createHash, randomUUID } from 'node:crypto'
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'

export type LogState = {
  origin: string
  size: number
  rootHash: Buffer
  /** The checkpoint as cosigned, with the witness's own cosignature line. */
  note: string
  updatedAt: string
}

export class WitnessStateError extends Error {
  override name = 'WitnessStateError'
}

type StoredState = { origin: string; size: number; rootHash: string; note: string; updatedAt: string }

const LOCK_FILE = 'witness.lock'

const fileFor = (dir: string, origin: string) => join(dir, `log-${createHash('sha256').update(origin).digest('hex')}.json`)

async function writeAtomically(dir: string, file: string, data: string): Promise<void> {
  const tmp = join(dir, `.tmp-${process.pid}-${randomUUID()}`)
  const fh = await open(tmp, 'wx', 0o600)
  try {
    await fh.writeFile(data)
    await fh.sync()
  } finally {
    await fh.close()
  }
  try {
    await rename(tmp, file)
  } catch (e) {
    await unlink(tmp).catch(() => {})
    throw e
  }
  // The rename itself must be durable before anyone is told about the new state.
  const dh = await open(dir, 'r')
  try { await dh.sync() } finally { await dh.close() }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function takeLock(dir: string): Promise<void> {
  const lock = join(dir, LOCK_FILE)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(lock, 'wx', 0o600)
      await fh.writeFile(`${process.pid}\n`)
      await fh.close()
      return
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const pid = Number((await readFile(lock, 'utf8').catch(() => '')).trim())
      if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) {
        throw new WitnessStateError(`another witness (pid ${pid}) is using ${dir}; if it is not, remove ${lock}`)
      }
      await unlink(lock).catch(() => {})
    }
  }
  throw new WitnessStateError(`could not lock ${dir}`)
}

export type WitnessState = {
  /** The latest cosigned state for an origin, or null if the witness never cosigned for it. */
  read(origin: string): Promise<LogState | null>
  /** Durably records a new state (on disk before it resolves). */
  write(state: LogState): Promise<void>
  /** Runs `work` alone for this origin: the check-then-write of add-checkpoint must not interleave. */
  exclusive<T>(origin: string, work: () => Promise<T>): Promise<T>
  close(): Promise<void>
}

export async function openWitnessState(dir: string): Promise<WitnessState> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  await takeLock(dir)
  const cache = new Map<string, LogState | null>()
  const queues = new Map<string, Promise<unknown>>()
  let closed = false

  async function read(origin: string): Promise<LogState | null> {
    if (cache.has(origin)) return cache.get(origin) ?? null
    let text: string
    try {
      text = await readFile(fileFor(dir, origin), 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
      cache.set(origin, null)
      return null
    }
    // A file that cannot be read back is never taken as "no state": that would be a rollback to 0.
    let stored: StoredState
    try {
      stored = JSON.parse(text) as StoredState
    } catch {
      throw new WitnessStateError(`the state file for ${origin} is unreadable; refusing to cosign for it`)
    }
    if (stored.origin !== origin || !Number.isSafeInteger(stored.size) || typeof stored.rootHash !== 'string') {
      throw new WitnessStateError(`the state file for ${origin} is inconsistent; refusing to cosign for it`)
    }
    const state: LogState = { ...stored, rootHash: Buffer.from(stored.rootHash, 'base64') }
    cache.set(origin, state)
    return state
  }

  async function write(state: LogState): Promise<void> {
    if (closed) throw new WitnessStateError('the witness state is closed')
    const stored: StoredState = { ...state, rootHash: state.rootHash.toString('base64') }
    await writeAtomically(dir, fileFor(dir, state.origin), `${JSON.stringify(stored, null, 2)}\n`)
    cache.set(state.origin, state)
  }

  function exclusive<T>(origin: string, work: () => Promise<T>): Promise<T> {
    const previous = queues.get(origin) ?? Promise.resolve()
    const next = previous.then(work)
    const settled = next.catch(() => {})
    queues.set(origin, settled)
    void settled.then(() => { if (queues.get(origin) === settled) queues.delete(origin) })
    return next
  }

  async function close(): Promise<void> {
    if (closed) return
    closed = true
    await Promise.all(queues.values())
    await unlink(join(dir, LOCK_FILE)).catch(() => {})
  }

  return { read, write, exclusive, close }
}
