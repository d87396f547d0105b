import { MARKET_SUMMARY_QUEUE, MarketSummaryJob, marketSummaryJobId } from '@estate/contracts';
import { type ConnectionOptions, type Job, Queue } from 'bullmq';

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

/**
 * The producer side of the `market-summary` queue. Job ids are derived from region, period and
 * data version, so asking twice (two users, or an event redelivered) yields one job.
 */
export class SummaryQueue {
  private readonly queue: Queue<MarketSummaryJob>;

  constructor(connection: ConnectionOptions, prefix: string) {
    this.queue = new Queue<MarketSummaryJob>(MARKET_SUMMARY_QUEUE, {
      connection,
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
    const existing = await this.queue.getJob(id);
    if (existing) {
      // A failed summary for this data version is retried rather than answered forever.
      if ((await existing.getState()) === 'failed') await existing.retry('failed');
      return { job: await view(existing), created: false };
    }
    const job = await this.queue.add('summarize', data, { jobId: id });
    return { job: await view(job), created: true };
  }

  /** Many at once (one round trip per chunk); ids are deterministic, so repeats are no-ops. */
  async enqueueMany(requests: MarketSummaryJob[]): Promise<void> {
    for (let start = 0; start < requests.length; start += 500) {
      const chunk = requests.slice(start, start + 500).map((request) => {
        const data = MarketSummaryJob.parse(request);
        return { name: 'summarize', data, opts: { jobId: marketSummaryJobId(data) } };
      });
      await this.queue.addBulk(chunk);
    }
  }

  async find(id: string): Promise<JobView | undefined> {
    const job = await this.queue.getJob(id);
    return job ? view(job) : undefined;
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
