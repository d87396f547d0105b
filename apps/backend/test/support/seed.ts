import { randomBytes, randomUUID } from 'node:crypto';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { TestEnvironment } from '@estate/testing';

export const ENV = 'dev';
export const random = (bytes = 24) => randomBytes(bytes).toString('base64url');

export interface SeededValues {
  database: { host: string; port: number; dbname: string; username: string; password: string };
  redis: { host: string; port: number };
  rabbitmq: { url: string };
  jwt: { secret: string; issuer: string; expiresIn: string };
  ses: { smtpHost: string; smtpUser: string; smtpPassword: string; fromAddress: string };
}

/** Admin clients of the suite's local endpoint, to seed and rotate secrets as an operator would. */
export function adminClients(env: TestEnvironment) {
  const config = env.secrets.clientConfig();
  return { secretsManager: new SecretsManagerClient(config), ssm: new SSMClient(config) };
}

/** Crypto-random values for every backend secret, pointing at the suite's servers. */
export function backendValues(env: TestEnvironment, overrides: Partial<SeededValues> = {}): SeededValues {
  return {
    database: {
      host: env.postgres.host,
      port: env.postgres.port,
      dbname: env.postgres.database,
      username: env.postgres.user,
      // The shared server trusts local connections; a random value proves nothing depends on it.
      password: env.postgres.password ?? random(),
    },
    redis: { host: env.redis.host, port: env.redis.port },
    rabbitmq: { url: env.rabbitmq.url },
    jwt: { secret: random(48), issuer: 'estate-test', expiresIn: '15m' },
    ses: {
      smtpHost: '127.0.0.1',
      smtpUser: 'estate-test',
      smtpPassword: random(),
      fromAddress: 'noreply@estate.test',
    },
    ...overrides,
  };
}

export async function seedSecrets(
  client: SecretsManagerClient,
  values: Partial<Record<string, unknown>>,
): Promise<void> {
  for (const [group, value] of Object.entries(values)) {
    if (value === undefined) continue;
    await client.send(
      new CreateSecretCommand({
        Name: `estate/${ENV}/${group}`,
        SecretString: typeof value === 'string' ? value : JSON.stringify(value),
        ClientRequestToken: randomUUID(),
      }),
    );
  }
}

export async function putSecret(
  client: SecretsManagerClient,
  group: string,
  value: unknown,
): Promise<string> {
  const out = await client.send(
    new PutSecretValueCommand({ SecretId: `estate/${ENV}/${group}`, SecretString: JSON.stringify(value) }),
  );
  return out.VersionId!;
}

export async function putParameter(client: SSMClient, name: string, value: string): Promise<void> {
  await client.send(
    new PutParameterCommand({
      Name: `/estate/${ENV}/${name}`,
      Value: value,
      Type: 'String',
      Overwrite: true,
    }),
  );
}
