import type { DatabaseSecret } from '@estate/secrets/catalog';
import { Pool } from 'pg';

/**
 * A pg Pool for the database secret. Host, port and name are fixed at creation; the password is
 * read from the container for each new connection (pg accepts an async function), so a rotated
 * password needs no restart. TLS verifies against the secret's CA when one is given.
 */
export function createPool(current: () => DatabaseSecret, options: { max?: number } = {}): Pool {
  const secret = current();
  return new Pool({
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
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
}
