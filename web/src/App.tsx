// The frame around every page: header with navigation (by the reader's permissions), the
// language switcher, sign-in state with the signing key in use, and the page the address names.
import { lazy, Suspense, useEffect, useRef, useState } from 'react'
import { ErrorMessage } from './components/ErrorMessage.tsx'
import { LANGUAGES, LANGUAGE_NAMES, isLang, useI18n, type MessageKey } from './i18n/index.tsx'
import { ActorPage } from './pages/ActorPage.tsx'
import { ActorsPage } from './pages/ActorsPage.tsx'
import { CandidatesPage } from './pages/CandidatesPage.tsx'
import { MatchPage } from './pages/MatchPage.tsx'
import { AgreementPage } from './pages/AgreementPage.tsx'
import { AgreementsPage } from './pages/AgreementsPage.tsx'
import { DelineationPage } from './pages/DelineationPage.tsx'
import { LedgerPage } from './pages/LedgerPage.tsx'
import { LoginPage } from './pages/LoginPage.tsx'
import { VerifyPage } from './pages/VerifyPage.tsx'
import { GeoImportPage } from './pages/GeoImportPage.tsx'
import { ReportImportPage } from './pages/ReportImportPage.tsx'
import { NotFoundPage } from './pages/NotFoundPage.tsx'
import { SigningPage } from './pages/SigningPage.tsx'
import { Link, matchRoute, navigate, useLocation, type Route } from './router.tsx'
import { useSession } from './session.tsx'
import { useSigningKey } from './signingKey.tsx'
import { ApiError } from './api.ts'

// The map page pulls in MapLibre and the basemap; other pages load without them.
const MapPage = lazy(() => import('./pages/MapPage.tsx'))
// So does the public report form, which has a map to drop a pin on.
const ReportPage = lazy(() => import('./pages/ReportPage.tsx'))
// The incidents pages have maps too (and the statistics page its charts).
const IncidentsPage = lazy(() => import('./pages/IncidentsPage.tsx'))
const IncidentPage = lazy(() => import('./pages/IncidentPage.tsx'))
const IncidentStatsPage = lazy(() => import('./pages/IncidentStatsPage.tsx'))

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n()
  return (
    <label className="lang-switch">
      <span className="visually-hidden">{t('nav.language')}</span>
      <svg aria-hidden="true" viewBox="0 0 16 16" className="icon">
        <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" />
        <path d="M1.5 8h13M8 1.5c2 2 2 11 0 13M8 1.5c-2 2-2 11 0 13" fill="none" stroke="currentColor" />
      </svg>
      <select
        data-testid="lang-switch"
        value={lang}
        aria-label={t('nav.language')}
        onChange={(e) => {
          if (isLang(e.target.value)) setLang(e.target.value)
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>{LANGUAGE_NAMES[l]}</option>
        ))}
      </select>
    </label>
  )
}

type NavItem = { to: string; label: MessageKey; active: (r: Route) => boolean; permission?: string; testId: string }

const NAV: readonly NavItem[] = [
  { to: '/agreements', label: 'nav.agreements', active: (r) => r.name === 'agreements' || r.name === 'agreement' || r.name === 'delineation', testId: 'nav-agreements' },
  { to: '/actors', label: 'nav.actors', active: (r) => r.name === 'actors' || r.name === 'actor', permission: 'actor.read', testId: 'nav-actors' },
  { to: '/actors/match', label: 'nav.match', active: (r) => r.name === 'actorMatch', permission: 'actor.read', testId: 'nav-match' },
  { to: '/actors/candidates', label: 'nav.candidates', active: (r) => r.name === 'actorCandidates', permission: 'actor.manage', testId: 'nav-candidates' },
  { to: '/map', label: 'nav.map', active: (r) => r.name === 'map' || r.name === 'geoImport', testId: 'nav-map' },
  { to: '/incidents', label: 'nav.incidents', active: (r) => r.name === 'incidents' || r.name === 'incident' || r.name === 'incidentStats' || r.name === 'reportImport', testId: 'nav-incidents' },
  { to: '/ledger', label: 'nav.ledger', active: (r) => r.name === 'ledger', permission: 'submission.read', testId: 'nav-ledger' },
  // The log is public: anyone may check it, signed in or not.
  { to: '/log', label: 'nav.verify', active: (r) => r.name === 'verify', testId: 'nav-verify' },
  // Anyone may report what happened, anonymously.
  { to: '/report', label: 'nav.report', active: (r) => r.name === 'report', testId: 'nav-report' },
]

/** The way to the Signing key page, which says, when a key is loaded, whose key signs. */
function SigningLink({ route }: { route: Route }) {
  const { t } = useI18n()
  const { key } = useSigningKey()
  return (
    <Link
      to="/signing" className={key ? 'signing-link signing-link-on' : 'signing-link'} data-testid="nav-signing"
      data-key-id={key?.keyId ?? ''} aria-current={route.name === 'signing' ? 'page' : undefined}
      title={key ? t('signing.indicator', { name: key.name }) : t('signing.title')}
    >
      <svg aria-hidden="true" viewBox="0 0 16 16" className="icon">
        <circle cx="5" cy="8" r="3" fill="none" stroke="currentColor" strokeWidth="1.5" />
        <path d="M8 8h6.5M12 8v2.5M14.5 8v2" fill="none" stroke="currentColor" strokeWidth="1.5" />
      </svg>
      {key
        ? <><span className="visually-hidden">{t('signing.indicatorLabel')} </span><bdi data-testid="signing-indicator">{key.name}</bdi></>
        : <span>{t('nav.signing')}</span>}
    </Link>
  )
}

function Header({ route }: { route: Route }) {
  const { t } = useI18n()
  const session = useSession()
  const signing = useSigningKey()
  const [signingOut, setSigningOut] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const user = session.user

  const signOut = async () => {
    setSigningOut(true)
    setError(null)
    try {
      // Signing out forgets the signing key kept in this browser for this user.
      await signing.forget()
      await session.logout()
      navigate('/agreements')
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'client_error', String(e)))
    } finally {
      setSigningOut(false)
    }
  }

  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link to="/agreements" className="brand" aria-label={t('app.name')}>
          <svg aria-hidden="true" viewBox="0 0 24 24" className="brand-mark">
            <circle cx="12" cy="12" r="11" />
            <path d="M6 12h12" />
          </svg>
          <span className="brand-text">
            <span className="brand-name">{t('app.name')}</span>
            <span className="brand-tagline">{t('app.tagline')}</span>
          </span>
        </Link>
        <nav aria-label={t('nav.main')} className="main-nav">
          <ul>
            {NAV.filter((item) => item.permission === undefined || session.can(item.permission)).map((item) => (
              <li key={item.to}>
                <Link to={item.to} data-testid={item.testId} aria-current={item.active(route) ? 'page' : undefined}>
                  {t(item.label)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="header-tools">
          <LanguageSwitch />
          {session.me === null ? null : user ? (
            <div className="account" aria-label={t('nav.account')} role="group">
              <div className="account-who">
                <span className="account-name" data-testid="user-name">
                  <span dir="auto">{user.displayName}</span>
                  <span className="account-roles">
                    {user.roles.map((r) => t(`userRole.${r}` as MessageKey)).join(', ')}
                  </span>
                </span>
                <SigningLink route={route} />
              </div>
              <button type="button" className="button button-secondary" data-testid="logout" onClick={() => void signOut()} disabled={signingOut}>
                {signingOut ? t('nav.signingOut') : t('nav.signOut')}
              </button>
            </div>
          ) : (
            route.name !== 'login' && <Link to="/login" className="button button-primary" data-testid="sign-in">{t('nav.signIn')}</Link>
          )}
        </div>
      </div>
      {error && <div className="site-header-inner"><ErrorMessage error={error} /></div>}
    </header>
  )
}

function Page({ route }: { route: Route }) {
  switch (route.name) {
    case 'agreements': return <AgreementsPage />
    case 'agreement': return <AgreementPage slug={route.slug} />
    case 'delineation': return <DelineationPage slug={route.slug} />
    case 'actors': return <ActorsPage />
    case 'actorMatch': return <MatchPage />
    case 'actorCandidates': return <CandidatesPage />
    case 'actor': return <ActorPage id={route.id} />
    case 'map': return <MapPage />
    case 'geoImport': return <GeoImportPage />
    case 'reportImport': return <ReportImportPage />
    case 'incidents': return <IncidentsPage />
    case 'incident': return <IncidentPage id={route.id} />
    case 'incidentStats': return <IncidentStatsPage />
    case 'ledger': return <LedgerPage />
    case 'verify': return <VerifyPage />
    case 'signing': return <SigningPage />
    case 'report': return <ReportPage />
    case 'login': return <LoginPage />
    case 'notFound': return <NotFoundPage />
  }
}

export function App() {
  const { t } = useI18n()
  const { pathname } = useLocation()
  const route = matchRoute(pathname)
  const main = useRef<HTMLElement>(null)
  const shown = useRef(pathname)

  // After a navigation, move focus to the new page's heading so screen-reader and keyboard
  // users start where the content starts (not on the first load, which the browser handles).
  useEffect(() => {
    if (shown.current === pathname) return
    shown.current = pathname
    const heading = main.current?.querySelector<HTMLElement>('h1')
    if (heading) {
      heading.tabIndex = -1
      heading.focus({ preventScroll: true })
    }
  }, [pathname])

  return (
    <>
      <a href="#main" className="skip-link">{t('app.skipToContent')}</a>
      <Header route={route} />
      <main id="main" ref={main} className="site-main">
        <Suspense fallback={<p className="loading" role="status">{t('common.loading')}</p>}>
          <Page route={route} />
        </Suspense>
      </main>
      <footer className="site-footer">
        <p>
          {t('app.footer')} · <a href="/api/docs">{t('app.apiDocs')}</a>
        </p>
      </footer>
    </>
  )
}
