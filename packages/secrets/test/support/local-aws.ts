import { randomBytes, randomUUID } from 'node:crypto';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { type AccessPolicy, type LocalEndpoint, start } from '@estate/secrets-local';
import type { LoadOptions } from '../../src';

export const REGION = 'ap-northeast-2';
export const ADMIN = { accessKeyId: 'local-admin', secretAccessKey: 'local' };

export const random = (bytes = 24) => randomBytes(bytes).toString('base64url');

/** A local endpoint over real HTTP, with admin clients to seed it. Each suite starts its own. */
export interface LocalAws {
  endpoint: LocalEndpoint;
  secrets: SecretsManagerClient;
  ssm: SSMClient;
  /** Options that point loadSecrets at this endpoint (fast test settings). */
  options(overrides?: Partial<LoadOptions>, credentials?: typeof ADMIN): LoadOptions;
  createSecret(name: string, value: unknown): Promise<string>;
  putSecret(name: string, value: unknown): Promise<string>;
  putParameter(name: string, value: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalAws(policy?: AccessPolicy): Promise<LocalAws> {
  const endpoint = await start({ port: 0, quiet: true, ...(policy ? { policy } : {}) });
  const config = { endpoint: endpoint.url, region: REGION, credentials: ADMIN };
  const secrets = new SecretsManagerClient(config);
  const ssm = new SSMClient(config);
  const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  return {
    endpoint,
    secrets,
    ssm,
    options: (overrides = {}, credentials = ADMIN) => ({
      env: 'dev',
      aws: { endpoint: endpoint.url, region: REGION, credentials },
      refreshIntervalMs: 0,
      startupDeadlineMs: 5_000,
      refreshDeadlineMs: 5_000,
      retry: { baseDelayMs: 5, maxDelayMs: 50 },
      ...overrides,
    }),
    async createSecret(name, value) {
      const out = await secrets.send(
        new CreateSecretCommand({ Name: name, SecretString: text(value), ClientRequestToken: randomUUID() }),
      );
      return out.VersionId ?? '';
    },
    async putSecret(name, value) {
      const out = await secrets.send(
        new PutSecretValueCommand({ SecretId: name, SecretString: text(value) }),
      );
      return out.VersionId ?? '';
    },
    async putParameter(name, value) {
      await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true }));
    },
    async stop() {
      secrets.destroy();
      ssm.destroy();
      await endpoint.stop();
    },
  };
}

/** Catalog-shaped values with crypto-random secrets (never literals in the repository). */
export function generatedValues() {
  const amqp = new URL('amqp://127.0.0.1:5672/estate');
  amqp.username = `user${random(4)}`;
  amqp.password = random(18);
  return {
    database: { host: '127.0.0.1', port: 5432, dbname: 'estate', username: 'estate', password: random(24) },
    redis: { host: '127.0.0.1', port: 6379, password: random(20) },
    rabbitmq: { url: amqp.toString() },
    jwt: { secret: random(48), issuer: 'estate-test', expiresIn: '15m' },
    ses: {
      smtpHost: '127.0.0.1',
      smtpUser: 'estate-test',
      smtpPassword: random(24),
      fromAddress: 'noreply@estate.localhost',
    },
  };
}

export async function seedBackend(aws: LocalAws, env = 'dev') {
  const values = generatedValues();
  for (const [group, value] of Object.entries(values))
    await aws.createSecret(`estate/${env}/${group}`, value);
  return values;
}

/** Waits until `check` passes (real timers, real HTTP); fails after `timeoutMs`. */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
