import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  isPortOpen,
  type PostgresTarget,
  type RabbitmqTarget,
  usePostgres,
  useRabbitmq,
} from '@estate/testing';
import { Client } from 'pg';
import { type Stack, startStack } from '../src/stack';
import { type IsolatedRedis, isolatedRedis } from './private-redis';

// What a new user does, against real processes started the way `npm run dev` starts them, on free
// ports, with the suite's own database, RabbitMQ vhost and Redis server.
const root = resolve(__dirname, '..', '..');
const ETL_ARGS = [
  '--from',
  '2024-01',
  '--to',
  '2024-03',
  '--regions',
  '11680,11650',
  '--tables',
  'A_2024_00045',
];

jest.setTimeout(150_000);

let workDir: string;
let postgres: PostgresTarget;
let rabbitmq: RabbitmqTarget;
let redis: IsolatedRedis;
let stack: Stack | undefined;
const output: string[] = [];

/** The stack's last lines, for a failure message. */
const tail = () => output.slice(-60).join('\n');

async function api<T>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${stack!.backendUrl}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: (await response.json()) as T };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'estate-e2e-'));
  [postgres, rabbitmq, redis] = await Promise.all([usePostgres(), useRabbitmq(), isolatedRedis()]);
  try {
    stack = await startStack({
      root,
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
    throw new Error(`the stack did not start: ${(error as Error).message}\n${tail()}`);
  }
});

afterAll(async () => {
  await stack?.stop();
  const cleanups = await Promise.allSettled([postgres?.cleanup(), rabbitmq?.cleanup(), redis?.cleanup()]);
  rmSync(workDir, { recursive: true, force: true });
  const failed = cleanups.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
});

test('register, log in, load the market, read stats, get an AI summary; then nothing is left running', async () => {
  const email = `new-user-${Date.now()}@estate.test`;
  const password = 'correct-horse-battery';

  const registered = await api<{ user: { email: string } }>('POST', '/api/v1/auth/register', {
    body: { email, password },
  });
  expect(registered.status).toBe(201);
  expect(registered.body.user.email).toBe(email);

  const login = await api<{ token: string }>('POST', '/api/v1/auth/login', { body: { email, password } });
  expect(login.status).toBe(200);
  const token = login.body.token;

  const etlExit = await stack!.runEtl([...ETL_ARGS, '--pace-ms', '0']);
  if (etlExit !== 0) throw new Error(`estate-etl run exited ${etlExit}\n${tail()}`);

  const stats = await api<{ months: Array<{ month: string; deals: number }> }>(
    'GET',
    '/api/v1/regions/11680/stats?from=2024-01&to=2024-03',
    { token },
  );
  expect(stats.status).toBe(200);
  expect(stats.body.months.map((month) => month.month)).toEqual(['2024-01', '2024-02', '2024-03']);
  expect(stats.body.months[0]!.deals).toBeGreaterThan(0);

  // The ETL's market.updated event may have queued the same job already (one job per region,
  // period and data version): then the answer is 200 with that job.
  const requested = await api<{ job: { id: string } }>('POST', '/api/v1/regions/11680/summary', {
    token,
    body: { period: '2024-02' },
  });
  expect([200, 202]).toContain(requested.status);

  let job: { state: string; result: unknown; failedReason: string | null } | undefined;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    job = (
      await api<{ job: NonNullable<typeof job> }>('GET', `/api/v1/jobs/${requested.body.job.id}`, { token })
    ).body.job;
    if (job.state === 'completed' || job.state === 'failed') break;
    await sleep(250);
  }
  if (job?.state !== 'completed') throw new Error(`summary job ended ${JSON.stringify(job)}\n${tail()}`);
  expect(job.result).toMatchObject({ written: true });

  // The backend has no route that returns the summary text yet: read the worker's row.
  const db = new Client({ connectionString: postgres.connectionString });
  await db.connect();
  try {
    const rows = await db.query<{ summary_en: string; summary_ko: string }>(
      `SELECT summary_en, summary_ko FROM market_summaries WHERE region = '11680' AND period = '2024-02'`,
    );
    expect(rows.rowCount).toBe(1);
    expect(rows.rows[0]!.summary_en.length).toBeGreaterThan(0);
    expect(rows.rows[0]!.summary_ko.length).toBeGreaterThan(0);
  } finally {
    await db.end();
  }

  const pids = stack!.services.map((service) => service.child.pid!);
  const ports = [stack!.backendUrl, stack!.aiWorkerUrl, stack!.secretsUrl].map((url) =>
    Number(new URL(url).port),
  );
  const services = stack!.services;
  await stack!.stop();
  stack = undefined;
  // SIGTERM: both drain and exit 0.
  expect(services.map((service) => [service.name, service.child.exitCode])).toEqual([
    ['backend', 0],
    ['ai-worker', 0],
  ]);
  expect(pids.filter(alive)).toEqual([]);
  expect(await Promise.all(ports.map((port) => isPortOpen(port)))).toEqual([false, false, false]);
});
