import { setTimeout as sleep } from 'node:timers/promises';
import { api, ETL_ARGS, type IsolatedStack, startIsolatedStack } from './support/isolated-stack';

// Reliability, issue 9 case 1 (short variant): Secrets Manager and SSM drop every connection for
// OUTAGE_MS while a client drives authenticated requests and a summary job runs. Reads after startup
// come from memory, so nothing fails and neither service calls the endpoint meanwhile.
// Not covered: stale groups in /readyz and /metrics, and recovery of a refresh. The services refresh
// every 300 s (±10%) and take no setting for it (@estate/platform's startService passes no
// refreshIntervalMs), so no refresh falls inside a bounded outage.
jest.setTimeout(120_000);

const OUTAGE_MS = 5_000;
const CLIENTS = 4;

let env: IsolatedStack;

beforeAll(async () => {
  env = await startIsolatedStack();
});

afterAll(() => env?.cleanup());

test('a Secrets Manager outage: zero failed requests, the summary job completes, no call reaches the endpoint', async () => {
  const { stack } = env;
  const call = <T>(method: string, path: string, options?: { token?: string; body?: unknown }) =>
    api<T>(stack.backendUrl, method, path, options);
  const email = `outage-${Date.now()}@estate.test`;
  const password = 'correct-horse-battery';
  expect((await call('POST', '/api/v1/auth/register', { body: { email, password } })).status).toBe(201);
  const token = (await call<{ token: string }>('POST', '/api/v1/auth/login', { body: { email, password } }))
    .body.token;
  const etlExit = await stack.runEtl(ETL_ARGS);
  if (etlExit !== 0) throw new Error(`estate-etl run exited ${etlExit}\n${env.tail()}`);

  const endpoint = stack.secretsEndpoint;
  endpoint.resetStats();
  endpoint.setFaults([{ kind: 'drop' }]);
  const outageStartedAt = Date.now();
  // The outage lasts OUTAGE_MS, or until the summary job is done if that takes longer (a loaded CI box).
  let outageOver = false;
  const failures: string[] = [];
  let requests = 0;
  const paths = ['/api/v1/me', '/api/v1/regions/11680/stats?from=2024-01&to=2024-03'];
  const client = async (index: number) => {
    while (!outageOver) {
      const path = paths[(requests + index) % paths.length]!;
      requests += 1;
      try {
        const answer = await call('GET', path, { token });
        if (answer.status !== 200) failures.push(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
      } catch (error) {
        failures.push(`${path}: ${(error as Error).message}`);
      }
    }
  };
  const summary = async () => {
    const requested = await call<{ job: { id: string } }>('POST', '/api/v1/regions/11680/summary', {
      token,
      body: { period: '2024-01' },
    });
    if (![200, 202].includes(requested.status)) return `summary request: ${requested.status}`;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const { body } = await call<{ job: { state: string } }>(
        'GET',
        `/api/v1/jobs/${requested.body.job.id}`,
        {
          token,
        },
      );
      if (body.job.state === 'completed') return 'completed';
      if (body.job.state === 'failed') return 'failed';
      await sleep(200);
    }
    return 'not finished within 60 s';
  };
  const clients = Array.from({ length: CLIENTS }, (_, index) => client(index));
  let jobOutcome: string;
  try {
    jobOutcome = await summary();
    await sleep(Math.max(0, outageStartedAt + OUTAGE_MS - Date.now()));
  } finally {
    outageOver = true;
    await Promise.all(clients);
  }
  const duringOutage = endpoint.stats();
  endpoint.clearFaults();

  expect(failures).toEqual([]);
  expect(requests).toBeGreaterThan(20);
  expect(jobOutcome).toBe('completed');
  expect(duringOutage.byAccessKey['local-backend'] ?? {}).toEqual({});
  expect(duringOutage.byAccessKey['local-ai-worker'] ?? {}).toEqual({});
  for (const service of stack.services) {
    expect([service.name, (await fetch(`${service.url}/readyz`)).status]).toEqual([service.name, 200]);
  }
});
