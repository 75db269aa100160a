// Checking the verifiable log in the reader's own browser, with WebCrypto only, so that nothing
// the server says is taken on trust: (a) an entry hashes to its leaf hash, RFC 9162 §2.1.1;
// (b) the inclusion proof leads from that hash to the root a checkpoint commits to, §2.1.3.2;
// (c) the checkpoint (a C2SP signed note) is signed by the log's key, given as a C2SP vkey;
// (d) for a sealed entry (a non-public submission), the full entry hashes to the seal;
// (e) a log key rotation, from the key the reader pinned, is signed by both keys.
//
// Every check returns a result saying what failed and with which values, never throws for bad
// input: the page turns the reason into a sentence. No React here, and nothing but
// `globalThis.crypto.subtle`, so the same code runs in Node's tests. Index arithmetic uses
// Math.floor and %, never the 32-bit bitwise operators, so sizes up to 2^53−1 stay exact.

/** Bytes backed by a plain ArrayBuffer, which is what WebCrypto accepts. */
export type Bytes = Uint8Array<ArrayBuffer>

export const HASH_SIZE = 32
/** Signature type bytes of C2SP signed-note keys. */
export const KEY_TYPES = { ed25519: 0x01, cosignature: 0x04 } as const
export type KeyType = keyof typeof KEY_TYPES

const ED25519_SIGNATURE = 64
/** A cosignature/v1 signature: 8-byte big-endian Unix time, then the Ed25519 signature. */
const COSIGNATURE = 72
const EM_DASH_PREFIX = '\u2014 '
const MAX_SIGNATURES = 100

const utf8 = new TextEncoder()

// ——— bytes ———

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** Standard base64 with padding (RFC 4648 §4). */
export function encodeBase64(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!
    const b = bytes[i + 1]
    const c = bytes[i + 2]
    const n = a * 65536 + (b ?? 0) * 256 + (c ?? 0)
    out += ALPHABET[Math.floor(n / 262144) % 64]! + ALPHABET[Math.floor(n / 4096) % 64]!
    out += b === undefined ? '=' : ALPHABET[Math.floor(n / 64) % 64]!
    out += c === undefined ? '=' : ALPHABET[n % 64]!
  }
  return out
}

/**
 * Standard base64 with padding, decoded strictly: any other character, missing padding or
 * non-zero trailing bits make it null, so one string names one byte sequence only.
 * @example decodeBase64('AAE=') // Uint8Array [0, 1]
 */
export function decodeBase64(text: string): Bytes | null {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return null
  const body = text.replace(/=+$/, '')
  const out = new Uint8Array(Math.floor((body.length * 3) / 4))
  let bits = 0
  let value = 0
  let at = 0
  for (const ch of body) {
    value = value * 64 + ALPHABET.indexOf(ch)
    bits += 6
    if (bits >= 8) {
      bits -= 8
      const p = 2 ** bits
      out[at++] = Math.floor(value / p)
      value %= p
    }
  }
  // The bits left over must be zero, or two strings would decode to the same bytes.
  return value === 0 ? out : null
}

export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function concat(...parts: readonly Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** The first four bytes as a big-endian unsigned integer. */
const uint32 = (b: Uint8Array): number => ((b[0]! * 256 + b[1]!) * 256 + b[2]!) * 256 + b[3]!

/** A key ID as vkeys write it: 8 lowercase hex digits. */
export const keyIdHex = (keyHash: number): string => keyHash.toString(16).padStart(8, '0')

// ——— hashing (RFC 9162 §2.1.1) ———

export async function sha256(...parts: readonly Uint8Array[]): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', concat(...parts)))
}

/** SHA-256(0x00 ‖ entry): the hash of a leaf. */
export const leafHash = (entry: Uint8Array): Promise<Bytes> => sha256(Uint8Array.of(0x00), entry)

/** SHA-256(0x01 ‖ left ‖ right): the hash of an interior node. */
export const nodeHash = (left: Uint8Array, right: Uint8Array): Promise<Bytes> => sha256(Uint8Array.of(0x01), left, right)

/** The exact bytes a log entry's leaf hash covers: the UTF-8 of its canonical JSON text. */
export const entryBytes = (entry: string): Bytes => utf8.encode(entry)

// ——— formats: vkeys, signed notes, checkpoints ———

/**
 * What is wrong with a vkey, a note or a checkpoint, as a stable code the page translates;
 * `line` (1-based, in the note) says where, when there is a where.
 */
export type FormatProblem =
  | 'vkey_format' | 'vkey_type' | 'vkey_length' | 'vkey_key_id' | 'vkey_rejected'
  | 'note_format' | 'checkpoint_format'

export class LogFormatError extends Error {
  readonly problem: FormatProblem
  readonly line: number | undefined
  constructor(problem: FormatProblem, message: string, line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`)
    this.name = 'LogFormatError'
    this.problem = problem
    this.line = line
  }
}

const isKeyName = (name: string): boolean => name.length > 0 && !/[\s+]/u.test(name)

/** Key ID = first four bytes, big-endian, of SHA-256(name ‖ "\n" ‖ type ‖ public key). */
export async function noteKeyHash(name: string, type: number, publicKey: Uint8Array): Promise<number> {
  return uint32(await sha256(utf8.encode(`${name}\n`), Uint8Array.of(type), publicKey))
}

export type Vkey = { text: string; name: string; keyHash: number; type: KeyType; publicKey: Bytes }

/**
 * Reads a C2SP verifier key `name+keyid+base64(type ‖ public key)`, checking that its key ID
 * matches its name and key (so a vkey altered anywhere is refused). Throws LogFormatError.
 * @example await parseVkey('truce.localhost/log+1a2b3c4d+AX…')
 */
export async function parseVkey(vkey: string): Promise<Vkey> {
  const text = vkey.trim()
  // The name holds no "+" and the key ID is hex, so the first two "+" split it; base64 may hold more.
  const first = text.indexOf('+')
  const second = first < 0 ? -1 : text.indexOf('+', first + 1)
  if (second < 0) throw new LogFormatError('vkey_format', 'expected name+keyid+key')
  const name = text.slice(0, first)
  const id = text.slice(first + 1, second)
  const key = decodeBase64(text.slice(second + 1))
  if (!isKeyName(name)) throw new LogFormatError('vkey_format', 'the key name is empty or holds white space')
  if (!/^[0-9a-f]{8}$/.test(id)) throw new LogFormatError('vkey_format', 'the key ID is not 8 lowercase hex digits')
  if (!key || key.length < 2) throw new LogFormatError('vkey_format', 'the key is not base64')
  const typeByte = key[0]!
  const type = typeByte === KEY_TYPES.ed25519 ? 'ed25519' : typeByte === KEY_TYPES.cosignature ? 'cosignature' : null
  if (type === null) throw new LogFormatError('vkey_type', `signature type 0x${typeByte.toString(16).padStart(2, '0')} is not Ed25519`)
  const publicKey = key.slice(1)
  if (publicKey.length !== 32) throw new LogFormatError('vkey_length', `an Ed25519 public key is 32 bytes, got ${publicKey.length}`)
  const keyHash = await noteKeyHash(name, typeByte, publicKey)
  if (keyIdHex(keyHash) !== id) throw new LogFormatError('vkey_key_id', `key ID ${id} does not match the name and key (expected ${keyIdHex(keyHash)})`)
  return { text, name, keyHash, type, publicKey }
}

export type NoteSignature = { name: string; keyHash: number; signature: Bytes }
export type SignedNote = { text: string; signatures: NoteSignature[] }

/**
 * Splits a C2SP signed note into its text (everything before the last blank line, with its final
 * newline: the signed message) and its signature lines. Syntax only; nothing is verified here.
 */
export function parseSignedNote(note: string): SignedNote {
  const lines = note.split('\n')
  for (let i = 0; i < lines.length; i++) {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0009\u000b-\u001f]/.test(lines[i]!)) throw new LogFormatError('note_format', 'contains a control character', i + 1)
  }
  if (!note.endsWith('\n')) throw new LogFormatError('note_format', 'the last line does not end with a newline', lines.length)
  const split = note.lastIndexOf('\n\n')
  if (split < 0) throw new LogFormatError('note_format', 'no blank line before the signatures')
  const text = note.slice(0, split + 1)
  const block = note.slice(split + 2)
  const firstSigLine = text.split('\n').length + 1
  if (block === '') throw new LogFormatError('note_format', 'no signature lines after the blank line', firstSigLine)
  const sigLines = block.slice(0, -1).split('\n')
  if (sigLines.length > MAX_SIGNATURES) throw new LogFormatError('note_format', `more than ${MAX_SIGNATURES} signatures`, firstSigLine + MAX_SIGNATURES)
  const signatures = sigLines.map((line, i): NoteSignature => {
    const lineNo = firstSigLine + i
    if (!line.startsWith(EM_DASH_PREFIX)) throw new LogFormatError('note_format', 'a signature line starts with "— " (em dash, space)', lineNo)
    const rest = line.slice(EM_DASH_PREFIX.length)
    const space = rest.indexOf(' ')
    const name = space < 0 ? '' : rest.slice(0, space)
    if (!isKeyName(name)) throw new LogFormatError('note_format', 'a signature line is "— <key name> <base64 signature>"', lineNo)
    const bytes = decodeBase64(rest.slice(space + 1))
    if (!bytes || bytes.length < 5) throw new LogFormatError('note_format', `the signature of ${name} is not base64 of a key ID and a signature`, lineNo)
    return { name, keyHash: uint32(bytes), signature: bytes.slice(4) }
  })
  return { text, signatures }
}

export type Checkpoint = { origin: string; size: number; rootHash: Bytes; extensions: string[] }

/** Reads a C2SP checkpoint note text: origin, decimal tree size, base64 root hash, extension lines. */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new LogFormatError('checkpoint_format', 'a checkpoint ends with a newline')
  const lines = text.slice(0, -1).split('\n')
  const [origin, sizeLine, rootLine, ...extensions] = lines
  if (!origin) throw new LogFormatError('checkpoint_format', 'the origin is missing', 1)
  if (sizeLine === undefined || !/^(0|[1-9][0-9]*)$/.test(sizeLine) || !Number.isSafeInteger(Number(sizeLine))) {
    throw new LogFormatError('checkpoint_format', 'the tree size is not a decimal number', 2)
  }
  const rootHash = rootLine === undefined ? null : decodeBase64(rootLine)
  if (!rootHash || rootHash.length !== HASH_SIZE) throw new LogFormatError('checkpoint_format', 'the root hash is not a base64 SHA-256 hash', 3)
  extensions.forEach((e, i) => {
    if (e === '') throw new LogFormatError('checkpoint_format', 'an extension line is empty', 4 + i)
  })
  return { origin, size: Number(sizeLine), rootHash, extensions }
}

/** A signature line as a reader sees it: who, and for a witness's cosignature, when. */
export type Signer = {
  name: string
  keyId: string
  kind: 'signature' | 'cosignature' | 'other'
  /** For a cosignature/v1: when the witness cosigned, in Unix seconds. */
  time: number | null
}

/** Who signed a note, from the signature lengths: 64 bytes is Ed25519, 72 a timestamped cosignature/v1. */
export function describeSigners(note: SignedNote): Signer[] {
  return note.signatures.map((s) => {
    const kind = s.signature.length === ED25519_SIGNATURE ? 'signature' : s.signature.length === COSIGNATURE ? 'cosignature' : 'other'
    let time: number | null = null
    if (kind === 'cosignature') {
      const t = new DataView(s.signature.buffer, s.signature.byteOffset, 8).getBigUint64(0)
      time = t <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(t) : null
    }
    return { name: s.name, keyId: keyIdHex(s.keyHash), kind, time }
  })
}

// ——— (a) the leaf ———

export type LeafCheck =
  | { ok: true; leafHash: string }
  | { ok: false; reason: 'leaf_mismatch'; computed: string; claimed: string }
  | { ok: false; reason: 'malformed_leaf_hash'; computed: string; claimed: string }

/** Whether SHA-256(0x00 ‖ entry) is the leaf hash the log gave for the entry. */
export async function checkLeaf(entry: string, claimedLeafHash: string): Promise<LeafCheck> {
  const computed = encodeBase64(await leafHash(entryBytes(entry)))
  const claimed = decodeBase64(claimedLeafHash)
  if (!claimed || claimed.length !== HASH_SIZE) return { ok: false, reason: 'malformed_leaf_hash', computed, claimed: claimedLeafHash }
  return computed === encodeBase64(claimed) ? { ok: true, leafHash: computed } : { ok: false, reason: 'leaf_mismatch', computed, claimed: claimedLeafHash }
}

// ——— (d) a sealed entry's opening ———

export type OpeningCheck =
  | { sealed: false }
  | { sealed: true; ok: true; seal: string }
  | { sealed: true; ok: false; reason: 'missing' }
  | { sealed: true; ok: false; reason: 'seal_mismatch'; computed: string; seal: string }

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

/**
 * A non-public submission's leaf is sealed, `{"sealed":…,"seq":…,"v":1}`: the log holds only the
 * SHA-256 (hex) of its full entry. The full entry (the opening) reaches only readers entitled to
 * the submission; it is the entry they read only if it hashes to the seal.
 */
export async function checkOpening(entry: string, opening: string | null): Promise<OpeningCheck> {
  let leaf: unknown
  try {
    leaf = JSON.parse(entry)
  } catch {
    return { sealed: false }
  }
  const seal = typeof leaf === 'object' && leaf !== null ? (leaf as { sealed?: unknown }).sealed : undefined
  if (typeof seal !== 'string') return { sealed: false }
  if (opening === null) return { sealed: true, ok: false, reason: 'missing' }
  const computed = hex(await sha256(utf8.encode(opening)))
  return computed === seal ? { sealed: true, ok: true, seal } : { sealed: true, ok: false, reason: 'seal_mismatch', computed, seal }
}

// ——— (b) the inclusion proof ———

export type InclusionCheck =
  | { ok: true; root: string; treeSize: number }
  | { ok: false; reason: 'root_mismatch'; computed: string; expected: string }
  | { ok: false; reason: 'wrong_proof_length'; leafIndex: number; treeSize: number; length: number }
  | { ok: false; reason: 'index_out_of_range'; leafIndex: number; treeSize: number }
  | { ok: false; reason: 'malformed_proof'; position: number }
  | { ok: false; reason: 'tree_size_mismatch'; proofSize: number; checkpointSize: number }
  | { ok: false; reason: 'unreadable_checkpoint' }

const isOdd = (n: number) => n % 2 === 1
const half = (n: number) => Math.floor(n / 2)

/**
 * RFC 9162 §2.1.3.2: the root that `proof` leads to from the leaf at `leafIndex` in the tree of
 * `treeSize`, or null when the proof has too few or too many hashes for that position.
 */
export async function rootFromInclusionProof(leafIndex: number, treeSize: number, leaf: Uint8Array, proof: readonly Uint8Array[]): Promise<Bytes | null> {
  let fn = leafIndex
  let sn = treeSize - 1
  let r: Bytes = concat(leaf)
  for (const p of proof) {
    if (sn === 0) return null
    if (isOdd(fn) || fn === sn) {
      r = await nodeHash(p, r)
      if (!isOdd(fn)) while (!isOdd(fn) && fn !== 0) { fn = half(fn); sn = half(sn) }
    } else {
      r = await nodeHash(r, p)
    }
    fn = half(fn)
    sn = half(sn)
  }
  return sn === 0 ? r : null
}

export type InclusionInput = {
  leafIndex: number
  /** The tree size the proof is for. */
  treeSize: number
  /** The leaf's hash: the one computed from the entry, not one the server states. */
  leafHash: Uint8Array
  /** Base64 hashes, bottom up, as the API gives them. */
  proof: readonly string[]
  /** The tree the proof must lead into: size and root, from the checkpoint. */
  checkpoint: { size: number; rootHash: Uint8Array }
}

/** Whether the proof leads from the leaf hash to the checkpoint's root. */
export async function checkInclusion(input: InclusionInput): Promise<InclusionCheck> {
  const { leafIndex, treeSize, checkpoint } = input
  if (treeSize !== checkpoint.size) return { ok: false, reason: 'tree_size_mismatch', proofSize: treeSize, checkpointSize: checkpoint.size }
  if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= treeSize) {
    return { ok: false, reason: 'index_out_of_range', leafIndex, treeSize }
  }
  const hashes: Bytes[] = []
  for (const [i, text] of input.proof.entries()) {
    const h = decodeBase64(text)
    if (!h || h.length !== HASH_SIZE) return { ok: false, reason: 'malformed_proof', position: i + 1 }
    hashes.push(h)
  }
  const root = await rootFromInclusionProof(leafIndex, treeSize, input.leafHash, hashes)
  if (!root) return { ok: false, reason: 'wrong_proof_length', leafIndex, treeSize, length: hashes.length }
  const expected = encodeBase64(checkpoint.rootHash)
  const computed = encodeBase64(root)
  return computed === expected ? { ok: true, root: computed, treeSize } : { ok: false, reason: 'root_mismatch', computed, expected }
}

// ——— (c) the checkpoint's signature ———

export type SignatureCheck =
  | { ok: true; keyName: string; keyId: string }
  | { ok: false; reason: 'bad_vkey'; problem: FormatProblem }
  | { ok: false; reason: 'not_a_log_key' }
  | { ok: false; reason: 'unreadable_note'; problem: FormatProblem; line: number | undefined }
  | { ok: false; reason: 'not_signed_by_key'; keyName: string; keyId: string; signers: string[] }
  | { ok: false; reason: 'invalid_signature'; keyName: string; keyId: string }
  | { ok: false; reason: 'unsupported' }

async function importEd25519(publicKey: Bytes): Promise<CryptoKey | 'unsupported' | 'rejected'> {
  try {
    return await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify'])
  } catch (e) {
    // NotSupportedError: this WebCrypto has no Ed25519; anything else: it refused these bytes.
    return e instanceof Error && e.name === 'NotSupportedError' ? 'unsupported' : 'rejected'
  }
}

/**
 * Whether the note is signed by the log key `vkey`, by the C2SP signed-note rules: at least one
 * signature line must be by that key (same name and key ID), and every one that is must verify.
 * Lines by other keys (witnesses') are not this check's business.
 */
export async function checkNoteSignature(note: string, vkey: string): Promise<SignatureCheck> {
  let key: Vkey
  try {
    key = await parseVkey(vkey)
  } catch (e) {
    return { ok: false, reason: 'bad_vkey', problem: e instanceof LogFormatError ? e.problem : 'vkey_format' }
  }
  if (key.type !== 'ed25519') return { ok: false, reason: 'not_a_log_key' }
  let parsed: SignedNote
  try {
    parsed = parseSignedNote(note)
  } catch (e) {
    return e instanceof LogFormatError
      ? { ok: false, reason: 'unreadable_note', problem: e.problem, line: e.line }
      : { ok: false, reason: 'unreadable_note', problem: 'note_format', line: undefined }
  }
  const keyId = keyIdHex(key.keyHash)
  const mine = parsed.signatures.filter((s) => s.name === key.name && s.keyHash === key.keyHash)
  if (mine.length === 0) {
    const signers = [...new Set(parsed.signatures.map((s) => `${s.name}+${keyIdHex(s.keyHash)}`))]
    return { ok: false, reason: 'not_signed_by_key', keyName: key.name, keyId, signers }
  }
  const cryptoKey = await importEd25519(key.publicKey)
  if (cryptoKey === 'unsupported') return { ok: false, reason: 'unsupported' }
  if (cryptoKey === 'rejected') return { ok: false, reason: 'bad_vkey', problem: 'vkey_rejected' }
  const message = utf8.encode(parsed.text)
  for (const s of mine) {
    const valid = s.signature.length === ED25519_SIGNATURE && await crypto.subtle.verify({ name: 'Ed25519' }, cryptoKey, s.signature, message)
    if (!valid) return { ok: false, reason: 'invalid_signature', keyName: key.name, keyId }
  }
  return { ok: true, keyName: key.name, keyId }
}

// ——— (e) a log key rotation ———

/** A rotation as GET /api/log/keys lists it: the note is what counts, the fields only say where to look. */
export type StoredRotation = { fromVkey: string; toVkey: string; atSize: number; note: string }

export type RotationStep = { from: string; to: string; size: number }
export type RotationCheck =
  | { ok: true; steps: RotationStep[] }
  | { ok: false; reason: 'no_chain' }
  | { ok: false; reason: 'bad_rotation'; from: string; why: 'not_a_rotation' | 'not_signed_by_old_key' | 'not_signed_by_new_key' }

const ROTATION_HEADER = 'truce.log/key-rotation/v1'

/** The rotation a note's text states, or null when it is not one (truce.log/key-rotation/v1, 6 lines). */
function readRotation(note: string): { origin: string; size: number; from: string; to: string } | null {
  let text: string
  try {
    text = parseSignedNote(note).text
  } catch {
    return null
  }
  const lines = text.split('\n')
  if (lines.length !== 7 || lines[0] !== ROTATION_HEADER || lines[6] !== '') return null
  const size = /^(0|[1-9][0-9]*)$/.test(lines[2]!) ? Number(lines[2]) : NaN
  const from = /^from (\S+)$/.exec(lines[4]!)
  const to = /^to (\S+)$/.exec(lines[5]!)
  if (!Number.isSafeInteger(size) || !from || !to) return null
  return { origin: lines[1]!, size, from: from[1]!, to: to[1]! }
}

/**
 * Whether the log handed over from the key the reader pinned to `served`, along rotations each
 * of which states that step in its own signed text and is signed by BOTH keys, checked here with
 * WebCrypto. The server's list only says where to look: nothing in it is trusted unsigned.
 */
export async function followRotation(pinned: string, served: string, rotations: readonly StoredRotation[]): Promise<RotationCheck> {
  const steps: RotationStep[] = []
  let at = pinned
  for (let i = 0; i <= rotations.length && at !== served; i++) {
    const next = rotations.find((r) => readRotation(r.note)?.from === at)
    if (!next) return { ok: false, reason: 'no_chain' }
    const stated = readRotation(next.note)!
    if ((await checkNoteSignature(next.note, stated.from)).ok !== true) return { ok: false, reason: 'bad_rotation', from: at, why: 'not_signed_by_old_key' }
    if ((await checkNoteSignature(next.note, stated.to)).ok !== true) return { ok: false, reason: 'bad_rotation', from: at, why: 'not_signed_by_new_key' }
    steps.push({ from: stated.from, to: stated.to, size: stated.size })
    at = stated.to
  }
  return at === served && steps.length > 0 ? { ok: true, steps } : { ok: false, reason: 'no_chain' }
}

// ——— all together ———

/** The checkpoint a signed note holds, or null when it is not one (signatures unchecked). */
export function readCheckpoint(note: string): Checkpoint | null {
  try {
    return parseCheckpoint(parseSignedNote(note).text)
  } catch {
    return null
  }
}

export type EntryEvidence = {
  /** The leaf's canonical JSON text, as the API gives it. */
  entry: string
  /** For a sealed leaf, the full entry it commits to, when the reader may see it; else null. */
  opening?: string | null
  leafIndex: number
  /** The leaf hash the log states for the entry (base64). */
  leafHash: string
  /** The inclusion proof as the API gives it. */
  proof: { treeSize: number; proof: readonly string[] }
  /** The signed checkpoint note, as /log/checkpoint serves it. */
  checkpoint: string
  /** The log key to check the checkpoint with: the reader's pinned one, or the server's. */
  vkey: string
}

export type EntryVerification = { leaf: LeafCheck; inclusion: InclusionCheck; signature: SignatureCheck; opening: OpeningCheck }

/** Whether every check that applies passed. */
export const allPassed = (r: EntryVerification): boolean =>
  r.leaf.ok && r.inclusion.ok && r.signature.ok && (!r.opening.sealed || r.opening.ok)

/**
 * The checks, each on its own: the proof starts from the hash computed from the entry's bytes,
 * so an altered entry fails (a) and (b); a wrong proof fails (b); a checkpoint the key did not
 * sign fails (c); an opening that is not the sealed entry fails (d).
 */
export async function verifyEntry(evidence: EntryEvidence): Promise<EntryVerification> {
  const leaf = await checkLeaf(evidence.entry, evidence.leafHash)
  const checkpoint = readCheckpoint(evidence.checkpoint)
  const inclusion: InclusionCheck = checkpoint === null
    ? { ok: false, reason: 'unreadable_checkpoint' }
    : await checkInclusion({
      leafIndex: evidence.leafIndex,
      treeSize: evidence.proof.treeSize,
      leafHash: await leafHash(entryBytes(evidence.entry)),
      proof: evidence.proof.proof,
      checkpoint,
    })
  const signature = await checkNoteSignature(evidence.checkpoint, evidence.vkey)
  const opening = await checkOpening(evidence.entry, evidence.opening ?? null)
  return { leaf, inclusion, signature, opening }
}
