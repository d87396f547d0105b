import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type PostgresTarget, type RabbitmqTarget, usePostgres, useRabbitmq } from '@estate/testing';
import { type Stack, type StackOptions, startStack } from '../../src/stack';
import { adminClient } from '../../src/stack/secrets-endpoint';
import { endpointSecretValues, findLeaks } from './leak-scan';
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
  /** The stack's Redis (`redis.server` restarts it when private). */
  redis: IsolatedRedis;
  /** Every line the stack's processes printed, `service | line`. */
  output: string[];
  /** The last lines, for a failure message. */
  tail(): string;
  /**
   * Issue 9 case 4: reads every version of every secret from the endpoint (so rotated values are
   * in), stops the stack (so the shutdown lines are in), then searches every line the processes
   * printed and every response body `api` captured for each value. Call it once, at the end.
   */
  leakScan(): Promise<LeakScan>;
  /** Stops the stack (if still running) and removes the database, vhost and Redis. */
  cleanup(): Promise<void>;
}

export interface LeakScan {
  /** How many distinct secret values were searched for. */
  values: number;
  /** Secret name to the number of its versions that gave values (a rotated secret has 2 or more). */
  versions: Record<string, number>;
  /** Labels of the ones found (secret name, version, field; never the value). */
  leaks: string[];
  /** How many lines and response bodies were searched. */
  texts: number;
}

/**
 * The dev stack on free ports, with this suite's own database, RabbitMQ vhost and Redis server
 * (the apps take those from their secrets), and an in-memory secrets endpoint.
 */
export async function startIsolatedStack(
  options: Pick<StackOptions, 'onSecretsReady' | 'readyTimeoutMs' | 'serviceEnvironment'> & {
    /** A broker of the caller's (it starts and removes it) instead of a vhost on the shared one. */
    rabbitmq?: Pick<RabbitmqTarget, 'url'>;
  } = {},
): Promise<IsolatedStack> {
  const { rabbitmq: ownRabbitmq, ...stackOptions } = options;
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
    [postgres, rabbitmq, redis] = await Promise.all([
      usePostgres(),
      ownRabbitmq ? undefined : useRabbitmq(),
      isolatedRedis(),
    ]);
    stack = await startStack({
      ...stackOptions,
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
        rabbitmq: { url: (ownRabbitmq ?? rabbitmq)!.url },
        redis: { host: redis.host, port: redis.port },
      },
      output: (service, line) => output.push(`${service} | ${line}`),
    });
  } catch (error) {
    await cleanup().catch(() => {});
    throw new Error(`the stack did not start: ${(error as Error).message}\n${tail()}`);
  }
  const leakScan = async (): Promise<LeakScan> => {
    const client = adminClient(stack!.secretsUrl);
    let values: Awaited<ReturnType<typeof endpointSecretValues>>;
    try {
      values = await endpointSecretValues(client);
    } finally {
      client.destroy();
    }
    await stack!.stop();
    const texts = [...output, ...capturedResponses];
    const versions: Record<string, number> = {};
    for (const label of new Set(values.map(({ label }) => label.split('.')[0]!))) {
      const name = label.split('@')[0]!;
      versions[name] = (versions[name] ?? 0) + 1;
    }
    return {
      values: new Set(values.map(({ value }) => value)).size,
      versions,
      leaks: findLeaks(values, texts),
      texts: texts.length,
    };
  };
  return { stack, postgres, redis, output, tail, leakScan, cleanup };
}

/** Every response body `api` (or `capture`) received in this test file, for the leak scan. */
export const capturedResponses: string[] = [];

/**
 * A request as the tests send it to the backend: JSON body, bearer token, a timeout; the response
 * body is kept for the leak scan. `api` and the fault tests' `timedRequest` both go through it.
 */
export async function send(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<{ response: Response; text: string }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  capturedResponses.push(text);
  return { response, text };
}

/** fetch against the backend, JSON in and out. */
export async function api<T>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const { response, text } = await send(baseUrl, method, path, options);
  return { status: response.status, body: JSON.parse(text) as T };
}

/** Registers `email` (201) and logs in (200): the bearer token, the user and their organization. */
export async function signUp(
  baseUrl: string,
  email: string,
): Promise<{ token: string; userId: string; organizationId: string }> {
  const body = { email, password: 'correct-horse-battery' };
  const registered = await api<{ user: { id: string }; organization: { id: string } }>(
    baseUrl,
    'POST',
    '/api/v1/auth/register',
    { body },
  );
  expect(registered.status).toBe(201);
  const login = await api<{ token: string }>(baseUrl, 'POST', '/api/v1/auth/login', { body });
  expect(login.status).toBe(200);
  return {
    token: login.body.token,
    userId: registered.body.user.id,
    organizationId: registered.body.organization.id,
  };
}

/**
 * fetch with raw headers and body, keeping the body for the leak scan (routes outside `api`:
 * /metrics, /readyz; malformed requests).
 */
export async function capture(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array } = {},
): Promise<{ status: number; contentType: string; text: string }> {
  const response = await fetch(url, {
    method: options.method ?? 'GET',
    headers: options.headers ?? {},
    ...(options.body === undefined ? {} : { body: options.body }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  capturedResponses.push(text);
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text };
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
