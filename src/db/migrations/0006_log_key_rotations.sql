-- Log key rotations (src/modules/log/rotation.ts). Each row hands the log over from one key to
-- the next at a tree size: a signed note ("truce.log/key-rotation/v1") signed by BOTH keys, so a
-- party that pinned either key can check the other. A key is rotated away from at most once and
-- introduced at most once, so the keys form one chain. Append-only, like the rest of the log.
create table log_key_rotations (
  from_vkey text primary key,
  to_vkey text not null unique,
  at_size bigint not null check (at_size >= 0),
  note text not null,
  created_at timestamptz not null default now(),
  check (from_vkey <> to_vkey)
);
create trigger log_key_rotations_no_update before update or delete on log_key_rotations
  for each row execute function log_is_append_only();
create trigger log_key_rotations_no_truncate before truncate on log_key_rotations
  for each statement execute function log_is_append_only();
