// Cursor pagination: an opaque cursor carries the last row's sort key and id, so pages stay
// stable while rows are added and no page is ever skipped or repeated.
import { z } from 'zod'
import { badRequest } from './errors.ts'

export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
})
export type PageQuery = z.infer<typeof pageQuery>

export type Cursor = { k: string; id: string }

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url')
}

export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (raw === undefined) return undefined
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown
    if (c && typeof c === 'object' && typeof (c as Cursor).k === 'string' && typeof (c as Cursor).id === 'string') {
      return c as Cursor
    }
  } catch { /* fall through */ }
  throw badRequest('invalid_cursor', 'The cursor is not one this server issued.', [{ path: 'cursor', message: 'unreadable cursor' }])
}

export type Page<T> = { items: T[]; nextCursor: string | null }

/** Slice one extra row off a `limit + 1` query into a page and the cursor for the next one. */
export function toPage<R, T>(rows: R[], limit: number, key: (r: R) => Cursor, present: (r: R) => T): Page<T> {
  const more = rows.length > limit
  const items = more ? rows.slice(0, limit) : rows
  const last = items[items.length - 1]
  return { items: items.map(present), nextCursor: more && last ? encodeCursor(key(last)) : null }
}

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() })
