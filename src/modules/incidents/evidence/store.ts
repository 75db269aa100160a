// A content-addressed store for evidence files on disk. A file's key is the SHA-256 of its bytes,
// and it lives at <root>/ab/cd/abcd…(64 hex): the same bytes sent twice are one file, and a key
// says what the bytes must hash to. Writes go to a temporary file in <root>/tmp, hashed and
// counted as they arrive, and are renamed into place only once complete: a reader never sees a
// partial file, and a write refused for its size or abandoned half way leaves nothing behind.
import { createHash, randomUUID } from 'node:crypto'
import { createReadStream, type ReadStream } from 'node:fs'
import { mkdir, open, readFile, rename, rm, stat, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { EvidenceError, tooLarge } from './errors.ts'

/** 64 lower-case hex digits: the SHA-256 of the file. */
export type EvidenceKey = string

export type PutResult = {
  key: EvidenceKey
  sha256: string
  size: number
  /** False when the store already held these bytes (nothing was written). */
  created: boolean
}

export type PutOptions = {
  /** The largest file taken, in bytes; one byte more is `evidence_too_large` and nothing is kept. */
  maxBytes: number
}

const KEY = /^[0-9a-f]{64}$/

const checkKey = (key: string): EvidenceKey => {
  if (!KEY.test(key)) throw new EvidenceError('evidence_key_invalid', 'an evidence key is 64 lower-case hex digits (a SHA-256)')
  return key
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> { yield bytes }

const missing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT'

export class EvidenceStore {
  readonly root: string

  constructor(root: string) {
    this.root = root
  }

  /**
   * Where the file of a key lives.
   * @example store.pathOf('abcdef…') === '<root>/ab/cd/abcdef…'
   */
  pathOf(key: EvidenceKey): string {
    checkKey(key)
    return join(this.root, key.slice(0, 2), key.slice(2, 4), key)
  }

  /**
   * Stores bytes or a stream, hashing while writing. Past `maxBytes` the write stops at once, the
   * stream is closed and the temporary file removed. Storing bytes the store already holds is a
   * no-op answering the same key with `created: false`.
   *
   * @example
   * const { key, created } = await store.put(request.raw, { maxBytes: 25 * 2 ** 20 })
   */
  async put(input: Uint8Array | AsyncIterable<Uint8Array>, options: PutOptions): Promise<PutResult> {
    const source = input instanceof Uint8Array ? once(input) : input
    const tmpDir = join(this.root, 'tmp')
    await mkdir(tmpDir, { recursive: true })
    const tmp = join(tmpDir, `${randomUUID()}.part`)
    const file = await open(tmp, 'wx', 0o644)
    const hash = createHash('sha256')
    let size = 0
    let kept = false
    try {
      try {
        // Leaving the loop by a throw calls the source's return(), which closes an upload or a file.
        for await (const chunk of source) {
          size += chunk.length
          if (size > options.maxBytes) throw tooLarge(options.maxBytes)
          hash.update(chunk)
          for (let at = 0; at < chunk.length;) {
            const { bytesWritten } = await file.write(chunk, at, chunk.length - at)
            at += bytesWritten
          }
        }
        await file.sync()
      } finally {
        await file.close()
      }
      const sha256 = hash.digest('hex')
      const dest = this.pathOf(sha256)
      if (await this.has(sha256)) return { key: sha256, sha256, size, created: false }
      await mkdir(dirname(dest), { recursive: true })
      // Two writers of the same new bytes may both get here; the second rename replaces identical bytes.
      await rename(tmp, dest)
      kept = true
      await syncDir(dirname(dest))
      return { key: sha256, sha256, size, created: true }
    } finally {
      if (!kept) await rm(tmp, { force: true })
    }
  }

  async has(key: EvidenceKey): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile()
    } catch (e) {
      if (missing(e)) return false
      throw e
    }
  }

  /** The file's size in bytes, or null when the store does not hold it. */
  async size(key: EvidenceKey): Promise<number | null> {
    try {
      return (await stat(this.pathOf(key))).size
    } catch (e) {
      if (missing(e)) return null
      throw e
    }
  }

  /** The whole file, or null when the store does not hold it. */
  async read(key: EvidenceKey): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key))
    } catch (e) {
      if (missing(e)) return null
      throw e
    }
  }

  /** A stream of the file (a missing key errors on the stream with ENOENT; check `has` first to answer 404). */
  open(key: EvidenceKey, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.pathOf(key), range)
  }

  /** Removes a file (a takedown); true when there was one. */
  async delete(key: EvidenceKey): Promise<boolean> {
    try {
      await unlink(this.pathOf(key))
      return true
    } catch (e) {
      if (missing(e)) return false
      throw e
    }
  }
}

// The rename is durable once the directory entry is; not every platform can fsync a directory.
async function syncDir(path: string): Promise<void> {
  let dir
  try {
    dir = await open(path, 'r')
    await dir.sync()
  } catch {
    // best effort
  } finally {
    await dir?.close()
  }
}
