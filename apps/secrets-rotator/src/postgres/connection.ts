import { Client } from 'pg';
import type { SecretObject } from '../secret-versions';

export interface PostgresCredentials {
  host: string;
  port: number;
  dbname: string;
  username: string;
  password: string;
  ssl?: { ca: string; rejectUnauthorized?: boolean };
}

/** Reads the connection fields of a database secret value (DatabaseSecret: host, port, dbname, username, password, ssl?). */
export function credentialsOf(value: SecretObject): PostgresCredentials {
  return {
    host: String(value.host),
    port: Number(value.port),
    dbname: String(value.dbname),
    username: String(value.username),
    password: String(value.password),
    ssl: value.ssl as PostgresCredentials['ssl'],
  };
}

/** A connected client, or the driver's error (its `code` is a SQLSTATE or a network error code). */
export async function connect(credentials: PostgresCredentials, timeoutMs: number): Promise<Client> {
  const client = new Client({
    host: credentials.host,
    port: credentials.port,
    database: credentials.dbname,
    user: credentials.username,
    password: credentials.password,
    connectionTimeoutMillis: timeoutMs,
    application_name: 'estate-secrets-rotator',
    ssl: credentials.ssl
      ? {
          ca: Buffer.from(credentials.ssl.ca, 'base64').toString('utf8'),
          rejectUnauthorized: credentials.ssl.rejectUnauthorized ?? true,
        }
      : undefined,
  });
  // An error after connect (server shutdown) must not crash the process; the next query reports it.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return client;
}

/** The SQLSTATE or network code of a driver error, e.g. '28P01' or 'ECONNREFUSED'. */
export function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  // A connection timeout in pg is a plain Error.
  return /timeout/i.test((error as Error | undefined)?.message ?? '') ? 'ETIMEDOUT' : undefined;
}

/** 28xxx: the server answered and refused the credentials (wrong password, no pg_hba entry). */
export function isAuthenticationFailure(code: string | undefined): boolean {
  return code?.startsWith('28') === true;
}
