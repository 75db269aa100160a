// `node bench/clustering-errors.ts`: why the incident clusterer goes wrong on the 2016 UCDP GED
// Syria events (the tuning year; never the held-out 2017–2019 ones). It clusters the simulated
// reports as bench/clustering.bench.ts does and prints, for the pairs of reports of one event put
// in two incidents (missed: recall) and the pairs of two events put in one (false: precision):
// - how many of the pair's own log-odds are at or above the threshold (the pair alike, separated
//   or joined by the incident's other reports: arrival order, average linkage, chaining) or below
//   (the pair itself unlike or alike);
// - each cause the pair has (a pair may have several): date precision coarser than a day, where
//   precision coarser than a point, descriptions in two languages (by script and French words),
//   categories differing, actors' names against, death tolls (figures) against or for, text
//   against, one source, reports arriving over two days apart, and for false pairs the events
//   indistinguishable by construction (same dates, coordinates and sides; and the same best toll);
// - the signal that took off most from a pair below the threshold (missed) or added most to one
//   above it (false), as "main cause";
// - with --examples N, N pairs of each kind with their explanations (--main SIGNAL: only those of
//   that main cause, e.g. --main actors, or --main none for the pairs the incidents decided).
//
//   node bench/clustering-errors.ts [--seed 1] [--examples 0]
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { sharedDataDir } from '../src/config.ts'
import { Clusterer, DEFAULT_OPTIONS } from '../src/modules/incidents/clustering/clusterer.ts'
import type { Similarity } from '../src/modules/incidents/clustering/clustering.types.ts'
import { pairwiseQuality } from '../src/modules/incidents/clustering/evaluate.ts'
import { logit } from '../src/modules/incidents/clustering/similarity.ts'
import { readGedEvents, simulateReports, type GedEvent, type SimulatedReport } from '../src/modules/incidents/clustering/synthetic.ts'

const { values } = parseArgs({ options: { seed: { type: 'string', default: '1' }, examples: { type: 'string', default: '0' }, main: { type: 'string', default: '' } } })
const SEED = Number(values.seed)
const EXAMPLES = Number(values.examples)
const MAIN = values.main
const DAY = 86_400_000

const events = readGedEvents(readFileSync(join(sharedDataDir(), 'ucdp_ged_syria', 'ged_syria_2016.csv')))
const eventById = new Map(events.map((e) => [e.id, e]))
const reports = simulateReports(events, { seed: SEED })
const clusterer = new Clusterer()
for (const s of reports) clusterer.add(s.report)
const incident = reports.map((s) => clusterer.incidentOf(s.report.id)!)
const threshold = logit(DEFAULT_OPTIONS.threshold)

const q = pairwiseQuality(reports.map((s) => s.eventId), incident)
console.log(`2016, seed ${SEED}: ${reports.length} reports, P ${q.precision.toFixed(3)} R ${q.recall.toFixed(3)} F1 ${q.f1.toFixed(3)}; ${q.truePairs - q.correctPairs} pairs missed, ${q.predictedPairs - q.correctPairs} false pairs`)

function language(text: string): string {
  if (/[\u0600-\u06ff]/.test(text)) return 'ar'
  if (/[\u0400-\u04ff]/.test(text)) return 'ru'
  if (/\b(sur|lors|tués|morts|blessés|signalé|bilan|attribuée)\b/i.test(text)) return 'fr'
  return 'en'
}

const contribution = (s: Similarity, signal: string) => s.signals.find((x) => x.signal === signal)!.contribution
const sameDatesPlaceSides = (a: GedEvent, b: GedEvent) => a.dateStart === b.dateStart && a.dateEnd === b.dateEnd && a.lat === b.lat && a.lon === b.lon && a.sideA === b.sideA && a.sideB === b.sideB

/** The causes a pair has, by name. */
function causes(a: SimulatedReport, b: SimulatedReport, s: Similarity, sameEvent: boolean): string[] {
  const out: string[] = []
  const ra = a.report, rb = b.report
  if (ra.datePrecision > 1 || rb.datePrecision > 1) out.push('date precision > 1')
  if (ra.wherePrecision > 1 || rb.wherePrecision > 1) out.push('where precision > 1')
  if (language(ra.description) !== language(rb.description)) out.push('two languages')
  if (ra.category !== rb.category) out.push('categories differ')
  if (contribution(s, 'actors') < 0) out.push('actors against')
  if (contribution(s, 'numbers') < 0) out.push('figures against')
  if (contribution(s, 'numbers') > 0) out.push('figures for')
  if (contribution(s, 'text') < 0) out.push('text against')
  if (ra.sourceKey === rb.sourceKey) out.push('one source')
  if (Math.abs(a.arrivesAt - b.arrivesAt) > 2 * DAY) out.push('arrivals > 2 days apart')
  if (!sameEvent) {
    const ea = eventById.get(a.eventId)!, eb = eventById.get(b.eventId)!
    if (sameDatesPlaceSides(ea, eb)) out.push(ea.best === eb.best ? 'ceiling group, same toll' : 'ceiling group, tolls differ')
  }
  return out
}

type Tally = { pairs: number; alike: number; causes: Map<string, number>; main: Map<string, number>; examples: string[] }
const tally = (): Tally => ({ pairs: 0, alike: 0, causes: new Map(), main: new Map(), examples: [] })
const missed = tally(), wrong = tally()
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1)

// Pairs of reports within each event (missed when apart) and within each incident (false when of two events).
function forPairs(groups: Map<string, number[]>, visit: (i: number, j: number) => void): void {
  for (const members of groups.values()) for (let x = 0; x < members.length; x++) for (let y = x + 1; y < members.length; y++) visit(members[x]!, members[y]!)
}
const group = (label: (i: number) => string) => {
  const m = new Map<string, number[]>()
  reports.forEach((_, i) => {
    const k = label(i)
    const list = m.get(k)
    if (list) list.push(i)
    else m.set(k, [i])
  })
  return m
}

function record(t: Tally, i: number, j: number, sameEvent: boolean): void {
  const a = reports[i]!, b = reports[j]!
  const s = clusterer.explain(a.report.id, b.report.id)
  t.pairs++
  const alike = s.logOdds >= threshold
  if (alike) t.alike++
  for (const c of causes(a, b, s, sameEvent)) bump(t.causes, c)
  // The signal that pushed the pair the wrong way most, when the pair itself is on the wrong side.
  let main = 'none'
  if (sameEvent ? !alike : alike) {
    const sorted = [...s.signals].sort((x, y) => (sameEvent ? x.contribution - y.contribution : y.contribution - x.contribution))
    main = sorted[0]!.signal
    bump(t.main, main)
  } else bump(t.main, sameEvent ? 'none: pair alike (order, linkage)' : 'none: pair unlike (chaining)')
  if (t.examples.length < EXAMPLES && (MAIN ? main === MAIN : t.pairs % 37 === 0)) {
    t.examples.push(`${a.report.id} (${a.eventId}, ${incident[i]}) / ${b.report.id} (${b.eventId}, ${incident[j]}): log-odds ${s.logOdds}\n    ${a.report.description}\n    ${b.report.description}\n${s.signals.map((x) => `    ${x.signal} ${x.contribution}: ${x.detail}`).join('\n')}`)
  }
}

forPairs(group((i) => reports[i]!.eventId), (i, j) => { if (incident[i] !== incident[j]) record(missed, i, j, true) })
forPairs(group((i) => incident[i]!), (i, j) => { if (reports[i]!.eventId !== reports[j]!.eventId) record(wrong, i, j, false) })

function print(title: string, t: Tally, alikeWord: string): void {
  console.log(`\n${title}: ${t.pairs} pairs, ${t.alike} (${((100 * t.alike) / Math.max(1, t.pairs)).toFixed(0)}%) ${alikeWord}`)
  console.log('  causes (a pair may have several):')
  for (const [k, n] of [...t.causes].sort((x, y) => y[1] - x[1])) console.log(`    ${k.padEnd(34)} ${String(n).padStart(6)}  ${((100 * n) / t.pairs).toFixed(0).padStart(3)}%`)
  console.log('  main cause (the signal that moved the pair most the wrong way):')
  for (const [k, n] of [...t.main].sort((x, y) => y[1] - x[1])) console.log(`    ${k.padEnd(34)} ${String(n).padStart(6)}  ${((100 * n) / t.pairs).toFixed(0).padStart(3)}%`)
  for (const e of t.examples) console.log(`  ${e}`)
}

print('Missed pairs (one event, two incidents)', missed, 'score at or above the threshold on their own')
print('False pairs (two events, one incident)', wrong, 'score at or above the threshold on their own')
console.log(`\nReproduce: node bench/clustering-errors.ts --seed ${SEED}`)
