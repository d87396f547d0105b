import { finished } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DealRecord } from '../normalise/deal';
import { copyRows } from './copy-rows';
import { NO_CHANGES, type UpsertCounts } from './upsert-counts';

/**
 * The period's staging table: temporary (no WAL), made in the period's transaction on its first
 * page and dropped when it ends, committed or rolled back.
 */
const CREATE_STAGE = `
  CREATE TEMP TABLE etl_deal_stage (
    deal_key text, ordinal smallint, lawd_cd char(5), umd_cd text, umd_nm text, jibun text, apt_seq text,
    apt_nm text, apt_dong text, build_year smallint, deal_date date, deal_amount bigint, exclu_use_ar numeric(9, 2),
    floor smallint, dealing_gbn text, cancelled boolean, cancel_date date, rgst_date date
  ) ON COMMIT DROP`;

const COPY_STAGE = 'COPY etl_deal_stage FROM STDIN';

/**
 * The staged page into apartment_deals. A conflicting row is updated only when a value that is
 * not part of the key changed (a cancellation, a registration date), so a rerun writes nothing;
 * the counts come back as one row.
 */
const MERGE_STAGE = `
  WITH written AS (
    INSERT INTO apartment_deals AS t (
      deal_key, ordinal, lawd_cd, umd_cd, umd_nm, jibun, apt_seq, apt_nm, apt_dong, build_year,
      deal_date, deal_amount, exclu_use_ar, floor, dealing_gbn, cancelled, cancel_date, rgst_date, data_version
    )
    SELECT s.*, $1::text FROM etl_deal_stage s
    ON CONFLICT (lawd_cd, deal_date, deal_key, ordinal) DO UPDATE SET
      umd_nm = excluded.umd_nm, jibun = excluded.jibun, apt_seq = excluded.apt_seq,
      build_year = excluded.build_year, dealing_gbn = excluded.dealing_gbn, cancelled = excluded.cancelled,
      cancel_date = excluded.cancel_date, rgst_date = excluded.rgst_date,
      data_version = excluded.data_version, updated_at = now()
    WHERE (t.umd_nm, t.jibun, t.apt_seq, t.build_year, t.dealing_gbn, t.cancelled, t.cancel_date, t.rgst_date)
      IS DISTINCT FROM
      (excluded.umd_nm, excluded.jibun, excluded.apt_seq, excluded.build_year, excluded.dealing_gbn,
       excluded.cancelled, excluded.cancel_date, excluded.rgst_date)
    RETURNING (xmax = 0) AS inserted
  )
  SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*)::int AS written FROM written`;

/**
 * Writes one period's deals page by page inside the caller's transaction: each page is COPYed
 * (text format) into the staging table, merged with one INSERT .. SELECT .. ON CONFLICT, and the
 * stage emptied for the next page. COPY is PostgreSQL's cheapest way in: the server spends about
 * 4 us a deal less than on json_to_recordset(), and a page travels at half the size.
 */
export class DealWriter {
  private staged = false;

  constructor(
    private readonly client: ClientBase,
    private readonly dataVersion: string,
  ) {}

  async upsert(deals: readonly DealRecord[]): Promise<UpsertCounts> {
    return this.upsertCopy(copyRows(deals), deals.length);
  }

  /** A page already in COPY text (`copyRows`), as text or its UTF-8 bytes, of `deals` deals. */
  async upsertCopy(rowsText: string | Uint8Array, deals: number): Promise<UpsertCounts> {
    if (deals === 0) return NO_CHANGES;
    if (!this.staged) {
      await this.client.query(CREATE_STAGE);
      this.staged = true;
    }
    const copy = this.client.query(copyFrom(COPY_STAGE));
    copy.end(rowsText);
    await finished(copy);
    const { rows } = await this.client.query<{ inserted: number; written: number }>(MERGE_STAGE, [
      this.dataVersion,
    ]);
    await this.client.query('TRUNCATE etl_deal_stage');
    const { inserted, written } = rows[0] ?? { inserted: 0, written: 0 };
    return { inserted, updated: written - inserted, unchanged: deals - written };
  }
}
