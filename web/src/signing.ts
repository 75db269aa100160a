// Signing what a party submits with a key the party holds, in the reader's browser: the same
// x-truce-signature that `truce sign-request` makes (src/cli/commands/sign.ts), over the same
// RFC 8785 statement `{method, path, body}`, built by the server's own canonicalizer.
//
// The private key is read once from its PKCS#8 PEM and kept only as a NON-extractable CryptoKey:
// from then on the browser can sign with it, but no script (this app's included) can read it
// back. Only a key whose public key is registered for the reader's party, valid now and not
// revoked, is taken. It is kept in IndexedDB under the user's id so it survives a reload, and
// forgotten on request and on sign-out. No React here, and nothing but WebCrypto and
// IndexedDB, so the statement and signature code runs in Node's tests too.
import { canonicalize } from '../../src/lib/canonical-json.ts'
import type { PartyKey, RequestSigner } from './api.ts'
import { decodeBase64, encodeBase64, equalBytes, type Bytes } from './log/verify.ts'

/** A party key loaded in this browser: what the page shows, and the key that signs. */
export type SigningKey = {
  /** The party key's id, which the header names (keyid=…). */
  keyId: string
  name: string
  /** The 32 raw bytes of the public key, base64, as the party's key list gives them. */
  publicKey: string
  /** SHA-256 of the raw public key, hex. */
  fingerprint: string
  /** Non-extractable, usable for `sign` only. */
  cryptoKey: CryptoKey
}

/** Why a key cannot be loaded; the page words each in the reader's language. */
export type SigningKeyProblem =
  | 'not_ed25519_pem' | 'public_key' | 'unsupported'
  | 'not_registered' | 'revoked' | 'not_yet_valid' | 'expired'

export class SigningKeyError extends Error {
  readonly problem: SigningKeyProblem
  /** For revoked, not yet valid and expired: the registration that says so. */
  readonly partyKey: PartyKey | null
  constructor(problem: SigningKeyProblem, message: string, partyKey: PartyKey | null = null) {
    super(message)
    this.name = 'SigningKeyError'
    this.problem = problem
    this.partyKey = partyKey
  }
}

/** Where a registered key stands at an instant: validity is the half-open [validFrom, validTo). */
export type PartyKeyStatus = 'active' | 'revoked' | 'not_yet_valid' | 'expired'

export function partyKeyStatus(key: PartyKey, now: Date): PartyKeyStatus {
  if (key.revokedAt !== null) return 'revoked'
  if (now.getTime() < Date.parse(key.validFrom)) return 'not_yet_valid'
  if (key.validTo !== null && now.getTime() >= Date.parse(key.validTo)) return 'expired'
  return 'active'
}

// ——— reading the private key ———

const ED25519 = { name: 'Ed25519' } as const
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/
/** A generous bound: an Ed25519 PKCS#8 PEM is 119 bytes; anything far larger is another file. */
const MAX_PEM_CHARS = 16_384

/** The DER inside an unencrypted PKCS#8 PEM ("PRIVATE KEY"), or the reason there is none. */
function pkcs8Der(pem: string): Bytes {
  const notKey = () => new SigningKeyError('not_ed25519_pem', 'not an Ed25519 private key in PKCS#8 PEM')
  if (pem.length > MAX_PEM_CHARS) throw notKey()
  const block = PEM_BLOCK.exec(pem)
  if (block?.[1] === 'PUBLIC KEY') throw new SigningKeyError('public_key', 'this is a public key; load the private key')
  if (block?.[1] !== 'PRIVATE KEY') throw notKey()
  const der = decodeBase64((block[2] ?? '').replace(/\s+/g, ''))
  if (der === null || der.length === 0) throw notKey()
  return der
}

const fromBase64url = (text: string): Bytes | null => {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/')
  return decodeBase64(b64 + '='.repeat((4 - (b64.length % 4)) % 4))
}

const isNotSupported = (e: unknown): boolean => e instanceof Error && e.name === 'NotSupportedError'

/**
 * Imports an Ed25519 private key from its PKCS#8 PEM: the raw public key (derived once, through
 * an extractable copy that is dropped at once) and a non-extractable CryptoKey that only signs.
 */
export async function readPrivateKey(pem: string): Promise<{ publicKey: Bytes; cryptoKey: CryptoKey }> {
  const der = pkcs8Der(pem)
  try {
    let x: string | undefined
    try {
      const extractable = await crypto.subtle.importKey('pkcs8', der, ED25519, true, ['sign'])
      const jwk = await crypto.subtle.exportKey('jwk', extractable)
      if (jwk.crv !== 'Ed25519') throw new SigningKeyError('not_ed25519_pem', `a ${jwk.crv ?? jwk.kty ?? 'different'} key, not Ed25519`)
      x = jwk.x
    } catch (e) {
      if (e instanceof SigningKeyError) throw e
      if (isNotSupported(e)) throw new SigningKeyError('unsupported', 'this browser has no Ed25519 in WebCrypto')
      throw new SigningKeyError('not_ed25519_pem', 'not an Ed25519 private key in PKCS#8 PEM')
    }
    const publicKey = x === undefined ? null : fromBase64url(x)
    if (publicKey === null || publicKey.length !== 32) throw new SigningKeyError('not_ed25519_pem', 'no Ed25519 public key in the private key')
    const cryptoKey = await crypto.subtle.importKey('pkcs8', der, ED25519, false, ['sign'])
    return { publicKey, cryptoKey }
  } finally {
    // Our copy of the key bytes; the string the file was read into is beyond our reach.
    der.fill(0)
  }
}

// ——— matching it with the party's registered keys ———

/**
 * The registration of `publicKey` among the party's keys, if it may sign now; otherwise why not.
 * A key registered more than once (revoked, then registered again) is judged by its latest
 * registration that is valid now, else by its latest registration.
 */
export function matchPartyKey(publicKey: Uint8Array, partyKeys: readonly PartyKey[], now: Date): PartyKey {
  const same = partyKeys
    .filter((k) => {
      const raw = decodeBase64(k.publicKey)
      return raw !== null && equalBytes(raw, publicKey)
    })
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
  const active = same.find((k) => partyKeyStatus(k, now) === 'active')
  if (active) return active
  const latest = same[0]
  if (latest === undefined) throw new SigningKeyError('not_registered', 'this key is not registered for your party')
  const status = partyKeyStatus(latest, now)
  const problem = status === 'active' ? 'not_registered' : status
  throw new SigningKeyError(problem, `this key is ${problem.replace(/_/g, ' ')}`, latest)
}

/** Reads a private key and takes it only if the party may sign with it now. */
export async function loadSigningKey(pem: string, partyKeys: readonly PartyKey[], now: Date): Promise<SigningKey> {
  const { publicKey, cryptoKey } = await readPrivateKey(pem)
  const registered = matchPartyKey(publicKey, partyKeys, now)
  return { keyId: registered.id, name: registered.name, publicKey: registered.publicKey, fingerprint: registered.fingerprint, cryptoKey }
}

// ——— signing ———

/**
 * The statement a signature covers, as the server rebuilds it (src/app.ts, verifySignedRequest):
 * the RFC 8785 canonical JSON of `{method, path, body}`. `path` is the path and query exactly as
 * sent; `body` goes through JSON, so the statement holds what the server parses, not the object
 * (undefined fields and Dates come out as JSON has them), and a request without a body signs null.
 * @example signingStatement('post', '/api/x', { b: 1, a: 2 }) === '{"body":{"a":2,"b":1},"method":"POST","path":"/api/x"}'
 */
export function signingStatement(method: string, path: string, body: unknown): string {
  const parsed: unknown = body === undefined ? null : JSON.parse(JSON.stringify(body)) ?? null
  return canonicalize({ method: method.toUpperCase(), path, body: parsed })
}

const utf8 = new TextEncoder()

/** The x-truce-signature header value for a request, as `truce sign-request` prints it. */
export async function signatureHeader(key: Pick<SigningKey, 'keyId' | 'cryptoKey'>, method: string, path: string, body: unknown): Promise<string> {
  const signature = await crypto.subtle.sign(ED25519, key.cryptoKey, utf8.encode(signingStatement(method, path, body)))
  return `keyid=${key.keyId}, sig=${encodeBase64(new Uint8Array(signature))}`
}

/** The signer api.ts calls for every signed request. */
export const requestSignerFor = (key: SigningKey): RequestSigner =>
  (method, path, body) => signatureHeader(key, method, path, body)

// ——— kept in this browser ———

const DB_NAME = 'truce-signing'
const STORE = 'keys'
const RECORD_VERSION = 1

/** What IndexedDB holds per user: the key with the party it was checked against. */
type StoredKey = SigningKey & { v: typeof RECORD_VERSION; partyId: string }

function openStore(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1)
    request.onupgradeneeded = () => { request.result.createObjectStore(STORE) }
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error ?? new Error(`cannot open IndexedDB ${DB_NAME}`))
    request.onblocked = () => reject(new Error(`IndexedDB ${DB_NAME} is blocked by another tab`))
  })
}

async function inStore<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openStore()
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode)
      const request = run(tx.objectStore(STORE))
      // Settled when the transaction is, so a write has reached the store when this resolves.
      tx.oncomplete = () => resolve(request.result)
      tx.onabort = tx.onerror = () => reject(tx.error ?? request.error ?? new Error('IndexedDB transaction failed'))
    })
  } finally {
    db.close()
  }
}

/** Keeps the key for this user (CryptoKey is structured-cloneable; it stays non-extractable). */
export async function storeSigningKey(userId: string, partyId: string, key: SigningKey): Promise<void> {
  const record: StoredKey = {
    v: RECORD_VERSION, partyId, keyId: key.keyId, name: key.name, publicKey: key.publicKey, fingerprint: key.fingerprint, cryptoKey: key.cryptoKey,
  }
  await inStore('readwrite', (store) => store.put(record, userId))
}

const isStoredKey = (v: unknown): v is StoredKey => {
  if (typeof v !== 'object' || v === null) return false
  const r = v as Partial<StoredKey>
  return r.v === RECORD_VERSION && typeof r.partyId === 'string' && typeof r.keyId === 'string' && typeof r.name === 'string'
    && typeof r.publicKey === 'string' && typeof r.fingerprint === 'string' && r.cryptoKey instanceof CryptoKey
    && r.cryptoKey.algorithm.name === 'Ed25519' && !r.cryptoKey.extractable && r.cryptoKey.usages.includes('sign')
}

/** The key this user loaded earlier in this browser, if it was checked against the same party. */
export async function restoreSigningKey(userId: string, partyId: string): Promise<SigningKey | null> {
  const record: unknown = await inStore('readonly', (store) => store.get(userId))
  if (!isStoredKey(record) || record.partyId !== partyId) return null
  return { keyId: record.keyId, name: record.name, publicKey: record.publicKey, fingerprint: record.fingerprint, cryptoKey: record.cryptoKey }
}

export async function forgetSigningKey(userId: string): Promise<void> {
  await inStore('readwrite', (store) => store.delete(userId))
}
