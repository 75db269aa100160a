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

/**
 * `valid` checks the sort key and id have the form the listing compares them as, so a forged
 * cursor is answered as one, not as a database error.
 */
export function decodeCursor(raw: string | undefined, valid: (c: Cursor) => boolean = () => true): Cursor | undefined {
  if (raw === undefined) return undefined
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown
    if (c && typeof c === 'object' && typeof (c as Cursor).k === 'string' && typeof (c as Cursor).id === 'string' && valid(c as Cursor)) {
      return c as Cursor
    }
  } catch { /* fall through */ }
  throw badRequest('invalid_cursor', 'The cursor is not one this server issued.', [{ path: 'cursor', message: 'unreadable cursor' }])
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** A cursor keyed by a UTC instant (ISO 8601, up to microseconds) and a uuid. */
export const instantCursor = (c: Cursor) =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(c.k) && UUID.test(c.id) &&
  // Date.parse accepts 30 February; the database does not.
  new Date(Date.parse(c.k) || 0).toISOString().slice(0, 19) === c.k.slice(0, 19)

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
