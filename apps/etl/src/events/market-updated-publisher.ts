import { EVENTS_EXCHANGE, MARKET_UPDATED, MarketUpdated } from '@estate/contracts';
import amqp from 'amqplib';
import { PublishError } from '../errors';

export interface PublisherOptions {
  /** amqp[s]://user:pass@host:port/vhost from the rabbitmq secret. */
  url: string;
  /** Connect, publish and confirm must finish within this. */
  timeoutMs?: number;
}

/** Publishes market.updated events to the durable topic exchange, each confirmed by the broker. */
export interface EventPublisher {
  publish(event: MarketUpdated): Promise<void>;
}

/**
 * One connection per publish: the job publishes once per run, so a long-lived channel buys
 * nothing. The event is validated by the contract first; a nack, a closed channel or a timeout
 * before the confirm is a PublishError. Errors name no URL (it carries the password).
 */
export function createMarketUpdatedPublisher(options: PublisherOptions): EventPublisher {
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    async publish(event) {
      const payload = MarketUpdated.parse(event);
      let connection: amqp.ChannelModel | undefined;
      const timeout = new Promise<never>((_, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new PublishError(`market.updated not confirmed within ${timeoutMs} ms`, {
                code: 'publish_timeout',
              }),
            ),
          timeoutMs,
        );
        timer.unref();
      });
      try {
        await Promise.race([
          (async () => {
            connection = await amqp.connect(options.url);
            connection.on('error', () => {});
            const channel = await connection.createConfirmChannel();
            channel.on('error', () => {});
            await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
            channel.publish(EVENTS_EXCHANGE, MARKET_UPDATED, Buffer.from(JSON.stringify(payload)), {
              persistent: true,
              contentType: 'application/json',
              messageId: payload.runId,
              type: MARKET_UPDATED,
              timestamp: Math.floor(Date.now() / 1000),
            });
            await channel.waitForConfirms();
          })(),
          timeout,
        ]);
      } catch (error) {
        if (error instanceof PublishError) throw error;
        throw new PublishError(`market.updated was not confirmed by RabbitMQ (${describe(error)})`, {
          code: 'publish_failed',
        });
      } finally {
        await (connection as amqp.ChannelModel | undefined)?.close().catch(() => {});
      }
    },
  };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.name} ${code}` : error.name;
}
