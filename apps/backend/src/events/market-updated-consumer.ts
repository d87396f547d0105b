import {
  changedPairs,
  EVENTS_EXCHANGE,
  MARKET_UPDATED,
  type MarketSummaryJob,
  MarketUpdated,
} from '@estate/contracts';
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
  /** Delay before a message whose jobs could not be enqueued is handed back. */
  retryDelayMs?: number;
  /**
   * Reconnection backoff: attempt n waits a random time up to min(maxMs, baseMs * 2^n) (full
   * jitter, so replicas do not reconnect in step after a broker restart). It never gives up.
   */
  reconnect?: { baseMs: number; maxMs: number };
}

export const DEFAULT_RECONNECT = { baseMs: 500, maxMs: 10_000 };

/**
 * Consumes `market.updated` and enqueues a summary refresh per region and period it names. A
 * message is acked only after its jobs are in Redis; a malformed one is dead-lettered; one whose
 * jobs could not be enqueued is requeued after a pause. Reconnects with backoff when the
 * connection or the channel drops, or when the broker is not there at startup (`startOrRetry`).
 */
export class MarketUpdatedConsumer {
  private connection: ChannelModel | undefined;
  private channel: Channel | undefined;
  private stopping = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectAttempt = 0;
  private readonly names: ConsumerNames;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: MarketUpdatedConsumerOptions) {
    this.names = options.names ?? DEFAULT_NAMES;
  }

  isConnected(): boolean {
    return this.channel !== undefined;
  }

  /** Connects and starts consuming; rejects when the broker cannot be reached (nothing is left open). */
  async start(): Promise<void> {
    const connection = await amqp.connect(this.options.url());
    const { queue } = this.names;
    let closed = false;
    try {
      connection.on('error', (error: Error) =>
        this.options.logger.warn({ err: error }, 'rabbitmq connection error'),
      );
      connection.on('close', () => {
        closed = true;
        this.lost(connection);
      });
      const channel = await this.openChannel(connection);
      // A channel closed by the broker (not the connection) would stop consumption silently.
      channel.on('close', () => {
        if (this.channel === channel) void connection.close().catch(() => {});
      });
      await channel.consume(queue, (message) => {
        if (!message) return;
        const handling = this.handle(channel, message).finally(() => this.inFlight.delete(handling));
        this.inFlight.add(handling);
      });
      // Only a connection that is fully set up becomes the current one. One lost during set-up
      // fails this start(), whose caller retries: lost() must not start a second reconnect chain.
      if (closed) throw new Error('rabbitmq connection closed while consumption was being set up');
      this.connection = connection;
      this.channel = channel;
      this.reconnectAttempt = 0;
    } catch (error) {
      await connection.close().catch(() => {});
      throw error;
    }
    this.options.logger.info({ queue }, 'consuming market.updated');
  }

  /**
   * start(), and when the broker cannot be reached, keeps trying in the background with the
   * reconnection backoff (/readyz reports rabbitmq meanwhile) instead of failing the process.
   */
  async startOrRetry(): Promise<void> {
    try {
      await this.start();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'rabbitmq unavailable at startup; retrying');
      this.scheduleReconnect();
    }
  }

  private async openChannel(connection: ChannelModel): Promise<Channel> {
    const channel = await connection.createChannel();
    const { queue, deadLetterExchange, deadLetterQueue } = this.names;
    await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
    await channel.assertExchange(deadLetterExchange, 'fanout', { durable: true });
    await channel.assertQueue(deadLetterQueue, { durable: true });
    await channel.bindQueue(deadLetterQueue, deadLetterExchange, '');
    await channel.assertQueue(queue, { durable: true, deadLetterExchange });
    await channel.bindQueue(queue, EVENTS_EXCHANGE, MARKET_UPDATED);
    await channel.prefetch(this.options.prefetch ?? 10);
    return channel;
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
    const jobs = changedPairs(event.data).map(({ region, period }) => ({
      region,
      period,
      dataVersion: event.data.dataVersion,
    }));
    const context = {
      runId: event.data.runId,
      dataVersion: event.data.dataVersion,
      jobs: jobs.length,
      redelivered: message.fields.redelivered,
    };
    try {
      await this.options.enqueue(jobs);
    } catch (error) {
      this.options.logger.warn({ err: error, ...context }, 'market.updated: enqueue failed; requeued');
      await delay(this.options.retryDelayMs ?? 1_000);
      // The channel may have closed meanwhile: then the broker redelivers by itself.
      if (this.channel === channel) channel.nack(message, false, true);
      return;
    }
    if (this.channel !== channel) {
      // Acking on a closed channel throws; the broker hands the message out again (enqueue is idempotent).
      this.options.logger.warn(
        context,
        'market.updated: channel closed before the ack; it will be redelivered',
      );
      return;
    }
    channel.ack(message);
    this.options.logger.info(context, 'market.updated: summaries enqueued');
  }

  private lost(connection: ChannelModel): void {
    // Only the current connection's loss reconnects (not one stop() or a failed start() closed).
    if (this.connection !== connection) return;
    this.channel = undefined;
    this.connection = undefined;
    if (this.stopping) return;
    this.options.logger.warn({}, 'rabbitmq connection lost; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const { baseMs, maxMs } = this.options.reconnect ?? DEFAULT_RECONNECT;
    const attempt = this.reconnectAttempt;
    this.reconnectAttempt += 1;
    const delayMs = Math.round(Math.random() * Math.min(maxMs, baseMs * 2 ** attempt));
    this.reconnectTimer = setTimeout(() => {
      if (this.stopping) return;
      this.start().then(
        () => this.options.logger.info({ attempts: attempt + 1 }, 'rabbitmq reconnected'),
        (error: unknown) => {
          this.options.logger.warn(
            { err: error, attempt: attempt + 1, delayMs },
            'rabbitmq reconnect failed',
          );
          this.scheduleReconnect();
        },
      );
    }, delayMs);
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
