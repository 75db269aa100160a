// The content-addressed store on a real directory: keys are SHA-256, paths ab/cd/…, the same bytes
// once, and nothing left behind by a write that is refused or fails half way.
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EvidenceError } from './errors.ts'
import { EvidenceStore } from './store.ts'
import { chunked, collect } from './test-files.ts'

let root: string
let store: EvidenceStore
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'truce-evidence-'))
  store = new EvidenceStore(root)
})
afterEach(async () => { await rm(root, { recursive: true, force: true }) })

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const files = async () => (await readdir(root, { recursive: true, withFileTypes: true })).filter((d) => d.isFile()).map((d) => relative(root, join(d.parentPath, d.name))).sort()
const rejection = async (p: Promise<unknown>): Promise<EvidenceError> => {
  try { await p } catch (e) { if (e instanceof EvidenceError) return e; throw e }
  throw new Error('expected an EvidenceError')
}

describe('EvidenceStore', () => {
  it('stores bytes under their SHA-256, at ab/cd/abcd…', async () => {
    const bytes = Buffer.from('a photo of the crater')
    const key = sha(bytes)
    expect(await store.put(bytes, { maxBytes: 100 })).toEqual({ key, sha256: key, size: bytes.length, created: true })
    expect(await files()).toEqual([join(key.slice(0, 2), key.slice(2, 4), key)])
    expect(store.pathOf(key)).toBe(join(root, key.slice(0, 2), key.slice(2, 4), key))
    expect((await store.read(key))!.equals(bytes)).toBe(true)
    expect(await store.size(key)).toBe(bytes.length)
    expect((await collect(store.open(key))).equals(bytes)).toBe(true)
    expect((await collect(store.open(key, { start: 2, end: 6 }))).toString()).toBe('photo')
  })

  it('stores the same bytes once, however they arrive', async () => {
    const bytes = Buffer.alloc(100_000, 7)
    const first = await store.put(chunked(bytes, 4096), { maxBytes: 1e6 })
    const again = await store.put(bytes, { maxBytes: 1e6 })
    const atOnce = await Promise.all([store.put(chunked(bytes, 999), { maxBytes: 1e6 }), store.put(chunked(bytes, 777), { maxBytes: 1e6 })])
    expect(first.created).toBe(true)
    expect(again).toEqual({ ...first, created: false })
    expect(atOnce.map((r) => r.key)).toEqual([first.key, first.key])
    expect(await files()).toEqual([join(first.key.slice(0, 2), first.key.slice(2, 4), first.key)])
  })

  it('stops a stream past maxBytes, closes it and keeps nothing', async () => {
    let closed = false
    let produced = 0
    async function* upload() {
      try {
        for (let k = 0; k < 1000; k++) { produced++; yield Buffer.alloc(1024, k) }
      } finally { closed = true }
    }
    const e = await rejection(store.put(upload(), { maxBytes: 10 * 1024 }))
    expect(e.code).toBe('evidence_too_large')
    expect(e.message).toBe('the file is larger than the limit of 10,240 bytes')
    expect(closed).toBe(true)
    expect(produced).toBe(11)
    expect(await files()).toEqual([])
  })

  it('takes a file of exactly maxBytes', async () => {
    expect((await store.put(Buffer.alloc(10), { maxBytes: 10 })).size).toBe(10)
  })

  it('keeps nothing when the stream fails half way', async () => {
    async function* upload() {
      yield Buffer.from('first half')
      throw new Error('connection reset')
    }
    await expect(store.put(upload(), { maxBytes: 1000 })).rejects.toThrow('connection reset')
    expect(await files()).toEqual([])
  })

  it('answers has, size, read and delete for keys it does not hold, and refuses keys that are not SHA-256', async () => {
    const key = sha(Buffer.from('absent'))
    expect(await store.has(key)).toBe(false)
    expect(await store.size(key)).toBeNull()
    expect(await store.read(key)).toBeNull()
    expect(await store.delete(key)).toBe(false)
    const { key: held } = await store.put(Buffer.from('present'), { maxBytes: 100 })
    expect(await store.delete(held)).toBe(true)
    expect(await store.has(held)).toBe(false)
    for (const bad of ['../../etc/passwd', key.toUpperCase(), key.slice(1), `${key}/x`]) {
      expect(() => store.pathOf(bad)).toThrow(expect.objectContaining({ code: 'evidence_key_invalid' }))
    }
  })
})
