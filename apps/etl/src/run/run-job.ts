import type { MarketUpdated } from '@estate/contracts';
import type { Pool } from 'pg';
import type { RunLog } from '../db/runs';
import { NO_CHANGES } from '../db/upsert-counts';
import { CompletedPeriods } from '../db/watermarks';
import type { EventPublisher } from '../events/market-updated-publisher';
import type { Sources } from './load-period';
import { DEFAULT_PARALLEL, loadPeriods } from './load-periods';
import { type PeriodOutcome, periodSucceeded, skippedCount } from './outcome';
import { planRun, type RunRequest } from './plan';

export interface Logger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface JobDeps {
  pool: Pool;
  sources: Sources;
  publisher: EventPublisher;
  runs: RunLog;
  logger: Logger;
}

export interface RunTotals {
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
}

export interface RunReport {
  runId: string;
  dataVersion: string;
  outcomes: PeriodOutcome[];
  totals: RunTotals;
  /** The error that stopped the run early (a refused key, a spent quota). */
  stoppedBy?: string;
  /** 'published', 'nothing changed', or why the event was not confirmed. */
  event: { status: 'published' | 'nothing changed' | 'failed'; payload?: MarketUpdated; reason?: string };
  /** Events of earlier runs published again by this one. */
  republished: string[];
  ok: boolean;
}

/**
 * One run, the run lock and migrations already taken care of by the caller: plan from the
 * watermarks, load the periods (`parallel` at once), then publish market.updated for what changed.
 */
export async function runJob(
  deps: JobDeps,
  request: RunRequest,
  identity: { runId: string; dataVersion: string },
  parallel = DEFAULT_PARALLEL,
): Promise<RunReport> {
  const { logger } = deps;
  const abandoned = await deps.runs.abandonStale();
  if (abandoned > 0)
    logger.warn({ abandoned }, 'earlier runs ended without finishing; resuming from the watermarks');
  await deps.runs.start(identity.runId, identity.dataVersion);

  const completed = await CompletedPeriods.read(deps.pool);
  const plan = planRun(request, (mark) => completed.has(mark));
  const outcomes: PeriodOutcome[] = plan.alreadyLoaded.map((mark) => ({
    ...mark,
    status: 'already loaded',
    counts: NO_CHANGES,
    skipped: {},
  }));
  logger.info(
    { runId: identity.runId, tasks: plan.tasks.length, alreadyLoaded: plan.alreadyLoaded.length },
    'run planned',
  );

  const loaded = await loadPeriods(deps, plan.tasks, identity, parallel);
  outcomes.push(...loaded.outcomes);
  const { stoppedBy } = loaded;

  const totals = totalsOf(outcomes);
  const republished = await republishEarlier(deps, identity.runId);
  const event = await publishChanges(deps, outcomes, totals, identity);
  const ok = outcomes.every(periodSucceeded) && event.status !== 'failed';
  const failure =
    stoppedBy ?? (event.status === 'failed' ? event.reason : undefined) ?? firstFailure(outcomes);
  await deps.runs.finish(identity.runId, ok ? 'succeeded' : 'failed', totals, ok ? undefined : failure);
  return { ...identity, outcomes, totals, stoppedBy, event, republished, ok };
}

function totalsOf(outcomes: PeriodOutcome[]): RunTotals {
  const totals: RunTotals = { inserted: 0, updated: 0, unchanged: 0, skipped: 0 };
  for (const outcome of outcomes) {
    totals.inserted += outcome.counts.inserted;
    totals.updated += outcome.counts.updated;
    totals.unchanged += outcome.counts.unchanged;
    totals.skipped += skippedCount(outcome);
  }
  return totals;
}

function firstFailure(outcomes: PeriodOutcome[]): string | undefined {
  const failed = outcomes.filter((outcome) => !periodSucceeded(outcome));
  return failed.length === 0
    ? undefined
    : `${failed.length} period(s) not loaded; first: ${failed[0]?.reason ?? ''}`;
}

/**
 * The event names the periods and regions whose rows changed; a run that changed nothing (a rerun)
 * publishes nothing, so consumers do no work for it. It is stored before publishing, so an
 * unconfirmed publish is retried by the next run.
 */
async function publishChanges(
  deps: JobDeps,
  outcomes: PeriodOutcome[],
  totals: RunTotals,
  identity: { runId: string; dataVersion: string },
): Promise<RunReport['event']> {
  const changed = outcomes.filter((outcome) => outcome.counts.inserted + outcome.counts.updated > 0);
  if (changed.length === 0) return { status: 'nothing changed' };
  const payload: MarketUpdated = {
    runId: identity.runId,
    dataVersion: identity.dataVersion,
    regions: [...new Set(changed.filter((o) => o.source === 'molit').map((o) => o.series))].sort(),
    periods: [...new Set(changed.map((o) => o.period))].sort(),
    counts: { ...totals },
    // Summaries are made of deals: the pairs whose deals changed, not regions x periods.
    changes: changed
      .filter((o) => o.source === 'molit')
      .map((o) => ({ region: o.series, period: o.period }))
      .sort((a, b) => a.region.localeCompare(b.region) || a.period.localeCompare(b.period)),
  };
  await deps.runs.recordEvent(identity.runId, payload);
  try {
    await deps.publisher.publish(payload);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    deps.logger.error({ runId: identity.runId }, reason);
    return { status: 'failed', payload, reason };
  }
  await deps.runs.markPublished(identity.runId);
  deps.logger.info(
    { runId: identity.runId, periods: payload.periods.length, ...payload.counts },
    'market.updated published',
  );
  return { status: 'published', payload };
}

async function republishEarlier(deps: JobDeps, runId: string): Promise<string[]> {
  const done: string[] = [];
  for (const earlier of await deps.runs.unpublished(runId)) {
    try {
      await deps.publisher.publish(earlier.event as MarketUpdated);
      await deps.runs.markPublished(earlier.runId);
      done.push(earlier.runId);
      deps.logger.info({ runId: earlier.runId }, 'market.updated of an earlier run published');
    } catch (error) {
      deps.logger.warn(
        { runId: earlier.runId, error: (error as Error).name },
        'earlier event still not published',
      );
    }
  }
  return done;
}
