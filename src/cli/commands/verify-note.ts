// `truce verify note`: check, offline, a signed note or checkpoint against the keys a party has
// pinned, and count the witnesses that cosigned it. Exit 0 valid, 1 invalid, 2 unusable input;
// a failure says why, and malformed input names its line, never with a stack trace.
import { readFile } from 'node:fs/promises'
import { parseCheckpoint, type Checkpoint } from '../../modules/log/checkpoint.ts'
import { cosignatureTime, NoteError, openNote, parseNote, verifierFromVkey, type NoteVerifier, type VkeyVerifier } from '../../modules/log/note.ts'
import { UsageError, type Command } from '../command.ts'

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [])
const id = (v: NoteVerifier) => `${v.name}+${v.keyHash.toString(16).padStart(8, '0')}`

function verifiers(flag: string, vkeys: string[]): VkeyVerifier[] {
  return vkeys.map((vkey, i) => {
    try {
      return verifierFromVkey(vkey)
    } catch (e) {
      if (e instanceof NoteError) throw new UsageError(`--${flag} #${i + 1}: ${e.message}`)
      throw e
    }
  })
}

async function readInput(file: string): Promise<Buffer> {
  if (file !== '-') return readFile(file)
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export type NoteCheck =
  | { status: 0; lines: string[]; checkpoint: Checkpoint | null }
  | { status: 1 | 2; message: string }

/**
 * Checks a signed note against pinned keys and witnesses: 0 valid (with what to print), 1 not
 * valid, 2 unusable. Shared by `verify note` and `verify receipt`, whose last part is a note.
 */
export function checkSignedNote(note: string, keys: readonly VkeyVerifier[], witnesses: readonly VkeyVerifier[], minimum: number): NoteCheck {
  let text: string
  try {
    text = parseNote(note).text
  } catch (e) {
    if (e instanceof NoteError) return { status: 2, message: e.message }
    throw e
  }
  let checkpoint: Checkpoint | null = null
  let notCheckpoint = ''
  try {
    checkpoint = parseCheckpoint(text)
  } catch (e) {
    if (!(e instanceof NoteError)) throw e
    notCheckpoint = e.message
    if (witnesses.length > 0) return { status: 2, message: `witness cosignatures are over checkpoints, and this is not one: ${e.message}` }
  }

  let opened
  try {
    opened = openNote(note, [...keys, ...witnesses])
  } catch (e) {
    if (e instanceof NoteError) return { status: 1, message: e.message }
    throw e
  }
  const signers = opened.signatures.filter((s) => s.verifiedBy && keys.includes(s.verifiedBy as VkeyVerifier))
  if (signers.length === 0) return { status: 1, message: `not signed by any --vkey key (${keys.map(id).join(', ')})` }
  const cosigners = opened.signatures.filter((s) => s.verifiedBy && witnesses.includes(s.verifiedBy as VkeyVerifier))
  const distinct = new Set(cosigners.map((s) => s.verifiedBy))
  if (distinct.size < minimum) {
    return {
      status: 1,
      message: `cosigned by ${distinct.size} of the ${witnesses.length} witnesses given, ${minimum} required` +
        (distinct.size ? ` (${[...distinct].map((w) => id(w!)).join(', ')})` : ''),
    }
  }

  const lines: string[] = []
  for (const s of signers) lines.push(`  signed by ${id(s.verifiedBy!)}`)
  if (checkpoint) {
    lines.push(`  checkpoint: origin ${checkpoint.origin}, size ${checkpoint.size}, root ${checkpoint.rootHash.toString('base64')}` +
      (checkpoint.extensions.length ? `, ${checkpoint.extensions.length} extension line(s)` : ''))
  } else {
    lines.push(`  not a checkpoint (${notCheckpoint}): the note text is ${text.length} characters`)
  }
  const now = Date.now() / 1000
  for (const s of cosigners) {
    let when: string
    try {
      const t = cosignatureTime(s.signature)
      when = `${new Date(t * 1000).toISOString()}${t > now + 600 ? ' (in the future: check the witness clock)' : ''}`
    } catch {
      when = 'a time too far in the future to show'
    }
    lines.push(`  cosigned by ${id(s.verifiedBy!)} at ${when}`)
  }
  if (witnesses.length > 0) lines.push(`  ${distinct.size} of ${witnesses.length} witnesses cosigned (${minimum} required)`)
  const ignored = opened.signatures.filter((s) => !s.verifiedBy)
  if (ignored.length > 0) lines.push(`  ignored ${ignored.length} signature(s) by keys not given: ${ignored.map((s) => `${s.name}+${s.keyHash.toString(16).padStart(8, '0')}`).join(', ')}`)
  return { status: 0, lines, checkpoint }
}

/** --vkey, --witness and --min-witnesses, as both verify commands take them. */
export function keyOptions(values: Record<string, unknown>): { keys: VkeyVerifier[]; witnesses: VkeyVerifier[]; minimum: number } {
  const keys = verifiers('vkey', list(values.vkey))
  if (keys.length === 0) throw new UsageError('--vkey is required: the key that must have signed the note')
  const witnesses = verifiers('witness', list(values.witness))
  for (const w of witnesses) if (w.type !== 'cosignature/v1') throw new UsageError(`--witness ${w.vkey}: not a cosignature/v1 key (type 0x04)`)
  let minimum = witnesses.length
  if (values['min-witnesses'] !== undefined) {
    const raw = String(values['min-witnesses'])
    minimum = /^[0-9]+$/.test(raw) ? Number(raw) : NaN
    if (!Number.isSafeInteger(minimum) || minimum > witnesses.length) {
      throw new UsageError(`--min-witnesses must be a whole number from 0 to the number of --witness keys (${witnesses.length})`)
    }
  }
  return { keys, witnesses, minimum }
}

/** A file (or - for standard input) as UTF-8 text, or why it cannot be read. */
export async function readText(file: string): Promise<{ text: string } | { problem: string }> {
  let bytes: Buffer
  try {
    bytes = await readInput(file)
  } catch (e) {
    return { problem: `cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})` }
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) }
  } catch {
    return { problem: 'not valid UTF-8' }
  }
}

export const KEY_OPTIONS = { vkey: { type: 'string', multiple: true }, witness: { type: 'string', multiple: true }, 'min-witnesses': { type: 'string' } } as const

export const VERIFY_NOTE_COMMANDS: Record<string, Command> = {
  'verify note': {
    summary: 'Verify a signed note or checkpoint, with its witness cosignatures',
    usage: [
      'truce verify note FILE --vkey VKEY [--vkey …] [--witness VKEY …] [--min-witnesses K]',
      '',
      'FILE is a C2SP signed note (a checkpoint, usually), or - for standard input. --vkey: a key that',
      'must have signed it (name+keyid+key). --witness: a cosignature/v1 witness key; with witnesses,',
      'the note must be a checkpoint cosigned by at least K of them (default: all of them).',
      'Exit status: 0 valid, 1 invalid, 2 unusable input. See docs/VERIFYING.md.',
    ].join('\n'),
    options: { ...KEY_OPTIONS },
    async run(values, positionals, ctx) {
      if (positionals.length !== 1) throw new UsageError('give exactly one FILE (or - for standard input)')
      const file = positionals[0]!
      const { keys, witnesses, minimum } = keyOptions(values)
      const read = await readText(file)
      if ('problem' in read) { ctx.err(`unusable: ${file}: ${read.problem}`); return 2 }
      const check = checkSignedNote(read.text, keys, witnesses, minimum)
      if (check.status !== 0) { ctx.err(`${check.status === 1 ? 'invalid' : 'unusable'}: ${file}: ${check.message}`); return check.status }
      ctx.out(`valid: ${file}`)
      for (const line of check.lines) ctx.out(line)
      return 0
    },
  },
}
