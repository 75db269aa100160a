// What an unknown address shows.
import { useI18n } from '../i18n/index.tsx'
import { Link } from '../router.tsx'
import { useTitle } from '../useTitle.ts'

export function NotFoundPage() {
  const { t } = useI18n()
  useTitle(t('notFound.title'))
  return (
    <section className="page-narrow">
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body')}</p>
      <p><Link to="/agreements">{t('agreement.back')}</Link></p>
    </section>
  )
}
