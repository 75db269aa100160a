-- Core of the record: parties, people and machines acting for them, their signing keys, and the
-- append-only table of every submission (the verifiable log is built on it).
create extension if not exists postgis;

create table parties (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name jsonb not null,
  kind text not null check (kind in ('guarantor', 'signatory', 'monitor', 'humanitarian', 'public')),
  created_at timestamptz not null default now(),
  version integer not null default 1
);

create table users (
  id uuid primary key default gen_random_uuid(),
  party_id uuid not null references parties(id),
  email text not null unique check (email = lower(email)),
  display_name text not null,
  password_hash text,
  roles text[] not null check (cardinality(roles) > 0),
  locale text not null default 'en',
  disabled_at timestamptz,
  created_at timestamptz not null default now(),
  version integer not null default 1
);
create index users_party on users (party_id);

create table sessions (
  id uuid primary key default gen_random_uuid(),
  token_hash text not null unique,
  csrf_token text not null,
  user_id uuid not null references users(id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);

create table login_attempts (
  key text primary key,
  failures integer not null default 0,
  last_failure_at timestamptz not null default now(),
  locked_until timestamptz
);

create table api_keys (
  id uuid primary key default gen_random_uuid(),
  party_id uuid not null references parties(id),
  user_id uuid not null references users(id),
  name text not null,
  prefix text not null unique,
  secret_hash text not null,
  scopes text[] not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  last_used_at timestamptz
);

create table party_keys (
  id uuid primary key default gen_random_uuid(),
  party_id uuid not null references parties(id),
  name text not null,
  algorithm text not null default 'ed25519' check (algorithm = 'ed25519'),
  public_key text not null unique,
  key_hash text not null,
  valid_from timestamptz not null,
  valid_to timestamptz,
  revoked_at timestamptz,
  replaces_id uuid references party_keys(id),
  created_at timestamptz not null default now(),
  check (valid_to is null or valid_to > valid_from)
);
create index party_keys_party on party_keys (party_id);

-- Every change anyone makes, in the same transaction as the change. Rows are immutable: the
-- triggers below refuse UPDATE, DELETE and TRUNCATE for every role, the owner's included.
create table submissions (
  seq bigint generated always as identity unique,
  id uuid primary key default gen_random_uuid(),
  party_id uuid not null references parties(id),
  user_id uuid references users(id),
  api_key_id uuid references api_keys(id),
  kind text not null,
  subject_id uuid,
  payload text not null,
  payload_sha256 text not null check (payload_sha256 ~ '^[0-9a-f]{64}$'),
  -- Who may read the payload: the same disclosure rule as the record the submission changed.
  visibility text not null check (visibility in ('public', 'parties', 'restricted', 'internal')),
  owner_party_id uuid not null references parties(id),
  restricted_to uuid[] not null default '{}',
  created_at timestamptz not null default clock_timestamp()
);
create index submissions_subject on submissions (subject_id, seq);

create function submissions_are_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'submissions are append-only: % refused', tg_op using errcode = '55000';
end
$$;
create trigger submissions_no_update before update or delete on submissions
  for each row execute function submissions_are_append_only();
create trigger submissions_no_truncate before truncate on submissions
  for each statement execute function submissions_are_append_only();
