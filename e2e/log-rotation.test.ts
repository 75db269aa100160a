// A log key rotation seen from the Verify page, in Chromium, on a real server whose log really
// rotated: a reader who pinned the old key is told the log handed over to the new one, the
// rotation being checked in the browser (signed by both keys), and pins the new key in one click.
// And, in Node's WebCrypto, followRotation refuses what is not a rotation.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { recordSubmission, systemActor } from '../src/modules/ledger/ledger.service.ts'
import { loadOrCreateLogKey, type LogKey } from '../src/modules/log/log.keys.ts'
import { signNote } from '../src/modules/log/note.ts'
import { formatRotation, rotateLogKey } from '../src/modules/log/rotation.ts'
import { sequencePass, startSequencer, type Sequencer } from '../src/modules/log/sequencer.ts'
import { openTestDb, type TestDatabase } from '../test/helpers/db.ts'
import { followRotation } from '../web/src/log/verify.ts'
import { chromiumAvailable, openGuardedBrowser, type GuardedBrowser } from './chromium.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const ORIGIN = 'truce.test/log'
const hasChromium = chromiumAvailable('e2e/log-rotation.test.ts')

describe('followRotation (the browser check of a rotation)', () => {
  const keys: LogKey[] = []
  let dir: string
  beforeAll(async () => {
    const db = await openTestDb('pglite')
    dir = db.location
    for (const name of ['a', 'b', 'c', 'd']) keys.push(loadOrCreateLogKey(ORIGIN, join(dir, `${name}.pem`)).key)
    await db.dispose()
  })
  const rotation = (from: LogKey, to: LogKey, size: number, signers = [from, to]) => ({
    fromVkey: from.vkey, toVkey: to.vkey, atSize: size,
    note: signNote(formatRotation({ origin: ORIGIN, size, rootHash: Buffer.alloc(32, size), fromVkey: from.vkey, toVkey: to.vkey }), signers.map((k) => k.signer)),
  })

  it('follows one or more handovers, each signed by both keys', async () => {
    const [a, b, c] = keys as [LogKey, LogKey, LogKey]
    expect(await followRotation(a.vkey, b.vkey, [rotation(a, b, 10)])).toEqual({ ok: true, steps: [{ from: a.vkey, to: b.vkey, size: 10 }] })
    expect(await followRotation(a.vkey, c.vkey, [rotation(b, c, 20), rotation(a, b, 10)])).toMatchObject({ ok: true, steps: [{ size: 10 }, { size: 20 }] })
  })

  it('refuses a rotation one key did not sign, a list whose fields lie, and a key nothing links', async () => {
    const [a, b, c, d] = keys as [LogKey, LogKey, LogKey, LogKey]
    expect(await followRotation(a.vkey, b.vkey, [rotation(a, b, 10, [a])])).toEqual({ ok: false, reason: 'bad_rotation', from: a.vkey, why: 'not_signed_by_new_key' })
    expect(await followRotation(a.vkey, b.vkey, [rotation(a, b, 10, [b])])).toEqual({ ok: false, reason: 'bad_rotation', from: a.vkey, why: 'not_signed_by_old_key' })
    // The list's fields say a → b, but the signed note says c → d: only the note counts.
    expect(await followRotation(a.vkey, b.vkey, [{ ...rotation(c, d, 10), fromVkey: a.vkey, toVkey: b.vkey }])).toEqual({ ok: false, reason: 'no_chain' })
    expect(await followRotation(a.vkey, d.vkey, [rotation(a, b, 10)])).toEqual({ ok: false, reason: 'no_chain' })
  })
})

describe.skipIf(!hasChromium)('a rotated log key on the Verify page', () => {
  let db: TestDatabase
  let browser: GuardedBrowser
  let url = ''
  let close: () => Promise<void> = async () => {}
  let oldKey: LogKey
  let newKey: LogKey

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'scripts/build-web.ts'), '--if-stale'], { cwd: root, stdio: 'inherit' })
    db = await openTestDb('pglite')
    const config = loadConfig({ TRUCE_DATA_DIR: db.location, LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', TRUCE_LOG_ORIGIN: ORIGIN })
    oldKey = loadOrCreateLogKey(ORIGIN, join(db.location, 'old.pem')).key
    newKey = loadOrCreateLogKey(ORIGIN, join(db.location, 'new.pem')).key
    // The log signs under the old key, hands over, and signs one more checkpoint under the new key.
    while ((await sequencePass(db, oldKey)).added > 0) { /* drain the demo */ }
    await rotateLogKey(db.kysely, oldKey, newKey)
    const party = await db.kysely.selectFrom('parties').select('id').where('slug', '=', 'un-osesy').executeTakeFirstOrThrow()
    await db.kysely.transaction().execute((trx) => recordSubmission(trx, systemActor(party.id), { kind: 'test.note', subjectId: null, payload: { after: 'rotation' }, visibility: 'public' }))
    const sequencer: Sequencer = await startSequencer({ db, key: newKey, intervalMs: 200 })
    await sequencer.pass()
    const app = await buildApp({ db, config, logger: false })
    const address = await app.listen({ port: 0, host: '127.0.0.1' })
    url = `http://localhost:${new URL(address).port}`
    close = async () => { await app.close(); await sequencer.stop() }
    browser = await openGuardedBrowser()
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await close()
    await db?.dispose()
  }, 180_000)

  test('a reader who pinned the old key is shown the checked handover, and pins the new key', async () => {
    const page = browser.page
    await page.goto(`${url}/log`)
    expect(await page.getByTestId('vkey-served').textContent()).toBe(newKey.vkey)
    await page.getByTestId('vkey-input').fill(oldKey.vkey)
    await page.getByTestId('vkey-pin').click()
    const status = page.getByTestId('vkey-status')
    await expect.poll(() => status.getAttribute('data-status')).toBe('rotated')
    expect(await status.textContent()).toContain('The log rotated its key')
    await page.getByTestId('vkey-pin-rotated').click()
    await expect.poll(() => status.getAttribute('data-status')).toBe('match')
    expect(await page.getByTestId('vkey-pinned').textContent()).toBe(newKey.vkey)
    // A key nothing hands over to stays a mismatch.
    await page.getByTestId('vkey-unpin').click()
    const stranger = loadOrCreateLogKey(ORIGIN, join(db.location, 'stranger.pem')).key
    await page.getByTestId('vkey-input').fill(stranger.vkey)
    await page.getByTestId('vkey-pin').click()
    await expect.poll(() => status.getAttribute('data-status')).toBe('mismatch')
    const { errors, external } = browser.takeProblems()
    expect(errors).toEqual([])
    expect(external).toEqual([])
  }, 120_000)
})
