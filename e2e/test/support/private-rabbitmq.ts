import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort, isPortOpen } from '@estate/testing';
import { exitOf, registerProcess } from '../../src/stack';

const run = promisify(execFile);

/** The scripts themselves: /usr/sbin/rabbitmq-server would `su` to the rabbitmq user and use its cookie. */
const RABBITMQ_BIN = '/usr/lib/rabbitmq/bin';

export interface QueueCounts {
  /** Ready plus unacknowledged. */
  messages: number;
  ready: number;
  unacked: number;
  consumers: number;
}

/** How a restart takes the node down. */
export type RabbitmqStop = 'stop' | 'kill';

/**
 * A RabbitMQ node of the test's own, for faults the shared broker must not see (other suites use it
 * at the same time): its own node name, AMQP and distribution ports, Erlang cookie (a HOME of its
 * own), configuration, data (mnesia) and log directories in a temporary directory, no plugins. It
 * can be stopped (`rabbitmqctl stop`) or killed (SIGKILL) and started again on the same port with
 * the same data, so durable queues and persistent messages come back. Startup takes about 4-5 s.
 */
export class PrivateRabbitmq {
  private child: ChildProcess | undefined;

  private constructor(
    readonly nodeName: string,
    readonly port: number,
    private readonly dir: string,
    private readonly environment: NodeJS.ProcessEnv,
  ) {}

  /** Whether this machine has the server (`rabbitmq-server` is installed, not only reachable). */
  static available(): boolean {
    return existsSync(join(RABBITMQ_BIN, 'rabbitmq-server'));
  }

  static async start(): Promise<PrivateRabbitmq> {
    const dir = mkdtempSync(join(tmpdir(), 'estate-rabbitmq-'));
    const [port, distPort] = [await freePort(), await freePort()];
    const nodeName = `estate-e2e-${randomBytes(4).toString('hex')}@localhost`;
    // Its own cookie: rabbitmqctl finds it through HOME, and nothing else can talk to the node.
    mkdirSync(join(dir, 'home'));
    writeFileSync(join(dir, 'home', '.erlang.cookie'), randomBytes(16).toString('hex'), { mode: 0o400 });
    writeFileSync(join(dir, 'rabbitmq-env.conf'), '');
    writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
    writeFileSync(join(dir, 'rabbitmq.conf'), `listeners.tcp.local = 127.0.0.1:${port}\n`);
    const environment: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: join(dir, 'home'),
      // Not /etc/rabbitmq's: those name the shared node and its port.
      RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
      RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_NODENAME: nodeName,
      RABBITMQ_NODE_PORT: String(port),
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
      ERL_EPMD_ADDRESS: '127.0.0.1',
      ERL_FLAGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    };
    const node = new PrivateRabbitmq(nodeName, port, dir, environment);
    try {
      await node.start();
    } catch (error) {
      await node.remove();
      throw error;
    }
    return node;
  }

  /** guest is allowed from loopback only, which is where the services connect from. */
  get url(): string {
    return `amqp://guest:guest@127.0.0.1:${this.port}/`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the node (again, with the same data) and resolves once it accepts AMQP connections. */
  async start(timeoutMs = 60_000): Promise<void> {
    if (this.running) return;
    const child = spawn(join(RABBITMQ_BIN, 'rabbitmq-server'), [], {
      env: this.environment,
      stdio: 'ignore',
      // Its own process group, so a kill reaches beam and its port programs too.
      detached: true,
    });
    if (child.pid !== undefined) {
      registerProcess({ pid: child.pid, label: `rabbitmq-server :${this.port}`, group: true }, (listener) =>
        child.once('exit', listener),
      );
    }
    this.child = child;
    let spawnError: Error | undefined;
    child.once('error', (error) => {
      spawnError = error;
    });
    const deadline = Date.now() + timeoutMs;
    // The AMQP listener is the last thing boot starts: once it accepts, the node is up.
    while (Date.now() < deadline) {
      if (spawnError) throw spawnError;
      if (!this.running) throw new Error(`rabbitmq-server exited (logs in ${join(this.dir, 'log')})`);
      if (await isPortOpen(this.port)) return;
      await sleep(100);
    }
    this.killGroup();
    throw new Error(`rabbitmq-server did not listen within ${timeoutMs} ms`);
  }

  /** `rabbitmqctl stop` (connections are closed with CONNECTION_FORCED) or SIGKILL (a crash). */
  async stop(how: RabbitmqStop): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = exitOf(child);
    if (how === 'kill') this.killGroup();
    else await this.ctl(['stop']).catch(() => this.killGroup());
    await exited;
  }

  /** Messages and consumers of every queue of the default vhost, by name. */
  async queues(): Promise<Record<string, QueueCounts>> {
    const out = await this.ctl([
      '-q',
      'list_queues',
      '--no-table-headers',
      'name',
      'messages',
      'messages_ready',
      'messages_unacknowledged',
      'consumers',
    ]);
    const queues: Record<string, QueueCounts> = {};
    for (const line of out.split('\n')) {
      const [name, messages, ready, unacked, consumers] = line.trim().split(/\s+/);
      if (!name || consumers === undefined) continue;
      queues[name] = {
        messages: Number(messages),
        ready: Number(ready),
        unacked: Number(unacked),
        consumers: Number(consumers),
      };
    }
    return queues;
  }

  /** Stops the node and removes its data. */
  async remove(): Promise<void> {
    await this.stop('stop').catch(() => {});
    if (this.running) this.killGroup();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async ctl(args: string[]): Promise<string> {
    const { stdout } = await run(join(RABBITMQ_BIN, 'rabbitmqctl'), ['-n', this.nodeName, ...args], {
      env: this.environment,
      timeout: 30_000,
    });
    return stdout;
  }

  private killGroup(): void {
    try {
      process.kill(-this.child!.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
