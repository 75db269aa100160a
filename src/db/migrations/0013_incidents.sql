-- Incidents (src/modules/incidents): the reports of one event. Reports are clustered into
-- incidents as they arrive; analysts merge incidents and split reports off. What an incident
-- shows (when, where, what, how many reports) is read from the reports a viewer may see, so an
-- incident says nothing about reports hidden from its reader.
create table incidents (
  id uuid primary key default gen_random_uuid(),
  -- A number per incident in the order created: its feature id in vector tiles.
  seq bigint generated always as identity unique,
  -- The verification state, moved only by a verification transition (incident_transitions,
  -- migration 0014), which is the record of it; this column is its current value.
  state text not null default 'reported'
    check (state in ('reported', 'under_review', 'corroborated', 'unverifiable', 'verified', 'disputed', 'rejected')),
  -- An incident an analyst merged into another: it keeps its id and history, and points on.
  merged_into uuid references incidents(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index incidents_live on incidents (created_at, id) where merged_into is null;

-- Which incident each report is in now (derived from incident_events; rewritten by merges and splits).
create table incident_reports (
  report_id uuid primary key references reports(id),
  incident_id uuid not null references incidents(id),
  -- Why it is there: new (it started the incident), similar (clustered on its score),
  -- must_link (an analyst's word decided), merged or split (an analyst moved it).
  reason text not null check (reason in ('new', 'similar', 'must_link', 'merged', 'split')),
  score real,
  assigned_at timestamptz not null default now()
);
create index incident_reports_incident on incident_reports (incident_id);

-- The clustering record, append-only and in order: every automatic assignment and every analyst
-- action. Replaying it rebuilds the clusterer's state in any server process (each catches up
-- from the last event it applied before it clusters more reports).
create table incident_events (
  seq bigint generated always as identity primary key,
  kind text not null check (kind in ('assigned', 'merged', 'split', 'linked')),
  -- assigned: the incident the reports went to; merged: the incident that stays; split: the
  -- incident the reports left; linked: the incident of the first report.
  incident_id uuid not null references incidents(id),
  -- merged: the incident absorbed; split: the incident the reports went to.
  other_incident_id uuid references incidents(id),
  report_ids uuid[] not null default '{}',
  link text check (link is null or link in ('must', 'cannot')),
  -- assigned: the clusterer's reason and score.
  reason text,
  score real,
  party_id uuid references parties(id),
  user_id uuid references users(id),
  -- Analyst actions are submissions; automatic assignments are derived from the reports' own.
  submission_id uuid references submissions(id),
  note text,
  created_at timestamptz not null default now(),
  check ((kind = 'linked') = (link is not null)),
  check (kind <> 'assigned' or cardinality(report_ids) >= 1)
);
create index incident_events_incident on incident_events (incident_id);

create trigger incident_events_no_update before update or delete on incident_events for each row execute function refuse_change();
create trigger incident_events_no_truncate before truncate on incident_events for each statement execute function refuse_change();
