// Who is using the app: the answer of /api/auth/me, kept for every page. Pages ask `can(…)` with
// the permission names the server uses, so what the interface offers follows the same rules as
// what the API allows (the API still checks every request).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { api, ApiError, setCsrfToken, type Me, type SessionUser } from './api.ts'

export type Session = {
  /** null until the first answer from the server. */
  me: Me | null
  error: ApiError | null
  user: SessionUser | null
  can: (permission: string) => boolean
  login: (email: string, password: string) => Promise<SessionUser>
  logout: () => Promise<void>
  refresh: () => Promise<void>
}

const SessionContext = createContext<Session | null>(null)

const ANONYMOUS: Me = {
  kind: 'anonymous', userId: null, partyId: null, roles: [], permissions: [], csrfToken: null, user: null,
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null)
  const [error, setError] = useState<ApiError | null>(null)

  const refresh = useCallback(async () => {
    try {
      const next = await api.me()
      setCsrfToken(next.csrfToken)
      setMe(next)
      setError(null)
    } catch (e) {
      // Without an answer the app still works for public reading, as an anonymous visitor.
      setCsrfToken(null)
      setMe(ANONYMOUS)
      setError(e instanceof ApiError ? e : new ApiError(0, 'network_error', String(e)))
    }
  }, [])

  useEffect(() => {
    void refresh()
  }, [refresh])

  const login = useCallback(async (email: string, password: string) => {
    const result = await api.login(email, password)
    setCsrfToken(result.csrfToken)
    // Permissions come only from /me; reading them again keeps one source of truth.
    await refresh()
    return result.user
  }, [refresh])

  const logout = useCallback(async () => {
    try {
      await api.logout()
    } catch (e) {
      // A session that already ended is as good as one ended now.
      if (!(e instanceof ApiError && e.status === 401)) throw e
    }
    setCsrfToken(null)
    await refresh()
  }, [refresh])

  const value = useMemo<Session>(() => {
    const permissions = new Set(me?.permissions ?? [])
    return {
      me, error, user: me?.user ?? null,
      can: (permission) => permissions.has(permission),
      login, logout, refresh,
    }
  }, [me, error, login, logout, refresh])

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export function useSession(): Session {
  const value = useContext(SessionContext)
  if (!value) throw new Error('useSession outside <SessionProvider>')
  return value
}
