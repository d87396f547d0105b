import type { Pool, PoolClient } from 'pg';
import { DealWriter } from '../db/deal-store';
import { upsertRoneValues } from '../db/rone-store';
import { addCounts, NO_CHANGES, type UpsertCounts } from '../db/upsert-counts';
import { recordWatermark, type Watermark } from '../db/watermarks';
import { SourceError } from '../errors';
import { normaliseRoneRows } from '../normalise/rone';
import type { RoneRow } from '../sources/rone/parse';
import type { DealPage } from './molit-pages/deal-page';
import { readAhead } from './read-ahead';

/** The page streams the loader reads; the real clients, or anything yielding the same pages. */
export interface Sources {
  rone: { periodPages(table: string, period: string): AsyncIterable<RoneRow[]> };
  molit: { periodDeals(region: string, period: string): AsyncIterable<DealPage> };
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
  const writer = new DealWriter(client, dataVersion);
  // Parsed, normalised and numbered off this thread (the MOLIT page worker), one page ahead.
  for await (const page of readAhead(sources.molit.periodDeals(mark.series, mark.period))) {
    loaded.pages += 1;
    loaded.rows += page.rows;
    for (const [reason, count] of Object.entries(page.skipped))
      loaded.skipped[reason] = (loaded.skipped[reason] ?? 0) + count;
    loaded.counts = addCounts(loaded.counts, await writer.upsertCopy(page.copy, page.rows));
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
