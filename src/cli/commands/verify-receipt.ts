// `truce verify receipt`: check, offline, a C2SP tlog-proof@v1 receipt of a submission: the
// entry it carries hashes to a leaf, the inclusion proof leads from that leaf to the root of the
// checkpoint it carries, and that checkpoint is signed by the pinned log key (and cosigned by
// enough pinned witnesses). A non-public submission's entry is sealed; `--opening` checks the full
// entry the seal commits to. Exit 0 valid, 1 invalid, 2 unusable input.
import { isSealed, sealOf } from '../../modules/ledger/entry.ts'
import { leafHash, verifyInclusion } from '../../modules/log/merkle.ts'
import { UsageError, type Command } from '../command.ts'
import { checkSignedNote, KEY_OPTIONS, keyOptions, readText } from './verify-note.ts'

export type Receipt = { entry: Buffer; index: number; proof: Buffer[]; checkpointNote: string }

const HEADER = 'c2sp.org/tlog-proof@v1'
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

/** Parses the receipt's text form; a problem names its line. */
export function parseReceipt(text: string): Receipt | { problem: string } {
  const lines = text.split('\n')
  if (lines[0] !== HEADER) return { problem: `line 1: expected "${HEADER}"` }
  let i = 1
  let entry: Buffer | null = null
  if (lines[i]?.startsWith('extra ')) {
    const b = lines[i]!.slice(6)
    if (!BASE64.test(b)) return { problem: `line ${i + 1}: the extra data is not base64` }
    entry = Buffer.from(b, 'base64')
    i++
  }
  const index = /^index (0|[1-9][0-9]*)$/.exec(lines[i] ?? '')
  if (!index || !Number.isSafeInteger(Number(index[1]))) return { problem: `line ${i + 1}: expected "index <leaf index>"` }
  i++
  const proof: Buffer[] = []
  for (; i < lines.length && lines[i] !== ''; i++) {
    const h = lines[i]!
    if (!BASE64.test(h) || Buffer.from(h, 'base64').length !== 32) return { problem: `line ${i + 1}: a proof hash must be 32 bytes in base64` }
    proof.push(Buffer.from(h, 'base64'))
  }
  if (i >= lines.length) return { problem: 'no blank line before the checkpoint' }
  if (!entry) return { problem: 'line 2: the receipt carries no entry (extra line); Truce receipts always do' }
  return { entry, index: Number(index[1]), proof, checkpointNote: lines.slice(i + 1).join('\n') }
}

/**
 * The opening in an --opening file: the "opening" of a saved /api/log/entries answer, or the
 * file's text itself (less the newline a shell or jq -r adds; canonical JSON ends without one).
 */
function openingText(text: string): string {
  try {
    const value = JSON.parse(text) as { opening?: unknown }
    if (typeof value === 'object' && value !== null && typeof value.opening === 'string') return value.opening
  } catch { /* not JSON: the hash check will say so */ }
  return text.replace(/\r?\n$/, '')
}

export const VERIFY_RECEIPT_COMMANDS: Record<string, Command> = {
  'verify receipt': {
    summary: "Verify a submission's tlog-proof@v1 receipt: entry, inclusion proof, signed checkpoint",
    usage: [
      'truce verify receipt FILE --vkey LOG-VKEY [--witness VKEY …] [--min-witnesses K] [--opening ENTRY.json]',
      '',
      'FILE is a receipt from GET /api/log/receipts/<submission id>, or - for standard input.',
      'A non-public submission\'s entry is sealed (only its hash is in the log). --opening checks',
      'the full entry against the seal: the answer of GET /api/log/entries/<submission id>, saved',
      'whole, or just its "opening" text.',
      'Exit status: 0 valid, 1 invalid, 2 unusable input. See docs/VERIFYING.md.',
    ].join('\n'),
    options: { ...KEY_OPTIONS, opening: { type: 'string' } },
    async run(values, positionals, ctx) {
      if (positionals.length !== 1) throw new UsageError('give exactly one FILE (or - for standard input)')
      const file = positionals[0]!
      const { keys, witnesses, minimum } = keyOptions(values)
      const unusable = (message: string) => { ctx.err(`unusable: ${file}: ${message}`); return 2 }
      let opening: string | null = null
      if (typeof values.opening === 'string') {
        const o = await readText(values.opening)
        if ('problem' in o) return unusable(`--opening: ${o.problem}`)
        opening = openingText(o.text)
      }
      const invalid = (message: string) => { ctx.err(`invalid: ${file}: ${message}`); return 1 }

      const read = await readText(file)
      if ('problem' in read) return unusable(read.problem)
      const receipt = parseReceipt(read.text)
      if ('problem' in receipt) return unusable(receipt.problem)
      const check = checkSignedNote(receipt.checkpointNote, keys, witnesses, minimum)
      if (check.status !== 0) return (check.status === 1 ? invalid : unusable)(`the checkpoint: ${check.message}`)
      const checkpoint = check.checkpoint
      if (!checkpoint) return unusable('the signed note at the end is not a checkpoint')
      if (receipt.index >= checkpoint.size) return invalid(`leaf ${receipt.index} cannot be in a tree of size ${checkpoint.size}`)
      const leaf = leafHash(receipt.entry)
      if (!verifyInclusion(receipt.index, checkpoint.size, leaf, receipt.proof, checkpoint.rootHash)) {
        return invalid(`the inclusion proof does not lead from leaf ${receipt.index} to the checkpoint's root: the entry or the proof was altered`)
      }
      let leafJson: unknown = null
      try {
        leafJson = JSON.parse(receipt.entry.toString('utf8'))
      } catch { /* the entry need not be JSON for the proof to hold */ }
      let shown = leafJson
      if (opening !== null) {
        if (!isSealed(leafJson)) return unusable('--opening was given, but the entry is not sealed: it is the full entry already')
        if (sealOf(opening) !== leafJson.sealed) return invalid('the opening does not hash to the entry\'s seal: it is not the entry the log holds')
        shown = JSON.parse(opening)
      }
      const e = (shown ?? {}) as { submissionId?: string; kind?: string; signature?: { by?: string }; seq?: number }
      const summary = isSealed(shown) ? ` (sealed: a non-public submission, seq ${shown.seq}; --opening checks its full entry)`
        : shown === null ? '' : ` (submission ${e.submissionId ?? '?'}, ${e.kind ?? '?'}, signed by the ${e.signature?.by ?? '?'}${opening !== null ? '; the opening matches the seal' : ''})`
      ctx.out(`valid: ${file}`)
      ctx.out(`  entry at leaf ${receipt.index}${summary}, leaf hash ${leaf.toString('base64')}`)
      ctx.out(`  included in the tree of size ${checkpoint.size} (${receipt.proof.length} proof hashes)`)
      for (const line of check.lines) ctx.out(line)
      return 0
    },
  },
}
