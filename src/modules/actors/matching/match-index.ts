// The in-memory index behind matchName: every registry name analysed once, and posting lists from
// blocking keys to names, so a query touches only names that share something with it (a
// dictionary meaning, a skeleton or a skeleton one edit away, the names run together, an acronym
// or initials), never the whole registry. Names can be added and removed as the registry changes;
// a removed name leaves a tombstone that the next compaction clears.
import { expansionsOf } from './acronyms.ts'
import { analyzeName, spelledOut, type AnalyzedName, type AnalyzedToken } from './analyze.ts'
import { conceptFamily } from './dictionary.ts'
import type { RegistryName } from './matcher.ts'
import type { Weigh } from './score.ts'

export type IndexEntry = { name: RegistryName; analyzed: AnalyzedName; staticWeight: number }

/** Fuzzy key hits (one edit away) count for this much of an exact key hit when gathering candidates. */
const FUZZY_CREDIT = 0.7
/**
 * Side roads (a meaning's family, a dictionary word's skeleton, the runs an acronym may stand for)
 * are walked only when at most this many names are on them: they find the odd name the query's own
 * keys miss, and a long list of them costs more than it finds.
 */
const SIDE_ROAD_POSTINGS = 200
/** Runs of words an acronym may stand for are many: such a hit counts for this much. */
const ACRONYM_CREDIT = 0.5
/** Words of a name paired for pair keys (a name of more words pairs its first ones). */
const MAX_PAIRED_WORDS = 6
/** Posting lists longer than this are only checked against candidates the query's other keys found. */
const LONG_POSTINGS = 1000
/** Skeletons this long (without the V) or longer also index their one-letter deletions. */
const MIN_FUZZY_SKELETON = 3

const withoutV = (s: string) => (s[0] === 'V' ? s.slice(1) : s)

/** The skeleton with each letter left out once (a one-edit neighbourhood, as in SymSpell). */
function deletions(s: string): string[] {
  if (withoutV(s).length < MIN_FUZZY_SKELETON) return []
  const out = new Set<string>()
  for (let i = 0; i < s.length; i++) out.add(s.slice(0, i) + s.slice(i + 1))
  return [...out]
}

/**
 * A word's keys: its meaning; else its skeletons, their one-letter deletions, and its vocalic keys
 * (a short skeleton such as "hs" is on thousands of names, the word with its vowels on few).
 */
function tokenKeys(t: AnalyzedToken): string[] {
  if (t.concept) return [`c:${t.concept}`]
  const keys = [...t.skeletons.map((s) => `k:${s}`), ...t.vocalics.map((v) => `v:${v}`)]
  for (const d of deletions(t.skeletons[0]!)) keys.push(`d:${d}`)
  return keys
}

/** Pair keys: two words of one name together, so a query's words can find the names holding both. */
function pairKeys(words: readonly (readonly string[])[]): string[] {
  const out: string[] = []
  const n = Math.min(words.length, MAX_PAIRED_WORDS)
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      for (const a of words[i]!) for (const b of words[j]!) out.push(a < b ? `p:${a}|${b}` : `p:${b}|${a}`)
    }
  }
  return out
}

/** A word's exact keys for pairing: its meaning, else its skeletons (the registry side uses the first only). */
const pairWord = (t: AnalyzedToken): string[] => (t.concept ? [`c${t.concept}`] : t.skeletons.map((s) => `k${s}`))

/** Combinations of letters a run of words may be abbreviated to, at most this many a run (more say too little to index). */
const MAX_LETTER_COMBINATIONS = 24
/**
 * The whole name's letters in any order are one key a combination, for names of three to five
 * words only: they may have more, as the words of such names have renderings in several languages
 * ("National Movement …" → n, w; m, h, d, b …) and an acronym made in any of them should find it.
 */
const MAX_WHOLE_COMBINATIONS = 96
/** Acronyms of this many letters are looked up among runs of words; shorter ones are too common to index. */
const MIN_INDEXED_ACRONYM = 3
const MAX_INDEXED_ACRONYM = 5

/** Every string of one letter from each word's letters, in order; null when there are too many. */
function letterCombinations(tokens: readonly AnalyzedToken[], most = MAX_LETTER_COMBINATIONS): string[] | null {
  let out = ['']
  for (const t of tokens) {
    if (!t.letters || t.acronym) return null
    if (out.length * t.letters.length > most) return null
    out = out.flatMap((p) => [...t.letters].map((c) => p + c))
  }
  return out
}

const sortedLetters = (s: string) => [...s].sort().join('')

/**
 * Keys for acronyms of a name's words: each run of three to five words by the letters it may be
 * abbreviated to ("Donetsk People's Republic" → r:dpr, r:dnr …), and the whole name by its letters
 * in any order, as a translation reorders them ("Free Syrian Army" → u:afs, u:als …).
 */
function acronymKeys(tokens: readonly AnalyzedToken[]): string[] {
  const out = new Set<string>()
  for (let k = MIN_INDEXED_ACRONYM; k <= Math.min(MAX_INDEXED_ACRONYM, tokens.length); k++) {
    for (let j = 0; j + k <= tokens.length; j++) for (const c of letterCombinations(tokens.slice(j, j + k)) ?? []) out.add(`r:${c}`)
  }
  if (tokens.length >= MIN_INDEXED_ACRONYM && tokens.length <= MAX_INDEXED_ACRONYM) {
    for (const c of letterCombinations(tokens, MAX_WHOLE_COMBINATIONS) ?? []) out.add(`u:${sortedLetters(c)}`)
  }
  return [...out]
}

function entryKeys(e: IndexEntry): string[] {
  const a = e.analyzed
  const keys = new Set<string>([`x:${a.exact}`])
  if (e.name.isReference) return [...keys]
  for (const k of acronymKeys(a.tokens)) keys.add(k)
  for (const t of a.tokens) for (const k of tokenKeys(t)) keys.add(k)
  for (const k of pairKeys(a.tokens.map((t) => pairWord(t).slice(0, 1)))) keys.add(k)
  if (a.concat.length >= 4) keys.add(`j:${a.concat}`)
  for (const k of a.acronyms) keys.add(`a:${k}`)
  for (const k of a.initials) keys.add(`i:${k}`)
  for (const c of a.acronymClasses) keys.add(`t:${c}`)
  return [...keys]
}

/** Whether a name is on a key's posting list, from its analysis (for candidates checked against a long list). */
function hasKey(e: IndexEntry, kind: string, value: string, key: string): boolean {
  const tokens = e.analyzed.tokens
  if (kind === 'c') {
    for (let i = 0; i < tokens.length; i++) if (tokens[i]!.concept === value) return true
    return false
  }
  if (kind === 'k') {
    if (e.name.isReference) return false
    for (let i = 0; i < tokens.length; i++) if (!tokens[i]!.concept && tokens[i]!.skeletons.includes(value)) return true
    return false
  }
  return entryKeys(e).includes(key)
}

/** Document-frequency weight: a word on many registry names says less about which one is meant. */
export function frequencyWeight(df: number): number {
  return Math.min(1, Math.max(0.3, 1 / (1 + Math.log10(1 + df / 20))))
}

const expansionCache = new Map<string, AnalyzedName>()
function analyzedExpansion(value: string): AnalyzedName {
  let a = expansionCache.get(value)
  if (!a) expansionCache.set(value, (a = analyzeName(value)))
  return a
}

type Probe = { key: string; credit: number; token: number; fuzzy?: boolean; side?: boolean }

export class MatchIndex {
  #entries: (IndexEntry | undefined)[] = []
  #ids = new Map<string, number>()
  #actors = new Map<string, Set<number>>()
  #postings = new Map<string, number[]>()
  #df = new Map<string, number>()
  #dead = 0
  // Scratch space for gathering, reused by every query (matching is synchronous).
  #acc = new Float64Array(1024)
  #touched = new Int32Array(1024)
  #tokenStamp = new Int32Array(1024)
  #tokenCredit = new Float64Array(1024)
  #stamp = 0

  /** Adds a name, or replaces the name with the same nameId. */
  add(name: RegistryName): void {
    if (this.#ids.has(name.nameId)) this.remove(name.nameId)
    const analyzed = analyzeName(name.value)
    const entry: IndexEntry = { name, analyzed, staticWeight: analyzed.tokens.reduce((s, t) => s + t.weight, 0) }
    const id = this.#entries.length
    this.#entries.push(entry)
    this.#ids.set(name.nameId, id)
    let actor = this.#actors.get(name.actorId)
    if (!actor) this.#actors.set(name.actorId, (actor = new Set()))
    actor.add(id)
    for (const k of entryKeys(entry)) {
      let list = this.#postings.get(k)
      if (!list) this.#postings.set(k, (list = []))
      list.push(id)
    }
    for (const k of this.#dfKeys(entry)) this.#df.set(k, (this.#df.get(k) ?? 0) + 1)
    if (id >= this.#acc.length) this.#grow()
  }

  /** Removes a name; false if the index does not hold it. */
  remove(nameId: string): boolean {
    const id = this.#ids.get(nameId)
    if (id === undefined) return false
    const entry = this.#entries[id]!
    this.#entries[id] = undefined
    this.#ids.delete(nameId)
    const actor = this.#actors.get(entry.name.actorId)
    actor?.delete(id)
    if (actor && actor.size === 0) this.#actors.delete(entry.name.actorId)
    for (const k of this.#dfKeys(entry)) {
      const n = (this.#df.get(k) ?? 1) - 1
      if (n <= 0) this.#df.delete(k)
      else this.#df.set(k, n)
    }
    this.#dead++
    if (this.#dead > 1000 && this.#dead > this.#ids.size / 2) this.#compact()
    return true
  }

  /** How many names the index holds. */
  get size(): number {
    return this.#ids.size
  }

  /** How many actors have at least one name in the index. */
  get actorCount(): number {
    return this.#actors.size
  }

  has(nameId: string): boolean {
    return this.#ids.has(nameId)
  }

  /** A held name with its analysis. */
  entry(nameId: string): IndexEntry | undefined {
    const id = this.#ids.get(nameId)
    return id === undefined ? undefined : this.#entries[id]
  }

  /** The words' weights for scoring, from how many registry names share each word. */
  readonly weigh: Weigh = (t) => (t.concept ? t.weight : frequencyWeight(this.#df.get(t.key) ?? 0))

  #dfKeys(e: IndexEntry): Set<string> {
    return new Set(e.analyzed.tokens.filter((t) => !t.concept).map((t) => t.key))
  }

  #grow() {
    const n = Math.max(this.#entries.length * 2, 1024)
    this.#acc = new Float64Array(n)
    this.#touched = new Int32Array(n)
    this.#tokenStamp = new Int32Array(n)
    this.#tokenCredit = new Float64Array(n)
  }

  #compact() {
    const live = this.#entries.filter((e): e is IndexEntry => e !== undefined)
    this.#entries = []
    this.#ids.clear()
    this.#actors.clear()
    this.#postings.clear()
    this.#df.clear()
    this.#dead = 0
    for (const e of live) this.add(e.name)
  }

  #probes(q: AnalyzedName, scale: number, token0: number): Probe[] {
    const probes: Probe[] = []
    const whole = q.tokens.reduce((s, t) => s + this.weigh(t), 0) * scale
    let token = token0
    for (const t of q.tokens) {
      const w = this.weigh(t) * scale
      if (t.concept) {
        probes.push({ key: `c:${t.concept}`, credit: w, token })
        // Meanings of its family ("Front du Levant" / Jabhat al-Shamiya, "Levantine"), and the word
        // as a name the registry holds untranslated ("Восток" / "Vostok"): side roads, not walked
        // when thousands of names are on them.
        for (const [other, sim] of conceptFamily(t.concept)) probes.push({ key: `c:${other}`, credit: w * sim, token, side: true })
        probes.push({ key: `k:${t.skeletons[0]}`, credit: w * FUZZY_CREDIT, token, side: true })
      } else {
        // An acronym among the words ("DPR forces", "ДНР"): the runs of words it may stand for.
        if (t.acronym && t.acronym.length >= MIN_INDEXED_ACRONYM && t.acronym.length <= MAX_INDEXED_ACRONYM) {
          probes.push({ key: `r:${t.acronym}`, credit: w * ACRONYM_CREDIT, token, side: true })
          if (q.tokens.length === 1) probes.push({ key: `u:${sortedLetters(t.acronym)}`, credit: w * ACRONYM_CREDIT * FUZZY_CREDIT, token, side: true })
        }
        for (const v of t.vocalics) probes.push({ key: `v:${v}`, credit: w, token })
        let found = false
        for (const s of t.skeletons) {
          probes.push({ key: `k:${s}`, credit: w, token })
          found ||= this.#postings.has(`k:${s}`)
        }
        // One edit away only for a word no registry name has exactly (a misspelling, a rare
        // transliteration): for a word that is there, its exact holders are the candidates.
        const primary = t.skeletons[0]!
        const dels = found ? [] : deletions(primary)
        if (dels.length) probes.push({ key: `d:${primary}`, credit: w * FUZZY_CREDIT, token, fuzzy: true })
        for (const d of dels) {
          probes.push({ key: `k:${d}`, credit: w * FUZZY_CREDIT, token, fuzzy: true })
          probes.push({ key: `d:${d}`, credit: w * FUZZY_CREDIT, token, fuzzy: true })
        }
      }
      token++
    }
    const wholeToken = token
    if (q.concat.length >= 4) probes.push({ key: `j:${q.concat}`, credit: whole, token: wholeToken })
    for (const k of q.acronyms) {
      probes.push({ key: `a:${k}`, credit: whole || 1, token: wholeToken })
      probes.push({ key: `i:${k}`, credit: whole || 1, token: wholeToken })
    }
    for (const k of q.initials) probes.push({ key: `a:${k}`, credit: whole, token: wholeToken })
    for (const c of q.acronymClasses) probes.push({ key: `t:${c}`, credit: whole || 1, token: wholeToken })
    return probes
  }

  /**
   * Up to `k` names worth scoring for a query, best first by a rough shared-key score, exact hits
   * always among them. Cost is the length of the posting lists the query's keys touch.
   */
  gather(q: AnalyzedName, k: number): IndexEntry[] {
    const acc = this.#acc
    const seen = this.#touched
    const tokenStamp = this.#tokenStamp
    const queryStamp = ++this.#stamp
    const touched: number[] = []
    const exact = new Set<number>()
    for (const id of this.#postings.get(`x:${q.exact}`) ?? []) if (this.#entries[id]) exact.add(id)

    // Probes of one word share a stamp so a name is credited once per word, by its best key;
    // every word gets a fresh stamp, across queries too.
    const probes = this.#probes(q, 1, 0)
    // An acronym query is also looked up as each name the acronym table says it stands for, and a
    // query with descriptors around it ("ИГИЛ (запрещена в РФ)", "YPG militia") as its core too.
    let block = 0
    for (const a of q.core ? [q, q.core] : [q]) {
      if (a !== q) probes.push(...this.#probes(a, 0.98, ++block * 1000))
      for (const id of a.acronyms.length ? a.acronymClasses : []) {
        for (const e of expansionsOf(id)) probes.push(...this.#probes(analyzedExpansion(e), 0.97, ++block * 1000))
      }
      for (const e of spelledOut(a)) probes.push(...this.#probes(e, 0.97, ++block * 1000))
    }
    const tokenCredit = this.#tokenCredit
    const entries = this.#entries
    const credit = (id: number, amount: number, mark: number) => {
      if (!entries[id]) return
      if (seen[id] !== queryStamp) {
        seen[id] = queryStamp
        acc[id] = 0
        touched.push(id)
      }
      if (tokenStamp[id] !== mark) {
        tokenStamp[id] = mark
        tokenCredit[id] = amount
        acc[id] = acc[id]! + amount
      } else if (amount > tokenCredit[id]!) {
        acc[id] = acc[id]! + amount - tokenCredit[id]!
        tokenCredit[id] = amount
      }
    }
    // Names holding two of the query's words come first: they are the likely candidates, and once
    // there are enough of them a word on thousands of names need not be walked.
    for (const key of new Set(pairKeys(q.tokens.map(pairWord)))) {
      const list = this.#postings.get(key)
      if (!list) continue
      const mark = ++this.#stamp
      for (let x = 0; x < list.length; x++) credit(list[x]!, 0, mark)
    }
    // Long posting lists (a generic word on thousands of names) are deferred, shortest first: once
    // the query's other keys have found candidates, only those are checked for the key (a name
    // sharing nothing but a generic word with the query would not score 0.50 anyway).
    const deferred: { key: string; amount: number; mark: number; list: number[] }[] = []
    let currentToken = -1
    let mark = 0
    for (const p of probes) {
      if (p.token !== currentToken) {
        currentToken = p.token
        mark = ++this.#stamp
      }
      const list = this.#postings.get(p.key)
      if (!list) continue
      if (p.side && list.length > SIDE_ROAD_POSTINGS) continue
      if (list.length > LONG_POSTINGS) {
        // A one-edit neighbour thousands of names share is no evidence worth its cost.
        if (p.fuzzy) continue
        deferred.push({ key: p.key, amount: p.credit, mark, list })
        continue
      }
      for (let x = 0; x < list.length; x++) credit(list[x]!, p.credit, mark)
    }
    deferred.sort((a, b) => a.list.length - b.list.length)
    for (const d of deferred) {
      if (touched.length === 0 || touched.length * 3 > d.list.length) {
        for (let x = 0; x < d.list.length; x++) credit(d.list[x]!, d.amount, d.mark)
        continue
      }
      const kind = d.key[0]!
      const value = d.key.slice(2)
      for (let x = 0, n = touched.length; x < n; x++) {
        const id = touched[x]!
        if (hasKey(entries[id]!, kind, value, d.key)) credit(id, d.amount, d.mark)
      }
    }

    const wq = q.tokens.reduce((s, t) => s + this.weigh(t), 0) || 1
    // A bounded min-heap of (rough score, id).
    const heapScore: number[] = []
    const heapId: number[] = []
    const push = (score: number, id: number) => {
      if (heapScore.length < k) {
        heapScore.push(score)
        heapId.push(id)
        let i = heapScore.length - 1
        while (i > 0) {
          const parent = (i - 1) >> 1
          if (heapScore[parent]! <= heapScore[i]!) break
          swap(i, parent)
          i = parent
        }
      } else if (score > heapScore[0]!) {
        heapScore[0] = score
        heapId[0] = id
        let i = 0
        for (;;) {
          const l = 2 * i + 1
          const r = l + 1
          let m = i
          if (l < heapScore.length && heapScore[l]! < heapScore[m]!) m = l
          if (r < heapScore.length && heapScore[r]! < heapScore[m]!) m = r
          if (m === i) break
          swap(i, m)
          i = m
        }
      }
    }
    const swap = (a: number, b: number) => {
      const s = heapScore[a]!; heapScore[a] = heapScore[b]!; heapScore[b] = s
      const d = heapId[a]!; heapId[a] = heapId[b]!; heapId[b] = d
    }
    for (const id of touched) {
      if (exact.has(id)) continue
      const e = this.#entries[id]!
      push((2 * acc[id]!) / (wq + e.staticWeight), id)
    }
    const order = heapId.map((id, i) => ({ id, s: heapScore[i]! })).sort((a, b) => b.s - a.s)
    return [...[...exact].map((id) => this.#entries[id]!), ...order.map((o) => this.#entries[o.id]!)]
  }
}
