import type { DatabaseSecret } from '@estate/secrets/catalog';
import { Pool, type PoolClient, type PoolConfig, type QueryResultRow } from 'pg';
import { recycleOnChange } from './recycle';

/** SQLSTATE invalid_password: the credential was rotated under us. */
export const INVALID_PASSWORD = '28P01';

export interface PoolOptions {
  max?: number;
  /** Bounds both opening a connection and waiting for a free one in the pool. */
  connectionTimeoutMillis?: number;
  /** PostgreSQL's statement_timeout: the server cancels a statement running longer (SQLSTATE 57014). */
  statementTimeoutMs?: number;
  /** The client gives up on an answer after this long: the bound when the network is frozen. */
  queryTimeoutMs?: number;
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
    // A peer that vanished without a reset (a frozen network) is found out by the kernel.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    ...(options.queryTimeoutMs ? { query_timeout: options.queryTimeoutMs } : {}),
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

/** How long a service's request may wait on the database, in every way it can wait. */
export interface DatabaseTimeouts {
  /** Opening a connection, or waiting for a free one in the pool. */
  connectMs: number;
  /** Server side: a statement running longer is cancelled. */
  statementMs: number;
  /** Client side: no answer for this long (a frozen network, a hung server). */
  queryMs: number;
}

/** An API answers within a few seconds or says 503: the bounds of a service's queries. */
export const SERVICE_DATABASE_TIMEOUTS: DatabaseTimeouts = {
  connectMs: 2_000,
  statementMs: 4_000,
  queryMs: 5_000,
};

const UNAVAILABLE_CODES = new Set([
  // Node socket errors.
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // SQLSTATE: query_canceled (statement_timeout), admin_shutdown, crash_shutdown,
  // cannot_connect_now, too_many_connections.
  '57014',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

const UNAVAILABLE_MESSAGES = [
  'timeout exceeded when trying to connect', // pg-pool: connectionTimeoutMillis
  'Query read timeout', // pg: query_timeout
  'Connection terminated', // pg: the socket closed under a query
  'Client has encountered a connection error and is not queryable',
];

/**
 * The database cannot be reached or did not answer in time: asking again later may work. A
 * request that fails so answers 503 with Retry-After, not 500. Pure: looks at code and message.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Not `instanceof Error`: socket errors come from Node's own realm, which a test sandbox is not.
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((known) => message.startsWith(known));
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
  options: {
    logger: { warn(object: object, message: string): void };
    max?: number;
    timeouts?: DatabaseTimeouts;
  },
): OpenDatabase {
  const timeouts = options.timeouts ?? SERVICE_DATABASE_TIMEOUTS;
  const pool = createDatabasePool(() => secrets.get('database'), {
    max: options.max,
    connectionTimeoutMillis: timeouts.connectMs,
    statementTimeoutMs: timeouts.statementMs,
    queryTimeoutMs: timeouts.queryMs,
  });
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

/**
 * Runs `work` (migrations) on a short-lived pool without the request timeouts: a migration may
 * wait for another replica's lock and run long DDL. New connections retry once after a refresh on 28P01.
 */
export async function withMaintenancePool<T>(
  secrets: DatabaseSecretSource,
  work: (pool: Pool) => Promise<T>,
): Promise<T> {
  const pool = createDatabasePool(() => secrets.get('database'), {
    max: 1,
    onAuthenticationFailure: () => secrets.refresh('database'),
  });
  pool.on('error', () => {});
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}
