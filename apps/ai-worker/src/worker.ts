import { MARKET_SUMMARY_QUEUE } from '@estate/contracts';
import type { Database } from '@estate/platform';
import { type ConnectionOptions, type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { OpenAITransientError } from './errors';
import { type MarketSummaryResult, summarizeMarket } from './jobs/market-summary';
import { createWorkerMetrics, type JobOutcome } from './metrics';
import { createOpenAIClient, type OpenAIClientFactory, SummaryModel } from './openai/summary-model';
import type { AiWorkerSecrets } from './types';

export interface SummaryWorkerDeps {
  secrets: AiWorkerSecrets;
  db: Database;
  /** ioredis options for BullMQ's own connections (it sets maxRetriesPerRequest: null on them). */
  connection: ConnectionOptions;
  /** BullMQ key prefix; must equal the producer's (`QUEUE_PREFIX` of @estate/contracts). */
  prefix: string;
  logger: Logger;
  registry: Registry;
  createOpenAIClient?: OpenAIClientFactory;
  /** BullMQ lock and stalled-job check, in ms (defaults: BullMQ's 30 s each). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export interface SummaryWorker {
  readonly worker: Worker;
  /** Stops taking jobs, waits for the running ones to finish, closes the connections. */
  close(): Promise<void>;
  /** Does not wait for running jobs: their locks lapse and another worker takes them as stalled. */
  abandon(): Promise<void>;
}

/**
 * The BullMQ worker of the `market-summary` queue. Concurrency and the calls-per-minute limiter
 * come from the manifest's parameters; a Retry-After from OpenAI pauses the whole queue for that
 * long (every worker shares the API key's limit) while the failed attempt goes through BullMQ's
 * attempts and backoff like any 429 or 5xx.
 */
export function createSummaryWorker(deps: SummaryWorkerDeps): SummaryWorker {
  const { secrets, logger } = deps;
  const model = new SummaryModel(secrets, deps.createOpenAIClient ?? createOpenAIClient);
  const metrics = createWorkerMetrics(deps.registry);

  const processor = async (job: Job): Promise<MarketSummaryResult> => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1_000;
    try {
      const result = await summarizeMarket(job.data, {
        db: deps.db,
        model,
        modelName: () => secrets.param('openaiModel'),
      });
      metrics.observe('completed', seconds());
      logger.info({ jobId: job.id, attempt: job.attemptsMade + 1, ...result }, 'summary job completed');
      return result;
    } catch (error) {
      if (error instanceof OpenAITransientError && error.retryAfterMs !== undefined) {
        // Best effort: if Redis cannot take the pause, the attempt's backoff still applies.
        await worker.rateLimit(error.retryAfterMs).catch((pauseError: Error) => {
          logger.warn(
            { errorName: pauseError.name, reason: pauseError.message },
            'could not pause the queue for Retry-After',
          );
        });
      }
      metrics.observe(outcomeOf(job, error), seconds());
      throw error;
    }
  };

  const worker: Worker = new Worker(MARKET_SUMMARY_QUEUE, processor, {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: secrets.param('concurrency'),
    limiter: { max: secrets.param('openaiCallsPerMinute'), duration: 60_000 },
    lockDuration: deps.lockDurationMs ?? 30_000,
    stalledInterval: deps.stalledIntervalMs ?? 30_000,
    maxStalledCount: 1,
  });
  worker.on('failed', (job, error) => {
    logger.warn(
      { jobId: job?.id, attempt: job?.attemptsMade, errorName: error.name, reason: error.message },
      'summary job attempt failed',
    );
  });
  worker.on('stalled', (jobId) => logger.warn({ jobId }, 'summary job stalled; it will run again'));
  worker.on('error', (error) =>
    logger.error({ errorName: error.name, reason: error.message }, 'worker error'),
  );

  return {
    worker,
    close: async () => {
      await worker.close();
      model.close();
    },
    abandon: async () => {
      await worker.close(true);
      model.close();
    },
  };
}

/** Whether BullMQ will try the job again after this error. */
function outcomeOf(job: Job, error: unknown): JobOutcome {
  if (error instanceof UnrecoverableError) return 'failed';
  return job.attemptsMade + 1 < (job.opts.attempts ?? 1) ? 'retried' : 'failed';
}
