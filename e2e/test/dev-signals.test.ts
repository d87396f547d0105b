import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, isPortOpen } from '@estate/testing';
import { exitOf, isAlive } from '../src/stack';

/**
 * Issue 13: `npm run dev` stops everything it started when a signal reaches npm (what an IDE, a
 * process manager or a script sends), the whole foreground process group (a terminal's Ctrl-C) or
 * dev itself. Each case runs the README's own command, `npm run dev`, on free ports with its own
 * .dev folder, waits until both services are ready, signals, and then checks that every process
 * of the tree is gone and no port it listened on is open.
 */
const ROOT = resolve(__dirname, '..', '..');
const STOP_BOUND_MS = 30_000;

type Target = 'npm' | 'group' | 'dev';

interface DevRun {
  npm: ChildProcess;
  ports: number[];
  output: string[];
  dir: string;
}

async function startDev(): Promise<DevRun> {
  const dir = mkdtempSync(join(tmpdir(), 'estate-dev-signals-'));
  const [secrets, openai, rone, molit, backend, aiWorker] = await Promise.all(
    Array.from({ length: 6 }, () => freePort()),
  );
  const npm = spawn('npm', ['run', '--silent', 'dev'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ESTATE_DEV_DIR: dir,
      ESTATE_SECRETS_PORT: String(secrets),
      ESTATE_OPENAI_PORT: String(openai),
      ESTATE_RONE_PORT: String(rone),
      ESTATE_MOLIT_PORT: String(molit),
      PORT: String(backend),
      HEALTH_PORT: String(aiWorker),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, as a terminal would give it, so the group case can signal all of it.
    detached: true,
  });
  const output: string[] = [];
  for (const stream of [npm.stdout!, npm.stderr!]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => output.push(...chunk.split('\n').filter(Boolean)));
  }
  return { npm, ports: [secrets!, openai!, rone!, molit!, backend!, aiWorker!], output, dir };
}

/** Every process below `pid` (children, grandchildren, ...), read from /proc. */
function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // The command name (field 2) may hold spaces and parentheses: fields after the last ')'.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const child of children.get(parent) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

describe('npm run dev stops everything it started', () => {
  let run: DevRun | undefined;

  afterEach(() => {
    if (!run) return;
    // Whatever a failed case left: the group, then any descendant that changed group.
    for (const pid of [...descendantsOf(run.npm.pid!), run.npm.pid!]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
    rmSync(run.dir, { recursive: true, force: true });
    run = undefined;
  });

  test.each<[NodeJS.Signals, Target]>([
    ['SIGTERM', 'npm'],
    ['SIGINT', 'npm'],
    ['SIGINT', 'group'],
    ['SIGTERM', 'dev'],
  ])('%s to %s', async (signal, target) => {
    run = await startDev();
    const { npm, ports, output } = run;
    const exited = exitOf(npm);
    const tail = () => output.slice(-40).join('\n');
    await waitFor(
      () => output.some((line) => line.includes('ready: backend')) || npm.exitCode !== null,
      120_000,
      'both services ready',
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${tail()}`);
    });
    if (npm.exitCode !== null)
      throw new Error(`npm run dev exited ${npm.exitCode} while starting\n${tail()}`);

    const tree = descendantsOf(npm.pid!);
    const dev = tree.find((pid) => commandOf(pid).includes('scripts/dev.ts'));
    expect(dev).toBeDefined();
    // Below npm: dev (the endpoint and the stand-ins run inside it), backend, ai-worker, maybe the ETL.
    expect(tree.filter((pid) => commandOf(pid).includes('src/main.ts')).length).toBeGreaterThanOrEqual(2);
    for (const port of ports) expect(await isPortOpen(port)).toBe(true);

    if (target === 'npm') process.kill(npm.pid!, signal);
    else if (target === 'group') process.kill(-npm.pid!, signal);
    else process.kill(dev!, signal);

    await waitFor(
      () => npm.exitCode !== null || npm.signalCode !== null,
      STOP_BOUND_MS,
      `exit after ${signal}`,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${tail()}`);
    });
    await exited;
    const survivors = tree
      .filter(isAlive)
      .map((pid) => `${pid} ${commandOf(pid)} ${readFileSync(`/proc/${pid}/stat`, 'utf8')}`);
    expect(survivors).toEqual([]);
    for (const port of ports) expect({ port, open: await isPortOpen(port) }).toEqual({ port, open: false });
    expect(output.join('\n')).toContain(`${signal}: stopping`);
  });
});
