import { Writable } from 'node:stream';
import { EVENTS_EXCHANGE, MARKET_UPDATED, type MarketSummaryJob } from '@estate/contracts';
import { type RabbitmqTarget, TcpProxy, useRabbitmq } from '@estate/testing';
import amqp from 'amqplib';
import pino from 'pino';
import { MarketUpdatedConsumer } from '../src/events/market-updated-consumer';
import { waitFor } from './support/wait-for';

// The consumer against a broker that goes away: a TCP proxy in front of the suite's vhost, which
// the test cuts (every connection reset, new ones refused) and restores on the same port.

let rabbitmq: RabbitmqTarget;

beforeAll(async () => {
  rabbitmq = await useRabbitmq();
});

afterAll(() => rabbitmq?.cleanup());

function recordingLogger() {
  const lines: Array<{ msg: string; attempt?: number; delayMs?: number; time: number }> = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, callback) {
        lines.push(JSON.parse(String(chunk)));
        callback();
      },
    }),
  );
  return { logger, lines };
}

test('a broker that goes away and comes back: reconnect attempts with growing capped delays, never giving up, then consumption resumes', async () => {
  const target = new URL(rabbitmq.url);
  const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5672) });
  await proxy.cut();
  const viaProxy = new URL(rabbitmq.url);
  viaProxy.port = String(proxy.port);
  const { logger, lines } = recordingLogger();
  const enqueued: MarketSummaryJob[][] = [];
  const consumer = new MarketUpdatedConsumer({
    url: () => viaProxy.toString(),
    enqueue: async (jobs) => {
      enqueued.push(jobs);
    },
    logger,
    reconnect: { baseMs: 50, maxMs: 400 },
  });
  try {
    // Down at startup: the process does not fail, it keeps trying.
    await consumer.startOrRetry();
    expect(consumer.isConnected()).toBe(false);
    await waitFor(() => lines.filter((line) => line.msg === 'rabbitmq reconnect failed').length >= 2);
    await proxy.restore();
    await waitFor(() => consumer.isConnected());

    // Lost while running: attempts go on for as long as it is down, each delay capped. The lines
    // are read in log order from the loss on (not by time: a loaded machine logs late).
    const lostFrom = lines.length;
    await proxy.cut();
    await waitFor(() => !consumer.isConnected());
    const sinceLoss = () => lines.slice(lostFrom);
    await waitFor(() => sinceLoss().filter((line) => line.msg === 'rabbitmq reconnect failed').length >= 6);
    const afterLoss = sinceLoss();
    const lossAt = afterLoss.findIndex((line) => line.msg === 'rabbitmq connection lost; reconnecting');
    expect(lossAt).toBeGreaterThanOrEqual(0);
    const failures = afterLoss.slice(lossAt).filter((line) => line.msg === 'rabbitmq reconnect failed');
    expect(failures.length).toBeGreaterThanOrEqual(6);
    expect(Math.max(...failures.map((line) => line.delayMs!))).toBeLessThanOrEqual(400);
    // The delays grow: the first after the loss is drawn below 50 ms, the later ones below 400 ms.
    expect(failures[0]!.attempt).toBe(1);
    expect(failures[0]!.delayMs).toBeLessThanOrEqual(50);
    await proxy.restore();
    // isConnected() turns true inside start(), before consumption begins and the line is logged.
    await waitFor(() => sinceLoss().some((line) => line.msg === 'rabbitmq reconnected'));
    expect(consumer.isConnected()).toBe(true);

    const connection = await amqp.connect(rabbitmq.url);
    try {
      const channel = await connection.createConfirmChannel();
      const event = {
        runId: 'run-reconnect',
        dataVersion: 'run-reconnect',
        regions: ['11680'],
        periods: ['2024-05'],
        counts: { inserted: 1, updated: 0, unchanged: 0 },
      };
      channel.publish(EVENTS_EXCHANGE, MARKET_UPDATED, Buffer.from(JSON.stringify(event)), {
        persistent: true,
      });
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
    await waitFor(() => enqueued.length === 1);
    expect(enqueued[0]).toEqual([{ region: '11680', period: '2024-05', dataVersion: 'run-reconnect' }]);
  } finally {
    await consumer.stop();
    await proxy.stop();
  }
});
