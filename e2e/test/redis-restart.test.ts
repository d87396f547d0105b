import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import {
  alive,
  api,
  capture,
  ETL_ARGS,
  type IsolatedStack,
  signUp,
  startIsolatedStack,
} from './support/isolated-stack';
import { type Answer, keepRequesting, timedRequest, waitFor } from './support/load';
import { SOAK, soak } from './support/soak';

// Reliability, issue 9 case 3 (Redis): the stack's private Redis (AOF, everysec) is killed and
// started again on the same port and data while summary jobs are waiting and active, and clients keep
// sending authenticated requests. Every job requested before the restart completes (none lost, one
// market_summaries row each), requests that need Redis answer 503 with Retry-After meanwhile (no 500,
// no hang), those that do not need it keep answering 200, and both services are ready again without
// having exited. `pnpm test:soak`: several restarts in a row, alternating SIGKILL and SHUTDOWN NOSAVE.
jest.setTimeout(soak(120_000, 600_000));

const RESTARTS = soak(1, 5);
/** How long Redis stays down each time, and up between two restarts. */
const DOWN_MS = soak(3_000, 5_000);
const UP_MS = 2_000;
/**
 * The OpenAI stand-in answers this late, so the jobs are active through every restart: their lock
 * renewals and completion meet a Redis that is away. In the soak variant that is longer than
 * BullMQ's 30 s lock, so a job may be taken as stalled and run again (idempotent) once.
 */
const OPENAI_DELAY_MS = RESTARTS * (DOWN_MS + UP_MS) + 2_000;
/** Every region and month the ETL stand-in has deals for. */
const SUMMARIES = [
  ['11680', '2024-01'],
  ['11680', '2024-02'],
  ['11650', '2024-01'],
] as const;
/** A request that waits longer than this during the outage counts as hanging. */
const ANSWER_WITHIN_MS = 2_000;

let env: IsolatedStack;

beforeAll(async () => {
  env = await startIsolatedStack();
  if (!env.redis.server) throw new Error('redis-server is not installed: this test needs a private Redis');
});

afterAll(() => env?.cleanup());

interface JobView {
  id: string;
  state: string;
  data: { region: string; period: string; dataVersion: string };
}

test('Redis restarted mid-run: no job lost, 503 + Retry-After while it is down, both services ready again', async () => {
  const { stack } = env;
  const redis = env.redis.server!;
  const call = <T>(method: string, path: string, options?: { token?: string; body?: unknown }) =>
    api<T>(stack.backendUrl, method, path, options);
  const { token } = await signUp(stack.backendUrl, `redis-restart-${Date.now()}@estate.test`);
  await standInBehaviour(stack.standIns.openai, { delayMs: OPENAI_DELAY_MS });
  const etlExit = await stack.runEtl(ETL_ARGS);
  if (etlExit !== 0) throw new Error(`estate-etl run exited ${etlExit}\n${env.tail()}`);

  // Every region and month with deals: 202, or 200 when the ETL's market.updated event queued the same job first.
  const jobs: JobView[] = [];
  for (const [region, period] of SUMMARIES) {
    const requested = await call<{ job: JobView }>('POST', `/api/v1/regions/${region}/summary`, {
      token,
      body: { period },
    });
    if (![200, 202].includes(requested.status)) {
      throw new Error(`summary ${region} ${period}: ${requested.status} ${JSON.stringify(requested.body)}`);
    }
    jobs.push(requested.body.job);
  }
  // A job's state, or the status the backend answered instead (503 while its queue reconnects).
  const states = async () =>
    Promise.all(
      jobs.map(async (job) => {
        const { status, body } = await call<{ job: JobView }>('GET', `/api/v1/jobs/${job.id}`, { token });
        return status === 200 ? body.job.state : `HTTP ${status}`;
      }),
    );
  // The precondition of the test: Redis goes while work is in flight.
  await waitFor(async () => (await states()).includes('active'), 10_000, 100);
  const beforeRestart = await states();
  expect(beforeRestart.filter((state) => state !== 'completed').length).toBeGreaterThan(0);

  const backend = stack.services.find((service) => service.name === 'backend')!;
  const worker = stack.services.find((service) => service.name === 'ai-worker')!;
  const load = keepRequesting([
    () => timedRequest(stack.backendUrl, 'GET', '/api/v1/me', { token }),
    () =>
      timedRequest(stack.backendUrl, 'GET', '/api/v1/regions/11680/stats?from=2024-01&to=2024-03', { token }),
    () =>
      timedRequest(stack.backendUrl, 'POST', '/api/v1/regions/11680/summary', {
        token,
        body: { period: '2024-02' },
      }),
    () => timedRequest(stack.backendUrl, 'GET', `/api/v1/jobs/${jobs[0]!.id}`, { token }),
  ]);
  const restarts: Array<{ how: string; downMs: number; readyAfterMs: number }> = [];
  let outageAnswers: Answer[] = [];
  try {
    for (let restart = 0; restart < RESTARTS; restart += 1) {
      const how = restart % 2 === 0 ? 'kill' : 'shutdown-nosave';
      const stoppedAt = Date.now();
      await redis.stop(how);
      const answersBefore = load.answers.length;
      await sleep(DOWN_MS);
      outageAnswers = outageAnswers.concat(load.answers.slice(answersBefore));
      await redis.start();
      const startedAt = Date.now();
      const ready = await waitFor(
        async () => (await capture(`${backend.url}/readyz`)).status === 200,
        20_000,
        100,
      );
      restarts.push({
        how,
        downMs: startedAt - stoppedAt,
        readyAfterMs: ready ? Date.now() - startedAt : -1,
      });
      await sleep(Math.max(0, startedAt + UP_MS - Date.now()));
    }
  } finally {
    await load.stop();
  }

  // None lost: every job requested before the restart completes, and wrote its row.
  const completed = await waitFor(
    async () => (await states()).every((state) => state === 'completed'),
    soak(60_000, 180_000),
  );
  const finalStates = await states();
  const db = new Client({ connectionString: env.postgres.connectionString });
  await db.connect();
  let rows: number;
  try {
    const found = await db.query<{ count: string }>(
      `SELECT count(*) FROM market_summaries s
        JOIN unnest($1::text[], $2::text[], $3::text[]) AS j(region, period, data_version)
          ON s.region = j.region AND s.period = j.period AND s.data_version = j.data_version`,
      [
        jobs.map((job) => job.data.region),
        jobs.map((job) => job.data.period),
        jobs.map((job) => job.data.dataVersion),
      ],
    );
    rows = Number(found.rows[0]!.count);
  } finally {
    await db.end();
  }

  const report = {
    restarts,
    beforeRestart,
    finalStates,
    outage: summarise(outageAnswers),
    all: summarise(load.answers),
  };
  // The figures of a run, for the long variants (the short ones stay quiet unless an expectation fails).
  if (SOAK) console.log(JSON.stringify(report, null, 2));
  expect(completed).toBe(true);
  expect(rows).toBe(jobs.length);
  // While Redis is down: what needs it answers 503 with Retry-After, quickly; the rest is unaffected.
  const wrong = load.answers.filter(
    (answer) =>
      answer.ms > ANSWER_WITHIN_MS ||
      !(
        answer.status === 200 ||
        answer.status === 202 ||
        (answer.status === 503 && answer.retryAfter !== null && !answer.path.endsWith('/me'))
      ),
  );
  expect(wrong.map(({ body, ...answer }) => ({ ...answer, body: body.slice(0, 200) }))).toEqual([]);
  expect(outageAnswers.filter((answer) => answer.status === 503).length).toBeGreaterThan(0);
  expect(
    outageAnswers.filter((answer) => answer.path.endsWith('/me') && answer.status === 200).length,
  ).toBeGreaterThan(0);
  for (const service of [backend, worker]) {
    const ready = await waitFor(async () => (await capture(`${service.url}/readyz`)).status === 200, 20_000);
    expect([service.name, ready, alive(service.child.pid!)]).toEqual([service.name, true, true]);
  }
});

test('leak scan (case 4): no secret value in any line printed or response received around the restarts', async () => {
  const scan = await env.leakScan();
  expect(scan.values).toBeGreaterThanOrEqual(8);
  expect(scan.leaks).toEqual([]);
});

/** Status counts by path, and the slowest answer. */
function summarise(answers: Answer[]) {
  const byPath: Record<string, Record<string, number>> = {};
  for (const answer of answers) {
    const path = answer.path.replace(/\?.*/, '');
    byPath[path] ??= {};
    byPath[path][answer.status] = (byPath[path][answer.status] ?? 0) + 1;
  }
  return { count: answers.length, byPath, slowestMs: Math.max(0, ...answers.map((answer) => answer.ms)) };
}

async function standInBehaviour(openaiBaseUrl: string, change: Record<string, unknown>): Promise<void> {
  const response = await fetch(new URL('/__stand-in/behaviour', openaiBaseUrl), {
    method: 'POST',
    body: JSON.stringify(change),
  });
  if (!response.ok) throw new Error(`stand-in behaviour: ${response.status}`);
}
