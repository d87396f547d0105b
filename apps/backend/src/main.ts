import type { Server } from 'node:http';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { migrate } from '@estate/db';
import {
  createDatabasePool,
  Database,
  recycleOnChange,
  redisConnection,
  startService,
} from '@estate/platform';
import { RuntimeSecretStore } from '@estate/secrets/store';
import Redis from 'ioredis';
import { MarketUpdatedConsumer } from './events/market-updated-consumer';
import { SummaryQueue } from './queue/summary-queue';
import { manifest } from './secrets';
import { createServer } from './server';

/** How long SIGTERM waits for in-flight requests before closing what is left. */
const SHUTDOWN_GRACE_MS = 10_000;

// Wiring only: configuration enters here (process.env) and flows down as values.
async function main(): Promise<void> {
  // Exits 1 with one line per problem (never a value) when a secret cannot be loaded.
  const { secrets, logger, registry } = await startService(manifest, process.env, (s) => s.param('logLevel'));

  const pool = createDatabasePool(() => secrets.get('database'));
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection failed'));
  const db = new Database(pool, { onAuthenticationFailure: () => secrets.refresh('database') });
  // After a rotation, connections opened with the old password are closed once idle.
  recycleOnChange(pool, (listener) => secrets.onChange('database', listener));
  await migrate(pool, { logger });

  const redisOptions = redisConnection(secrets.get('redis'));
  const redis = new Redis({ ...redisOptions, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis error'));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Redis did not become ready within 10 s')), 10_000);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const keyPrefix = 'estate:';
  // A producer only (nothing blocking): it fails fast while Redis is away (503), see SummaryQueue.
  const summaries = new SummaryQueue(redisOptions, `${keyPrefix}bull`);

  const consumer = new MarketUpdatedConsumer({
    url: () => secrets.get('rabbitmq').url,
    enqueue: (jobs) => summaries.enqueueMany(jobs),
    logger,
  });
  // A broker outage at startup must not crash-loop the pod: it connects when the broker is back.
  await consumer.startOrRetry();

  const integrations = new RuntimeSecretStore({
    env: secrets.env,
    client: new SecretsManagerClient({}),
    logger,
  });
  const app = createServer({
    secrets,
    db,
    redis,
    redisKeyPrefix: keyPrefix,
    summaries,
    integrations,
    events: consumer,
    logger,
    registry,
    settings: { trustProxy: 1 },
  });
  const port = Number(process.env.PORT ?? 3000);
  const server = app.listen(port, () => {
    logger.info({ port: (server.address() as { port: number }).port }, 'listening');
  });

  let shuttingDown = false;
  process.on('SIGTERM', () => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({}, 'SIGTERM: draining');
    const force = setTimeout(() => {
      logger.error({}, 'shutdown grace period exceeded; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    void shutdown(server, async () => {
      await consumer.stop();
      await summaries.close();
      redis.disconnect();
      await pool.end();
      secrets.close();
    }).then(
      () => {
        logger.info({}, 'stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

/** Stops accepting, lets in-flight requests finish (idle keep-alive sockets are closed), then closes the rest. */
async function shutdown(server: Server, closeDependencies: () => Promise<void>): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  await closeDependencies();
}

main().catch((error: unknown) => {
  // Startup failed after the secrets loaded (database, migrations, broker): the cause, not a value.
  process.stderr.write(
    `backend failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
