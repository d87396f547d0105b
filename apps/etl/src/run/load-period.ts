import type { Pool, PoolClient } from 'pg';
import { DealWriter } from '../db/deal-store';
import { upsertRoneValues } from '../db/rone-store';
import { addCounts, NO_CHANGES, type UpsertCounts } from '../db/upsert-counts';
import { recordWatermark, type Watermark } from '../db/watermarks';
import { SourceError } from '../errors';
import { type DealRecord, InvalidItemError, normaliseDeal, Ordinals } from '../normalise/deal';
import { normaliseRoneRows } from '../normalise/rone';
import type { MolitItem } from '../sources/molit/parse';
import type { RoneRow } from '../sources/rone/parse';
import { readAhead } from './read-ahead';

/** The page streams the loader reads; the real clients, or anything yielding the same pages. */
export interface Sources {
  rone: { periodPages(table: string, period: string): AsyncIterable<RoneRow[]> };
  molit: { periodPages(region: string, period: string): AsyncIterable<MolitItem[]> };
}

export type PeriodLoad =
  | { kind: 'loaded'; counts: UpsertCounts; rows: number; skipped: Record<string, number> }
  | { kind: 'empty' };

/**
 * Loads one (source, series, period) in one transaction: each page is normalised and upserted
 * with one statement as it arrives, while the next page is fetched, parsed and normalised (one
 * page ahead at most, so memory stays flat), and the watermark is written last. Any failure, a short period included, rolls the whole period back: it is never kept in part.
 */
export async function loadPeriod(
  pool: Pool,
  sources: Sources,
  mark: Watermark,
  identity: { runId: string; dataVersion: string },
): Promise<PeriodLoad> {
  const client = await pool.connect();
  let open = false;
  try {
    await client.query('BEGIN');
    open = true;
    const load =
      mark.source === 'rone'
        ? await loadRone(client, sources, mark, identity.dataVersion)
        : await loadDeals(client, sources, mark, identity.dataVersion);
    if (load.pages === 0) {
      await client.query('ROLLBACK');
      open = false;
      return { kind: 'empty' };
    }
    await recordWatermark(client, mark, identity.runId, load.rows);
    await client.query('COMMIT');
    open = false;
    return { kind: 'loaded', counts: load.counts, rows: load.rows, skipped: load.skipped };
  } catch (error) {
    if (open) await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

interface Loaded {
  pages: number;
  rows: number;
  counts: UpsertCounts;
  skipped: Record<string, number>;
}

async function loadRone(
  client: PoolClient,
  sources: Sources,
  mark: Watermark,
  dataVersion: string,
): Promise<Loaded> {
  const loaded: Loaded = { pages: 0, rows: 0, counts: NO_CHANGES, skipped: {} };
  const pages = sources.rone.periodPages(mark.series, mark.period);
  for await (const records of readAhead(mapPages(pages, normaliseRoneRows))) {
    loaded.pages += 1;
    loaded.rows += records.length;
    loaded.counts = addCounts(loaded.counts, await upsertRoneValues(client, records, dataVersion));
  }
  return loaded;
}

async function loadDeals(
  client: PoolClient,
  sources: Sources,
  mark: Watermark,
  dataVersion: string,
): Promise<Loaded> {
  const loaded: Loaded = { pages: 0, rows: 0, counts: NO_CHANGES, skipped: {} };
  const ordinals = new Ordinals();
  // Pages are normalised in source order (ordinals depend on it), ahead of the upserts.
  const normalise = (items: MolitItem[]): DealRecord[] => {
    const deals: DealRecord[] = [];
    for (const item of items) {
      try {
        const deal = normaliseDeal(item, mark.series);
        // The page was asked for one region and month: a deal of another would be stored where no
        // watermark covers it (and never re-fetched), so it is skipped with its reason.
        if (deal.lawdCd !== mark.series) throw new InvalidItemError('sggCd is not the requested region');
        if (!deal.dealDate.startsWith(mark.period))
          throw new InvalidItemError('deal date is outside the requested month');
        deals.push({ ...deal, ordinal: ordinals.next(deal.dealKey) });
      } catch (error) {
        if (!(error instanceof InvalidItemError)) throw error;
        loaded.skipped[error.message] = (loaded.skipped[error.message] ?? 0) + 1;
      }
    }
    return deals;
  };
  const writer = new DealWriter(client, dataVersion);
  const pages = sources.molit.periodPages(mark.series, mark.period);
  for await (const deals of readAhead(mapPages(pages, normalise))) {
    loaded.pages += 1;
    loaded.rows += deals.length;
    loaded.counts = addCounts(loaded.counts, await writer.upsert(deals));
  }
  const skipped = Object.values(loaded.skipped).reduce((sum, count) => sum + count, 0);
  if (loaded.rows === 0 && skipped > 0) {
    // Not one usable deal: more likely a source that changed its format than a month without any.
    const reasons = Object.entries(loaded.skipped)
      .map(([reason, count]) => `${reason}: ${count}`)
      .join(', ');
    throw new SourceError(
      `MOLIT ${mark.series} ${mark.period}: every one of ${skipped} deals was skipped (${reasons}); period not kept`,
      { code: 'all_skipped', source: 'molit', scope: 'period' },
    );
  }
  return loaded;
}

async function* mapPages<T, U>(pages: AsyncIterable<T>, map: (page: T) => U): AsyncGenerator<U> {
  for await (const page of pages) yield map(page);
}
