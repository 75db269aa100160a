-- The armed-actor registry (src/modules/actors). An actor is a stable id with a type; everything
-- said about it (names, memberships, successions, designations, accessions) is a CLAIM by a
-- party, with source, as-of date, confidence and visibility, recorded in the submission record
-- like every other change. Nothing is overwritten: a party withdraws its own claim with a
-- retraction row, and the current view is derived per viewpoint (a party, the guarantors'
-- consensus, a named authority).
create table actors (
  id uuid primary key default gen_random_uuid(),
  type text not null check (type in ('state_force', 'armed_group', 'umbrella', 'militia', 'foreign_force', 'guarantor_state', 'un_body')),
  display_name jsonb not null default '{}',
  -- A merge keeps the merged actor and its claims; it only points at the survivor.
  merged_into uuid references actors(id),
  -- Who may know the actor exists: a group one party has identified need not be public.
  visibility text not null check (visibility in ('public', 'parties', 'restricted', 'internal')),
  owner_party_id uuid not null references parties(id),
  restricted_to uuid[] not null default '{}',
  submission_id uuid not null references submissions(id),
  created_at timestamptz not null default now(),
  version integer not null default 1,
  check (merged_into is null or merged_into <> id)
);

-- External keys an import recognises an actor by on re-import (e.g. un:QDe.137, ftm:<id>).
create table actor_external_ids (
  scheme text not null check (scheme ~ '^[a-z][a-z0-9_-]{0,31}$'),
  value text not null,
  actor_id uuid not null references actors(id),
  primary key (scheme, value)
);
create index actor_external_ids_actor on actor_external_ids (actor_id);

create table actor_claims (
  id uuid primary key default gen_random_uuid(),
  fact text not null check (fact in ('name', 'membership', 'succession', 'designation', 'accession')),
  -- The subject: the named actor, the member, the successor, the designated or acceding actor.
  actor_id uuid not null references actors(id),
  -- membership: the umbrella; succession: the predecessor.
  other_actor_id uuid references actors(id),
  -- accession: the agreement joined or left, and the guarantor it went through.
  agreement_id uuid references agreements(id),
  guarantor_party_id uuid references parties(id),
  -- name: kind, value, language, script. membership: role in `kind`. succession: rename/merger/split.
  -- accession: joined/withdrew. designation: authority and reference.
  kind text,
  value text,
  lang text,
  script text check (script is null or script in ('Latn', 'Arab', 'Cyrl', 'Other')),
  authority text,
  reference text,
  -- The interval the fact holds: a name's or membership's validity, a designation's listed and
  -- delisted dates; a succession's or accession's date is valid_from.
  valid_from date,
  valid_to date,
  -- The claim itself.
  party_id uuid not null references parties(id),
  user_id uuid references users(id),
  source text not null check (length(source) between 1 and 500),
  as_of date not null,
  confidence text not null check (confidence in ('high', 'medium', 'low')),
  visibility text not null check (visibility in ('public', 'parties', 'restricted', 'internal')),
  owner_party_id uuid not null references parties(id),
  restricted_to uuid[] not null default '{}',
  submission_id uuid not null references submissions(id),
  created_at timestamptz not null default now(),
  check (valid_to is null or valid_from is null or valid_to >= valid_from),
  check (fact <> 'name' or (kind in ('name', 'alias', 'previous_name', 'weak_alias', 'abbreviation') and value is not null and script is not null)),
  check (fact <> 'membership' or (other_actor_id is not null and other_actor_id <> actor_id)),
  check (fact <> 'succession' or (other_actor_id is not null and other_actor_id <> actor_id and kind in ('rename', 'merger', 'split'))),
  check (fact <> 'designation' or (authority is not null and reference is not null)),
  check (fact <> 'accession' or (agreement_id is not null and kind in ('joined', 'withdrew') and valid_from is not null))
);
create index actor_claims_actor on actor_claims (actor_id, fact);
create index actor_claims_other on actor_claims (other_actor_id) where other_actor_id is not null;
create index actor_claims_agreement on actor_claims (agreement_id) where agreement_id is not null;
create index actor_claims_party on actor_claims (party_id, fact);

-- A party withdraws one of its own claims; the claim stays, marked.
create table actor_claim_retractions (
  claim_id uuid primary key references actor_claims(id),
  party_id uuid not null references parties(id),
  user_id uuid references users(id),
  reason text not null,
  submission_id uuid not null references submissions(id),
  created_at timestamptz not null default now()
);

-- Analysts' judgements on whether two actors are the same. "not_same" blocks matching one to the
-- other and merging them.
create table actor_judgements (
  id uuid primary key default gen_random_uuid(),
  actor_a uuid not null references actors(id),
  actor_b uuid not null references actors(id),
  verdict text not null check (verdict in ('same', 'not_same')),
  party_id uuid not null references parties(id),
  user_id uuid references users(id),
  note text not null default '',
  submission_id uuid not null references submissions(id),
  created_at timestamptz not null default now(),
  check (actor_a < actor_b)
);
create index actor_judgements_pair on actor_judgements (actor_a, actor_b);

-- UCDP-style structure hints for an analyst to confirm: "A, B" as a coalition.
create table actor_candidates (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('coalition', 'membership')),
  raw text not null,
  parts text[] not null,
  occurrences integer not null default 1,
  source text not null,
  status text not null default 'pending' check (status in ('pending', 'confirmed', 'rejected')),
  created_at timestamptz not null default now(),
  unique (kind, raw)
);

create function actor_claims_are_append_only() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = '55000';
end
$$;
create trigger actor_claims_no_update before update or delete on actor_claims
  for each row execute function actor_claims_are_append_only();
create trigger actor_claim_retractions_no_update before update or delete on actor_claim_retractions
  for each row execute function actor_claims_are_append_only();
create trigger actor_judgements_no_update before update or delete on actor_judgements
  for each row execute function actor_claims_are_append_only();

-- The matcher's name index is rebuilt when the registry changed: the latest actor.* submission,
-- found by one index range scan.
create index submissions_kind_seq on submissions (kind, seq);
