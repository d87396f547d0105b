-- apps/etl bulk loads: apartment_deals had two indexes, the primary key (deal_key, ordinal) and
-- (lawd_cd, deal_date) for every reader (backend trades and monthly statistics, ai-worker). Each
-- inserted deal paid for both, at a random place of the hash-ordered key. One primary key
-- (lawd_cd, deal_date, deal_key, ordinal) serves the same readers (and the backend's ORDER BY
-- deal_date, deal_key, ordinal without a sort), and a region-month's deals go to neighbouring
-- pages. It is the same rule: deal_key is a sha256 over lawd_cd and deal_date among the rest, so
-- two rows with one (deal_key, ordinal) and different lawd_cd or deal_date cannot exist short of
-- a sha256 collision. Upserts name the new key in ON CONFLICT.
ALTER TABLE apartment_deals
  DROP CONSTRAINT apartment_deals_pkey,
  ADD CONSTRAINT apartment_deals_pkey PRIMARY KEY (lawd_cd, deal_date, deal_key, ordinal);
DROP INDEX apartment_deals_region_date_idx;
