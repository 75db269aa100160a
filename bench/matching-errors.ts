// `node bench/matching-errors.ts`: the actor name matcher's errors on the development pairs
// (bench/matching-pairs.ts) and on the first and second blind sets (bench/matching-pairs-blind.ts,
// bench/matching-pairs-blind-2.ts), which are spent and are development data now. It prints every same-actor pair below review, every
// different-actor pair at review or above, every different-actor pair at automatic, and every
// same-actor query whose actor is not among the 10 best-scored candidates the index gathers,
// each with the evidence the matcher gives, so that rules can be made from their causes.
//
// It imports the first and second blind sets by their own names and no other: a later blind set
// stays unread.
//
// Options: --set dev|blind1|blind2|all (default all)   --all (print every pair with its score)
//          --summary (figures only)   --pad N (add synthetic names up to N, as the benchmark
//          does for recall@10 at scale; scores then use that registry's word frequencies)
import { scriptOf } from '../src/modules/actors/actors.types.ts'
import { analyzeName } from '../src/modules/actors/matching/analyze.ts'
import { buildMatchIndex, matchName, scoreName, BAND_THRESHOLDS, type MatchIndex, type RegistryName } from '../src/modules/actors/matching/matcher.ts'
import { BLIND_ACTORS, BLIND_PAIRS } from './matching-pairs-blind.ts'
import { BLIND2_ACTORS, BLIND2_PAIRS } from './matching-pairs-blind-2.ts'
import { PAIR_ACTORS, PAIRS, type Pair, type PairActor } from './matching-pairs.ts'
import { syntheticNames } from './matching-synthetic.ts'
import { foldName } from '../src/modules/actors/matching/normalize.ts'

const args = process.argv.slice(2)
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt
}
const SET = opt('set', 'all')
const SUMMARY = args.includes('--summary')
const PAD = Number(opt('pad', '0'))
const EVERY = args.includes('--all')

type Row = { set: string; query: string; target: string; targetActor: string; same: boolean; latin: boolean }

function registry(prefix: string, actors: readonly PairActor[]): RegistryName[] {
  return actors.flatMap((a) => a.names.map((n, i): RegistryName => ({
    actorId: `${prefix}:${a.key}`, nameId: `${prefix}:${a.key}:${i}`, value: n.value, kind: n.kind ?? 'name', lang: null,
    script: scriptOf(n.value), validFrom: n.validFrom ?? null, validTo: n.validTo ?? null,
  })))
}

const names = [...registry('hand', PAIR_ACTORS), ...registry('blind', BLIND_ACTORS), ...registry('blind2', BLIND2_ACTORS)]
const byValue = new Map(names.map((n) => [n.value, n]))
const avoid = new Set([...names.map((n) => foldName(n.value)), ...[...PAIRS, ...BLIND_PAIRS, ...BLIND2_PAIRS].map(([q]) => foldName(q))])
const index: MatchIndex = buildMatchIndex([...names, ...syntheticNames(Math.max(0, PAD - names.length), avoid, PAD)])

function rows(set: string, pairs: readonly Pair[]): Row[] {
  return pairs.map(([query, target, same]) => {
    const t = byValue.get(target)
    if (!t) throw new Error(`${set}: target "${target}" is not a registry name`)
    return { set, query, target, targetActor: t.actorId, same, latin: scriptOf(query) === 'Latn' && t.script === 'Latn' }
  })
}

const sets: [string, readonly Pair[]][] = [['dev', PAIRS], ['blind1', BLIND_PAIRS], ['blind2', BLIND2_PAIRS]]
if (SET !== 'all' && !sets.some(([name]) => name === SET)) throw new Error(`--set ${SET}: expected dev, blind1, blind2 or all`)
const all = sets.filter(([name]) => SET === 'all' || SET === name).flatMap(([name, pairs]) => rows(name, pairs))
const scored = all.map((r) => ({ ...r, s: scoreName(index, r.query, byValue.get(r.target)!.nameId)! }))

const f1 = (rs: typeof scored, t: number) => {
  const tp = rs.filter((r) => r.same && r.s.score >= t).length
  const fp = rs.filter((r) => !r.same && r.s.score >= t).length
  const fn = rs.filter((r) => r.same && r.s.score < t).length
  const p = tp / (tp + fp)
  const rc = tp / (tp + fn)
  return { p, r: rc, f1: (2 * p * rc) / (p + rc), fp, fn }
}
const show = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '—')
const explain = (r: (typeof scored)[number]) => r.s.features.map((f) => `${f.feature} ${f.value}: ${f.detail}`).join(' | ')

for (const set of [...new Set(scored.map((r) => r.set))]) {
  const rs = scored.filter((r) => r.set === set)
  const line = (what: string, g: typeof rs) => {
    const rv = f1(g, BAND_THRESHOLDS.review)
    const au = f1(g, BAND_THRESHOLDS.automatic)
    return `${what} ${g.length}: review P ${show(rv.p)} R ${show(rv.r)} F1 ${show(rv.f1)} (FN ${rv.fn}, FP ${rv.fp}); automatic P ${show(au.p)} F1 ${show(au.f1)} (FP ${au.fp})`
  }
  console.log(`\n== ${set}`)
  console.log(`  ${line('all', rs)}`)
  console.log(`  ${line('Latin↔Latin', rs.filter((r) => r.latin))}`)
  console.log(`  ${line('cross-script', rs.filter((r) => !r.latin))}`)

  // Recall@10 of the gathered candidates, as the benchmark counts it.
  let gathered = 0
  let returned = 0
  const candidateMisses: string[] = []
  const positives = rs.filter((r) => r.same)
  for (const r of positives) {
    const best = new Map<string, number>()
    for (const e of index.gather(analyzeName(r.query), 60)) {
      const s = scoreName(index, r.query, e.name.nameId)!.score
      if (s > (best.get(e.name.actorId) ?? -1)) best.set(e.name.actorId, s)
    }
    const top = [...best].sort((a, b) => b[1] - a[1]).slice(0, 10)
    if (top.some(([a]) => a === r.targetActor)) gathered++
    else candidateMisses.push(`  cand ${r.s.score.toFixed(3)}  ${r.query}  ⟷  ${r.target}${best.has(r.targetActor) ? ' (gathered, outranked)' : ' (not gathered)'}; top: ${top.slice(0, 3).map(([a, s]) => `${a} ${s.toFixed(2)}`).join(', ')}`)
    if (matchName(index, { name: r.query, limit: 10 }).some((c) => c.actorId === r.targetActor)) returned++
  }
  console.log(`  recall@10 candidates ${(100 * gathered / positives.length).toFixed(1)}% returned ${(100 * returned / positives.length).toFixed(1)}% of ${positives.length}`)
  if (SUMMARY) continue
  if (EVERY) {
    for (const r of rs) console.log(`  ${r.same ? 'same' : 'diff'} ${r.s.score.toFixed(3)}  ${r.query}  ⟷  ${r.target}`)
    continue
  }
  const fn = rs.filter((r) => r.same && r.s.score < BAND_THRESHOLDS.review).sort((a, b) => a.s.score - b.s.score)
  const fp = rs.filter((r) => !r.same && r.s.score >= BAND_THRESHOLDS.review).sort((a, b) => b.s.score - a.s.score)
  for (const r of fn) console.log(`  miss ${r.s.score.toFixed(3)}  ${r.query}  ⟷  ${r.target}\n        ${explain(r)}`)
  for (const r of fp) console.log(`  FP   ${r.s.score.toFixed(3)}  ${r.query}  ⟷  ${r.target}\n        ${explain(r)}`)
  for (const m of candidateMisses) console.log(m)
}
