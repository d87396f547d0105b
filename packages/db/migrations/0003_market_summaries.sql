-- AI market summaries written by apps/ai-worker: one row per region, period and data version,
-- so a rerun of the same job changes nothing.
CREATE TABLE market_summaries (
  region char(5) NOT NULL CHECK (region ~ '^[0-9]{5}$'),
  period char(7) NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  data_version text NOT NULL,
  model text NOT NULL,
  summary_ko text NOT NULL,
  summary_en text NOT NULL,
  -- The model's validated structured output, for clients that want more than the prose.
  content jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region, period, data_version)
);
