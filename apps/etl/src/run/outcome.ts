import type { UpsertCounts } from '../db/upsert-counts';
import type { Watermark } from '../db/watermarks';

export type PeriodStatus = 'loaded' | 'empty' | 'already loaded' | 'failed' | 'not attempted';

/** What happened to one (source, series, period). */
export interface PeriodOutcome extends Watermark {
  status: PeriodStatus;
  counts: UpsertCounts;
  /** Items that could not be stored, by reason (e.g. "dealAmount invalid": 2). */
  skipped: Record<string, number>;
  /** Why it failed, was empty, or was not attempted. */
  reason?: string;
}

export const skippedCount = (outcome: PeriodOutcome) =>
  Object.values(outcome.skipped).reduce((sum, count) => sum + count, 0);

/** A run succeeds when every requested period is loaded, already loaded, or has nothing published yet. */
export const periodSucceeded = (outcome: PeriodOutcome) =>
  outcome.status === 'loaded' || outcome.status === 'empty' || outcome.status === 'already loaded';
