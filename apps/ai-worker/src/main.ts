import type { Server } from 'node:http';
import { migrate } from '@estate/db';
import {
  createDatabasePool,
  Database,
  recycleOnChange,
  redisConnection,
  startService,
} from '@estate/platform';
import Redis from 'ioredis';
import { createHealthServer } from './health/health-server';
import { manifest } from './secrets';
import { settingsFromEnvironment } from './settings';
import { createSummaryWorker } from './worker';

// Wiring only: configuration enters here (process.env) and flows down as values.
async function main(): Promise<void> {
  const settings = settingsFromEnvironment(process.env);
  // Exits 1 with one line per problem (never a value) when a secret cannot be loaded.
  const { secrets, logger, registry } = await startService(manifest, process.env, (s) => s.param('logLevel'));

  const pool = createDatabasePool(() => secrets.get('database'), { max: secrets.param('concurrency') + 2 });
  pool.on('error', (error) =>
    logger.warn({ errorName: error.name, reason: error.message }, 'idle database connection failed'),
  );
  const db = new Database(pool, { onAuthenticationFailure: () => secrets.refresh('database') });
  // After a rotation, connections opened with the old password are closed once idle.
  recycleOnChange(pool, (listener) => secrets.onChange('database', listener));
  await migrate(pool, { logger });

  const redisOptions = redisConnection(secrets.get('redis'));
  // For /readyz only: fails fast instead of queueing commands while Redis is away.
  const redis = new Redis({
    ...redisOptions,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: true,
  });
  redis.on('error', () => {});
  await redis.connect();

  const summaries = createSummaryWorker({
    secrets,
    db,
    connection: { ...redisOptions, maxRetriesPerRequest: null },
    prefix: settings.queuePrefix,
    logger,
    registry,
    lockDurationMs: settings.lockDurationMs,
    stalledIntervalMs: settings.stalledIntervalMs,
  });
  await summaries.worker.waitUntilReady();

  const health = createHealthServer({
    checks: {
      redis: () => redis.ping(),
      database: () => db.ping(),
      worker: async () => {
        if (!summaries.worker.isRunning()) throw new Error('worker is not running');
      },
    },
    secrets,
    registry,
  });
  health.listen(settings.healthPort, () => {
    const address = health.address() as { port: number };
    logger.info({ port: address.port, queuePrefix: settings.queuePrefix }, 'worker started');
  });

  let shuttingDown = false;
  process.on('SIGTERM', () => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({}, 'SIGTERM: finishing running jobs');
    const force = setTimeout(() => {
      // Exiting releases nothing explicitly: the running job's lock lapses and another worker
      // takes it as stalled, so it is not lost.
      logger.error({ graceMs: settings.shutdownGraceMs }, 'shutdown grace period exceeded; exiting');
      process.exit(1);
    }, settings.shutdownGraceMs);
    force.unref();
    void (async () => {
      await summaries.close();
      await closeServer(health);
      redis.disconnect();
      await pool.end();
      secrets.close();
    })().then(
      () => {
        logger.info({}, 'stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error(
          { errorName: (error as Error).name, reason: (error as Error).message },
          'shutdown failed',
        );
        process.exit(1);
      },
    );
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

main().catch((error: unknown) => {
  // Startup failed after the secrets loaded (database, migrations, Redis): the cause, not a value.
  process.stderr.write(
    `ai-worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
