import type { Database } from '@estate/platform';

/** A month range as first days: [from, toExclusive). */
export interface MonthRange {
  from: string;
  to: string;
}

export interface TradeRow {
  deal_date: string;
  apt_nm: string;
  apt_dong: string | null;
  umd_nm: string | null;
  jibun: string | null;
  floor: number | null;
  build_year: number | null;
  exclu_use_ar: string;
  deal_amount: string;
  cancelled: boolean;
  cancel_date: string | null;
}

export interface MonthStatsRow {
  month: string;
  deals: number;
  median_price_per_m2: number | null;
  cancellations: number;
}

export interface IndexRow {
  cls_id: string;
  cls_nm: string | null;
  itm_id: string;
  itm_nm: string | null;
  ui_nm: string | null;
  wrttime_idtfr_id: string;
  dta_val: string | null;
}

/** First day of YYYY-MM, and of the month after. */
export function monthBounds(from: string, to: string): MonthRange {
  const [year, month] = to.split('-').map(Number) as [number, number];
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  return { from: `${from}-01`, to: `${next}-01` };
}

export class MarketData {
  constructor(private readonly db: Database) {}

  async trades(
    region: string,
    range: MonthRange,
    page: { limit: number; offset: number },
  ): Promise<{ rows: TradeRow[]; total: number }> {
    const [rows, count] = await Promise.all([
      this.db.query<TradeRow>(
        `SELECT to_char(deal_date, 'YYYY-MM-DD') AS deal_date, apt_nm, apt_dong, umd_nm, jibun, floor,
                build_year, exclu_use_ar::text, deal_amount::text, cancelled,
                to_char(cancel_date, 'YYYY-MM-DD') AS cancel_date
         FROM apartment_deals
         WHERE lawd_cd = $1 AND deal_date >= $2 AND deal_date < $3
         ORDER BY deal_date, deal_key, ordinal
         LIMIT $4 OFFSET $5`,
        [region, range.from, range.to, page.limit, page.offset],
      ),
      this.db.query<{ total: number }>(
        `SELECT count(*)::int AS total FROM apartment_deals
         WHERE lawd_cd = $1 AND deal_date >= $2 AND deal_date < $3`,
        [region, range.from, range.to],
      ),
    ]);
    return { rows, total: count[0]?.total ?? 0 };
  }

  /** Every month of the range, months without deals included; cancelled deals are counted apart. */
  async monthlyStats(region: string, range: MonthRange): Promise<MonthStatsRow[]> {
    return this.db.query<MonthStatsRow>(
      `WITH months AS (
         SELECT generate_series($2::date, $3::date - interval '1 month', interval '1 month')::date AS month
       )
       SELECT to_char(m.month, 'YYYY-MM') AS month,
              count(d.*) FILTER (WHERE NOT d.cancelled)::int AS deals,
              round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d.deal_amount * 10000.0 / d.exclu_use_ar)
                FILTER (WHERE NOT d.cancelled))::float8 AS median_price_per_m2,
              count(d.*) FILTER (WHERE d.cancelled)::int AS cancellations
       FROM months m
       LEFT JOIN apartment_deals d
         ON d.lawd_cd = $1 AND d.deal_date >= m.month AND d.deal_date < m.month + interval '1 month'
       GROUP BY m.month
       ORDER BY m.month`,
      [region, range.from, range.to],
    );
  }

  async indexSeries(tableId: string, cls: string | undefined, from: string, to: string): Promise<IndexRow[]> {
    return this.db.query<IndexRow>(
      `SELECT cls_id, cls_nm, itm_id, itm_nm, ui_nm, wrttime_idtfr_id, dta_val::text
       FROM rone_index_values
       WHERE statbl_id = $1 AND dtacycle_cd = 'MM' AND ($2::text IS NULL OR cls_id = $2)
         AND wrttime_idtfr_id BETWEEN $3 AND $4
       ORDER BY cls_id, itm_id, wrttime_idtfr_id
       LIMIT 20000`,
      [tableId, cls ?? null, from.replace('-', ''), to.replace('-', '')],
    );
  }

  /** The newest data version of a region's deals in one month, or of its newest month when none is given. */
  async latestDataVersion(
    region: string,
    period: string | undefined,
  ): Promise<{ period: string; dataVersion: string } | undefined> {
    const rows = await this.db.query<{ period: string; data_version: string }>(
      `SELECT to_char(deal_date, 'YYYY-MM') AS period, data_version
       FROM apartment_deals
       WHERE lawd_cd = $1 AND ($2::text IS NULL OR to_char(deal_date, 'YYYY-MM') = $2)
       ORDER BY date_trunc('month', deal_date) DESC, updated_at DESC
       LIMIT 1`,
      [region, period ?? null],
    );
    const row = rows[0];
    return row ? { period: row.period, dataVersion: row.data_version } : undefined;
  }
}
