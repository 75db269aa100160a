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
