import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from './servers';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of its own, with password authentication (docs/architecture.md, Tests: the shared
 * server on 5432 trusts local connections, so a wrong password would still get in there).
 * initdb --auth=scram-sha-256 in a temporary directory, on a free port, as the postgres user
 * when running as root (initdb refuses root). Every statement is logged, so a test can check
 * what reached the server.
 */
export interface PrivateCluster {
  host: string;
  port: number;
  superuser: { username: string; password: string };
  /** Stops the server (fast shutdown); `start()` brings it back on the same port and data. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** The server log so far. */
  log(): string;
  /** A client as the superuser on database `postgres`. */
  admin(): Promise<Client>;
  /** Stops the server and removes the directory; safe to call more than once. */
  remove(): Promise<void>;
}

export class InitdbUnavailableError extends Error {
  constructor() {
    super(
      'initdb was not found under /usr/lib/postgresql/*/bin: tests of password authentication need the PostgreSQL server binaries (apt-get install postgresql) to start a private cluster with scram-sha-256',
    );
    this.name = 'InitdbUnavailableError';
  }
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions
    .map((version) => join(root, version, 'bin'))
    .find((dir) => existsSync(join(dir, 'initdb')));
  if (!found) throw new InitdbUnavailableError();
  return found;
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'estate-private-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const password = randomBytes(18).toString('base64url');
  writeFileSync(join(dir, 'pwfile'), `${password}\n`, { mode: 0o600 });
  if (asRoot) {
    const { uid, gid } = await postgresIds();
    chownSync(dir, uid, gid);
    chownSync(join(dir, 'pwfile'), uid, gid);
  }
  const exec = (command: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args], { timeout: 60_000 })
      : run(join(bin, command), args, { timeout: 60_000 });
  const port = await freePort();
  let removed = false;
  const cluster: PrivateCluster = {
    host: '127.0.0.1',
    port,
    superuser: { username: 'postgres', password },
    start: async () => {
      await exec('pg_ctl', [
        '-D',
        data,
        '-l',
        logFile,
        '-w',
        '-t',
        '30',
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c log_statement=all -c fsync=off`,
        'start',
      ]);
    },
    stop: async () => {
      await exec('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    admin: async () => {
      const client = new Client({
        host: '127.0.0.1',
        port,
        user: 'postgres',
        password,
        database: 'postgres',
      });
      await client.connect();
      return client;
    },
    remove: async () => {
      if (removed) return;
      removed = true;
      await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await exec('initdb', [
      '-D',
      data,
      '--auth=scram-sha-256',
      '--username=postgres',
      `--pwfile=${join(dir, 'pwfile')}`,
      '--no-sync',
    ]);
    await cluster.start();
  } catch (error) {
    await cluster.remove();
    throw error;
  }
  return cluster;
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
    run('id', ['-u', 'postgres']),
    run('id', ['-g', 'postgres']),
  ]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}
