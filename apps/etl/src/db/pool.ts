import type { DatabaseSecret } from '@estate/secrets/catalog';
import { Pool } from 'pg';

/**
 * A pg Pool for the database secret. The password is read from the secrets container for every
 * new connection (pg accepts an async function), so a rotation needs no restart.
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
    max: options.max ?? 4,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'estate-etl',
  });
}
