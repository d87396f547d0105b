import { MARKET_SUMMARY_QUEUE, MarketSummaryJob, marketSummaryJobId } from '@estate/contracts';
import { type Job, Queue } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { RedisUnavailableError, reachRedis } from '../redis/reach';

export type JobState =
  | 'waiting'
  | 'active'
  | 'delayed'
  | 'completed'
  | 'failed'
  | 'prioritized'
  | 'waiting-children'
  | 'unknown';

export interface JobView {
  id: string;
  state: JobState;
  data: MarketSummaryJob;
  result: unknown;
  failedReason: string | null;
  attemptsMade: number;
  createdAt: string;
  finishedAt: string | null;
}

export interface EnqueueResult {
  job: JobView;
  /** False when the same region, period and data version was already queued or done. */
  created: boolean;
}

/** The queue's Redis cannot be reached right now; asking again later may work. */
export class QueueUnavailableError extends RedisUnavailableError {
  override readonly name = 'QueueUnavailableError';
  readonly code = 'queue_unavailable';
}

/**
 * The producer side of the `market-summary` queue. Job ids are derived from region, period and
 * data version, so asking twice (two users, or an event redelivered) yields one job.
 *
 * It fails fast while Redis is away instead of waiting for it: BullMQ's default connection queues
 * every command until Redis is back (an HTTP request would hang for as long as the outage), so the
 * connection runs without ioredis' offline queue and with one retry per command, and any failure
 * while the connection is not ready is a QueueUnavailableError (the API answers 503 + Retry-After).
 * It reconnects by itself; the caller asks again.
 */
export class SummaryQueue {
  private readonly queue: Queue<MarketSummaryJob>;

  constructor(connection: RedisOptions, prefix: string) {
    this.queue = new Queue<MarketSummaryJob>(MARKET_SUMMARY_QUEUE, {
      connection: {
        ...connection,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        // BullMQ's default waits up to 20 s between attempts once an outage lasts 10 s; a producer
        // that answers 503 meanwhile should be back within 2 s of Redis (about Retry-After).
        retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
        // A Redis that stops answering without closing (frozen) fails each command after 2 s.
        commandTimeout: 2_000,
      },
      prefix,
      defaultJobOptions: {
        attempts: 5,
        backoff: { type: 'exponential', delay: 5_000 },
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 14 * 24 * 3600 },
      },
    });
  }

  async enqueue(request: MarketSummaryJob): Promise<EnqueueResult> {
    const data = MarketSummaryJob.parse(request);
    const id = marketSummaryJobId(data);
    return this.reach(async () => {
      const existing = await this.queue.getJob(id);
      if (existing) {
        // A failed summary for this data version is retried rather than answered forever.
        if ((await existing.getState()) === 'failed') await existing.retry('failed');
        return { job: await view(existing), created: false };
      }
      const job = await this.queue.add('summarize', data, { jobId: id });
      return { job: await view(job), created: true };
    });
  }

  /** Many at once (one round trip per chunk); ids are deterministic, so repeats are no-ops. */
  async enqueueMany(requests: MarketSummaryJob[]): Promise<void> {
    for (let start = 0; start < requests.length; start += 500) {
      const chunk = requests.slice(start, start + 500).map((request) => {
        const data = MarketSummaryJob.parse(request);
        return { name: 'summarize', data, opts: { jobId: marketSummaryJobId(data) } };
      });
      await this.reach(() => this.queue.addBulk(chunk));
    }
  }

  async find(id: string): Promise<JobView | undefined> {
    return this.reach(async () => {
      const job = await this.queue.getJob(id);
      return job ? view(job) : undefined;
    });
  }

  /** Resolves when the queue's own connection is ready (for /readyz); QueueUnavailableError otherwise. */
  async ready(): Promise<void> {
    await this.reach(async () => {});
  }

  /** Runs a queue operation, turning "Redis is not there" (before or during it) into QueueUnavailableError. */
  private async reach<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await reachRedis(await this.queue.client, operation);
    } catch (error) {
      if (!(error instanceof RedisUnavailableError)) throw error;
      throw new QueueUnavailableError(error.message, { cause: error.cause });
    }
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

async function view(job: Job<MarketSummaryJob>): Promise<JobView> {
  return {
    id: job.id!,
    state: (await job.getState()) as JobState,
    data: job.data,
    result: job.returnvalue ?? null,
    failedReason: job.failedReason || null,
    attemptsMade: job.attemptsMade,
    createdAt: new Date(job.timestamp).toISOString(),
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}
