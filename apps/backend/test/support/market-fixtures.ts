import { createHash } from 'node:crypto';
import type { Database } from '@estate/platform';

export interface Deal {
  region: string;
  date: string;
  apartment: string;
  amount: number;
  area: number;
  floor?: number;
  cancelled?: boolean;
  dataVersion?: string;
}

/** Rows as the ETL writes them (deal_key = sha256 of the identifying fields). */
export async function insertDeals(db: Database, deals: Deal[]): Promise<void> {
  for (const [index, deal] of deals.entries()) {
    const key = createHash('sha256')
      .update(JSON.stringify({ ...deal, index }))
      .digest('hex');
    await db.query(
      `INSERT INTO apartment_deals (deal_key, ordinal, lawd_cd, apt_nm, deal_date, deal_amount, exclu_use_ar, floor,
         cancelled, cancel_date, data_version)
       VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        key,
        deal.region,
        deal.apartment,
        deal.date,
        deal.amount,
        deal.area,
        deal.floor ?? 5,
        deal.cancelled ?? false,
        deal.cancelled ? deal.date : null,
        deal.dataVersion ?? 'v1',
      ],
    );
  }
}

export async function insertIndexValues(
  db: Database,
  rows: Array<{ table: string; cls: string; item: string; period: string; value: number }>,
): Promise<void> {
  for (const row of rows) {
    await db.query(
      `INSERT INTO rone_index_values (statbl_id, dtacycle_cd, wrttime_idtfr_id, grp_id, cls_id, cls_nm, itm_id, itm_nm,
         dta_val, ui_nm, data_version)
       VALUES ($1, 'MM', $2, '1', $3, $4, $5, '지수', $6, '2021.6=100', 'v1')`,
      [row.table, row.period, row.cls, `class ${row.cls}`, row.item, row.value],
    );
  }
}
