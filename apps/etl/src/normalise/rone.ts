import type { RoneRow } from '../sources/rone/parse';

/** A value of an R-ONE series as rone_index_values stores it. */
export interface RoneRecord {
  statblId: string;
  dtacycleCd: string;
  wrttimeIdtfrId: string;
  grpId: string;
  clsId: string;
  itmId: string;
  clsNm: string | null;
  itmNm: string | null;
  /** Numeric text, or null when the source has no value. */
  dtaVal: string | null;
  uiNm: string | null;
  wrttimeDesc: string | null;
}

/**
 * Rows of one page as records, one per natural key (the last wins: one INSERT .. ON CONFLICT
 * cannot touch a row twice).
 */
export function normaliseRoneRows(rows: RoneRow[]): RoneRecord[] {
  const byKey = new Map<string, RoneRecord>();
  for (const row of rows) {
    const record: RoneRecord = {
      statblId: row.STATBL_ID,
      dtacycleCd: row.DTACYCLE_CD,
      wrttimeIdtfrId: row.WRTTIME_IDTFR_ID,
      grpId: row.GRP_ID,
      clsId: row.CLS_ID,
      itmId: row.ITM_ID,
      clsNm: row.CLS_NM,
      itmNm: row.ITM_NM,
      dtaVal: row.DTA_VAL,
      uiNm: row.UI_NM,
      wrttimeDesc: row.WRTTIME_DESC,
    };
    byKey.set(
      [
        record.statblId,
        record.dtacycleCd,
        record.wrttimeIdtfrId,
        record.grpId,
        record.clsId,
        record.itmId,
      ].join('\u001f'),
      record,
    );
  }
  return [...byKey.values()];
}
