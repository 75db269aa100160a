// The log's own Ed25519 key: it signs checkpoints (C2SP signed notes, key name = the origin) and
// attests the submissions no party key signed. It lives in a PKCS#8 PEM file, created with mode
// 0600 on first start; parties pin its public half as a vkey (GET /log/vkey, `truce log vkey`).
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { rawEd25519PublicKey } from '../../lib/ed25519.ts'
import type { ServerAttestor } from '../ledger/entry.ts'
import { ed25519NoteSigner, vkeyOf, type NoteSigner } from './note.ts'

export type LogKey = {
  /** The checkpoint origin line, also the signed-note key name. */
  origin: string
  /** `origin+hex(key ID)+base64(0x01 ‖ public key)`: what parties pin. */
  vkey: string
  publicKey: Buffer
  signer: NoteSigner
  /** Attests submissions; entries name the key by its vkey. */
  attestor: ServerAttestor
}

export class LogKeyError extends Error {
  override name = 'LogKeyError'
}

/** A LogKey from an Ed25519 private key. */
export function logKeyFrom(origin: string, privateKey: KeyObject): LogKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new LogKeyError(`the log key must be Ed25519, got ${privateKey.asymmetricKeyType ?? 'an unknown type'}`)
  const publicKey = rawEd25519PublicKey(privateKey)
  const vkey = vkeyOf(origin, publicKey)
  return { origin, vkey, publicKey, signer: ed25519NoteSigner(origin, privateKey), attestor: { keyName: vkey, privateKey } }
}

/** Reads the key file, if there is one; never creates it. */
export function readLogKey(origin: string, file: string): LogKey | null {
  if (!existsSync(file)) return null
  let key: KeyObject
  try {
    key = createPrivateKey(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new LogKeyError(`${file} is not a readable PKCS#8 PEM private key (${e instanceof Error ? e.message : String(e)})`)
  }
  return logKeyFrom(origin, key)
}

/**
 * Reads the key file, or creates it (mode 0600, never overwriting) when it is missing.
 * `created` says whether this call made a new key, which an operator must back up.
 */
export function loadOrCreateLogKey(origin: string, file: string): { key: LogKey; created: boolean; warnings: string[] } {
  const warnings: string[] = []
  const existing = readLogKey(origin, file)
  if (existing) {
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
      warnings.push(`${file} is readable by other users; chmod 600 it`)
    }
    return { key: existing, created: false, warnings }
  }
  mkdirSync(dirname(file), { recursive: true })
  const { privateKey } = generateKeyPairSync('ed25519')
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
  try {
    // 'wx': a second process starting at the same moment must not replace the first one's key.
    writeFileSync(file, pem, { mode: 0o600, flag: 'wx' })
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST') return loadOrCreateLogKey(origin, file)
    throw e
  }
  return { key: logKeyFrom(origin, privateKey), created: true, warnings }
}
