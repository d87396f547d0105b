import type { Server } from 'node:http';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { QUEUE_PREFIX } from '@estate/contracts';
import { migrate } from '@estate/db';
import {
  DEFAULT_SHUTDOWN_DEADLINE_MS,
  type DrainOutcome,
  drain,
  openDatabase,
  redisConnection,
  type ShutdownStep,
  withMaintenancePool,
} from '@estate/platform';
import { RuntimeSecretStore } from '@estate/secrets/store';
import type { Express } from 'express';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { MarketUpdatedConsumer } from './events/market-updated-consumer';
import { SummaryQueue } from './queue/summary-queue';
import { type BackendSecrets, createServer, type ServerDeps, type ServerSettings } from './server';

export interface BackendOptions {
  secrets: BackendSecrets;
  /** A leak-guarded logger (createSecretsLogger). */
  logger: Logger;
  registry: Registry;
  /** Prefix of the rate limits' Redis keys. */
  redisKeyPrefix?: string;
  /** BullMQ prefix of the summary queue (default QUEUE_PREFIX, the one the ai-worker reads). */
  queuePrefix?: string;
  /** The integration store's client (default: one configured by the AWS environment, as in a pod). */
  secretsManager?: SecretsManagerClient;
  /** Stands in for the RabbitMQ consumer (tests): when given, no consumer is started. */
  events?: ServerDeps['events'];
  settings?: Partial<ServerSettings>;
}

export interface Backend {
  app: Express;
  deps: ServerDeps;
  /** Listens on `port` (0: any) and logs the port. */
  listen(port: number): Promise<Server>;
  /** What a shutdown closes, in order: server, consumer, queue, Redis, pool (the secrets are the caller's). */
  shutdownSteps(): ShutdownStep[];
  /** Drains shutdownSteps() within the default deadline (tests). */
  close(): Promise<DrainOutcome>;
}

/**
 * The backend's composition root, called by main.ts and by the tests: the pool (migrated), the
 * Redis client of the rate limits, the summary queue, the market.updated consumer and the express
 * app. Whatever opened before a failure is closed again.
 */
export async function createBackend(options: BackendOptions): Promise<Backend> {
  const { secrets, logger } = options;
  const keyPrefix = options.redisKeyPrefix ?? 'estate:';
  // Filled as things open; drained in reverse, so the server closes first and the pool last.
  const steps: ShutdownStep[] = [];
  try {
    const database = openDatabase(secrets, { logger });
    steps.unshift({ name: 'database', close: database.close, timeoutMs: 1_000 });
    await withMaintenancePool(secrets, (pool) => migrate(pool, { logger }));

    const redisOptions = redisConnection(secrets.get('redis'));
    // A Redis that stops answering without closing (frozen) fails each command after 2 s.
    const redis = new Redis({
      ...redisOptions,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      commandTimeout: 2_000,
    });
    redis.on('error', (error) => logger.warn({ err: error }, 'redis error'));
    steps.unshift({ name: 'redis', close: () => redis.disconnect() });
    await whenReady(redis, 10_000);
    // A producer only (nothing blocking): it fails fast while Redis is away (503), see SummaryQueue.
    const summaries = new SummaryQueue(redisOptions, options.queuePrefix ?? QUEUE_PREFIX);
    steps.unshift({ name: 'queue', close: () => summaries.close(), timeoutMs: 1_000 });

    let events = options.events;
    if (!events) {
      const consumer = new MarketUpdatedConsumer({
        url: () => secrets.get('rabbitmq').url,
        enqueue: (jobs) => summaries.enqueueMany(jobs),
        logger,
      });
      steps.unshift({ name: 'consumer', close: () => consumer.stop(), timeoutMs: 2_000 });
      // A broker outage at startup must not crash-loop the pod: it connects when the broker is back.
      await consumer.startOrRetry();
      events = consumer;
    }

    const integrations = new RuntimeSecretStore({
      env: secrets.env,
      client: options.secretsManager ?? new SecretsManagerClient({}),
      logger,
    });
    const deps: ServerDeps = {
      secrets,
      db: database.db,
      redis,
      redisKeyPrefix: keyPrefix,
      summaries,
      integrations,
      events,
      logger,
      registry: options.registry,
      settings: options.settings,
    };
    const app = createServer(deps);
    const listen = async (port: number): Promise<Server> => {
      const server = await listening(app, port);
      logger.info({ port: (server.address() as { port: number }).port }, 'listening');
      // Stops accepting, lets in-flight requests finish; idle keep-alive sockets are closed now.
      steps.unshift({
        name: 'server',
        close: () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          }),
      });
      return server;
    };
    return {
      app,
      deps,
      listen,
      shutdownSteps: () => [...steps],
      close: () => drain(steps, { deadlineMs: DEFAULT_SHUTDOWN_DEADLINE_MS, logger }),
    };
  } catch (error) {
    await drain(steps, { deadlineMs: DEFAULT_SHUTDOWN_DEADLINE_MS, logger });
    throw error;
  }
}

function whenReady(redis: Redis, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Redis did not become ready within ${timeoutMs / 1_000} s`)),
      timeoutMs,
    );
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function listening(app: Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}
