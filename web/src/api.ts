// The typed client for Truce's JSON API. Same origin only, with the session cookie; unsafe
// methods carry the session's CSRF token, and, when the reader loaded a party signing key,
// the party's signature (x-truce-signature). Every failure becomes an ApiError holding the
// server's stable error code, so pages can explain it in the reader's language.
import type { LayerImportResult } from '../../src/modules/geo/geo.import.ts'
import type { ReportImportAnswer } from '../../src/modules/incidents/reports.import.routes.ts'
import type { DelineationStatus, Reason as DelineationReason } from '../../src/modules/actors/viewpoints.ts'
import type { Geometry } from 'geojson'
import type { StoredRotation } from './log/verify.ts'

export type LangText = Record<string, string>

export const AGREEMENT_STATUSES = ['draft', 'signed', 'in_force', 'suspended', 'terminated', 'superseded'] as const
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number]

export const AGREEMENT_ROLES = ['signatory', 'guarantor', 'secretariat', 'monitor', 'observer'] as const
export type AgreementRole = (typeof AGREEMENT_ROLES)[number]

export const PROVISION_CATEGORIES = ['cessation_of_hostilities', 'exclusion', 'humanitarian_access', 'delineation',
  'monitoring', 'weapons_withdrawal', 'political_process', 'public_communication'] as const
export type ProvisionCategory = (typeof PROVISION_CATEGORIES)[number]

export const IMPLEMENTATION_LEVELS = [0, 1, 2, 3] as const
export type ImplementationLevel = (typeof IMPLEMENTATION_LEVELS)[number]

export const VISIBILITIES = ['public', 'parties', 'restricted', 'internal'] as const
export type Visibility = (typeof VISIBILITIES)[number]

export type Page<T> = { items: T[]; nextCursor: string | null }

export type SessionUser = {
  id: string
  email: string
  displayName: string
  partyId: string
  partySlug: string
  roles: string[]
  locale: string
}

export type LoginResult = { user: SessionUser; csrfToken: string; expiresAt: string }

export type Me = {
  kind: 'user' | 'apikey' | 'anonymous'
  userId: string | null
  partyId: string | null
  roles: string[]
  permissions: string[]
  csrfToken: string | null
  user: SessionUser | null
}

export type Party = { id: string; slug: string; name: LangText; kind: string }

export type AgreementSummary = {
  id: string
  slug: string
  title: LangText
  theatre: string
  status: AgreementStatus
  signedOn: string | null
  effectiveFrom: string | null
  effectiveTo: string | null
  visibility: Visibility
  revision: number
  version: number
}

export type StatusEntry = {
  id: string
  provisionId: string
  level: number
  asOf: string
  evidence: string
  partyId: string
  userId: string | null
  submissionId: string
  createdAt: string
}

export type Exclusion = {
  id: string
  description: LangText
  designationAuthority: string | null
  namedGroup: string | null
}

export type Provision = {
  id: string
  number: string
  category: ProvisionCategory
  title: LangText
  text: LangText
  withdrawnAt: string | null
  exclusions: Exclusion[]
  status: StatusEntry | null
}

export type AgreementParty = { partyId: string; slug: string; name: LangText; kind: string; role: AgreementRole }

export type AgreementDetail = AgreementSummary & {
  summary: LangText
  languages: string[]
  ownerPartyId: string
  restrictedTo: string[]
  createdAt: string
  updatedAt: string
  /** What the signed-in reader may do here, decided by the server's policy. */
  actions: { amend: boolean; reportStatus: boolean }
  parties: AgreementParty[]
  provisions: Provision[]
}

export type Revision = {
  revision: number
  changedAt: string
  partyId: string
  userId: string | null
  note: string
  changes: { path: string; from: unknown; to: unknown }[]
  submissionId: string
}

export type Submission = {
  id: string
  seq: number
  partyId: string
  userId: string | null
  apiKeyId: string | null
  kind: string
  subjectId: string | null
  payload: string
  payloadSha256: string
  visibility: Visibility
  createdAt: string
}

/** A submission's entry in the verifiable log, once the sequencer has taken it in. */
export type LogEntry = {
  submissionId: string
  leafIndex: number
  /** SHA-256(0x00 ‖ entry), base64. */
  leafHash: string
  /** RFC 8785 canonical JSON: exactly the bytes the leaf hash covers. */
  entry: string
  /** For a sealed leaf (a non-public submission), the full entry; its SHA-256 (hex) is the seal. */
  opening: string | null
  sequencedAt: string
}

/** An RFC 9162 inclusion proof, hashes in base64 from the leaf upwards. */
export type InclusionProof = { leafIdx: number; treeSize: number; root: string; leafHash: string; proof: string[] }

/** The fields an amendment may change here; the API accepts more (title, provisions, …). */
export type Amendment = {
  version: number
  note: string
  status?: AgreementStatus
  effectiveTo?: string | null
}

/** A party's Ed25519 signing key, as GET /api/parties/:id/keys lists it. */
export type PartyKey = {
  id: string
  partyId: string
  name: string
  algorithm: 'ed25519'
  /** The 32 raw bytes, base64. */
  publicKey: string
  /** SHA-256 of the raw public key, hex. */
  fingerprint: string
  validFrom: string
  validTo: string | null
  revokedAt: string | null
  replacesId: string | null
  createdAt: string
}

export type StatusReport = { level: ImplementationLevel; asOf: string; evidence: string }

export const ACTOR_TYPES = ['state_force', 'armed_group', 'umbrella', 'militia', 'foreign_force', 'guarantor_state', 'un_body'] as const
export type ActorType = (typeof ACTOR_TYPES)[number]
export const NAME_KINDS = ['name', 'alias', 'previous_name', 'weak_alias', 'abbreviation'] as const
export type NameKind = (typeof NAME_KINDS)[number]
export const CLAIM_FACTS = ['name', 'membership', 'succession', 'designation', 'accession', 'country'] as const
export type ClaimFact = (typeof CLAIM_FACTS)[number]
export type Confidence = 'high' | 'medium' | 'low'

export type ActorSummary = {
  id: string
  type: ActorType
  displayName: LangText
  mergedInto: string | null
  visibility: Visibility
  createdAt: string
  version: number
}

/** One claim by one party about an actor; nothing is overwritten, a retraction only marks it. */
export type ActorClaim = {
  id: string
  fact: ClaimFact
  actorId: string
  otherActorId: string | null
  agreementId: string | null
  guarantorPartyId: string | null
  kind: string | null
  value: string | null
  lang: string | null
  script: string | null
  authority: string | null
  reference: string | null
  validFrom: string | null
  validTo: string | null
  partyId: string
  source: string
  asOf: string
  confidence: Confidence
  visibility: Visibility
  submissionId: string
  createdAt: string
  retracted: { reason: string; at: string; submissionId: string } | null
}

export type ActorDetail = ActorSummary & {
  externalIds: { scheme: string; value: string }[]
  /** Countries of operation (ISO 3166-1 alpha-2) the live country claims the reader may see name. */
  countries: string[]
  claims: ActorClaim[]
  judgements: { id: string; otherActorId: string; verdict: 'same' | 'not_same'; partyId: string; note: string; createdAt: string }[]
}

type Dated = { validFrom: string | null; validTo: string | null; claimIds: string[] }
/** An actor as one viewpoint (a party, the guarantors' consensus, an authority) holds it on a date. */
export type ActorView = {
  actorId: string
  viewpoint: string
  at: string
  names: (Dated & { kind: string; value: string; lang: string | null; script: string | null })[]
  memberOf: (Dated & { actorId: string; role: string | null })[]
  members: (Dated & { actorId: string; role: string | null })[]
  designations: { authority: string; reference: string; listedOn: string | null; delistedOn: string | null; claimIds: string[] }[]
  successions: { predecessorId: string; kind: string; date: string | null; claimIds: string[] }[]
  countries: (Dated & { country: string })[]
}

// The delineation's cell types are the server's own (a type-only import: nothing of the server
// is bundled), so the two cannot drift apart.
export type { DelineationStatus, Reason as DelineationReason } from '../../src/modules/actors/viewpoints.ts'
export type Delineation = {
  agreementId: string
  at: string
  viewpoints: { key: string; kind: 'party' | 'consensus' | 'authority'; label: string; partyId?: string }[]
  rows: {
    actorId: string
    name: string
    type: ActorType
    disagreement: boolean
    cells: Record<string, { status: DelineationStatus; reasons: DelineationReason[] }>
  }[]
}

export const MATCH_BANDS = ['automatic', 'review', 'possible'] as const
export type MatchBand = (typeof MATCH_BANDS)[number]
export const SUCCESSION_KINDS = ['rename', 'merger', 'split'] as const
export type SuccessionKind = (typeof SUCCESSION_KINDS)[number]

/** One piece of a match's evidence: which feature, how strongly (0–1), and the server's words (English). */
export type MatchFeature = { feature: string; value?: unknown; detail?: unknown; [key: string]: unknown }

/** A candidate actor for a name, as POST /api/actors/match ranks it. */
export type MatchCandidate = {
  actorId: string
  displayName: LangText
  score: number
  band: MatchBand
  matchedName: { nameId: string; value: string; kind: string; lang: string | null; script: string; validFrom: string | null; validTo: string | null; isReference?: boolean }
  dateStatus: 'valid' | 'came_into_use_later' | 'no_longer_in_use'
  cameIntoUseLater: boolean
  features: MatchFeature[]
}
export type MatchResult = { name: string; at: string | null; country?: string | null; candidates: MatchCandidate[] }

/** A coalition an import found (a UCDP side naming several actors), waiting for an analyst. */
export type ActorCandidate = {
  id: string
  kind: 'coalition' | 'membership'
  raw: string
  parts: string[]
  occurrences: number
  /** ISO 3166-1 alpha-2 codes of the rows it came from. */
  countries: string[]
  source: string
  status: 'pending' | 'confirmed' | 'rejected'
  createdAt: string
}
export type ConfirmCandidate = {
  umbrellaId?: string
  members: { part: string; actorId: string }[]
  validFrom?: string
  validTo?: string
  source: string
  asOf?: string
  confidence?: Confidence
  visibility?: Visibility
}

/** Splitting a new actor off one: the name claims it takes, its type and name, and who says so. */
export type SplitActor = { type: ActorType; displayName: LangText; nameClaimIds: string[]; date?: string; source: string }

/** What the claim form sends: one fact and who says so, from what, as of when, how sure. */
export type NewClaim = { fact: ClaimFact; source: string; asOf?: string; confidence: Confidence; [field: string]: unknown }

export const GEO_LAYER_KINDS = ['admin', 'control', 'zone', 'access', 'site'] as const
export type GeoLayerKind = (typeof GEO_LAYER_KINDS)[number]
export const ZONE_KINDS = ['ceasefire_area', 'contact_line', 'withdrawal_line', 'buffer', 'other'] as const
export type ZoneKind = (typeof ZONE_KINDS)[number]
export const SITE_KINDS = ['hospital', 'clinic', 'school', 'water', 'power', 'un_premises', 'shelter', 'religious', 'market', 'other'] as const
export type SiteKind = (typeof SITE_KINDS)[number]
export const ACCESS_STATUSES = ['besieged', 'hard_to_reach'] as const
export type AccessStatus = (typeof ACCESS_STATUSES)[number]

/** A map layer: admin units, areas of control, agreement zones, access areas or protected sites. */
export type GeoLayer = {
  id: string
  slug: string
  kind: GeoLayerKind
  title: LangText
  description: string
  agreementId: string | null
  visibility: Visibility
  ownerPartyId: string
  /** How many features the reader may see, retracted ones aside. */
  features: number
  createdAt: string
}

export type GeoFeatureProperties = {
  id: string
  layer: string
  kind: GeoLayerKind
  externalId: string | null
  name: LangText
  properties: Record<string, unknown>
  validFrom: string | null
  validTo: string | null
  claimantPartyId: string
  actorId: string | null
  confidence: Confidence | null
  zoneKind: string | null
  bufferM: number | null
  accessStatus: string | null
  population: number | null
  criteria: string | null
  siteKind: string | null
  radiusM: number | null
  source: string
  visibility: Visibility
  replaces: string | null
  retracted: { reason: string; at: string } | null
  createdAt: string
}

/** GeoJSON on the wire, longitude/latitude on WGS84 (EPSG:4326). */
export type GeoFeature = { type: 'Feature'; id: string; geometry: Geometry; properties: GeoFeatureProperties }
export type GeoFeatureCollection = { type: 'FeatureCollection'; features: GeoFeature[]; nextCursor: string | null }

/** What a feature says besides its geometry; which fields apply depends on the layer's kind. */
export type GeoFeatureInput = {
  geometry: Geometry
  validFrom?: string | null
  validTo?: string | null
  name?: LangText
  externalId?: string
  actorId?: string
  confidence?: Confidence
  zoneKind?: ZoneKind
  accessStatus?: AccessStatus
  population?: number
  criteria?: string
  siteKind?: SiteKind
  radiusM?: number
  source: string
  visibility?: Visibility
}

export type NewGeoLayer = { slug: string; kind: GeoLayerKind; title: LangText; description?: string; agreement?: string; visibility: Visibility }

type AttributionHit = {
  featureId: string
  layer: string
  name: LangText
  externalId: string | null
  claimantPartyId: string
  validFrom: string | null
  validTo: string | null
  /** For an area asked about: the share of it inside this feature (0–1); null for a point. */
  share: number | null
}

/** Which admin units, control claims, zones and access areas hold a place at an instant, and which protected sites are near. */
export type Attribution = {
  at: string
  geometry: unknown
  admin: AttributionHit[]
  nearestAdmin: (AttributionHit & { distanceM: number })[]
  control: (AttributionHit & { actorId: string | null; confidence: Confidence | null })[]
  zones: (AttributionHit & { zoneKind: string | null; bufferM: number | null; agreementId: string | null })[]
  access: (AttributionHit & { accessStatus: string | null; population: number | null })[]
  sites: (AttributionHit & { siteKind: string | null; radiusM: number | null; distanceM: number; insideRadius: boolean })[]
}

export const GEO_IMPORT_FORMATS = ['geojson', 'topojson', 'shapefile'] as const
export type GeoImportFormat = (typeof GEO_IMPORT_FORMATS)[number]
/** How a file goes into a layer; the server tells the format from the bytes, else from `fileName`. */
export type GeoImportOptions = {
  fileName: string
  /** TopoJSON: the object to import; a zip of shapefiles: the .shp, when there are several. */
  object?: string | undefined
  validFrom?: string | undefined
  validTo?: string | undefined
  /** Language → the property holding the name in it; the server looks for ADM1_EN, name_xx, name … when omitted. */
  names?: Record<string, string> | undefined
  idProperty?: string | undefined
  /** Control layers: the actor holding the areas. */
  actor?: string | undefined
  confidence?: Confidence | undefined
  accessStatus?: AccessStatus | undefined
  siteKind?: SiteKind | undefined
  radiusM?: number | undefined
  source?: string | undefined
  visibility?: Visibility | undefined
}
/** What an import answers: the server's own type (src/modules/geo/geo.import.ts). */
export type GeoImportResult = LayerImportResult

export const REPORT_IMPORT_FORMATS = ['ucdp', 'acled', 'hxl'] as const
export type ReportImportFormat = (typeof REPORT_IMPORT_FORMATS)[number]
/** How a file of incident reports goes in (POST /api/reports/import). */
export type ReportImportOptions = {
  format: ReportImportFormat
  fileName: string
  dryRun?: boolean | undefined
  skipInvalid?: boolean | undefined
  visibility?: 'parties' | 'public' | 'internal' | undefined
}
/** What a report import answers: the server's own type (src/modules/incidents/reports.import.routes.ts). */
export type ReportImportResult = ReportImportAnswer

/** A long job the reader started (an import), as GET /api/jobs/:id shows it. */
export type Job<T = unknown> = {
  id: string
  kind: string
  state: 'running' | 'succeeded' | 'failed'
  done: number
  total: number | null
  startedAt: string
  finishedAt: string | null
  result: T | null
  error: { code: string; message: string; details: ErrorDetail[] } | null
}

export type ErrorDetail = { path?: string; message: string; code?: string; [key: string]: unknown }

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly details: ErrorDetail[]
  readonly requestId: string | null
  constructor(status: number, code: string, message: string, details: ErrorDetail[] = [], requestId: string | null = null) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = details
    this.requestId = requestId
  }
}

// The token lives in memory only: it is given back by login and by /api/auth/me on every load,
// so it never needs to be written anywhere a script from elsewhere could read it later.
let csrfToken: string | null = null

export function setCsrfToken(token: string | null): void {
  csrfToken = token
}

const SAFE_METHODS = new Set(['GET', 'HEAD'])

/**
 * Makes the x-truce-signature header value for a request: its method, its path and query exactly
 * as sent, and its body as the server will parse it (null when there is none).
 */
export type RequestSigner = (method: string, path: string, body: unknown) => Promise<string>

// Like the CSRF token, in memory only; signing.ts holds the key itself (see SigningKeyProvider).
let requestSigner: RequestSigner | null = null

/** With a signer set, every write under /api/ except sign-in and sign-out carries the party's signature. */
export function setRequestSigner(signer: RequestSigner | null): void {
  requestSigner = signer
}

const isSigned = (method: string, pathname: string): boolean =>
  !SAFE_METHODS.has(method) && pathname.startsWith('/api/') && !pathname.startsWith('/api/auth/')

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function toApiError(status: number, statusText: string, body: unknown): ApiError {
  const requestId = isRecord(body) && typeof body.requestId === 'string' ? body.requestId : null
  const error = isRecord(body) ? body.error : undefined
  if (isRecord(error) && typeof error.code === 'string') {
    const details = Array.isArray(error.details)
      ? error.details.filter(isRecord).map((d): ErrorDetail => ({ ...d, message: String(d.message ?? '') }))
      : []
    return new ApiError(status, error.code, typeof error.message === 'string' ? error.message : statusText, details, requestId)
  }
  // Not our error format: a proxy or the network in between answered.
  return new ApiError(status, `http_${status}`, statusText || `HTTP ${status}`, [], requestId)
}

async function send(method: Method, path: string, accept: string, body?: unknown, cache?: RequestCache): Promise<Response> {
  const headers: Record<string, string> = { accept }
  const json = body === undefined ? undefined : JSON.stringify(body)
  if (json !== undefined) headers['content-type'] = 'application/json'
  if (!SAFE_METHODS.has(method) && csrfToken !== null) headers['x-csrf-token'] = csrfToken
  let target = path
  const signer = requestSigner
  if (signer !== null) {
    // The signature covers the path as the server reads it, so sign (and send) the path the
    // browser would put on the wire: resolved and percent-encoded by the URL standard.
    const url = new URL(path, window.location.origin)
    if (isSigned(method, url.pathname)) {
      target = url.pathname + url.search
      try {
        // The body as the server parses it from the bytes sent, not the object given here.
        headers['x-truce-signature'] = await signer(method, target, json === undefined ? null : JSON.parse(json))
      } catch (e) {
        // Never sent unsigned instead: the reader was told this submission would be signed.
        throw new ApiError(0, 'signing_failed', e instanceof Error ? e.message : String(e))
      }
    }
  }
  try {
    return await fetch(target, {
      method,
      headers,
      credentials: 'same-origin',
      body: json,
      ...(cache === undefined ? {} : { cache }),
    })
  } catch (e) {
    throw new ApiError(0, 'network_error', e instanceof Error ? e.message : 'The server could not be reached.')
  }
}

export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, 'application/json', body)
  const text = await response.text()
  let parsed: unknown = undefined
  if (text !== '') {
    try {
      parsed = JSON.parse(text)
    } catch {
      if (response.ok) throw new ApiError(response.status, 'malformed_response', 'The server answered with something other than JSON.')
    }
  }
  if (!response.ok) throw toApiError(response.status, response.statusText, parsed)
  return parsed as T
}

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * A file sent as it is (an import), its bytes as the body. With a party key loaded it is signed
 * like any write, the statement's body being {sha256} of the file: the server checks it once it
 * has read the file.
 */
async function requestBytes<T>(path: string, bytes: ArrayBuffer): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/octet-stream' }
  if (csrfToken !== null) headers['x-csrf-token'] = csrfToken
  let target = path
  const signer = requestSigner
  if (signer !== null) {
    const url = new URL(path, window.location.origin)
    if (isSigned('POST', url.pathname)) {
      target = url.pathname + url.search
      try {
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
        const sha256 = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
        headers['x-truce-signature'] = await signer('POST', target, { sha256 })
      } catch (e) {
        throw new ApiError(0, 'signing_failed', e instanceof Error ? e.message : String(e))
      }
    }
  }
  let response: Response
  try {
    response = await fetch(target, { method: 'POST', headers, credentials: 'same-origin', body: bytes })
  } catch (e) {
    throw new ApiError(0, 'network_error', e instanceof Error ? e.message : 'The server could not be reached.')
  }
  const text = await response.text()
  const parsed = text === '' ? undefined : parseJsonOrUndefined(text)
  if (!response.ok) throw toApiError(response.status, response.statusText, parsed)
  if (parsed === undefined) throw new ApiError(response.status, 'malformed_response', 'The server answered with something other than JSON.')
  return { status: response.status, body: parsed as T }
}

/**
 * A text resource (the log's signed checkpoint and key), returned exactly as served: a signature
 * covers these bytes, so nothing is trimmed or parsed on the way. `fresh` skips the HTTP cache.
 */
async function requestText(path: string, options: { fresh?: boolean } = {}): Promise<string> {
  const response = await send('GET', path, 'text/plain', undefined, options.fresh ? 'no-cache' : undefined)
  const text = await response.text()
  if (!response.ok) throw toApiError(response.status, response.statusText, parseJsonOrUndefined(text))
  return text
}

const q = (params: Record<string, string | number | undefined | null>): string => {
  const s = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v))
  const out = s.toString()
  return out === '' ? '' : `?${out}`
}
const seg = encodeURIComponent

export const api = {
  me: () => request<Me>('GET', '/api/auth/me'),
  login: (email: string, password: string) => request<LoginResult>('POST', '/api/auth/login', { email, password }),
  logout: () => request<void>('POST', '/api/auth/logout'),

  parties: (cursor?: string) => request<Page<Party>>('GET', `/api/parties${q({ limit: 200, cursor })}`),
  /** A party's signing keys, current and past (public: anyone may check a party's signatures). */
  partyKeys: (partyId: string) => request<{ items: PartyKey[] }>('GET', `/api/parties/${seg(partyId)}/keys`),

  agreements: (filter: { status?: AgreementStatus | undefined; theatre?: string | undefined; cursor?: string | undefined; limit?: number } = {}) =>
    request<Page<AgreementSummary>>('GET', `/api/agreements${q({ ...filter, limit: filter.limit ?? 50 })}`),
  agreement: (idOrSlug: string) => request<AgreementDetail>('GET', `/api/agreements/${seg(idOrSlug)}`),
  amend: (id: string, amendment: Amendment) => request<AgreementDetail>('PATCH', `/api/agreements/${seg(id)}`, amendment),
  revisions: (id: string) => request<{ items: Revision[] }>('GET', `/api/agreements/${seg(id)}/revisions`),

  provisionHistory: (agreementId: string, provisionId: string) =>
    request<{ items: StatusEntry[] }>('GET', `/api/agreements/${seg(agreementId)}/provisions/${seg(provisionId)}/status`),
  reportStatus: (agreementId: string, provisionId: string, report: StatusReport) =>
    request<StatusEntry>('POST', `/api/agreements/${seg(agreementId)}/provisions/${seg(provisionId)}/status`, report),

  actors: (filter: { q?: string | undefined; type?: ActorType | undefined; cursor?: string | undefined }) =>
    request<Page<ActorSummary>>('GET', `/api/actors${q({ ...filter, limit: 100 })}`),
  actor: (id: string) => request<ActorDetail>('GET', `/api/actors/${seg(id)}`),
  actorView: (id: string, viewpoint: string, at: string, agreement?: string) =>
    request<ActorView>('GET', `/api/actors/${seg(id)}/view${q({ viewpoint, at, agreement })}`),
  addClaim: (actorId: string, claim: NewClaim) => request<ActorClaim>('POST', `/api/actors/${seg(actorId)}/claims`, claim),
  delineation: (agreement: string, at: string) => request<Delineation>('GET', `/api/agreements/${seg(agreement)}/delineation${q({ at })}`),
  /** Where the delineation's CSV is served, for a download link. */
  delineationCsvUrl: (agreement: string, at: string) => `/api/agreements/${seg(agreement)}/delineation${q({ at, format: 'csv' })}`,

  /** Ranked candidates for a name in any script, names in use on `at` first. */
  match: (name: string, options: { at?: string | undefined; limit?: number; actorId?: string; country?: string | undefined } = {}) =>
    request<{ candidates: MatchCandidate[] }>('POST', '/api/actors/match', {
      name, ...(options.at ? { at: options.at } : {}), ...(options.limit ? { limit: options.limit } : {}), ...(options.actorId ? { actorId: options.actorId } : {}),
      ...(options.country ? { country: options.country } : {}),
    }),
  matchBatch: (names: { name: string; at?: string }[], limit = 3, country?: string) =>
    request<{ results: MatchResult[] }>('POST', '/api/actors/match/batch', { names, limit, ...(country ? { country } : {}) }),
  actorCandidates: (status: ActorCandidate['status'] = 'pending') => request<{ items: ActorCandidate[] }>('GET', `/api/actor-candidates${q({ status })}`),
  confirmCandidate: (id: string, body: ConfirmCandidate) =>
    request<{ umbrellaId: string; claims: ActorClaim[] }>('POST', `/api/actor-candidates/${seg(id)}/confirm`, body),
  rejectCandidate: (id: string) => request<ActorCandidate>('POST', `/api/actor-candidates/${seg(id)}/reject`),
  judge: (actorA: string, actorB: string, verdict: 'same' | 'not_same', note = '') =>
    request<{ id: string; verdict: 'same' | 'not_same' }>('POST', '/api/actor-judgements', { actorA, actorB, verdict, note }),
  /** Points actor `id` at `into`; refused (409 judged_not_same) when anyone judged the two not the same. */
  mergeActor: (id: string, into: string, version: number) => request<ActorDetail>('POST', `/api/actors/${seg(id)}/merge`, { into, version }),
  /** A new actor taking the chosen names of `id`, succeeding it by split; answers the new actor. */
  splitActor: (id: string, body: SplitActor) => request<ActorDetail>('POST', `/api/actors/${seg(id)}/split`, body),

  geoLayers: () => request<{ items: GeoLayer[] }>('GET', '/api/geo/layers'),
  createGeoLayer: (layer: NewGeoLayer) => request<GeoLayer>('POST', '/api/geo/layers', layer),
  /** One page of a layer's features; with `at`, only those valid then. */
  geoFeatures: (layer: string, filter: { at?: string | undefined; claimant?: string | undefined; cursor?: string | undefined; limit?: number } = {}) =>
    request<GeoFeatureCollection>('GET', `/api/geo/layers/${seg(layer)}/features${q({ ...filter, limit: filter.limit ?? 1000 })}`),
  geoFeature: (id: string) => request<GeoFeature>('GET', `/api/geo/features/${seg(id)}`),
  addGeoFeature: (layer: string, feature: GeoFeatureInput) => request<GeoFeature>('POST', `/api/geo/layers/${seg(layer)}/features`, feature),
  /** A new version of one of the party's own features; the old one stays, retracted as replaced. */
  replaceGeoFeature: (id: string, feature: GeoFeatureInput) => request<GeoFeature>('PUT', `/api/geo/features/${seg(id)}`, feature),
  retractGeoFeature: (id: string, reason: string) => request<GeoFeature>('POST', `/api/geo/features/${seg(id)}/retract`, { reason }),
  /** What holds a point at an instant, and the protected sites within `within` metres. */
  attribute: (place: { lon: number; lat: number; at?: string | undefined; within?: number | undefined }) =>
    request<Attribution>('GET', `/api/geo/attribute${q(place)}`),
  /**
   * A file of features into a layer, as a job: answers the job (202), or the result when the
   * server did it at once (201).
   */
  importGeoLayer: async (layer: string, bytes: ArrayBuffer, options: GeoImportOptions): Promise<{ job: Job<GeoImportResult> } | { result: GeoImportResult }> => {
    const { names, ...rest } = options
    const query = q({ ...rest, names: names && Object.entries(names).map(([lang, prop]) => `${lang}:${prop}`).join(','), async: 'true' })
    const { status, body } = await requestBytes<Record<string, unknown>>(`/api/geo/layers/${seg(layer)}/import${query}`, bytes)
    if (status === 202) return { job: (isRecord(body.job) ? body.job : body) as Job<GeoImportResult> }
    return { result: body as GeoImportResult }
  },
  /**
   * A UCDP, ACLED or HXL file as the party's reports, as a job: answers the job (202), or the result
   * when the server did it at once. Bad rows without skipInvalid are refused at once (invalid_rows).
   */
  importReports: async (bytes: ArrayBuffer, options: ReportImportOptions): Promise<{ job: Job<ReportImportResult> } | { result: ReportImportResult }> => {
    const query = q({ ...options, dryRun: options.dryRun ? 'true' : undefined, skipInvalid: options.skipInvalid ? 'true' : undefined, async: 'true' })
    const { status, body } = await requestBytes<Record<string, unknown>>(`/api/reports/import${query}`, bytes)
    if (status === 202) return { job: body as Job<ReportImportResult> }
    return { result: body as ReportImportResult }
  },
  /** Where the reader's reports in [from, to) are served as a file, for a download link. */
  reportsExportUrl: (format: 'csv' | 'geojson', range: { from?: string | undefined; to?: string | undefined } = {}) => `/api/reports/export${q({ format, ...range })}`,
  job: <T = unknown>(id: string) => request<Job<T>>('GET', `/api/jobs/${seg(id)}`),

  submissions: (cursor?: string) => request<Page<Submission>>('GET', `/api/submissions${q({ limit: 100, cursor })}`),

  /** The latest signed checkpoint (a C2SP signed note), always asked of the server afresh. */
  logCheckpoint: () => requestText('/log/checkpoint', { fresh: true }),
  /** The log's verifier key, one line (without its newline). */
  logVkey: async () => (await requestText('/log/vkey')).trim(),
  logKeys: () => request<{ current: string | null; rotations: StoredRotation[] }>('GET', '/api/log/keys'),
  logEntry: (submissionId: string) => request<LogEntry>('GET', `/api/log/entries/${seg(submissionId)}`),
  inclusionProof: (leafIndex: number, treeSize: number | undefined) =>
    request<InclusionProof>('GET', `/api/log/proof/inclusion${q({ leafIndex, treeSize })}`),
  /** Where the C2SP tlog-proof@v1 receipt of a submission is served, for a download link. */
  receiptUrl: (submissionId: string) => `/api/log/receipts/${seg(submissionId)}`,
}

/** Every page of a paged list, for short lists such as parties. */
export async function allPages<T>(load: (cursor?: string) => Promise<Page<T>>, maxPages = 20): Promise<T[]> {
  const out: T[] = []
  let cursor: string | undefined
  for (let i = 0; i < maxPages; i++) {
    const page = await load(cursor)
    out.push(...page.items)
    if (page.nextCursor === null) break
    cursor = page.nextCursor
  }
  return out
}

/** What a member of the public can have happened (the server's CATEGORIES). */
export const REPORT_CATEGORIES = [
  'shelling', 'airstrike', 'drone_strike', 'ground_attack', 'small_arms', 'explosion',
  'heavy_weapons_in_zone', 'monitor_restriction', 'attack_on_protected_site', 'attack_on_humanitarian', 'aid_obstruction',
  'civilian_harm',
] as const
export type ReportCategory = (typeof REPORT_CATEGORIES)[number]

type Casualty = { low: number; best: number; high: number }

/** The body of POST /api/public/reports: what, when, where, who, with no name attached. */
export type PublicReport = {
  occurredAt: string
  datePrecision: number
  where: { kind: 'point'; lon: number; lat: number; placeName?: string }
  category: ReportCategory
  casualties?: { civiliansKilled?: Casualty; civiliansInjured?: Casualty }
  perpetrator?: string
  description: string
  language?: string
}

/**
 * Sends a public report under its idempotency key: a resend with the same key (after a lost
 * answer, or from the offline queue) is told `replayed` and creates nothing new.
 */
export async function sendPublicReport(report: PublicReport, idempotencyKey: string): Promise<{ id: string; replayed: boolean }> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json', 'idempotency-key': idempotencyKey }
  // A signed-in reader's session cookie goes along, and with it the CSRF check; never a party
  // signature: the report is anonymous.
  if (csrfToken !== null) headers['x-csrf-token'] = csrfToken
  let response: Response
  try {
    response = await fetch('/api/public/reports', { method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(report) })
  } catch (e) {
    throw new ApiError(0, 'network_error', e instanceof Error ? e.message : 'The server could not be reached.')
  }
  const text = await response.text()
  const parsed = text === '' ? undefined : parseJsonOrUndefined(text)
  if (!response.ok) throw toApiError(response.status, response.statusText, parsed)
  return parsed as { id: string; replayed: boolean }
}
