// Actor likeness of two reports: the same registry actor when both were resolved, else how alike
// the names are as the actor matcher reads them (any script, transliterations, acronyms). A side
// may be a coalition written as a list ("Ahrar al-Sham, HTS and Southern Front"): two sides are
// alike when some member of one is some member of the other, since sources name different members
// of one alliance. Names are analysed once, and each pair of distinct sides compared once, which
// keeps the matcher's cost out of the clustering's inner loop.
import { analyzeName, type AnalyzedName } from '../../actors/matching/analyze.ts'
import { foldName } from '../../actors/matching/normalize.ts'
import { compareAnalyzed } from '../../actors/matching/score.ts'
import type { ActorMention } from './clustering.types.ts'

/**
 * A side as the clusterer keeps it: its member names and resolved actors, numbered. Sides naming
 * the same names and actors are one object with one id.
 */
export type PreparedMention = { id: number; names: Int32Array; actors: Int32Array }

/**
 * Names this alike (the actor matcher's score) are evidence of one actor; between the matcher's
 * review (0.7) and automatic (0.95) bands.
 */
export const NAME_PIVOT = 0.85
/**
 * Unlike names are weak evidence of two actors: sources call one actor many things the matcher
 * cannot know are one ("rebels" / "Syrian insurgents", "regime forces" / "SAA"). Two sides resolved
 * to different registry actors are strong evidence.
 */
export const NAME_AGAINST = 0.1
const CACHE_LIMIT = 2_000_000

// A list of names: commas, semicolons, slashes, and the word "and" in the languages reports come in.
const LIST = /\s*(?:[,;/،&+]|\s(?:and|et|und|y|и|و)\s)\s*/u

/** The member names of a side as written ("A, B and C" → A, B, C). */
export function memberNames(name: string): string[] {
  return name.split(LIST).map((s) => s.trim()).filter(Boolean)
}

/** Numbers names, actor ids and sides, and remembers how alike each pair of names and of sides is. */
export class ActorNames {
  private readonly nameIds = new Map<string, number>()
  private readonly names: string[] = []
  private readonly analyzed: (AnalyzedName | null)[] = []
  private readonly actorIds = new Map<string, number>()
  private readonly mentions = new Map<string, PreparedMention>()
  /** Sides as written (name and actor ids) with what they were prepared as. */
  private readonly written = new Map<string, PreparedMention | null>()
  /** For each name (side), its likeness with names (sides) of higher number compared with it. */
  private readonly nameCache: (Map<number, number> | undefined)[] = []
  private readonly unitCache: (Map<number, number> | undefined)[] = []
  private cached = 0

  /** A side numbered, or null when it names nobody. */
  prepare(mention: ActorMention | undefined): PreparedMention | null {
    if (!mention) return null
    const writtenKey = `${mention.name ?? ''}\u0000${(mention.actorIds ?? []).join('\u0000')}`
    let m = this.written.get(writtenKey)
    if (m === undefined) {
      if (this.written.size >= CACHE_LIMIT) this.written.clear()
      m = this.number(mention)
      this.written.set(writtenKey, m)
    }
    return m
  }

  private number(mention: ActorMention): PreparedMention | null {
    const names = new Set<number>()
    for (const member of memberNames(mention.name ?? '')) {
      const key = foldName(member)
      if (!key) continue
      let id = this.nameIds.get(key)
      if (id === undefined) {
        id = this.names.length
        this.nameIds.set(key, id)
        this.names.push(member)
        this.analyzed.push(null)
      }
      names.add(id)
    }
    const actors = new Set<number>()
    for (const a of mention.actorIds ?? []) {
      let id = this.actorIds.get(a)
      if (id === undefined) {
        id = this.actorIds.size
        this.actorIds.set(a, id)
      }
      actors.add(id)
    }
    if (!names.size && !actors.size) return null
    const sortedNames = Int32Array.from(names).sort(), sortedActors = Int32Array.from(actors).sort()
    const key = `${sortedNames.join(',')}|${sortedActors.join(',')}`
    let m = this.mentions.get(key)
    if (!m) {
      m = { id: this.mentions.size, names: sortedNames, actors: sortedActors }
      this.mentions.set(key, m)
    }
    return m
  }

  /** How alike two numbered names are (0–1), as the actor matcher scores them; remembered. */
  nameSimilarity(i: number, j: number): number {
    if (i === j) return 1
    return this.remembered(this.nameCache, i, j, (lo, hi) => compareAnalyzed(this.analysis(lo), this.analysis(hi), undefined, false).score)
  }

  /** A numbered name as first written. */
  nameOf(i: number): string {
    return this.names[i] ?? ''
  }

  /**
   * Two sides by their resolved actors: 1 when they share one, -1 when both were resolved and
   * share none, 0 when either was not resolved.
   */
  resolvedRelation(a: PreparedMention, b: PreparedMention): number {
    if (!a.actors.length || !b.actors.length) return 0
    return intersects(a.actors, b.actors) ? 1 : -1
  }

  /** The best likeness of a member name of one side with a member name of the other; -1 when either has no name. */
  namesSimilarity(a: PreparedMention, b: PreparedMention): number {
    let best = -1
    for (const i of a.names) {
      for (const j of b.names) {
        const s = this.nameSimilarity(i, j)
        if (s > best) best = s
      }
    }
    return best
  }

  /**
   * One side against another in units of evidence, -1 (two actors) to 1 (one actor); NaN when
   * either is missing or they cannot be compared. Resolved actors decide when both sides have
   * them; else the names: for from NAME_PIVOT up, weakly against below it. Remembered.
   */
  units(a: PreparedMention | null, b: PreparedMention | null): number {
    if (!a || !b) return NaN
    if (a === b) return 1
    return this.remembered(this.unitCache, a.id, b.id, () => {
      const relation = this.resolvedRelation(a, b)
      if (relation !== 0) return relation
      const v = this.namesSimilarity(a, b)
      if (v < 0) return NaN
      return v >= NAME_PIVOT ? (v - NAME_PIVOT) / (1 - NAME_PIVOT) : (-NAME_AGAINST * (NAME_PIVOT - v)) / NAME_PIVOT
    })
  }

  private remembered(cache: (Map<number, number> | undefined)[], i: number, j: number, compute: (lo: number, hi: number) => number): number {
    const lo = i < j ? i : j, hi = i < j ? j : i
    let row = cache[lo]
    const had = row?.get(hi)
    if (had !== undefined) return had
    const v = compute(lo, hi)
    if (this.cached >= CACHE_LIMIT) {
      this.nameCache.length = 0
      this.unitCache.length = 0
      this.cached = 0
      row = undefined
    }
    if (!row) cache[lo] = row = new Map()
    row.set(hi, v)
    this.cached++
    return v
  }

  private analysis(i: number): AnalyzedName {
    let a = this.analyzed[i]
    if (!a) {
      a = analyzeName(this.names[i]!)
      this.analyzed[i] = a
    }
    return a
  }
}

function intersects(a: Int32Array, b: Int32Array): boolean {
  let i = 0, j = 0
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) return true
    if (a[i]! < b[j]!) i++
    else j++
  }
  return false
}
