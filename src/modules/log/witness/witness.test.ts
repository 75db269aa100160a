// The witness over real HTTP on a random localhost port: it cosigns consistent checkpoints and
// refuses, with the tlog-witness status codes, rollbacks, bad signatures, unknown logs and bad
// proofs; and it keeps its state across a restart.
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { rawEd25519PublicKey } from '../../../lib/ed25519.ts'
import { formatCheckpoint } from '../checkpoint.ts'
import { batchReader, consistencyProof, leafHash, rootOf } from '../merkle.ts'
import { cosignatureTime, ed25519NoteSigner, openNote, signNote, verifierFromVkey, vkeyOf } from '../note.ts'
import { addCheckpoint, addCheckpointBody, WitnessClientError, withCosignatures } from './witness.client.ts'
import { startWitness, type RunningWitness } from './witness.server.ts'
import { loadOrCreateWitnessKey, logsFromArguments, parseAddCheckpointBody, WitnessRefusal } from './witness.ts'

const ORIGIN = 'truce.test/log'

/** A log in memory: leaves, signed checkpoints, and consistency proofs from merkle.ts. */
function testLog(origin = ORIGIN, key: KeyObject = generateKeyPairSync('ed25519').privateKey) {
  const leaves: Buffer[] = []
  const read = batchReader(async (level, index) => rootOf(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level)))
  const signer = ed25519NoteSigner(origin, key)
  return {
    vkey: vkeyOf(origin, rawEd25519PublicKey(key)),
    grow(n: number) { for (let i = 0; i < n; i++) leaves.push(leafHash(Buffer.from(`entry ${leaves.length}`))) },
    get size() { return leaves.length },
    checkpoint(size = leaves.length, signers = [signer]) {
      return signNote(formatCheckpoint({ origin, size, rootHash: rootOf(leaves.slice(0, size)), extensions: [] }), signers)
    },
    proof: (from: number, to: number) => (from === 0 ? Promise.resolve([]) : consistencyProof(from, to, read)),
  }
}

const post = async (url: string, body: string) => {
  const res = await fetch(`${url}/add-checkpoint`, { method: 'POST', body, headers: { 'content-type': 'text/plain' } })
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() }
}

describe('witness over HTTP', () => {
  const dirs: string[] = []
  let stateDir: string
  let witnessKey: KeyObject
  let log: ReturnType<typeof testLog>
  let running: RunningWitness
  const start = () => startWitness({
    name: 'witness.test/w1', privateKey: witnessKey, stateDir, port: 0, logs: logsFromArguments([`${ORIGIN}=${log.vkey}`]), now: () => 1_750_000_000,
  })

  beforeEach(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'truce-witness-'))
    dirs.push(stateDir)
    witnessKey = generateKeyPairSync('ed25519').privateKey
    log = testLog()
    running = await start()
  })
  afterEach(async () => { await running.close() })
  afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })

  const witnessVerifier = () => verifierFromVkey(running.witness.vkey)

  it('cosigns a first checkpoint, then a consistent larger one, with cosignature/v1 lines that verify', async () => {
    log.grow(5)
    const first = log.checkpoint()
    const r1 = await addCheckpoint(running.url, { oldSize: 0, consistencyProof: [], checkpointNote: first })
    expect('cosignatureLines' in r1 && r1.cosignatureLines).toHaveLength(1)
    const lines = (r1 as { cosignatureLines: string[] }).cosignatureLines
    const cosigned = withCosignatures(first, lines, [witnessVerifier()])
    const opened = openNote(cosigned, [verifierFromVkey(log.vkey), witnessVerifier()])
    expect(opened.signatures.map((s) => [s.name, s.verifiedBy !== null])).toEqual([[ORIGIN, true], ['witness.test/w1', true]])
    expect(cosignatureTime(opened.signatures[1]!.signature)).toBe(1_750_000_000)

    log.grow(4)
    const r2 = await addCheckpoint(running.url, { oldSize: 5, consistencyProof: await log.proof(5, 9), checkpointNote: log.checkpoint() })
    expect('cosignatureLines' in r2).toBe(true)
    expect((await running.witness.latest(ORIGIN))?.size).toBe(9)
  })

  it('says who it is at GET /', async () => {
    const res = await fetch(`${running.url}/`)
    expect(await res.text()).toBe(`witness.test/w1\n${running.witness.vkey}\n`)
    expect(verifierFromVkey(running.witness.vkey).type).toBe('cosignature/v1')
  })

  it('re-cosigns the checkpoint it already holds', async () => {
    log.grow(3)
    await addCheckpoint(running.url, { oldSize: 0, consistencyProof: [], checkpointNote: log.checkpoint() })
    const again = await post(running.url, addCheckpointBody({ oldSize: 3, consistencyProof: [], checkpointNote: log.checkpoint() }))
    expect(again.status).toBe(200)
    expect(again.text).toMatch(/^— witness.test\/w1 \S+\n$/)
  })

  it('refuses a rollback: 409 with its size as text/x.tlog.size, and an old size above the checkpoint is 400', async () => {
    log.grow(9)
    await addCheckpoint(running.url, { oldSize: 0, consistencyProof: [], checkpointNote: log.checkpoint(9) })
    const stale = await post(running.url, addCheckpointBody({ oldSize: 0, consistencyProof: [], checkpointNote: log.checkpoint(5) }))
    expect(stale).toMatchObject({ status: 409, text: '9\n' })
    expect(stale.type).toMatch(/^text\/x\.tlog\.size/)
    expect(await addCheckpoint(running.url, { oldSize: 0, consistencyProof: [], checkpointNote: log.checkpoint(5) })).toEqual({ conflict: 9 })
    const backwards = await post(running.url, addCheckpointBody({ oldSize: 9, consistencyProof: [], checkpointNote: log.checkpoint(5) }))
    expect(backwards.status).toBe(400)
    expect(backwards.text).toMatch(/old size 9 is greater than the checkpoint size 5/)
    expect((await running.witness.latest(ORIGIN))?.size).toBe(9)
  })

  it('refuses a checkpoint no trusted key signed (403): another key, or a tampered signature', async () => {
    log.grow(4)
    const impostor = testLog(ORIGIN)
    impostor.grow(4)
    const other = await post(running.url, addCheckpointBody({ oldSize: 0, consistencyProof: [], checkpointNote: impostor.checkpoint() }))
    expect(other.status).toBe(403)
    expect(other.text).toMatch(/no signature by a trusted key/)
    const note = log.checkpoint()
    const sig = Buffer.from(note.trimEnd().split(' ').at(-1)!, 'base64')
    sig[20] = sig[20]! ^ 1
    const tampered = note.replace(/ \S+\n$/, ` ${sig.toString('base64')}\n`)
    const bad = await post(running.url, addCheckpointBody({ oldSize: 0, consistencyProof: [], checkpointNote: tampered }))
    expect(bad.status).toBe(403)
    expect(bad.text).toMatch(/does not verify/)
    expect(await running.witness.latest(ORIGIN)).toBeNull()
  })

  it('refuses an unknown origin (404)', async () => {
    const stranger = testLog('stranger.example/log')
    stranger.grow(2)
    const res = await post(running.url, addCheckpointBody({ oldSize: 0, consistencyProof: [], checkpointNote: stranger.checkpoint() }))
    expect(res.status).toBe(404)
    expect(res.text).toMatch(/unknown log origin "stranger.example\/log"/)
  })

  it('refuses a consistency proof that does not verify (422), and a non-empty proof from size 0', async () => {
    log.grow(6)
    await addCheckpoint(running.url, { oldSize: 0, consistencyProof: [], checkpointNote: log.checkpoint(6) })
    log.grow(5)
    const proof = await log.proof(6, 11)
    const broken = proof.map((h, i) => (i === 0 ? Buffer.alloc(32, 7) : h))
    const res = await post(running.url, addCheckpointBody({ oldSize: 6, consistencyProof: broken, checkpointNote: log.checkpoint(11) }))
    expect(res.status).toBe(422)
    const short = await post(running.url, addCheckpointBody({ oldSize: 6, consistencyProof: proof.slice(1), checkpointNote: log.checkpoint(11) }))
    expect(short.status).toBe(422)
    expect((await running.witness.latest(ORIGIN))?.size).toBe(6)
    await expect(addCheckpoint(running.url, { oldSize: 6, consistencyProof: broken, checkpointNote: log.checkpoint(11) }))
      .rejects.toMatchObject({ name: 'WitnessClientError', status: 422 })
  })

  it('refuses a same-size checkpoint with another root (409, not a size answer): a fork', async () => {
    const key = generateKeyPairSync('ed25519').privateKey
    const honest = testLog(ORIGIN, key)
    await running.close()
    log = honest
    running = await start()
    honest.grow(4)
    await addCheckpoint(running.url, { oldSize: 0, consistencyProof: [], checkpointNote: honest.checkpoint(4) })
    // The same log key signs another tree of the same size: the fourth entry differs.
    const otherRoot = rootOf([0, 1, 2].map((i) => leafHash(Buffer.from(`entry ${i}`))).concat([leafHash(Buffer.from('forged'))]))
    const forkNote = signNote(formatCheckpoint({ origin: ORIGIN, size: 4, rootHash: otherRoot, extensions: [] }), [ed25519NoteSigner(ORIGIN, key)])
    const res = await post(running.url, addCheckpointBody({ oldSize: 4, consistencyProof: [], checkpointNote: forkNote }))
    expect(res.status).toBe(409)
    expect(res.type).toMatch(/^text\/plain/)
    expect(res.text).toMatch(/different root hash/)
    await expect(addCheckpoint(running.url, { oldSize: 4, consistencyProof: [], checkpointNote: forkNote })).rejects.toBeInstanceOf(WitnessClientError)
  })

  it('refuses malformed requests with 400, naming the line', async () => {
    log.grow(2)
    const note = log.checkpoint()
    const cases: [string, RegExp][] = [
      [note, /line 1: expected "old <size>"/],
      [`old 01\n\n${note}`, /line 1: /],
      [`old 0\nnot-base64\n\n${note}`, /line 2: a consistency proof line is one base64 32-byte hash/],
      [`old 0\n${'AAAA\n'}\n${note}`, /line 2: /],
      [`old 0\n${`${Buffer.alloc(32).toString('base64')}\n`.repeat(64)}\n${note}`, /line 65: more than 63 consistency proof lines/],
      ['old 0\n', /line 2: expected a base64 hash or the empty line/],
      ['old 0\n\nno signatures here\n', /checkpoint: no blank line before the signatures/],
      [`old 0\n\n${note.replace('\n2\n', '\nTWO\n')}`, /checkpoint: line 2: the tree size "TWO"/],
    ]
    for (const [body, message] of cases) {
      const res = await post(running.url, body)
      expect(res.status, body.slice(0, 40)).toBe(400)
      expect(res.text, body.slice(0, 40)).toMatch(message)
    }
    const invalidUtf8 = await fetch(`${running.url}/add-checkpoint`, { method: 'POST', body: Buffer.from([0x6f, 0x6c, 0x64, 0xff, 0x0a]) })
    expect(invalidUtf8.status).toBe(400)
    expect(await invalidUtf8.text()).toMatch(/not valid UTF-8/)
    const empty = await fetch(`${running.url}/add-checkpoint`, { method: 'POST' })
    expect(empty.status).toBe(400)
  })

  it('keeps its state across a restart, and leaves no temporary files', async () => {
    log.grow(7)
    await addCheckpoint(running.url, { oldSize: 0, consistencyProof: [], checkpointNote: log.checkpoint() })
    await running.close()
    running = await start()
    expect(await addCheckpoint(running.url, { oldSize: 0, consistencyProof: [], checkpointNote: log.checkpoint() })).toEqual({ conflict: 7 })
    log.grow(1)
    const r = await addCheckpoint(running.url, { oldSize: 7, consistencyProof: await log.proof(7, 8), checkpointNote: log.checkpoint() })
    expect('cosignatureLines' in r).toBe(true)
    expect(readdirSync(stateDir).sort()).toEqual([expect.stringMatching(/^log-[0-9a-f]{64}\.json$/), 'witness.lock'])
    const stored = JSON.parse(readFileSync(join(stateDir, readdirSync(stateDir).find((f) => f.startsWith('log-'))!), 'utf8')) as { size: number; note: string }
    expect(stored.size).toBe(8)
    expect(stored.note).toContain('— witness.test/w1 ')
  })

  it('refuses to cosign from a state file it cannot read, rather than starting again from 0', async () => {
    log.grow(3)
    await addCheckpoint(running.url, { oldSize: 0, consistencyProof: [], checkpointNote: log.checkpoint() })
    await running.close()
    const file = join(stateDir, readdirSync(stateDir).find((f) => f.startsWith('log-'))!)
    writeFileSync(file, '{"origin": "truce.test/log", "size": ')
    running = await start()
    const res = await post(running.url, addCheckpointBody({ oldSize: 0, consistencyProof: [], checkpointNote: log.checkpoint() }))
    expect(res.status).toBe(500)
    expect(res.text).toBe('internal error\n')
  })

  it('serializes concurrent requests per origin: of two from the same old size, one wins and one gets 409', async () => {
    log.grow(4)
    const a = log.checkpoint(3)
    const b = log.checkpoint(4)
    const [ra, rb] = await Promise.all([
      post(running.url, addCheckpointBody({ oldSize: 0, consistencyProof: [], checkpointNote: a })),
      post(running.url, addCheckpointBody({ oldSize: 0, consistencyProof: [], checkpointNote: b })),
    ])
    expect([ra.status, rb.status].sort()).toEqual([200, 409])
    const held = (await running.witness.latest(ORIGIN))!.size
    expect((ra.status === 200 ? 3 : 4)).toBe(held)
  })

  it('will not share its state directory with a second running witness', async () => {
    await expect(start()).rejects.toThrow(/another witness \(pid \d+\) is using/)
  })
})

describe('witness pieces', () => {
  it('creates its key on first start (mode 0600) and reads the same key after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'truce-witness-key-'))
    try {
      const file = join(dir, 'witness.key.pem')
      const first = await loadOrCreateWitnessKey(file)
      expect(first.created).toBe(true)
      expect(existsSync(file)).toBe(true)
      expect(statSync(file).mode & 0o777).toBe(0o600)
      const second = await loadOrCreateWitnessKey(file)
      expect(second.created).toBe(false)
      expect(rawEd25519PublicKey(second.privateKey)).toEqual(rawEd25519PublicKey(first.privateKey))
      writeFileSync(join(dir, 'rsa.pem'), generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }))
      await expect(loadOrCreateWitnessKey(join(dir, 'rsa.pem'))).rejects.toThrow(/not Ed25519/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('reads ORIGIN=VKEY arguments, gathering rotated keys under one origin, and refuses cosigner keys as log keys', () => {
    const k1 = vkeyOf('a.example/log', rawEd25519PublicKey(generateKeyPairSync('ed25519').publicKey))
    const k2 = vkeyOf('a.example/log', rawEd25519PublicKey(generateKeyPairSync('ed25519').publicKey))
    const logs = logsFromArguments([`a.example/log=${k1}`, `a.example/log=${k2}`])
    expect(logs.map((l) => [l.origin, l.verifiers.length])).toEqual([['a.example/log', 2]])
    expect(() => logsFromArguments(['a.example/log'])).toThrow(/expected ORIGIN=VKEY/)
    const cosigner = vkeyOf('w.example', rawEd25519PublicKey(generateKeyPairSync('ed25519').publicKey), 'cosignature/v1')
    expect(() => logsFromArguments([`a.example/log=${cosigner}`])).toThrow(/must be an Ed25519/)
  })

  it('parses a request body as the spec example lays it out', () => {
    const body = 'old 20852014\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\njrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n— example.com/behind-the-sofa Az3grlgt\n'
    const parsed = parseAddCheckpointBody(body)
    expect(parsed.oldSize).toBe(20852014)
    expect(parsed.proof.map((h) => h.toString('base64'))).toEqual(['PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=', 'jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk='])
    expect(parsed.checkpointNote).toMatch(/^example.com\/behind-the-sofa\n20852163\n/)
    expect(() => parseAddCheckpointBody('old 1')).toThrow(WitnessRefusal)
  })

  it('the client reports a witness that does not answer', async () => {
    await expect(addCheckpoint('http://127.0.0.1:1', { oldSize: 0, consistencyProof: [], checkpointNote: 'x' }, { timeoutMs: 2000 }))
      .rejects.toMatchObject({ name: 'WitnessClientError', status: 0 })
  })
})
