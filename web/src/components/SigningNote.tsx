// Beside a form's submit button: who will vouch for the submission. With a signing key loaded,
// the party's key by name and fingerprint; without one, the server, and where to load a key.
import { richText, useI18n } from '../i18n/index.tsx'
import { Link } from '../router.tsx'
import { useSigningKey } from '../signingKey.tsx'

/** Enough of a fingerprint to tell keys apart at a glance; the Signing key page shows all of it. */
export const shortFingerprint = (hex: string): string => (hex.length > 16 ? `${hex.slice(0, 16)}…` : hex)

export function SigningNote() {
  const { t } = useI18n()
  const { key } = useSigningKey()
  if (key === null) {
    return (
      <p className="hint signing-note" data-testid="signing-note" data-key-id="">
        {richText(t('signing.noteUnsigned'), { link: <Link to="/signing">{t('signing.noteLink')}</Link> })}
      </p>
    )
  }
  return (
    <p className="signing-note signing-note-on" data-testid="signing-note" data-key-id={key.keyId}>
      {richText(t('signing.noteSigned'), {
        name: <bdi>{key.name}</bdi>,
        fingerprint: <bdi><code dir="ltr">{shortFingerprint(key.fingerprint)}</code></bdi>,
      })}
    </p>
  )
}
