import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Resolves with the health port once the worker logged that it started. */
  started: Promise<number>;
}

/** src/main.ts as a child process, configured only through its environment, as in a pod. */
export function spawnWorker(variables: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--conditions=estate-source', '--import', 'tsx', 'src/main.ts'], {
    cwd: join(__dirname, '..', '..'),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HEALTH_PORT: '0',
      ...variables,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let onStarted: (port: number) => void = () => {};
  const started = new Promise<number>((resolve) => {
    onStarted = resolve;
  });
  const collect = (chunk: Buffer) => {
    output += chunk;
    const match = /"port":(\d+)[^\n]*"msg":"worker started"/.exec(output);
    if (match) onStarted(Number(match[1]));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited, started };
}

/** Rejects when `promise` takes longer than `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms).unref(),
    ),
  ]);
}
