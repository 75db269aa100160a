// Incremental clustering of reports into incidents. Reports come one at a time (or in a batch in
// arrival order); each joins the incident it is most likely the same event as, if that is likely
// enough, or starts a new one. Candidates come from a spatial-temporal index, so a report is
// compared with the few incidents near it in time and place, never with all of them. A report's
// score with an incident is the mean log-odds of its similarities with the incident's reports
// (average linkage: one strong disagreement weighs on it, so incidents do not chain), computed in
// stages, cheapest first, and abandoned as soon as the incident cannot reach the threshold.
//
// Analysts have the last word: they merge incidents and split reports off, and they may say with a
// report which reports it is (must-link) or is not (cannot-link) the same event as. Automatic
// assignment never goes against them: a report an analyst split off an incident is cannot-linked
// to the reports left in it, so no later assignment puts the two back together; a report must-
// linked to another joins its incident whatever the scores say; and since nothing automatic ever
// splits an incident, a merge holds by itself.
//
// The same reports in the same order, with the same analyst actions, give the same incidents.
import type { Assignment, ClusteringOptions, ClusterReport, Incident, Similarity } from './clustering.types.ts'
import { ClusteringConstraintError } from './clustering.types.ts'
import { DEFAULT_WEIGHTS, explainPrepared, LATER_STAGES, logit, maxFromStage, maxTimePlaceLogOdds, probability, SimilarityContext, timePlaceLogOdds, type PreparedReport } from './similarity.ts'
import { SpatialTemporalIndex } from './spatial-temporal-index.ts'

export const DEFAULT_OPTIONS: Readonly<ClusteringOptions> = Object.freeze({
  weights: DEFAULT_WEIGHTS,
  threshold: 0.5,
  linkage: 'average',
  maxCompared: 8,
  reach: 1,
})

type IncidentState = { id: string; members: number[]; alive: boolean }

/**
 * Clusters reports into incidents, one report at a time.
 *
 * @example
 * const clusterer = new Clusterer()
 * clusterer.add(reportFromMonitor)   // { incidentId: 'incident-1', created: true, … }
 * clusterer.add(reportFromMedia)     // { incidentId: 'incident-1', created: false, score: 0.93, … }
 * clusterer.split('incident-1', [reportFromMedia.id]) // 'incident-2'
 */
export class Clusterer {
  readonly options: ClusteringOptions
  private readonly ctx = new SimilarityContext()
  private readonly index: SpatialTemporalIndex
  private readonly reports: PreparedReport[] = []
  private readonly reportNumber = new Map<string, number>()
  private readonly incidentOfReport: number[] = []
  private readonly incidentList: IncidentState[] = []
  private readonly incidentNumber = new Map<string, number>()
  /** Analyst constraints between reports, both ways; and those naming reports not yet seen. */
  private readonly cannot = new Map<number, Set<number>>()
  private readonly pendingMust = new Map<string, number[]>()
  private readonly pendingCannot = new Map<string, number[]>()
  private readonly thresholdLogOdds: number
  /** The most the comparison stages from each on can add. */
  private readonly maxFrom: number[]
  // Per-lookup scratch: which incidents were seen in this lookup (stamped with the lookup number).
  private stamp = new Int32Array(1024)
  private readonly partial: number[] = []
  private readonly candidates: number[] = []
  private query: PreparedReport | null = null
  /** The index's visitor: each report found makes its incident a candidate, once per lookup. */
  private readonly collect = (m: number): void => {
    const i = this.incidentOfReport[m]!
    if (this.stamp[i] !== this.lookup) {
      this.stamp[i] = this.lookup
      this.candidates.push(i)
    }
  }
  /** Index levels whose reports are too vague in time and place to reach the threshold with this one. */
  private readonly skipLevel = (minW: number, minR: number): boolean =>
    maxTimePlaceLogOdds(this.options.weights, this.query!.w + minW, this.query!.r + minR) + this.maxFrom[0]! < this.thresholdLogOdds
  private lookup = 0
  /** Pair comparisons made, for the benchmark. */
  comparisons = 0

  constructor(options: Partial<ClusteringOptions> = {}) {
    this.options = { ...DEFAULT_OPTIONS, ...options, weights: { ...DEFAULT_WEIGHTS, ...options.weights } }
    if (!(this.options.threshold > 0 && this.options.threshold < 1)) throw new RangeError('threshold must be between 0 and 1')
    this.thresholdLogOdds = logit(this.options.threshold)
    this.maxFrom = LATER_STAGES.map((_, stage) => maxFromStage(this.options.weights, stage))
    this.index = new SpatialTemporalIndex(this.options.reach)
  }

  /** Adds one report and says where it went. A report already added is answered as it stands. */
  add(report: ClusterReport): Assignment {
    const known = this.reportNumber.get(report.id)
    if (known !== undefined) {
      return { reportId: report.id, incidentId: this.incidentList[this.incidentOfReport[known]!]!.id, created: false, score: 1, reason: 'known' }
    }
    const n = this.reports.length
    // Constraints are checked before anything changes, so a refused report leaves no trace.
    const mustWith = this.knownReports(report.constraint?.mustLink)
    const cannotWith = [...this.knownReports(report.constraint?.cannotLink), ...(this.pendingCannot.get(report.id) ?? [])]
    const pendingMustWith = this.pendingMust.get(report.id) ?? []
    const mustIncidents = [...new Set([...mustWith, ...pendingMustWith].map((m) => this.incidentOfReport[m]!))].sort((a, b) => a - b)
    for (const c of cannotWith) {
      if (mustIncidents.includes(this.incidentOfReport[c]!)) {
        throw new ClusteringConstraintError('constraint_conflict', `report ${report.id} must be with and cannot be with report ${this.reports[c]!.report.id}`)
      }
    }
    this.checkMergeable(mustIncidents)

    const prepared = this.ctx.prepare(report)
    this.reports.push(prepared)
    this.reportNumber.set(report.id, n)
    for (const c of cannotWith) this.addCannot(n, c)
    this.rememberPending(report, n)
    this.pendingMust.delete(report.id)
    this.pendingCannot.delete(report.id)

    let assignment: Assignment
    if (mustIncidents.length > 0) {
      let target = mustIncidents[0]!
      for (const other of mustIncidents.slice(1)) target = this.absorb(target, other)
      this.join(n, target)
      assignment = { reportId: report.id, incidentId: this.incidentList[target]!.id, created: false, score: 1, reason: 'must_link' }
    } else {
      const best = this.bestIncident(prepared, n)
      if (best.incident >= 0 && best.z >= this.thresholdLogOdds) {
        this.join(n, best.incident)
        assignment = { reportId: report.id, incidentId: this.incidentList[best.incident]!.id, created: false, score: probability(best.z), reason: 'similar' }
      } else {
        const created = this.newIncident([n])
        assignment = { reportId: report.id, incidentId: this.incidentList[created]!.id, created: true, score: best.incident >= 0 ? probability(best.z) : 0, reason: 'new' }
      }
    }
    this.index.insert(n, prepared)
    return assignment
  }

  /**
   * Puts a report into the incident a record says it is in (creating that incident when it is new
   * here), without scoring: how a process rebuilds the clustering that it, or another process,
   * wrote down. A report already known stays where it is.
   */
  place(report: ClusterReport, incidentId: string): void {
    if (this.reportNumber.has(report.id)) return
    const n = this.reports.length
    const prepared = this.ctx.prepare(report)
    this.reports.push(prepared)
    this.reportNumber.set(report.id, n)
    const i = this.incidentNumber.get(incidentId)
    if (i !== undefined && this.incidentList[i]!.alive) this.join(n, i)
    else if (i !== undefined) throw new ClusteringConstraintError('unknown_incident', `incident ${incidentId} was merged into another`)
    else this.newIncident([n], incidentId)
    this.index.insert(n, prepared)
  }

  /** Adds reports in the order given (arrival order); sort by time first for a batch import. */
  addAll(reports: Iterable<ClusterReport>): Assignment[] {
    const out: Assignment[] = []
    for (const r of reports) out.push(this.add(r))
    return out
  }

  /**
   * An analyst's merge: the reports of `b` join `a`, which keeps its id; `b` is gone. It overrides
   * earlier cannot-links between the two (the analyst's latest word counts). Returns a's id.
   */
  merge(a: string, b: string): string {
    const ia = this.incidentNumberOf(a), ib = this.incidentNumberOf(b)
    if (ia === ib) return a
    for (const x of this.incidentList[ia]!.members) {
      for (const y of this.incidentList[ib]!.members) this.removeCannot(x, y)
    }
    this.absorb(ia, ib)
    return a
  }

  /**
   * An analyst's split: the given reports of an incident leave it for a new incident (with the id
   * given, else the next one), whose id is returned. They are cannot-linked to the reports left
   * behind, so no automatic assignment brings them back together.
   */
  split(incidentId: string, reportIds: readonly string[], newIncidentId?: string): string {
    const i = this.incidentNumberOf(incidentId)
    const inc = this.incidentList[i]!
    const leaving = new Set<number>()
    for (const id of reportIds) {
      const n = this.reportNumber.get(id)
      if (n === undefined || this.incidentOfReport[n] !== i) throw new ClusteringConstraintError('not_in_incident', `report ${id} is not in incident ${incidentId}`)
      leaving.add(n)
    }
    if (leaving.size === 0 || leaving.size === inc.members.length) throw new ClusteringConstraintError('empty_split', 'a split leaves reports on both sides')
    const staying = inc.members.filter((m) => !leaving.has(m))
    inc.members = staying
    const created = this.newIncident([...leaving].sort((a, b) => a - b), newIncidentId)
    for (const x of leaving) for (const y of staying) this.addCannot(x, y)
    return this.incidentList[created]!.id
  }

  /**
   * An analyst's word on two known reports. `must`: they are one event (their incidents merge,
   * unless a cannot-link between the two incidents forbids it). `cannot`: they are two; if they
   * are in one incident now, split one of them off first.
   */
  link(reportA: string, reportB: string, kind: 'must' | 'cannot'): void {
    const a = this.reportNumberOf(reportA), b = this.reportNumberOf(reportB)
    const ia = this.incidentOfReport[a]!, ib = this.incidentOfReport[b]!
    if (kind === 'cannot') {
      if (ia === ib) throw new ClusteringConstraintError('same_incident', `reports ${reportA} and ${reportB} are in one incident: split one of them off`)
      this.addCannot(a, b)
      return
    }
    if (ia === ib) return
    this.checkMergeable([ia, ib])
    this.absorb(Math.min(ia, ib), Math.max(ia, ib))
  }

  /** The incident a report is in. */
  incidentOf(reportId: string): string | undefined {
    const n = this.reportNumber.get(reportId)
    return n === undefined ? undefined : this.incidentList[this.incidentOfReport[n]!]!.id
  }

  /** One incident and its reports, in the order they arrived. */
  incident(incidentId: string): Incident | undefined {
    const i = this.incidentNumber.get(incidentId)
    const inc = i === undefined ? undefined : this.incidentList[i]
    return inc?.alive ? { id: inc.id, reportIds: inc.members.map((m) => this.reports[m]!.report.id) } : undefined
  }

  /** Every incident, in order of creation. */
  incidents(): Incident[] {
    return this.incidentList.filter((i) => i.alive).map((i) => ({ id: i.id, reportIds: i.members.map((m) => this.reports[m]!.report.id) }))
  }

  /** Why two known reports are (or are not) alike, signal by signal, with the clusterer's word weights. */
  explain(reportA: string, reportB: string): Similarity {
    return explainPrepared(this.ctx, this.reports[this.reportNumberOf(reportA)]!, this.reports[this.reportNumberOf(reportB)]!, this.options.weights)
  }

  /** Reports kept, and the index's levels, for diagnostics. */
  stats(): { reports: number; incidents: number; comparisons: number; levels: ReturnType<SpatialTemporalIndex['levels']> } {
    return { reports: this.reports.length, incidents: this.incidentList.filter((i) => i.alive).length, comparisons: this.comparisons, levels: this.index.levels() }
  }

  // ---------- internals ----------

  /** The best incident for a new report by its linkage score (log-odds), ties to the older incident. */
  private bestIncident(p: PreparedReport, n: number): { incident: number; z: number } {
    const { weights, linkage, maxCompared } = this.options
    const blocked = this.cannot.get(n)
    const look = ++this.lookup
    if (this.stamp.length < this.incidentList.length + 1) {
      const s = new Int32Array(Math.max(this.stamp.length * 2, this.incidentList.length + 1))
      s.set(this.stamp)
      this.stamp = s
    }
    const stamp = this.stamp
    if (blocked) for (const c of blocked) stamp[this.incidentOfReport[c]!] = look
    const candidates = this.candidates
    candidates.length = 0
    this.query = p
    this.index.query(p, this.collect, this.skipLevel)
    let best = -1, bestZ = -Infinity
    candidates.sort((a, b) => a - b)
    const partial = this.partial
    const single = linkage === 'single'
    const aggregate = (count: number) => {
      let z = single ? -Infinity : 0
      if (single) for (let k = 0; k < count; k++) z = Math.max(z, partial[k]!)
      else for (let k = 0; k < count; k++) z += partial[k]!
      return single ? z : z / count
    }
    for (const i of candidates) {
      const members = this.incidentList[i]!.members
      const count = Math.min(members.length, maxCompared)
      // Stage by stage, cheapest first (time and place, then category and figures, words,
      // actors): once even the most the remaining stages could add leaves the incident below
      // the threshold, it is not worth comparing further.
      for (let k = 0; k < count; k++) partial[k] = timePlaceLogOdds(p, this.reports[members[k]!]!, weights)
      this.comparisons += count
      let z = aggregate(count)
      let stage = 0
      for (; stage < LATER_STAGES.length; stage++) {
        if (z + this.maxFrom[stage]! < this.thresholdLogOdds) break
        const next = LATER_STAGES[stage]!
        for (let k = 0; k < count; k++) partial[k]! += next(this.ctx, p, this.reports[members[k]!]!, weights)
        z = aggregate(count)
      }
      if (stage < LATER_STAGES.length) continue
      if (z > bestZ) {
        bestZ = z
        best = i
      }
    }
    return { incident: best, z: bestZ }
  }

  private join(n: number, incident: number): void {
    this.incidentOfReport[n] = incident
    this.incidentList[incident]!.members.push(n)
  }

  private newIncident(members: number[], given?: string): number {
    const i = this.incidentList.length
    const id = given ?? (this.options.incidentId ? this.options.incidentId(i + 1) : `incident-${i + 1}`)
    if (this.incidentNumber.has(id)) throw new ClusteringConstraintError('duplicate_incident_id', `incident id ${id} is taken`)
    this.incidentList.push({ id, members, alive: true })
    this.incidentNumber.set(id, i)
    for (const m of members) this.incidentOfReport[m] = i
    return i
  }

  /** b's reports join a (kept in arrival order); b is gone. */
  private absorb(a: number, b: number): number {
    const ia = this.incidentList[a]!, ib = this.incidentList[b]!
    for (const m of ib.members) this.incidentOfReport[m] = a
    ia.members = [...ia.members, ...ib.members].sort((x, y) => x - y)
    ib.members = []
    ib.alive = false
    return a
  }

  /** Refuses to put incidents together when an analyst said some of their reports are two events. */
  private checkMergeable(incidents: number[]): void {
    if (incidents.length < 2) return
    const set = new Set(incidents)
    for (const i of incidents) {
      for (const m of this.incidentList[i]!.members) {
        for (const c of this.cannot.get(m) ?? []) {
          const j = this.incidentOfReport[c]!
          if (j !== i && set.has(j)) {
            throw new ClusteringConstraintError('constraint_conflict', `reports ${this.reports[m]!.report.id} and ${this.reports[c]!.report.id} were judged two events`)
          }
        }
      }
    }
  }

  private knownReports(ids: readonly string[] | undefined): number[] {
    const out: number[] = []
    for (const id of ids ?? []) {
      const n = this.reportNumber.get(id)
      if (n !== undefined) out.push(n)
    }
    return out
  }

  /** Constraints naming reports not seen yet wait for them. */
  private rememberPending(report: ClusterReport, n: number): void {
    for (const [ids, pending] of [[report.constraint?.mustLink, this.pendingMust], [report.constraint?.cannotLink, this.pendingCannot]] as const) {
      for (const id of ids ?? []) {
        if (this.reportNumber.has(id)) continue
        const list = pending.get(id)
        if (list) list.push(n)
        else pending.set(id, [n])
      }
    }
  }

  private addCannot(a: number, b: number): void {
    for (const [x, y] of [[a, b], [b, a]] as const) {
      const s = this.cannot.get(x)
      if (s) s.add(y)
      else this.cannot.set(x, new Set([y]))
    }
  }

  private removeCannot(a: number, b: number): void {
    this.cannot.get(a)?.delete(b)
    this.cannot.get(b)?.delete(a)
  }

  private incidentNumberOf(id: string): number {
    const i = this.incidentNumber.get(id)
    if (i === undefined || !this.incidentList[i]!.alive) throw new ClusteringConstraintError('unknown_incident', `no incident ${id}`)
    return i
  }

  private reportNumberOf(id: string): number {
    const n = this.reportNumber.get(id)
    if (n === undefined) throw new ClusteringConstraintError('unknown_report', `no report ${id}`)
    return n
  }
}
