import { Client, Pool } from 'pg';
import { uniqueName } from './ids';
import { LOCAL_SERVERS, requireLocal, serverMode } from './servers';

export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  /** A database created for this suite alone. */
  database: string;
  connectionString: string;
  /** Drops the suite's database (and stops the container, if one was started). */
  cleanup(): Promise<void>;
}

/**
 * A pool on a suite's own database. Cleanup drops that database WITH (FORCE), which ends the
 * pool's idle connections: without a listener that 'error' would crash the test run.
 */
export function suitePool(connectionString: string, max = 4): Pool {
  const pool = new Pool({ connectionString, max });
  pool.on('error', () => {});
  return pool;
}

interface Server {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  stop(): Promise<void>;
}

async function startServer(): Promise<Server> {
  if ((await serverMode()) === 'local') {
    await requireLocal(LOCAL_SERVERS.postgres);
    return { host: '127.0.0.1', port: 5432, user: 'postgres', password: undefined, stop: async () => {} };
  }
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:15-alpine').start();
  return {
    host: container.getHost(),
    port: container.getPort(),
    user: container.getUsername(),
    password: container.getPassword(),
    stop: async () => {
      await container.stop();
    },
  };
}

function urlOf(server: Server, database: string): string {
  const url = new URL(`postgresql://${server.host}:${server.port}/${database}`);
  url.username = server.user;
  if (server.password !== undefined) url.password = server.password;
  return url.toString();
}

/** A fresh PostgreSQL database for one suite; `cleanup()` drops it even if connections remain. */
export async function usePostgres(): Promise<PostgresTarget> {
  const server = await startServer();
  const database = uniqueName();
  const admin = new Client({ connectionString: urlOf(server, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  return {
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    database,
    connectionString: urlOf(server, database),
    cleanup: async () => {
      const client = new Client({ connectionString: urlOf(server, 'postgres') });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
      await server.stop();
    },
  };
}
