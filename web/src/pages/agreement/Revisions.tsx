// The agreement's revision history: every amendment with its date, who made it, the note, and
// which fields it changed.
import type { Revision } from '../../api.ts'
import { useI18n } from '../../i18n/index.tsx'

type Props = { revisions: Revision[]; partyName: (partyId: string) => string }

export function Revisions({ revisions, partyName }: Props) {
  const { t, formatDateTime } = useI18n()
  if (revisions.length === 0) return <p className="empty">{t('revisions.empty')}</p>
  const newestFirst = [...revisions].sort((a, b) => b.revision - a.revision)
  return (
    <ol className="revisions" data-testid="revisions">
      {newestFirst.map((r) => (
        <li key={r.revision} className="revision" data-testid="revision" data-revision={r.revision}>
          <div className="revision-head">
            <span className="revision-number">{t('revisions.revision')} {r.revision}</span>
            <time dateTime={r.changedAt} className="muted">{formatDateTime(r.changedAt)}</time>
            <span className="muted">{t('revisions.by')} {partyName(r.partyId)}</span>
          </div>
          <p className="revision-note" dir="auto">{r.note}</p>
          {r.changes.length > 0 && (
            <div className="revision-changes">
              <span className="visually-hidden">{t('revisions.changes')}: </span>
              <ul className="chips" aria-label={t('revisions.changes')}>
                {r.changes.map((c, i) => <li key={`${c.path}-${i}`}><code dir="ltr">{c.path}</code></li>)}
              </ul>
            </div>
          )}
        </li>
      ))}
    </ol>
  )
}
