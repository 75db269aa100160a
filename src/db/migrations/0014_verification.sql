-- Verification between adversaries (src/modules/incidents/verification.*): the record of every
-- move of an incident's state, the verification thresholds each agreement sets, allegations one
-- party files against another with the request for information they open, the answers, and
-- findings with graded confidence that other parties may concur in. Every table is append-only;
-- incidents.state is the current value of the last transition, changed in the same transaction.
create table incident_transitions (
  id uuid primary key default gen_random_uuid(),
  seq bigint generated always as identity unique,
  incident_id uuid not null references incidents(id),
  from_state text not null check (from_state in ('reported', 'under_review', 'corroborated', 'unverifiable', 'verified', 'disputed', 'rejected')),
  to_state text not null check (to_state in ('reported', 'under_review', 'corroborated', 'unverifiable', 'verified', 'disputed', 'rejected')),
  reason text not null check (length(reason) between 1 and 5000),
  party_id uuid not null references parties(id),
  user_id uuid references users(id),
  -- What the evidence showed when the transition was made: each agreement's thresholds and
  -- whether they were met (for verified), or the independent sources counted (for corroborated).
  thresholds jsonb,
  submission_id uuid not null references submissions(id),
  created_at timestamptz not null default now(),
  check (from_state <> to_state)
);
create index incident_transitions_incident on incident_transitions (incident_id, seq);

-- Per agreement, versioned: the latest version is in force; earlier ones stay as the record.
create table verification_rules (
  agreement_id uuid not null references agreements(id),
  version integer not null check (version >= 1),
  rules jsonb not null,
  party_id uuid not null references parties(id),
  user_id uuid references users(id),
  submission_id uuid not null references submissions(id),
  created_at timestamptz not null default now(),
  primary key (agreement_id, version)
);

create table allegations (
  id uuid primary key default gen_random_uuid(),
  incident_id uuid not null references incidents(id),
  alleging_party_id uuid not null references parties(id),
  accused_party_id uuid not null references parties(id),
  provision_id uuid references provisions(id),
  text text not null check (length(text) between 1 and 20000),
  user_id uuid references users(id),
  visibility text not null check (visibility in ('public', 'parties', 'restricted', 'internal')),
  owner_party_id uuid not null references parties(id),
  restricted_to uuid[] not null default '{}',
  submission_id uuid not null references submissions(id),
  created_at timestamptz not null default now(),
  check (alleging_party_id <> accused_party_id)
);
create index allegations_incident on allegations (incident_id, created_at);

-- The request for information an allegation opens to the accused party (written with it, under
-- the same submission); shown to whoever may see the allegation.
create table information_requests (
  id uuid primary key default gen_random_uuid(),
  allegation_id uuid not null references allegations(id),
  to_party_id uuid not null references parties(id),
  deadline timestamptz not null,
  submission_id uuid not null references submissions(id),
  created_at timestamptz not null default now()
);
create index information_requests_allegation on information_requests (allegation_id);
create index information_requests_to on information_requests (to_party_id, deadline);

create table information_responses (
  id uuid primary key default gen_random_uuid(),
  request_id uuid not null references information_requests(id),
  party_id uuid not null references parties(id),
  user_id uuid references users(id),
  text text not null check (length(text) between 1 and 20000),
  submission_id uuid not null references submissions(id),
  created_at timestamptz not null default now()
);
create index information_responses_request on information_responses (request_id, created_at);

create table findings (
  id uuid primary key default gen_random_uuid(),
  incident_id uuid not null references incidents(id),
  party_id uuid not null references parties(id),
  user_id uuid references users(id),
  conclusion text not null check (conclusion in ('violation', 'no_violation', 'inconclusive')),
  confidence text not null check (confidence in ('highly_probable', 'probable', 'plausible')),
  responsible_actor_id uuid references actors(id),
  provision_id uuid references provisions(id),
  text text not null check (length(text) between 1 and 20000),
  visibility text not null check (visibility in ('public', 'parties', 'restricted', 'internal')),
  owner_party_id uuid not null references parties(id),
  restricted_to uuid[] not null default '{}',
  submission_id uuid not null references submissions(id),
  created_at timestamptz not null default now()
);
create index findings_incident on findings (incident_id, created_at);

-- Another party joining a finding: a finding with a concurrence is joint; without, separate.
create table finding_concurrences (
  finding_id uuid not null references findings(id),
  party_id uuid not null references parties(id),
  user_id uuid references users(id),
  submission_id uuid not null references submissions(id),
  created_at timestamptz not null default now(),
  primary key (finding_id, party_id)
);

create trigger incident_transitions_no_update before update or delete on incident_transitions for each row execute function refuse_change();
create trigger incident_transitions_no_truncate before truncate on incident_transitions for each statement execute function refuse_change();
create trigger verification_rules_no_update before update or delete on verification_rules for each row execute function refuse_change();
create trigger verification_rules_no_truncate before truncate on verification_rules for each statement execute function refuse_change();
create trigger allegations_no_update before update or delete on allegations for each row execute function refuse_change();
create trigger allegations_no_truncate before truncate on allegations for each statement execute function refuse_change();
create trigger information_requests_no_update before update or delete on information_requests for each row execute function refuse_change();
create trigger information_requests_no_truncate before truncate on information_requests for each statement execute function refuse_change();
create trigger information_responses_no_update before update or delete on information_responses for each row execute function refuse_change();
create trigger information_responses_no_truncate before truncate on information_responses for each statement execute function refuse_change();
create trigger findings_no_update before update or delete on findings for each row execute function refuse_change();
create trigger findings_no_truncate before truncate on findings for each statement execute function refuse_change();
create trigger finding_concurrences_no_update before update or delete on finding_concurrences for each row execute function refuse_change();
create trigger finding_concurrences_no_truncate before truncate on finding_concurrences for each statement execute function refuse_change();
