import type { ClientBase } from 'pg';
import type { RoneRecord } from '../normalise/rone';
import { countsFrom, NO_CHANGES, type UpsertCounts } from './upsert-counts';

/** As for deals: one unnest() statement per page; DTA_VAL is overwritten when the series is re-based. */
const UPSERT_RONE = `
  INSERT INTO rone_index_values AS t (
    statbl_id, dtacycle_cd, wrttime_idtfr_id, grp_id, cls_id, itm_id, cls_nm, itm_nm, dta_val, ui_nm,
    wrttime_desc, data_version
  )
  SELECT r.*, $12::text FROM unnest(
    $1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
    $9::numeric[], $10::text[], $11::text[]
  ) AS r
  ON CONFLICT (statbl_id, dtacycle_cd, wrttime_idtfr_id, grp_id, cls_id, itm_id) DO UPDATE SET
    cls_nm = excluded.cls_nm, itm_nm = excluded.itm_nm, dta_val = excluded.dta_val, ui_nm = excluded.ui_nm,
    wrttime_desc = excluded.wrttime_desc, data_version = excluded.data_version, updated_at = now()
  WHERE (t.cls_nm, t.itm_nm, t.dta_val, t.ui_nm, t.wrttime_desc)
    IS DISTINCT FROM (excluded.cls_nm, excluded.itm_nm, excluded.dta_val, excluded.ui_nm, excluded.wrttime_desc)
  RETURNING (xmax = 0) AS inserted`;

export async function upsertRoneValues(
  client: ClientBase,
  records: RoneRecord[],
  dataVersion: string,
): Promise<UpsertCounts> {
  if (records.length === 0) return NO_CHANGES;
  const column = <K extends keyof RoneRecord>(key: K) => records.map((record) => record[key]);
  const { rows } = await client.query<{ inserted: boolean }>(UPSERT_RONE, [
    column('statblId'),
    column('dtacycleCd'),
    column('wrttimeIdtfrId'),
    column('grpId'),
    column('clsId'),
    column('itmId'),
    column('clsNm'),
    column('itmNm'),
    column('dtaVal'),
    column('uiNm'),
    column('wrttimeDesc'),
    dataVersion,
  ]);
  return countsFrom(rows, records.length);
}
