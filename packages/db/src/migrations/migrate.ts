import type { Pool, PoolClient } from 'pg';
import { MigrationError } from '../errors';
import { type MigrationFile, readMigrationFiles } from './migration-files';

export interface MigrateOptions {
  /** Default: this package's migrations folder. */
  directory?: string;
  logger?: { info(object: object, message: string): void };
}

export interface MigrateResult {
  /** File names applied by this call, in order. */
  applied: string[];
  /** File names that were already applied. */
  skipped: string[];
}

/**
 * One advisory-lock key for every service: backend, ai-worker and etl may start at the same
 * moment, and only one of them may run a given migration. (A constant from 'estate:migrations'.)
 */
export const MIGRATION_LOCK_KEY = 7_421_903_118;

const CREATE_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY,
    version integer NOT NULL UNIQUE,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

/**
 * Applies the migrations not applied yet, in order, each in its own transaction holding the
 * advisory lock, so concurrent callers serialize and each migration runs exactly once. A failed
 * migration rolls back whole and throws a MigrationError naming its file; the ones before it stay.
 * An applied migration whose file has changed since is an error: migrations are append-only.
 */
export async function migrate(pool: Pool, options: MigrateOptions = {}): Promise<MigrateResult> {
  const files = readMigrationFiles(options.directory);
  const result: MigrateResult = { applied: [], skipped: [] };
  await inLockedTransaction(pool, undefined, (client) => client.query(CREATE_TABLE));
  for (const file of files) {
    const applied = await inLockedTransaction(pool, file, (client) => applyOne(client, file));
    if (applied) {
      result.applied.push(file.name);
      options.logger?.info({ migration: file.name }, 'migration applied');
    } else {
      result.skipped.push(file.name);
    }
  }
  return result;
}

async function applyOne(client: PoolClient, file: MigrationFile): Promise<boolean> {
  const { rows } = await client.query<{ checksum: string }>(
    'SELECT checksum FROM schema_migrations WHERE name = $1',
    [file.name],
  );
  const existing = rows[0];
  if (existing) {
    if (existing.checksum !== file.checksum) {
      throw new MigrationError(
        `migration ${file.name} was changed after it was applied; add a new migration`,
        {
          code: 'checksum_mismatch',
          migration: file.name,
        },
      );
    }
    return false;
  }
  try {
    await client.query(file.sql);
  } catch (error) {
    throw new MigrationError(`migration ${file.name} failed: ${(error as Error).message}`, {
      code: 'migration_failed',
      migration: file.name,
      cause: error,
    });
  }
  await client.query('INSERT INTO schema_migrations (name, version, checksum) VALUES ($1, $2, $3)', [
    file.name,
    file.version,
    file.checksum,
  ]);
  return true;
}

async function inLockedTransaction<T>(
  pool: Pool,
  file: MigrationFile | undefined,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    const value = await work(client);
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    if (error instanceof MigrationError) throw error;
    throw new MigrationError(`migrations: ${file ? `${file.name}: ` : ''}${(error as Error).message}`, {
      code: 'database_error',
      migration: file?.name,
      cause: error,
    });
  } finally {
    client.release();
  }
}
