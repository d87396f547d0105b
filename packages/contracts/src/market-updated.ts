import { z } from 'zod';
import { DataVersion, Period, RegionCode } from './primitives';

/** The durable topic exchange services publish domain events to. */
export const EVENTS_EXCHANGE = 'estate.events';

/** Routing key of the event the ETL publishes after a load commits. */
export const MARKET_UPDATED = 'market.updated';

const Count = z.number().int().nonnegative();

/**
 * What one ETL run loaded: published after commit, with publisher confirms. Unknown fields are
 * stripped rather than rejected, so a producer that adds a field does not dead-letter every
 * message at consumers deployed before it.
 */
export const MarketUpdated = z.object({
  runId: z.string().min(1).max(128),
  dataVersion: DataVersion,
  regions: z.array(RegionCode).max(1_000),
  periods: z.array(Period).min(1).max(600),
  counts: z.object({
    inserted: Count,
    updated: Count,
    unchanged: Count,
    skipped: Count.optional(),
  }),
});
export type MarketUpdated = z.infer<typeof MarketUpdated>;
