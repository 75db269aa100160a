// Two small SVG charts of our own for the statistics (no chart library): counts per period as
// stacked bars (one colour per group), and the total per period as a line. Both scale to their
// box, mark the agreement's effective date when there is one, and carry a table-like text
// alternative (each bar's title) for screen readers and for hovering.
import { useI18n } from '../../i18n/index.tsx'
import type { Stats } from './api.ts'

const W = 720
const H = 240
const PAD = { top: 12, right: 12, bottom: 28, left: 40 }

/** Up to five round ticks from 0 to max. */
function ticks(max: number): number[] {
  if (max <= 0) return [0]
  const raw = max / 4
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw
  const out: number[] = []
  for (let v = 0; v <= max + 1e-9; v += step) out.push(Math.round(v))
  return out
}

type ChartProps = {
  stats: Stats
  colourOf: (key: string) => string
  labelOf: (key: string) => string
  /** The effective date to mark (YYYY-MM-DD…), if any. */
  marker?: string | null | undefined
  title: string
}

function frame(stats: Stats) {
  const n = Math.max(1, stats.buckets.length)
  const max = Math.max(1, ...stats.buckets.map((b) => b.total))
  const innerW = W - PAD.left - PAD.right
  const innerH = H - PAD.top - PAD.bottom
  const x = (i: number) => PAD.left + (i / n) * innerW
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH
  const band = innerW / n
  return { n, max, innerW, innerH, x, y, band }
}

function Axes({ stats, marker }: { stats: Stats; marker?: string | null | undefined }) {
  const { lang } = useI18n()
  const { max, x, y, band } = frame(stats)
  // Short dates, at most six of them, so neighbours never overlap.
  const short = new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short', year: '2-digit', timeZone: 'UTC' })
  const every = Math.max(1, Math.ceil(stats.buckets.length / 6))
  const markerIndex = marker ? stats.buckets.findIndex((b, i) => {
    const next = stats.buckets[i + 1]
    return b.start <= marker.slice(0, 10) && (next === undefined || next.start > marker.slice(0, 10))
  }) : -1
  return (
    <g className="chart-axes">
      {ticks(max).map((v) => (
        <g key={v}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} className="chart-grid" />
          <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" className="chart-label">{v}</text>
        </g>
      ))}
      {stats.buckets.map((b, i) => i % every === 0 && (
        <text key={b.start} x={x(i) + band / 2} y={H - 8} textAnchor="middle" className="chart-label">{short.format(new Date(`${b.start}T00:00:00Z`))}</text>
      ))}
      {markerIndex >= 0 && (
        <line x1={x(markerIndex) + band / 2} x2={x(markerIndex) + band / 2} y1={PAD.top} y2={H - PAD.bottom} className="chart-marker" data-testid="chart-marker" />
      )}
    </g>
  )
}

export function StackedBars({ stats, colourOf, labelOf, marker, title }: ChartProps) {
  const { formatDate } = useI18n()
  const { x, y, band } = frame(stats)
  const keys = stats.groups.map((g) => g.key)
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="chart" role="img" aria-label={title} data-testid="stats-bars">
      <title>{title}</title>
      <Axes stats={stats} marker={marker} />
      {stats.buckets.map((b, i) => {
        let base = 0
        return (
          <g key={b.start} data-testid="stats-bar" data-start={b.start} data-total={b.total}>
            <title>{`${formatDate(b.start)}: ${b.total}${keys.filter((k) => b.counts[k]).map((k) => `\n${labelOf(k)}: ${b.counts[k]}`).join('')}`}</title>
            {keys.map((k) => {
              const v = b.counts[k] ?? 0
              if (v === 0) return null
              const top = y(base + v)
              const bottom = y(base)
              base += v
              const width = Math.max(1, Math.min(band * 0.8, 48))
              return <rect key={k} x={x(i) + (band - width) / 2} width={width} y={top} height={Math.max(0, bottom - top)} fill={colourOf(k)} />
            })}
          </g>
        )
      })}
    </svg>
  )
}

export function TotalLine({ stats, marker, title }: Omit<ChartProps, 'colourOf' | 'labelOf'>) {
  const { x, y, band } = frame(stats)
  const points = stats.buckets.map((b, i) => `${x(i) + band / 2},${y(b.total)}`).join(' ')
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="chart" role="img" aria-label={title} data-testid="stats-line">
      <title>{title}</title>
      <Axes stats={stats} marker={marker} />
      <polyline points={points} className="chart-line" />
      {stats.buckets.map((b, i) => <circle key={b.start} cx={x(i) + band / 2} cy={y(b.total)} r={2.5} className="chart-dot"><title>{String(b.total)}</title></circle>)}
    </svg>
  )
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf']
/** A colour per group key, the same key keeping its colour while the groups are the same. */
export const paletteColour = (keys: readonly string[]) => (key: string): string => PALETTE[Math.max(0, keys.indexOf(key)) % PALETTE.length]!
