import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@estate/testing';
import { exitOf, registerProcess, stopChild } from '../../src/stack';

/** How a restart takes the server down. */
export type RedisStop = 'kill' | 'shutdown-nosave';

/**
 * A `redis-server` of the test's own, on a free port, that can be crashed and started again on the
 * same port with the same data directory, as a Redis pod is. Persistence is on, as production Redis
 * under BullMQ must have it (a restart without it loses every queued job):
 *
 * - `appendonly yes`: every write goes to the append-only file before the client gets its reply
 *   (Redis writes the AOF buffer before it sends replies, in the same event-loop turn), so a killed
 *   process loses nothing it acknowledged; the OS holds what is not fsynced yet.
 * - `appendfsync everysec`, not `always`: `always` adds an fsync to every BullMQ script call and only
 *   protects against a host crash or power loss (up to ~1 s of writes), which a process restart is
 *   not. everysec is what Redis and BullMQ recommend for queues.
 * - `save ""`: no RDB snapshots besides the AOF (its rewrites use an RDB preamble anyway).
 */
export class RedisServer {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    /** The working directory: `appendonlydir/` and `redis.log`. */
    readonly dir: string,
  ) {}

  /** Starts one on a free port with a fresh data directory; throws when `redis-server` cannot run. */
  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), mkdtempSync(join(tmpdir(), 'estate-redis-')));
    try {
      await server.start();
    } catch (error) {
      rmSync(server.dir, { recursive: true, force: true });
      throw error;
    }
    return server;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process (again) and resolves once it answers PING, i.e. once the AOF is loaded. */
  async start(timeoutMs = 10_000): Promise<void> {
    if (this.running) return;
    const child = spawn(
      'redis-server',
      [
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--protected-mode', 'no'],
        ...['--dir', this.dir, '--logfile', 'redis.log'],
        ...['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
      ],
      { stdio: 'ignore' },
    );
    if (child.pid !== undefined) {
      registerProcess({ pid: child.pid, label: `redis-server :${this.port}`, group: false }, (listener) =>
        child.once('exit', listener),
      );
    }
    this.child = child;
    let spawnError: Error | undefined;
    child.once('error', (error) => {
      spawnError = error;
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (spawnError) throw spawnError;
      if (!this.running) throw new Error(`redis-server exited (see ${join(this.dir, 'redis.log')})`);
      // While it loads the AOF it accepts connections but answers -LOADING.
      if ((await ping(this.port)) === '+PONG') return;
      await sleep(50);
    }
    await stopChild(child, 1_000);
    throw new Error(`redis-server did not answer PING within ${timeoutMs} ms`);
  }

  /** Takes it down: SIGKILL (a crash: nothing flushed beyond what every write already did) or SHUTDOWN NOSAVE. */
  async stop(how: RedisStop): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = exitOf(child);
    if (how === 'kill') child.kill('SIGKILL');
    else await command(this.port, 'SHUTDOWN NOSAVE').catch(() => child.kill('SIGKILL'));
    await exited;
  }

  /** Stops the process (SIGTERM) and removes its data. */
  async remove(): Promise<void> {
    if (this.child) await stopChild(this.child, 5_000);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The first line of the answer to PING, or undefined when nothing answers. */
async function ping(port: number): Promise<string | undefined> {
  return command(port, 'PING').catch(() => undefined);
}

/** One inline command over a raw socket; resolves with the first reply line (or on close, for SHUTDOWN). */
function command(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    socket.setTimeout(1_000, () => {
      socket.destroy();
      reject(new Error('timed out'));
    });
    socket.once('error', reject);
    socket.once('connect', () => socket.write(`${line}\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.split('\r\n')[0]!);
      }
    });
    socket.once('close', () => resolve(reply.split('\r\n')[0] ?? ''));
  });
}
