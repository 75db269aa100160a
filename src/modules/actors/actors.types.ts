// The armed-actor registry's shared vocabulary: actor types, name kinds, and the ImportBatch that
// every importer (UN Security Council XML, FollowTheMoney, UCDP actor strings) produces and the
// registry applies as claims. Importers are pure: they turn a file into an ImportBatch or a
// located error, and never touch the database.

export const ACTOR_TYPES = ['state_force', 'armed_group', 'umbrella', 'militia', 'foreign_force', 'guarantor_state', 'un_body'] as const
export type ActorType = (typeof ACTOR_TYPES)[number]

/** A name record's kind. A previous name (f.k.a.) was the actor's name before a date. */
export const NAME_KINDS = ['name', 'alias', 'previous_name', 'weak_alias', 'abbreviation'] as const
export type NameKind = (typeof NAME_KINDS)[number]

/** Scripts a name is written in (ISO 15924 codes). */
export const SCRIPTS = ['Latn', 'Arab', 'Cyrl', 'Other'] as const
export type Script = (typeof SCRIPTS)[number]

export const SUCCESSION_KINDS = ['rename', 'merger', 'split'] as const
export type SuccessionKind = (typeof SUCCESSION_KINDS)[number]

/** Dates are ISO calendar dates, YYYY-MM-DD. */
export type IsoDate = string

export type ImportedName = {
  kind: NameKind
  value: string
  /** BCP 47 language tag when known (e.g. "ar", "en", "ru"), else null. */
  lang: string | null
  script: Script
  validFrom: IsoDate | null
  validTo: IsoDate | null
}

export type ImportedDesignation = {
  /** The listing authority, e.g. "UNSC 1267". */
  authority: string
  /** The authority's reference, e.g. "QDe.137". */
  reference: string
  listedOn: IsoDate | null
  delistedOn: IsoDate | null
  /** Dates the listing was amended, oldest first. */
  amendedOn: IsoDate[]
  /** The sanctions programme or list within the authority, when the source names one (FtM `program`). */
  program?: string | null
  /** Where the listing is published (FtM `sourceUrl`). */
  sourceUrl?: string | null
}

export type ImportedActor = {
  /**
   * Stable key of the actor within its source, used to link memberships and successions inside a
   * batch and to recognise the same actor on re-import: e.g. "un:QDe.137", "un:QDe.137/sub/2",
   * or a FollowTheMoney entity id.
   */
  key: string
  type: ActorType
  names: ImportedName[]
  designations: ImportedDesignation[]
  /** This actor as a member of another actor of the batch (by key). */
  memberships: { umbrellaKey: string; role: string | null; validFrom: IsoDate | null; validTo: IsoDate | null }[]
  /** This actor as the successor of another actor of the batch (by key). */
  successions: ImportedSuccession[]
  /** ISO 3166-1 alpha-2 codes (capitals) of the countries the source says the actor operates in. */
  countries: string[]
}

export type ImportedSuccession = {
  /** The predecessor's key: an actor of the batch, or (when `optional`) one an earlier import made. */
  predecessorKey: string
  kind: SuccessionKind
  date: IsoDate | null
  /**
   * Where in the source the succession is said, when that is narrower than the batch (e.g. the
   * sentence of a UN entry's COMMENTS1, and how its date was read): the claim's source adds it.
   */
  source?: string
  /**
   * A reference the source makes in passing (a UN comment naming another entry by its reference
   * number): when neither the batch nor the registry has that actor, the succession is left out
   * and counted, instead of refusing the file.
   */
  optional?: boolean
}

/** An analyst's to-do from a source that only hints at structure (UCDP's "A, B" sides). */
export type ImportCandidate = {
  kind: 'coalition' | 'membership'
  /** The source string exactly as found, e.g. "HTS, Southern Front". */
  raw: string
  /** Its parts, trimmed, in order. */
  parts: string[]
  /** How many source rows carried it. */
  occurrences: number
  /** ISO 3166-1 alpha-2 codes of the countries of those rows (when the source says), sorted. */
  countries: string[]
}

export type ImportBatch = {
  /** What the batch came from, e.g. "UN Security Council Consolidated List 2015-03-30". */
  source: string
  /** The date the source states for itself (list generation date), if any. */
  asOf: IsoDate | null
  actors: ImportedActor[]
  candidates: ImportCandidate[]
  /**
   * What the source held that the batch leaves out, counted by what it was, e.g.
   * `{ INDIVIDUAL: 622 }` for a UN list's persons or `{ Person: 12 }` for FtM entities.
   */
  skipped?: Record<string, number>
}

/** A file an importer cannot use: where (line, element, field) and what. Nothing is written. */
export class ImportFormatError extends Error {
  override name = 'ImportFormatError'
  readonly code: string
  readonly where: string
  constructor(code: string, where: string, message: string) {
    super(`${where}: ${message}`)
    this.code = code
    this.where = where
  }
}

/** The script a name is mostly written in. */
export function scriptOf(value: string): Script {
  let arab = 0
  let cyrl = 0
  let latn = 0
  for (const ch of value) {
    if (/\p{Script=Arabic}/u.test(ch)) arab++
    else if (/\p{Script=Cyrillic}/u.test(ch)) cyrl++
    else if (/\p{Script=Latin}/u.test(ch)) latn++
  }
  const most = Math.max(arab, cyrl, latn)
  if (most === 0) return 'Other'
  return most === arab ? 'Arab' : most === cyrl ? 'Cyrl' : 'Latn'
}
