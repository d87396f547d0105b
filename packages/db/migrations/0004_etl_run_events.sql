-- apps/etl: the market.updated event of a run is kept until the broker confirms it, so an event
-- whose publish failed is published again by the next run (consumers are idempotent).
ALTER TABLE etl_runs
  ADD COLUMN event jsonb,
  ADD COLUMN published_at timestamptz;
CREATE INDEX etl_runs_unpublished_idx ON etl_runs (started_at) WHERE event IS NOT NULL AND published_at IS NULL;
