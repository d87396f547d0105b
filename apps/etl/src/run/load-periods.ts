import type { Pool } from 'pg';
import { NO_CHANGES } from '../db/upsert-counts';
import { SourceError } from '../errors';
import { loadPeriod, type Sources } from './load-period';
import type { PeriodOutcome } from './outcome';
import type { PeriodTask } from './plan';

/** Periods loaded at once unless `--parallel` says otherwise. */
export const DEFAULT_PARALLEL = 2;

export interface PeriodsLogger {
  info(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface LoadPeriodsDeps {
  pool: Pool;
  sources: Sources;
  logger: PeriodsLogger;
}

export interface PeriodsLoaded {
  /** One outcome per task, in the tasks' order. */
  outcomes: PeriodOutcome[];
  /** The error that stopped the run early (a refused key, a spent quota). */
  stoppedBy?: string;
}

/**
 * Loads the tasks, up to `parallel` at once, each in its own transaction on its own connection
 * (the job's thread is the bottleneck, and a period waiting on PostgreSQL leaves it idle). Requests
 * stay paced per source: the periods share their source's SourceHttp. A run-scoped failure (a
 * refused key, a spent quota) stops starting new periods; those in flight finish and report what
 * they got, and the rest are 'not attempted'.
 */
export async function loadPeriods(
  deps: LoadPeriodsDeps,
  tasks: readonly PeriodTask[],
  identity: { runId: string; dataVersion: string },
  parallel = DEFAULT_PARALLEL,
): Promise<PeriodsLoaded> {
  const outcomes: Array<PeriodOutcome | undefined> = new Array(tasks.length);
  let stoppedBy: string | undefined;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (stoppedBy === undefined && next < tasks.length) {
      const index = next;
      next += 1;
      const { outcome, stop } = await loadOne(deps, tasks[index] as PeriodTask, identity);
      outcomes[index] = outcome;
      if (stop) stoppedBy ??= outcome.reason;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, tasks.length)) }, lane));
  return {
    outcomes: tasks.map(
      (task, index) =>
        outcomes[index] ?? {
          source: task.source,
          series: task.series,
          period: task.period,
          status: 'not attempted',
          counts: NO_CHANGES,
          skipped: {},
          reason: 'run stopped',
        },
    ),
    stoppedBy,
  };
}

/** One period's outcome, never a rejection; `stop` when its failure ends the run. */
async function loadOne(
  deps: LoadPeriodsDeps,
  task: PeriodTask,
  identity: { runId: string; dataVersion: string },
): Promise<{ outcome: PeriodOutcome; stop: boolean }> {
  const mark = { source: task.source, series: task.series, period: task.period };
  try {
    const load = await loadPeriod(deps.pool, deps.sources, mark, identity);
    if (load.kind === 'empty') {
      deps.logger.info(mark, 'period empty');
      const outcome: PeriodOutcome = {
        ...mark,
        status: 'empty',
        counts: NO_CHANGES,
        skipped: {},
        reason: 'no data published yet',
      };
      return { outcome, stop: false };
    }
    deps.logger.info({ ...mark, ...load.counts, rows: load.rows, refetch: task.refetch }, 'period loaded');
    return {
      outcome: { ...mark, status: 'loaded', counts: load.counts, skipped: load.skipped },
      stop: false,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const scope = error instanceof SourceError ? error.scope : 'run';
    deps.logger.error({ ...mark, error: error instanceof Error ? error.name : 'Error', scope }, reason);
    return {
      outcome: { ...mark, status: 'failed', counts: NO_CHANGES, skipped: {}, reason },
      stop: scope === 'run',
    };
  }
}
