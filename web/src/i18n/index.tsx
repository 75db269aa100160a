// The interface language: which one the reader chose (kept in localStorage as `truce.lang`), the
// translation function, and the language-aware formatting of dates and multilingual record text.
// Choosing a language also sets <html lang> and <html dir>, so Arabic lays out right-to-left.
import { createContext, Fragment, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'
import type { LangText } from '../api.ts'
import { ar } from './ar.ts'
import { en, type Dictionary, type MessageKey } from './en.ts'
import { ru } from './ru.ts'
import { uk } from './uk.ts'

export type { MessageKey } from './en.ts'

export const LANGUAGES = ['en', 'ar', 'ru', 'uk'] as const
export type Lang = (typeof LANGUAGES)[number]

/** Each language named in itself, so a reader finds theirs whatever the page is in. */
export const LANGUAGE_NAMES: Readonly<Record<Lang, string>> = { en: 'English', ar: 'العربية', ru: 'Русский', uk: 'Українська' }

const DICTIONARIES: Readonly<Record<Lang, Dictionary>> = { en, ar, ru, uk }
const STORAGE_KEY = 'truce.lang'

export const isLang = (v: unknown): v is Lang => typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v)
export const dirOf = (lang: string): 'rtl' | 'ltr' => (/^(ar|fa|he|ur|ps|ckb)(-|$)/.test(lang) ? 'rtl' : 'ltr')

function storedLang(): Lang | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY)
    return isLang(v) ? v : null
  } catch {
    // Storage can be switched off (private modes, policies); the choice then lasts for the visit.
    return null
  }
}

/** The reader's earlier choice, else the first browser language we have, else English. */
export function initialLang(): Lang {
  const stored = storedLang()
  if (stored) return stored
  for (const tag of navigator.languages ?? []) {
    const base = tag.toLowerCase().split('-')[0]
    if (isLang(base)) return base
  }
  return 'en'
}

export function applyToDocument(lang: Lang): void {
  document.documentElement.lang = lang
  document.documentElement.dir = dirOf(lang)
}

export type Vars = Readonly<Record<string, string | number>>

export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const template = DICTIONARIES[lang][key] ?? en[key]
  if (!vars) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole))
}

/**
 * A translated template (t(key) without values) with React nodes in place of its `{name}` marks,
 * for values that need their own element: a hash in <code dir="ltr"> inside an Arabic sentence.
 * @example richText(t('verify.leaf.ok'), { hash: <code dir="ltr">{hash}</code> })
 */
export function richText(template: string, values: Readonly<Record<string, ReactNode>>): ReactNode[] {
  return template.split(/(\{\w+\})/).map((part, i) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1]
    return name !== undefined && name in values ? <Fragment key={i}>{values[name]}</Fragment> : part
  })
}

/** Text of a record in the language picked for it, and whether that was a fallback. */
export type Picked = { text: string; lang: string; fallback: boolean }

export type I18n = {
  lang: Lang
  dir: 'rtl' | 'ltr'
  setLang: (lang: Lang) => void
  t: (key: MessageKey, vars?: Vars) => string
  /** Records carry text per language: the UI language, else English, else whatever there is. */
  pick: (text: LangText | null | undefined) => Picked | null
  formatDate: (value: string | null | undefined) => string
  formatDateTime: (value: string | null | undefined) => string
  languageName: (tag: string) => string
}

const I18nContext = createContext<I18n | null>(null)

// A date without a time (such as signedOn) names a calendar day, not an instant; reading it as
// midnight UTC and formatting in UTC keeps it the same day for every reader.
const toDate = (value: string): Date => new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value)

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang)

  const setLang = useCallback((next: Lang) => {
    try {
      localStorage.setItem(STORAGE_KEY, next)
    } catch {
      // See storedLang: without storage the choice is still applied to this page.
    }
    applyToDocument(next)
    setLangState(next)
  }, [])

  const value = useMemo<I18n>(() => {
    const dateFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' })
    const dateTimeFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })
    let names: Intl.DisplayNames | null = null
    try {
      names = new Intl.DisplayNames([lang], { type: 'language' })
    } catch {
      names = null
    }
    const t = (key: MessageKey, vars?: Vars) => translate(lang, key, vars)
    const valid = (d: Date) => !Number.isNaN(d.getTime())
    return {
      lang,
      dir: dirOf(lang),
      setLang,
      t,
      pick: (text) => {
        if (!text) return null
        const own = text[lang]
        if (own) return { text: own, lang, fallback: false }
        if (text.en) return { text: text.en, lang: 'en', fallback: true }
        const first = Object.entries(text).find(([, v]) => v !== '')
        return first ? { text: first[1], lang: first[0], fallback: true } : null
      },
      formatDate: (value) => {
        if (!value) return t('common.notSet')
        const d = toDate(value)
        return valid(d) ? dateFormat.format(d) : value
      },
      formatDateTime: (value) => {
        if (!value) return t('common.notSet')
        const d = toDate(value)
        return valid(d) ? `${dateTimeFormat.format(d)} ${t('common.utc')}` : value
      },
      languageName: (tag) => {
        try {
          return names?.of(tag) ?? tag
        } catch {
          return tag
        }
      },
    }
  }, [lang, setLang])

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>
}

export function useI18n(): I18n {
  const value = useContext(I18nContext)
  if (!value) throw new Error('useI18n outside <I18nProvider>')
  return value
}
