import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPortOpen } from '@estate/testing';
import { Client } from 'pg';
import { awsEnvironment, estateSecrets } from '../src/stack';
import { alive, api, ETL_ARGS, type IsolatedStack, startIsolatedStack } from './support/isolated-stack';

// What a new user does, against real processes started the way `npm run dev` starts them, on free
// ports, with the suite's own database, RabbitMQ vhost and Redis server.
jest.setTimeout(150_000);

const root = resolve(__dirname, '..', '..');

let env: IsolatedStack;

beforeAll(async () => {
  env = await startIsolatedStack();
});

afterAll(() => env?.cleanup());

test('register, log in, load the market, read stats, get an AI summary; then nothing is left running', async () => {
  const { stack } = env;
  const call = <T>(method: string, path: string, options?: { token?: string; body?: unknown }) =>
    api<T>(stack.backendUrl, method, path, options);
  const email = `new-user-${Date.now()}@estate.test`;
  const password = 'correct-horse-battery';

  const registered = await call<{ user: { email: string } }>('POST', '/api/v1/auth/register', {
    body: { email, password },
  });
  expect(registered.status).toBe(201);
  expect(registered.body.user.email).toBe(email);

  const login = await call<{ token: string }>('POST', '/api/v1/auth/login', { body: { email, password } });
  expect(login.status).toBe(200);
  const token = login.body.token;

  const etlExit = await stack.runEtl(ETL_ARGS);
  if (etlExit !== 0) throw new Error(`estate-etl run exited ${etlExit}\n${env.tail()}`);

  const stats = await call<{ months: Array<{ month: string; deals: number }> }>(
    'GET',
    '/api/v1/regions/11680/stats?from=2024-01&to=2024-03',
    { token },
  );
  expect(stats.status).toBe(200);
  expect(stats.body.months.map((month) => month.month)).toEqual(['2024-01', '2024-02', '2024-03']);
  expect(stats.body.months[0]!.deals).toBeGreaterThan(0);

  // The rotator runs in the endpoint's process, as in dev: `estate-secrets rotate jwt --env dev`
  // makes a new AWSCURRENT key, and the token signed with the old one still verifies (AWSPREVIOUS).
  await estateSecrets(
    root,
    ['rotate', 'jwt', '--env', 'dev'],
    awsEnvironment(stack.secretsUrl, 'local-admin'),
    (service, line) => env.output.push(`${service} | ${line}`),
  );
  expect((await call('GET', '/api/v1/me', { token })).status).toBe(200);

  // The ETL's market.updated event may have queued the same job already (one job per region,
  // period and data version): then the answer is 200 with that job.
  const requested = await call<{ job: { id: string } }>('POST', '/api/v1/regions/11680/summary', {
    token,
    body: { period: '2024-02' },
  });
  expect([200, 202]).toContain(requested.status);

  let job: { state: string; result: unknown; failedReason: string | null } | undefined;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    job = (
      await call<{ job: NonNullable<typeof job> }>('GET', `/api/v1/jobs/${requested.body.job.id}`, { token })
    ).body.job;
    if (job.state === 'completed' || job.state === 'failed') break;
    await sleep(250);
  }
  if (job?.state !== 'completed') throw new Error(`summary job ended ${JSON.stringify(job)}\n${env.tail()}`);
  expect(job.result).toMatchObject({ written: true });

  // The backend has no route that returns the summary text yet: read the worker's row.
  const db = new Client({ connectionString: env.postgres.connectionString });
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

  const { services } = stack;
  const pids = services.map((service) => service.child.pid!);
  const ports = [stack.backendUrl, stack.aiWorkerUrl, stack.secretsUrl].map((url) =>
    Number(new URL(url).port),
  );
  // Leak scan (issue 9 case 4): every version of every secret, the rotated JWT key's old and new
  // value among them, searched for in every line the processes printed (up to their last, the scan
  // stops the stack) and every response the user got.
  const scan = await env.leakScan();
  expect(scan.values).toBeGreaterThanOrEqual(8);
  expect(scan.versions['estate/dev/jwt']).toBeGreaterThanOrEqual(2);
  expect(scan.leaks).toEqual([]);
  // SIGTERM: both drain and exit 0.
  expect(services.map((service) => [service.name, service.child.exitCode])).toEqual([
    ['backend', 0],
    ['ai-worker', 0],
  ]);
  expect(pids.filter(alive)).toEqual([]);
  expect(await Promise.all(ports.map((port) => isPortOpen(port)))).toEqual([false, false, false]);
});
