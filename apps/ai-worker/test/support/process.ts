import { join } from 'node:path';
import { type ServiceProcess, spawnServiceMain } from '@estate/testing';

/** The ai-worker's src/main.ts as a child process; `ready` is its health port once it started. */
export function spawnWorker(variables: Record<string, string>): ServiceProcess {
  return spawnServiceMain({
    cwd: join(__dirname, '..', '..'),
    env: { HEALTH_PORT: '0', ...variables },
    readyLine: /"port":(\d+)[^\n]*"msg":"worker started"/,
  });
}
