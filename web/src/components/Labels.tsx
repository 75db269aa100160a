// Small presentational pieces shared by pages: status badges, the implementation level meter,
// and record text shown in the reader's language with its fallback marked.
import type { AgreementStatus, LangText, Visibility } from '../api.ts'
import { dirOf, useI18n, type MessageKey } from '../i18n/index.tsx'

export function StatusBadge({ status }: { status: AgreementStatus }) {
  const { t } = useI18n()
  return <span className={`badge badge-status-${status}`} data-status={status}>{t(`status.${status}` as MessageKey)}</span>
}

export function VisibilityBadge({ visibility }: { visibility: Visibility }) {
  const { t } = useI18n()
  return <span className={`badge badge-visibility badge-visibility-${visibility}`}>{t(`visibility.${visibility}` as MessageKey)}</span>
}

export const levelName = (t: (k: MessageKey) => string, level: number): string =>
  level >= 0 && level <= 3 ? t(`level.${level}` as MessageKey) : String(level)

/** Four steps, filled up to the level; the words carry the meaning, the colour only repeats it. */
export function LevelMeter({ level }: { level: number }) {
  const { t } = useI18n()
  return (
    <span className={`level level-${level}`} data-level={level}>
      <span className="level-steps" aria-hidden="true">
        {[1, 2, 3].map((step) => <span key={step} className={step <= level ? 'level-step on' : 'level-step'} />)}
      </span>
      <span className="level-text">
        <strong>{levelName(t, level)}</strong> <span className="muted">({t('level.ofThree', { level })})</span>
      </span>
    </span>
  )
}

type TextProps = {
  text: LangText | null | undefined
  as?: 'p' | 'span' | 'div' | 'h1' | 'h2' | 'h3'
  className?: string
  /** Whether to say, under the text, that it is shown in another language. */
  markFallback?: boolean
  testId?: string
}

/** Record text in the UI language, else English, else any; marked when it is not the UI's. */
export function LocalText({ text, as: Tag = 'span', className, markFallback = true, testId }: TextProps) {
  const { pick, t, languageName } = useI18n()
  const picked = pick(text)
  if (!picked) return null
  return (
    <>
      <Tag className={className} lang={picked.lang} dir={dirOf(picked.lang)} data-testid={testId}>{picked.text}</Tag>
      {markFallback && picked.fallback && (
        <span className="fallback-note" data-testid="fallback-note" data-fallback-lang={picked.lang}>
          {t('agreement.fallback', { shown: languageName(picked.lang) })}
        </span>
      )}
    </>
  )
}

/** The display name of a party from its multilingual name, without the fallback note. */
export function usePartyName(): (name: LangText | undefined, fallback: string) => string {
  const { pick } = useI18n()
  return (name, fallback) => pick(name)?.text ?? fallback
}
