// Ed25519 public keys as parties register them, and the acceptance policy every Ed25519 check in
// Truce follows (docs/VERIFYING.md): node:crypto verifies, our own curve arithmetic vets the keys.
import { createHash, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto'
import { badRequest } from './errors.ts'

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/** Accepts 32 raw bytes in base64/base64url, or an SPKI PEM; returns the raw 32 bytes. */
export function parseEd25519PublicKey(input: string, path = 'publicKey'): Buffer {
  const text = input.trim()
  let raw: Buffer
  if (text.startsWith('-----BEGIN')) {
    try {
      const der = createPublicKey(text).export({ format: 'der', type: 'spki' })
      if (der.length !== 44 || !der.subarray(0, 12).equals(SPKI_PREFIX)) throw new Error('not ed25519')
      raw = der.subarray(12)
    } catch {
      throw badRequest('invalid_public_key', 'The key is not an Ed25519 public key.', [{ path, message: 'unreadable PEM or not Ed25519' }])
    }
  } else {
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
      throw badRequest('invalid_public_key', 'The key is not base64.', [{ path, message: 'not base64' }])
    }
    raw = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64')
    if (raw.length !== 32) {
      throw badRequest('invalid_public_key', 'An Ed25519 public key is 32 bytes.', [{ path, message: `${raw.length} bytes` }])
    }
  }
  // OpenSSL imports any 32 bytes as an Ed25519 key without decoding them, so check that they
  // decode to a curve point (RFC 8032 §5.1.3) ourselves: otherwise no signature could ever verify.
  // Beyond that, the acceptance policy (docs/VERIFYING.md) refuses keys that no honest key
  // generation produces: non-canonical encodings, small-order points, and points with a
  // small-order component, under which signatures are forgeable or verdicts differ between libraries.
  const problem = ed25519PublicKeyProblem(raw)
  if (problem) {
    throw badRequest('invalid_public_key', problem === 'not a curve point' ? 'The bytes are not a valid Ed25519 point.' : `The Ed25519 public key is refused: ${problem}.`, [{ path, message: problem }])
  }
  return raw
}

const P = 2n ** 255n - 19n
/** The order of the prime-order subgroup (RFC 8032 §5.1). */
const L = 2n ** 252n + 27742317777372353535851937790883648493n
const mod = (a: bigint) => ((a % P) + P) % P
function powMod(base: bigint, exp: bigint): bigint {
  let result = 1n
  let b = mod(base)
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % P
    b = (b * b) % P
  }
  return result
}
const inv = (a: bigint) => powMod(a, P - 2n)
const D = mod(-121665n * inv(121666n))
const D2 = mod(2n * D)
const SQRT_M1 = powMod(2n, (P - 1n) / 4n)

/** A point in extended coordinates (x = X/Z, y = Y/Z, x·y = T/Z). */
type Point = { X: bigint; Y: bigint; Z: bigint; T: bigint }
const IDENTITY: Point = { X: 0n, Y: 1n, Z: 1n, T: 0n }

/** Complete addition on −x² + y² = 1 + d·x²·y² (Hisil–Wong–Carter–Dawson, a = −1); also doubles. */
function add(p: Point, q: Point): Point {
  const a = mod((p.Y - p.X) * (q.Y - q.X))
  const b = mod((p.Y + p.X) * (q.Y + q.X))
  const c = mod(p.T * D2 * q.T)
  const d = mod(2n * p.Z * q.Z)
  const e = b - a, f = d - c, g = d + c, h = b + a
  return { X: mod(e * f), Y: mod(g * h), Z: mod(f * g), T: mod(e * h) }
}
function multiply(p: Point, n: bigint): Point {
  let result = IDENTITY
  let addend = p
  for (let k = n; k > 0n; k >>= 1n) {
    if (k & 1n) result = add(result, addend)
    addend = add(addend, addend)
  }
  return result
}
const isIdentity = (p: Point) => p.X === 0n && p.Y === p.Z

type Decoded = { point: Point } | { problem: 'not a curve point' | 'non-canonical encoding' }

/** RFC 8032 §5.1.3 point decoding, refusing the non-canonical encodings (y ≥ p, or x = 0 with the sign bit set). */
function decodePoint(raw: Uint8Array): Decoded {
  const bytes = Buffer.from(raw)
  const sign = bytes[31]! >> 7
  bytes[31] = bytes[31]! & 0x7f
  const y = BigInt(`0x${bytes.reverse().toString('hex')}`)
  if (y >= P) return { problem: 'non-canonical encoding' }
  const y2 = (y * y) % P
  const x2 = mod((y2 - 1n) * inv(D * y2 + 1n))
  let x = powMod(x2, (P + 3n) / 8n)
  if (mod(x * x - x2) !== 0n) x = mod(x * SQRT_M1)
  if (mod(x * x - x2) !== 0n) return { problem: 'not a curve point' }
  if (x === 0n && sign === 1) return { problem: 'non-canonical encoding' }
  if (Number(x & 1n) !== sign) x = P - x
  return { point: { X: x, Y: y, Z: 1n, T: mod(x * y) } }
}

export type Ed25519KeyProblem = 'not 32 bytes' | 'not a curve point' | 'non-canonical encoding' | 'small order' | 'has a small-order component'

/**
 * Why a raw Ed25519 public key is refused by our acceptance policy, or null when it is accepted:
 * it must be 32 bytes, the canonical encoding of a curve point, and a point of the prime-order
 * subgroup ([ℓ]A = identity), which excludes the small-order points ([8]A = identity).
 */
export function ed25519PublicKeyProblem(raw: Uint8Array): Ed25519KeyProblem | null {
  if (raw.length !== 32) return 'not 32 bytes'
  const decoded = decodePoint(raw)
  if ('problem' in decoded) return decoded.problem
  if (isIdentity(multiply(decoded.point, 8n))) return 'small order'
  if (!isIdentity(multiply(decoded.point, L))) return 'has a small-order component'
  return null
}

/** A node:crypto key for 32 raw public-key bytes (no policy check: see ed25519PublicKeyProblem). */
export function ed25519PublicKeyObject(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new Error('an Ed25519 public key is 32 bytes')
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' })
}

/** The 32 raw bytes of an Ed25519 public key (or of the public half of a private key). */
export function rawEd25519PublicKey(key: KeyObject): Buffer {
  const der = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'der', type: 'spki' })
  if (der.length !== 44 || !der.subarray(0, 12).equals(SPKI_PREFIX)) throw new Error('not an Ed25519 key')
  return der.subarray(12)
}

/**
 * Verifies an Ed25519 signature with node:crypto (OpenSSL). OpenSSL's verdicts stand as they are
 * for signatures: it rejects non-canonical R and S ≥ ℓ and uses the cofactorless equation.
 * The acceptance test (ed25519.test.ts) pins them on the 914 CCTV edge cases.
 */
export function verifyEd25519(key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false
  try {
    return cryptoVerify(null, message, key, signature)
  } catch {
    return false
  }
}

/** The whole policy in one call: refuse the key if the policy refuses it, else verify with OpenSSL. */
export function verifyEd25519Raw(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (ed25519PublicKeyProblem(publicKey)) return false
  return verifyEd25519(ed25519PublicKeyObject(publicKey), message, signature)
}

export const keyFingerprint = (raw: Buffer) => createHash('sha256').update(raw).digest('hex')
