// The web client's entry point: set the document language before the first paint (so Arabic
// never flashes left-to-right), then mount the app.
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.tsx'
import { applyToDocument, I18nProvider, initialLang } from './i18n/index.tsx'
import { SessionProvider } from './session.tsx'
import { SigningKeyProvider } from './signingKey.tsx'
import './styles.css'

applyToDocument(initialLang())

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')

createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <SigningKeyProvider>
          <App />
        </SigningKeyProvider>
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
)
