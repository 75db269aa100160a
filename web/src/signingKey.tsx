// The signing key of whoever is signed in, for every page: the one they loaded in this browser
// (signing.ts), restored from IndexedDB when they come back, and handed to api.ts so that every
// write they make carries their party's signature. Another user signing in gets their own key,
// or none; sign-out forgets it (session.tsx).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { api, setRequestSigner } from './api.ts'
import { useSession } from './session.tsx'
import { forgetSigningKey, loadSigningKey, requestSignerFor, restoreSigningKey, storeSigningKey, type SigningKey } from './signing.ts'

export type SigningState = {
  /** The key every write is signed with, or null: the server then attests what is submitted. */
  key: SigningKey | null
  /** False while a key kept in this browser is being looked up for the signed-in user. */
  ready: boolean
  /** Whether the key is kept across reloads (false when this browser refuses IndexedDB). */
  persisted: boolean
  /** Reads a PEM private key, checks it against the party's keys, and signs with it from now on. */
  load: (pem: string) => Promise<SigningKey>
  forget: () => Promise<void>
}

const SigningContext = createContext<SigningState | null>(null)

type Held = { userId: string | null; key: SigningKey | null; ready: boolean; persisted: boolean }

export function SigningKeyProvider({ children }: { children: ReactNode }) {
  const { user } = useSession()
  const userId = user?.id ?? null
  const partyId = user?.partyId ?? null
  const [held, setHeld] = useState<Held>({ userId: null, key: null, ready: true, persisted: false })

  const hold = useCallback((forUser: string | null, key: SigningKey | null, persisted: boolean) => {
    setRequestSigner(key === null ? null : requestSignerFor(key))
    setHeld({ userId: forUser, key, ready: true, persisted })
  }, [])

  useEffect(() => {
    let current = true
    // Nothing signs for the previous user, nor for this one until their own key is found.
    setRequestSigner(null)
    setHeld({ userId, key: null, ready: userId === null, persisted: false })
    if (userId === null || partyId === null) return
    restoreSigningKey(userId, partyId)
      .then((key) => { if (current) hold(userId, key, key !== null) })
      // Storage switched off or unreadable: no key kept, the reader can load one for this visit.
      .catch(() => { if (current) hold(userId, null, false) })
    return () => { current = false }
  }, [userId, partyId, hold])

  const load = useCallback(async (pem: string) => {
    if (userId === null || partyId === null) throw new Error('sign in first')
    // The party's keys as they are now, not as a page listed them earlier.
    const { items } = await api.partyKeys(partyId)
    const key = await loadSigningKey(pem, items, new Date())
    let persisted = true
    try {
      await storeSigningKey(userId, partyId, key)
    } catch {
      persisted = false
    }
    hold(userId, key, persisted)
    return key
  }, [userId, partyId, hold])

  const forget = useCallback(async () => {
    hold(userId, null, false)
    if (userId !== null) await forgetSigningKey(userId)
  }, [userId, hold])

  const value = useMemo<SigningState>(() => {
    // Until the effect has run for a new user, what is held belongs to the previous one.
    const mine = held.userId === userId
    return { key: mine ? held.key : null, ready: mine && held.ready, persisted: mine && held.persisted, load, forget }
  }, [held, userId, load, forget])

  return <SigningContext.Provider value={value}>{children}</SigningContext.Provider>
}

export function useSigningKey(): SigningState {
  const value = useContext(SigningContext)
  if (!value) throw new Error('useSigningKey outside <SigningKeyProvider>')
  return value
}
