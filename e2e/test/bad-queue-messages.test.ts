import { setTimeout as sleep } from 'node:timers/promises';
import { EVENTS_EXCHANGE, MARKET_UPDATED, marketSummaryJobId } from '@estate/contracts';
import type { ChannelModel } from 'amqplib';
import {
  brokerConnection,
  CONSUMER_DLQ,
  CONSUMER_QUEUE,
  linesOf,
  queueDepths,
  summaryQueue,
  summaryQueueCounts,
} from './support/bad-inputs';
import { capture, ETL_ARGS, type IsolatedStack, startIsolatedStack } from './support/isolated-stack';

// Reliability, issue 9 case 5 (queue messages): malformed `market.updated` events published to
// `estate.events` in the stack's vhost, and malformed jobs added straight onto the `market-summary`
// queue with the services' own name and prefix. Every one ends in the dead-letter queue or the
// failed set with a reason naming the field, none is dropped (DLQ count = sent, main queues empty),
// and the backend and the ai-worker keep running and then process a valid message.
jest.setTimeout(120_000);

const SETTLE_MS = 30_000;

let env: IsolatedStack;
let broker: ChannelModel;

beforeAll(async () => {
  env = await startIsolatedStack();
  broker = await brokerConnection(env.stack);
  const etlExit = await env.stack.runEtl(ETL_ARGS);
  if (etlExit !== 0) throw new Error(`estate-etl run exited ${etlExit}\n${env.tail()}`);
  // The ETL's own event queued summaries: let them finish, so the counts below start from rest.
  await until(async () => idle(await summaryQueueCounts(env.stack)), SETTLE_MS);
});

afterAll(async () => {
  await broker?.close().catch(() => {});
  await env?.cleanup();
});

const idle = (counts: Record<string, number>) =>
  (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0) === 0;

async function until(done: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await done()) return true;
    await sleep(200);
  }
  return done();
}

const validEvent = (dataVersion: string) => ({
  runId: `run-${dataVersion}`,
  dataVersion,
  regions: ['11680'],
  periods: ['2024-02'],
  counts: { inserted: 1, updated: 0, unchanged: 0 },
});

/** Malformed `market.updated` bodies; each with the problem the backend's log line must name. */
const EVENTS: Array<{ name: string; body: Buffer; problem: RegExp }> = [
  { name: 'not JSON', body: Buffer.from('{"runId": "r1", "dataVersion":'), problem: /^not JSON$/ },
  { name: 'empty body', body: Buffer.alloc(0), problem: /^not JSON$/ },
  { name: 'JSON null', body: Buffer.from('null'), problem: /^\(root\): .*expected object/ },
  {
    name: 'wrong types (runId a number, counts a string)',
    body: Buffer.from(JSON.stringify({ ...validEvent('v1'), runId: 42, counts: 'many' })),
    problem: /^runId: .*expected string/,
  },
  {
    name: 'a required field missing (periods)',
    body: Buffer.from(JSON.stringify({ ...validEvent('v1'), periods: undefined })),
    problem: /^periods: .*expected array/,
  },
  {
    name: 'a bad region code',
    body: Buffer.from(JSON.stringify({ ...validEvent('v1'), regions: ['1168'] })),
    problem: /^regions\.0: must be a 5-digit region code/,
  },
  {
    name: 'an unknown version (a v2 envelope)',
    body: Buffer.from(JSON.stringify({ schemaVersion: 2, event: validEvent('v2') })),
    problem: /^runId: .*expected string/,
  },
  {
    name: 'huge (2 MB: 250,000 regions)',
    body: Buffer.from(
      JSON.stringify({ ...validEvent('v1'), regions: Array.from({ length: 250_000 }, () => '11680') }),
    ),
    problem: /^regions: .*(<=|at most|too big).*1000/i,
  },
];

/** Malformed summary jobs; each with what its failedReason must say. */
const JOBS: Array<{ name: string; data: unknown; reason: RegExp }> = [
  {
    name: 'data a string',
    data: 'summarize 11680',
    reason: /invalid market-summary payload: : .*expected object/,
  },
  {
    name: 'region a number',
    data: { region: 11680, period: '2024-01', dataVersion: 'v1' },
    reason: /invalid market-summary payload: region: .*expected string/,
  },
  {
    name: 'dataVersion missing',
    data: { region: '11680', period: '2024-01' },
    reason: /invalid market-summary payload: dataVersion: .*expected string/,
  },
  {
    name: 'period out of range (month 13)',
    data: { region: '11680', period: '2024-13', dataVersion: 'v1' },
    reason: /invalid market-summary payload: period: must be a month as YYYY-MM/,
  },
  {
    name: 'huge (a 1 MB dataVersion)',
    data: { region: '11680', period: '2024-01', dataVersion: 'v'.repeat(1_000_000) },
    reason: /invalid market-summary payload: dataVersion: must be 1 to 64 characters/,
  },
];

test('malformed market.updated events: each dead-lettered with its problem logged; the consumer then takes a valid one', async () => {
  const { stack } = env;
  const before = await queueDepths(broker, [CONSUMER_QUEUE, CONSUMER_DLQ]);
  const countsBefore = await summaryQueueCounts(stack);
  const logFrom = env.output.length;
  const channel = await broker.createConfirmChannel();
  const ids = EVENTS.map((_, index) => `bad-event-${Date.now()}-${index}`);
  for (const [index, event] of EVENTS.entries()) {
    channel.publish(EVENTS_EXCHANGE, MARKET_UPDATED, event.body, {
      persistent: true,
      contentType: 'application/json',
      messageId: ids[index],
    });
  }
  await channel.waitForConfirms();

  let depths = before;
  await until(async () => {
    depths = await queueDepths(broker, [CONSUMER_QUEUE, CONSUMER_DLQ]);
    return depths[CONSUMER_DLQ] === before[CONSUMER_DLQ]! + EVENTS.length && depths[CONSUMER_QUEUE] === 0;
  }, SETTLE_MS);
  expect(depths).toEqual({ [CONSUMER_QUEUE]: 0, [CONSUMER_DLQ]: before[CONSUMER_DLQ]! + EVENTS.length });
  // No job came of them.
  expect(await summaryQueueCounts(stack)).toEqual(countsBefore);

  // Each dead letter is ours, rejected by the consumer (x-death), and kept (requeued after reading).
  const deadLetters: Record<string, string> = {};
  for (let index = 0; index < EVENTS.length; index += 1) {
    const message = await channel.get(CONSUMER_DLQ, { noAck: false });
    if (!message) break;
    const death = (message.properties.headers?.['x-death'] as Array<{ reason: string; queue: string }>)?.[0];
    deadLetters[String(message.properties.messageId)] = `${death?.reason} from ${death?.queue}`;
  }
  channel.nackAll(true);
  expect(deadLetters).toEqual(Object.fromEntries(ids.map((id) => [id, `rejected from ${CONSUMER_QUEUE}`])));
  expect((await queueDepths(broker, [CONSUMER_DLQ]))[CONSUMER_DLQ]).toBe(
    before[CONSUMER_DLQ]! + EVENTS.length,
  );

  // The reason is in the backend's log, per message id: the field path and what is wrong.
  const logged = linesOf(env.output, 'backend', logFrom)
    .filter((line) => line.includes('malformed market.updated: dead-lettered'))
    .map((line) => JSON.parse(line) as { messageId: string; problem: string });
  for (const [index, event] of EVENTS.entries()) {
    const entry = logged.find((line) => line.messageId === ids[index]);
    expect({ event: event.name, problem: entry?.problem }).toEqual({
      event: event.name,
      problem: expect.stringMatching(event.problem),
    });
  }

  // Still consuming: a valid event becomes a summary job that the ai-worker completes.
  const dataVersion = `valid-${Date.now()}`;
  channel.publish(EVENTS_EXCHANGE, MARKET_UPDATED, Buffer.from(JSON.stringify(validEvent(dataVersion))), {
    persistent: true,
    contentType: 'application/json',
    messageId: `run-${dataVersion}`,
  });
  await channel.waitForConfirms();
  await channel.close();
  const state = await jobState(marketSummaryJobId({ region: '11680', period: '2024-02', dataVersion }));
  expect(state).toBe('completed');
  expect(await queueDepths(broker, [CONSUMER_QUEUE])).toEqual({ [CONSUMER_QUEUE]: 0 });
  for (const service of stack.services)
    expect([service.name, (await capture(`${service.url}/readyz`)).status]).toEqual([service.name, 200]);
});

/** Waits for a job to finish; its final state, or what it was at the deadline. */
async function jobState(id: string): Promise<string> {
  const queue = await summaryQueue(env.stack);
  try {
    let state = 'missing';
    await until(async () => {
      const job = await queue.getJob(id);
      state = job ? await job.getState() : 'missing';
      return state === 'completed' || state === 'failed';
    }, SETTLE_MS);
    return state;
  } finally {
    await queue.close();
  }
}

test('malformed summary jobs: each fails for good with its field named; the ai-worker then completes a valid one', async () => {
  const { stack } = env;
  const queue = await summaryQueue(stack);
  try {
    const before = await queue.getJobCounts();
    const added = [];
    for (const job of JOBS) {
      // As the backend adds them (5 attempts, backoff): an invalid payload must not use them up.
      added.push(
        await queue.add('summarize', job.data, {
          attempts: 5,
          backoff: { type: 'exponential', delay: 5_000 },
        }),
      );
    }
    let counts = before;
    await until(async () => {
      counts = await queue.getJobCounts();
      return idle(counts) && counts.failed === (before.failed ?? 0) + JOBS.length;
    }, SETTLE_MS);
    expect({ ...counts, failed: counts.failed! - (before.failed ?? 0) }).toEqual({
      ...before,
      failed: JOBS.length,
    });
    for (const [index, job] of JOBS.entries()) {
      const stored = await queue.getJob(added[index]!.id!);
      expect({ job: job.name, state: await stored?.getState(), attempts: stored?.attemptsMade }).toEqual({
        job: job.name,
        state: 'failed',
        attempts: 1,
      });
      expect({ job: job.name, reason: stored?.failedReason }).toEqual({
        job: job.name,
        reason: expect.stringMatching(job.reason),
      });
      expect(stored?.failedReason.length).toBeLessThan(500);
    }

    // Still working: a valid job completes.
    const valid = await queue.add(
      'summarize',
      { region: '11680', period: '2024-01', dataVersion: `valid-job-${Date.now()}` },
      { attempts: 5 },
    );
    expect([await jobState(valid.id!), (await queue.getJob(valid.id!))?.failedReason]).toEqual([
      'completed',
      undefined,
    ]);
  } finally {
    await queue.close();
  }
  for (const service of stack.services)
    expect([service.name, (await capture(`${service.url}/readyz`)).status]).toEqual([service.name, 200]);
});

test('leak scan (case 4): no secret value in any line printed or response received', async () => {
  await broker.close();
  const scan = await env.leakScan();
  expect(scan.values).toBeGreaterThanOrEqual(8);
  expect(scan.leaks).toEqual([]);
});
