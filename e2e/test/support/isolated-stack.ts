import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type PostgresTarget, type RabbitmqTarget, usePostgres, useRabbitmq } from '@estate/testing';
import { type Stack, type StackOptions, startStack } from '../../src/stack';
import { adminClient, readSecret } from '../../src/stack/secrets-endpoint';
import { type IsolatedRedis, isolatedRedis } from './private-redis';

/** The months, regions and table the ETL stand-in has fixtures for. */
export const ETL_ARGS = [
  '--from',
  '2024-01',
  '--to',
  '2024-03',
  '--regions',
  '11680,11650',
  '--tables',
  'A_2024_00045',
  '--pace-ms',
  '0',
];

export interface IsolatedStack {
  stack: Stack;
  postgres: PostgresTarget;
  /** Every line the stack's processes printed, `service | line`. */
  output: string[];
  /** The last lines, for a failure message. */
  tail(): string;
  /** Stops the stack (if still running) and removes the database, vhost and Redis. */
  cleanup(): Promise<void>;
}

/**
 * The dev stack on free ports, with this suite's own database, RabbitMQ vhost and Redis server
 * (the apps take those from their secrets), and an in-memory secrets endpoint.
 */
export async function startIsolatedStack(
  options: Pick<StackOptions, 'onSecretsReady' | 'readyTimeoutMs' | 'serviceEnvironment'> = {},
): Promise<IsolatedStack> {
  const workDir = mkdtempSync(join(tmpdir(), 'estate-e2e-'));
  const output: string[] = [];
  const tail = () => output.slice(-60).join('\n');
  let postgres: PostgresTarget | undefined;
  let rabbitmq: RabbitmqTarget | undefined;
  let redis: IsolatedRedis | undefined;
  let stack: Stack | undefined;
  const cleanup = async () => {
    await stack?.stop();
    const results = await Promise.allSettled([postgres?.cleanup(), rabbitmq?.cleanup(), redis?.cleanup()]);
    rmSync(workDir, { recursive: true, force: true });
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  };
  try {
    [postgres, rabbitmq, redis] = await Promise.all([usePostgres(), useRabbitmq(), isolatedRedis()]);
    stack = await startStack({
      ...options,
      root: resolve(__dirname, '..', '..', '..'),
      ports: { secrets: 0, openai: 0, kreb: 0, molit: 0, backend: 0, aiWorker: 0 },
      policyFile: join(workDir, 'access-policy.json'),
      secretOverrides: {
        database: {
          host: postgres.host,
          port: postgres.port,
          dbname: postgres.database,
          username: postgres.user,
          ...(postgres.password === undefined ? {} : { password: postgres.password }),
        },
        rabbitmq: { url: rabbitmq.url },
        redis: { host: redis.host, port: redis.port },
      },
      output: (service, line) => output.push(`${service} | ${line}`),
    });
  } catch (error) {
    await cleanup().catch(() => {});
    throw new Error(`the stack did not start: ${(error as Error).message}\n${tail()}`);
  }
  return { stack, postgres, output, tail, cleanup };
}

/** Every response body `api` received in this test file, for the leak scan. */
export const capturedResponses: string[] = [];

/** fetch against the backend, JSON in and out. */
export async function api<T>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  capturedResponses.push(text);
  return { status: response.status, body: JSON.parse(text) as T };
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The secret fields of the dev catalog: what must never appear in a log line or a response. */
const SECRET_FIELDS: Record<string, string[]> = {
  database: ['password'],
  rabbitmq: ['url'],
  jwt: ['secret'],
  ses: ['smtpPassword'],
  openai: ['apiKey'],
  kreb: ['apiKey'],
  molit: ['serviceKey'],
};

/** The current values of every secret field the stack's services loaded. */
export async function loadedSecretValues(
  endpointUrl: string,
): Promise<Array<{ name: string; value: string }>> {
  const client = adminClient(endpointUrl);
  try {
    const values: Array<{ name: string; value: string }> = [];
    const add = (group: string, fields: string[], secret: Record<string, unknown>, label = '') => {
      for (const field of fields) {
        const value = secret[field];
        if (typeof value === 'string' && value.length > 0)
          values.push({ name: `${group}.${field}${label}`, value });
      }
    };
    for (const [group, fields] of Object.entries(SECRET_FIELDS)) {
      add(group, fields, await readSecret(client, `estate/dev/${group}`));
    }
    // The backend keeps AWSPREVIOUS of jwt too (verification across a rotation).
    const previousJwt = await readSecret<Record<string, unknown>>(
      client,
      'estate/dev/jwt',
      'AWSPREVIOUS',
    ).catch(() => undefined);
    if (previousJwt) add('jwt', ['secret'], previousJwt, ' (AWSPREVIOUS)');
    return values;
  } finally {
    client.destroy();
  }
}
