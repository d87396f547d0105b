import type { ClientBase } from 'pg';
import type { DealRecord } from '../normalise/deal';
import { NO_CHANGES, type UpsertCounts } from './upsert-counts';

/**
 * One statement per page: the page travels as one JSON array of DealRecords (JSON.stringify is
 * native and cheap; thousands of bind parameters or eighteen escaped text arrays are not) and
 * json_to_recordset() turns it back into typed rows: no parameter limit, one round trip. A
 * conflicting row is updated only when a value that is not part of the key changed (a
 * cancellation, a registration date), so a rerun writes nothing; the counts come back as one row.
 */
const UPSERT_DEALS = `
  WITH written AS (
    INSERT INTO apartment_deals AS t (
      deal_key, ordinal, lawd_cd, umd_cd, umd_nm, jibun, apt_seq, apt_nm, apt_dong, build_year,
      deal_date, deal_amount, exclu_use_ar, floor, dealing_gbn, cancelled, cancel_date, rgst_date, data_version
    )
    SELECT d."dealKey", d.ordinal, d."lawdCd", d."umdCd", d."umdNm", d.jibun, d."aptSeq", d."aptNm", d."aptDong",
      d."buildYear", d."dealDate", d."dealAmount", d."excluUseAr", d.floor, d."dealingGbn", d.cancelled,
      d."cancelDate", d."rgstDate", $2::text
    FROM json_to_recordset($1::json) AS d(
      "dealKey" text, ordinal int2, "lawdCd" text, "umdCd" text, "umdNm" text, jibun text, "aptSeq" text,
      "aptNm" text, "aptDong" text, "buildYear" int2, "dealDate" date, "dealAmount" int8, "excluUseAr" numeric,
      floor int2, "dealingGbn" text, cancelled bool, "cancelDate" date, "rgstDate" date
    )
    ON CONFLICT (deal_key, ordinal) DO UPDATE SET
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

export async function upsertDeals(
  client: ClientBase,
  deals: DealRecord[],
  dataVersion: string,
): Promise<UpsertCounts> {
  if (deals.length === 0) return NO_CHANGES;
  const { rows } = await client.query<{ inserted: number; written: number }>(UPSERT_DEALS, [
    JSON.stringify(deals),
    dataVersion,
  ]);
  const { inserted, written } = rows[0] ?? { inserted: 0, written: 0 };
  return { inserted, updated: written - inserted, unchanged: deals.length - written };
}
