// One evidence file from upload to store: a public photo stored without its location (and the
// reporter told what it said), an opted-in photo stored as sent, a video stripped as it streams,
// and every refusal — unsupported, too large, malformed — leaving the store empty.
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EvidenceError, toAppError } from './errors.ts'
import { admitEvidence } from './intake.ts'
import { readLocation, readMetadata } from './metadata.ts'
import { EvidenceStore } from './store.ts'
import { buildJpeg, buildMp4, buildPng, chunked, jpegSegments, phoneExif, pngChunk } from './test-files.ts'

let root: string
let store: EvidenceStore
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'truce-intake-'))
  store = new EvidenceStore(root)
})
afterEach(async () => { await rm(root, { recursive: true, force: true }) })

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const stored = async () => (await readdir(root, { recursive: true, withFileTypes: true })).filter((d) => d.isFile()).length
const rejection = async (p: Promise<unknown>): Promise<EvidenceError> => {
  try { await p } catch (e) { if (e instanceof EvidenceError) return e; throw e }
  throw new Error('expected an EvidenceError')
}
const photo = () => buildJpeg({ width: 16, height: 16, app: [jpegSegments.exif(phoneExif({ lat: 33.5702, lon: 36.4031 })), jpegSegments.comment('near the mosque')] })

describe('admitEvidence', () => {
  it('stores a public photo without its location or camera, and says what the original held', async () => {
    const jpeg = photo()
    const evidence = await admitEvidence(chunked(jpeg, 50), { store, stripMetadata: true })
    expect(evidence).toMatchObject({ type: 'jpeg', kind: 'image', mime: 'image/jpeg', width: 16, height: 16, created: true })
    expect(evidence.metadata.handling).toBe('stripped')
    expect(evidence.metadata.removed).toEqual(['Exif', 'comment'])
    expect(evidence.metadata.found.location?.lat).toBeCloseTo(33.5702, 4)
    expect(evidence.metadata.found.camera.model).toBe('iPhone 6')
    const file = (await store.read(evidence.key))!
    expect(evidence.key).toBe(sha(file))
    expect(evidence.key).not.toBe(sha(jpeg))
    expect(readLocation(file)).toBeNull()
    expect(readMetadata(file)).toEqual({ camera: {}, orientation: 6 })
    expect(evidence.size).toBe(file.length)
  })

  it('stores an opted-in photo exactly as sent, with its location to compare with the report', async () => {
    const jpeg = photo()
    const evidence = await admitEvidence(jpeg, { store, stripMetadata: false })
    expect(evidence.key).toBe(sha(jpeg))
    expect(evidence.metadata).toMatchObject({ handling: 'kept', removed: [] })
    expect(evidence.metadata.found.location?.lon).toBeCloseTo(36.4031, 4)
    expect(readLocation((await store.read(evidence.key))!)?.lat).toBeCloseTo(33.5702, 4)
  })

  it('stores the same photo sent twice once', async () => {
    const a = await admitEvidence(photo(), { store, stripMetadata: true })
    const b = await admitEvidence(chunked(photo(), 7), { store, stripMetadata: true })
    expect(b).toEqual({ ...a, created: false })
    expect(await stored()).toBe(1)
  })

  it('streams a video to the store, blanking where it was shot', async () => {
    const mp4 = buildMp4()
    const evidence = await admitEvidence(chunked(mp4, 16), { store, stripMetadata: true })
    expect(evidence).toMatchObject({ type: 'mp4', kind: 'video', size: mp4.length, metadata: { handling: 'stripped', removed: ['moov/udta', 'moov/meta'], found: { location: { lat: 33.5702, lon: 36.4031 } } } })
    expect((await store.read(evidence.key))!.toString('latin1')).not.toContain('+33.5702')
  })

  it('stores text and PDFs as sent, and says their metadata was not inspected', async () => {
    const text = await admitEvidence(Buffer.from('Shelling in Douma since 6am, 3 killed'), { store, stripMetadata: true })
    expect(text).toMatchObject({ type: 'text', metadata: { handling: 'not_inspected' } })
    const pdf = await admitEvidence(Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n'), { store, stripMetadata: true })
    expect(pdf.type).toBe('pdf')
  })

  it.each([
    ['a program', () => Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]), {}, 'evidence_type_unsupported', 415],
    ['a photo over the picture limit', () => photo(), { image: 100 }, 'evidence_too_large', 413],
    ['a streamed video over the video limit', () => chunked(buildMp4(), 10), { video: 60 }, 'evidence_too_large', 413],
    ['a photo cut short', () => photo().subarray(0, 200), {}, 'evidence_malformed', 400],
    ['a video cut short', () => chunked(buildMp4().subarray(0, 100), 8), {}, 'evidence_malformed', 400],
    ['a PNG with a bad CRC', () => { const p = buildPng({ before: [pngChunk('eXIf', phoneExif())] }); p[40] = p[40]! ^ 0xff; return p }, {}, 'evidence_malformed', 400],
    ['a PDF cut short', () => Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n'), {}, 'evidence_malformed', 400],
    ['a WAV shorter than its header says', () => { const w = Buffer.alloc(44); w.write('RIFF', 0, 'latin1'); w.writeUInt32LE(1000, 4); w.write('WAVEfmt ', 8, 'latin1'); return w }, {}, 'evidence_malformed', 400],
    ['an empty upload', () => chunked(Buffer.alloc(0), 1), {}, 'evidence_empty', 400],
  ])('refuses %s before storing anything', async (_what, input, limits, code, status) => {
    for (const strip of [true, false]) {
      const e = await rejection(admitEvidence(input(), { store, stripMetadata: strip, limits }))
      expect(e.code).toBe(code)
      expect(toAppError(e).status).toBe(status)
    }
    expect(await stored()).toBe(0)
  })
})
