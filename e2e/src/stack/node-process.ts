import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { type OutputSink, prefixLines } from './output';
import { registerProcess } from './process-registry';

const EXIT_WITH_PARENT = join(__dirname, 'exit-with-parent.cjs');

/** Runs a workspace TypeScript entry point from source, as the apps' `start` scripts do. */
export function spawnFromSource(options: {
  root: string;
  service: string;
  entry: string;
  args?: string[];
  env: NodeJS.ProcessEnv;
  output: OutputSink;
}): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      '--conditions=estate-source',
      '--require',
      EXIT_WITH_PARENT,
      '--import',
      'tsx',
      join(options.root, options.entry),
      ...(options.args ?? []),
    ],
    {
      cwd: options.root,
      env: options.env,
      // The IPC channel is how the child notices that the launcher died (exit-with-parent.cjs).
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Its own process group: a terminal's Ctrl-C reaches only the launcher, which stops each
      // child with SIGTERM (the services' graceful shutdown) instead of SIGINT killing them mid-request.
      detached: true,
    },
  );
  child.channel?.unref();
  if (child.pid !== undefined) {
    registerProcess(
      { pid: child.pid, label: `${options.service} (${options.entry})`, group: true },
      (listener) => child.once('exit', listener),
    );
  }
  prefixLines(child.stdout!, options.service, options.output);
  prefixLines(child.stderr!, options.service, options.output);
  return child;
}

/** The exit code (a signal counts as 1), once the child has exited. */
export function exitOf(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(1);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves with the exit code. */
export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<number> {
  const exited = exitOf(child);
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}
