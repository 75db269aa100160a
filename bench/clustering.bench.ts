// Incident clustering quality and speed, on simulated reports of real events: the UCDP GED Syria
// events (2016 to tune on; 2017–2019 held out, the figures that count), each reported one to five
// times by different simulated sources (src/modules/incidents/clustering/synthetic.ts: time and
// place jittered within the event's precision, categories and actor names varied, descriptions
// from templates in four languages with the death toll as each source gives it, arrival mostly in
// time order with each source's lag). Truce's clusterer against a naive baseline (same UTC day,
// within 10 km, same category, greedy first match), side by side in one run: pairwise precision,
// recall and F1 (pairs of reports put in one incident against pairs reporting one event), and
// reports clustered per second.
//
// Some real events cannot be told apart by construction: UCDP codes several events of one dyad in
// one town on one day. The bench counts them (same dates, same coordinates, same sides) and the
// precision a clusterer would have if it merged them and got everything else right.
//
//   npm run bench:clustering
//   node bench/clustering.bench.ts [--seed 1] [--runs 3] [--tune] [--tune-rounds 3]
//
// --tune searches the weights and threshold on the 2016 events only (coordinate ascent on F1) and
// prints them for DEFAULT_WEIGHTS in src/modules/incidents/clustering/similarity.ts.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { gunzipSync } from 'node:zlib'
import { sharedDataDir } from '../src/config.ts'
import { Clusterer, DEFAULT_OPTIONS } from '../src/modules/incidents/clustering/clusterer.ts'
import type { ClusteringOptions, ClusteringWeights, ClusterReport } from '../src/modules/incidents/clustering/clustering.types.ts'
import { pairwiseQuality, type PairwiseQuality } from '../src/modules/incidents/clustering/evaluate.ts'
import { greatCircleM } from '../src/modules/incidents/clustering/place.ts'
import { DAY_MS } from '../src/modules/incidents/clustering/similarity.ts'
import { readGedEvents, simulateReports, type GedEvent, type SimulatedReport } from '../src/modules/incidents/clustering/synthetic.ts'
import { fmt, median } from './lib.ts'

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    tune: { type: 'boolean', default: false },
    'tune-rounds': { type: 'string', default: '3' },
  },
})
const SEED = Number(values.seed)
const RUNS = Math.max(1, Number(values.runs))
const int = (n: number) => Math.round(n).toLocaleString('en-US')
const pct = (x: number) => x.toFixed(3)

// ---------- data ----------

const DIR = join(sharedDataDir(), 'ucdp_ged_syria')
const train = readGedEvents(readFileSync(join(DIR, 'ged_syria_2016.csv')))
const HELD_OUT_FROM = Date.UTC(2017, 0, 1)
const heldOut = readGedEvents(gunzipSync(readFileSync(join(DIR, 'ged_syria_2016_2019.csv.gz')))).filter((e) => e.dateStart >= HELD_OUT_FROM)
const trainReports = simulateReports(train, { seed: SEED })
const heldOutReports = simulateReports(heldOut, { seed: SEED + 1 })

// ---------- the baseline ----------

/**
 * The naive rule: a report joins the first incident (oldest) whose first report is of the same UTC
 * day, within 10 km and of the same category; else it starts one.
 */
function naiveClustering(reports: readonly ClusterReport[]): string[] {
  const seedsByDay = new Map<number, { incident: number; r: ClusterReport }[]>()
  const out: string[] = []
  let incidents = 0
  for (const r of reports) {
    const day = Math.floor(r.occurredAt / DAY_MS)
    const seeds = seedsByDay.get(day) ?? []
    const hit = seeds.find((s) => s.r.category === r.category && greatCircleM(s.r.lon, s.r.lat, r.lon, r.lat) <= 10_000)
    if (hit) out.push(`n${hit.incident}`)
    else {
      seeds.push({ incident: ++incidents, r })
      seedsByDay.set(day, seeds)
      out.push(`n${incidents}`)
    }
  }
  return out
}

// ---------- runs ----------

type Run = { quality: PairwiseQuality; seconds: number; comparisons: number; predicted: string[] }

function cluster(reports: readonly SimulatedReport[], options: Partial<ClusteringOptions> = {}): Run {
  const clusterer = new Clusterer(options)
  const started = performance.now()
  const assigned = reports.map((s) => clusterer.add(s.report).reportId)
  const seconds = (performance.now() - started) / 1000
  const predicted = assigned.map((id) => clusterer.incidentOf(id)!)
  const quality = pairwiseQuality(reports.map((s) => s.eventId), predicted)
  return { quality, seconds, comparisons: clusterer.stats().comparisons, predicted }
}

/** Wrongly joined pairs whose two events are alike on every field `key` reads (no clusterer could tell them apart). */
function wrongPairsAlike(events: readonly GedEvent[], reports: readonly SimulatedReport[], predicted: readonly string[], key: (e: GedEvent) => string): number {
  const keyOf = new Map(events.map((e) => [e.id, key(e)]))
  const byIncident = new Map<string, string[]>()
  predicted.forEach((p, i) => {
    const list = byIncident.get(p)
    if (list) list.push(reports[i]!.eventId)
    else byIncident.set(p, [reports[i]!.eventId])
  })
  let alike = 0
  for (const ids of byIncident.values()) {
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) if (ids[i] !== ids[j] && keyOf.get(ids[i]!) === keyOf.get(ids[j]!)) alike++
    }
  }
  return alike
}

function timed<T>(runs: number, f: () => T & { seconds: number }): T & { seconds: number } {
  const all = Array.from({ length: runs }, f)
  const seconds = median(all.map((r) => r.seconds))
  return { ...all[0]!, seconds }
}

// ---------- events no clusterer can tell apart ----------

type Ceiling = { groups: number; events: number; eventPairs: number; crossPairs: number; precision: number }

/** Events alike on every field `key` reads, the pairs of their reports across events, and the precision if they were all merged. */
function ceiling(events: readonly GedEvent[], reports: readonly SimulatedReport[], key: (e: GedEvent) => string): Ceiling {
  const perEvent = new Map<string, number>()
  for (const r of reports) perEvent.set(r.eventId, (perEvent.get(r.eventId) ?? 0) + 1)
  let truePairs = 0
  for (const n of perEvent.values()) truePairs += (n * (n - 1)) / 2
  const groups = new Map<string, string[]>()
  for (const e of events) {
    const k = key(e)
    const g = groups.get(k)
    if (g) g.push(e.id)
    else groups.set(k, [e.id])
  }
  let count = 0, inGroups = 0, eventPairs = 0, crossPairs = 0
  for (const ids of groups.values()) {
    if (ids.length < 2) continue
    count++
    inGroups += ids.length
    eventPairs += (ids.length * (ids.length - 1)) / 2
    let total = 0, squares = 0
    for (const id of ids) {
      const n = perEvent.get(id) ?? 0
      total += n
      squares += n * n
    }
    crossPairs += (total * total - squares) / 2
  }
  return { groups: count, events: inGroups, eventPairs, crossPairs, precision: truePairs / (truePairs + crossPairs) }
}

const sameDateCoordsActors = (e: GedEvent) => [e.dateStart, e.dateEnd, e.lat, e.lon, e.sideA, e.sideB].join('|')
const andToll = (e: GedEvent) => `${sameDateCoordsActors(e)}|${e.best}`

// ---------- tuning ----------

const TUNED: (keyof ClusteringWeights)[] = [
  'bias', 'time', 'timeAgainst', 'distance', 'distanceAgainst', 'category', 'categoryAgainst', 'actors', 'actorsAgainst',
  'text', 'textAgainst', 'textPivot', 'numbers', 'numbersAgainst', 'sameSource',
]

function tune(reports: readonly SimulatedReport[], rounds: number): ClusteringWeights {
  let best = { ...DEFAULT_OPTIONS.weights }
  const score = (w: ClusteringWeights) => cluster(reports, { weights: w }).quality.f1
  let bestF1 = score(best)
  console.log(`tuning on 2016: start F1 ${pct(bestF1)}`)
  for (let round = 0; round < rounds; round++) {
    const steps = round === 0 ? [0.5, 0.75, 1.33, 2] : [0.8, 0.9, 1.1, 1.25]
    let improved = false
    for (const key of TUNED) {
      for (const f of steps) {
        const base = best[key]
        const value = key === 'bias' ? base + Math.log(f) * 2 : key === 'textPivot' ? Math.min(0.9, base * f) : base * f
        const w = { ...best, [key]: Math.round(value * 1000) / 1000 }
        const f1 = score(w)
        if (f1 > bestF1 + 1e-4) {
          best = w
          bestF1 = f1
          improved = true
          console.log(`  ${key} = ${w[key]}: F1 ${pct(f1)}`)
        }
      }
    }
    console.log(`round ${round + 1}: F1 ${pct(bestF1)}`)
    if (!improved) break
  }
  return best
}

// ---------- report ----------

function line(name: string, r: Run, reports: number, events: number, base?: Run): string {
  const q = r.quality
  const speed = reports / r.seconds
  const ratio = base ? `  ${fmt(q.f1 / base.quality.f1, 2)}× F1, ${fmt(speed / (reports / base.seconds), 2)}× speed` : ''
  return `  ${name.padEnd(44)} P ${pct(q.precision)}  R ${pct(q.recall)}  F1 ${pct(q.f1)}  ${int(speed).padStart(9)} reports/s  ${int(events / r.seconds).padStart(8)} events/s  ${fmt((r.seconds * 1e6) / reports, 1).padStart(6)} µs/report${ratio}`
}

function section(title: string, events: readonly GedEvent[], reports: readonly SimulatedReport[]): void {
  const n = reports.length
  console.log(`\n${title}: ${int(events.length)} events, ${int(n)} reports (${fmt(n / events.length, 2)} per event), ${int(pairwiseQuality(reports.map((r) => r.eventId), reports.map((r) => r.eventId)).truePairs)} true pairs`)
  const byConstruction = ceiling(events, reports, sameDateCoordsActors)
  const withToll = ceiling(events, reports, andToll)
  console.log(`  indistinguishable by construction (same dates, coordinates and sides): ${int(byConstruction.events)} events in ${int(byConstruction.groups)} groups, ${int(byConstruction.eventPairs)} event pairs, ${int(byConstruction.crossPairs)} report pairs across them → precision ceiling ${pct(byConstruction.precision)} if merged`)
  console.log(`  … and the same best death toll too: ${int(withToll.events)} events in ${int(withToll.groups)} groups, ${int(withToll.crossPairs)} report pairs → precision ceiling ${pct(withToll.precision)}`)
  const baseline = timed(RUNS, () => {
    const started = performance.now()
    const predicted = naiveClustering(reports.map((r) => r.report))
    const seconds = (performance.now() - started) / 1000
    return { quality: pairwiseQuality(reports.map((r) => r.eventId), predicted), seconds, comparisons: 0, predicted }
  })
  const ours = timed(RUNS, () => cluster(reports))
  console.log(line('naive: same day, ≤ 10 km, same category', baseline, n, events.length))
  console.log(line('Truce clusterer (similarity + index)', ours, n, events.length, baseline))
  console.log(`  Truce: ${fmt(ours.comparisons / n, 1)} report comparisons per report (time and place first, the rest only when they can still reach the threshold)`)
  const wrong = ours.quality.predictedPairs - ours.quality.correctPairs
  const alike = wrongPairsAlike(events, reports, ours.predicted, sameDateCoordsActors)
  console.log(`  Truce: ${int(wrong)} wrongly joined pairs, ${int(alike)} of them (${fmt((100 * alike) / Math.max(1, wrong), 0)}%) between events indistinguishable by construction; ${int(ours.quality.truePairs - ours.quality.correctPairs)} pairs missed`)
  const ablations: [string, Partial<ClusteringWeights>][] = [
    ['  without text', { text: 0, textAgainst: 0 }],
    ['  without numbers', { numbers: 0, numbersAgainst: 0 }],
    ['  without actors', { actors: 0, actorsAgainst: 0 }],
    ['  without category', { category: 0, categoryAgainst: 0 }],
    ['  without source', { sameSource: 0 }],
  ]
  for (const [name, w] of ablations) console.log(line(name, cluster(reports, { weights: { ...DEFAULT_OPTIONS.weights, ...w } }), n, events.length))
}

if (values.tune) {
  const w = tune(trainReports, Number(values['tune-rounds']))
  console.log('\nTuned weights (2016):')
  console.log(JSON.stringify(w, null, 2))
} else {
  console.log(`Incident clustering on simulated reports of UCDP GED Syria events (seed ${SEED}, median of ${RUNS} runs; node ${process.version})`)
  section('2016 (the weights were tuned on these)', train, trainReports)
  section('2017–2019, held out', heldOut, heldOutReports)
  console.log(`\nReproduce: npm run bench:clustering -- --seed ${SEED} --runs ${RUNS}`)
}
