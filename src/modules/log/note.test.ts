// Signed notes: the public vectors (Go's sumdb/note and the C2SP example), the C2SP rules on
// unknown and known keys, cosignature/v1, and malformed notes that must be refused with their line.
import { createPrivateKey, generateKeyPairSync } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sharedDataDir } from '../../config.ts'
import { rawEd25519PublicKey } from '../../lib/ed25519.ts'
import {
  cosignatureSigner, cosignatureTime, decodeBase64Strict, ed25519NoteSigner, MAX_SIGNATURES, NoteError, noteKeyHash, openNote, parseNote,
  signNote, verifierFromVkey, vkeyOf, type NoteSigner,
} from './note.ts'

type NoteVectors = {
  vectors: { name: string; vkey: string; skey?: string; text: string; signedNote: string; expectValid: boolean }[]
  badVkeys: string[]
}
const VECTORS = join(sharedDataDir(), 'tlog/signed-note/note-vectors.json')
const present = existsSync(VECTORS)
const describeData = present || process.env.CI ? describe : describe.skip

const newKey = () => generateKeyPairSync('ed25519')
const thrown = (f: () => unknown): NoteError => {
  try { f() } catch (e) { if (e instanceof NoteError) return e; throw e }
  throw new Error('expected a NoteError')
}

describeData(present ? 'signed-note vectors' : `signed-note vectors: SKIPPED, ${VECTORS} is absent (set TRUCE_SHARED_DATA)`, () => {
  if (!present) {
    it('has the vectors (CI requires the shared data)', () => { throw new Error(`missing ${VECTORS}`) })
    return
  }
  const data = JSON.parse(readFileSync(VECTORS, 'utf8')) as NoteVectors

  it.each(data.vectors.map((v) => [v.name, v] as const))('%s verifies with its vkey, giving back the text', (_n, v) => {
    const opened = openNote(v.signedNote, [verifierFromVkey(v.vkey)])
    expect(v.expectValid).toBe(true)
    expect(opened.text).toBe(v.text)
    expect(opened.signatures.map((s) => s.verifiedBy !== null)).toEqual([true])
  })

  it.each(data.vectors.map((v) => [v.name, v] as const))('%s: a changed text no longer verifies', (_n, v) => {
    const tampered = v.signedNote.replace(v.text, v.text.replace(/.\n$/, '!\n'))
    expect(() => openNote(tampered, [verifierFromVkey(v.vkey)])).toThrow(/does not verify/)
  })

  it('signs exactly as Go does, from the private key of the vector that has one', () => {
    const v = data.vectors.find((x) => x.skey)!
    // skey = "PRIVATE+KEY+<name>+<keyid>+base64(0x01 ‖ 32-byte seed)"
    const seed = Buffer.from(v.skey!.split('+').slice(4).join('+'), 'base64').subarray(1)
    const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' })
    const name = v.vkey.split('+')[0]!
    expect(vkeyOf(name, rawEd25519PublicKey(privateKey))).toBe(v.vkey)
    expect(signNote(v.text, [ed25519NoteSigner(name, privateKey)])).toBe(v.signedNote)
  })

  it.each(data.badVkeys)('refuses the bad vkey %s', (vkey) => {
    expect(() => verifierFromVkey(vkey)).toThrow(NoteError)
  })

  it('ignores a vector signature when given only other keys, and then refuses the note', () => {
    const [a, b] = data.vectors
    expect(() => openNote(a!.signedNote, [verifierFromVkey(b!.vkey)])).toThrow(/no signature by a trusted key/)
  })
})

describe('verifier keys', () => {
  it('round-trips a vkey and computes the key ID as SHA-256(name ‖ \\n ‖ type ‖ key)[:4]', () => {
    const raw = rawEd25519PublicKey(newKey().publicKey)
    const vkey = vkeyOf('truce.example/log', raw)
    const v = verifierFromVkey(vkey)
    expect(v).toMatchObject({ name: 'truce.example/log', type: 'ed25519', keyHash: noteKeyHash('truce.example/log', 1, raw), vkey })
    expect(vkey.split('+')[1]).toBe(v.keyHash.toString(16).padStart(8, '0'))
    const cosigner = verifierFromVkey(vkeyOf('witness.example/w1', raw, 'cosignature/v1'))
    expect(cosigner.type).toBe('cosignature/v1')
    expect(cosigner.keyHash).toBe(noteKeyHash('witness.example/w1', 4, raw))
  })

  it('names what is wrong with a malformed vkey', () => {
    const raw = rawEd25519PublicKey(newKey().publicKey)
    const good = vkeyOf('a.example', raw)
    const [name, id, key] = [good.split('+')[0]!, good.split('+')[1]!, good.slice(good.indexOf('+', good.indexOf('+') + 1) + 1)]
    expect(thrown(() => verifierFromVkey('nothing')).message).toMatch(/name\+keyid\+key/)
    // Upper-case hex (a fixed id: a random one has no letter to upper-case one time in 40).
    expect(thrown(() => verifierFromVkey(`${name}+ABCDEF01+${key}`)).message).toMatch(/8 lowercase hex/)
    expect(thrown(() => verifierFromVkey(`${name}+00000000+${key}`)).message).toMatch(/does not match/)
    expect(thrown(() => verifierFromVkey(`b.example+${id}+${key}`)).message).toMatch(/does not match/)
    expect(thrown(() => verifierFromVkey(`${name}+${id}+${key}x`)).message).toMatch(/base64/)
    expect(thrown(() => verifierFromVkey(`+${id}+${key}`)).message).toMatch(/key name/)
    const ecdsa = Buffer.concat([Uint8Array.of(2), raw]).toString('base64')
    expect(thrown(() => verifierFromVkey(`${name}+${id}+${ecdsa}`)).message).toMatch(/0x02 is not supported/)
  })

  it('refuses a vkey whose public key the Ed25519 policy refuses (the identity point)', () => {
    const identity = Buffer.alloc(32)
    identity[0] = 1
    expect(thrown(() => verifierFromVkey(vkeyOf('bad.example', identity))).message).toMatch(/refused \(small order\)/)
  })

  it('reads base64 strictly: padding required, no stray characters, canonical trailing bits', () => {
    expect(decodeBase64Strict('AAE=')).toEqual(Buffer.from([0, 1]))
    for (const bad of ['AAE', 'AAF=', 'AA E=', 'AAE==', 'AA-_', '====']) expect(decodeBase64Strict(bad), bad).toBeNull()
  })
})

describe('signing and opening notes', () => {
  const log = newKey()
  const logSigner = ed25519NoteSigner('truce.example/log', log.privateKey)
  const logVerifier = verifierFromVkey(vkeyOf('truce.example/log', rawEd25519PublicKey(log.publicKey)))
  const text = 'truce.example/log\n2\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n'

  it('ignores signatures by unknown keys, even one sharing the name or the key ID of a known key', () => {
    const other = newKey()
    const sameName = ed25519NoteSigner('truce.example/log', other.privateKey)
    const sameId: NoteSigner = { name: 'impostor.example', keyHash: logSigner.keyHash, sign: () => Buffer.alloc(64) }
    const note = signNote(text, [sameName, sameId, logSigner])
    const opened = openNote(note, [logVerifier])
    expect(opened.text).toBe(text)
    expect(opened.signatures.map((s) => [s.name, s.verifiedBy === logVerifier])).toEqual([
      ['truce.example/log', false], ['impostor.example', false], ['truce.example/log', true],
    ])
  })

  it('refuses the whole note when a known key signature does not verify, naming its line', () => {
    const note = signNote(text, [logSigner])
    const lines = note.split('\n')
    const sig = Buffer.from(lines[4]!.split(' ')[2]!, 'base64')
    sig[10] = sig[10]! ^ 1
    lines[4] = `— truce.example/log ${sig.toString('base64')}`
    const e = thrown(() => openNote(lines.join('\n'), [logVerifier]))
    expect(e.line).toBe(5)
    expect(e.message).toMatch(/^line 5: the signature by truce.example\/log .* does not verify/)
    // Even with a good signature by the same key beside it.
    expect(() => openNote(`${note}${lines[4]}\n`, [logVerifier])).toThrow(/line 6: .*does not verify/)
  })

  it('refuses a note that no known key signed', () => {
    expect(thrown(() => openNote(signNote(text, [ed25519NoteSigner('other.example', newKey().privateKey)]), [logVerifier])).message)
      .toMatch(/no signature by a trusted key \(the note is signed by other\.example\+[0-9a-f]{8}\)/)
  })

  it('keeps one copy of a repeated signature', () => {
    const note = signNote(text, [logSigner])
    const sigLine = note.split('\n')[4]!
    const opened = openNote(`${note}${sigLine}\n`, [logVerifier])
    expect(opened.signatures).toHaveLength(1)
  })

  it('separates text from signatures at the last blank line, so texts may hold blank lines', () => {
    const body = 'first\n\nthird\n'
    expect(openNote(signNote(body, [logSigner]), [logVerifier]).text).toBe(body)
  })

  it('refuses malformed notes with a message naming the line', () => {
    const good = signNote(text, [logSigner])
    const sig = good.split('\n')[4]!
    const cases: [string, string, RegExp][] = [
      ['text only', text, /no blank line before the signatures/],
      ['text and a blank line', `${text}\n`, /line 5: no signature lines/],
      ['no final newline', good.slice(0, -1), /line 5: the last line does not end with a newline/],
      ['a control character', `\u0001${good}`, /line 1: contains an ASCII control character/],
      ['a carriage return', good.replace('\n2\n', '\r\n2\n'), /line 1: contains an ASCII control character/],
      ['a tab in the text', good.replace('\n2\n', '\n\t2\n'), /line 2: contains an ASCII control character/],
      ['a lone surrogate (not UTF-8)', good.replace('log', 'l\ud800g'), /not valid UTF-8/],
      ['a key name with a space', good.replace('— truce.example/log', '— Bad Name'), /line 5: the signature of Bad is not valid base64/],
      ['a key name with a plus', good.replace('— truce.example/log', '— a+b'), /line 5: key name "a\+b"/],
      ['a hyphen instead of the em dash', good.replace('—', '-'), /line 5: a signature line must start with "— "/],
      ['a trailing line', `${good}Unexpected line.\n`, /line 6: a signature line must start/],
      ['unpadded base64', good.replace(/=\n$/, '\n'), /line 5: the signature of truce.example\/log is not valid base64/],
      ['a signature shorter than five bytes', `${text}\n— truce.example/log AAAAAA==\n`, /line 5: .*too short/],
      ['too many signatures', `${text}\n${`${sig}\n`.repeat(MAX_SIGNATURES + 1)}`, /line 105: more than 100 signature lines/],
    ]
    for (const [what, note, message] of cases) {
      expect(() => parseNote(note), what).toThrow(NoteError)
      expect(thrown(() => openNote(note, [logVerifier])).message, what).toMatch(message)
    }
  })

  it('accepts up to the maximum number of signatures', () => {
    const signers = Array.from({ length: 16 }, (_, i) => ed25519NoteSigner(`w${i}.example`, newKey().privateKey))
    const opened = openNote(signNote(text, [...signers, logSigner]), [logVerifier])
    expect(opened.signatures).toHaveLength(17)
  })

  it('refuses to sign a text without a final newline or with control characters', () => {
    expect(thrown(() => signNote('no newline', [logSigner])).message).toMatch(/must end with a newline/)
    expect(thrown(() => signNote('a\u0000\n', [logSigner])).message).toMatch(/control character/)
    expect(thrown(() => ed25519NoteSigner('bad name', log.privateKey)).message).toMatch(/key name/)
  })
})

describe('cosignature/v1', () => {
  const witness = newKey()
  const raw = rawEd25519PublicKey(witness.publicKey)
  const cosigner = cosignatureSigner('witness.example/w1', witness.privateKey, () => 1_700_000_000)
  const log = newKey()
  const logSigner = ed25519NoteSigner('truce.example/log', log.privateKey)
  const logVerifier = verifierFromVkey(vkeyOf('truce.example/log', rawEd25519PublicKey(log.publicKey)))
  const witnessVerifier = verifierFromVkey(vkeyOf('witness.example/w1', raw, 'cosignature/v1'))
  const text = 'truce.example/log\n7\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n'

  it('signs "cosignature/v1\\ntime <t>\\n" ‖ the checkpoint, sent as the 8-byte time and the signature', () => {
    const note = signNote(text, [logSigner, cosigner])
    const opened = openNote(note, [logVerifier, witnessVerifier])
    const cosig = opened.signatures.find((s) => s.name === 'witness.example/w1')!
    expect(cosig.verifiedBy).toBe(witnessVerifier)
    expect(cosig.signature).toHaveLength(72)
    expect(cosignatureTime(cosig.signature)).toBe(1_700_000_000)
    // The witness key alone is enough to open it: the log signature is then an unknown one.
    expect(openNote(note, [witnessVerifier]).signatures.map((s) => s.verifiedBy !== null)).toEqual([false, true])
  })

  it('is domain-separated from a plain Ed25519 signature by the same key', () => {
    const plain = ed25519NoteSigner('witness.example/w1', witness.privateKey)
    const asCosigner: NoteSigner = { ...plain, keyHash: witnessVerifier.keyHash }
    expect(() => openNote(signNote(text, [asCosigner]), [witnessVerifier])).toThrow(/does not verify/)
    const plainVerifier = verifierFromVkey(vkeyOf('witness.example/w1', raw))
    expect(plainVerifier.keyHash).not.toBe(witnessVerifier.keyHash)
  })

  it('does not verify when the timestamp is changed', () => {
    const note = signNote(text, [cosigner])
    const lines = note.split('\n')
    const bytes = Buffer.from(lines[4]!.split(' ')[2]!, 'base64')
    bytes[11] = bytes[11]! + 1
    lines[4] = `— witness.example/w1 ${bytes.toString('base64')}`
    expect(() => openNote(lines.join('\n'), [witnessVerifier])).toThrow(/does not verify/)
  })

  it('uses the current time by default', () => {
    const before = Math.floor(Date.now() / 1000)
    const note = signNote(text, [cosignatureSigner('witness.example/w1', witness.privateKey)])
    const t = cosignatureTime(openNote(note, [witnessVerifier]).signatures[0]!.signature)
    expect(t).toBeGreaterThanOrEqual(before)
    expect(t).toBeLessThanOrEqual(Math.floor(Date.now() / 1000))
  })

  it('refuses a signature of the wrong length when reading its time', () => {
    expect(() => cosignatureTime(Buffer.alloc(64))).toThrow(/72 bytes/)
  })
})

// The sunlight witness test data (SOURCE.md): checkpoints cosigned by test witnesses, whose vkeys
// sit in witness.v0.json files. Optional: read when the research copy includes it.
const SUNLIGHT = join(sharedDataDir(), 'tlog/sunlight-cosignature')
const sunlight = existsSync(SUNLIGHT)
const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)])
;(sunlight ? describe : describe.skip)(sunlight ? 'sunlight cosigned checkpoints' : `sunlight cosigned checkpoints: SKIPPED, ${SUNLIGHT} is absent`, () => {
  it('every checkpoint carries a cosignature/v1 that verifies with the test witness keys', () => {
    const files = walk(SUNLIGHT)
    const vkeys = files.filter((f) => f.endsWith('.json')).flatMap((f) => (JSON.parse(readFileSync(f, 'utf8')) as { verifier_keys?: string[] }).verifier_keys ?? [])
    const verifiers = vkeys.map(verifierFromVkey)
    expect(verifiers.length).toBeGreaterThan(0)
    const checkpoints = files.filter((f) => f.endsWith('checkpoint'))
    expect(checkpoints.length).toBeGreaterThan(0)
    for (const f of checkpoints) {
      const opened = openNote(readFileSync(f, 'utf8'), verifiers)
      const cosigs = opened.signatures.filter((s) => s.verifiedBy)
      expect(cosigs.length, f).toBeGreaterThan(0)
      for (const s of cosigs) expect(cosignatureTime(s.signature)).toBeGreaterThan(0)
    }
  })
})
