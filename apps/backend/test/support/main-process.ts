import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface MainProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Resolves with the port once main.ts logged that it listens. */
  listening: Promise<number>;
}

/** src/main.ts as a child process, configured only through its environment, as in a pod. */
export function spawnMain(variables: Record<string, string>): MainProcess {
  const child = spawn(process.execPath, ['--conditions=estate-source', '--import', 'tsx', 'src/main.ts'], {
    cwd: join(__dirname, '..', '..'),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', ...variables },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let onListening: (port: number) => void = () => {};
  const listening = new Promise<number>((resolve) => {
    onListening = resolve;
  });
  const collect = (chunk: Buffer) => {
    output += chunk;
    const match = /"port":(\d+),"msg":"listening"/.exec(output);
    if (match) onListening(Number(match[1]));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited, listening };
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
