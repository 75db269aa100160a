// C2SP signed notes (c2sp.org/signed-note): text followed by a blank line and one signature line
// per key, "— <name> base64(key ID ‖ signature)". Checkpoints and witness cosignatures are notes,
// and verifier keys ("vkeys") are how a party pins the keys it trusts.
//
// Parsing is strict on purpose: a note that any other implementation might read differently is
// rejected with the line that made it ambiguous, rather than guessed at.
import { createHash, createPublicKey, sign as cryptoSign, type KeyObject } from 'node:crypto'
import { ed25519PublicKeyProblem, ed25519PublicKeyObject, rawEd25519PublicKey, verifyEd25519 } from '../../lib/ed25519.ts'

/** A note, key or signature that cannot be read. `line` (1-based, within the note) says where. */
export class NoteError extends Error {
  readonly line?: number
  constructor(message: string, line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`)
    this.name = 'NoteError'
    if (line !== undefined) this.line = line
  }
}

export type NoteSigner = {
  name: string
  /** The uint32 key ID that prefixes each signature. */
  keyHash: number
  /** Signs the note text; returns the signature bytes without the key ID. */
  sign(message: Uint8Array): Buffer
}

export type NoteVerifier = {
  name: string
  keyHash: number
  verify(message: Uint8Array, signature: Uint8Array): boolean
}

/** Signature type identifier bytes (signed-note §Signature types) that Truce reads. */
export const SIGNATURE_TYPES = { ed25519: 0x01, 'cosignature/v1': 0x04 } as const
export type SignatureType = keyof typeof SIGNATURE_TYPES

/** What verifierFromVkey returns: a NoteVerifier that also says which key it holds. */
export type VkeyVerifier = NoteVerifier & { type: SignatureType; publicKey: Buffer; vkey: string }

export type NoteSignature = { name: string; keyHash: number; signature: Buffer }
export type OpenedNote = {
  text: string
  /** Every distinct signature line, in order; `verifiedBy` is null for keys the caller did not give. */
  signatures: (NoteSignature & { verifiedBy: NoteVerifier | null })[]
}

/** Verifiers must accept at least 16 signatures; Go's sumdb/note stops at 100, and so do we. */
export const MAX_SIGNATURES = 100

const EM_DASH_PREFIX = '\u2014 '
const enc = new TextEncoder()

/** Key names: non-empty, no Unicode white space, no "+". */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && name.isWellFormed() && !/[\p{White_Space}+]/u.test(name)
}

/**
 * Standard base64 (RFC 4648 §4) with padding, decoded strictly: Buffer.from would skip stray
 * characters and accept non-zero trailing bits, so two different strings could name the same bytes.
 */
export function decodeBase64Strict(text: string): Buffer | null {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return null
  const bytes = Buffer.from(text, 'base64')
  return bytes.toString('base64') === text ? bytes : null
}

/** Key ID = first four bytes, big-endian, of SHA-256(name ‖ "\n" ‖ type ‖ public key). */
export function noteKeyHash(name: string, type: number, publicKey: Uint8Array): number {
  const digest = createHash('sha256').update(name).update('\n').update(Uint8Array.of(type)).update(publicKey).digest()
  return digest.readUInt32BE(0)
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0')

/**
 * The verifier key text a party pins: `name+hex(key ID)+base64(type ‖ public key)`.
 * @example vkeyOf('truce.example/log', raw) // "truce.example/log+1a2b3c4d+AX…"
 */
export function vkeyOf(name: string, publicKeyRaw: Uint8Array, type: SignatureType = 'ed25519'): string {
  if (!isValidKeyName(name)) throw new NoteError(`key name "${name}" is empty or contains a space or "+"`)
  if (publicKeyRaw.length !== 32) throw new NoteError(`an Ed25519 public key is 32 bytes, got ${publicKeyRaw.length}`)
  const typeByte = SIGNATURE_TYPES[type]
  const key = Buffer.concat([Uint8Array.of(typeByte), publicKeyRaw])
  return `${name}+${hex8(noteKeyHash(name, typeByte, publicKeyRaw))}+${key.toString('base64')}`
}

/**
 * Reads a vkey. Accepts Ed25519 (type 0x01) and cosignature/v1 (type 0x04) keys, and rejects the
 * rest, a key ID that does not match, and public keys our Ed25519 policy refuses (docs/VERIFYING.md).
 */
export function verifierFromVkey(vkey: string): VkeyVerifier {
  const text = vkey.trim()
  // The name holds no "+" and the key ID is hex, so the first two "+" split the fields; the base64 key may hold more.
  const first = text.indexOf('+')
  const second = first < 0 ? -1 : text.indexOf('+', first + 1)
  if (second < 0) throw new NoteError('vkey: expected name+keyid+key (three fields separated by "+")')
  const name = text.slice(0, first), id = text.slice(first + 1, second), key64 = text.slice(second + 1)
  if (!isValidKeyName(name)) throw new NoteError(`vkey: key name "${name}" is empty or contains white space`)
  if (!/^[0-9a-f]{8}$/.test(id)) throw new NoteError(`vkey: key ID "${id}" is not 8 lowercase hex digits`)
  const key = decodeBase64Strict(key64)
  if (!key || key.length < 2) throw new NoteError('vkey: the key field is not valid base64')
  const typeByte = key[0]!
  const publicKey = key.subarray(1)
  const type = (Object.keys(SIGNATURE_TYPES) as SignatureType[]).find((t) => SIGNATURE_TYPES[t] === typeByte)
  if (!type) throw new NoteError(`vkey: signature type 0x${typeByte.toString(16).padStart(2, '0')} is not supported (Ed25519 0x01 and cosignature/v1 0x04 are)`)
  if (publicKey.length !== 32) throw new NoteError(`vkey: an Ed25519 public key is 32 bytes, got ${publicKey.length}`)
  const keyHash = noteKeyHash(name, typeByte, publicKey)
  if (keyHash !== Number.parseInt(id, 16)) throw new NoteError(`vkey: key ID ${id} does not match the name and key (expected ${hex8(keyHash)})`)
  const problem = ed25519PublicKeyProblem(publicKey)
  if (problem) throw new NoteError(`vkey: the public key is refused (${problem})`)
  const keyObject = ed25519PublicKeyObject(publicKey)
  const verify = type === 'ed25519'
    ? (message: Uint8Array, signature: Uint8Array) => verifyEd25519(keyObject, message, signature)
    : (message: Uint8Array, signature: Uint8Array) => verifyCosignature(keyObject, message, signature)
  return { name, keyHash, type, publicKey: Buffer.from(publicKey), vkey: text, verify }
}

/** A NoteSigner for plain Ed25519 note signatures (type 0x01), e.g. the log's checkpoint key. */
export function ed25519NoteSigner(name: string, privateKey: KeyObject): NoteSigner {
  if (!isValidKeyName(name)) throw new NoteError(`key name "${name}" is empty or contains a space or "+"`)
  const publicKey = rawEd25519PublicKey(createPublicKey(privateKey))
  return {
    name,
    keyHash: noteKeyHash(name, SIGNATURE_TYPES.ed25519, publicKey),
    sign: (message) => cryptoSign(null, message, privateKey),
  }
}

/** Checks the rules every note text must follow; `lineOffset` numbers lines within a larger document. */
function checkText(text: string, lineOffset = 0): void {
  if (!text.isWellFormed()) throw new NoteError('the note is not valid UTF-8')
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0009\u000b-\u001f]/.test(lines[i]!)) throw new NoteError('contains an ASCII control character', lineOffset + i + 1)
  }
}

/**
 * Signs a note text (which must end with a newline) with each signer, in order.
 * @example signNote('truce.example/log\n3\nAAAA…=\n', [logSigner])
 */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  if (!text.endsWith('\n')) throw new NoteError('a note text must end with a newline')
  checkText(text)
  if (signers.length === 0) throw new NoteError('a signed note needs at least one signer')
  if (signers.length > MAX_SIGNATURES) throw new NoteError(`at most ${MAX_SIGNATURES} signatures`)
  const message = enc.encode(text)
  const lines = signers.map((s) => {
    if (!isValidKeyName(s.name)) throw new NoteError(`signer name "${s.name}" is empty or contains a space or "+"`)
    if (!Number.isInteger(s.keyHash) || s.keyHash < 0 || s.keyHash > 0xffffffff) throw new NoteError(`signer ${s.name}: key ID is not a uint32`)
    const sig = s.sign(message)
    if (sig.length === 0) throw new NoteError(`signer ${s.name} returned an empty signature`)
    const id = Buffer.alloc(4)
    id.writeUInt32BE(s.keyHash)
    return `${EM_DASH_PREFIX}${s.name} ${Buffer.concat([id, sig]).toString('base64')}\n`
  })
  return `${text}\n${lines.join('')}`
}

/** Splits a signed note into text and signature lines, checking syntax only (no signature is verified). */
export function parseNote(note: string): { text: string; signatures: NoteSignature[] } {
  checkText(note)
  if (!note.endsWith('\n')) throw new NoteError('the last line does not end with a newline', note.split('\n').length)
  // The text is separated from the signatures by the last empty line.
  const split = note.lastIndexOf('\n\n')
  if (split < 0) throw new NoteError('no blank line before the signatures (a signed note is text, a blank line, then "— name signature" lines)')
  const text = note.slice(0, split + 1)
  const block = note.slice(split + 2)
  const firstSigLine = text.split('\n').length + 1
  if (block === '') throw new NoteError('no signature lines after the blank line', firstSigLine)
  const lines = block.slice(0, -1).split('\n')
  if (lines.length > MAX_SIGNATURES) throw new NoteError(`more than ${MAX_SIGNATURES} signature lines`, firstSigLine + MAX_SIGNATURES)
  const signatures = lines.map((line, i) => {
    const lineNo = firstSigLine + i
    if (!line.startsWith(EM_DASH_PREFIX)) throw new NoteError('a signature line must start with "— " (em dash U+2014, space)', lineNo)
    const rest = line.slice(EM_DASH_PREFIX.length)
    const space = rest.indexOf(' ')
    if (space < 0) throw new NoteError('a signature line is "— <key name> <base64 signature>"', lineNo)
    const name = rest.slice(0, space)
    if (!isValidKeyName(name)) throw new NoteError(`key name "${name}" is empty or contains a space or "+"`, lineNo)
    const bytes = decodeBase64Strict(rest.slice(space + 1))
    if (!bytes) throw new NoteError(`the signature of ${name} is not valid base64`, lineNo)
    if (bytes.length < 5) throw new NoteError(`the signature of ${name} is too short (a 4-byte key ID and the signature)`, lineNo)
    return { name, keyHash: bytes.readUInt32BE(0), signature: Buffer.from(bytes.subarray(4)) }
  })
  return { text, signatures }
}

/**
 * Parses a note and verifies it against the given keys, by the C2SP rules: signatures by unknown
 * keys are kept unverified, a known key's signature that fails makes the whole note invalid, and
 * at least one known key must have signed. Throws NoteError otherwise.
 */
export function openNote(note: string, verifiers: readonly NoteVerifier[]): OpenedNote {
  const { text, signatures } = parseNote(note)
  const message = enc.encode(text)
  const firstSigLine = text.split('\n').length + 1
  const seen = new Set<string>()
  const out: OpenedNote['signatures'] = []
  let verified = 0
  signatures.forEach((s, i) => {
    const known = verifiers.filter((v) => v.name === s.name && v.keyHash === s.keyHash)
    let verifiedBy: NoteVerifier | null = null
    if (known.length > 0) {
      // The spec says a known key's signature MUST be verified, so duplicates are checked too.
      verifiedBy = known.find((v) => v.verify(message, s.signature)) ?? null
      if (!verifiedBy) throw new NoteError(`the signature by ${s.name} (key ID ${hex8(s.keyHash)}) does not verify`, firstSigLine + i)
    }
    const dedupeKey = verifiedBy ? `${s.name}+${s.keyHash}` : `${s.name}+${s.keyHash}+${s.signature.toString('base64')}`
    if (seen.has(dedupeKey)) return
    seen.add(dedupeKey)
    if (verifiedBy) verified++
    out.push({ ...s, verifiedBy })
  })
  if (verified === 0) {
    const names = [...new Set(signatures.map((s) => `${s.name}+${hex8(s.keyHash)}`))].join(', ')
    throw new NoteError(`no signature by a trusted key (the note is signed by ${names})`)
  }
  return { text, signatures: out }
}

// cosignature/v1 (c2sp.org/tlog-cosignature): a witness's Ed25519 signature over
// "cosignature/v1\ntime <t>\n" ‖ checkpoint text, sent as 8-byte big-endian t ‖ 64-byte signature.

const MAX_TIMESTAMP = 2n ** 63n - 1n

function cosignedMessage(time: bigint, text: Uint8Array): Buffer {
  return Buffer.concat([enc.encode(`cosignature/v1\ntime ${time}\n`), text])
}

function verifyCosignature(key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 72) return false
  const time = Buffer.from(signature.buffer, signature.byteOffset, 8).readBigUInt64BE(0)
  if (time > MAX_TIMESTAMP) return false
  return verifyEd25519(key, cosignedMessage(time, message), signature.subarray(8))
}

/** A NoteSigner for cosignature/v1 (type 0x04), timestamped with `now()` in Unix seconds. */
export function cosignatureSigner(name: string, privateKey: KeyObject, now: () => number = () => Math.floor(Date.now() / 1000)): NoteSigner {
  if (!isValidKeyName(name)) throw new NoteError(`key name "${name}" is empty or contains a space or "+"`)
  const publicKey = rawEd25519PublicKey(createPublicKey(privateKey))
  return {
    name,
    keyHash: noteKeyHash(name, SIGNATURE_TYPES['cosignature/v1'], publicKey),
    sign(message) {
      const t = now()
      if (!Number.isSafeInteger(t) || t < 0) throw new NoteError(`cosignature time must be whole non-negative Unix seconds, got ${t}`)
      const time = Buffer.alloc(8)
      time.writeBigUInt64BE(BigInt(t))
      return Buffer.concat([time, cryptoSign(null, cosignedMessage(BigInt(t), message), privateKey)])
    },
  }
}

/** The Unix time (seconds) a cosignature/v1 signature (without its key ID) was made at. */
export function cosignatureTime(signature: Uint8Array): number {
  if (signature.length !== 72) throw new NoteError(`a cosignature/v1 signature is 72 bytes (8-byte time, 64-byte Ed25519), got ${signature.length}`)
  const time = Buffer.from(signature.buffer, signature.byteOffset, 8).readBigUInt64BE(0)
  if (time > BigInt(Number.MAX_SAFE_INTEGER)) throw new NoteError(`cosignature time ${time} is out of range`)
  return Number(time)
}
