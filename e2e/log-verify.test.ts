// The web client's log checks (web/src/log/verify.ts) in Node's WebCrypto: against the public
// conformance vectors, and against the server's own log code (merkle.ts, note.ts), so the browser
// and the server can never disagree about what a valid entry, proof or checkpoint is. Each kind
// of forgery a reader must catch is here: a tampered entry, a wrong proof, a bad signature.
//
// It lives in e2e/ because the root vitest.config.ts runs src/, test/ and e2e/ only.
import { createHash, generateKeyPairSync } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sharedDataDir } from '../src/config.ts'
import { formatCheckpoint } from '../src/modules/log/checkpoint.ts'
import { batchReader, inclusionProof, leafHash as serverLeafHash, rootOf } from '../src/modules/log/merkle.ts'
import { cosignatureSigner, ed25519NoteSigner, signNote, vkeyOf } from '../src/modules/log/note.ts'
import { rawEd25519PublicKey } from '../src/lib/ed25519.ts'
import {
  checkInclusion, checkLeaf, checkNoteSignature, checkOpening, decodeBase64, describeSigners, encodeBase64, LogFormatError, parseCheckpoint,
  parseSignedNote, parseVkey, rootFromInclusionProof, verifyEntry, type EntryEvidence,
} from '../web/src/log/verify.ts'

const TLOG = join(sharedDataDir(), 'tlog')
const HAVE_DATA = existsSync(TLOG)

const ORIGIN = 'truce.test/log'

/** A small log built with the server's own code: entries, leaf hashes, a signed checkpoint. */
async function serverLog(count: number) {
  const { privateKey } = generateKeyPairSync('ed25519')
  const signer = ed25519NoteSigner(ORIGIN, privateKey)
  const vkey = vkeyOf(ORIGIN, rawEd25519PublicKey(privateKey))
  const entries = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ kind: 'provision.status', seq: i + 1, submissionId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, text: 'Прекращение огня — وقف إطلاق النار' }))
  const leaves = entries.map((e) => serverLeafHash(Buffer.from(e, 'utf8')))
  // A node store over the leaves: the subtree at (level, index) is the MTH of its leaves.
  const read = batchReader(async (level, index) => rootOf(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level)))
  const note = signNote(formatCheckpoint({ origin: ORIGIN, size: count, rootHash: rootOf(leaves), extensions: [] }), [signer])
  const evidence = async (leafIndex: number): Promise<EntryEvidence> => ({
    entry: entries[leafIndex]!,
    leafIndex,
    leafHash: leaves[leafIndex]!.toString('base64'),
    proof: { treeSize: count, proof: (await inclusionProof(leafIndex, count, read)).map((h) => h.toString('base64')) },
    checkpoint: note,
    vkey,
  })
  return { privateKey, vkey, entries, leaves, note, read, evidence }
}

describe('base64', () => {
  it('round-trips every length and refuses what is not strict standard base64', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) % 256)
      const text = encodeBase64(bytes)
      expect(text).toBe(Buffer.from(bytes).toString('base64'))
      expect(decodeBase64(text)).toEqual(bytes)
    }
    for (const bad of ['AAE', 'AA=E', 'AAF=', 'A-E=', 'AA E=', 'AAE==', '====']) expect(decodeBase64(bad), bad).toBeNull()
  })
})

describe('(a) the leaf hash', () => {
  it('is SHA-256(0x00 ‖ entry bytes), as the server computes it, for text in any script', async () => {
    const log = await serverLog(3)
    for (let i = 0; i < 3; i++) {
      expect(await checkLeaf(log.entries[i]!, log.leaves[i]!.toString('base64'))).toEqual({ ok: true, leafHash: log.leaves[i]!.toString('base64') })
    }
  })

  it('catches a tampered entry, down to one character', async () => {
    const log = await serverLog(3)
    const tampered = log.entries[1]!.replace('"seq":2', '"seq":3')
    const result = await checkLeaf(tampered, log.leaves[1]!.toString('base64'))
    expect(result).toMatchObject({ ok: false, reason: 'leaf_mismatch', claimed: log.leaves[1]!.toString('base64') })
    expect(result.ok === false && result.computed).toBe(serverLeafHash(Buffer.from(tampered, 'utf8')).toString('base64'))
  })

  it('says when the claimed leaf hash is not a hash at all', async () => {
    expect(await checkLeaf('{}', 'not-base64')).toMatchObject({ ok: false, reason: 'malformed_leaf_hash' })
    expect(await checkLeaf('{}', 'AAAA')).toMatchObject({ ok: false, reason: 'malformed_leaf_hash' })
  })
})

describe('(b) the inclusion proof', () => {
  it('leads every leaf of every tree up to 33 entries to the root, with the server\'s proofs', async () => {
    for (let size = 1; size <= 33; size++) {
      const log = await serverLog(size)
      const root = rootOf(log.leaves)
      for (let i = 0; i < size; i++) {
        const proof = await inclusionProof(i, size, log.read)
        const result = await checkInclusion({ leafIndex: i, treeSize: size, leafHash: log.leaves[i]!, proof: proof.map((h) => h.toString('base64')), checkpoint: { size, rootHash: root } })
        expect(result, `leaf ${i} of ${size}`).toEqual({ ok: true, root: root.toString('base64'), treeSize: size })
      }
    }
  })

  it('refuses a wrong proof: a changed hash, one too few, one too many, another leaf\'s, another tree size', async () => {
    const log = await serverLog(13)
    const { proof } = (await log.evidence(6)).proof
    const root = rootOf(log.leaves)
    const check = (p: readonly string[], over: Partial<{ leafIndex: number; treeSize: number; leafHash: Uint8Array }> = {}) =>
      checkInclusion({ leafIndex: 6, treeSize: 13, leafHash: log.leaves[6]!, proof: p, checkpoint: { size: 13, rootHash: root }, ...over })

    const flipped = Buffer.from(proof[1]!, 'base64')
    flipped[0]! ^= 1
    expect(await check([proof[0]!, flipped.toString('base64'), ...proof.slice(2)])).toMatchObject({ ok: false, reason: 'root_mismatch', expected: root.toString('base64') })
    expect(await check(proof.slice(0, -1))).toMatchObject({ ok: false, reason: 'wrong_proof_length', length: proof.length - 1 })
    expect(await check([...proof, proof[0]!])).toMatchObject({ ok: false, reason: 'wrong_proof_length', length: proof.length + 1 })
    expect(await check(proof, { leafIndex: 7, leafHash: log.leaves[7]! })).toMatchObject({ ok: false, reason: 'root_mismatch' })
    expect(await check(proof, { leafHash: log.leaves[5]! })).toMatchObject({ ok: false, reason: 'root_mismatch' })
    expect(await check(proof, { treeSize: 12 })).toEqual({ ok: false, reason: 'tree_size_mismatch', proofSize: 12, checkpointSize: 13 })
    expect(await check(proof, { leafIndex: 13 })).toMatchObject({ ok: false, reason: 'index_out_of_range' })
    expect(await check([proof[0]!, 'AAAA'])).toEqual({ ok: false, reason: 'malformed_proof', position: 2 })
  })

  it.skipIf(!HAVE_DATA)('accepts exactly the valid transparency-dev inclusion vectors', async () => {
    const dir = join(TLOG, 'transparency-dev-merkle/testdata/inclusion')
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json') && statSync(join(dir, f)).isFile())
    expect(files.length).toBeGreaterThan(50)
    let valid = 0
    for (const f of files) {
      type Vector = { leafIdx: number; treeSize: number; root: string; leafHash: string; proof: string[] | null; wantErr: boolean }
      const v = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Vector
      const leaf = decodeBase64(v.leafHash) ?? new Uint8Array()
      const rootHash = decodeBase64(v.root) ?? new Uint8Array()
      const result = leaf.length !== 32
        ? { ok: false }
        : await checkInclusion({ leafIndex: v.leafIdx, treeSize: v.treeSize, leafHash: leaf, proof: v.proof ?? [], checkpoint: { size: v.treeSize, rootHash } })
      expect(result.ok, f).toBe(!v.wantErr)
      if (!v.wantErr) valid++
    }
    expect(valid).toBeGreaterThanOrEqual(5)
  })

  it('works past 2^32 without 32-bit arithmetic', async () => {
    // The last leaf of a tree of 2^33 + 1: its only proof element is the root of the first 2^33.
    const leaf = new Uint8Array(32).fill(7)
    const left = new Uint8Array(32).fill(9)
    const root = await rootFromInclusionProof(2 ** 33, 2 ** 33 + 1, leaf, [left])
    expect(root).toEqual(new Uint8Array(Buffer.from(rootOf([left, leaf]))))
  })
})

describe('(c) the checkpoint signature', () => {
  it('verifies a checkpoint the server signed, and reads its origin, size and root', async () => {
    const log = await serverLog(5)
    expect(await checkNoteSignature(log.note, log.vkey)).toEqual({ ok: true, keyName: ORIGIN, keyId: log.vkey.split('+')[1] })
    const checkpoint = parseCheckpoint(parseSignedNote(log.note).text)
    expect(checkpoint).toMatchObject({ origin: ORIGIN, size: 5, extensions: [] })
    expect(encodeBase64(checkpoint.rootHash)).toBe(rootOf(log.leaves).toString('base64'))
  })

  it('refuses a bad signature: a changed checkpoint, a changed signature, another key, a forged key ID', async () => {
    const log = await serverLog(5)
    const resized = log.note.replace(`${ORIGIN}\n5\n`, `${ORIGIN}\n6\n`)
    expect(await checkNoteSignature(resized, log.vkey)).toMatchObject({ ok: false, reason: 'invalid_signature', keyName: ORIGIN })

    const sigLine = log.note.split('\n').find((l) => l.startsWith('\u2014 '))!
    const blob = Buffer.from(sigLine.split(' ')[2]!, 'base64')
    blob[10]! ^= 0x40
    const badSig = log.note.replace(sigLine, `\u2014 ${ORIGIN} ${blob.toString('base64')}`)
    expect(await checkNoteSignature(badSig, log.vkey)).toMatchObject({ ok: false, reason: 'invalid_signature' })

    const other = await serverLog(1)
    expect(await checkNoteSignature(log.note, other.vkey)).toMatchObject({ ok: false, reason: 'not_signed_by_key', signers: [log.vkey.split('+').slice(0, 2).join('+')] })

    // The base64 key may hold "+" too: only the first two split the fields.
    const [name, id] = log.vkey.split('+') as [string, string]
    const key = log.vkey.slice(name.length + id.length + 2)
    const forgedId = `${name}+${id === '00000000' ? '00000001' : '00000000'}+${key}`
    expect(await checkNoteSignature(log.note, forgedId)).toEqual({ ok: false, reason: 'bad_vkey', problem: 'vkey_key_id' })
    expect(await checkNoteSignature(log.note, 'not a key')).toEqual({ ok: false, reason: 'bad_vkey', problem: 'vkey_format' })
  })

  it('lists witness cosignatures with their time and leaves them to the witness keys', async () => {
    const log = await serverLog(4)
    const { privateKey: witnessKey } = generateKeyPairSync('ed25519')
    const witness = cosignatureSigner('witness.test/w1', witnessKey, () => 1_750_000_000)
    const text = parseSignedNote(log.note).text
    const cosigned = `${log.note}${signNote(text, [witness]).slice(text.length + 1)}`
    const signers = describeSigners(parseSignedNote(cosigned))
    expect(signers.map((s) => [s.name, s.kind, s.time])).toEqual([[ORIGIN, 'signature', null], ['witness.test/w1', 'cosignature', 1_750_000_000]])
    expect(await checkNoteSignature(cosigned, log.vkey)).toMatchObject({ ok: true })
    // A witness's key is no log key.
    expect(await checkNoteSignature(cosigned, vkeyOf('witness.test/w1', rawEd25519PublicKey(witnessKey), 'cosignature/v1'))).toEqual({ ok: false, reason: 'not_a_log_key' })
  })

  it('reads notes strictly, naming the line that is wrong', () => {
    expect(() => parseSignedNote('text\n')).toThrow(LogFormatError)
    expect(() => parseSignedNote('text\n\n- name AAAAAAA=\n')).toThrow(/line 3/)
    expect(() => parseSignedNote('text\n\n\u2014 name AAAAAAA=')).toThrow(/newline/)
    expect(() => parseCheckpoint('origin\n012\nAAAA\n')).toThrow(/line 2/)
  })

  it.skipIf(!HAVE_DATA)('agrees with the C2SP and Go signed-note vectors', async () => {
    type Vectors = { vectors: { name: string; vkey: string; signedNote: string; expectValid: boolean }[]; badVkeys: string[] }
    const data = JSON.parse(readFileSync(join(TLOG, 'signed-note/note-vectors.json'), 'utf8')) as Vectors
    for (const v of data.vectors) expect((await checkNoteSignature(v.signedNote, v.vkey)).ok, v.name).toBe(v.expectValid)
    for (const bad of data.badVkeys) await expect(parseVkey(bad), bad).rejects.toThrow(LogFormatError)
  })
})

describe('(d) a sealed entry', () => {
  it('passes when the opening hashes to the seal, says so when it is missing or another entry, and does not apply to full entries', async () => {
    const opening = JSON.stringify({ kind: 'apikey.create', seq: 7, submissionId: '00000000-0000-4000-8000-000000000007', v: 1 })
    const seal = createHash('sha256').update(opening, 'utf8').digest('hex')
    const leaf = JSON.stringify({ sealed: seal, seq: 7, v: 1 })
    expect(await checkOpening(leaf, opening)).toEqual({ sealed: true, ok: true, seal })
    expect(await checkOpening(leaf, null)).toEqual({ sealed: true, ok: false, reason: 'missing' })
    const other = opening.replace('apikey.create', 'apikey.revoke')
    expect(await checkOpening(leaf, other)).toEqual({ sealed: true, ok: false, reason: 'seal_mismatch', seal, computed: createHash('sha256').update(other).digest('hex') })
    expect(await checkOpening(opening, null)).toEqual({ sealed: false })
    expect(await checkOpening('not json', null)).toEqual({ sealed: false })
  })
})

describe('all together', () => {
  it('passes for a genuine entry, and fails exactly the checks that the forgery breaks', async () => {
    const log = await serverLog(9)
    const genuine = await log.evidence(4)
    const ok = await verifyEntry(genuine)
    expect([ok.leaf.ok, ok.inclusion.ok, ok.signature.ok]).toEqual([true, true, true])

    // A tampered entry: its hash no longer matches, so it is not in the signed tree either.
    const tampered = await verifyEntry({ ...genuine, entry: genuine.entry.replace('provision.status', 'provision.statuz') })
    expect([tampered.leaf.ok, tampered.inclusion.ok, tampered.signature.ok]).toEqual([false, false, true])
    expect(tampered.leaf).toMatchObject({ reason: 'leaf_mismatch' })
    expect(tampered.inclusion).toMatchObject({ reason: 'root_mismatch' })

    // A tampered entry that comes with its own (matching) leaf hash still is not in the tree.
    const forgedEntry = genuine.entry.replace('"seq":5', '"seq":50')
    const forged = await verifyEntry({ ...genuine, entry: forgedEntry, leafHash: serverLeafHash(Buffer.from(forgedEntry, 'utf8')).toString('base64') })
    expect([forged.leaf.ok, forged.inclusion.ok, forged.signature.ok]).toEqual([true, false, true])

    // A wrong proof: another leaf's.
    const wrongProof = await verifyEntry({ ...genuine, proof: (await log.evidence(5)).proof })
    expect([wrongProof.leaf.ok, wrongProof.inclusion.ok, wrongProof.signature.ok]).toEqual([true, false, true])

    // A bad signature: a checkpoint for another tree, signed by another key.
    const other = await serverLog(9)
    const badSignature = await verifyEntry({ ...genuine, vkey: other.vkey })
    expect([badSignature.leaf.ok, badSignature.inclusion.ok, badSignature.signature.ok]).toEqual([true, true, false])

    // An unreadable checkpoint leaves no root to check against.
    const unreadable = await verifyEntry({ ...genuine, checkpoint: 'not a note' })
    expect(unreadable.inclusion).toEqual({ ok: false, reason: 'unreadable_checkpoint' })
    expect(unreadable.signature).toMatchObject({ ok: false, reason: 'unreadable_note' })
  })
})
