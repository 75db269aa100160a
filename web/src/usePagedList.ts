// A cursor-paged list for a page: the first page through useResource, further pages appended on
// demand. Pages loaded for an older key (another filter, another reader) are dropped.
import { useState } from 'react'
import type { ApiError, Page } from './api.ts'
import { asApiError, useResource, type Resource } from './useResource.ts'

export type PagedList<T> = {
  first: Resource<Page<T>>
  items: T[]
  /** The cursor of the next page, or null when the list is complete. */
  cursor: string | null
  loadMore: () => Promise<void>
  loadingMore: boolean
  moreError: ApiError | null
}

/** `key` names the list (null: not yet); `fetchPage(cursor)` loads one page of it. */
export function usePagedList<T>(key: string | null, fetchPage: (cursor?: string) => Promise<Page<T>>): PagedList<T> {
  const first = useResource(key, () => fetchPage())
  const [more, setMore] = useState<{ key: string | null; items: T[]; cursor: string | null }>({ key: null, items: [], cursor: null })
  const [moreError, setMoreError] = useState<ApiError | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)

  const extra = more.key === key ? more : { key, items: [] as T[], cursor: null }
  const items = [...(first.data?.items ?? []), ...extra.items]
  const cursor = extra.items.length > 0 ? extra.cursor : (first.data?.nextCursor ?? null)

  const loadMore = async () => {
    if (cursor === null) return
    setLoadingMore(true)
    setMoreError(null)
    try {
      const page = await fetchPage(cursor)
      setMore({ key, items: [...extra.items, ...page.items], cursor: page.nextCursor })
    } catch (e) {
      setMoreError(asApiError(e))
    } finally {
      setLoadingMore(false)
    }
  }
  return { first, items, cursor, loadMore, loadingMore, moreError }
}
