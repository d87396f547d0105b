import type { DealRecord } from '../normalise/deal';

/** COPY text format in the stage's column order: tab-separated, `\N` for null, one line a deal. */
export function copyRows(deals: readonly DealRecord[]): string {
  let rows = '';
  for (const deal of deals) {
    rows += `${deal.dealKey}\t${deal.ordinal}\t${deal.lawdCd}\t${text(deal.umdCd)}\t${text(deal.umdNm)}\t${text(deal.jibun)}\t${text(deal.aptSeq)}\t${text(deal.aptNm)}\t${text(deal.aptDong)}\t${deal.buildYear ?? NULL}\t${deal.dealDate}\t${deal.dealAmount}\t${deal.excluUseAr}\t${deal.floor ?? NULL}\t${text(deal.dealingGbn)}\t${deal.cancelled ? 't' : 'f'}\t${deal.cancelDate ?? NULL}\t${deal.rgstDate ?? NULL}\n`;
  }
  return rows;
}

const NULL = '\\N';
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A text value for COPY: backslash, tab, newline and carriage return escaped. */
function text(value: string | null): string {
  if (value === null) return NULL;
  return plain(value) ? value : value.replace(/[\\\t\n\r]/g, (special) => ESCAPES[special] as string);
}

/** No character COPY must escape; a scan of these short values is cheaper than a RegExp test. */
function plain(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code === 92 /* \ */ || code === 9 || code === 10 || code === 13) return false;
  }
  return true;
}
