// `truce verify receipt` on real receipts from the API: a good one verifies; an altered entry,
// an altered proof, a wrong key or a malformed file are refused with the right exit status.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anonymous, DEMO, makeTestApp, signIn, type TestApp } from '../../../test/helpers/app.ts'
import { loadOrCreateLogKey, type LogKey } from '../../modules/log/log.keys.ts'
import { sequencePass } from '../../modules/log/sequencer.ts'
import { main } from '../truce.ts'

async function run(args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(args, (l) => { out.push(l) }, (l) => { err.push(l) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('truce verify receipt', () => {
  let t: TestApp
  let key: LogKey
  let dir: string
  let receipt: string
  let sealedReceipt: string
  let sealedEntry: string
  const file = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p }

  beforeAll(async () => {
    t = await makeTestApp('pglite')
    dir = mkdtempSync(join(tmpdir(), 'truce-receipt-'))
    key = loadOrCreateLogKey('truce.test/log', join(dir, 'log-key.pem')).key
    const us = await signIn(t.app, DEMO.coordinatorUs)
    const detail = (await us.request('GET', '/api/agreements/syria-coh-2016')).json() as { provisions: { id: string }[] }
    const res = await us.request('POST', `/api/agreements/syria-coh-2016/provisions/${detail.provisions[0]!.id}/status`,
      { level: 2, asOf: '2016-03-02T00:00:00Z', evidence: 'for the receipt test' })
    const id = String(res.headers['x-truce-submissions'])
    await sequencePass(t.db, key)
    const r = await anonymous(t.app).request('GET', `/api/log/receipts/${id}`)
    expect(r.statusCode).toBe(200)
    receipt = r.body
    // A non-public submission (an API key's creation): its leaf is sealed.
    const monitor = await signIn(t.app, DEMO.monitor)
    const created = await monitor.request('POST', '/api/api-keys', { name: 'receipt test', scopes: ['submission.read'] })
    const hidden = String(created.headers['x-truce-submissions'])
    await sequencePass(t.db, key)
    sealedReceipt = (await monitor.request('GET', `/api/log/receipts/${hidden}`)).body
    const entry = await monitor.request('GET', `/api/log/entries/${hidden}`)
    expect(entry.statusCode).toBe(200)
    sealedEntry = entry.body
  })
  afterAll(async () => {
    await t?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('verifies a receipt from the API against the pinned log key', async () => {
    const r = await run(['verify', 'receipt', file('good.tlog-proof', receipt), '--vkey', key.vkey])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/valid: .*\n {2}entry at leaf \d+ \(submission [0-9a-f-]{36}, provision\.status, signed by the server\)/)
  })

  it('verifies a sealed receipt, and with --opening the full entry behind the seal', async () => {
    const alone = await run(['verify', 'receipt', file('sealed.tlog-proof', sealedReceipt), '--vkey', key.vkey])
    expect(alone.code).toBe(0)
    expect(alone.out).toMatch(/entry at leaf \d+ \(sealed: a non-public submission, seq \d+; --opening checks its full entry\)/)
    const opening = (JSON.parse(sealedEntry) as { opening: string }).opening
    for (const [name, text] of [['entry.json', sealedEntry], ['opening.json', `${opening}\n`]] as const) {
      const r = await run(['verify', 'receipt', file('sealed.tlog-proof', sealedReceipt), '--vkey', key.vkey, '--opening', file(name, text)])
      expect(r.err).toBe('')
      expect(r.code).toBe(0)
      expect(r.out).toMatch(/\(submission [0-9a-f-]{36}, apikey\.create, signed by the server; the opening matches the seal\)/)
    }
    const forged = await run(['verify', 'receipt', file('sealed.tlog-proof', sealedReceipt), '--vkey', key.vkey,
      '--opening', file('forged.json', opening.replace('"apikey.create"', '"apikey.revoke"'))])
    expect(forged.code).toBe(1)
    expect(forged.err).toMatch(/invalid: .*the opening does not hash to the entry's seal/)
    const notSealed = await run(['verify', 'receipt', file('good.tlog-proof', receipt), '--vkey', key.vkey, '--opening', file('opening.json', opening)])
    expect(notSealed.code).toBe(2)
    expect(notSealed.err).toMatch(/unusable: .*--opening was given, but the entry is not sealed/)
  })

  it('finds an altered entry', async () => {
    const lines = receipt.split('\n')
    const entry = Buffer.from(lines[1]!.slice(6), 'base64').toString().replace('"provision.status"', '"provision.statuz"')
    lines[1] = `extra ${Buffer.from(entry).toString('base64')}`
    const r = await run(['verify', 'receipt', file('entry.tlog-proof', lines.join('\n')), '--vkey', key.vkey])
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/invalid: .*inclusion proof does not lead/)
  })

  it('finds an altered proof hash', async () => {
    const lines = receipt.split('\n')
    const h = Buffer.from(lines[3]!, 'base64')
    h[0] = h[0]! ^ 1
    lines[3] = h.toString('base64')
    const r = await run(['verify', 'receipt', file('proof.tlog-proof', lines.join('\n')), '--vkey', key.vkey])
    expect(r.code).toBe(1)
  })

  it('refuses a checkpoint not signed by the pinned key', async () => {
    const other = loadOrCreateLogKey('truce.test/log', join(dir, 'other.pem')).key
    const r = await run(['verify', 'receipt', file('good2.tlog-proof', receipt), '--vkey', other.vkey])
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/invalid: .*the checkpoint/)
  })

  it.each([
    ['an empty file', () => ''],
    ['a wrong header', () => receipt.replace('c2sp.org/tlog-proof@v1', 'c2sp.org/tlog-proof@v9')],
    ['a bad index line', () => receipt.replace(/\nindex \d+\n/, '\nindex minus-one\n')],
    ['no checkpoint', () => receipt.split('\n\n')[0]!],
  ])('answers %s with exit 2 naming the problem', async (_label, text) => {
    const r = await run(['verify', 'receipt', file('bad.tlog-proof', text()), '--vkey', key.vkey])
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/^unusable: /)
    expect(r.out).not.toMatch(/valid/)
  })
})
