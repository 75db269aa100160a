// Builds the web client (web/ → web/dist) with Vite, which the server then serves at /.
// `--if-stale` skips the build when web/dist/index.html is newer than every file under web/
// (web/dist aside), the server modules the client bundles (SHARED_SOURCES) and package-lock.json,
// so `npm start` only pays for a build after a change.
//
//   node scripts/build-web.ts             always build
//   node scripts/build-web.ts --if-stale  build only if something changed
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const root = fileURLToPath(new URL('..', import.meta.url))
const webDir = join(root, 'web')
const distDir = join(webDir, 'dist')
const distIndex = join(distDir, 'index.html')
const lockfile = join(root, 'package-lock.json')
/**
 * Files outside web/ that the client imports, so that browser and server share one definition:
 * the RFC 8785 canonicalizer builds the statement a party signs (web/src/signing.ts).
 */
const SHARED_SOURCES = ['src/lib/canonical-json.ts']

/** The newest file under `dir`, skipping the build output and any installed packages. */
function newest(dir: string): { path: string; mtimeMs: number } | null {
  let best: { path: string; mtimeMs: number } | null = null
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (path === distDir || entry.name === 'node_modules') continue
      const inner = newest(path)
      if (inner && (!best || inner.mtimeMs > best.mtimeMs)) best = inner
    } else if (entry.isFile()) {
      const { mtimeMs } = statSync(path)
      if (!best || mtimeMs > best.mtimeMs) best = { path, mtimeMs }
    }
  }
  return best
}

/** Why a build is needed, or null when web/dist is up to date. */
export function staleReason(): string | null {
  if (!existsSync(distIndex)) return 'web/dist/index.html is missing'
  const built = statSync(distIndex).mtimeMs
  const source = newest(webDir)
  if (source && source.mtimeMs > built) return `${relative(root, source.path)} changed`
  for (const shared of SHARED_SOURCES) {
    const path = join(root, shared)
    if (existsSync(path) && statSync(path).mtimeMs > built) return `${shared} changed`
  }
  if (existsSync(lockfile) && statSync(lockfile).mtimeMs > built) return 'package-lock.json changed'
  return null
}

async function main(args: readonly string[]): Promise<void> {
  const unknown = args.filter((a) => a !== '--if-stale')
  if (unknown.length > 0) {
    console.error(`build-web: unknown argument ${unknown.join(' ')} (usage: node scripts/build-web.ts [--if-stale])`)
    process.exitCode = 2
    return
  }
  const reason = args.includes('--if-stale') ? staleReason() : 'requested'
  if (reason === null) {
    console.log(`web client up to date (web/dist is newer than web/, ${SHARED_SOURCES.join(', ')} and package-lock.json)`)
    return
  }
  // Test runners export NODE_ENV=test, and Vite would then bundle React's development build;
  // what this script makes is what the server ships.
  process.env.NODE_ENV = 'production'
  const started = performance.now()
  // Vite's own report lists every chunk; one line is enough for `npm start`. Warnings and errors
  // still print.
  await build({ configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn', mode: 'production' })
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.log(`web client built in ${seconds} s → ${relative(root, distDir)} (${reason})`)
}

if (import.meta.main) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error('build-web: the web client did not build')
    console.error(e)
    process.exitCode = 1
  })
}
