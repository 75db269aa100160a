-- The verifiable log over the submission record (RFC 9162 Merkle tree, C2SP checkpoints).
-- The sequencer appends entries, tree nodes and a signed checkpoint and moves log_state by
-- compare-and-swap, all in one transaction. Entries, nodes, checkpoints and cosignatures are
-- append-only: the triggers below refuse UPDATE, DELETE and TRUNCATE for every role.

-- One leaf per submission: the canonical JSON entry (src/modules/ledger/entry.ts) and
-- SHA-256(0x00 ‖ entry).
create table log_entries (
  leaf_index bigint primary key check (leaf_index >= 0),
  submission_id uuid not null unique references submissions(id),
  entry text not null,
  leaf_hash bytea not null check (octet_length(leaf_hash) = 32),
  sequenced_at timestamptz not null default now()
);
create index log_entries_leaf_hash on log_entries (leaf_hash);

-- Every complete subtree: the node at `level` covers leaves [idx·2^level, (idx+1)·2^level).
-- Level 0 holds the leaf hashes. Any proof, root or tile is one indexed read of O(log n) rows.
create table log_nodes (
  level smallint not null check (level between 0 and 63),
  idx bigint not null check (idx >= 0),
  hash bytea not null check (octet_length(hash) = 32),
  primary key (level, idx)
);

-- Every checkpoint the log ever signed, as the signed note it served, with the vkey that signed it.
create table log_checkpoints (
  size bigint primary key check (size >= 0),
  root_hash bytea not null check (octet_length(root_hash) = 32),
  note text not null,
  vkey text not null,
  created_at timestamptz not null default now()
);

-- Witness cosignatures (cosignature/v1 note signature lines) over a checkpoint.
create table log_cosignatures (
  checkpoint_size bigint not null references log_checkpoints(size),
  witness_vkey text not null,
  line text not null,
  created_at timestamptz not null default now(),
  primary key (checkpoint_size, witness_vkey)
);
create index log_cosignatures_witness on log_cosignatures (witness_vkey, checkpoint_size);

-- The head of the log, one row. Only the sequencer moves it, by compare-and-swap on `size`.
-- seq_floor: every submission with seq <= seq_floor is in the log, none above it is.
create table log_state (
  id boolean primary key default true check (id),
  size bigint not null check (size >= 0),
  root_hash bytea not null check (octet_length(root_hash) = 32),
  checkpoint_size bigint references log_checkpoints(size),
  seq_floor bigint not null default 0,
  updated_at timestamptz not null default now(),
  check (checkpoint_size is null or checkpoint_size = size)
);
-- The empty tree: its root is SHA-256 of the empty string.
insert into log_state (size, root_hash)
  values (0, decode('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex'));

create function log_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = '55000';
end
$$;
create trigger log_entries_no_update before update or delete on log_entries
  for each row execute function log_is_append_only();
create trigger log_entries_no_truncate before truncate on log_entries
  for each statement execute function log_is_append_only();
create trigger log_nodes_no_update before update or delete on log_nodes
  for each row execute function log_is_append_only();
create trigger log_nodes_no_truncate before truncate on log_nodes
  for each statement execute function log_is_append_only();
create trigger log_checkpoints_no_update before update or delete on log_checkpoints
  for each row execute function log_is_append_only();
create trigger log_checkpoints_no_truncate before truncate on log_checkpoints
  for each statement execute function log_is_append_only();
create trigger log_cosignatures_no_update before update or delete on log_cosignatures
  for each row execute function log_is_append_only();
create trigger log_cosignatures_no_truncate before truncate on log_cosignatures
  for each statement execute function log_is_append_only();
-- The head row is never removed; only updated (by CAS).
create trigger log_state_no_delete before delete on log_state
  for each row execute function log_is_append_only();
create trigger log_state_no_truncate before truncate on log_state
  for each statement execute function log_is_append_only();
