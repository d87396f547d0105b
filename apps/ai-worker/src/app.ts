import type { Server } from 'node:http';
import { migrate } from '@estate/db';
import {
  type Database,
  DEFAULT_SHUTDOWN_DEADLINE_MS,
  type DrainOutcome,
  drain,
  openDatabase,
  redisConnection,
  type ShutdownStep,
  withMaintenancePool,
} from '@estate/platform';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createHealthServer } from './health/health-server';
import type { OpenAIClientFactory } from './openai/summary-model';
import type { WorkerSettings } from './settings';
import type { AiWorkerSecrets } from './types';
import { createSummaryWorker, type SummaryWorker } from './worker';

export interface AiWorkerOptions {
  secrets: AiWorkerSecrets;
  /** A leak-guarded logger (createSecretsLogger). */
  logger: Logger;
  registry: Registry;
  /** BullMQ's timings default to the worker's (30 s each). */
  settings: Pick<WorkerSettings, 'queuePrefix'> &
    Partial<Pick<WorkerSettings, 'lockDurationMs' | 'stalledIntervalMs'>>;
  createOpenAIClient?: OpenAIClientFactory;
}

export interface AiWorker {
  summaries: SummaryWorker;
  db: Database;
  /** Starts the health server (/healthz, /readyz, /metrics) on `port` (0: any) and logs the port. */
  listen(port: number): Promise<Server>;
  /** What a shutdown closes, in order: worker (running jobs), health server, Redis, pool (the secrets are the caller's). */
  shutdownSteps(): ShutdownStep[];
  /** Drains shutdownSteps() within the default deadline (tests). */
  close(): Promise<DrainOutcome>;
}

/**
 * The ai-worker's composition root, called by main.ts and by the tests: the pool (migrated), a
 * Redis client for /readyz, the BullMQ worker and the health server. Whatever opened before a
 * failure is closed again.
 */
export async function createAiWorker(options: AiWorkerOptions): Promise<AiWorker> {
  const { secrets, logger, registry, settings } = options;
  // Filled as things open; drained in reverse, so the worker stops first and the pool closes last.
  const steps: ShutdownStep[] = [];
  try {
    const database = openDatabase(secrets, { logger, max: secrets.param('concurrency') + 2 });
    steps.unshift({ name: 'database', close: database.close, timeoutMs: 1_000 });
    await withMaintenancePool(secrets, (pool) => migrate(pool, { logger }));

    const redisOptions = redisConnection(secrets.get('redis'));
    // For /readyz only: fails fast instead of queueing commands while Redis is away.
    const redis = new Redis({
      ...redisOptions,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      lazyConnect: true,
    });
    redis.on('error', () => {});
    steps.unshift({ name: 'redis', close: () => redis.disconnect() });
    await redis.connect();

    const summaries = createSummaryWorker({
      secrets,
      db: database.db,
      connection: { ...redisOptions, maxRetriesPerRequest: null },
      prefix: settings.queuePrefix,
      logger,
      registry,
      lockDurationMs: settings.lockDurationMs,
      stalledIntervalMs: settings.stalledIntervalMs,
      createOpenAIClient: options.createOpenAIClient,
    });
    // No bound of its own: running jobs may take what the deadline leaves. BullMQ's close waits
    // on Redis, so it is the step a Redis outage leaves abandoned (the job's lock then lapses).
    steps.unshift({ name: 'worker', close: () => summaries.close() });
    await summaries.worker.waitUntilReady();

    const health = createHealthServer({
      checks: {
        redis: () => redis.ping(),
        database: () => database.db.ping(),
        worker: async () => {
          if (!summaries.worker.isRunning()) throw new Error('worker is not running');
        },
      },
      secrets,
      registry,
    });
    const listen = async (port: number): Promise<Server> => {
      await new Promise<void>((resolve, reject) => {
        health.once('error', reject);
        health.listen(port, () => resolve());
      });
      const address = health.address() as { port: number };
      logger.info({ port: address.port, queuePrefix: settings.queuePrefix }, 'worker started');
      // After the worker: /readyz keeps answering while running jobs finish.
      steps.splice(steps.findIndex((step) => step.name === 'worker') + 1, 0, {
        name: 'health server',
        close: () => closeServer(health),
        timeoutMs: 1_000,
      });
      return health;
    };
    return {
      summaries,
      db: database.db,
      listen,
      shutdownSteps: () => [...steps],
      close: () => drain(steps, { deadlineMs: DEFAULT_SHUTDOWN_DEADLINE_MS, logger }),
    };
  } catch (error) {
    await drain(steps, { deadlineMs: DEFAULT_SHUTDOWN_DEADLINE_MS, logger });
    throw error;
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
