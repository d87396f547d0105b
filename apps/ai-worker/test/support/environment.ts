import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  addMonths,
  MARKET_SUMMARY_QUEUE,
  type MarketSummaryJob,
  marketSummaryJobId,
} from '@estate/contracts';
import { migrate } from '@estate/db';
import type { Database } from '@estate/platform';
import { createSecretsLogger, loadSecrets } from '@estate/secrets';
import { localAccessKeyId, localAccessPolicy } from '@estate/secrets/policy';
import {
  type PostgresTarget,
  type RedisTarget,
  type SecretsEndpointTarget,
  suitePool,
  usePostgres,
  useRedis,
  useSecretsEndpoint,
} from '@estate/testing';
import { type Job, type JobsOptions, Queue } from 'bullmq';
import type { Pool } from 'pg';
import { Registry } from 'prom-client';
import { type OpenAIStandIn, startOpenAIStandIn } from '../../dev/openai-stand-in';
import { createAiWorker } from '../../src/app';
import { manifest } from '../../src/secrets';
import type { AiWorkerSecrets } from '../../src/types';
import type { SummaryWorker } from '../../src/worker';

export const ENV = 'dev';
export const MODEL = 'gpt-stand-in-test';
export const random = (bytes = 24) => randomBytes(bytes).toString('base64url');

export interface SeededSecrets {
  database: { host: string; port: number; dbname: string; username: string; password: string };
  redis: { host: string; port: number };
  openai: { apiKey: string; baseURL: string };
}

export interface RunningWorker {
  summaries: SummaryWorker;
  secrets: AiWorkerSecrets;
  registry: Registry;
  db: Database;
  close(): Promise<void>;
}

/**
 * One suite's world: its own database (migrated), Redis prefix, local Secrets Manager endpoint
 * enforcing the ai-worker's access policy and seeded through the AWS SDK with random values, and
 * the OpenAI stand-in that accepts only the seeded key.
 */
export class WorkerTestEnvironment {
  readonly logs: string[] = [];
  private readonly workers = new Set<RunningWorker>();
  private readonly queues: Queue[] = [];

  private constructor(
    readonly postgres: PostgresTarget,
    readonly redis: RedisTarget,
    readonly endpoint: SecretsEndpointTarget,
    readonly standIn: OpenAIStandIn,
    readonly pool: Pool,
    readonly values: SeededSecrets,
  ) {}

  static async start(): Promise<WorkerTestEnvironment> {
    const [postgres, redis, endpoint, standIn] = await Promise.all([
      usePostgres(),
      useRedis(),
      useSecretsEndpoint({ policy: localAccessPolicy([manifest], ENV) }),
      startOpenAIStandIn(),
    ]);
    const pool = suitePool(postgres.connectionString);
    await migrate(pool);
    const values: SeededSecrets = {
      database: {
        host: postgres.host,
        port: postgres.port,
        dbname: postgres.database,
        username: postgres.user,
        // The shared server trusts local connections; a random value proves nothing depends on it.
        password: postgres.password ?? random(),
      },
      redis: { host: redis.host, port: redis.port },
      openai: { apiKey: `sk-test-${random()}`, baseURL: standIn.baseURL },
    };
    const environment = new WorkerTestEnvironment(postgres, redis, endpoint, standIn, pool, values);
    const { secretsManager, ssm } = environment.adminClients();
    for (const [group, value] of Object.entries(values)) {
      await secretsManager.send(
        new CreateSecretCommand({
          Name: `estate/${ENV}/${group}`,
          SecretString: JSON.stringify(value),
          ClientRequestToken: randomUUID(),
        }),
      );
    }
    await ssm.send(
      new PutParameterCommand({ Name: `/estate/${ENV}/config/openai_model`, Value: MODEL, Type: 'String' }),
    );
    standIn.configure({ acceptedApiKey: values.openai.apiKey });
    return environment;
  }

  /** BullMQ keys live under the suite's Redis prefix (without its trailing ':'). */
  get prefix(): string {
    return this.redis.keyPrefix.replace(/:$/, '');
  }

  adminClients() {
    const config = this.endpoint.clientConfig();
    return { secretsManager: new SecretsManagerClient(config), ssm: new SSMClient(config) };
  }

  /** Puts a new AWSCURRENT version of a group, as an operator's rotation would. */
  async putSecret(group: keyof SeededSecrets, value: unknown): Promise<void> {
    await this.adminClients().secretsManager.send(
      new PutSecretValueCommand({ SecretId: `estate/${ENV}/${group}`, SecretString: JSON.stringify(value) }),
    );
  }

  /** The variables a worker process needs to read the suite's secrets as the ai-worker. */
  processEnvironment(): Record<string, string> {
    return {
      ESTATE_ENV: ENV,
      AWS_ENDPOINT_URL: this.endpoint.endpoint.url,
      AWS_ACCESS_KEY_ID: localAccessKeyId('ai-worker'),
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'ap-northeast-2',
      AI_WORKER_QUEUE_PREFIX: this.prefix,
    };
  }

  /** A worker from the composition root main.ts calls (src/app.ts), reading secrets as the ai-worker. */
  async startWorker(
    timing: { lockDurationMs?: number; stalledIntervalMs?: number } = {},
  ): Promise<RunningWorker> {
    const registry = new Registry();
    const secrets = await loadSecrets(manifest, {
      env: ENV,
      source: 'aws',
      aws: this.endpoint.clientConfig(localAccessKeyId('ai-worker')),
      refreshIntervalMs: 0,
      registry,
    });
    const logger = createSecretsLogger(
      secrets,
      { level: 'debug' },
      { write: (line: string) => this.logs.push(line) },
    );
    const worker = await createAiWorker({
      secrets,
      logger,
      registry,
      settings: { queuePrefix: this.prefix, ...timing },
    });
    const running: RunningWorker = {
      summaries: worker.summaries,
      secrets,
      registry,
      db: worker.db,
      close: async () => {
        this.workers.delete(running);
        await worker.close();
        secrets.close();
      },
    };
    this.workers.add(running);
    return running;
  }

  queue(defaultJobOptions: JobsOptions = { attempts: 3, backoff: { type: 'exponential', delay: 100 } }) {
    const queue = new Queue<MarketSummaryJob>(MARKET_SUMMARY_QUEUE, {
      connection: { host: this.redis.host, port: this.redis.port },
      prefix: this.prefix,
      defaultJobOptions,
    });
    this.queues.push(queue);
    return queue;
  }

  async enqueue(
    queue: Queue<MarketSummaryJob>,
    job: MarketSummaryJob,
    options: JobsOptions = {},
  ): Promise<Job> {
    return queue.add('summarize', job, { jobId: marketSummaryJobId(job), ...options });
  }

  /** Apartment deals for a region, `dealsPerMonth[i]` deals in the i-th month before `period` (0 = period). */
  async seedDeals(
    region: string,
    period: string,
    dealsPerMonth: number[],
    options: { cancelled?: number } = {},
  ) {
    let ordinal = 0;
    for (const [back, count] of dealsPerMonth.entries()) {
      const date = `${addMonths(period, -back)}-10`;
      for (let i = 0; i < count; i += 1) {
        ordinal += 1;
        const cancelled = back === 0 && i < (options.cancelled ?? 0);
        const key = createHash('sha256')
          .update(`${region}-${period}-${ordinal}-${random(4)}`)
          .digest('hex');
        // 84 m² for 10억 + 1,000만원 per step: a rising market, deterministic medians.
        await this.pool.query(
          `INSERT INTO apartment_deals (deal_key, lawd_cd, apt_nm, deal_date, deal_amount, exclu_use_ar, cancelled, cancel_date, data_version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'v-test')`,
          [
            key,
            region,
            `테스트아파트${i}`,
            date,
            100_000 + (dealsPerMonth.length - back) * 1_000 + i * 500,
            84.97,
            cancelled,
            cancelled ? date : null,
          ],
        );
      }
    }
  }

  async summaryRows(region: string, period: string) {
    const { rows } = await this.pool.query(
      'SELECT region, period, data_version, model, summary_ko, summary_en, content, created_at FROM market_summaries WHERE region = $1 AND period = $2 ORDER BY data_version',
      [region, period],
    );
    return rows;
  }

  async cleanup(): Promise<void> {
    await Promise.allSettled([...this.workers].map((worker) => worker.close()));
    await Promise.allSettled(this.queues.map((queue) => queue.close()));
    await this.pool.end();
    await this.standIn.stop();
    await Promise.allSettled([this.postgres.cleanup(), this.redis.cleanup(), this.endpoint.cleanup()]);
  }
}

/** Polls until `check` returns a value other than undefined. */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resolves with the job once it is completed or failed. */
export async function settled(queue: Queue, id: string, timeoutMs = 20_000): Promise<Job> {
  return waitFor(
    async () => {
      const job = await queue.getJob(id);
      if (!job) return undefined;
      const state = await job.getState();
      // Read again: the first read may predate the move that wrote returnvalue or failedReason.
      return state === 'completed' || state === 'failed' ? queue.getJob(id) : undefined;
    },
    timeoutMs,
    `job ${id} to settle`,
  );
}
