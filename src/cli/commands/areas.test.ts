// `truce areas import` and `truce areas attribute` as an operator runs them: a real process on a
// copy of the demo database, progress printed, a bad file refused naming the feature with nothing
// written, the same file again adding nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runTruce } from '../../../test/helpers/cli.ts'
import { processDatabase } from '../../../test/helpers/db.ts'

const PROCESS_TEST_TIMEOUT = 240_000

const square = (code: string, lon: number, lat: number) => ({
  type: 'Feature', properties: { ADM1_PCODE: code, ADM1_EN: `Unit ${code}`, ADM1_AR: `وحدة ${code}` },
  geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + 1, lat], [lon + 1, lat + 1], [lon, lat + 1], [lon, lat]]] },
})

describe('truce areas', () => {
  let env: Record<string, string>
  let dispose: () => Promise<void>
  let dir: string
  beforeAll(async () => {
    ({ env, dispose } = await processDatabase('pglite'))
    dir = mkdtempSync(join(tmpdir(), 'truce-areas-'))
  })
  afterAll(async () => {
    await dispose?.()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('imports a file into a new layer with progress, refuses a bad one naming the feature, and attributes a point', async () => {
    const good = join(dir, 'units.geojson')
    writeFileSync(good, JSON.stringify({ type: 'FeatureCollection', features: [square('XA', 10, 10), square('XB', 11, 10)] }))
    const run = await runTruce(['areas', 'import', good, '--layer', 'test-units', '--kind', 'admin', '--title', 'Test units', '--claimant', 'un-osesy', '--valid-from', '2015-01-01'], { env })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('created layer test-units (admin)')
    expect(run.stdout).toContain('100% read')
    expect(run.stdout).toMatch(/Imported 2 features into test-units from geojson \(EPSG:4326\)/)
    const again = await runTruce(['areas', 'import', good, '--layer', 'test-units', '--claimant', 'un-osesy', '--valid-from', '2015-01-01'], { env })
    expect(again.stdout).toContain('Already imported')

    const bad = join(dir, 'bad.geojson')
    writeFileSync(bad, JSON.stringify({ type: 'FeatureCollection', features: [square('XC', 12, 10), { ...square('XD', 13, 10), geometry: { type: 'Point', coordinates: [13, 10] } }] }))
    const refused = await runTruce(['areas', 'import', bad, '--layer', 'test-units', '--claimant', 'un-osesy'], { env })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('nothing was imported')
    expect(refused.stderr).toContain('features[1]')

    const at = await runTruce(['areas', 'attribute', '--lon', '11', '--lat', '10.5', '--at', '2016-01-01', '--party', 'un-osesy'], { env })
    expect(at.code, at.stderr).toBe(0)
    expect(at.stdout).toContain('admin   test-units: Unit XA (XA)')
    expect(at.stdout).toContain('admin   test-units: Unit XB (XB)')
    expect(at.stdout).not.toContain('XC')
    const json = await runTruce(['areas', 'attribute', '--lon', '9', '--lat', '10.5', '--party', 'un-osesy', '--json'], { env })
    const out = JSON.parse(json.stdout) as { admin: unknown[]; nearestAdmin: { externalId: string; distanceM: number }[] }
    expect(out.admin).toEqual([])
    expect(out.nearestAdmin[0]!.externalId).toBe('XA')
    expect(out.nearestAdmin[0]!.distanceM).toBeGreaterThan(100_000)
    expect(out.nearestAdmin[0]!.distanceM).toBeLessThan(112_000)

    const re = await runTruce(['areas', 'reattribute', '--all'], { env })
    expect(re.code, re.stderr).toBe(0)
    expect(re.stdout).toMatch(/Attributed \d+ places/)
  }, PROCESS_TEST_TIMEOUT)

  it('explains what it needs', async () => {
    const missing = await runTruce(['areas', 'import', join(dir, 'nope.geojson'), '--layer', 'x', '--claimant', 'un-osesy'], { env })
    expect(missing.code).not.toBe(0)
    expect(missing.stderr).toContain('cannot read')
    const noKind = await runTruce(['areas', 'import', join(dir, 'units.geojson'), '--layer', 'no-such-layer', '--claimant', 'un-osesy'], { env })
    expect(noKind.stderr).toContain('give --kind')
  }, PROCESS_TEST_TIMEOUT)
})
