import type { Pool, PoolClient } from 'pg';
import { RunLockedError } from '../errors';

/** Session advisory-lock key of the ETL job (a constant from 'estate:etl:run'); not the migrations' key. */
export const ETL_RUN_LOCK_KEY = 7_421_903_201;

export interface RunLock {
  release(): Promise<void>;
}

/**
 * Takes the job's session-level advisory lock on a connection held for the whole run. A killed
 * run's session ends with it, so the lock never outlives its holder. Throws RunLockedError at once
 * (no waiting) when another run holds it, naming that run when etl_runs knows it.
 */
export async function acquireRunLock(pool: Pool): Promise<RunLock> {
  const client: PoolClient = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      ETL_RUN_LOCK_KEY,
    ]);
    if (!rows[0]?.locked) throw new RunLockedError(await describeHolder(client), { code: 'run_locked' });
  } catch (error) {
    client.release();
    throw error;
  }
  return {
    release: async () => {
      try {
        await client.query('SELECT pg_advisory_unlock($1)', [ETL_RUN_LOCK_KEY]);
      } finally {
        client.release();
      }
    },
  };
}

async function describeHolder(client: PoolClient): Promise<string> {
  const base = 'another estate-etl run is in progress (it holds the run lock); not starting a second one';
  try {
    const { rows } = await client.query<{ run_id: string; started_at: Date }>(
      `SELECT run_id, started_at FROM etl_runs WHERE status = 'running' ORDER BY started_at DESC LIMIT 1`,
    );
    const holder = rows[0];
    return holder ? `${base}: run ${holder.run_id} started ${holder.started_at.toISOString()}` : base;
  } catch {
    // etl_runs may not exist yet when the other run is still migrating.
    return base;
  }
}
