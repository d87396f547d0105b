import type { Period } from '@estate/contracts';
import { EtlError, IncompletePeriodError } from '../../errors';
import type { SourceHttp } from '../http';
import { sourceMonth } from '../source-month';
import { type MolitContext, type MolitItem, parseMolitResponse } from './parse';

export interface MolitClientOptions {
  serviceKey: string;
  /** Default: the public data portal's RTMSDataSvcAptTrade service. */
  baseURL?: string;
  /** `estate/{env}/molit`: named in errors about the key. */
  secretName: string;
  /** numOfRows, at most 1000. */
  pageSize?: number;
  http: SourceHttp;
}

/** What a page reader tells the paging: the header's total and the items on the page. */
type PageCounts = { kind: 'items'; total: number; count: number };

/** Turns one response (status and body bytes) into a page, throwing what parseMolitResponse throws. */
type ReadMolitPage<P extends PageCounts> = (
  status: number,
  body: ArrayBuffer,
  context: MolitContext,
) => Promise<P | { kind: 'empty' }>;

export const MOLIT_BASE_URL = 'https://apis.data.go.kr/1613000/RTMSDataSvcAptTrade';
export const MOLIT_MAX_PAGE_SIZE = 1000;

/** MOLIT apartment trade deals for one region (LAWD_CD) and month, page by page. */
export class MolitClient {
  private readonly baseURL: string;
  private readonly pageSize: number;
  private readonly serviceKey: string;

  constructor(private readonly options: MolitClientOptions) {
    if (options.serviceKey.trim() === '') {
      throw new EtlError(`secret ${options.secretName} has an empty serviceKey; refusing to start`, {
        code: 'empty_key',
      });
    }
    // The portal hands out an "encoding" key (already %-escaped) and a "decoding" one; accept either.
    this.serviceKey = /%[0-9A-Fa-f]{2}/.test(options.serviceKey)
      ? decodeURIComponent(options.serviceKey)
      : options.serviceKey;
    const pageSize = options.pageSize ?? MOLIT_MAX_PAGE_SIZE;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MOLIT_MAX_PAGE_SIZE) {
      throw new EtlError(`MOLIT page size must be 1 to ${MOLIT_MAX_PAGE_SIZE} (got ${pageSize})`, {
        code: 'page_size',
      });
    }
    this.pageSize = pageSize;
    this.baseURL = (options.baseURL ?? MOLIT_BASE_URL).replace(/\/+$/, '');
  }

  /** The pages of one region's month; nothing for an empty month; IncompletePeriodError when short. */
  async *periodPages(region: string, period: Period): AsyncGenerator<MolitItem[]> {
    const pages = this.paged(region, period, async (url, what) => {
      const page = await this.options.http.get(url, what, (status, body) =>
        parseMolitResponse(status, body, { what, secretName: this.options.secretName }),
      );
      return page.kind === 'empty' ? page : { ...page, count: page.items.length };
    });
    for await (const page of pages) yield page.items;
  }

  /**
   * The same pages as `periodPages`, fetched as bytes and read by `readPage`, so the caller
   * chooses where the work happens (the job reads them in a worker thread: `run/molit-pages/`).
   */
  readPeriodPages<P extends PageCounts>(
    region: string,
    period: Period,
    readPage: ReadMolitPage<P>,
  ): AsyncGenerator<P> {
    return this.paged(region, period, (url, what) =>
      this.options.http.getBytes(url, what, (status, body) =>
        readPage(status, body, { what, secretName: this.options.secretName }),
      ),
    );
  }

  /** Pages 1, 2, .. until totalCount items arrived; a page short of the page size before that is an error. */
  private async *paged<P extends PageCounts>(
    region: string,
    period: Period,
    fetchPage: (url: URL, what: string) => Promise<P | { kind: 'empty' }>,
  ): AsyncGenerator<P> {
    let received = 0;
    let total: number | undefined;
    for (let pageNo = 1; total === undefined || received < total; pageNo += 1) {
      const page = await fetchPage(
        this.url(region, period, pageNo),
        `MOLIT ${region} ${period} page ${pageNo}`,
      );
      if (page.kind === 'empty') {
        if (total === undefined) return;
        throw this.short(region, period, received, total);
      }
      total ??= page.total;
      received += page.count;
      if (page.count === 0 || (page.count < this.pageSize && received < total)) {
        throw this.short(region, period, received, total);
      }
      yield page;
    }
    if (total !== undefined && received !== total) throw this.short(region, period, received, total);
  }

  private short(region: string, period: Period, received: number, total: number): IncompletePeriodError {
    return new IncompletePeriodError(
      `MOLIT ${region} ${period}: received ${received} of ${total} deals; period not kept`,
      {
        code: 'incomplete',
        source: 'molit',
        scope: 'period',
      },
    );
  }

  private url(region: string, period: Period, pageNo: number): URL {
    const url = new URL(`${this.baseURL}/getRTMSDataSvcAptTrade`);
    url.search = new URLSearchParams({
      serviceKey: this.serviceKey,
      LAWD_CD: region,
      DEAL_YMD: sourceMonth(period),
      pageNo: String(pageNo),
      numOfRows: String(this.pageSize),
    }).toString();
    return url;
  }
}
