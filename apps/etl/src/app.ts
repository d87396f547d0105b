import { randomBytes } from 'node:crypto';
import { addMonths, periodOf, periodRange } from '@estate/contracts';
import { migrate } from '@estate/db';
import { createDatabasePool, recycleOnChange } from '@estate/platform';
import { type Secrets, secretName } from '@estate/secrets';
import type { RunArgs } from './cli/args';
import { acquireRunLock } from './db/run-lock';
import { RunLog } from './db/runs';
import { RunLockedError } from './errors';
import { createMarketUpdatedPublisher } from './events/market-updated-publisher';
import { DEFAULT_PARALLEL } from './run/load-periods';
import { MolitDeals } from './run/molit-pages/molit-deals';
import { type Logger, type RunReport, runJob } from './run/run-job';
import { formatSummary } from './run/summary';
import type { manifest } from './secrets';
import { DEFAULT_HTTP, type HttpSettings, SourceHttp } from './sources/http';
import { MolitClient } from './sources/molit/client';
import { RoneClient } from './sources/rone/client';

export type EtlSecrets = Secrets<typeof manifest>;

export const EXIT = { ok: 0, failed: 1, usage: 2, locked: 3 } as const;

export interface EtlRuntime {
  secrets: EtlSecrets;
  logger: Logger;
  /** Where the summary table goes (stdout). */
  out: { write(text: string): unknown };
  now?: Date;
  http?: Partial<HttpSettings>;
  publishTimeoutMs?: number;
}

/**
 * One `estate-etl run`: the database pool (password read per connection), the run lock, the
 * migrations, the two clients from their secrets, the load, the summary. Returns the exit code.
 */
export async function runEtl(
  runtime: EtlRuntime,
  args: RunArgs,
): Promise<{ exitCode: number; report?: RunReport }> {
  const { secrets, logger } = runtime;
  const now = runtime.now ?? new Date();
  const currentMonth = periodOf(now);
  const lookback = secrets.param('lookbackMonths');
  const to = args.to ?? currentMonth;
  const from = args.from ?? addMonths(to, -(lookback - 1));
  const http = {
    ...DEFAULT_HTTP,
    ...runtime.http,
    ...(args.paceMs === undefined ? {} : { paceMs: args.paceMs }),
  };

  // Built before any connection: an empty key refuses to start here.
  const sources = {
    rone: new RoneClient({
      apiKey: secrets.get('kreb').apiKey,
      baseURL: secrets.get('kreb').baseURL,
      secretName: secretName(secrets.env, 'kreb'),
      pageSize: args.pageSize,
      http: new SourceHttp('rone', http),
    }),
    molit: new MolitDeals(
      new MolitClient({
        serviceKey: secrets.get('molit').serviceKey,
        baseURL: secrets.get('molit').baseURL,
        secretName: secretName(secrets.env, 'molit'),
        pageSize: args.pageSize,
        http: new SourceHttp('molit', http),
      }),
    ),
  };

  const parallel = args.parallel ?? DEFAULT_PARALLEL;
  const pool = createDatabasePool(() => secrets.get('database'), {
    // One connection per period in flight, one for the run lock, one for watermarks and etl_runs.
    max: Math.max(4, parallel + 2),
    connectionTimeoutMillis: 10_000,
    applicationName: 'estate-etl',
    // The run lock, loaders and migrations take the pool directly: the pool's own connect is
    // 28P01-aware, so a rotation mid-run costs one refresh, not a failed period.
    onAuthenticationFailure: () => secrets.refresh('database'),
  });
  pool.on('error', (error) => logger.warn({ error: error.name }, 'idle database connection failed'));
  const stopRecycling = recycleOnChange(pool, (listener) => secrets.onChange('database', listener));
  try {
    let lock: Awaited<ReturnType<typeof acquireRunLock>>;
    try {
      lock = await acquireRunLock(pool);
    } catch (error) {
      if (!(error instanceof RunLockedError)) throw error;
      logger.error({}, error.message);
      runtime.out.write(`estate-etl: ${error.message}\n`);
      return { exitCode: EXIT.locked };
    }
    try {
      await migrate(pool, { logger });
      const runId = newRunId(now);
      const report = await runJob(
        {
          pool,
          sources,
          runs: new RunLog(pool),
          logger,
          publisher: createMarketUpdatedPublisher({
            url: secrets.get('rabbitmq').url,
            timeoutMs: runtime.publishTimeoutMs,
          }),
        },
        {
          periods: periodRange(from, to),
          regions: args.regions ?? secrets.param('regions'),
          tables: args.tables ?? secrets.param('krebTables'),
          refetchDealsFrom: addMonths(currentMonth, -(lookback - 1)),
        },
        { runId, dataVersion: runId },
        parallel,
      );
      runtime.out.write(formatSummary(report));
      return { exitCode: report.ok ? EXIT.ok : EXIT.failed, report };
    } finally {
      await lock.release();
    }
  } finally {
    stopRecycling();
    await pool.end();
    await sources.molit.close();
  }
}

/** Sortable and unique: `etl-20250105T030000Z-1a2b3c`; also the data version (A-Za-z0-9._-). */
function newRunId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `etl-${stamp}-${randomBytes(3).toString('hex')}`;
}
