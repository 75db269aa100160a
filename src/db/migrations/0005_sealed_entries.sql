-- Sealed log entries (src/modules/ledger/entry.ts). A non-public submission's leaf commits to its
-- full entry by hash; the full entry, the opening, is kept here and served only to viewers the
-- submission's visibility admits. Null for public submissions, whose leaf is the full entry.
-- log_entries stays append-only: its triggers refuse UPDATE, so an opening is written once.
alter table log_entries add column opening text;
