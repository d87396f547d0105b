import type { StartOptions } from '@estate/secrets-local';
import { type PostgresTarget, usePostgres } from './postgres';
import { type RabbitmqTarget, useRabbitmq } from './rabbitmq';
import { type RedisTarget, useRedis } from './redis';
import { type SecretsEndpointTarget, useSecretsEndpoint } from './secrets';

export interface TestEnvironment {
  postgres: PostgresTarget;
  redis: RedisTarget;
  rabbitmq: RabbitmqTarget;
  secrets: SecretsEndpointTarget;
  /** Removes everything the environment made; safe to call once from afterAll. */
  cleanup(): Promise<void>;
}

/**
 * Everything one suite needs, each part isolated (own database, key prefix, vhost, endpoint).
 * What started before a failure is cleaned up before the error is rethrown.
 */
export async function useTestEnvironment(options: { secrets?: StartOptions } = {}): Promise<TestEnvironment> {
  const started: Array<{ cleanup(): Promise<void> }> = [];
  const track = async <T extends { cleanup(): Promise<void> }>(part: Promise<T>): Promise<T> => {
    const value = await part;
    started.push(value);
    return value;
  };
  const cleanup = async () => {
    const results = await Promise.allSettled(started.splice(0).map((part) => part.cleanup()));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  };
  try {
    const [postgres, redis, rabbitmq, secrets] = await Promise.all([
      track(usePostgres()),
      track(useRedis()),
      track(useRabbitmq()),
      track(useSecretsEndpoint(options.secrets)),
    ]);
    return { postgres, redis, rabbitmq, secrets, cleanup };
  } catch (error) {
    await cleanup().catch(() => {});
    throw error;
  }
}
