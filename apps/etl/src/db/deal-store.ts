import type { ClientBase } from 'pg';
import type { DealRecord } from '../normalise/deal';
import { countsFrom, NO_CHANGES, type UpsertCounts } from './upsert-counts';

/**
 * One statement per page: the page's columns travel as arrays and unnest() turns them back into
 * rows (no parameter limit, one round trip). A conflicting row is updated only when a value that
 * is not part of the key changed (a cancellation, a registration date), so a rerun writes nothing.
 */
const UPSERT_DEALS = `
  INSERT INTO apartment_deals AS t (
    deal_key, ordinal, lawd_cd, umd_cd, umd_nm, jibun, apt_seq, apt_nm, apt_dong, build_year,
    deal_date, deal_amount, exclu_use_ar, floor, dealing_gbn, cancelled, cancel_date, rgst_date, data_version
  )
  SELECT d.*, $19::text FROM unnest(
    $1::text[], $2::int2[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
    $10::int2[], $11::date[], $12::int8[], $13::numeric[], $14::int2[], $15::text[], $16::bool[], $17::date[],
    $18::date[]
  ) AS d
  ON CONFLICT (deal_key, ordinal) DO UPDATE SET
    umd_nm = excluded.umd_nm, jibun = excluded.jibun, apt_seq = excluded.apt_seq,
    build_year = excluded.build_year, dealing_gbn = excluded.dealing_gbn, cancelled = excluded.cancelled,
    cancel_date = excluded.cancel_date, rgst_date = excluded.rgst_date,
    data_version = excluded.data_version, updated_at = now()
  WHERE (t.umd_nm, t.jibun, t.apt_seq, t.build_year, t.dealing_gbn, t.cancelled, t.cancel_date, t.rgst_date)
    IS DISTINCT FROM
    (excluded.umd_nm, excluded.jibun, excluded.apt_seq, excluded.build_year, excluded.dealing_gbn,
     excluded.cancelled, excluded.cancel_date, excluded.rgst_date)
  RETURNING (xmax = 0) AS inserted`;

export async function upsertDeals(
  client: ClientBase,
  deals: DealRecord[],
  dataVersion: string,
): Promise<UpsertCounts> {
  if (deals.length === 0) return NO_CHANGES;
  const column = <K extends keyof DealRecord>(key: K) => deals.map((deal) => deal[key]);
  const { rows } = await client.query<{ inserted: boolean }>(UPSERT_DEALS, [
    column('dealKey'),
    column('ordinal'),
    column('lawdCd'),
    column('umdCd'),
    column('umdNm'),
    column('jibun'),
    column('aptSeq'),
    column('aptNm'),
    column('aptDong'),
    column('buildYear'),
    column('dealDate'),
    column('dealAmount'),
    column('excluUseAr'),
    column('floor'),
    column('dealingGbn'),
    column('cancelled'),
    column('cancelDate'),
    column('rgstDate'),
    dataVersion,
  ]);
  return countsFrom(rows, deals.length);
}
