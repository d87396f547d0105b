import Redis from 'ioredis';
import { uniqueName } from './ids';
import { LOCAL_SERVERS, requireLocal, serverMode } from './servers';

export interface RedisTarget {
  host: string;
  port: number;
  /** Every key the suite writes starts with this (pass it as ioredis keyPrefix or BullMQ prefix). */
  keyPrefix: string;
  /** Deletes every key under the prefix (and stops the container, if one was started). */
  cleanup(): Promise<void>;
}

/** Redis for one suite, isolated by key prefix (BullMQ needs db 0 and prefixes, not db indexes). */
export async function useRedis(): Promise<RedisTarget> {
  let host = '127.0.0.1';
  let port = 6379;
  let stop = async () => {};
  if ((await serverMode()) === 'local') {
    await requireLocal(LOCAL_SERVERS.redis);
  } else {
    const { RedisContainer } = await import('@testcontainers/redis');
    const container = await new RedisContainer('redis:7-alpine').start();
    host = container.getHost();
    port = container.getPort();
    stop = async () => {
      await container.stop();
    };
  }
  const keyPrefix = `${uniqueName('estate-test')}:`;
  return {
    host,
    port,
    keyPrefix,
    cleanup: async () => {
      const client = new Redis({ host, port, lazyConnect: true, maxRetriesPerRequest: 1 });
      await client.connect();
      try {
        let cursor = '0';
        do {
          const [next, keys] = await client.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
          cursor = next;
          if (keys.length > 0) await client.unlink(...keys);
        } while (cursor !== '0');
      } finally {
        client.disconnect();
      }
      await stop();
    },
  };
}
