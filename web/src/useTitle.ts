// The browser tab's title: the page's name, then the product's.
import { useEffect } from 'react'
import { useI18n } from './i18n/index.tsx'

export function useTitle(page: string | null | undefined): void {
  const { t } = useI18n()
  const app = t('app.name')
  useEffect(() => {
    document.title = page ? `${page} · ${app}` : app
  }, [page, app])
}
