import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** One canned answer: status, content type and body, as a malformed source would send them. */
export interface SourceAnswer {
  status?: number;
  contentType: string;
  body: string;
}

export interface SourcePages {
  /** The `molit` secret's baseURL. */
  molitBaseURL: string;
  /** The `kreb` secret's baseURL. */
  roneBaseURL: string;
  /** What `source` answers for a series (region or table) and month (YYYYMM), every page. */
  set(source: 'molit' | 'rone', series: string, month: string, answer: SourceAnswer): void;
  /** Requests served per `source series month`. */
  requests: Map<string, number>;
  close(): Promise<void>;
}

const FIXTURES = join(__dirname, '..', '..', '..', 'apps', 'etl', 'dev', 'fixtures');

/** Nothing published yet, in each API's words: the period is empty, not failed. */
const EMPTY: Record<'molit' | 'rone', SourceAnswer> = {
  molit: {
    contentType: 'text/xml;charset=UTF-8',
    body: '<?xml version="1.0" encoding="UTF-8"?><response><header><resultCode>03</resultCode><resultMsg>NO_DATA</resultMsg></header></response>',
  },
  rone: {
    contentType: 'application/json;charset=UTF-8',
    body: JSON.stringify({ RESULT: { CODE: 'INFO-200', MESSAGE: 'no data' } }),
  },
};

/**
 * A stand-in for both outside APIs that answers what the test sets per (source, series, month)
 * and "nothing published" for everything else. It is the ETL's real clients that read it: the
 * test points the `molit` and `kreb` secrets' baseURL here.
 */
export async function startSourcePages(): Promise<SourcePages> {
  const answers = new Map<string, SourceAnswer>();
  const requests = new Map<string, number>();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://source-pages');
    const source = url.pathname.endsWith('/SttsApiTblData.do')
      ? 'rone'
      : url.pathname.endsWith('/getRTMSDataSvcAptTrade')
        ? 'molit'
        : undefined;
    if (!source) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const query = url.searchParams;
    const series = (source === 'rone' ? query.get('STATBL_ID') : query.get('LAWD_CD')) ?? '';
    const month = (source === 'rone' ? query.get('WRTTIME_IDTFR_ID') : query.get('DEAL_YMD')) ?? '';
    const key = `${source} ${series} ${month}`;
    requests.set(key, (requests.get(key) ?? 0) + 1);
    const answer = answers.get(key) ?? EMPTY[source];
    response.writeHead(answer.status ?? 200, { 'content-type': answer.contentType }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    molitBaseURL: `${url}/molit`,
    roneBaseURL: `${url}/rone`,
    set: (source, series, month, answer) => answers.set(`${source} ${series} ${month}`, answer),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The first `<item>` of the 11680 fixture as field -> text, to build deals from. */
export function molitFixtureItem(): Record<string, string> {
  const xml = readFileSync(join(FIXTURES, 'molit', '11680', '202401.xml'), 'utf8');
  const item = /<item>([\s\S]*?)<\/item>/.exec(xml)![1]!;
  return Object.fromEntries(
    [...item.matchAll(/<(\w+)>([^<]*)<\/\1>/g)].map((match) => [match[1]!, match[2]!]),
  );
}

/** A getRTMSDataSvcAptTrade page: these items and this totalCount. */
export function molitPage(items: Array<Record<string, string>>, totalCount = items.length): string {
  const itemXml = items
    .map(
      (item) =>
        `<item>${Object.entries(item)
          .map(([field, text]) => `<${field}>${text}</${field}>`)
          .join('')}</item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<response><header><resultCode>000</resultCode><resultMsg>OK</resultMsg></header><body><items>${itemXml}</items><numOfRows>1000</numOfRows><pageNo>1</pageNo><totalCount>${totalCount}</totalCount></body></response>`;
}

/** The first row of the R-ONE fixture, to build rows from. */
export function roneFixtureRow(): Record<string, unknown> {
  const document = JSON.parse(
    readFileSync(join(FIXTURES, 'rone', 'A_2024_00045', '202401.json'), 'utf8'),
  ) as {
    SttsApiTblData: Array<{ row?: Array<Record<string, unknown>> }>;
  };
  return document.SttsApiTblData.find((section) => section.row)!.row![0]!;
}

/** An SttsApiTblData page: these rows and this list_total_count. */
export function ronePage(rows: Array<Record<string, unknown>>, total = rows.length): string {
  return JSON.stringify({
    SttsApiTblData: [
      { head: [{ list_total_count: String(total) }, { RESULT: { CODE: 'INFO-000', MESSAGE: 'OK' } }] },
      { row: rows },
    ],
  });
}
