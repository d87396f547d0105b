import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPortOpen, useRedis } from '@estate/testing';
import { freePort, stopChild } from '../../src/stack';

export interface IsolatedRedis {
  host: string;
  port: number;
  /** False when the backend shares a server with others (its key prefix `estate:` is fixed). */
  private: boolean;
  cleanup(): Promise<void>;
}

/**
 * The backend's Redis key prefix is fixed (`estate:`), so a key prefix cannot isolate the stack:
 * it gets a redis-server of its own on a free port (cheap, nothing persisted). Without the binary
 * (a laptop with Docker only), @estate/testing's server is shared and only the test's users are unique.
 */
export async function isolatedRedis(): Promise<IsolatedRedis> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'no',
    ],
    { stdio: 'ignore' },
  );
  let spawnFailed = false;
  child.once('error', () => {
    spawnFailed = true;
  });
  for (let attempt = 0; attempt < 50 && !spawnFailed; attempt += 1) {
    await sleep(100);
    if (await isPortOpen(port)) {
      return {
        host: '127.0.0.1',
        port,
        private: true,
        cleanup: async () => void (await stopChild(child, 5_000)),
      };
    }
  }
  if (!spawnFailed) await stopChild(child, 1_000);
  const shared = await useRedis();
  return { host: shared.host, port: shared.port, private: false, cleanup: () => shared.cleanup() };
}
