// `truce verify inclusion|consistency` as a party's staff runs it: a real child process on proof
// files, exit 0 valid, 1 invalid, 2 unusable; plus every transparency-dev vector through the
// command in-process, which must never answer "valid" for a broken one.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig, sharedDataDir } from '../../config.ts'
import { appendNodes, consistencyProof, inclusionProof, leafHash, treeRoot, type NodeBatchReader } from '../../modules/log/merkle.ts'
import type { Context } from '../command.ts'
import { VERIFY_MERKLE_COMMANDS } from './verify-merkle.ts'
import { runTruce } from '../../../test/helpers/cli.ts'

const TESTDATA = join(sharedDataDir(), 'tlog/transparency-dev-merkle/testdata')
const dir = mkdtempSync(join(tmpdir(), 'truce-verify-merkle-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const truce = (args: string[]) => runTruce(args)

let files = 0
const write = (content: unknown) => {
  const path = join(dir, `proof-${files++}.json`)
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content))
  return path
}

/** A 13-leaf tree, and proofs from it in the transparency-dev field names. */
async function proofs() {
  const leaves = Array.from({ length: 13 }, (_, i) => leafHash(Buffer.from(`submission ${i}`)))
  const store = new Map<string, Buffer>()
  const read: NodeBatchReader = async (ns) => ns.map((n) => store.get(`${n.level}/${n.index}`)!)
  for (const n of await appendNodes(0, leaves, read)) store.set(`${n.level}/${n.index}`, n.hash)
  const b64 = (b: Buffer) => b.toString('base64')
  const inclusion = { leafIdx: 9, treeSize: 13, root: b64(await treeRoot(13, read)), leafHash: b64(leaves[9]!), proof: (await inclusionProof(9, 13, read)).map(b64) }
  const consistency = { size1: 6, size2: 13, root1: b64(await treeRoot(6, read)), root2: b64(await treeRoot(13, read)), proof: (await consistencyProof(6, 13, read)).map(b64) }
  return { inclusion, consistency }
}

const flip = (b64: string) => {
  const b = Buffer.from(b64, 'base64')
  b[0] = (b[0]! + 1) % 256
  return b.toString('base64')
}

/** The command in this process, its output captured: the same run() the CLI calls. */
async function command(kind: 'inclusion' | 'consistency', file: string, json = false) {
  const lines: string[] = []
  const ctx: Context = { config: loadConfig(), out: (l) => lines.push(l), err: (l) => lines.push(l), db: () => Promise.reject(new Error('no database here')) }
  const code = await VERIFY_MERKLE_COMMANDS[`verify ${kind}`]!.run(json ? { json: true } : {}, [file], ctx)
  return { code, output: lines.join('\n') }
}

describe('truce verify inclusion|consistency (child process)', () => {
  it('exit 0 and "valid" for valid proofs, 1 and why for invalid ones, 2 naming the field for unusable input', async () => {
    const { inclusion, consistency } = await proofs()
    const [validInclusion, validConsistency, invalid, json, missing, wrongType] = await Promise.all([
      truce(['verify', 'inclusion', write(inclusion)]),
      truce(['verify', 'consistency', write(consistency)]),
      truce(['verify', 'inclusion', write({ ...inclusion, proof: [flip(inclusion.proof[0]!), ...inclusion.proof.slice(1)] })]),
      truce(['verify', 'consistency', '--json', write({ ...consistency, root2: flip(consistency.root2) })]),
      truce(['verify', 'inclusion', join(dir, 'missing.json')]),
      truce(['verify', 'consistency', write({ ...consistency, size2: '13' })]),
    ])
    expect(validInclusion).toMatchObject({ code: 0, stderr: '' })
    expect(validInclusion.stdout).toMatch(/^valid: leaf 9 \(.+\) is in the tree of size 13 with root /)
    expect(validConsistency).toMatchObject({ code: 0, stderr: '' })
    expect(validConsistency.stdout).toMatch(/^valid: the tree of size 13 with root .+ extends the tree of size 6 with root /)
    expect(invalid).toMatchObject({ code: 1, stdout: '' })
    expect(invalid.stderr).toMatch(/^invalid: .*proof-\d+\.json: the proof does not lead from leaf 9 to root/)
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toMatchObject({ result: 'invalid' })
    expect(missing).toMatchObject({ code: 2, stdout: '' })
    expect(missing.stderr).toMatch(/^unusable: .*missing\.json: cannot read it \(ENOENT\)\n$/)
    expect(wrongType).toMatchObject({ code: 2, stdout: '' })
    expect(wrongType.stderr).toMatch(/size2 must be a whole number from 0 to 2\^53−1, got "13"\n$/)
  })
})

describe('truce verify inclusion|consistency', () => {
  it('proofs that do not verify exit 1 and say why', async () => {
    const { inclusion, consistency } = await proofs()
    const runs = await Promise.all([
      command('inclusion', write({ ...inclusion, proof: inclusion.proof.slice(1) })),
      command('inclusion', write({ ...inclusion, leafHash: flip(inclusion.leafHash) })),
      command('consistency', write({ ...consistency, root1: consistency.root2, root2: consistency.root1 })),
      command('consistency', write({ ...consistency, size1: 13, proof: [] })),
      command('consistency', write({ ...consistency, proof: [...consistency.proof, consistency.root1] })),
    ])
    for (const r of runs) {
      expect(r.code).toBe(1)
      expect(r.output).toMatch(/^invalid: /)
    }
    expect(runs[0]!.output).toMatch(/the proof has 3 hashes; leaf 9 of a tree of size 13 needs 4/)
    expect(runs[1]!.output).toMatch(/the proof does not lead from leaf 9 to root/)
    expect(runs[2]!.output).toMatch(/the proof does not connect root1/)
    expect(runs[3]!.output).toMatch(/the two roots of the tree of size 13 differ/)
    expect(runs[4]!.output).toMatch(/the proof has 5 hashes; from size 6 to 13 it needs 4/)
  })

  it('unusable input exits 2 and names the file or field, never "valid"', async () => {
    const { inclusion, consistency } = await proofs()
    const { leafHash: _drop, ...noLeafHash } = inclusion
    const cases: ['inclusion' | 'consistency', string, RegExp][] = [
      ['inclusion', write('{"leafIdx": 1,'), /not JSON/],
      ['inclusion', write('[1, 2]'), /must be a JSON object/],
      ['inclusion', write('null'), /must be a JSON object/],
      ['inclusion', write(noLeafHash), /leafHash is missing/],
      ['inclusion', write({ ...inclusion, leafIdx: -1 }), /leafIdx must be a whole number/],
      ['inclusion', write({ ...inclusion, leafIdx: 1.5 }), /leafIdx must be a whole number/],
      ['inclusion', write({ ...inclusion, treeSize: 2 ** 64 }), /treeSize must be a whole number/],
      ['inclusion', write({ ...inclusion, leafIdx: 13 }), /leafIndex 13 is not below size 13/],
      ['inclusion', write({ ...inclusion, root: 'not*base64' }), /root is not standard base64/],
      ['inclusion', write({ ...inclusion, root: inclusion.root.slice(0, -1) }), /root is not standard base64/],
      ['inclusion', write({ ...inclusion, leafHash: '' }), /leafHash is 0 bytes; a SHA-256 hash is 32/],
      ['inclusion', write({ ...inclusion, proof: [inclusion.proof[0], 'AAAA'] }), /proof\[1\] is 3 bytes; a SHA-256 hash is 32/],
      ['inclusion', write({ ...inclusion, proof: 'abc' }), /proof must be a list of base64 hashes/],
      ['inclusion', write({ ...inclusion, proof: [null] }), /proof\[0\] must be a base64 string, got null/],
      ['consistency', write({ ...consistency, size1: 14 }), /size1 14 is greater than size2 13/],
      ['consistency', write({ ...consistency, size1: 0 }), /size1 is 0/],
      ['consistency', write({ ...consistency, root2: 5 }), /root2 must be a base64 string, got number/],
      ['consistency', write({ ...consistency, proof: undefined }), /proof is missing/],
    ]
    for (const [kind, file, message] of cases) {
      const r = await command(kind, file)
      expect(r.code, `${file}: ${r.output}`).toBe(2)
      expect(r.output).toMatch(/^unusable: /)
      expect(r.output).toMatch(message)
    }
    const json = await command('consistency', write({ ...consistency, proof: undefined }), true)
    expect(JSON.parse(json.output)).toMatchObject({ result: 'unusable', message: 'proof is missing (use [] or null for an empty proof)' })
    await expect(command('inclusion', '')).resolves.toMatchObject({ code: 2 })
    await expect(VERIFY_MERKLE_COMMANDS['verify inclusion']!.run({}, [], { config: loadConfig(), out: () => {}, err: () => {}, db: () => Promise.reject(new Error('none')) }))
      .rejects.toThrow(/give exactly one FILE\.json/)
  })
})

describe.skipIf(!existsSync(TESTDATA))('every transparency-dev vector through the command', () => {
  const walk = (d: string): string[] => readdirSync(d).sort().flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : n.endsWith('.json') ? [join(d, n)] : []))

  it.each(['inclusion', 'consistency'] as const)('%s: valid vectors exit 0, broken ones 1 or 2, and never say valid', async (kind) => {
    const codes: Record<string, number> = {}
    for (const file of walk(join(TESTDATA, kind))) {
      const v = JSON.parse(readFileSync(file, 'utf8')) as { wantErr: boolean; root1?: string }
      const { code, output } = await command(kind, file)
      const name = file.slice(TESTDATA.length + 1)
      codes[`${v.wantErr ? 'broken' : 'valid'} → ${code}`] = (codes[`${v.wantErr ? 'broken' : 'valid'} → ${code}`] ?? 0) + 1
      if (v.wantErr) {
        expect(code, name).not.toBe(0)
        expect(output, name).not.toMatch(/^valid/)
      } else if (name.endsWith('sizes-are-equal-one-and-proof-is-empty.json')) {
        // Its roots are the 12-byte "don't care 2": fine for the library's byte comparison, not a root a party could hold.
        expect(code, name).toBe(2)
      } else {
        expect(code, `${name}: ${output}`).toBe(0)
      }
    }
    expect(codes[`valid → 0`]).toBe(kind === 'inclusion' ? 6 : 5)
  })
})
