// The Ed25519 acceptance policy (docs/VERIFYING.md), pinned on the 914 C2SP CCTV edge cases so
// that an OpenSSL or Node upgrade that changes a single verdict fails here before it ships.
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sharedDataDir } from '../config.ts'
import { AppError } from './errors.ts'
import { ed25519PublicKeyObject, ed25519PublicKeyProblem, parseEd25519PublicKey, rawEd25519PublicKey, verifyEd25519, verifyEd25519Raw } from './ed25519.ts'

type Vector = { number: number; key: string; sig: string; msg: string; flags: string[] | null }
const FILE = join(sharedDataDir(), 'tlog/c2sp-cctv-ed25519/ed25519vectors.json')
const present = existsSync(FILE)
const vectors: Vector[] = present ? (JSON.parse(readFileSync(FILE, 'utf8')) as Vector[]) : []
const has = (v: Vector, flag: string) => (v.flags ?? []).includes(flag)

/** What OpenSSL (node:crypto) alone answers: the ref10 behaviour, rejecting non-canonical R and uncancelled low-order residues. */
const expectedOpenSSL = (v: Vector) => !has(v, 'non_canonical_R') && !has(v, 'low_order_residue')
/** What Truce answers: OpenSSL's verdict, and the key must be a canonical point of the prime-order subgroup. */
const expectedTruce = (v: Vector) =>
  expectedOpenSSL(v) && !has(v, 'low_order_A') && !has(v, 'non_canonical_A') && !has(v, 'low_order_component_A')

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')
const openssl = (v: Vector) => {
  try {
    const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, Buffer.from(v.key, 'hex')]), format: 'der', type: 'spki' })
    return verify(null, Buffer.from(v.msg), key, Buffer.from(v.sig, 'hex'))
  } catch {
    return false
  }
}

const describeData = present ? describe : process.env.CI ? describe : describe.skip
describeData(present ? 'Ed25519 acceptance policy on the C2SP CCTV vectors' : `Ed25519 acceptance policy: SKIPPED, ${FILE} is absent (set TRUCE_SHARED_DATA)`, () => {
  if (!present) {
    it('has the vectors (CI requires the shared data)', () => { throw new Error(`missing ${FILE}`) })
    return
  }

  it('has all 914 vectors', () => {
    expect(vectors).toHaveLength(914)
  })

  it('node:crypto gives exactly the ref10 verdicts, vector by vector', () => {
    const wrong = vectors.filter((v) => openssl(v) !== expectedOpenSSL(v)).map((v) => `#${v.number} ${(v.flags ?? []).join(',')}`)
    expect(wrong).toEqual([])
  })

  it('our verification gives exactly the policy verdicts, vector by vector', () => {
    const wrong = vectors.filter((v) => verifyEd25519Raw(Buffer.from(v.key, 'hex'), Buffer.from(v.msg), Buffer.from(v.sig, 'hex')) !== expectedTruce(v))
      .map((v) => `#${v.number} ${(v.flags ?? []).join(',')}`)
    expect(wrong).toEqual([])
  })

  it('accepts exactly the vectors whose key is clean and whose R is canonical with no residue', () => {
    const accepted = vectors.filter((v) => verifyEd25519Raw(Buffer.from(v.key, 'hex'), Buffer.from(v.msg), Buffer.from(v.sig, 'hex')))
    // Counted from the file at commit 1e3d2860: the plain vector and the one with only a small-order R.
    expect(accepted.map((v) => (v.flags ?? []).join(',') || '(none)').sort()).toEqual(['(none)', 'low_order_R'])
  })

  it('registration refuses every key flagged low-order, non-canonical or with a low-order component, with 400 invalid_public_key', () => {
    for (const v of vectors) {
      const bad = has(v, 'low_order_A') || has(v, 'non_canonical_A') || has(v, 'low_order_component_A')
      const key = Buffer.from(v.key, 'hex').toString('base64')
      if (bad) {
        let refused: unknown = null
        try { parseEd25519PublicKey(key) } catch (e) { refused = e }
        expect(refused, `#${v.number}`).toBeInstanceOf(AppError)
        expect([(refused as AppError).status, (refused as AppError).code]).toEqual([400, 'invalid_public_key'])
      } else {
        expect(parseEd25519PublicKey(key), `#${v.number}`).toEqual(Buffer.from(v.key, 'hex'))
      }
    }
  })
})

describe('Ed25519 public keys at registration', () => {
  const reason = (hex: string) => {
    try { parseEd25519PublicKey(Buffer.from(hex, 'hex').toString('base64'), 'body.publicKey') } catch (e) {
      const err = e as AppError
      return `${err.status} ${err.code} ${err.details[0]?.path} ${err.details[0]?.message}`
    }
    return 'accepted'
  }

  it('refuses each small-order point and every alternative encoding, naming the reason', () => {
    // The eight low-order points and their six non-canonical encodings (CCTV README).
    for (const hex of [
      '0000000000000000000000000000000000000000000000000000000000000000', '0000000000000000000000000000000000000000000000000000000000000080',
      '0100000000000000000000000000000000000000000000000000000000000000', '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
      '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
      'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    ]) expect(reason(hex), hex).toBe('400 invalid_public_key body.publicKey small order')
    for (const hex of [
      'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
      '0100000000000000000000000000000000000000000000000000000000000080', 'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    ]) expect(reason(hex), hex).toBe('400 invalid_public_key body.publicKey non-canonical encoding')
  })

  it('still refuses bytes that are not a curve point', () => {
    expect(reason('0200000000000000000000000000000000000000000000000000000000000000')).toBe('400 invalid_public_key body.publicKey not a curve point')
  })

  it('accepts every honestly generated key, and verifies its signatures', () => {
    for (let i = 0; i < 50; i++) {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519')
      const raw = rawEd25519PublicKey(publicKey)
      expect(ed25519PublicKeyProblem(raw)).toBeNull()
      expect(parseEd25519PublicKey(raw.toString('base64'))).toEqual(raw)
      const message = Buffer.from(`message ${i}`)
      const signature = sign(null, message, privateKey)
      expect(verifyEd25519Raw(raw, message, signature)).toBe(true)
      expect(verifyEd25519(ed25519PublicKeyObject(raw), Buffer.from('another'), signature)).toBe(false)
      expect(verifyEd25519(ed25519PublicKeyObject(raw), message, signature.subarray(0, 63))).toBe(false)
    }
  })

  it('reads a private key as its public half', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519')
    expect(rawEd25519PublicKey(privateKey)).toEqual(rawEd25519PublicKey(publicKey))
  })
})
