import { type ChildProcess, spawn } from 'node:child_process';

export interface ServiceProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr together. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Resolves with the port once the service logged the line that says it serves. */
  ready: Promise<number>;
}

/**
 * A service's src/main.ts as a child process from source, configured only through its
 * environment, as in a pod. `readyLine` matches the log line that announces the port (group 1).
 */
export function spawnServiceMain(options: {
  cwd: string;
  env: Record<string, string>;
  readyLine: RegExp;
}): ServiceProcess {
  const child = spawn(process.execPath, ['--conditions=estate-source', '--import', 'tsx', 'src/main.ts'], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let onReady: (port: number) => void = () => {};
  const ready = new Promise<number>((resolve) => {
    onReady = resolve;
  });
  const collect = (chunk: Buffer) => {
    output += chunk;
    const match = options.readyLine.exec(output);
    if (match) onReady(Number(match[1]));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited, ready };
}

/** Sends SIGTERM and waits for the exit (rejects after `withinMs`): the code, how long it took, what it printed. */
export async function sigtermAndWait(
  run: ServiceProcess,
  withinMs: number,
): Promise<{ code: number | null; elapsedMs: number; output: string }> {
  const sentAt = performance.now();
  run.child.kill('SIGTERM');
  const code = await within(run.exited, withinMs, 'shutdown');
  return { code, elapsedMs: performance.now() - sentAt, output: run.output() };
}

/** Rejects when `promise` takes longer than `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
