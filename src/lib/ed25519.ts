// Ed25519 public keys as parties register them: node:crypto reads them, the curve equation checks them.
import { createHash, createPublicKey } from 'node:crypto'
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
  if (!isCurvePoint(raw)) {
    throw badRequest('invalid_public_key', 'The bytes are not a valid Ed25519 point.', [{ path, message: 'not a curve point' }])
  }
  return raw
}

const P = 2n ** 255n - 19n
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
const D = mod(-121665n * powMod(121666n, P - 2n))

/** Whether 32 bytes are the canonical encoding of a point on edwards25519: y < p, and x² = (y² − 1)/(d·y² + 1) has a root. */
function isCurvePoint(raw: Buffer): boolean {
  const bytes = Buffer.from(raw)
  const sign = bytes[31]! >> 7
  bytes[31] = bytes[31]! & 0x7f
  const y = BigInt(`0x${bytes.reverse().toString('hex')}`)
  if (y >= P) return false
  const y2 = (y * y) % P
  const x2 = mod((y2 - 1n) * powMod(D * y2 + 1n, P - 2n))
  if (x2 === 0n) return sign === 0
  return powMod(x2, (P - 1n) / 2n) === 1n
}

export const keyFingerprint = (raw: Buffer) => createHash('sha256').update(raw).digest('hex')
