// The map's date: a slider over the days from the first the features know of to today, and a date
// input for an exact day. The slider moves at once under the hand; the date is handed on (and the
// features asked for again) only once it has rested for a moment.
import { useEffect, useRef, useState } from 'react'
import { useI18n } from '../../i18n/index.tsx'
import { dateOfDay, dayNumber, isIsoDate, sliderSpan, todayUtc } from '../../map/dates.ts'

/** How long the slider rests before the features of the new date are asked for. */
const SETTLE_MS = 300
/** Where the slider starts when the features know of nothing earlier. */
const DEFAULT_START = '2011-01-01'

type Props = {
  date: string
  onChange: (date: string) => void
  /** Dates the loaded features start or stop holding on: they widen the span, and mark it. */
  known: readonly string[]
  loading: boolean
}

export function TimeBar({ date, onChange, known, loading }: Props) {
  const { t, formatDate } = useI18n()
  const [draft, setDraft] = useState(date)
  const [typed, setTyped] = useState(date)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const onChangeRef = useRef(onChange)
  useEffect(() => {
    onChangeRef.current = onChange
  })

  // The date from outside (the address, a reload) wins over a draft that was already handed on.
  useEffect(() => {
    setDraft(date)
    setTyped(date)
  }, [date])
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current)
  }, [])

  const settle = (next: string) => {
    setDraft(next)
    setTyped(next)
    if (timer.current) clearTimeout(timer.current)
    timer.current = setTimeout(() => onChangeRef.current(next), SETTLE_MS)
  }

  const [min, max] = sliderSpan([...known, draft], DEFAULT_START, todayUtc())
  const marks = [...new Set(known)].filter(isIsoDate).sort()
  const before = marks.filter((d) => d < draft)
  const after = marks.filter((d) => d > draft)
  const previous = before[before.length - 1]
  const next = after[0]

  return (
    <div className="time-bar" data-testid="time-bar" data-date={draft} aria-busy={loading}>
      <div className="time-bar-head">
        <label htmlFor="map-date-slider" className="field-label">{t('geo.date')}</label>
        <output htmlFor="map-date-slider" className="time-bar-value" data-testid="map-date-shown">{formatDate(draft)}</output>
        {loading && <span className="muted small" role="status">{t('geo.loading')}</span>}
      </div>
      <div className="time-bar-controls">
        <button
          type="button" className="button button-secondary button-small" data-testid="map-date-previous" disabled={previous === undefined}
          onClick={() => previous !== undefined && settle(previous)} title={previous ? formatDate(previous) : undefined}
        >
          <span aria-hidden="true" className="arrow">←</span> {t('geo.previousChange')}
        </button>
        <input
          id="map-date-slider" type="range" className="time-slider" min={min} max={max} step={1} value={dayNumber(draft)}
          list="map-date-marks" data-testid="map-date-slider" aria-valuetext={formatDate(draft)} aria-describedby="map-date-hint"
          onChange={(e) => settle(dateOfDay(Number(e.target.value)))}
        />
        <datalist id="map-date-marks">
          {marks.map((d) => <option key={d} value={dayNumber(d)} label={d} />)}
        </datalist>
        <button
          type="button" className="button button-secondary button-small" data-testid="map-date-next" disabled={next === undefined}
          onClick={() => next !== undefined && settle(next)} title={next ? formatDate(next) : undefined}
        >
          {t('geo.nextChange')} <span aria-hidden="true" className="arrow arrow-forward">→</span>
        </button>
        <label htmlFor="map-date-input" className="visually-hidden">{t('geo.dateExact')}</label>
        <input
          id="map-date-input" type="date" value={typed} data-testid="map-date-input" dir="ltr"
          onChange={(e) => {
            setTyped(e.target.value)
            if (isIsoDate(e.target.value)) settle(e.target.value)
          }}
        />
      </div>
      <p className="hint" id="map-date-hint">{t('geo.dateHint')}</p>
    </div>
  )
}
