import { z } from 'zod';
import { Period } from './period';
import { DataVersion, RegionCode } from './primitives';

/** One summary job: a region's market summary for one period, as of one load of the data. */
export const MarketSummaryJob = z.object({
  region: RegionCode,
  period: Period,
  dataVersion: DataVersion,
});
export type MarketSummaryJob = z.infer<typeof MarketSummaryJob>;

/**
 * The job id BullMQ deduplicates on: a second request for the same region, period and data
 * version while the first is still known to the queue returns the same job.
 */
export function marketSummaryJobId(job: MarketSummaryJob): string {
  // BullMQ job ids must not contain ':' (its key separator).
  return `summary-${job.region}-${job.period}-${job.dataVersion}`;
}
