-- Market data loaded by apps/etl, read by the backend and the ai-worker.

-- R-ONE (Korea Real Estate Board) statistics: one row per value of a series.
-- Natural key as the source defines it; an upsert overwrites dta_val (series get re-based).
CREATE TABLE rone_index_values (
  statbl_id text NOT NULL,
  dtacycle_cd text NOT NULL,
  -- The period as the source writes it: YYYYMM for the monthly cycle (MM).
  wrttime_idtfr_id text NOT NULL,
  grp_id text NOT NULL,
  cls_id text NOT NULL,
  itm_id text NOT NULL,
  cls_nm text,
  itm_nm text,
  dta_val numeric,
  ui_nm text,
  wrttime_desc text,
  data_version text NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (statbl_id, dtacycle_cd, wrttime_idtfr_id, grp_id, cls_id, itm_id)
);
CREATE INDEX rone_index_values_series_idx ON rone_index_values (statbl_id, cls_id, wrttime_idtfr_id);

-- MOLIT apartment deals. deal_key is a hash of the deal's identifying fields (region, dong,
-- jibun or aptSeq, apartment, building, deal date, floor, area to 2 decimals, amount); identical
-- deals in one month keep an ordinal so none is dropped. Cancellation fields are updated on
-- upsert and are not part of the key.
CREATE TABLE apartment_deals (
  deal_key text NOT NULL CHECK (deal_key ~ '^[0-9a-f]{64}$'),
  ordinal smallint NOT NULL DEFAULT 1 CHECK (ordinal >= 1),
  lawd_cd char(5) NOT NULL CHECK (lawd_cd ~ '^[0-9]{5}$'),
  umd_cd text,
  umd_nm text,
  jibun text,
  apt_seq text,
  apt_nm text NOT NULL,
  apt_dong text,
  build_year smallint,
  deal_date date NOT NULL,
  -- Units of 10,000 KRW (만원), as the source reports them.
  deal_amount bigint NOT NULL CHECK (deal_amount > 0),
  -- Exclusive-use area in square metres.
  exclu_use_ar numeric(9, 2) NOT NULL CHECK (exclu_use_ar > 0),
  floor smallint,
  dealing_gbn text,
  cancelled boolean NOT NULL DEFAULT false,
  cancel_date date,
  rgst_date date,
  data_version text NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (deal_key, ordinal),
  CHECK (cancel_date IS NULL OR cancelled)
);
CREATE INDEX apartment_deals_region_date_idx ON apartment_deals (lawd_cd, deal_date);

-- One row per completed (source, series or region, period): a killed run resumes after the last.
CREATE TABLE etl_watermarks (
  source text NOT NULL CHECK (source IN ('rone', 'molit')),
  series text NOT NULL,
  period text NOT NULL,
  run_id text NOT NULL,
  row_count integer NOT NULL CHECK (row_count >= 0),
  completed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, series, period)
);

CREATE TABLE etl_runs (
  run_id text PRIMARY KEY,
  data_version text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  counts jsonb NOT NULL DEFAULT '{}'::jsonb,
  error text
);
