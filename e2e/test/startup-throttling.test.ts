import type { LocalEndpoint } from '@estate/secrets-local';
import { capture, ETL_ARGS, type IsolatedStack, startIsolatedStack } from './support/isolated-stack';
import { soak } from './support/soak';

// Reliability, issue 9 case 2 (short variant): Secrets Manager and SSM throttle the first calls
// while backend and ai-worker start side by side, then again while the ETL starts. Every one of them
// retries (capped backoff, full jitter) and starts within its deadline.
jest.setTimeout(120_000);

const THROTTLED_CALLS = soak(4, 10);
const START_DEADLINE_MS = 30_000;

let env: IsolatedStack | undefined;
let stormStartedAt = 0;

afterAll(() => env?.cleanup());

const callsBy = (endpoint: LocalEndpoint, accessKeyId: string) =>
  Object.values(endpoint.stats().byAccessKey[accessKeyId] ?? {}).reduce((sum, calls) => sum + calls, 0);

// Regression: @estate/secrets' retry backoff once slept on an unref'd timer, so a service whose
// first Secrets Manager call was throttled exited 0 in the middle of loadSecrets, without a line.
test('a throttling storm at startup: backend, ai-worker and the ETL all start within the deadline', async () => {
  env = await startIsolatedStack({
    readyTimeoutMs: START_DEADLINE_MS,
    onSecretsReady: (endpoint) => {
      endpoint.resetStats();
      endpoint.setFaults([{ kind: 'throttle', count: THROTTLED_CALLS }]);
      stormStartedAt = Date.now();
    },
  });
  const { stack } = env;
  const startedInMs = Date.now() - stormStartedAt;
  const endpoint = stack.secretsEndpoint;
  // Both were throttled and retried: more calls than the storm's budget reached the endpoint,
  // from each of them, and the budget is spent (the rule expired).
  const backendCalls = callsBy(endpoint, 'local-backend');
  const workerCalls = callsBy(endpoint, 'local-ai-worker');
  expect(backendCalls).toBeGreaterThan(0);
  expect(workerCalls).toBeGreaterThan(0);
  expect(backendCalls + workerCalls).toBeGreaterThan(THROTTLED_CALLS);
  expect(startedInMs).toBeLessThan(START_DEADLINE_MS);

  endpoint.resetStats();
  endpoint.setFaults([{ kind: 'throttle', count: 4 }]);
  const etlExit = await stack.runEtl(ETL_ARGS);
  if (etlExit !== 0) throw new Error(`estate-etl run exited ${etlExit} under throttling\n${env.tail()}`);
  expect(callsBy(endpoint, 'local-etl')).toBeGreaterThan(4);
  endpoint.clearFaults();

  for (const service of stack.services) {
    const ready = await capture(`${service.url}/readyz`);
    expect([service.name, ready.status]).toEqual([service.name, 200]);
  }
});

test('leak scan (case 4): no secret value in any line printed or response received during the storm', async () => {
  if (!env) throw new Error('the stack did not start (see the test above)');
  const scan = await env.leakScan();
  expect(scan.values).toBeGreaterThanOrEqual(8);
  expect(scan.leaks).toEqual([]);
});
