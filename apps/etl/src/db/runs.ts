import type { MarketUpdated } from '@estate/contracts';
import type { Pool } from 'pg';

export type RunStatus = 'running' | 'succeeded' | 'failed';

/** etl_runs: one row per run; its event stays until the broker confirms it. */
export class RunLog {
  constructor(private readonly pool: Pool) {}

  /** Runs left 'running' by a killed process; called while holding the run lock, so none is alive. */
  async abandonStale(): Promise<number> {
    const { rowCount } = await this.pool.query(
      `UPDATE etl_runs SET status = 'failed', finished_at = now(), error = 'abandoned: the process ended before finishing'
       WHERE status = 'running'`,
    );
    return rowCount ?? 0;
  }

  async start(runId: string, dataVersion: string): Promise<void> {
    await this.pool.query(`INSERT INTO etl_runs (run_id, data_version, status) VALUES ($1, $2, 'running')`, [
      runId,
      dataVersion,
    ]);
  }

  async finish(runId: string, status: RunStatus, counts: object, error: string | undefined): Promise<void> {
    await this.pool.query(
      `UPDATE etl_runs SET status = $2, finished_at = now(), counts = $3, error = $4 WHERE run_id = $1`,
      [runId, status, JSON.stringify(counts), error ?? null],
    );
  }

  /** Stores the event before it is published, so a failed publish is retried by the next run. */
  async recordEvent(runId: string, event: MarketUpdated): Promise<void> {
    await this.pool.query('UPDATE etl_runs SET event = $2 WHERE run_id = $1', [runId, JSON.stringify(event)]);
  }

  async markPublished(runId: string): Promise<void> {
    await this.pool.query('UPDATE etl_runs SET published_at = now() WHERE run_id = $1', [runId]);
  }

  /** Events of earlier runs the broker never confirmed, oldest first. */
  async unpublished(exceptRunId: string): Promise<Array<{ runId: string; event: unknown }>> {
    const { rows } = await this.pool.query<{ run_id: string; event: unknown }>(
      `SELECT run_id, event FROM etl_runs
       WHERE event IS NOT NULL AND published_at IS NULL AND run_id <> $1 ORDER BY started_at`,
      [exceptRunId],
    );
    return rows.map((row) => ({ runId: row.run_id, event: row.event }));
  }
}
