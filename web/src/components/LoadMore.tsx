// The foot of a paged list: the error of the last attempt, and a button for the next page.
import { useI18n } from '../i18n/index.tsx'
import type { PagedList } from '../usePagedList.ts'
import { ErrorMessage } from './ErrorMessage.tsx'

export function LoadMore<T>({ list }: { list: PagedList<T> }) {
  const { t } = useI18n()
  return (
    <>
      {list.moreError && <ErrorMessage error={list.moreError} />}
      {list.cursor !== null && list.first.data && (
        <p>
          <button type="button" className="button button-secondary" onClick={() => void list.loadMore()} disabled={list.loadingMore}>
            {list.loadingMore ? t('common.loading') : t('common.loadMore')}
          </button>
        </p>
      )}
    </>
  )
}
