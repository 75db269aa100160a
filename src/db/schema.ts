// Kysely's view of the tables. Keep in step with migrations/*.sql (the migration test checks
// that every table here exists after migrating).
import type { ColumnType, Generated } from 'kysely'

type Timestamp = ColumnType<Date, Date | string, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>
export type Json = ColumnType<unknown, string, string>
export type LangText = Record<string, string>
type JsonOf<T> = ColumnType<T, string, string>

export type Visibility = 'public' | 'parties' | 'restricted' | 'internal'
export type PartyKind = 'guarantor' | 'signatory' | 'monitor' | 'humanitarian' | 'public'

export interface PartiesTable {
  id: Generated<string>
  slug: string
  name: JsonOf<LangText>
  kind: PartyKind
  created_at: CreatedAt
  version: Generated<number>
}

export interface UsersTable {
  id: Generated<string>
  party_id: string
  email: string
  display_name: string
  password_hash: string | null
  roles: string[]
  locale: Generated<string>
  disabled_at: Timestamp | null
  created_at: CreatedAt
  version: Generated<number>
}

export interface SessionsTable {
  id: Generated<string>
  token_hash: string
  csrf_token: string
  user_id: string
  created_at: CreatedAt
  expires_at: Timestamp
  revoked_at: Timestamp | null
}

export interface LoginAttemptsTable {
  key: string
  failures: number
  last_failure_at: Timestamp
  locked_until: Timestamp | null
}

export interface ApiKeysTable {
  id: Generated<string>
  party_id: string
  user_id: string
  name: string
  prefix: string
  secret_hash: string
  scopes: string[]
  created_at: CreatedAt
  expires_at: Timestamp | null
  revoked_at: Timestamp | null
  last_used_at: Timestamp | null
}

export interface PartyKeysTable {
  id: Generated<string>
  party_id: string
  name: string
  algorithm: Generated<'ed25519'>
  public_key: string
  key_hash: string
  valid_from: Timestamp
  valid_to: Timestamp | null
  revoked_at: Timestamp | null
  replaces_id: string | null
  created_at: CreatedAt
}

export interface SubmissionsTable {
  seq: ColumnType<number, never, never>
  id: Generated<string>
  party_id: string
  user_id: string | null
  api_key_id: string | null
  kind: string
  subject_id: string | null
  payload: string
  payload_sha256: string
  visibility: Visibility
  owner_party_id: string
  restricted_to: string[]
  statement: string | null
  statement_signature: string | null
  party_key_id: string | null
  created_at: CreatedAt
}

export type AgreementStatus = 'draft' | 'signed' | 'in_force' | 'suspended' | 'terminated' | 'superseded'

export interface AgreementsTable {
  id: Generated<string>
  slug: string
  title: JsonOf<LangText>
  summary: JsonOf<LangText>
  theatre: string
  status: AgreementStatus
  signed_on: string | null
  effective_from: Timestamp | null
  effective_to: Timestamp | null
  languages: string[]
  visibility: Visibility
  restricted_to: string[]
  owner_party_id: string
  revision: Generated<number>
  version: Generated<number>
  stamp: Generated<number>
  created_at: CreatedAt
  updated_at: Timestamp
}

export type AgreementRole = 'signatory' | 'guarantor' | 'secretariat' | 'monitor' | 'observer'

export interface AgreementPartiesTable {
  agreement_id: string
  party_id: string
  role: AgreementRole
}

export type ProvisionCategory =
  | 'cessation_of_hostilities' | 'exclusion' | 'humanitarian_access' | 'delineation'
  | 'monitoring' | 'weapons_withdrawal' | 'political_process' | 'public_communication'

export interface ProvisionsTable {
  id: Generated<string>
  agreement_id: string
  number: string
  ordinal: number
  category: ProvisionCategory
  title: JsonOf<LangText>
  text: JsonOf<LangText>
  withdrawn_at: Timestamp | null
  created_at: CreatedAt
}

export interface ExclusionsTable {
  id: Generated<string>
  provision_id: string
  ordinal: number
  description: JsonOf<LangText>
  designation_authority: string | null
  named_group: string | null
}

export interface AgreementRevisionsTable {
  agreement_id: string
  revision: number
  changed_at: CreatedAt
  party_id: string
  user_id: string | null
  summary: string
  changes: Json
  snapshot: Json
  submission_id: string
}

export interface ProvisionStatusTable {
  id: Generated<string>
  provision_id: string
  level: number
  as_of: Timestamp
  evidence: string
  party_id: string
  user_id: string | null
  submission_id: string
  created_at: CreatedAt
}

/** bytea: pg returns a Buffer, PGlite a Uint8Array; both are Uint8Array. */
type Bytes = ColumnType<Uint8Array, Uint8Array, never>

export interface LogEntriesTable {
  leaf_index: number
  submission_id: string
  entry: string
  /** The full entry a sealed leaf commits to (0005); null when the leaf is the full entry. */
  opening: string | null
  leaf_hash: Bytes
  sequenced_at: CreatedAt
}

export interface LogKeyRotationsTable {
  from_vkey: string
  to_vkey: string
  at_size: number
  note: string
  created_at: CreatedAt
}

export interface LogNodesTable {
  level: number
  idx: number
  hash: Bytes
}

export interface LogCheckpointsTable {
  size: number
  root_hash: Bytes
  note: string
  vkey: string
  created_at: CreatedAt
}

export interface LogCosignaturesTable {
  checkpoint_size: number
  witness_vkey: string
  line: string
  created_at: CreatedAt
}

export interface LogStateTable {
  id: Generated<boolean>
  size: number
  root_hash: ColumnType<Uint8Array, Uint8Array, Uint8Array>
  checkpoint_size: number | null
  seq_floor: number
  updated_at: Timestamp
}

export interface SchemaMigrationsTable {
  name: string
  checksum: string
  applied_at: CreatedAt
}

export interface ActorsTable {
  id: Generated<string>
  type: string
  display_name: JsonOf<LangText>
  merged_into: string | null
  visibility: Visibility
  owner_party_id: string
  restricted_to: string[]
  submission_id: string
  created_at: CreatedAt
  version: Generated<number>
}

export interface ActorExternalIdsTable {
  scheme: string
  value: string
  actor_id: string
}

export type ClaimFact = 'name' | 'membership' | 'succession' | 'designation' | 'accession' | 'country'

export interface ActorClaimsTable {
  id: Generated<string>
  fact: ClaimFact
  actor_id: string
  other_actor_id: string | null
  agreement_id: string | null
  guarantor_party_id: string | null
  kind: string | null
  value: string | null
  lang: string | null
  script: string | null
  authority: string | null
  reference: string | null
  valid_from: string | null
  valid_to: string | null
  party_id: string
  user_id: string | null
  source: string
  as_of: string
  confidence: 'high' | 'medium' | 'low'
  visibility: Visibility
  owner_party_id: string
  restricted_to: string[]
  submission_id: string
  created_at: CreatedAt
}

export interface ActorClaimRetractionsTable {
  claim_id: string
  party_id: string
  user_id: string | null
  reason: string
  submission_id: string
  created_at: CreatedAt
}

export interface ActorJudgementsTable {
  id: Generated<string>
  actor_a: string
  actor_b: string
  verdict: 'same' | 'not_same'
  party_id: string
  user_id: string | null
  note: string
  submission_id: string
  created_at: CreatedAt
}

export interface ActorCandidatesTable {
  id: Generated<string>
  kind: 'coalition' | 'membership'
  raw: string
  parts: string[]
  occurrences: number
  source: string
  /** ISO 3166-1 alpha-2 codes of the rows the candidate came from. */
  countries: Generated<string[]>
  status: Generated<'pending' | 'confirmed' | 'rejected'>
  created_at: CreatedAt
}

export type GeoLayerKind = 'admin' | 'control' | 'zone' | 'access' | 'site'

export interface GeoLayersTable {
  id: Generated<string>
  slug: string
  kind: GeoLayerKind
  title: JsonOf<LangText>
  description: Generated<string>
  agreement_id: string | null
  visibility: Visibility
  owner_party_id: string
  restricted_to: string[]
  submission_id: string
  created_at: CreatedAt
  version: Generated<number>
}

/** `geom` is PostGIS geometry: write it with ST_GeomFromGeoJSON, read it with ST_AsGeoJSON. */
export interface GeoFeaturesTable {
  id: Generated<string>
  layer_id: string
  external_id: string | null
  name: JsonOf<LangText>
  properties: JsonOf<Record<string, unknown>>
  geom: ColumnType<string, string, never>
  valid_from: Timestamp | null
  valid_to: Timestamp | null
  actor_id: string | null
  confidence: 'high' | 'medium' | 'low' | null
  zone_kind: string | null
  buffer_m: number | null
  derived_from: string | null
  access_status: 'besieged' | 'hard_to_reach' | null
  population: number | null
  criteria: string | null
  site_kind: string | null
  radius_m: number | null
  source: Generated<string>
  replaces: string | null
  import_id: string | null
  party_id: string
  user_id: string | null
  visibility: Visibility
  owner_party_id: string
  restricted_to: string[]
  submission_id: string
  created_at: CreatedAt
}

export interface GeoFeatureRetractionsTable {
  feature_id: string
  party_id: string
  user_id: string | null
  reason: string
  submission_id: string
  created_at: CreatedAt
}

export interface GeoImportsTable {
  id: Generated<string>
  layer_id: string
  party_id: string
  user_id: string | null
  file_name: string
  format: string
  source_srid: number
  features: number
  repaired: number
  report: JsonOf<unknown[]>
  submission_id: string
  created_at: CreatedAt
}

/** Derived: what contains each located record, rewritten when the areas around it change. */
export interface GeoPlacesTable {
  id: Generated<string>
  subject_kind: string
  subject_id: string
  geom: ColumnType<string, string, string>
  at: Timestamp
  features: Generated<string[]>
  sites: Generated<string[]>
  nearest_admin: string | null
  nearest_admin_m: number | null
  attributed_at: Generated<Date>
}

export interface ReportsTable {
  id: Generated<string>
  seq: Generated<number>
  party_id: string
  user_id: string | null
  idempotency_key: string | null
  channel: 'api' | 'web' | 'public_form' | 'import' | 'sms'
  external_id: string | null
  occurred_at: Timestamp
  date_precision: number
  where_kind: 'point' | 'area' | 'sector'
  where_precision: number
  geom: ColumnType<string, string, never>
  where_input: Json
  place_name: string | null
  category: string
  counts: Json
  casualties: Json
  perpetrator_name: string | null
  perpetrator_actor_id: string | null
  target_name: string | null
  target_actor_id: string | null
  description: Generated<string>
  language: string | null
  anonymous: Generated<boolean>
  visibility: Visibility
  owner_party_id: string
  restricted_to: string[]
  submission_id: string
  created_at: CreatedAt
}

export interface ReportSourcesTable {
  report_id: string
  ordinal: number
  kind: string
  reliability: string
  name: string | null
  url: string | null
}

export interface ReportEvidenceTable {
  id: Generated<string>
  report_id: string
  sha256: string
  type: string
  mime: string
  size: number
  metadata_handling: 'stripped' | 'kept' | 'not_inspected'
  metadata_removed: Generated<string[]>
  party_id: string
  user_id: string | null
  submission_id: string
  created_at: CreatedAt
}

export const INCIDENT_STATES = ['reported', 'under_review', 'corroborated', 'unverifiable', 'verified', 'disputed', 'rejected'] as const
export type IncidentState = (typeof INCIDENT_STATES)[number]

export interface IncidentsTable {
  id: Generated<string>
  seq: Generated<number>
  state: Generated<IncidentState>
  merged_into: string | null
  created_at: CreatedAt
  updated_at: Generated<Date>
}

export interface IncidentReportsTable {
  report_id: string
  incident_id: string
  reason: 'new' | 'similar' | 'must_link' | 'merged' | 'split'
  score: number | null
  assigned_at: Generated<Date>
}

export interface IncidentEventsTable {
  seq: Generated<number>
  kind: 'assigned' | 'merged' | 'split' | 'linked'
  incident_id: string
  other_incident_id: string | null
  report_ids: string[]
  link: 'must' | 'cannot' | null
  reason: string | null
  score: number | null
  party_id: string | null
  user_id: string | null
  submission_id: string | null
  note: string | null
  created_at: CreatedAt
}

/** Compliance rules of an agreement (0015), append-only; the latest version is current. */
export interface ComplianceRulesTable {
  id: Generated<string>
  agreement_id: string
  version: number
  coverage: Json
  prohibitions: Json
  bound: 'acceded' | 'all'
  note: Generated<string>
  party_id: string
  user_id: string | null
  submission_id: string
  created_at: CreatedAt
}

export interface IncidentTransitionsTable {
  id: Generated<string>
  seq: Generated<number>
  incident_id: string
  from_state: IncidentState
  to_state: IncidentState
  reason: string
  party_id: string
  user_id: string | null
  thresholds: Json | null
  submission_id: string
  created_at: CreatedAt
}

export interface VerificationRulesTable {
  agreement_id: string
  version: number
  rules: Json
  party_id: string
  user_id: string | null
  submission_id: string
  created_at: CreatedAt
}

export interface AllegationsTable {
  id: Generated<string>
  incident_id: string
  alleging_party_id: string
  accused_party_id: string
  provision_id: string | null
  text: string
  user_id: string | null
  visibility: Visibility
  owner_party_id: string
  restricted_to: string[]
  submission_id: string
  created_at: CreatedAt
}

export interface InformationRequestsTable {
  id: Generated<string>
  allegation_id: string
  to_party_id: string
  deadline: Timestamp
  submission_id: string
  created_at: CreatedAt
}

export interface InformationResponsesTable {
  id: Generated<string>
  request_id: string
  party_id: string
  user_id: string | null
  text: string
  submission_id: string
  created_at: CreatedAt
}

export interface FindingsTable {
  id: Generated<string>
  incident_id: string
  party_id: string
  user_id: string | null
  conclusion: 'violation' | 'no_violation' | 'inconclusive'
  confidence: 'highly_probable' | 'probable' | 'plausible'
  responsible_actor_id: string | null
  provision_id: string | null
  text: string
  visibility: Visibility
  owner_party_id: string
  restricted_to: string[]
  submission_id: string
  created_at: CreatedAt
}

export interface FindingConcurrencesTable {
  finding_id: string
  party_id: string
  user_id: string | null
  submission_id: string
  created_at: CreatedAt
}

export interface DB {
  parties: PartiesTable
  users: UsersTable
  sessions: SessionsTable
  login_attempts: LoginAttemptsTable
  api_keys: ApiKeysTable
  party_keys: PartyKeysTable
  submissions: SubmissionsTable
  agreements: AgreementsTable
  agreement_parties: AgreementPartiesTable
  provisions: ProvisionsTable
  exclusions: ExclusionsTable
  agreement_revisions: AgreementRevisionsTable
  provision_status: ProvisionStatusTable
  log_entries: LogEntriesTable
  log_nodes: LogNodesTable
  log_checkpoints: LogCheckpointsTable
  log_cosignatures: LogCosignaturesTable
  log_state: LogStateTable
  log_key_rotations: LogKeyRotationsTable
  actors: ActorsTable
  actor_external_ids: ActorExternalIdsTable
  actor_claims: ActorClaimsTable
  actor_claim_retractions: ActorClaimRetractionsTable
  actor_judgements: ActorJudgementsTable
  actor_candidates: ActorCandidatesTable
  geo_layers: GeoLayersTable
  geo_features: GeoFeaturesTable
  geo_feature_retractions: GeoFeatureRetractionsTable
  geo_imports: GeoImportsTable
  geo_places: GeoPlacesTable
  reports: ReportsTable
  report_sources: ReportSourcesTable
  report_evidence: ReportEvidenceTable
  incidents: IncidentsTable
  incident_reports: IncidentReportsTable
  incident_events: IncidentEventsTable
  incident_transitions: IncidentTransitionsTable
  verification_rules: VerificationRulesTable
  allegations: AllegationsTable
  information_requests: InformationRequestsTable
  information_responses: InformationResponsesTable
  findings: FindingsTable
  finding_concurrences: FindingConcurrencesTable
  compliance_rules: ComplianceRulesTable
  schema_migrations: SchemaMigrationsTable
}
