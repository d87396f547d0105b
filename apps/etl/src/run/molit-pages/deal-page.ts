import { copyRows } from '../../db/copy-rows';
import { type DealRecord, InvalidItemError, normaliseDeal, type Ordinals } from '../../normalise/deal';
import { type MolitContext, parseMolitResponse } from '../../sources/molit/parse';

/** One MOLIT page parsed, normalised and turned into COPY text: what the loader and the paging need. */
export type MolitDealPage =
  | { kind: 'empty' }
  | {
      kind: 'items';
      /** totalCount of the header. */
      total: number;
      /** Items on the page, skipped ones included (the paging counts them). */
      count: number;
      /** The deals kept, as COPY text (`copyRows`) in UTF-8. */
      copy: Uint8Array;
      rows: number;
      /** Items that cannot be stored, by reason. */
      skipped: Record<string, number>;
    };

/** A page with deals, as the loader gets it. */
export type DealPage = Extract<MolitDealPage, { kind: 'items' }>;

/** What a month's pages share: its region and month, and the ordinals of identical deals so far. */
export interface DealPeriod {
  region: string;
  period: string;
  ordinals: Ordinals;
}

const encoder = new TextEncoder();

/**
 * Reads one response (throwing what parseMolitResponse throws) and normalises its items in source
 * order, numbering identical deals across the month's pages through `month.ordinals`.
 */
export function readDealPage(
  status: number,
  body: string,
  context: MolitContext,
  month: DealPeriod,
): MolitDealPage {
  const page = parseMolitResponse(status, body, context);
  if (page.kind === 'empty') return page;
  const deals: DealRecord[] = [];
  const skipped: Record<string, number> = {};
  for (const item of page.items) {
    try {
      const deal = normaliseDeal(item, month.region);
      // The page was asked for one region and month: a deal of another would be stored where no
      // watermark covers it (and never re-fetched), so it is skipped with its reason.
      if (deal.lawdCd !== month.region) throw new InvalidItemError('sggCd is not the requested region');
      if (!deal.dealDate.startsWith(month.period))
        throw new InvalidItemError('deal date is outside the requested month');
      // The same object, its ordinal added (no copy of 18 fields per deal).
      const record = deal as DealRecord;
      record.ordinal = month.ordinals.next(deal.dealKey);
      deals.push(record);
    } catch (error) {
      if (!(error instanceof InvalidItemError)) throw error;
      skipped[error.message] = (skipped[error.message] ?? 0) + 1;
    }
  }
  return {
    kind: 'items',
    total: page.total,
    count: page.items.length,
    copy: encoder.encode(copyRows(deals)),
    rows: deals.length,
    skipped,
  };
}
