// The `truce` command as a real child process, the way an operator runs it: exit code and both
// output streams, with the environment and standard input a test gives.
import { spawn } from 'node:child_process'

const CLI = new URL('../../src/cli/truce.ts', import.meta.url).pathname

export type Run = { code: number | null; stdout: string; stderr: string }

/**
 * `env` is added to this process's environment (LOG_LEVEL silent by default); a variable set to
 * undefined is removed, e.g. `{ DATABASE_URL: undefined }` to force the embedded database.
 */
export function runTruce(args: string[], options: { env?: Record<string, string | undefined>; stdin?: string } = {}): Promise<Run> {
  const env: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'silent', ...options.env }
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k]
  return new Promise<Run>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d })
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    if (options.stdin !== undefined) child.stdin!.end(options.stdin)
  })
}
