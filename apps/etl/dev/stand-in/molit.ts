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
): string {
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
  if (synthetic && region.startsWith('9')) {
    total = synthetic.perPeriod;
    items = syntheticItems(region, period, start, Math.min(total, start + numOfRows));
  } else {
    const all = itemsOf(documentFor(fixtures, documents, region, period));
    total = all.length;
    items = all.slice(start, start + numOfRows);
  }
  if (options.short) items.pop();
  const itemsXml = items.length === 0 ? '<items/>' : `<items>${items.join('')}</items>`;
  return `${HEAD}\n<response><header><resultCode>000</resultCode><resultMsg>OK</resultMsg></header><body>${itemsXml}<numOfRows>${numOfRows}</numOfRows><pageNo>${pageNo}</pageNo><totalCount>${total}</totalCount></body></response>`;
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

// The bench asks for the same items for every region and month: each item is serialised once
// with placeholders, and only the region and period are filled in per request.
const REGION = '{{region}}';
const YEAR = '{{year}}';
const MONTH = '{{month}}';
const PLACEHOLDER = /({{(?:region|year|month)}})/;
const syntheticTemplates: string[][] = [];

function syntheticItems(region: string, period: string, start: number, end: number): string[] {
  const values: Record<string, string> = {
    [REGION]: region,
    [YEAR]: period.slice(0, 4),
    [MONTH]: String(Number(period.slice(4))),
  };
  const items: string[] = [];
  for (let index = start; index < end; index += 1) {
    let parts = syntheticTemplates[index];
    if (!parts) {
      parts = syntheticItem(REGION, YEAR, MONTH, index).split(PLACEHOLDER);
      syntheticTemplates[index] = parts;
    }
    let xml = '';
    for (let part = 0; part < parts.length; part += 1) {
      xml += part % 2 === 1 ? values[parts[part] as string] : parts[part];
    }
    items.push(xml);
  }
  return items;
}

function syntheticItem(region: string, year: string, month: string, index: number): string {
  const day = (index % 28) + 1;
  const amount = (50_000 + ((index * 7919) % 250_000)).toLocaleString('en-US');
  const area = (40 + ((index * 13) % 12000) / 100).toFixed(2);
  return `<item><aptDong> </aptDong><aptNm>합성아파트${index % 500}</aptNm><aptSeq>${region}-${index % 500}</aptSeq><buildYear>${1980 + (index % 40)}</buildYear><cdealDay> </cdealDay><cdealType> </cdealType><dealAmount>   ${amount}</dealAmount><dealDay>${day}</dealDay><dealMonth>${month}</dealMonth><dealYear>${year}</dealYear><dealingGbn>중개거래</dealingGbn><excluUseAr>${area}</excluUseAr><floor>${(index % 30) + 1}</floor><jibun>${index}</jibun><rgstDate> </rgstDate><sggCd>${region}</sggCd><umdCd>10100</umdCd><umdNm>합성동</umdNm></item>`;
}
