import type { Pool, PoolClient, QueryResultRow } from 'pg';

/** SQLSTATE invalid_password: the credential was rotated under us. */
const INVALID_PASSWORD = '28P01';

export interface DatabaseOptions {
  /** Called once when PostgreSQL rejects the password, before the one retry (a forced secrets refresh). */
  onAuthenticationFailure: () => Promise<unknown>;
}

/**
 * The pool as the routes use it. New connections take the password from the secrets container,
 * so after a rotation they already use the new one; if PostgreSQL still rejects it (the container
 * had not refreshed yet) the secret is refreshed once and the work retried once.
 */
export class Database {
  constructor(
    readonly pool: Pool,
    private readonly options: DatabaseOptions,
  ) {}

  async query<R extends QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    const result = await this.retryingAuth(() => this.pool.query<R>(text, values));
    return result.rows;
  }

  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.retryingAuth(() => this.pool.connect());
    try {
      await client.query('BEGIN');
      const value = await work(client);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  private async retryingAuth<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if ((error as { code?: string }).code !== INVALID_PASSWORD) throw error;
      await this.options.onAuthenticationFailure();
      return work();
    }
  }
}
