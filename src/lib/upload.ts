// Files uploaded as a request's raw body (map layers, incident reports): received to a temporary
// file with a ceiling, hashed on the way, and checked against a signed upload's statement before
// the route writes anything. The route's plugin registers a content-type parser that hands the
// body over as a stream, so a large file is never held whole in memory.
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Principal } from '../modules/access/access.policy.ts'
import { AppError } from './errors.ts'

/** A file on disk with its size and SHA-256, and a way to remove it when it was a temporary copy. */
export type SpooledFile = { path: string; bytes: number; sha256: string; dispose(): Promise<void> }

const tooLarge = (maxBytes: number, seen: string) =>
  new AppError(413, 'file_too_large', `The file is larger than the limit of ${maxBytes.toLocaleString('en')} bytes.`, [{ path: 'body', message: seen }])

/**
 * Streams an upload to a temporary file, hashing it on the way and stopping at `maxBytes` (so a
 * 2 GB upload costs the limit, not 2 GB); beyond it, 413 `file_too_large`.
 *
 * @example
 * const file = await spoolUpload(request.body, config.importMaxBytes)
 * try { await importFrom(file.path, file.sha256) } finally { await file.dispose() }
 */
export async function spoolUpload(source: AsyncIterable<Uint8Array>, maxBytes: number): Promise<SpooledFile> {
  const dir = await mkdtemp(join(tmpdir(), 'truce-import-'))
  const path = join(dir, 'upload')
  const hash = createHash('sha256')
  let bytes = 0
  const dispose = () => rm(dir, { recursive: true, force: true })
  try {
    await pipeline(source, async function* (chunks: AsyncIterable<Uint8Array>) {
      for await (const chunk of chunks) {
        bytes += chunk.length
        if (bytes > maxBytes) throw tooLarge(maxBytes, `more than ${maxBytes} bytes sent`)
        hash.update(chunk)
        yield chunk
      }
    }, createWriteStream(path))
  } catch (e) {
    await dispose()
    throw e
  }
  return { path, bytes, sha256: hash.digest('hex'), dispose }
}

/** A file already on disk (the CLI's): its size and SHA-256, read once. */
export async function hashFile(path: string): Promise<SpooledFile> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return { path, bytes: (await stat(path)).size, sha256: hash.digest('hex'), dispose: async () => {} }
}

/** The body schema of an upload route: the stream its content-type parser gave, or JSON a client sent instead. */
export const uploadBody = z.custom<Readable | object>((v) => v instanceof Readable || (typeof v === 'object' && v !== null), 'the file as the request body (application/octet-stream)')

/**
 * Receives a route's uploaded body: refuses a declared length over the limit before reading,
 * spools the bytes (a body Fastify parsed as JSON is taken back as its bytes), and, for a signed
 * upload, verifies the statement over the file's SHA-256. Returns the file and the principal to
 * write as (carrying the signed statement); the caller disposes of the file.
 */
export async function receiveUpload(request: FastifyRequest, principal: Principal, body: Readable | object, maxBytes: number): Promise<{ file: SpooledFile; signer: Principal }> {
  const declared = Number(request.headers['content-length'] ?? NaN)
  if (declared > maxBytes) throw tooLarge(maxBytes, `${declared} bytes`)
  const source = body instanceof Readable ? body : Readable.from([Buffer.from(JSON.stringify(body))])
  const file = await spoolUpload(source, maxBytes)
  // A signed upload's statement names the file by its SHA-256, known only now.
  if (!request.verifyUpload) return { file, signer: principal }
  try {
    return { file, signer: { ...principal, signed: await request.verifyUpload(file.sha256) } }
  } catch (e) {
    await file.dispose()
    throw e
  }
}
