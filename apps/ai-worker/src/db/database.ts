import type { Pool, QueryResultRow } from 'pg';

/** SQLSTATE invalid_password: the credential was rotated under us. */
export const INVALID_PASSWORD = '28P01';

export interface DatabaseOptions {
  /** Called once when PostgreSQL rejects the password, before the one retry (a forced secrets refresh). */
  onAuthenticationFailure: () => Promise<unknown>;
}

/**
 * The pool as the jobs use it. New connections take the password from the secrets container; if
 * PostgreSQL still rejects it (the container had not refreshed yet), the secret is refreshed once
 * and the query retried once.
 */
export class Database {
  constructor(
    readonly pool: Pool,
    private readonly options: DatabaseOptions,
  ) {}

  async query<R extends QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    const result = await retryingAuthentication(() => this.pool.query<R>(text, values), this.options);
    return result.rows;
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }
}

/** Runs `work`; on 28P01 calls onAuthenticationFailure once and runs `work` once more. */
export async function retryingAuthentication<T>(
  work: () => Promise<T>,
  options: DatabaseOptions,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if ((error as { code?: unknown }).code !== INVALID_PASSWORD) throw error;
    await options.onAuthenticationFailure();
    return work();
  }
}
