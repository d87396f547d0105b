import { EVENTS_EXCHANGE, MARKET_UPDATED, type MarketSummaryJob, MarketUpdated } from '@estate/contracts';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';

export interface ConsumerNames {
  /** The backend's durable queue bound to estate.events / market.updated. */
  queue: string;
  /** Where malformed messages go (nack without requeue). */
  deadLetterExchange: string;
  deadLetterQueue: string;
}

export const DEFAULT_NAMES: ConsumerNames = {
  queue: 'backend.market-updated',
  deadLetterExchange: 'estate.events.dlx',
  deadLetterQueue: 'backend.market-updated.dlq',
};

export interface MarketUpdatedConsumerOptions {
  /** Read at each (re)connection, so a rotated RabbitMQ password applies on the next connect. */
  url: () => string;
  /** Enqueues the summary refreshes; idempotent (deterministic job ids), so redelivery is harmless. */
  enqueue: (jobs: MarketSummaryJob[]) => Promise<void>;
  logger: Logger;
  names?: ConsumerNames;
  /** Unacknowledged messages in flight at most. */
  prefetch?: number;
  /** Delay before reconnecting, and before a failed message is handed back. */
  retryDelayMs?: number;
}

/**
 * Consumes `market.updated` and enqueues a summary refresh per region and period it names. A
 * message is acked only after its jobs are in Redis; a malformed one is dead-lettered; one whose
 * jobs could not be enqueued is requeued after a pause. Reconnects when the connection drops.
 */
export class MarketUpdatedConsumer {
  private connection: ChannelModel | undefined;
  private channel: Channel | undefined;
  private stopping = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly names: ConsumerNames;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: MarketUpdatedConsumerOptions) {
    this.names = options.names ?? DEFAULT_NAMES;
  }

  isConnected(): boolean {
    return this.channel !== undefined;
  }

  async start(): Promise<void> {
    const connection = await amqp.connect(this.options.url());
    const channel = await connection.createChannel();
    const { queue, deadLetterExchange, deadLetterQueue } = this.names;
    await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
    await channel.assertExchange(deadLetterExchange, 'fanout', { durable: true });
    await channel.assertQueue(deadLetterQueue, { durable: true });
    await channel.bindQueue(deadLetterQueue, deadLetterExchange, '');
    await channel.assertQueue(queue, { durable: true, deadLetterExchange });
    await channel.bindQueue(queue, EVENTS_EXCHANGE, MARKET_UPDATED);
    await channel.prefetch(this.options.prefetch ?? 10);
    connection.on('error', (error: Error) =>
      this.options.logger.warn({ err: error }, 'rabbitmq connection error'),
    );
    connection.on('close', () => this.lost());
    this.connection = connection;
    this.channel = channel;
    await channel.consume(queue, (message) => {
      if (!message) return;
      const handling = this.handle(channel, message).finally(() => this.inFlight.delete(handling));
      this.inFlight.add(handling);
    });
    this.options.logger.info({ queue }, 'consuming market.updated');
  }

  /** Stops consuming, lets in-flight messages finish (ack or nack), then closes the connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    const connection = this.connection;
    this.channel = undefined;
    this.connection = undefined;
    await Promise.allSettled([...this.inFlight]);
    await connection?.close().catch(() => {});
  }

  private async handle(channel: Channel, message: ConsumeMessage): Promise<void> {
    const event = parse(message.content);
    if (!event.success) {
      this.options.logger.warn(
        { messageId: message.properties.messageId, problem: event.problem },
        'malformed market.updated: dead-lettered',
      );
      channel.nack(message, false, false);
      return;
    }
    const jobs = event.data.regions.flatMap((region) =>
      event.data.periods.map((period) => ({ region, period, dataVersion: event.data.dataVersion })),
    );
    try {
      await this.options.enqueue(jobs);
      channel.ack(message);
      this.options.logger.info(
        { runId: event.data.runId, dataVersion: event.data.dataVersion, jobs: jobs.length },
        'market.updated: summaries enqueued',
      );
    } catch (error) {
      this.options.logger.warn(
        { err: error, runId: event.data.runId },
        'market.updated: enqueue failed; requeued',
      );
      await delay(this.options.retryDelayMs ?? 1_000);
      // The channel may have closed meanwhile: then the broker redelivers by itself.
      if (this.channel === channel) channel.nack(message, false, true);
    }
  }

  private lost(): void {
    this.channel = undefined;
    this.connection = undefined;
    if (this.stopping) return;
    this.options.logger.warn({}, 'rabbitmq connection lost; reconnecting');
    const retry = () => {
      this.reconnectTimer = setTimeout(() => {
        if (this.stopping) return;
        this.start().catch((error: unknown) => {
          this.options.logger.warn({ err: error }, 'rabbitmq reconnect failed');
          retry();
        });
      }, this.options.retryDelayMs ?? 1_000);
    };
    retry();
  }
}

function parse(
  content: Buffer,
): { success: true; data: MarketUpdated } | { success: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(content.toString('utf8'));
  } catch {
    return { success: false, problem: 'not JSON' };
  }
  const result = MarketUpdated.safeParse(json);
  if (result.success) return { success: true, data: result.data };
  const issue = result.error.issues[0]!;
  return { success: false, problem: `${issue.path.join('.') || '(root)'}: ${issue.message}` };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
