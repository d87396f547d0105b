import { addMonths } from '@estate/contracts';
import type { Database } from '@estate/platform';

/** One month of a region's apartment deals, as the summary prompt uses it. */
export interface MonthlyStatistics {
  /** YYYY-MM */
  period: string;
  /** Deals that were not cancelled. */
  deals: number;
  cancellations: number;
  /** KRW per square metre of exclusive-use area, over the deals that were not cancelled. */
  medianPricePerM2: number | null;
  /** KRW, over the deals that were not cancelled. */
  medianDealAmount: number | null;
}

/** How many months, ending with the job's period, the prompt shows (enough to describe a trend). */
export const TREND_MONTHS = 6;

interface Row {
  period: string;
  deals: string;
  cancellations: string;
  median_price_per_m2: string | null;
  median_deal_amount: string | null;
}

/**
 * The region's monthly statistics for the `TREND_MONTHS` months ending with `period`, oldest first;
 * months without any deal are absent. Prices are converted from the source's 만원 to KRW.
 * Every deal currently loaded counts: the job's data version labels the snapshot, it does not
 * filter rows (a deal unchanged by a later load keeps its older data_version).
 */
export async function readMonthlyStatistics(
  db: Database,
  region: string,
  period: string,
): Promise<MonthlyStatistics[]> {
  const rows = await db.query<Row>(
    `SELECT to_char(date_trunc('month', deal_date), 'YYYY-MM') AS period,
            count(*) FILTER (WHERE NOT cancelled) AS deals,
            count(*) FILTER (WHERE cancelled) AS cancellations,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY deal_amount * 10000.0 / exclu_use_ar)
              FILTER (WHERE NOT cancelled) AS median_price_per_m2,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY deal_amount * 10000.0)
              FILTER (WHERE NOT cancelled) AS median_deal_amount
       FROM apartment_deals
      WHERE lawd_cd = $1
        AND deal_date >= to_date($2, 'YYYY-MM')
        AND deal_date < to_date($3, 'YYYY-MM')
      GROUP BY 1
      ORDER BY 1`,
    [region, addMonths(period, -(TREND_MONTHS - 1)), addMonths(period, 1)],
  );
  return rows.map((row) => ({
    period: row.period,
    deals: Number(row.deals),
    cancellations: Number(row.cancellations),
    medianPricePerM2: row.median_price_per_m2 === null ? null : Math.round(Number(row.median_price_per_m2)),
    medianDealAmount: row.median_deal_amount === null ? null : Math.round(Number(row.median_deal_amount)),
  }));
}
