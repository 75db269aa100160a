-- A party may sign what it submits. It signs a statement it can build itself before sending
-- (the canonical request: method, path and body), since the stored payload also holds ids the
-- server assigns. The statement, its Ed25519 signature and the party key that made it are kept
-- with the submission; a submission without them is attested by the server when it is logged.
alter table submissions add column statement text;
alter table submissions add column statement_signature text;
alter table submissions add column party_key_id uuid references party_keys(id);
alter table submissions add constraint submissions_signed_whole check (
  (statement is null and statement_signature is null and party_key_id is null) or
  (statement is not null and statement_signature is not null and party_key_id is not null));
