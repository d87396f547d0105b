import { join } from 'node:path';
import { type ServiceProcess, spawnServiceMain } from '@estate/testing';

/** The backend's src/main.ts as a child process on any free port; `ready` is the port it listens on. */
export function spawnMain(variables: Record<string, string>): ServiceProcess {
  return spawnServiceMain({
    cwd: join(__dirname, '..', '..'),
    env: { PORT: '0', ...variables },
    readyLine: /"port":(\d+),"msg":"listening"/,
  });
}
