import { Client } from 'pg';

export interface DatabaseSettings {
  host: string;
  port: number;
  dbname: string;
  username: string;
  password: string;
}

/** Creates the secret's database when it does not exist yet (the services migrate it themselves). */
export async function ensureDatabase(settings: DatabaseSettings): Promise<boolean> {
  const client = new Client({
    host: settings.host,
    port: settings.port,
    user: settings.username,
    password: settings.password,
    database: 'postgres',
    connectionTimeoutMillis: 5_000,
  });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [settings.dbname]);
    if (found.rowCount !== 0) return false;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(settings.dbname)}`);
    return true;
  } finally {
    await client.end();
  }
}
