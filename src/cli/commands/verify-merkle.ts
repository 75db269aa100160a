// `truce verify inclusion` and `truce verify consistency`: check a Merkle proof offline, from a
// JSON file with the field names of the public transparency-dev vectors. Exit 0 valid, 1 invalid
// (and why), 2 unusable input (naming the field); never a stack trace, never "valid" by default.
import { readFile } from 'node:fs/promises'
import {
  consistencyProofNodes, EMPTY_ROOT, HASH_SIZE, inclusionProofNodes, MerkleError, verifyConsistency, verifyInclusion,
} from '../../modules/log/merkle.ts'
import { UsageError, type Command, type Context } from '../command.ts'

/** Unusable input, with a message that names the field. */
class InputError extends Error {}

type Fields = Record<string, unknown>

function size(o: Fields, name: string): number {
  const v = o[name]
  if (v === undefined) throw new InputError(`${name} is missing`)
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new InputError(`${name} must be a whole number from 0 to 2^53−1, got ${JSON.stringify(v)}`)
  }
  return v
}

function hash(v: unknown, name: string): Buffer {
  if (typeof v !== 'string') throw new InputError(`${name} must be a base64 string, got ${v === null ? 'null' : typeof v}`)
  const bytes = Buffer.from(v, 'base64')
  // Buffer.from skips what it cannot read; a canonical round trip is the strict check.
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v) || bytes.toString('base64') !== v) throw new InputError(`${name} is not standard base64`)
  if (bytes.length !== HASH_SIZE) throw new InputError(`${name} is ${bytes.length} bytes; a SHA-256 hash is ${HASH_SIZE}`)
  return bytes
}

function field(o: Fields, name: string): Buffer {
  if (o[name] === undefined) throw new InputError(`${name} is missing`)
  return hash(o[name], name)
}

function proof(o: Fields): Buffer[] {
  const v = o.proof
  if (v === undefined) throw new InputError('proof is missing (use [] or null for an empty proof)')
  if (v === null) return []
  if (!Array.isArray(v)) throw new InputError(`proof must be a list of base64 hashes (or null), got ${typeof v}`)
  return v.map((h, i) => hash(h, `proof[${i}]`))
}

async function readObject(file: string): Promise<Fields> {
  let text: string
  try {
    if (file === '-') {
      const chunks: Buffer[] = []
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
      text = Buffer.concat(chunks).toString('utf8')
    } else {
      text = await readFile(file, 'utf8')
    }
  } catch (e) {
    throw new InputError(`cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    throw new InputError(`not JSON (${e instanceof Error ? e.message : String(e)})`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InputError('must be a JSON object')
  return parsed as Fields
}

type Verdict = { valid: true; message: string } | { valid: false; message: string }

/** Reads, checks and reports: the three exit statuses in one place. */
async function verifyFile(positionals: string[], json: boolean, ctx: Context, check: (o: Fields) => Verdict): Promise<number> {
  if (positionals.length !== 1) throw new UsageError('give exactly one FILE.json (or - for standard input)')
  const file = positionals[0]!
  const report = (result: 'valid' | 'invalid' | 'unusable', message: string, code: number) => {
    if (json) ctx.out(JSON.stringify({ result, file, message }))
    else if (code === 0) ctx.out(`valid: ${message}`)
    else ctx.err(`${result}: ${file}: ${message}`)
    return code
  }
  let verdict: Verdict
  try {
    verdict = check(await readObject(file))
  } catch (e) {
    if (e instanceof InputError || e instanceof MerkleError) return report('unusable', e.message, 2)
    throw e
  }
  return verdict.valid ? report('valid', verdict.message, 0) : report('invalid', verdict.message, 1)
}

const b64 = (b: Buffer) => b.toString('base64')

export const VERIFY_MERKLE_COMMANDS: Record<string, Command> = {
  'verify inclusion': {
    summary: 'Verify a Merkle inclusion proof (RFC 9162) from a JSON file',
    usage: [
      'truce verify inclusion FILE.json [--json]',
      '',
      'FILE.json (or - for standard input) holds {"leafIdx", "treeSize", "root", "leafHash", "proof"}:',
      'the leaf\'s index and the tree size as numbers, hashes as standard base64 of 32 bytes, proof a',
      'list of them (or null). These are the field names of the transparency-dev/merkle test vectors.',
      'Exit status: 0 valid, 1 invalid, 2 unusable input. --json prints {"result", "file", "message"}.',
    ].join('\n'),
    options: { json: { type: 'boolean' } },
    run: (values, positionals, ctx) => verifyFile(positionals, values.json === true, ctx, (o) => {
      const leafIdx = size(o, 'leafIdx')
      const treeSize = size(o, 'treeSize')
      const root = field(o, 'root')
      const leafHash = field(o, 'leafHash')
      const path = proof(o)
      if (verifyInclusion(leafIdx, treeSize, leafHash, path, root)) {
        return { valid: true, message: `leaf ${leafIdx} (${b64(leafHash)}) is in the tree of size ${treeSize} with root ${b64(root)}` }
      }
      const want = inclusionProofNodes(leafIdx, treeSize).elements.length
      return {
        valid: false,
        message: path.length !== want
          ? `the proof has ${path.length} hashes; leaf ${leafIdx} of a tree of size ${treeSize} needs ${want}`
          : `the proof does not lead from leaf ${leafIdx} to root ${b64(root)}: the leaf, a proof hash or the root is not the one in the tree`,
      }
    }),
  },
  'verify consistency': {
    summary: 'Verify a Merkle consistency proof (RFC 9162) from a JSON file',
    usage: [
      'truce verify consistency FILE.json [--json]',
      '',
      'FILE.json (or - for standard input) holds {"size1", "size2", "root1", "root2", "proof"}: the',
      'tree sizes as numbers, roots as standard base64 of 32 bytes, proof a list of them (or null).',
      'Valid means the tree of size2 with root2 extends the tree of size1 with root1. A size1 of 0 is',
      'unusable: every tree extends the empty one, so there is nothing to check.',
      'Exit status: 0 valid, 1 invalid, 2 unusable input. --json prints {"result", "file", "message"}.',
    ].join('\n'),
    options: { json: { type: 'boolean' } },
    run: (values, positionals, ctx) => verifyFile(positionals, values.json === true, ctx, (o) => {
      const size1 = size(o, 'size1')
      const size2 = size(o, 'size2')
      const root1 = field(o, 'root1')
      const root2 = field(o, 'root2')
      const path = proof(o)
      if (verifyConsistency(size1, size2, root1, root2, path)) {
        return { valid: true, message: `the tree of size ${size2} with root ${b64(root2)} extends the tree of size ${size1} with root ${b64(root1)}` }
      }
      const want = consistencyProofNodes(size1, size2).elements.length
      if (path.length !== want) return { valid: false, message: `the proof has ${path.length} hashes; from size ${size1} to ${size2} it needs ${want}` }
      if (size1 === size2 && root1.equals(root2)) return { valid: false, message: `the root of the empty tree is ${b64(EMPTY_ROOT)}` }
      if (size1 === size2) return { valid: false, message: `the two roots of the tree of size ${size1} differ: the log showed two different histories` }
      return { valid: false, message: `the proof does not connect root1 ${b64(root1)} to root2 ${b64(root2)}: one of the roots or a proof hash is not the log's` }
    }),
  },
}
