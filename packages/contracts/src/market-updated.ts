import { z } from 'zod';
import { Period } from './period';
import { DataVersion, RegionCode } from './primitives';

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
  /**
   * The (region, period) pairs whose apartment deals changed: what summaries are made of. `regions`
   * and `periods` alone name their cross product, which holds pairs with no deal at all; events
   * without `changes` (published before it existed) still mean that cross product.
   */
  changes: z
    .array(z.object({ region: RegionCode, period: Period }))
    .max(60_000)
    .optional(),
});
export type MarketUpdated = z.infer<typeof MarketUpdated>;

/** The (region, period) pairs an event says changed: `changes` when given, else regions x periods. */
export function changedPairs(event: MarketUpdated): Array<{ region: string; period: string }> {
  return (
    event.changes ?? event.regions.flatMap((region) => event.periods.map((period) => ({ region, period })))
  );
}
