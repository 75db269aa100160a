// Checkpoints: the exact C2SP text, and every malformed line refused with its number.
import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { rawEd25519PublicKey } from '../../lib/ed25519.ts'
import { formatCheckpoint, openCheckpoint, parseCheckpoint } from './checkpoint.ts'
import { EMPTY_ROOT } from './merkle.ts'
import { ed25519NoteSigner, NoteError, signNote, verifierFromVkey, vkeyOf } from './note.ts'

const ROOT = Buffer.from('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', 'base64')

describe('checkpoints', () => {
  it('formats the C2SP example exactly', () => {
    expect(formatCheckpoint({ origin: 'example.com/behind-the-sofa', size: 20852163, rootHash: ROOT, extensions: [] }))
      .toBe('example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n')
  })

  it('round-trips, extension lines included, and sizes beyond 2^32', () => {
    for (const c of [
      { origin: 'truce.example/log', size: 0, rootHash: EMPTY_ROOT, extensions: [] },
      { origin: 'truce.example/log', size: 2 ** 40 + 3, rootHash: ROOT, extensions: ['ext one', 'ext two'] },
    ]) expect(parseCheckpoint(formatCheckpoint(c))).toEqual(c)
  })

  it('refuses malformed checkpoint texts, naming the line', () => {
    const root = ROOT.toString('base64')
    const cases: [string, RegExp][] = [
      ['o\n1\n', /at least three lines/],
      [`o\n1\n${root}`, /end with a newline/],
      [`\n1\n${root}\n`, /^line 1: the origin is empty/],
      [`o\n01\n${root}\n`, /^line 2: the tree size "01" is not a decimal/],
      [`o\n-1\n${root}\n`, /^line 2: /],
      [`o\n1.0\n${root}\n`, /^line 2: /],
      [`o\n 1\n${root}\n`, /^line 2: /],
      [`o\n9007199254740993\n${root}\n`, /^line 2: the tree size 9007199254740993 is too large/],
      ['o\n1\nnot base64!\n', /^line 3: the root hash is not valid base64/],
      ['o\n1\nAAAA\n', /^line 3: the root hash is 3 bytes, not 32/],
      [`o\n1\n${root}\n\n`, /^line 4: an extension line is empty/],
      [`o\n1\n${root}\nx\n\n`, /^line 5: an extension line is empty/],
    ]
    for (const [text, message] of cases) {
      let error: unknown
      try { parseCheckpoint(text) } catch (e) { error = e }
      expect(error, JSON.stringify(text)).toBeInstanceOf(NoteError)
      expect((error as Error).message, JSON.stringify(text)).toMatch(message)
    }
  })

  it('refuses to format what it could not parse back', () => {
    expect(() => formatCheckpoint({ origin: '', size: 1, rootHash: ROOT, extensions: [] })).toThrow(NoteError)
    expect(() => formatCheckpoint({ origin: 'a\nb', size: 1, rootHash: ROOT, extensions: [] })).toThrow(NoteError)
    expect(() => formatCheckpoint({ origin: 'o', size: -1, rootHash: ROOT, extensions: [] })).toThrow(NoteError)
    expect(() => formatCheckpoint({ origin: 'o', size: 1.5, rootHash: ROOT, extensions: [] })).toThrow(NoteError)
    expect(() => formatCheckpoint({ origin: 'o', size: 1, rootHash: ROOT.subarray(1), extensions: [] })).toThrow(NoteError)
    expect(() => formatCheckpoint({ origin: 'o', size: 1, rootHash: ROOT, extensions: [''] })).toThrow(NoteError)
  })

  it('opens a signed checkpoint: signature first, then the text', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519')
    const c = { origin: 'truce.example/log', size: 5, rootHash: ROOT, extensions: [] }
    const note = signNote(formatCheckpoint(c), [ed25519NoteSigner('truce.example/log', privateKey)])
    const verifier = verifierFromVkey(vkeyOf('truce.example/log', rawEd25519PublicKey(publicKey)))
    expect(openCheckpoint(note, [verifier]).checkpoint).toEqual(c)
    const badText = signNote(`truce.example/log\nfive\n${ROOT.toString('base64')}\n`, [ed25519NoteSigner('truce.example/log', privateKey)])
    expect(() => openCheckpoint(badText, [verifier])).toThrow(/line 2: the tree size "five"/)
  })
})
