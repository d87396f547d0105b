import { Writable } from 'node:stream';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { migrate } from '@estate/db';
import { createDatabasePool, Database, recycleOnChange } from '@estate/platform';
import { createSecretsLogger, loadSecrets } from '@estate/secrets';
import { localAccessKeyId, localAccessPolicy } from '@estate/secrets/policy';
import { RuntimeSecretStore } from '@estate/secrets/store';
import { type TestEnvironment, useTestEnvironment } from '@estate/testing';
import type { Express } from 'express';
import Redis from 'ioredis';
import { Registry } from 'prom-client';
import { SummaryQueue } from '../../src/queue/summary-queue';
import { manifest } from '../../src/secrets';
import { type BackendSecrets, createServer, type ServerDeps, type ServerSettings } from '../../src/server';
import { rotatorFor } from './rotator';
import { adminClients, backendValues, ENV, type SeededValues, seedSecrets } from './seed';

export interface Backend {
  env: TestEnvironment;
  app: Express;
  secrets: BackendSecrets;
  deps: ServerDeps;
  admin: ReturnType<typeof adminClients>;
  /** The integration store's own Secrets Manager client (access key `local-backend`). */
  integrationsClient: SecretsManagerClient;
  values: SeededValues;
  /** Every log line the suite's logger wrote (after the leak guard). */
  logs: string[];
  /** A second app over the same dependencies, with other settings. */
  withSettings(settings: Partial<ServerSettings>, extra?: Partial<ServerDeps>): Express;
  cleanup(): Promise<void>;
}

export const TEST_SETTINGS: Partial<ServerSettings> = {
  passwordHashCost: 4,
  loginLimits: { perIp: { limit: 1000, windowMs: 60_000 }, perEmail: { limit: 1000, windowMs: 60_000 } },
};

/**
 * The backend as main.ts wires it, over the suite's own PostgreSQL database, Redis prefix,
 * RabbitMQ vhost and a local Secrets Manager endpoint that enforces the manifest-derived access
 * policy: the server reads its secrets and manages integration credentials as `local-backend`,
 * seeded by `local-admin`.
 */
export async function startBackend(
  options: {
    events?: ServerDeps['events'];
    values?: Partial<SeededValues>;
    /** Background refresh of the server's secrets (default 0: off, tests refresh by hand). */
    refreshIntervalMs?: number;
    /** RotateSecret on the endpoint runs the rotator in process. */
    rotation?: boolean;
  } = {},
): Promise<Backend> {
  let env: TestEnvironment | undefined;
  const rotator = options.rotation ? rotatorFor(() => env!.secrets.endpoint.url) : undefined;
  env = await useTestEnvironment({
    secrets: { policy: localAccessPolicy([manifest], ENV), rotationHandler: rotator },
  });
  const admin = adminClients(env);
  const values = backendValues(env, options.values);
  await seedSecrets(admin.secretsManager, values as unknown as Record<string, unknown>);
  const registry = new Registry();
  const logs: string[] = [];
  const secrets = await loadSecrets(manifest, {
    env: ENV,
    aws: env.secrets.clientConfig('local-backend'),
    refreshIntervalMs: options.refreshIntervalMs ?? 0,
    refreshDeadlineMs: 2_000,
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    registry,
  });
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  const logger = createSecretsLogger(secrets, { level: 'info' }, destination);
  const pool = createDatabasePool(() => secrets.get('database'));
  await migrate(pool);
  const db = new Database(pool, { onAuthenticationFailure: () => secrets.refresh('database') });
  recycleOnChange(pool, (listener) => secrets.onChange('database', listener));
  // As main.ts: no offline queue, and ready before the server takes requests (the login rate
  // limiter answers 503 while its connection is not ready).
  const redis = new Redis({
    host: env.redis.host,
    port: env.redis.port,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  await new Promise<void>((resolve, reject) => {
    redis.once('ready', resolve);
    redis.once('error', reject);
  });
  const summaries = new SummaryQueue(
    { host: env.redis.host, port: env.redis.port },
    `${env.redis.keyPrefix}bull`,
  );
  // Runtime-managed secrets as the backend itself: `local-backend` manages estate/dev/orgs/* only
  // (the manifest's runtimeSecrets('orgs'), through localAccessPolicy), as its IAM role would.
  const integrationsClient = new SecretsManagerClient({
    ...env.secrets.clientConfig(localAccessKeyId(manifest.service)),
    maxAttempts: 1,
  });
  const integrations = new RuntimeSecretStore({ env: ENV, client: integrationsClient });
  const deps: ServerDeps = {
    secrets,
    db,
    redis,
    redisKeyPrefix: env.redis.keyPrefix,
    summaries,
    integrations,
    events: options.events ?? { isConnected: () => true },
    logger,
    registry,
    settings: TEST_SETTINGS,
  };
  return {
    env,
    app: createServer(deps),
    secrets,
    deps,
    admin,
    integrationsClient,
    values,
    logs,
    withSettings: (settings, extra = {}) =>
      createServer({
        ...deps,
        registry: new Registry(),
        ...extra,
        settings: { ...TEST_SETTINGS, ...settings },
      }),
    cleanup: async () => {
      await summaries.close();
      redis.disconnect();
      await pool.end();
      secrets.close();
      integrationsClient.destroy();
      rotator?.close();
      await env.cleanup();
    },
  };
}

/** Every secret string the suite seeded: none may appear in a log line. */
export function seededSecretStrings(values: SeededValues): string[] {
  return [values.database.password, values.jwt.secret, values.ses.smtpPassword];
}
