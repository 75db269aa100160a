// `npm run bench`: every bench/*.bench.ts in turn, each in its own process.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'

const dir = new URL('./', import.meta.url).pathname
const extra = process.argv.slice(2)
let failed = 0
for (const file of readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort()) {
  console.log(`\n== bench/${file} ==`)
  const r = spawnSync(process.execPath, [`${dir}${file}`, ...extra], { stdio: 'inherit' })
  if (r.status !== 0) failed++
}
process.exit(failed ? 1 : 0)
