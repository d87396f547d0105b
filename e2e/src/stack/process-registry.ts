import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where launched processes are recorded while a test run lasts: a folder of `<pid>` files, set by
 * the e2e suite's global setup. Jest runs test files in worker processes, so an in-memory list
 * could not be checked by the global teardown, which runs in the parent.
 */
export const PROCESS_REGISTRY_VARIABLE = 'ESTATE_E2E_PROCESS_REGISTRY';

export interface LaunchedProcess {
  pid: number;
  /** What it is, e.g. `backend (apps/backend/src/main.ts)`. */
  label: string;
  /** Signalled as a process group (detached) or as one process. */
  group: boolean;
}

/** Records a launched process until it exits (no-op outside a registered test run). */
export function registerProcess(launched: LaunchedProcess, onExit: (listener: () => void) => void): void {
  const directory = process.env[PROCESS_REGISTRY_VARIABLE];
  if (!directory) return;
  const file = join(directory, String(launched.pid));
  mkdirSync(directory, { recursive: true });
  writeFileSync(file, JSON.stringify(launched));
  onExit(() => rmSync(file, { force: true }));
}

/** The recorded processes that are still alive. */
export function survivingProcesses(directory: string): LaunchedProcess[] {
  let files: string[];
  try {
    files = readdirSync(directory);
  } catch {
    return [];
  }
  return files
    .map((file) => JSON.parse(readFileSync(join(directory, file), 'utf8')) as LaunchedProcess)
    .filter((launched) => isAlive(launched.pid));
}

/** SIGKILL to each survivor (its group when it has one). */
export function killProcesses(launched: LaunchedProcess[]): void {
  for (const { pid, group } of launched) {
    try {
      process.kill(group ? -pid : pid, 'SIGKILL');
    } catch {
      // Gone in the meantime.
    }
  }
}

/**
 * Running, not a zombie (/proc where there is one; signal 0 elsewhere): a process that exits as its
 * parent does is reaped by init a moment later.
 */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.charAt(stat.lastIndexOf(')') + 2));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && existsSync('/proc/self')) return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
