-- Compliance rules (src/modules/incidents/compliance.ts): how an agreement is read against an
-- incident. Where it applies (coverage: everywhere in its theatre, or the places a set of zone
-- layers covers at the incident's time), which categories of act its provisions prohibit (and
-- where: within named zone layers or zone kinds), and whom it binds (the actors that acceded, or
-- everyone it does not exclude). Versioned and append-only: a change is a new version with its
-- submission; the latest version is current. The rules carry the agreement's visibility.
create table compliance_rules (
  id uuid primary key default gen_random_uuid(),
  agreement_id uuid not null references agreements(id),
  version integer not null check (version >= 1),
  -- { "kind": "everywhere", "bbox"?: [w, s, e, n] } or { "kind": "layers", "layers": [slug, …] }
  coverage jsonb not null,
  -- [{ "provision": "2", "categories": ["shelling", …], "within"?: [layer slug or zone kind, …] }]
  prohibitions jsonb not null,
  bound text not null check (bound in ('acceded', 'all')),
  note text not null default '',
  party_id uuid not null references parties(id),
  user_id uuid references users(id),
  submission_id uuid not null references submissions(id),
  created_at timestamptz not null default now(),
  unique (agreement_id, version)
);

create trigger compliance_rules_no_update before update or delete on compliance_rules for each row execute function refuse_change();
create trigger compliance_rules_no_truncate before truncate on compliance_rules for each statement execute function refuse_change();
