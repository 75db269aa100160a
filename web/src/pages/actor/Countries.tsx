// Countries of operation in the reader's language: a code's name ("SY" → "Syria", "سوريا",
// "Сирия") and a select of every ISO 3166-1 alpha-2 code by name. The codes are the server's own
// list (src/modules/actors/countries.ts), so the form offers exactly what the API accepts.
import { useCallback, useMemo } from 'react'
import { ISO_COUNTRY_CODES } from '../../../../src/modules/actors/countries.ts'
import { useI18n } from '../../i18n/index.tsx'

/** A country code's name in the UI language; the code itself when the browser has no name for it. */
export function useCountryName(): (code: string) => string {
  const { lang } = useI18n()
  const names = useMemo(() => {
    try {
      return new Intl.DisplayNames([lang], { type: 'region' })
    } catch {
      return null
    }
  }, [lang])
  return useCallback((code: string) => {
    try {
      return names?.of(code) ?? code
    } catch {
      return code
    }
  }, [names])
}

/** Every country by its name in the UI language, sorted as that language sorts; `blank` offers none. */
export function CountrySelect({ id, value, onChange, blank, invalid, describedBy, testId }: {
  id: string
  value: string
  onChange: (code: string) => void
  blank: string
  invalid?: boolean
  describedBy?: string | undefined
  testId?: string
}) {
  const { lang } = useI18n()
  const nameOf = useCountryName()
  const options = useMemo(() => {
    const collator = new Intl.Collator(lang)
    return [...ISO_COUNTRY_CODES].map((code) => ({ code, name: nameOf(code) })).sort((a, b) => collator.compare(a.name, b.name))
  }, [lang, nameOf])
  return (
    <select id={id} value={value} data-testid={testId ?? id} aria-invalid={invalid || undefined} aria-describedby={describedBy}
      onChange={(e) => onChange(e.target.value)}>
      <option value="">{blank}</option>
      {options.map((o) => <option key={o.code} value={o.code}>{o.name} ({o.code})</option>)}
    </select>
  )
}
