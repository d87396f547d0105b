import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { safe } from './rone';

const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/** Synthetic deals for the bench: every region whose code starts with 9 has `perPeriod` deals a month. */
export interface SyntheticDeals {
  perPeriod: number;
}

/**
 * getRTMSDataSvcAptTrade from `fixtures/molit/{LAWD_CD}/{YYYYMM}.xml` (a whole-period response)
 * or from documents set at runtime; the `<item>` elements are copied byte for byte into each page.
 */
export function molitResponse(
  fixtures: string,
  documents: Map<string, string>,
  synthetic: SyntheticDeals | undefined,
  query: URLSearchParams,
  options: { short: boolean },
): string | Buffer {
  const region = query.get('LAWD_CD') ?? '';
  const period = query.get('DEAL_YMD') ?? '';
  const pageNo = Number(query.get('pageNo') ?? '1');
  const numOfRows = Number(query.get('numOfRows') ?? '10');
  if (!query.get('serviceKey')) return molitGateway('30', 'SERVICE_KEY_IS_NOT_REGISTERED_ERROR');
  if (!/^\d{5}$/.test(region) || !/^\d{6}$/.test(period))
    return molitHeader('11', 'NO_MANDATORY_REQUEST_PARAMETERS_ERROR');
  const start = (pageNo - 1) * numOfRows;
  let items: string[];
  let total: number;
  if (synthetic && region.startsWith('9') && !options.short)
    return syntheticPage(region, period, start, Math.min(synthetic.perPeriod, start + numOfRows), {
      numOfRows,
      pageNo,
      total: synthetic.perPeriod,
    });
  if (synthetic && region.startsWith('9')) {
    total = synthetic.perPeriod;
    items = syntheticItems(region, period, start, Math.min(total, start + numOfRows));
  } else {
    const all = itemsOf(documentFor(fixtures, documents, region, period));
    total = all.length;
    items = all.slice(start, start + numOfRows);
  }
  if (options.short) items.pop();
  return itemsPage(items, { numOfRows, pageNo, total });
}

function itemsPage(items: string[], page: { numOfRows: number; pageNo: number; total: number }): string {
  const itemsXml = items.length === 0 ? '<items/>' : `<items>${items.join('')}</items>`;
  return `${HEAD}\n<response><header><resultCode>000</resultCode><resultMsg>OK</resultMsg></header><body>${itemsXml}<numOfRows>${page.numOfRows}</numOfRows><pageNo>${page.pageNo}</pageNo><totalCount>${page.total}</totalCount></body></response>`;
}

export function molitHeader(code: string, message: string): string {
  return `${HEAD}\n<response><header><resultCode>${code}</resultCode><resultMsg>${message}</resultMsg></header></response>`;
}

export function molitGateway(code: string, authMessage: string): string {
  return `<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg><returnAuthMsg>${authMessage}</returnAuthMsg><returnReasonCode>${code}</returnReasonCode></cmmMsgHeader></OpenAPI_ServiceResponse>`;
}

function documentFor(
  fixtures: string,
  documents: Map<string, string>,
  region: string,
  period: string,
): string {
  const set = documents.get(`${region}/${period}`);
  if (set !== undefined) return set;
  const file = join(fixtures, 'molit', safe(region), `${safe(period)}.xml`);
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

function itemsOf(document: string): string[] {
  return document.match(/<item>[\s\S]*?<\/item>/g) ?? [];
}

// The bench asks for the same items for every region and month, and the stand-in shares the job's
// two cores: each page is rendered once as UTF-8 with control characters where the region, year and
// month go (one template for one-digit months, one for two), and a request copies it and writes
// those bytes in place. The XML on the wire is the same as rendering it afresh.
const REGION_MARK = '\u0001'.repeat(5);
const YEAR_MARK = '\u0002'.repeat(4);
interface PageTemplate {
  bytes: Buffer;
  /** Offsets of the region, year and month marks. */
  marks: Array<{ at: number; kind: 1 | 2 | 3 }>;
}
const pageTemplates = new Map<string, PageTemplate>();

function syntheticPage(
  region: string,
  period: string,
  start: number,
  end: number,
  page: { numOfRows: number; pageNo: number; total: number },
): Buffer {
  const month = String(Number(period.slice(4)));
  const key = `${start}/${end}/${page.numOfRows}/${page.total}/${month.length}`;
  let template = pageTemplates.get(key);
  if (!template) {
    const monthMark = '\u0003'.repeat(month.length);
    const items = Array.from({ length: end - start }, (_, offset) =>
      syntheticItem(REGION_MARK, YEAR_MARK, monthMark, start + offset),
    );
    const bytes = Buffer.from(itemsPage(items, page));
    const marks: PageTemplate['marks'] = [];
    for (let at = 0; at < bytes.length; at += 1) {
      const byte = bytes[at] as number;
      if (byte >= 1 && byte <= 3) {
        marks.push({ at, kind: byte as 1 | 2 | 3 });
        at += (byte === 1 ? 5 : byte === 2 ? 4 : month.length) - 1;
      }
    }
    template = { bytes, marks };
    pageTemplates.set(key, template);
  }
  const bytes = Buffer.from(template.bytes);
  const values = ['', region, period.slice(0, 4), month];
  for (const mark of template.marks) bytes.write(values[mark.kind] as string, mark.at, 'latin1');
  return bytes;
}

function syntheticItems(region: string, period: string, start: number, end: number): string[] {
  const year = period.slice(0, 4);
  const month = String(Number(period.slice(4)));
  return Array.from({ length: end - start }, (_, offset) =>
    syntheticItem(region, year, month, start + offset),
  );
}

function syntheticItem(region: string, year: string, month: string, index: number): string {
  const day = (index % 28) + 1;
  const amount = (50_000 + ((index * 7919) % 250_000)).toLocaleString('en-US');
  const area = (40 + ((index * 13) % 12000) / 100).toFixed(2);
  return `<item><aptDong> </aptDong><aptNm>합성아파트${index % 500}</aptNm><aptSeq>${region}-${index % 500}</aptSeq><buildYear>${1980 + (index % 40)}</buildYear><cdealDay> </cdealDay><cdealType> </cdealType><dealAmount>   ${amount}</dealAmount><dealDay>${day}</dealDay><dealMonth>${month}</dealMonth><dealYear>${year}</dealYear><dealingGbn>중개거래</dealingGbn><excluUseAr>${area}</excluUseAr><floor>${(index % 30) + 1}</floor><jibun>${index}</jibun><rgstDate> </rgstDate><sggCd>${region}</sggCd><umdCd>10100</umdCd><umdNm>합성동</umdNm></item>`;
}
