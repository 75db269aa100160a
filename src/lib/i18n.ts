// Text in several languages: a map from a BCP 47 language tag to the text. The UI's languages
// are English, Arabic, Russian and Ukrainian; records may carry others.
import { z } from 'zod'

export const UI_LANGUAGES = ['en', 'ar', 'ru', 'uk'] as const
export const langTag = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language tag such as en, ar or uk')

/** At least one language; every text non-empty. */
export const langText = z.record(langTag, z.string().trim().min(1).max(100_000))
  .refine((v) => Object.keys(v).length > 0, { message: 'give the text in at least one language' })
export const optionalLangText = z.record(langTag, z.string().trim().min(1).max(100_000))
