-- Places of the records other modules locate (an incident's point, a circle around it, an
-- observer's sector) and what contains them, kept current: attribution is derived data, so a
-- place's row is rewritten when the areas around it change (the claims themselves stay
-- append-only in geo_features). `attributed_at` says when; a place is stale when a feature
-- touching it was added or retracted after that.
create table geo_places (
  id uuid primary key default gen_random_uuid(),
  subject_kind text not null check (subject_kind ~ '^[a-z][a-z0-9_.-]{0,40}$'),
  subject_id text not null check (length(subject_id) between 1 and 200),
  geom geometry(Geometry, 4326) not null,
  at timestamptz not null,
  -- Admin units, areas of control, zones and access areas containing (a point) or touching (a
  -- circle or sector) the place at its instant; protected sites whose radius reaches it.
  features uuid[] not null default '{}',
  sites uuid[] not null default '{}',
  -- For a place no admin unit contains: the nearest one and the geodesic distance to it.
  nearest_admin uuid,
  nearest_admin_m double precision,
  attributed_at timestamptz not null default now(),
  unique (subject_kind, subject_id),
  check (not st_isempty(geom))
);
create index geo_places_geom on geo_places using gist (geom);
-- Places written in bulk and not attributed yet carry attributed_at = '-infinity'.
create index geo_places_unattributed on geo_places (id) where attributed_at = '-infinity';
create index geo_features_created on geo_features (created_at);
create index geo_feature_retractions_created on geo_feature_retractions (created_at);
