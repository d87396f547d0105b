import {
  EVENTS_EXCHANGE,
  MARKET_UPDATED,
  type MarketSummaryJob,
  marketSummaryJobId,
} from '@estate/contracts';
import { freePort, startPrivateRedis, stopPrivateRedis } from '@estate/testing';
import amqp from 'amqplib';
import request from 'supertest';
import { DEFAULT_NAMES, MarketUpdatedConsumer } from '../src/events/market-updated-consumer';
import { SummaryQueue } from '../src/queue/summary-queue';
import { type Backend, startBackend } from './support/backend';
import { insertDeals } from './support/market-fixtures';
import { random } from './support/seed';
import { waitFor } from './support/wait-for';

let backend: Backend;
let token: string;

beforeAll(async () => {
  backend = await startBackend();
  const email = `summary-${random(6)}@example.com`;
  const password = 'correct horse battery staple';
  await request(backend.app).post('/api/v1/auth/register').send({ email, password }).expect(201);
  token = (await request(backend.app).post('/api/v1/auth/login').send({ email, password })).body.token;
  await insertDeals(backend.deps.db, [
    {
      region: '11680',
      date: '2024-04-11',
      apartment: '은마',
      amount: 150_000,
      area: 76.79,
      dataVersion: 'run-1',
    },
    {
      region: '11680',
      date: '2024-05-02',
      apartment: '래미안',
      amount: 200_000,
      area: 100,
      dataVersion: 'run-2',
    },
  ]);
});

afterAll(async () => {
  await backend.cleanup();
});

const post = (path: string, body?: object) => {
  const call = request(backend.app).post(path).set('Authorization', `Bearer ${token}`);
  return body ? call.send(body) : call;
};

describe('POST /api/v1/regions/:code/summary', () => {
  it('enqueues one job per region, period and data version, and returns the same job when asked again', async () => {
    const first = await post('/api/v1/regions/11680/summary').expect(202);
    expect(first.body).toMatchObject({
      created: true,
      job: { state: 'waiting', data: { region: '11680', period: '2024-05', dataVersion: 'run-2' } },
    });
    expect(first.headers.location).toBe(`/api/v1/jobs/${first.body.job.id}`);
    const again = await post('/api/v1/regions/11680/summary', {}).expect(200);
    expect(again.body).toMatchObject({ created: false, job: { id: first.body.job.id } });

    const april = await post('/api/v1/regions/11680/summary', { period: '2024-04' }).expect(202);
    expect(april.body.job.data).toEqual({ region: '11680', period: '2024-04', dataVersion: 'run-1' });
    expect(april.body.job.id).not.toBe(first.body.job.id);

    const job = await request(backend.app)
      .get(`/api/v1/jobs/${first.body.job.id}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(job.body.job).toMatchObject({
      id: first.body.job.id,
      state: 'waiting',
      result: null,
      attemptsMade: 0,
    });
  });

  it('answers 404 when no deals are loaded, and 404 for an unknown job', async () => {
    const none = await post('/api/v1/regions/11110/summary').expect(404);
    expect(none.body.error.code).toBe('no_market_data');
    const unknown = await request(backend.app)
      .get('/api/v1/jobs/summary-00000-2024-01-x')
      .set('Authorization', `Bearer ${token}`)
      .expect(404);
    expect(unknown.body.error.code).toBe('not_found');
  });

  it.each([
    [{ period: '2024-5' }, 'invalid_value', 'period'],
    [{ period: '2024-05', force: true }, 'unknown_field', 'force'],
  ])('answers 400 to %j', async (body, code, field) => {
    const response = await post('/api/v1/regions/11680/summary', body).expect(400);
    expect(response.body.error).toMatchObject({ code, field });
  });
});

describe('while the queue cannot reach Redis', () => {
  // Before: BullMQ's connection queued every command until Redis came back, so a summary request
  // hung for as long as the outage (and then answered 200, or the client gave up).
  it('answers 503 queue_unavailable with Retry-After at once, /readyz names the queue, and it serves again once Redis is back', async () => {
    const port = await freePort();
    let redis = await startPrivateRedis(port);
    const queue = new SummaryQueue({ host: '127.0.0.1', port }, 'estate-outage:bull');
    const app = backend.withSettings({}, { summaries: queue });
    const summary = () =>
      request(app)
        .post('/api/v1/regions/11680/summary')
        .set('Authorization', `Bearer ${token}`)
        .send({ period: '2024-04' });
    try {
      const queued = await summary().expect(202);
      await stopPrivateRedis(redis);

      const started = Date.now();
      const refused = await summary().expect(503);
      // A hang would last until Redis is back (after these lines): the bound only has to be finite.
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.body.error).toMatchObject({ code: 'queue_unavailable', field: null });
      const job = await request(app)
        .get(`/api/v1/jobs/${queued.body.job.id}`)
        .set('Authorization', `Bearer ${token}`)
        .expect(503);
      expect(job.headers['retry-after']).toBe('5');
      const ready = await request(app).get('/readyz').expect(503);
      expect(ready.body.failing).toContain('queue');

      redis = await startPrivateRedis(port);
      // It reconnects by itself (at most 2 s between attempts); the job is new (that Redis kept nothing).
      let status = 0;
      await waitFor(async () => {
        status = (await summary()).status;
        return status !== 503;
      });
      expect(status).toBe(202);
    } finally {
      await queue.close().catch(() => {});
      await stopPrivateRedis(redis);
    }
  });
});

describe('market.updated consumer', () => {
  it('acks only after the jobs are enqueued, and dead-letters malformed messages', async () => {
    const calls: Array<{ jobs: MarketSummaryJob[] }> = [];
    const consumer = new MarketUpdatedConsumer({
      url: () => backend.env.rabbitmq.url,
      logger: backend.deps.logger,
      retryDelayMs: 50,
      enqueue: async (jobs) => {
        calls.push({ jobs });
        // The first attempt fails as if Redis were down: the message must not be acked.
        if (calls.length === 1) throw new Error('redis unavailable');
        await backend.deps.summaries.enqueueMany(jobs);
      },
    });
    await consumer.start();
    const connection = await amqp.connect(backend.env.rabbitmq.url);
    const channel = await connection.createConfirmChannel();
    try {
      const event = {
        runId: 'run-3',
        dataVersion: 'run-3',
        regions: ['11680', '11110'],
        periods: ['2024-05'],
        counts: { inserted: 3, updated: 0, unchanged: 0 },
      };
      channel.publish(EVENTS_EXCHANGE, MARKET_UPDATED, Buffer.from(JSON.stringify(event)), {
        persistent: true,
      });
      channel.publish(EVENTS_EXCHANGE, MARKET_UPDATED, Buffer.from('{not json'), { persistent: true });
      channel.publish(
        EVENTS_EXCHANGE,
        MARKET_UPDATED,
        Buffer.from(JSON.stringify({ ...event, regions: ['1'] })),
        {
          persistent: true,
        },
      );
      await channel.waitForConfirms();

      await waitFor(async () => (await channel.checkQueue(DEFAULT_NAMES.deadLetterQueue)).messageCount === 2);
      await waitFor(
        async () => calls.length === 2 && (await backend.deps.summaries.find(jobIdOf('11110'))) !== undefined,
      );
      await consumer.stop();

      expect(calls).toHaveLength(2);
      expect(calls[1]!.jobs).toEqual([
        { region: '11680', period: '2024-05', dataVersion: 'run-3' },
        { region: '11110', period: '2024-05', dataVersion: 'run-3' },
      ]);
      expect(await backend.deps.summaries.find(jobIdOf('11680'))).toMatchObject({ state: 'waiting' });
      // Nothing left unacknowledged: the queue is empty once the consumer is gone.
      expect((await channel.checkQueue(DEFAULT_NAMES.queue)).messageCount).toBe(0);
      const dead = await channel.get(DEFAULT_NAMES.deadLetterQueue, { noAck: true });
      expect(dead ? dead.content.toString() : null).toBe('{not json');
    } finally {
      await consumer.stop();
      await connection.close();
    }
  });

  it("queues the event's changed pairs when it names them, not regions x periods", async () => {
    const calls: MarketSummaryJob[][] = [];
    const consumer = new MarketUpdatedConsumer({
      url: () => backend.env.rabbitmq.url,
      logger: backend.deps.logger,
      enqueue: async (jobs) => {
        calls.push(jobs);
      },
    });
    await consumer.start();
    const connection = await amqp.connect(backend.env.rabbitmq.url);
    const channel = await connection.createConfirmChannel();
    try {
      const event = {
        runId: 'run-4',
        dataVersion: 'run-4',
        regions: ['11650', '11680'],
        periods: ['2024-01', '2024-02'],
        counts: { inserted: 3, updated: 0, unchanged: 0 },
        changes: [
          { region: '11650', period: '2024-01' },
          { region: '11680', period: '2024-02' },
        ],
      };
      channel.publish(EVENTS_EXCHANGE, MARKET_UPDATED, Buffer.from(JSON.stringify(event)), {
        persistent: true,
      });
      await channel.waitForConfirms();
      await waitFor(async () => calls.length === 1);
      expect(calls[0]).toEqual([
        { region: '11650', period: '2024-01', dataVersion: 'run-4' },
        { region: '11680', period: '2024-02', dataVersion: 'run-4' },
      ]);
    } finally {
      await consumer.stop();
      await connection.close();
    }
  });
});

const jobIdOf = (region: string) => marketSummaryJobId({ region, period: '2024-05', dataVersion: 'run-3' });
