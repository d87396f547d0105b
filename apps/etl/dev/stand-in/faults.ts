/**
 * Switches of the stand-in, set in-process (`standIn.faults`) or over HTTP
 * (`PUT /_control/faults` with a JSON array, `DELETE /_control/faults`).
 */
export interface Fault {
  source: 'rone' | 'molit';
  /** R-ONE table or MOLIT region; any when absent. */
  series?: string;
  /** YYYYMM as the APIs take it; any when absent. */
  period?: string;
  /** 1-based page; any when absent. */
  page?: number;
  /**
   * code: answer this result code (R-ONE bare RESULT, MOLIT header); gateway: MOLIT's
   * OpenAPI_ServiceResponse with this returnReasonCode; short: leave the page's last row out;
   * drop: destroy the connection; delay: wait `ms`, then answer normally.
   */
  kind: 'code' | 'gateway' | 'short' | 'drop' | 'delay';
  code?: string;
  ms?: number;
  /** How many requests it applies to; every matching request when absent. */
  times?: number;
}

export interface RequestKey {
  source: 'rone' | 'molit';
  series: string;
  period: string;
  page: number;
}

/** The first fault matching the request, used up by one (`times`). */
export function takeFault(faults: Fault[], request: RequestKey): Fault | undefined {
  const index = faults.findIndex(
    (fault) =>
      fault.source === request.source &&
      (fault.series === undefined || fault.series === request.series) &&
      (fault.period === undefined || fault.period === request.period) &&
      (fault.page === undefined || fault.page === request.page),
  );
  const fault = faults[index];
  if (!fault) return undefined;
  if (fault.times !== undefined) {
    fault.times -= 1;
    if (fault.times <= 0) faults.splice(index, 1);
  }
  return fault;
}
