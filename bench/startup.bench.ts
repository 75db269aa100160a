// Embedded database start times, each measured in a fresh process: cold (new data directory:
// PGlite + CREATE EXTENSION postgis + all migrations + demo) and warm (reopen a migrated data
// directory and check migrations), the two things a user waits for on `npm start`.
//
//   node bench/startup.bench.ts [--runs 3]
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { fmt, median } from './lib.ts'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, child: { type: 'string' }, dir: { type: 'string' } } })

if (values.child) {
  const { openPGlite } = await import('../src/db/database.ts')
  const { migrate, migrationStatus } = await import('../src/db/migrate.ts')
  const { loadDemo } = await import('../src/modules/demo/demo.service.ts')
  const t = performance.now()
  const db = await openPGlite(values.dir!)
  if (values.child === 'cold') { await migrate(db); await loadDemo(db.kysely) } else { await migrationStatus(db) }
  const ms = performance.now() - t
  await db.close()
  process.stdout.write(String(ms))
  process.exit(0)
}

const runs = Number(values.runs)
const self = new URL(import.meta.url).pathname
const child = (mode: string, dir: string) => Number(execFileSync(process.execPath, [self, '--child', mode, '--dir', dir], { encoding: 'utf8' }))
const cold: number[] = []
const warm: number[] = []
for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'truce-bench-start-'))
  cold.push(child('cold', dir))
  warm.push(child('warm', dir))
  rmSync(dir, { recursive: true, force: true })
}
console.log(`embedded database start (PGlite + PostGIS), ${runs} runs, each in a new process`)
console.log(`cold: new data dir, migrate, load demo   median ${fmt(median(cold) / 1000, 2)} s  (min ${fmt(Math.min(...cold) / 1000, 2)}, max ${fmt(Math.max(...cold) / 1000, 2)})`)
console.log(`warm: reopen data dir, check migrations  median ${fmt(median(warm) / 1000, 2)} s  (min ${fmt(Math.min(...warm) / 1000, 2)}, max ${fmt(Math.max(...warm) / 1000, 2)})`)
console.log(`cold / warm: ${fmt(median(cold) / median(warm), 2)}`)
