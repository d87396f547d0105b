import { Writable } from 'node:stream';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createSecretsLogger, loadSecrets } from '@estate/secrets';
import { localAccessKeyId, localAccessPolicy } from '@estate/secrets/policy';
import { type TestEnvironment, useTestEnvironment } from '@estate/testing';
import type { Express } from 'express';
import { Registry } from 'prom-client';
import { createBackend } from '../../src/app';
import { OWASP_ARGON2ID } from '../../src/auth/passwords';
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
  // Cheap Argon2id: the tests check behaviour, the bench measures the real costs.
  passwordHashing: { ...OWASP_ARGON2ID, memoryKiB: 1024, passes: 1, maxConcurrent: 4 },
  loginLimits: { perIp: { limit: 1000, windowMs: 60_000 }, perEmail: { limit: 1000, windowMs: 60_000 } },
};

/**
 * The backend from the composition root main.ts calls (src/app.ts, without the RabbitMQ consumer:
 * `events` stands in for it), over the suite's own PostgreSQL database, Redis prefix, RabbitMQ
 * vhost and a local Secrets Manager endpoint that enforces the manifest-derived access policy: the
 * server reads its secrets and manages integration credentials as `local-backend`, seeded by
 * `local-admin`.
 */
export async function startBackend(
  options: {
    events?: ServerDeps['events'];
    /** Secret values to seed instead of the defaults; a function sees the suite's servers first. */
    values?:
      | Partial<SeededValues>
      | ((env: TestEnvironment) => Partial<SeededValues> | Promise<Partial<SeededValues>>);
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
  const overrides = typeof options.values === 'function' ? await options.values(env) : options.values;
  const values = backendValues(env, overrides);
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
  // Runtime-managed secrets as the backend itself: `local-backend` manages estate/dev/orgs/* only
  // (the manifest's runtimeSecrets('orgs'), through localAccessPolicy), as its IAM role would.
  const integrationsClient = new SecretsManagerClient({
    ...env.secrets.clientConfig(localAccessKeyId(manifest.service)),
    maxAttempts: 1,
  });
  const backend = await createBackend({
    secrets,
    logger,
    registry,
    redisKeyPrefix: env.redis.keyPrefix,
    queuePrefix: `${env.redis.keyPrefix}bull`,
    secretsManager: integrationsClient,
    events: options.events ?? { isConnected: () => true },
    settings: TEST_SETTINGS,
  });
  const deps = backend.deps;
  return {
    env,
    app: backend.app,
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
      await backend.close();
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
