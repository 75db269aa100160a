// What a `truce` subcommand is, and the small helpers every command file shares. Commands live
// in files by domain (src/cli/commands/*.ts) and src/cli/truce.ts gathers them.
import type { ParseArgsConfig } from 'node:util'
import type { Config } from '../config.ts'
import type { Database } from '../db/database.ts'

export type Options = NonNullable<ParseArgsConfig['options']>
export type Command = {
  summary: string
  usage: string
  options?: Options
  run(values: Record<string, string | boolean | string[] | undefined>, positionals: string[], ctx: Context): Promise<number>
}
export type Context = { config: Config; out: (line: string) => void; err: (line: string) => void; db(): Promise<Database> }

export class UsageError extends Error {}

export const str = (v: unknown, name: string): string => {
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`)
  return v
}

/** Prints rows as aligned columns, the first row being the header. */
export const table = (rows: string[][], out: (l: string) => void) => {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? []
  for (const r of rows) out(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd())
}

/**
 * A progress reporter that speaks once per tenth of the way (0 %, 10 %, … 100 %), not per step.
 *
 * @example const progress = byTenths((pct, done, total) => ctx.out(`  ${done}/${total}`)); progress(5, 50)
 */
export function byTenths(say: (percent: number, done: number, total: number) => void): (done: number, total: number) => void {
  let shown = -1
  return (done, total) => {
    const pct = total === 0 ? 100 : Math.floor((done / total) * 10) * 10
    if (pct > shown) { shown = pct; say(pct, done, total) }
  }
}
