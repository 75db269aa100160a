-- Evidence files attached to reports, stored once by SHA-256 (src/modules/incidents/evidence/
-- store.ts) and listed here per report: what it is, how its metadata was handled, and its
-- submission. Disclosure follows the report's.
create table report_evidence (
  id uuid primary key default gen_random_uuid(),
  report_id uuid not null references reports(id),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  type text not null,
  mime text not null,
  size bigint not null check (size >= 0),
  metadata_handling text not null check (metadata_handling in ('stripped', 'kept', 'not_inspected')),
  metadata_removed text[] not null default '{}',
  party_id uuid not null references parties(id),
  user_id uuid references users(id),
  submission_id uuid not null references submissions(id),
  created_at timestamptz not null default now(),
  unique (report_id, sha256)
);
create index report_evidence_sha on report_evidence (sha256);
create trigger report_evidence_no_update before update or delete on report_evidence for each row execute function refuse_change();
create trigger report_evidence_no_truncate before truncate on report_evidence for each statement execute function refuse_change();
