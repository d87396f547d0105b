import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  killProcesses,
  PROCESS_REGISTRY_VARIABLE,
  survivingProcesses,
} from '../../src/stack/process-registry';

/**
 * Fails the run when a process a test launched is still alive: a leftover backend or broker holds
 * ports and connections into the next run and hides a shutdown bug. Survivors are killed first, so
 * a failed run still leaves nothing behind.
 */
export default async function globalTeardown(): Promise<void> {
  const directory = process.env[PROCESS_REGISTRY_VARIABLE];
  if (!directory) return;
  // A process stopped by the last test may still be exiting: give it a moment, then judge.
  let survivors = survivingProcesses(directory);
  for (let waited = 0; survivors.length > 0 && waited < 5_000; waited += 100) {
    await sleep(100);
    survivors = survivingProcesses(directory);
  }
  killProcesses(survivors);
  rmSync(directory, { recursive: true, force: true });
  if (survivors.length > 0) {
    throw new Error(
      `processes started by the e2e tests outlived them (killed now): ${survivors
        .map((launched) => `${launched.label} pid ${launched.pid}`)
        .join(', ')}`,
    );
  }
}
