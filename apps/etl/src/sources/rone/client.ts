import type { Period } from '@estate/contracts';
import { EtlError, IncompletePeriodError } from '../../errors';
import type { SourceHttp } from '../http';
import { sourceMonth } from '../source-month';
import { parseRoneResponse, type RoneRow } from './parse';

export interface RoneClientOptions {
  apiKey: string;
  /** Default: the public R-ONE Open API. */
  baseURL?: string;
  /** `estate/{env}/kreb`: named in errors about the key. */
  secretName: string;
  /** pSize; the API refuses more than 1000 (ERROR-336). */
  pageSize?: number;
  http: SourceHttp;
}

export const RONE_BASE_URL = 'https://www.reb.or.kr/r-one/openapi';
export const RONE_MAX_PAGE_SIZE = 1000;

/** R-ONE statistics Open API: one monthly table period at a time, page by page. */
export class RoneClient {
  private readonly baseURL: string;
  private readonly pageSize: number;

  constructor(private readonly options: RoneClientOptions) {
    // An empty key makes the real server answer a 5-row sample forever.
    if (options.apiKey.trim() === '') {
      throw new EtlError(`secret ${options.secretName} has an empty apiKey; refusing to start`, {
        code: 'empty_key',
      });
    }
    const pageSize = options.pageSize ?? RONE_MAX_PAGE_SIZE;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > RONE_MAX_PAGE_SIZE) {
      throw new EtlError(`R-ONE page size must be 1 to ${RONE_MAX_PAGE_SIZE} (got ${pageSize})`, {
        code: 'page_size',
      });
    }
    this.pageSize = pageSize;
    this.baseURL = (options.baseURL ?? RONE_BASE_URL).replace(/\/+$/, '');
  }

  /**
   * The pages of one table's month, in order. Yields nothing for INFO-200 (not published yet).
   * Throws IncompletePeriodError when the rows fall short of list_total_count.
   */
  async *periodPages(table: string, period: Period): AsyncGenerator<RoneRow[]> {
    let received = 0;
    let total: number | undefined;
    for (let pageIndex = 1; total === undefined || received < total; pageIndex += 1) {
      const what = `R-ONE ${table} ${period} page ${pageIndex}`;
      const page = await this.options.http.get(this.url(table, period, pageIndex), what, (status, body) =>
        parseRoneResponse(status, body, { what, secretName: this.options.secretName }),
      );
      if (page.kind === 'empty') {
        if (total === undefined) return;
        throw this.short(table, period, received, total);
      }
      total ??= page.total;
      if (total === 0) return;
      received += page.rows.length;
      if (page.rows.length === 0 || (page.rows.length < this.pageSize && received < total)) {
        throw this.short(table, period, received, total);
      }
      yield page.rows;
    }
    if (total !== undefined && received !== total) throw this.short(table, period, received, total);
  }

  private short(table: string, period: Period, received: number, total: number): IncompletePeriodError {
    return new IncompletePeriodError(
      `R-ONE ${table} ${period}: received ${received} of ${total} rows; period not kept`,
      {
        code: 'incomplete',
        source: 'rone',
        scope: 'period',
      },
    );
  }

  private url(table: string, period: Period, pageIndex: number): URL {
    const url = new URL(`${this.baseURL}/SttsApiTblData.do`);
    url.search = new URLSearchParams({
      KEY: this.options.apiKey,
      Type: 'json',
      pIndex: String(pageIndex),
      pSize: String(this.pageSize),
      STATBL_ID: table,
      DTACYCLE_CD: 'MM',
      WRTTIME_IDTFR_ID: sourceMonth(period),
    }).toString();
    return url;
  }
}
