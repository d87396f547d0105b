import { CreateSecretCommand, DeleteSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { MarketSummaryJob } from '@estate/contracts';
import { within } from '@estate/testing';
import type { Queue } from 'bullmq';
import { settled, WorkerTestEnvironment, waitFor } from './support/environment';
import { spawnWorker } from './support/process';

let env: WorkerTestEnvironment;
let queue: Queue<MarketSummaryJob>;

beforeAll(async () => {
  env = await WorkerTestEnvironment.start();
  queue = env.queue();
});

beforeEach(() => {
  env.standIn.reset();
  env.standIn.configure({ acceptedApiKey: env.values.openai.apiKey });
});

afterAll(async () => {
  await env?.cleanup();
});

/**
 * Short BullMQ lock and stalled-check timings for every worker of the suite: the stalled check is
 * throttled queue-wide by a key that lives for the interval of the worker that set it, so one
 * worker with the 30 s default would delay every other worker's check.
 */
const timing = { AI_WORKER_LOCK_DURATION_MS: '2000', AI_WORKER_STALLED_INTERVAL_MS: '1000' };

function secretValues(): string[] {
  return [env.values.openai.apiKey, env.values.database.password];
}

describe('main.ts', () => {
  it('exits 1 naming the secret it cannot load, without a value', async () => {
    const { secretsManager } = env.adminClients();
    const name = 'estate/dev/openai';
    await secretsManager.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
    try {
      const run = spawnWorker(env.processEnvironment());
      expect(await within(run.exited, 30_000, 'startup')).toBe(1);
      expect(run.output()).toContain('ai-worker: 1 secret could not be loaded');
      expect(run.output()).toContain(`${name}: ResourceNotFoundException`);
      expect(run.output()).not.toContain('worker started');
      for (const value of secretValues()) expect(run.output()).not.toContain(value);
    } finally {
      await secretsManager.send(
        new CreateSecretCommand({ Name: name, SecretString: JSON.stringify(env.values.openai) }),
      );
    }
  });

  it('starts, is ready, and on SIGTERM finishes the running job before exiting 0', async () => {
    const data = { region: '26440', period: '2024-05', dataVersion: 'v-sigterm' };
    await env.seedDeals(data.region, data.period, [3, 2]);
    env.standIn.configure({ delayMs: 1_500 });
    const run = spawnWorker({ ...env.processEnvironment(), ...timing });
    const port = await within(run.ready, 30_000, 'startup');
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { redis: 'ok', database: 'ok', worker: 'ok', secrets: 'fresh' },
    });

    const added = await env.enqueue(queue, data);
    await waitFor(async () => (env.standIn.inFlight() === 1 ? true : undefined), 20_000, 'the OpenAI call');
    run.child.kill('SIGTERM');
    expect(await within(run.exited, 20_000, 'graceful shutdown')).toBe(0);

    const job = await queue.getJob(added.id!);
    expect(await job?.getState()).toBe('completed');
    expect(await env.summaryRows(data.region, data.period)).toHaveLength(1);
    expect(run.output()).toContain('"msg":"stopped"');
    for (const value of secretValues()) expect(run.output()).not.toContain(value);
  });

  it('loses nothing when killed mid-job: another worker takes the stalled job and writes one row', async () => {
    const data = { region: '41135', period: '2024-06', dataVersion: 'v-crash' };
    await env.seedDeals(data.region, data.period, [4, 3, 2]);
    env.standIn.configure({ delayMs: 4_000 });
    const added = await env.enqueue(queue, data);
    const run = spawnWorker({ ...env.processEnvironment(), ...timing });
    await waitFor(async () => (env.standIn.inFlight() === 1 ? true : undefined), 30_000, 'the OpenAI call');
    run.child.kill('SIGKILL');
    expect(await within(run.exited, 10_000, 'kill')).toBeNull();
    expect(await (await queue.getJob(added.id!))?.getState()).toBe('active');

    env.standIn.configure({ delayMs: 0 });
    const second = await env.startWorker({ lockDurationMs: 2_000, stalledIntervalMs: 1_000 });
    try {
      const job = await settled(queue, added.id!, 30_000);
      expect(await job.getState()).toBe('completed');
      expect(job.returnvalue).toMatchObject({ written: true });
      expect(await env.summaryRows(data.region, data.period)).toHaveLength(1);
      expect(env.logs.join('')).toContain('summary job stalled; it will run again');
    } finally {
      await second.close();
    }
    for (const value of secretValues()) expect(run.output()).not.toContain(value);
  });
});
