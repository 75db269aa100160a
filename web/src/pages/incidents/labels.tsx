// Small pieces the incidents pages share: a category's colour (the map's circles and the legend,
// the charts' series), category and state badges, and a reading of UCDP precisions.
import { useI18n, type MessageKey } from '../../i18n/index.tsx'
import { INCIDENT_CATEGORIES, type Category, type IncidentState } from './api.ts'

/** One colour per category, told apart on the basemap; the words beside them carry the meaning. */
export const CATEGORY_COLOURS: Readonly<Record<Category, string>> = {
  shelling: '#c0392b',
  airstrike: '#8e44ad',
  drone_strike: '#6c5ce7',
  ground_attack: '#d35400',
  small_arms: '#e67e22',
  explosion: '#b7950b',
  heavy_weapons_in_zone: '#2c3e50',
  monitor_restriction: '#16a085',
  attack_on_protected_site: '#e84393',
  attack_on_humanitarian: '#0984e3',
  aid_obstruction: '#00897b',
  civilian_harm: '#7f1d1d',
}

export const isCategory = (v: string | null | undefined): v is Category =>
  typeof v === 'string' && (INCIDENT_CATEGORIES as readonly string[]).includes(v)

export const categoryKey = (c: string): MessageKey => `incident.category.${c}` as MessageKey
export const stateKey = (s: string): MessageKey => `incident.state.${s}` as MessageKey

export function CategoryChip({ category }: { category: string }) {
  const { t } = useI18n()
  const colour = isCategory(category) ? CATEGORY_COLOURS[category] : '#555'
  return (
    <span className="incident-category" data-category={category}>
      <span className="incident-swatch" style={{ background: colour }} aria-hidden="true" />
      {isCategory(category) ? t(categoryKey(category)) : category}
    </span>
  )
}

export function StateBadge({ state }: { state: IncidentState | string }) {
  const { t } = useI18n()
  return <span className={`badge incident-state incident-state-${state}`} data-testid="incident-state" data-state={state}>{t(stateKey(state))}</span>
}

/** When, as sharply as the reports know it: the day, else "about" it, the week, the month, the year. */
export function useWhen(): (at: string, precision: number) => string {
  const { t, formatDate, formatDateTime, lang } = useI18n()
  return (at, precision) => {
    const d = new Date(at)
    if (precision <= 1) return formatDateTime(at)
    if (precision === 2 || precision === 3) return t(precision === 2 ? 'incident.when.days' : 'incident.when.week', { date: formatDate(at) })
    if (precision === 4) return new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(d)
    return String(d.getUTCFullYear())
  }
}

export const wherePrecisionKey = (p: number): MessageKey => `incident.where.${Math.min(7, Math.max(1, p))}` as MessageKey

/** A party's display name by id (the id's first characters while the parties load; "unknown" for none). */
export type PartyNames = (id: string | null | undefined) => string
