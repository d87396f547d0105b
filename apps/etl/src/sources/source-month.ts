import type { Period } from '@estate/contracts';

/** A month as both sources spell it in their requests (MOLIT DEAL_YMD, R-ONE WRTTIME_IDTFR_ID): YYYYMM. */
export function sourceMonth(period: Period): string {
  return period.replace('-', '');
}
