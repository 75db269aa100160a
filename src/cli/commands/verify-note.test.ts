// `truce verify note` as a party runs it: a real child process, exit 0 valid, 1 invalid, 2
// unusable input; never a stack trace, and never "valid" unless it is.
import { generateKeyPairSync } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { sharedDataDir } from '../../config.ts'
import { rawEd25519PublicKey } from '../../lib/ed25519.ts'
import { formatCheckpoint } from '../../modules/log/checkpoint.ts'
import { cosignatureSigner, ed25519NoteSigner, signNote, vkeyOf } from '../../modules/log/note.ts'
import { runTruce, type Run } from '../../../test/helpers/cli.ts'

const truce = (args: string[], stdin?: string) => runTruce(args, { stdin: stdin ?? '' })

/** Every outcome other than 0 must say why, without a stack trace, and must not claim validity. */
const expectRefusal = (r: Run, code: 1 | 2, message: RegExp) => {
  expect(r.code, r.stderr).toBe(code)
  expect(r.stderr).toMatch(message)
  expect(r.stderr).not.toMatch(/\n\s+at /)
  expect(r.stdout).not.toMatch(/valid/)
}

const dir = mkdtempSync(join(tmpdir(), 'truce-verify-note-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

const ORIGIN = 'truce.test/log'
const logKey = generateKeyPairSync('ed25519')
const w1 = generateKeyPairSync('ed25519')
const w2 = generateKeyPairSync('ed25519')
const logVkey = vkeyOf(ORIGIN, rawEd25519PublicKey(logKey.publicKey))
const w1Vkey = vkeyOf('w1.test', rawEd25519PublicKey(w1.publicKey), 'cosignature/v1')
const w2Vkey = vkeyOf('w2.test', rawEd25519PublicKey(w2.publicKey), 'cosignature/v1')
const checkpointText = formatCheckpoint({ origin: ORIGIN, size: 42, rootHash: Buffer.alloc(32, 9), extensions: [] })
const logSigner = ed25519NoteSigner(ORIGIN, logKey.privateKey)
const cosigner1 = cosignatureSigner('w1.test', w1.privateKey, () => 1_760_000_000)
const cosigner2 = cosignatureSigner('w2.test', w2.privateKey, () => 1_760_000_100)

describe('truce verify note', () => {
  const vectorsFile = join(sharedDataDir(), 'tlog/signed-note/note-vectors.json')
  ;(existsSync(vectorsFile) ? it : it.skip)('verifies each public signed-note vector with its vkey (exit 0), and not with another (exit 1)', async () => {
    const { vectors } = JSON.parse(readFileSync(vectorsFile, 'utf8')) as { vectors: { name: string; vkey: string; signedNote: string }[] }
    await Promise.all(vectors.map(async (v, i) => {
      const path = file(`${v.name}.note`, v.signedNote)
      const other = vectors[(i + 1) % vectors.length]!
      const [ok, wrongKey] = await Promise.all([truce(['verify', 'note', path, '--vkey', v.vkey]), truce(['verify', 'note', path, '--vkey', other.vkey])])
      expect(ok.code, ok.stderr).toBe(0)
      expect(ok.stdout).toContain(`valid: ${path}`)
      expect(ok.stdout).toContain(`signed by ${v.vkey.split('+').slice(0, 2).join('+')}`)
      expectRefusal(wrongKey, 1, /^invalid: .*no signature by a trusted key/)
    }))
  })

  it('verifies a checkpoint with the cosignatures of every witness given, and prints what it verified', async () => {
    const path = file('cosigned.note', signNote(checkpointText, [logSigner, cosigner1, cosigner2]))
    const r = await truce(['verify', 'note', path, '--vkey', logVkey, '--witness', w1Vkey, '--witness', w2Vkey])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(`checkpoint: origin ${ORIGIN}, size 42, root ${Buffer.alloc(32, 9).toString('base64')}`)
    expect(r.stdout).toMatch(/cosigned by w1\.test\+[0-9a-f]{8} at 2025-10-09T08:53:20\.000Z/)
    expect(r.stdout).toContain('2 of 2 witnesses cosigned (2 required)')
  })

  it('counts witnesses against --min-witnesses (default: all given)', async () => {
    const path = file('one-witness.note', signNote(checkpointText, [logSigner, cosigner1]))
    expectRefusal(await truce(['verify', 'note', path, '--vkey', logVkey, '--witness', w1Vkey, '--witness', w2Vkey]), 1,
      /^invalid: .*cosigned by 1 of the 2 witnesses given, 2 required \(w1\.test\+/)
    const relaxed = await truce(['verify', 'note', path, '--vkey', logVkey, '--witness', w1Vkey, '--witness', w2Vkey, '--min-witnesses', '1'])
    expect(relaxed.code, relaxed.stderr).toBe(0)
    expect(relaxed.stdout).toContain('1 of 2 witnesses cosigned (1 required)')
  })

  it('refuses a note whose log signature or cosignature was tampered with (exit 1)', async () => {
    const note = signNote(checkpointText, [logSigner, cosigner1])
    const lines = note.split('\n')
    const flip = (i: number) => {
      const copy = [...lines]
      const parts = copy[i]!.split(' ')
      const sig = Buffer.from(parts[2]!, 'base64')
      sig[sig.length - 1] = sig[sig.length - 1]! ^ 0x40
      copy[i] = `${parts[0]} ${parts[1]} ${sig.toString('base64')}`
      return copy.join('\n')
    }
    expectRefusal(await truce(['verify', 'note', file('bad-log.note', flip(4)), '--vkey', logVkey]), 1, /^invalid: .*line 5: the signature by truce\.test\/log .*does not verify/)
    expectRefusal(await truce(['verify', 'note', file('bad-cosig.note', flip(5)), '--vkey', logVkey, '--witness', w1Vkey]), 1, /line 6: the signature by w1\.test .*does not verify/)
    expectRefusal(await truce(['verify', 'note', file('changed.note', note.replace('\n42\n', '\n43\n')), '--vkey', logVkey]), 1, /does not verify/)
  })

  it('refuses a note signed only by a witness, not by a --vkey key (exit 1)', async () => {
    const path = file('witness-only.note', signNote(checkpointText, [cosigner1]))
    expectRefusal(await truce(['verify', 'note', path, '--vkey', logVkey, '--witness', w1Vkey]), 1, /not signed by any --vkey key/)
  })

  it('answers unusable input with exit 2 and the line or field at fault', async () => {
    const good = signNote(checkpointText, [logSigner])
    const cases: [string, string | Buffer, RegExp][] = [
      ['no-blank.note', checkpointText, /^unusable: .*no blank line before the signatures/],
      ['no-newline.note', good.slice(0, -1), /^unusable: .*line 5: the last line does not end with a newline/],
      ['control.note', good.replace('\n42\n', '\n4\u00072\n'), /^unusable: .*line 2: contains an ASCII control character/],
      ['not-utf8.note', Buffer.concat([Buffer.from([0xff]), Buffer.from(good)]), /^unusable: .*not valid UTF-8/],
      ['hyphen.note', good.replace('\u2014', '-'), /^unusable: .*line 5: a signature line must start with "— "/],
      ['bad-base64.note', good.replace(/ (\S+)\n$/, ' not*base64\n'), /^unusable: .*line 5: the signature of truce\.test\/log is not valid base64/],
      ['empty.note', '', /^unusable: .*does not end with a newline|^unusable: .*no blank line/],
    ]
    const runs = await Promise.all(cases.map(([name, content]) => truce(['verify', 'note', file(name, content), '--vkey', logVkey])))
    runs.forEach((r, i) => expectRefusal(r, 2, cases[i]![2]))
    expectRefusal(await truce(['verify', 'note', join(dir, 'missing.note'), '--vkey', logVkey]), 2, /^unusable: .*cannot read it \(ENOENT\)/)
  })

  it('answers bad arguments with exit 2 and the usage', async () => {
    const path = file('args.note', signNote(checkpointText, [logSigner, cosigner1]))
    expectRefusal(await truce(['verify', 'note', path]), 2, /--vkey is required/)
    expectRefusal(await truce(['verify', 'note', '--vkey', logVkey]), 2, /give exactly one FILE/)
    expectRefusal(await truce(['verify', 'note', path, '--vkey', 'name+12345678+AAAA']), 2, /--vkey #1: vkey: /)
    expectRefusal(await truce(['verify', 'note', path, '--vkey', logVkey, '--witness', logVkey]), 2, /not a cosignature\/v1 key/)
    expectRefusal(await truce(['verify', 'note', path, '--vkey', logVkey, '--witness', w1Vkey, '--min-witnesses', '2']), 2, /--min-witnesses must be a whole number from 0 to .* \(1\)/)
    expectRefusal(await truce(['verify', 'note', path, '--vkey', logVkey, '--witness', w1Vkey, '--min-witnesses', 'x']), 2, /--min-witnesses/)
    const plain = file('plain.note', signNote('hello\n', [logSigner]))
    expectRefusal(await truce(['verify', 'note', plain, '--vkey', logVkey, '--witness', w1Vkey]), 2, /not one: a checkpoint has at least three lines/)
  })

  it('reads the note from standard input with -', async () => {
    const r = await truce(['verify', 'note', '-', '--vkey', logVkey], signNote(checkpointText, [logSigner]))
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('valid: -')
  })
})
