// Ed25519 public keys as parties register them, through node:crypto only.
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
  try {
    createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' })
  } catch {
    throw badRequest('invalid_public_key', 'The bytes are not a valid Ed25519 point.', [{ path, message: 'not a curve point' }])
  }
  return raw
}

export const keyFingerprint = (raw: Buffer) => createHash('sha256').update(raw).digest('hex')
