-- A party's report is known by its channel's own id (a UCDP event id, an ACLED event id): at most
-- one report per party and external id, so two imports of one file at the same moment, even by
-- two server processes, write each row once (the importer inserts with "on conflict do nothing").
drop index reports_external;
create unique index reports_external on reports (party_id, external_id) where external_id is not null;
