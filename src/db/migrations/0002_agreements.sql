-- Agreements: terms, parties to them, numbered provisions with their exclusions, the revision
-- history of every amendment, and implementation status per provision over time.
create table agreements (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  title jsonb not null,
  summary jsonb not null default '{}',
  theatre text not null,
  status text not null check (status in ('draft', 'signed', 'in_force', 'suspended', 'terminated', 'superseded')),
  signed_on date,
  effective_from timestamptz,
  effective_to timestamptz,
  languages text[] not null default '{en}',
  visibility text not null check (visibility in ('public', 'parties', 'restricted', 'internal')),
  restricted_to uuid[] not null default '{}',
  owner_party_id uuid not null references parties(id),
  revision integer not null default 1,
  version integer not null default 1,
  -- Moves on every change to what the detail shows (terms or implementation status), so a
  -- cached detail is reused only while it is current; unlike version, it is not for clients.
  stamp integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (effective_to is null or effective_from is null or effective_to > effective_from)
);
create index agreements_listing on agreements (created_at, id);

create table agreement_parties (
  agreement_id uuid not null references agreements(id),
  party_id uuid not null references parties(id),
  role text not null check (role in ('signatory', 'guarantor', 'secretariat', 'monitor', 'observer')),
  primary key (agreement_id, party_id, role)
);

create table provisions (
  id uuid primary key default gen_random_uuid(),
  agreement_id uuid not null references agreements(id),
  number text not null,
  ordinal integer not null,
  category text not null check (category in ('cessation_of_hostilities', 'exclusion', 'humanitarian_access',
    'delineation', 'monitoring', 'weapons_withdrawal', 'political_process', 'public_communication')),
  title jsonb not null default '{}',
  text jsonb not null,
  withdrawn_at timestamptz,
  created_at timestamptz not null default now(),
  unique (agreement_id, number)
);

create table exclusions (
  id uuid primary key default gen_random_uuid(),
  provision_id uuid not null references provisions(id) on delete cascade,
  ordinal integer not null,
  description jsonb not null,
  designation_authority text,
  named_group text
);
create index exclusions_provision on exclusions (provision_id);

create table agreement_revisions (
  agreement_id uuid not null references agreements(id),
  revision integer not null,
  changed_at timestamptz not null default now(),
  party_id uuid not null references parties(id),
  user_id uuid references users(id),
  summary text not null,
  changes jsonb not null,
  snapshot jsonb not null,
  submission_id uuid not null references submissions(id),
  primary key (agreement_id, revision)
);

create table provision_status (
  id uuid primary key default gen_random_uuid(),
  provision_id uuid not null references provisions(id),
  level smallint not null check (level between 0 and 3),
  as_of timestamptz not null,
  evidence text not null,
  party_id uuid not null references parties(id),
  user_id uuid references users(id),
  submission_id uuid not null references submissions(id),
  created_at timestamptz not null default now()
);
create index provision_status_history on provision_status (provision_id, as_of, created_at);
