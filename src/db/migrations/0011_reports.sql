-- Reports (src/modules/incidents): what a monitor, a guarantor's cell, the media or a member of
-- the public says happened, when and where, with its sources. A report is never changed; its
-- place is attributed through geo_places (subject_kind 'report'), its actor names are resolved
-- against the registry when the matcher is sure, and kept verbatim either way.
create table reports (
  id uuid primary key default gen_random_uuid(),
  -- A number for each report in the order written: the feature id in vector tiles, and how the
  -- tile index catches up with reports written since it was built.
  seq bigint generated always as identity unique,
  party_id uuid not null references parties(id),
  user_id uuid references users(id),
  -- A client's key for one report: sending it again creates nothing new.
  idempotency_key text check (idempotency_key is null or length(idempotency_key) between 1 and 200),
  channel text not null check (channel in ('api', 'web', 'public_form', 'import', 'sms')),
  external_id text,
  occurred_at timestamptz not null,
  date_precision smallint not null check (date_precision between 1 and 5),
  where_kind text not null check (where_kind in ('point', 'area', 'sector')),
  where_precision smallint not null check (where_precision between 1 and 7),
  geom geometry(Geometry, 4326) not null,
  where_input jsonb not null,
  place_name text,
  category text not null check (category in ('shelling', 'airstrike', 'drone_strike', 'ground_attack', 'small_arms', 'explosion',
    'heavy_weapons_in_zone', 'monitor_restriction', 'attack_on_protected_site', 'attack_on_humanitarian', 'aid_obstruction', 'civilian_harm')),
  counts jsonb not null default '{}',
  casualties jsonb not null default '{}',
  perpetrator_name text,
  perpetrator_actor_id uuid references actors(id),
  target_name text,
  target_actor_id uuid references actors(id),
  description text not null default '',
  language text,
  anonymous boolean not null default false,
  visibility text not null check (visibility in ('public', 'parties', 'restricted', 'internal')),
  owner_party_id uuid not null references parties(id),
  restricted_to uuid[] not null default '{}',
  submission_id uuid not null references submissions(id),
  created_at timestamptz not null default now(),
  unique (party_id, idempotency_key)
);
create index reports_occurred on reports (occurred_at);
create index reports_geom on reports using gist (geom);
create index reports_external on reports (party_id, external_id) where external_id is not null;

create table report_sources (
  report_id uuid not null references reports(id),
  ordinal smallint not null,
  kind text not null check (kind in ('monitor_observation', 'party_allegation', 'media', 'public', 'sensor')),
  reliability text not null check (reliability in ('A', 'B', 'C', 'D', 'E', 'F')),
  name text,
  url text,
  primary key (report_id, ordinal)
);

create trigger reports_no_update before update or delete on reports for each row execute function refuse_change();
create trigger reports_no_truncate before truncate on reports for each statement execute function refuse_change();
create trigger report_sources_no_update before update or delete on report_sources for each row execute function refuse_change();
create trigger report_sources_no_truncate before truncate on report_sources for each statement execute function refuse_change();
