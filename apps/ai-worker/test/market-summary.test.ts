import type { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MarketSummaryJob } from '@estate/contracts';
import type { Queue } from 'bullmq';
import Redis from 'ioredis';
import { insertSummary } from '../src/db/market-summaries';
import { createHealthServer } from '../src/health/health-server';
import { MODEL, type RunningWorker, random, settled, WorkerTestEnvironment } from './support/environment';

let env: WorkerTestEnvironment;
let queue: Queue<MarketSummaryJob>;
let worker: RunningWorker;
const rejectedKeys: string[] = [];

beforeAll(async () => {
  env = await WorkerTestEnvironment.start();
  queue = env.queue();
});

beforeEach(async () => {
  env.standIn.reset();
  env.standIn.configure({ acceptedApiKey: env.values.openai.apiKey });
  worker = await env.startWorker();
});

afterEach(async () => {
  await worker.close();
});

afterAll(async () => {
  await env?.cleanup();
});

let regionSeq = 11_000;
/** A region of its own per test, with deals in the period and the five months before. */
async function seededJob(): Promise<MarketSummaryJob> {
  regionSeq += 10;
  const job = {
    region: String(regionSeq),
    period: '2024-03',
    dataVersion: `v-${random(4).replace(/[^A-Za-z0-9]/g, 'x')}`,
  };
  await env.seedDeals(job.region, job.period, [5, 4, 4, 3, 3, 2], { cancelled: 1 });
  return job;
}

describe('market-summary job', () => {
  it('goes from enqueue to one stored row, through the openai client, with the model from SSM', async () => {
    const data = await seededJob();
    const added = await env.enqueue(queue, data);
    const job = await settled(queue, added.id!);

    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toEqual({ written: true, model: MODEL });
    const rows = await env.summaryRows(data.region, data.period);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({
      region: data.region,
      period: data.period,
      data_version: data.dataVersion,
      model: MODEL,
    });
    // 5 deals in March, one cancelled: median of 10억 6,500만 .. 10억 8,000만 over 84.97 m²,
    // = 12,622,102 KRW per m², formatted in 만원 by the prompt.
    expect(Math.round(1_072_500_000 / 84.97)).toBe(12_622_102);
    expect(row.summary_ko).toBe(
      `${data.region} 지역 2024-03 아파트 매매는 4건이며, ㎡당 중위 가격은 1,262만원입니다.`,
    );
    expect(row.summary_en).toBe(
      `Region ${data.region} recorded 4 apartment sales in 2024-03; the median price per m² was KRW 12,622,102.`,
    );
    expect(row.content).toEqual({
      summaryKo: row.summary_ko,
      summaryEn: row.summary_en,
      trend: 'up',
      highlights: ['거래 취소 1건'],
    });
    expect(env.standIn.requests).toEqual([
      expect.objectContaining({ status: 200, model: MODEL, responseFormat: 'json_object' }),
    ]);
  });

  it('changes nothing when rerun: no second call, the row untouched', async () => {
    const data = await seededJob();
    const first = await settled(queue, (await env.enqueue(queue, data)).id!);
    expect(first.returnvalue).toMatchObject({ written: true });
    const before = await env.summaryRows(data.region, data.period);

    await first.remove();
    const rerun = await settled(queue, (await env.enqueue(queue, data)).id!);
    expect(await rerun.getState()).toBe('completed');
    expect(rerun.returnvalue).toEqual({ written: false, model: null });
    expect(await env.summaryRows(data.region, data.period)).toEqual(before);
    expect(env.standIn.requests).toHaveLength(1);

    // Two workers racing past the existence check still write once: the insert itself is idempotent.
    const output = {
      summaryKo: '다른 답',
      summaryEn: 'another answer',
      trend: 'flat' as const,
      highlights: [],
    };
    await expect(insertSummary(worker.db, { ...data, model: 'other', output })).resolves.toBe(false);
    expect(await env.summaryRows(data.region, data.period)).toEqual(before);
  });

  it('retries a 429 after the Retry-After it was given, then succeeds', async () => {
    const data = await seededJob();
    env.standIn.configure({ script: [{ status: 429, retryAfterSeconds: 1 }] });
    const job = await settled(queue, (await env.enqueue(queue, data)).id!);

    expect(await job.getState()).toBe('completed');
    expect(job.attemptsMade).toBe(2); // BullMQ counts the completing attempt too
    const [limited, ok] = env.standIn.requests;
    expect([limited?.status, ok?.status]).toEqual([429, 200]);
    // Backoff alone would be 100 ms; the API asked for 1 s.
    expect(ok!.at - limited!.at).toBeGreaterThanOrEqual(950);
    expect(await env.summaryRows(data.region, data.period)).toHaveLength(1);
    const metrics = await worker.registry.metrics();
    expect(metrics).toContain('estate_ai_worker_jobs_total{outcome="retried"} 1');
    expect(metrics).toContain('estate_ai_worker_jobs_total{outcome="completed"} 1');
  });

  it('retries a 5xx with BullMQ backoff', async () => {
    const data = await seededJob();
    env.standIn.configure({ script: [{ status: 500 }, { status: 503 }] });
    const job = await settled(queue, (await env.enqueue(queue, data)).id!);
    expect(await job.getState()).toBe('completed');
    expect(job.attemptsMade).toBe(3);
    expect(env.standIn.requests.map((request) => request.status)).toEqual([500, 503, 200]);
    expect(await env.summaryRows(data.region, data.period)).toHaveLength(1);
  });

  it('after a 401 refreshes the openai secret once, picks up the rotated key and retries once', async () => {
    const data = await seededJob();
    const rotated = { ...env.values.openai, apiKey: `sk-rotated-${random()}` };
    rejectedKeys.push(env.values.openai.apiKey);
    env.standIn.configure({ acceptedApiKey: rotated.apiKey });
    await env.putSecret('openai', rotated);
    env.values.openai = rotated;

    const job = await settled(queue, (await env.enqueue(queue, data)).id!);
    expect(await job.getState()).toBe('completed');
    expect(job.attemptsMade).toBe(1); // one attempt: the refresh and the retry happen inside it
    expect(env.standIn.requests.map((request) => request.status)).toEqual([401, 200]);
    expect(worker.secrets.get('openai').apiKey).toBe(rotated.apiKey);
    expect(await env.summaryRows(data.region, data.period)).toHaveLength(1);
  });

  it('after a 401 with no new key in Secrets Manager fails the job for good, with a clear reason', async () => {
    const data = await seededJob();
    const expected = `sk-never-stored-${random()}`;
    rejectedKeys.push(expected);
    env.standIn.configure({ acceptedApiKey: expected });

    const job = await settled(queue, (await env.enqueue(queue, data)).id!);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1); // unrecoverable: the other two attempts are not spent
    expect(job.failedReason).toBe(
      'OpenAI API rejected the API key (401); a forced refresh of estate/dev/openai found no new key: rotate the key in Secrets Manager',
    );
    expect(env.standIn.requests.map((request) => request.status)).toEqual([401]);
    expect(await env.summaryRows(data.region, data.period)).toHaveLength(0);
    const metrics = await worker.registry.metrics();
    expect(metrics).toContain('estate_ai_worker_jobs_total{outcome="failed"} 1');
  });

  it('fails an attempt on invalid model output with the field paths, and stores nothing', async () => {
    const data = await seededJob();
    env.standIn.configure({ mode: 'invalid-shape' });
    const job = await settled(queue, (await env.enqueue(queue, data)).id!);

    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(3);
    expect(job.failedReason).toMatch(
      /^model output failed validation: summaryKo: .+; summaryEn: .+; trend: .+/,
    );
    expect(job.failedReason).not.toContain('sideways');
    expect(await env.summaryRows(data.region, data.period)).toHaveLength(0);

    // Not JSON at all, then a valid answer: the second attempt stores the row.
    const next = await seededJob();
    env.standIn.configure({ mode: 'ok', script: ['invalid-json'] });
    const recovered = await settled(queue, (await env.enqueue(queue, next)).id!);
    expect(await recovered.getState()).toBe('completed');
    expect(recovered.attemptsMade).toBe(2);
    expect(await env.summaryRows(next.region, next.period)).toHaveLength(1);
    expect(env.logs.join('')).toContain('model output failed validation: (message): not valid JSON');
  });

  it('fails a job for a region without deals in the period, without calling the API', async () => {
    const job = await settled(
      queue,
      (await env.enqueue(queue, { region: '99999', period: '2024-03', dataVersion: 'v1' })).id!,
    );
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toBe('no apartment deals are loaded for region 99999 in 2024-03');
    expect(env.standIn.requests).toHaveLength(0);
  });

  it('serves /healthz, /readyz and /metrics with the job and secrets metrics', async () => {
    const redis = new Redis({ host: env.redis.host, port: env.redis.port, maxRetriesPerRequest: 1 });
    const healthy = createHealthServer({
      checks: { database: () => worker.db.ping(), redis: () => redis.ping() },
      secrets: worker.secrets,
      registry: worker.registry,
    });
    const failing = createHealthServer({
      checks: {
        database: () => worker.db.ping(),
        redis: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')),
      },
      secrets: worker.secrets,
      registry: worker.registry,
    });
    const base = async (server: ReturnType<typeof createServer>) => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    try {
      const ok = await base(healthy);
      expect((await fetch(`${ok}/healthz`)).status).toBe(200);
      const ready = await fetch(`${ok}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({
        status: 'ready',
        checks: { database: 'ok', redis: 'ok', secrets: 'fresh' },
      });
      const metrics = await (await fetch(`${ok}/metrics`)).text();
      expect(metrics).toContain('estate_ai_worker_jobs_total{outcome="completed"}');
      expect(metrics).toContain('# TYPE estate_ai_worker_job_duration_seconds histogram');
      expect(metrics).toContain('estate_secrets_api_calls_total');
      expect(metrics).toContain('estate_secrets_age_seconds{group="openai"}');

      const notReady = await fetch(`${await base(failing)}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({
        status: 'not ready',
        checks: { database: 'ok', redis: 'failed: connect ECONNREFUSED 127.0.0.1:1', secrets: 'fresh' },
      });
    } finally {
      healthy.close();
      failing.close();
      redis.disconnect();
    }
  });

  it('logged no secret value in any of the above', () => {
    const logs = env.logs.join('');
    expect(logs).toContain('summary job completed');
    expect(logs).toContain('summary job attempt failed');
    for (const value of [env.values.openai.apiKey, env.values.database.password, ...rejectedKeys]) {
      expect(logs).not.toContain(value);
    }
  });
});
