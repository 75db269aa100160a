-- Geography (src/modules/geo). A LAYER is a named set of features of one kind; a FEATURE is a
-- geometry with a validity interval [valid_from, valid_to) and a claimant, so competing maps
-- coexist: two parties' areas of control over the same village are two features, never one
-- overwritten. Features are append-only: an edit is a new feature that `replaces` the old one,
-- and the old one gets a retraction row; both are submissions in the verifiable log.
-- Geometry is EPSG:4326; distances and buffers are computed in a metric projection.
create table geo_layers (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  -- admin: administrative units; control: areas of control or presence; zone: agreement zones
  -- (ceasefire areas, contact lines and their withdrawal lines); access: besieged and
  -- hard-to-reach areas; site: protected sites (points with a protection radius).
  kind text not null check (kind in ('admin', 'control', 'zone', 'access', 'site')),
  title jsonb not null default '{}',
  description text not null default '',
  agreement_id uuid references agreements(id),
  visibility text not null check (visibility in ('public', 'parties', 'restricted', 'internal')),
  owner_party_id uuid not null references parties(id),
  restricted_to uuid[] not null default '{}',
  submission_id uuid not null references submissions(id),
  created_at timestamptz not null default now(),
  version integer not null default 1
);

create table geo_features (
  id uuid primary key default gen_random_uuid(),
  layer_id uuid not null references geo_layers(id),
  -- A key from the source (a P-code, an ISO code) so a re-import recognises the feature.
  external_id text,
  name jsonb not null default '{}',
  properties jsonb not null default '{}',
  geom geometry(Geometry, 4326) not null,
  valid_from timestamptz,
  valid_to timestamptz,
  -- control: the actor holding or present; its claimant is the feature's party.
  actor_id uuid references actors(id),
  confidence text check (confidence is null or confidence in ('high', 'medium', 'low')),
  -- zone: what the geometry is (area, contact line, withdrawal line of n metres), and of what.
  zone_kind text check (zone_kind is null or zone_kind in ('ceasefire_area', 'contact_line', 'withdrawal_line', 'buffer', 'other')),
  buffer_m double precision check (buffer_m is null or buffer_m > 0),
  derived_from uuid references geo_features(id),
  -- access: besieged or hard to reach, the population, the criteria.
  access_status text check (access_status is null or access_status in ('besieged', 'hard_to_reach')),
  population integer check (population is null or population >= 0),
  criteria text,
  -- site: what it is and the radius it is protected within.
  site_kind text check (site_kind is null or site_kind in ('hospital', 'clinic', 'school', 'water', 'power', 'un_premises', 'shelter', 'religious', 'market', 'other')),
  radius_m double precision check (radius_m is null or radius_m >= 0),
  source text not null default '',
  replaces uuid references geo_features(id),
  import_id uuid,
  -- The claim.
  party_id uuid not null references parties(id),
  user_id uuid references users(id),
  visibility text not null check (visibility in ('public', 'parties', 'restricted', 'internal')),
  owner_party_id uuid not null references parties(id),
  restricted_to uuid[] not null default '{}',
  submission_id uuid not null references submissions(id),
  created_at timestamptz not null default now(),
  check (valid_to is null or valid_from is null or valid_to > valid_from),
  check (not st_isempty(geom))
);
create index geo_features_geom on geo_features using gist (geom);
create index geo_features_layer on geo_features (layer_id, valid_from);
create index geo_features_external on geo_features (layer_id, external_id) where external_id is not null;

create table geo_feature_retractions (
  feature_id uuid primary key references geo_features(id),
  party_id uuid not null references parties(id),
  user_id uuid references users(id),
  reason text not null,
  submission_id uuid not null references submissions(id),
  created_at timestamptz not null default now()
);

-- One import of a file into a layer: what it was, and the report of what was repaired.
create table geo_imports (
  id uuid primary key default gen_random_uuid(),
  layer_id uuid not null references geo_layers(id),
  party_id uuid not null references parties(id),
  user_id uuid references users(id),
  file_name text not null,
  format text not null,
  source_srid integer not null,
  features integer not null,
  repaired integer not null,
  report jsonb not null default '[]',
  submission_id uuid not null references submissions(id),
  created_at timestamptz not null default now()
);

-- One trigger function for every append-only table from here on (earlier migrations keep their
-- own, applied as they are): UPDATE, DELETE and TRUNCATE are refused for every role.
create function refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = '55000';
end
$$;
create trigger geo_features_no_update before update or delete on geo_features for each row execute function refuse_change();
create trigger geo_features_no_truncate before truncate on geo_features for each statement execute function refuse_change();
create trigger geo_feature_retractions_no_update before update or delete on geo_feature_retractions for each row execute function refuse_change();
create trigger geo_feature_retractions_no_truncate before truncate on geo_feature_retractions for each statement execute function refuse_change();
create trigger geo_imports_no_update before update or delete on geo_imports for each row execute function refuse_change();
create trigger geo_imports_no_truncate before truncate on geo_imports for each statement execute function refuse_change();
