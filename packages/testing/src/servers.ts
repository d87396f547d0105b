import { existsSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';

/**
 * Where the suite's PostgreSQL, Redis and RabbitMQ come from: containers when a Docker engine
 * answers (laptops, hosted CI), otherwise the servers already running on 127.0.0.1 (this
 * machine and its CI). `ESTATE_TEST_SERVERS=local|containers` forces one.
 */
export type ServerMode = 'containers' | 'local';

export interface LocalServer {
  name: 'PostgreSQL' | 'Redis' | 'RabbitMQ';
  port: number;
  /** The command that starts it on a machine of this kind (docs/architecture.md, Tests). */
  start: string;
}

export const LOCAL_SERVERS = {
  postgres: {
    name: 'PostgreSQL',
    port: 5432,
    start: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
  },
  redis: {
    name: 'Redis',
    port: 6379,
    start:
      'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log',
  },
  rabbitmq: { name: 'RabbitMQ', port: 5672, start: 'rabbitmq-server -detached' },
} as const satisfies Record<string, LocalServer>;

/** The one-line error a suite fails with when neither Docker nor a local server answers. */
export class TestServerUnavailableError extends Error {
  constructor(server: LocalServer) {
    super(
      `${server.name} is not reachable at 127.0.0.1:${server.port} and no Docker engine answers: start it with \`${server.start}\` (or start Docker)`,
    );
    this.name = 'TestServerUnavailableError';
  }
}

/** A port nothing listens on right now (the OS picks it; a small race remains until the caller binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function dockerAnswers(): Promise<boolean> {
  const configured = process.env.DOCKER_HOST !== undefined || existsSync('/var/run/docker.sock');
  if (!configured) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await Promise.race([
      getContainerRuntimeClient(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('docker probe timed out')), 5_000).unref(),
      ),
    ]);
    return true;
  } catch {
    return false;
  }
}

let mode: Promise<ServerMode> | undefined;

export function serverMode(): Promise<ServerMode> {
  mode ??= (async () => {
    const forced = process.env.ESTATE_TEST_SERVERS;
    if (forced === 'local' || forced === 'containers') return forced;
    if (forced !== undefined) {
      throw new Error(`ESTATE_TEST_SERVERS must be "local" or "containers" (got "${forced}")`);
    }
    return (await dockerAnswers()) ? 'containers' : 'local';
  })();
  return mode;
}

export async function requireLocal(server: LocalServer): Promise<void> {
  if (!(await isPortOpen(server.port))) throw new TestServerUnavailableError(server);
}
