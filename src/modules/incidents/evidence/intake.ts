// Taking in one evidence file: recognise it from its first bytes, hold it to its type's size
// limit, check its structure, strip location and camera metadata when it is a public submission
// whose reporter did not opt in to publishing them, and store it by SHA-256. Every refusal
// (unsupported type, too large, malformed) happens before the store renames anything into place,
// so refused evidence leaves no file. Pictures, PDFs and text are held whole in memory (their
// limits are tens of megabytes); video and audio stream to the store, MP4/MOV stripped as they pass.
import { stripMovieStream, type MovieMetadata } from './bmff.ts'
import { malformed, tooLarge } from './errors.ts'
import { checkStripped, readMetadata, STRIPPABLE_IMAGES, stripMetadata, validateStructure, type MetadataFindings } from './metadata.ts'
import { checkComplete, limitFor, SNIFF_BYTES, sniffType, type EvidenceKind, type EvidenceLimits, type EvidenceType } from './sniff.ts'
import type { EvidenceStore } from './store.ts'

export type AdmitOptions = {
  store: EvidenceStore
  limits?: EvidenceLimits
  /**
   * Strip location and camera metadata: true for a public submission unless the reporter opted in
   * to publishing them; false keeps the file as sent (its metadata is still read and reported).
   */
  stripMetadata: boolean
  /** Keep a JPEG's orientation in a minimal Exif block (default true). */
  keepOrientation?: boolean
}

export type AdmittedEvidence = {
  key: string
  sha256: string
  size: number
  /** False when the store already held the same bytes. */
  created: boolean
  type: EvidenceType
  kind: EvidenceKind
  mime: string
  width?: number
  height?: number
  metadata: {
    /**
     * `stripped`: what `removed` lists is gone from the stored file; `kept`: stored as sent;
     * `not_inspected`: a type whose metadata is neither read nor stripped here (WebM, audio, PDF).
     */
    handling: 'stripped' | 'kept' | 'not_inspected'
    removed: string[]
    /** What the file as sent said: the location a reporter is told about, or compared with the report's place. */
    found: MetadataFindings
  }
}

const HELD_WHOLE: ReadonlySet<EvidenceType> = new Set([...STRIPPABLE_IMAGES, 'pdf', 'text'])
const MOVIES: ReadonlySet<EvidenceType> = new Set(['mp4', 'mov'])

/**
 * Checks, strips and stores one evidence file.
 *
 * @example
 * const evidence = await admitEvidence(upload, { store, stripMetadata: isPublic && !optedIn })
 * // { key: '9f86d0…', type: 'jpeg', mime: 'image/jpeg', width: 4032, height: 3024,
 * //   metadata: { handling: 'stripped', removed: ['Exif', 'XMP'], found: { location: { lat: 33.57, lon: 36.4 }, … } } }
 */
export async function admitEvidence(input: Uint8Array | AsyncIterable<Uint8Array>, options: AdmitOptions): Promise<AdmittedEvidence> {
  const { head, complete, rest } = await readHead(input, SNIFF_BYTES)
  const sniffed = sniffType(head, { complete })
  const maxBytes = limitFor(sniffed, options.limits)
  if (head.length > maxBytes) throw tooLarge(maxBytes, `a ${sniffed.type} file`)
  const base = { type: sniffed.type, kind: sniffed.kind, mime: sniffed.mime }

  if (HELD_WHOLE.has(sniffed.type)) {
    const bytes = complete ? head : await gather(head, rest, maxBytes, sniffed.type)
    checkComplete(sniffed.type, bytes)
    let stored: Uint8Array = bytes
    let removed: string[] = []
    let found: MetadataFindings = { camera: {} }
    let size: { width?: number; height?: number } = {}
    if (STRIPPABLE_IMAGES.has(sniffed.type)) {
      if (options.stripMetadata) {
        const result = stripMetadata(bytes, sniffed.type, { keepOrientation: options.keepOrientation ?? true })
        checkStripped(result, sniffed.type)
        stored = result.bytes
        removed = result.removed
        found = result.found
        size = result.width === undefined ? {} : { width: result.width, height: result.height! }
      } else {
        size = validateStructure(bytes, sniffed.type)
        found = readMetadata(bytes, sniffed.type)
      }
    }
    const put = await options.store.put(stored, { maxBytes })
    const handling = !STRIPPABLE_IMAGES.has(sniffed.type) ? 'not_inspected' : options.stripMetadata ? 'stripped' : 'kept'
    return { ...put, ...base, ...size, metadata: { handling, removed, found } }
  }

  const replay = concatHead(head, rest)
  if (MOVIES.has(sniffed.type)) {
    const found: MovieMetadata = { removed: [] }
    const put = await options.store.put(stripMovieStream(replay, found, { strip: options.stripMetadata }), { maxBytes })
    const findings: MetadataFindings = found.location ? { camera: {}, location: found.location } : { camera: {} }
    return { ...put, ...base, metadata: { handling: options.stripMetadata ? 'stripped' : 'kept', removed: found.removed, found: findings } }
  }
  const put = await options.store.put(sniffed.type === 'wav' ? checkRiffLength(replay, head) : replay, { maxBytes })
  return { ...put, ...base, metadata: { handling: 'not_inspected', removed: [], found: { camera: {} } } }
}

type Head = { head: Buffer; complete: boolean; rest: AsyncIterator<Uint8Array> | null }

/** At least `n` bytes from the start (fewer when the file is shorter), and the rest still to come. */
async function readHead(input: Uint8Array | AsyncIterable<Uint8Array>, n: number): Promise<Head> {
  if (input instanceof Uint8Array) return { head: Buffer.from(input.buffer, input.byteOffset, input.length), complete: true, rest: null }
  const it = input[Symbol.asyncIterator]()
  const parts: Uint8Array[] = []
  let size = 0
  while (size < n) {
    const next = await it.next()
    if (next.done) return { head: Buffer.concat(parts, size), complete: true, rest: null }
    parts.push(next.value)
    size += next.value.length
  }
  return { head: Buffer.concat(parts, size), complete: false, rest: it }
}

async function* concatHead(head: Buffer, rest: AsyncIterator<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  yield head
  if (!rest) return
  try {
    for (;;) {
      const next = await rest.next()
      if (next.done) return
      yield next.value
    }
  } finally {
    // Stopped early (too large, malformed): close the upload.
    await rest.return?.()
  }
}

async function gather(head: Buffer, rest: AsyncIterator<Uint8Array> | null, maxBytes: number, type: EvidenceType): Promise<Buffer> {
  const parts: Uint8Array[] = []
  let size = 0
  for await (const chunk of concatHead(head, rest)) {
    size += chunk.length
    if (size > maxBytes) throw tooLarge(maxBytes, `a ${type} file`)
    parts.push(chunk)
  }
  return Buffer.concat(parts, size)
}

/** Passes a WAV through and, at its end, checks it is as long as its RIFF header says. */
async function* checkRiffLength(source: AsyncIterable<Uint8Array>, head: Buffer): AsyncGenerator<Uint8Array> {
  let size = 0
  for await (const chunk of source) {
    size += chunk.length
    yield chunk
  }
  const declared = head.readUInt32LE(4) + 8
  if (declared > size) throw malformed(size, `the RIFF header announces ${declared} bytes but the file has ${size} (it is cut short)`)
}
