import { useRedis } from '@estate/testing';
import { RedisServer } from './redis-server';

export interface IsolatedRedis {
  host: string;
  port: number;
  /** False when the backend shares a server with others (its key prefix `estate:` is fixed). */
  private: boolean;
  /** The private server, to crash and restart (reliability tests); absent when shared. */
  server?: RedisServer;
  cleanup(): Promise<void>;
}

/**
 * The backend's Redis key prefix is fixed (`estate:`), so a key prefix cannot isolate the stack:
 * it gets a redis-server of its own on a free port, persisted (AOF) in a temporary directory so it
 * can be restarted as production's is. Without the binary (a laptop with Docker only),
 * @estate/testing's server is shared and only the test's users are unique.
 */
export async function isolatedRedis(): Promise<IsolatedRedis> {
  let server: RedisServer;
  try {
    server = await RedisServer.start();
  } catch {
    const shared = await useRedis();
    return { host: shared.host, port: shared.port, private: false, cleanup: () => shared.cleanup() };
  }
  return { host: '127.0.0.1', port: server.port, private: true, server, cleanup: () => server.remove() };
}
