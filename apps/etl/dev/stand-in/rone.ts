import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** SttsApiTblData from `fixtures/rone/{table}/{YYYYMM}.json` (a whole-period response), sliced per page. */
export function roneResponse(fixtures: string, query: URLSearchParams, options: { short: boolean }): string {
  const table = query.get('STATBL_ID') ?? '';
  const period = query.get('WRTTIME_IDTFR_ID') ?? '';
  const pageIndex = Number(query.get('pIndex') ?? '1');
  const pageSize = Number(query.get('pSize') ?? '100');
  if (!query.get('KEY')) return roneResult('ERROR-290', '인증키가 유효하지 않습니다.');
  if (pageSize > 1000) return roneResult('ERROR-336', '데이터요청은 한번에 최대 1,000건을 넘을 수 없습니다.');
  const file = join(fixtures, 'rone', safe(table), `${safe(period)}.json`);
  if (!existsSync(file)) return roneResult('INFO-200', '해당하는 데이터가 없습니다.');
  const document = JSON.parse(readFileSync(file, 'utf8')) as {
    SttsApiTblData: [{ head: unknown[] }, { row: unknown[] }];
  };
  const [head, body] = document.SttsApiTblData;
  const rows = body.row.slice((pageIndex - 1) * pageSize, pageIndex * pageSize);
  if (options.short) rows.pop();
  if (rows.length === 0) return roneResult('INFO-200', '해당하는 데이터가 없습니다.');
  return JSON.stringify({ SttsApiTblData: [head, { row: rows }] });
}

export function roneResult(code: string, message: string): string {
  return JSON.stringify({ RESULT: { CODE: code, MESSAGE: message } });
}

export const safe = (value: string) => value.replace(/[^A-Za-z0-9_]/g, '');
