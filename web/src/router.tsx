// A small client-side router over the History API: the app has a handful of pages, so a
// dependency for routing would cost more than these few lines. Links stay real <a href> elements,
// so opening one in a new tab, copying it, or reading it with a screen reader all work.
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react'

const listeners = new Set<() => void>()

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  window.addEventListener('popstate', listener)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('popstate', listener)
  }
}

const snapshot = () => window.location.pathname + window.location.search

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to)
  else window.history.pushState(null, '', to)
  for (const l of listeners) l()
  if (!options.replace) window.scrollTo(0, 0)
}

/** The current path and query, re-rendering on every navigation. */
export function useLocation(): { pathname: string; search: URLSearchParams } {
  const current = useSyncExternalStore(subscribe, snapshot)
  const url = new URL(current, window.location.origin)
  return { pathname: url.pathname, search: url.searchParams }
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string }

export function Link({ to, onClick, ...rest }: LinkProps) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e)
    // Leave modified clicks (new tab, new window, download) to the browser.
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
    if (rest.target && rest.target !== '_self') return
    e.preventDefault()
    navigate(to)
  }
  return <a href={to} onClick={handle} {...rest} />
}

export type Route =
  | { name: 'agreements' }
  | { name: 'agreement'; slug: string }
  | { name: 'delineation'; slug: string }
  | { name: 'actors' }
  | { name: 'actorMatch' }
  | { name: 'actorCandidates' }
  | { name: 'actor'; id: string }
  | { name: 'map' }
  | { name: 'geoImport' }
  | { name: 'reportImport' }
  | { name: 'incidents' }
  | { name: 'incidentStats' }
  | { name: 'incident'; id: string }
  | { name: 'ledger' }
  | { name: 'verify' }
  | { name: 'signing' }
  | { name: 'login' }
  | { name: 'report' }
  | { name: 'notFound' }

export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/'
  if (path === '/' || path === '/agreements') return { name: 'agreements' }
  const agreement = /^\/agreements\/([^/]+)$/.exec(path)
  if (agreement?.[1]) return { name: 'agreement', slug: decodeURIComponent(agreement[1]) }
  const delineation = /^\/agreements\/([^/]+)\/delineation$/.exec(path)
  if (delineation?.[1]) return { name: 'delineation', slug: decodeURIComponent(delineation[1]) }
  if (path === '/actors') return { name: 'actors' }
  // Before /actors/:id, which would otherwise take "match" and "candidates" for actor ids.
  if (path === '/actors/match') return { name: 'actorMatch' }
  if (path === '/actors/candidates') return { name: 'actorCandidates' }
  const actor = /^\/actors\/([^/]+)$/.exec(path)
  if (actor?.[1]) return { name: 'actor', id: decodeURIComponent(actor[1]) }
  if (path === '/map') return { name: 'map' }
  if (path === '/map/import') return { name: 'geoImport' }
  if (path === '/incidents/import') return { name: 'reportImport' }
  if (path === '/incidents') return { name: 'incidents' }
  // After /incidents/import and /incidents/stats, which would otherwise be taken for incident ids.
  if (path === '/incidents/stats') return { name: 'incidentStats' }
  const incident = /^\/incidents\/([^/]+)$/.exec(path)
  if (incident?.[1] && path !== '/incidents/import') return { name: 'incident', id: decodeURIComponent(incident[1]) }
  if (path === '/ledger') return { name: 'ledger' }
  // /log itself is this page; everything under /log/ (checkpoint, vkey, tiles) is the server's.
  if (path === '/log') return { name: 'verify' }
  if (path === '/signing') return { name: 'signing' }
  if (path === '/login') return { name: 'login' }
  if (path === '/report') return { name: 'report' }
  return { name: 'notFound' }
}
