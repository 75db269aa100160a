// Loading one thing from the API for a page: the data, the error, and a way to load it again.
// A response that arrives after the page moved on (to another agreement, say) is dropped.
import { useCallback, useEffect, useRef, useState } from 'react'
import { ApiError } from './api.ts'

export type Resource<T> = {
  data: T | undefined
  error: ApiError | null
  loading: boolean
  reload: () => Promise<void>
}

const asApiError = (e: unknown): ApiError =>
  e instanceof ApiError ? e : new ApiError(0, 'client_error', e instanceof Error ? e.message : String(e))

/** `key` names what is loaded; when it changes the old data is dropped and the new loaded. */
export function useResource<T>(key: string | null, load: () => Promise<T>): Resource<T> {
  const [state, setState] = useState<{ key: string | null; data: T | undefined; error: ApiError | null; loading: boolean }>(
    { key, data: undefined, error: null, loading: key !== null })
  const generation = useRef(0)
  const loadRef = useRef(load)
  // The latest loader, without making a new loader function mean a new request.
  useEffect(() => {
    loadRef.current = load
  })

  const run = useCallback(async (forKey: string | null, keepData: boolean) => {
    const mine = ++generation.current
    if (forKey === null) {
      setState({ key: forKey, data: undefined, error: null, loading: false })
      return
    }
    setState((s) => ({ key: forKey, data: keepData && s.key === forKey ? s.data : undefined, error: null, loading: true }))
    try {
      const data = await loadRef.current()
      if (mine === generation.current) setState({ key: forKey, data, error: null, loading: false })
    } catch (e) {
      if (mine === generation.current) setState((s) => ({ ...s, key: forKey, error: asApiError(e), loading: false }))
    }
  }, [])

  useEffect(() => {
    void run(key, false)
  }, [key, run])

  const reload = useCallback(() => run(key, true), [key, run])
  const current = state.key === key
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : null,
    loading: current ? state.loading : key !== null,
    reload,
  }
}

export { asApiError }
