-- Countries of operation (src/modules/actors): where an actor operates is a claim like its names
-- and memberships, not a column on the actor. Parties disagree about it, sources state it (a UN
-- list's addresses, a FollowTheMoney `country`, the UCDP rows an analyst confirms), and it changes
-- over time; as a claim it has a claimant, source, interval, visibility and retraction, a complete
-- import withdraws what a newer list no longer says, and the log holds every one. The value is an
-- ISO 3166-1 alpha-2 code in capitals; the application checks it is an assigned one.
alter table actor_claims drop constraint actor_claims_fact_check;
alter table actor_claims add constraint actor_claims_fact_check
  check (fact in ('name', 'membership', 'succession', 'designation', 'accession', 'country'));
alter table actor_claims add constraint actor_claims_country_check
  check (fact <> 'country' or (value ~ '^[A-Z]{2}$' and other_actor_id is null and agreement_id is null));
-- "Which actors operate in SY?" (the actor list's country filter).
create index actor_claims_country on actor_claims (value, actor_id) where fact = 'country';

-- The countries of the UCDP rows a coalition candidate came from: an analyst confirming it claims
-- them for the umbrella and its members.
alter table actor_candidates add column countries text[] not null default '{}';
