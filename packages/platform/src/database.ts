import type { DatabaseSecret } from '@estate/secrets/catalog';
import { Pool, type PoolClient, type PoolConfig, type QueryResultRow } from 'pg';
import { recycleOnChange } from './recycle';

/** SQLSTATE invalid_password: the credential was rotated under us. */
export const INVALID_PASSWORD = '28P01';

export interface PoolOptions {
  max?: number;
  connectionTimeoutMillis?: number;
  applicationName?: string;
  /**
   * Makes the pool itself 28P01-aware: when PostgreSQL rejects the password of a new connection,
   * this is called once (a forced secrets refresh) and the connection is tried once more. Every
   * `pool.query` and `pool.connect` is then covered, for code that uses the pool directly (etl).
   */
  onAuthenticationFailure?: () => Promise<unknown>;
}

/**
 * A pg Pool for the database secret. Host, port and name are fixed at creation; the password is
 * read from the container for each new connection (pg accepts an async function), so a rotated
 * password needs no restart. TLS verifies against the secret's CA when one is given.
 */
export function createDatabasePool(current: () => DatabaseSecret, options: PoolOptions = {}): Pool {
  const secret = current();
  const config: PoolConfig = {
    host: secret.host,
    port: secret.port,
    database: secret.dbname,
    user: secret.username,
    password: async () => current().password,
    ssl: secret.ssl
      ? {
          ca: Buffer.from(secret.ssl.ca, 'base64').toString('utf8'),
          rejectUnauthorized: secret.ssl.rejectUnauthorized,
        }
      : undefined,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    idleTimeoutMillis: 30_000,
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
  };
  const onAuthenticationFailure = options.onAuthenticationFailure;
  return onAuthenticationFailure
    ? new AuthenticationRetryingPool(config, { onAuthenticationFailure })
    : new Pool(config);
}

type ConnectCallback = (
  error: Error | undefined,
  client: PoolClient | undefined,
  done: (release?: unknown) => void,
) => void;

/**
 * A Pool whose new connections retry once after a refresh on 28P01. pg-pool's own `query()` goes
 * through `this.connect(callback)`, so overriding `connect` covers both forms.
 */
class AuthenticationRetryingPool extends Pool {
  readonly #options: DatabaseOptions;

  constructor(config: PoolConfig, options: DatabaseOptions) {
    super(config);
    this.#options = options;
  }

  override connect(): Promise<PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<PoolClient> | undefined {
    const connected = retryingAuthentication(() => super.connect(), this.#options);
    if (!callback) return connected;
    connected.then(
      (client) => callback(undefined, client, (release) => client.release(release as boolean | Error)),
      (error: Error) => callback(error, undefined, () => {}),
    );
    return undefined;
  }
}

export interface DatabaseOptions {
  /** Called once when PostgreSQL rejects the password, before the one retry (a forced secrets refresh). */
  onAuthenticationFailure: () => Promise<unknown>;
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

/**
 * The pool as a service uses it. New connections take the password from the secrets container,
 * so after a rotation they already use the new one; if PostgreSQL still rejects it (the container
 * had not refreshed yet) the secret is refreshed once and the work retried once.
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

  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await retryingAuthentication(() => this.pool.connect(), this.options);
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
}

/** The database group of a service's secrets container (any manifest that declares `database`). */
export interface DatabaseSecretSource {
  get(key: 'database'): DatabaseSecret;
  refresh(key: 'database'): Promise<unknown>;
  onChange(key: 'database', listener: () => void): () => void;
}

export interface OpenDatabase {
  pool: Pool;
  db: Database;
  /** Stops recycling and ends the pool. */
  close(): Promise<void>;
}

/**
 * A long-running service's database: the pool (password read per connection), idle-connection
 * errors logged by name, 28P01 refresh-and-retry through `Database`, and connections made before
 * a rotation recycled once idle.
 */
export function openDatabase(
  secrets: DatabaseSecretSource,
  options: { logger: { warn(object: object, message: string): void }; max?: number },
): OpenDatabase {
  const pool = createDatabasePool(() => secrets.get('database'), { max: options.max });
  pool.on('error', (error) =>
    options.logger.warn({ errorName: error.name, reason: error.message }, 'idle database connection failed'),
  );
  const db = new Database(pool, { onAuthenticationFailure: () => secrets.refresh('database') });
  const stopRecycling = recycleOnChange(pool, (listener) => secrets.onChange('database', listener));
  return {
    pool,
    db,
    close: async () => {
      stopRecycling();
      await pool.end();
    },
  };
}
