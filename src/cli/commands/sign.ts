// Signing with a key the party holds: generate an Ed25519 key pair, and sign a request so the
// submission it makes carries the party's own signature rather than the server's attestation.
import { createHash, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { canonicalize } from '../../lib/canonical-json.ts'
import { str, UsageError, type Command } from '../command.ts'

/** The x-truce-signature header value for a request: what the server verifies. */
export function signatureHeader(privateKeyPem: string, keyId: string, method: string, path: string, body: unknown): string {
  const statement = canonicalize({ method: method.toUpperCase(), path, body: body ?? null })
  const sig = sign(null, Buffer.from(statement, 'utf8'), createPrivateKey(privateKeyPem)).toString('base64')
  return `keyid=${keyId}, sig=${sig}`
}

export const SIGN_COMMANDS: Record<string, Command> = {
  'keys generate': {
    summary: 'Generate an Ed25519 key pair for a party (private key stays with you)',
    usage: 'truce keys generate --out DIR [--name NAME]\n\nWrites NAME.key.pem (private, mode 0600) and NAME.pub.pem; prints the public key to register with `truce keys signing-add` or POST /api/parties/:id/keys.',
    options: { out: { type: 'string' }, name: { type: 'string' } },
    async run(values, _p, ctx) {
      const dir = str(values.out, 'out')
      const name = typeof values.name === 'string' ? values.name : 'party'
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) throw new UsageError('--name: letters, digits, dot, dash and underscore')
      const priv = join(dir, `${name}.key.pem`)
      if (existsSync(priv)) throw new UsageError(`${priv} exists; refusing to overwrite a private key`)
      const { privateKey, publicKey } = generateKeyPairSync('ed25519')
      writeFileSync(priv, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 })
      writeFileSync(join(dir, `${name}.pub.pem`), publicKey.export({ format: 'pem', type: 'spki' }))
      const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64')
      ctx.out(`Wrote ${priv} (keep it secret) and ${join(dir, `${name}.pub.pem`)}`)
      ctx.out(`Public key (register it): ${raw}`)
      return 0
    },
  },
  'sign-request': {
    summary: 'Print the x-truce-signature header that signs a request with a party key',
    usage: 'truce sign-request --key KEY.pem --key-id PARTY-KEY-ID METHOD PATH [BODY.json | --upload FILE]\n\nExample: curl -X POST -H "x-truce-signature: $(truce sign-request --key us.key.pem --key-id … POST /api/… body.json)" …\n--upload: a file sent as the body (a map-layer import); the signature covers its SHA-256, as {"sha256": "<hex>"}.',
    options: { key: { type: 'string' }, 'key-id': { type: 'string' }, upload: { type: 'string' } },
    async run(values, positionals, ctx) {
      const [method, path, bodyFile] = positionals
      if (!method || !path) throw new UsageError('give METHOD and PATH')
      if (!path.startsWith('/')) throw new UsageError('PATH starts with / (the path and query as sent, without the host)')
      const keyId = str(values['key-id'], 'key-id')
      let pem: string
      try { pem = readFileSync(str(values.key, 'key'), 'utf8') } catch { throw new UsageError(`cannot read --key ${String(values.key)}`) }
      let body: unknown = null
      if (bodyFile && typeof values.upload === 'string') throw new UsageError('give BODY.json or --upload, not both')
      if (typeof values.upload === 'string') {
        try { body = { sha256: createHash('sha256').update(readFileSync(values.upload)).digest('hex') } } catch { throw new UsageError(`cannot read --upload ${values.upload}`) }
      }
      if (bodyFile) {
        try { body = JSON.parse(readFileSync(bodyFile, 'utf8')) } catch (e) { throw new UsageError(`${bodyFile}: not JSON (${e instanceof Error ? e.message : String(e)})`) }
      }
      try {
        ctx.out(signatureHeader(pem, keyId, method, path, body))
      } catch {
        throw new UsageError('--key is not an Ed25519 private key in PEM')
      }
      return 0
    },
  },
}
