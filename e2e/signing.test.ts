// Signing submissions in the browser with a key the party holds (web/src/signing.ts).
//
// In Node's WebCrypto: the browser's statement and header are byte for byte what
// `truce sign-request` makes for the same key and request, and a key is taken only when it is an
// Ed25519 PKCS#8 PEM registered for the party, valid now and not revoked.
//
// In Debian's Chromium against a real server whose sequencer runs: a coordinator loads their
// party's key from a file; a provision status they record is signed by the party (its log entry
// says so, and the signature verifies over the statement); a key the party never registered, or
// revoked, is refused with the reason; the key survives a reload; a key revoked after loading is
// refused by the server, and the form says so; after "Forget", and after signing out, the server
// attests again. Like e2e/log-explorer.test.ts, every browser test fails on a console error in
// the page and on any request to a host other than localhost.
//
//   npx vitest run e2e/signing.test.ts
//   TRUCE_E2E_SCREENSHOTS=/tmp/shots npx vitest run e2e/signing.test.ts   (also saves screenshots)
import { createHash, generateKeyPairSync, randomUUID, verify, type KeyObject } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page, Request } from 'playwright-core'
import { beforeAll, describe, expect, it, test } from 'vitest'
import { signatureHeader as cliSignatureHeader } from '../src/cli/commands/sign.ts'
import { canonicalize } from '../src/lib/canonical-json.ts'
import { rawEd25519PublicKey } from '../src/lib/ed25519.ts'
import type { PartyKey } from '../web/src/api.ts'
import { loadSigningKey, signatureHeader, signingStatement, SigningKeyError, type SigningKeyProblem } from '../web/src/signing.ts'
import { apiSession, browserSuite, chromiumAvailable, DEMO_PASSWORD as PASSWORD, signInAs } from './chromium.ts'

const TEST_TIMEOUT = 120_000
/** The US coordination cell: a coordinator, so it may also manage its party's keys (partykey.manage). */
const COORDINATOR = 'coordinator.us@truce.demo'
const PARTY = 'us'
const AGREEMENT = 'syria-coh-2016'
/** The sequencer runs every few hundred ms; this is how long a test waits for it. */
const SEQUENCED_WITHIN_MS = 20_000
const SCREENSHOTS = process.env.TRUCE_E2E_SCREENSHOTS
const STATUS_PATH = /^\/api\/agreements\/[^/]+\/provisions\/[^/]+\/status$/

type Ed25519Pair = { privateKey: KeyObject; publicKey: KeyObject; pem: string; raw: string }

function newKeyPair(): Ed25519Pair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  return { privateKey, publicKey, pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), raw: rawEd25519PublicKey(privateKey).toString('base64') }
}

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex')

/** A registration as GET /api/parties/:id/keys lists it. */
function partyKey(pair: Ed25519Pair, overrides: Partial<PartyKey> = {}): PartyKey {
  const raw = Buffer.from(pair.raw, 'base64')
  return {
    id: randomUUID(), partyId: randomUUID(), name: 'US cell', algorithm: 'ed25519', publicKey: pair.raw,
    fingerprint: createHash('sha256').update(raw).digest('hex'), validFrom: '2016-01-01T00:00:00.000Z', validTo: null,
    revokedAt: null, replacesId: null, createdAt: '2016-01-01T00:00:00.000Z', ...overrides,
  }
}

describe('the statement and signature the browser makes', () => {
  const pair = newKeyPair()
  const registered = partyKey(pair)
  const now = new Date('2026-06-01T00:00:00Z')

  it('is byte for byte what truce sign-request makes for the same key and request', async () => {
    const key = await loadSigningKey(pair.pem, [registered], now)
    expect(key).toMatchObject({ keyId: registered.id, name: registered.name, publicKey: pair.raw, fingerprint: registered.fingerprint })
    expect(key.cryptoKey.extractable).toBe(false)
    expect(key.cryptoKey.usages).toEqual(['sign'])

    const path = `/api/agreements/${AGREEMENT}/provisions/${randomUUID()}/status?note=%C3%BC`
    const requests: [string, unknown][] = [
      ['POST', { level: 2, asOf: '2016-03-01T00:00:00Z', evidence: 'Convoys reached Madaya — وصلت القوافل — Конвои дошли 🚚' }],
      // Keys out of order, nesting, numbers and a field left undefined (JSON drops it, as the server never sees it).
      ['patch', { version: 3, note: 'x', nested: { z: [1, 2.5, -0, 1e21], a: null }, skipped: undefined }],
      // A request without a body: the server parses none, and both sign null.
      ['POST', undefined],
    ]
    for (const [method, body] of requests) {
      const statement = signingStatement(method, path, body)
      expect(statement).toBe(canonicalize({ method: method.toUpperCase(), path, body: body ?? null }))
      // Ed25519 signatures are deterministic (RFC 8032), so the same statement gives the same header.
      expect(await signatureHeader(key, method, path, body)).toBe(cliSignatureHeader(pair.pem, key.keyId, method, path, body))
    }
    const header = await signatureHeader(key, 'POST', path, requests[0]![1])
    const sig = /^keyid=[0-9a-f-]{36}, sig=([A-Za-z0-9+/]+={0,2})$/.exec(header)?.[1]
    expect(verify(null, Buffer.from(signingStatement('POST', path, requests[0]![1])), pair.publicKey, Buffer.from(sig ?? '', 'base64'))).toBe(true)
  })

  const refusal = async (pem: string, keys: PartyKey[]): Promise<SigningKeyProblem | 'loaded'> => {
    try {
      await loadSigningKey(pem, keys, now)
      return 'loaded'
    } catch (e) {
      if (e instanceof SigningKeyError) return e.problem
      throw e
    }
  }

  it('takes only a key registered for the party, valid now and not revoked', async () => {
    const other = newKeyPair()
    expect(await refusal(pair.pem, [partyKey(other)])).toBe('not_registered')
    expect(await refusal(pair.pem, [])).toBe('not_registered')
    expect(await refusal(pair.pem, [partyKey(pair, { revokedAt: '2026-05-01T00:00:00.000Z' })])).toBe('revoked')
    expect(await refusal(pair.pem, [partyKey(pair, { validFrom: '2026-07-01T00:00:00.000Z' })])).toBe('not_yet_valid')
    // Validity is half-open: a key whose validTo is now has just expired.
    expect(await refusal(pair.pem, [partyKey(pair, { validTo: now.toISOString() })])).toBe('expired')
    // Revoked once, registered again: the valid registration is the one used.
    const again = partyKey(pair, { createdAt: '2026-05-02T00:00:00.000Z' })
    const key = await loadSigningKey(pair.pem, [partyKey(pair, { revokedAt: '2026-05-01T00:00:00.000Z' }), again], now)
    expect(key.keyId).toBe(again.id)
  })

  it('takes only an Ed25519 private key in PKCS#8 PEM', async () => {
    const keys = [registered]
    expect(await refusal(pair.publicKey.export({ format: 'pem', type: 'spki' }).toString(), keys)).toBe('public_key')
    expect(await refusal('not a key at all', keys)).toBe('not_ed25519_pem')
    expect(await refusal('-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n', keys)).toBe('not_ed25519_pem')
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
    expect(await refusal(ec, keys)).toBe('not_ed25519_pem')
    const x25519 = generateKeyPairSync('x25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
    expect(await refusal(x25519, keys)).toBe('not_ed25519_pem')
  })
})

const hasChromium = chromiumAvailable('e2e/signing.test.ts')

type LogEntryBody = { submissionId: string; entry: string; opening: string | null }
type EntrySignature = { by: 'party'; partyKeyId: string; statementSha256: string; signature: string } | { by: 'server'; key: string; signature: string }

/** A signed-in API client outside the browser, for what the page does not do: registering and revoking keys. */
async function keysSession(url: string, email: string) {
  const api = await apiSession(url, email, PASSWORD)
  return {
    /** Registers a public key for the party, valid from a minute ago. */
    register: (name: string, pair: Ed25519Pair) =>
      api.post<PartyKey>(`/api/parties/${PARTY}/keys`, { name, publicKey: pair.raw, validFrom: new Date(Date.now() - 60_000).toISOString() }),
    revoke: (keyId: string) => api.post<PartyKey>(`/api/parties/${PARTY}/keys/${keyId}/revoke`),
  }
}

describe.skipIf(!hasChromium)('signing in Chromium with a key the party holds', () => {
  // Build, server, guarded Chromium, and no console error or outside request after each test.
  const suite = browserSuite()
  let page: Page
  let coordinator: Awaited<ReturnType<typeof keysSession>>
  const cell = newKeyPair()
  let cellKey: PartyKey

  const shoot = async (name: string) => {
    if (!SCREENSHOTS) return
    mkdirSync(SCREENSHOTS, { recursive: true })
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-full.png`), fullPage: true })
  }
  const shootElement = async (name: string, element: Locator) => {
    if (!SCREENSHOTS) return
    mkdirSync(SCREENSHOTS, { recursive: true })
    await element.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })
  }

  const signIn = () => signInAs(page, suite.url, COORDINATOR)

  /** Opens the Signing key page from the header and chooses a key file, as a reader would. */
  const loadKeyFile = async (pem: string, name = 'us-cell.key.pem') => {
    await page.getByTestId('nav-signing').click()
    await page.waitForURL(/\/signing$/)
    await page.getByTestId('signing-file').setInputFiles({ name, mimeType: 'application/x-pem-file', buffer: Buffer.from(pem) })
  }

  /** What the header says: the id of the key that signs, '' when none. */
  const headerKeyId = () => page.getByTestId('nav-signing').getAttribute('data-key-id')

  /** Records an implementation level for a provision through its form; the request and response the page made. */
  const recordStatus = async (provisionNumber: string, evidence: string, expectedKeyId: string) => {
    await page.goto(`${suite.url}/agreements/${AGREEMENT}`)
    const provision = page.locator(`[data-testid="provision"][data-number="${provisionNumber}"]`)
    await provision.waitFor()
    await provision.getByTestId('status-form-toggle').click()
    // The form says who will vouch for the submission before it is sent.
    await expect.poll(() => provision.getByTestId('signing-note').getAttribute('data-key-id')).toBe(expectedKeyId)
    await provision.getByTestId('status-level').selectOption('2')
    await provision.getByTestId('status-evidence').fill(evidence)
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && STATUS_PATH.test(new URL(r.url()).pathname)),
      provision.getByTestId('status-submit').click(),
    ])
    return { provision, response, request: response.request() }
  }

  const submissionOf = (headers: Record<string, string>): string => {
    const written = (headers['x-truce-submissions'] ?? '').split(',').filter((s) => s !== '')
    expect(written).toHaveLength(1)
    return written[0]!
  }

  /** The full log entry of a submission (from `opening` when its leaf is sealed), once sequenced. */
  const loggedEntry = async (id: string): Promise<{ signature: EntrySignature }> => {
    const deadline = Date.now() + SEQUENCED_WITHIN_MS
    for (;;) {
      const response = await fetch(`${suite.url}/api/log/entries/${id}`)
      if (response.ok) {
        const body = await response.json() as LogEntryBody
        return JSON.parse(body.opening ?? body.entry) as { signature: EntrySignature }
      }
      if (response.status !== 404) throw new Error(`GET /api/log/entries/${id}: ${response.status} ${await response.text()}`)
      if (Date.now() > deadline) throw new Error(`submission ${id} was not sequenced within ${SEQUENCED_WITHIN_MS / 1000} s`)
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }

  /** The statement the server rebuilt from the request as the browser sent it (src/app.ts, verifySignedRequest). */
  const statementOf = (request: Request): string => {
    const url = new URL(request.url())
    return canonicalize({ method: request.method(), path: url.pathname + url.search, body: request.postDataJSON() as unknown })
  }

  /** What this browser keeps in IndexedDB (web/src/signing.ts), without creating the store if it is not there. */
  const storedKeys = () => page.evaluate(() => new Promise<{ keyId: string; extractable: boolean; usages: string[] }[]>((resolve, reject) => {
    const open = indexedDB.open('truce-signing')
    open.onupgradeneeded = () => open.transaction?.abort()
    open.onerror = () => resolve([])
    open.onsuccess = () => {
      const db = open.result
      const all = db.transaction('keys').objectStore('keys').getAll()
      all.onerror = () => { db.close(); reject(all.error) }
      all.onsuccess = () => {
        db.close()
        resolve((all.result as { keyId: string; cryptoKey: CryptoKey }[]).map((r) => ({ keyId: r.keyId, extractable: r.cryptoKey.extractable, usages: r.cryptoKey.usages })))
      }
    }
  }))

  beforeAll(async () => {
    page = suite.page
    coordinator = await keysSession(suite.url, COORDINATOR)
    cellKey = await coordinator.register('US cell, browser', cell)
  })

  test('a key not registered for the party is refused, with the reason shown', async () => {
    await signIn()
    expect(await headerKeyId()).toBe('')
    await loadKeyFile(newKeyPair().pem, 'stranger.key.pem')
    const problem = page.getByTestId('signing-problem')
    await expect.poll(() => problem.getAttribute('data-problem')).toBe('not_registered')
    expect(await problem.textContent()).toContain('This key is not registered for your party')
    await shoot('signing-not-registered')
    expect(await page.getByTestId('signing-none').isVisible()).toBe(true)
    expect(await headerKeyId()).toBe('')
    // The page says where the key stays and what signing changes.
    expect(await page.getByTestId('signing-intro').textContent()).toMatch(/never sent to the server.*signed by your party, not attested by the server/)
    expect(await page.locator(`[data-testid="party-key"][data-key-id="${cellKey.id}"]`).getAttribute('data-status')).toBe('active')

    // A public key file by mistake, and a file that is no key at all.
    await page.getByTestId('signing-file').setInputFiles({ name: 'us-cell.pub.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(cell.publicKey.export({ format: 'pem', type: 'spki' })) })
    await expect.poll(() => problem.getAttribute('data-problem')).toBe('public_key')
    await page.getByTestId('signing-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') })
    await expect.poll(() => problem.getAttribute('data-problem')).toBe('not_ed25519_pem')
    expect(await problem.textContent()).toContain('not an Ed25519 private key in PEM (PKCS#8) form')
    expect(await storedKeys()).toEqual([])
  }, TEST_TIMEOUT)

  test('a revoked key is refused', async () => {
    const retired = newKeyPair()
    const registered = await coordinator.register('US cell, retired', retired)
    await coordinator.revoke(registered.id)
    await page.goto(`${suite.url}/agreements`)
    await loadKeyFile(retired.pem, 'retired.key.pem')
    const problem = page.getByTestId('signing-problem')
    await expect.poll(() => problem.getAttribute('data-problem')).toBe('revoked')
    expect(await problem.textContent()).toContain('This key (“US cell, retired”) was revoked on')
    expect(await page.locator(`[data-testid="party-key"][data-key-id="${registered.id}"]`).getAttribute('data-status')).toBe('revoked')
    expect(await headerKeyId()).toBe('')
  }, TEST_TIMEOUT)

  test("with the party's key loaded, a provision status is signed by the party, and the signature verifies over the statement", async () => {
    await page.goto(`${suite.url}/agreements`)
    await loadKeyFile(cell.pem)
    await page.getByTestId('signing-loaded').waitFor()
    expect(await page.getByTestId('signing-name').textContent()).toBe('US cell, browser')
    expect(await page.getByTestId('signing-fingerprint').textContent()).toBe(cellKey.fingerprint)
    expect(await page.getByTestId('signing-key-id').textContent()).toBe(cellKey.id)
    expect(await page.getByTestId('signing-message').textContent()).toContain('Key “US cell, browser” loaded')
    // The header says a key signs, and whose.
    expect(await headerKeyId()).toBe(cellKey.id)
    expect(await page.getByTestId('signing-indicator').textContent()).toBe('US cell, browser')
    await shoot('signing-loaded')
    // The page reads the same in Arabic, right to left.
    await page.getByTestId('lang-switch').selectOption('ar')
    await page.waitForFunction(() => document.documentElement.dir === 'rtl')
    expect(await page.locator('h1').textContent()).toBe('مفتاح التوقيع')
    expect(await page.getByTestId('signing-name').textContent()).toBe('US cell, browser')
    await shoot('signing-loaded-ar')
    await page.getByTestId('lang-switch').selectOption('en')
    await page.waitForFunction(() => document.documentElement.dir === 'ltr')

    const { provision, response, request } = await recordStatus('4', `Convoys reached Madaya, signed in the browser (${Date.now()})`, cellKey.id)
    expect(response.status()).toBe(201)
    expect(await provision.getByTestId('signing-note').textContent()).toContain('signed with your party’s key “US cell, browser”')
    await provision.getByTestId('status-saved').waitFor()
    await shootElement('signing-form', provision.getByTestId('status-form'))
    const sent = await request.allHeaders()
    expect(sent['x-truce-signature']).toMatch(new RegExp(`^keyid=${cellKey.id}, sig=[A-Za-z0-9+/]+={0,2}$`))
    const id = submissionOf(response.headers())

    const { signature } = await loggedEntry(id)
    expect(signature).toMatchObject({ by: 'party', partyKeyId: cellKey.id })
    if (signature.by !== 'party') throw new Error('not party-signed')
    // The log commits to the stored statement by its hash; it is the statement of the request as
    // sent, and the party's public key verifies the stored signature over it.
    const statement = statementOf(request)
    expect(signature.statementSha256).toBe(sha256Hex(statement))
    expect(verify(null, Buffer.from(statement), cell.publicKey, Buffer.from(signature.signature, 'base64'))).toBe(true)
    expect(sent['x-truce-signature']).toBe(`keyid=${cellKey.id}, sig=${signature.signature}`)
  }, TEST_TIMEOUT)

  test('the key survives a reload, kept non-extractable, and still signs', async () => {
    await page.reload()
    await page.getByTestId('user-name').waitFor()
    await expect.poll(headerKeyId).toBe(cellKey.id)
    expect(await storedKeys()).toEqual([{ keyId: cellKey.id, extractable: false, usages: ['sign'] }])

    const { response } = await recordStatus('2', `Signed after a reload (${Date.now()})`, cellKey.id)
    expect(response.status()).toBe(201)
    const { signature } = await loggedEntry(submissionOf(response.headers()))
    expect(signature).toMatchObject({ by: 'party', partyKeyId: cellKey.id })
  }, TEST_TIMEOUT)

  test('a key revoked after it was loaded: the server refuses the signature, the form says why, nothing is written', async () => {
    const spare = newKeyPair()
    const spareKey = await coordinator.register('US cell, spare', spare)
    await page.goto(`${suite.url}/signing`)
    await page.getByTestId('signing-forget').click()
    await page.getByTestId('signing-file').setInputFiles({ name: 'spare.key.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(spare.pem) })
    await expect.poll(headerKeyId).toBe(spareKey.id)
    await coordinator.revoke(spareKey.id)

    // The browser logs the refused request (at its full URL); that console error is expected here.
    suite.browser.expected = [{ status: 401, path: /\/provisions\/[^/]+\/status$/ }]
    const { provision, response } = await recordStatus('4', `Signed with a revoked key (${Date.now()})`, spareKey.id)
    expect(response.status()).toBe(401)
    expect(response.headers()['x-truce-submissions']).toBeUndefined()
    const error = provision.getByTestId('status-error')
    expect(await error.getAttribute('data-error-code')).toBe('invalid_signature')
    expect(await error.textContent()).toContain('The server refused the signature made with your signing key')
    expect(await error.getByTestId('server-message').textContent()).toBe('The request signature does not verify.')
    expect(await error.textContent()).toContain('no key of your party with that id is valid now')
    await shoot('signing-refused')

    // The Signing key page now says the loaded key is revoked.
    await page.getByTestId('nav-signing').click()
    await expect.poll(() => page.getByTestId('signing-stale').textContent()).toContain('Revoked')
  }, TEST_TIMEOUT)

  test('after "Forget", the next submission is attested by the server', async () => {
    await page.goto(`${suite.url}/signing`)
    await page.getByTestId('signing-forget').click()
    await page.getByTestId('signing-none').waitFor()
    expect(await page.getByTestId('signing-message').textContent()).toContain('attested by the server again')
    expect(await headerKeyId()).toBe('')
    expect(await storedKeys()).toEqual([])

    const { provision, response, request } = await recordStatus('4', `Sent without a party key (${Date.now()})`, '')
    expect(response.status()).toBe(201)
    expect(await provision.getByTestId('signing-note').textContent()).toContain('The server will attest this submission')
    expect((await request.allHeaders())['x-truce-signature']).toBeUndefined()
    const { signature } = await loggedEntry(submissionOf(response.headers()))
    expect(signature.by).toBe('server')
  }, TEST_TIMEOUT)

  test('signing out forgets the key', async () => {
    await page.goto(`${suite.url}/agreements`)
    await loadKeyFile(cell.pem)
    await expect.poll(headerKeyId).toBe(cellKey.id)
    expect(await storedKeys()).toHaveLength(1)
    await page.getByTestId('logout').click()
    await page.getByTestId('sign-in').waitFor()
    expect(await storedKeys()).toEqual([])
    await signIn()
    await page.goto(`${suite.url}/signing`)
    await page.getByTestId('signing-none').waitFor()
    expect(await headerKeyId()).toBe('')
  }, TEST_TIMEOUT)
})
