import { EVENTS_EXCHANGE, MARKET_UPDATED } from '@estate/contracts';
import type { ChannelModel } from 'amqplib';
import { adminClient, setSecretFields } from '../src/stack/secrets-endpoint';
import { brokerConnection, linesOf, queueDepths, type TableState, tableState } from './support/bad-inputs';
import { ETL_ARGS, type IsolatedStack, startIsolatedStack } from './support/isolated-stack';
import {
  molitFixtureItem,
  molitPage,
  roneFixtureRow,
  ronePage,
  type SourceAnswer,
  type SourcePages,
  startSourcePages,
} from './support/source-pages';

// Reliability, issue 9 case 5 (ETL source pages): the `molit` and `kreb` secrets point at a server
// of the test's own serving malformed pages. A page that cannot be read fails its period: the run
// exits 1, the summary names the source, the region or table, the period and what is wrong, and
// the deals, indices and watermarks are exactly as before (rows and checksums), with no
// market.updated (a queue of the test's own bound to estate.events stays empty). A deal that
// cannot be stored (a non-numeric amount, an impossible date) is skipped and counted by reason,
// as apps/etl/README.md documents: the run exits 0 and stores only the good deals.
jest.setTimeout(150_000);

const REGION = '11680';
const TABLE = 'A_2024_00045';
const DATA_TABLES = ['apartment_deals', 'rone_index_values', 'etl_watermarks'];
/** Ours: bound to estate.events / market.updated in the stack's vhost, never consumed. */
const EVENT_PROBE = 'e2e.bad-source-pages.market-updated';

interface PageCase {
  name: string;
  /** Each case has a month of its own (YYYYMM); the other source answers "nothing published". */
  month: string;
  source: 'molit' | 'rone';
  answer: () => SourceAnswer;
  /** The reason in the summary's row for (source, series, period). */
  reason: RegExp;
}

const xml = 'text/xml;charset=UTF-8';
const json = 'application/json;charset=UTF-8';
const deal = (month: string, fields: Record<string, string> = {}) => ({
  ...molitFixtureItem(),
  dealYear: month.slice(0, 4),
  dealMonth: String(Number(month.slice(4))),
  ...fields,
});
const row = (month: string, fields: Record<string, unknown> = {}) => ({
  ...roneFixtureRow(),
  WRTTIME_IDTFR_ID: month,
  ...fields,
});
const period = (month: string) => `${month.slice(0, 4)}-${month.slice(4)}`;

const FAILING: PageCase[] = [
  {
    name: 'MOLIT: truncated XML',
    month: '202301',
    source: 'molit',
    answer: () => ({ contentType: xml, body: molitPage([deal('202301')]).slice(0, 300) }),
    reason: /MOLIT 11680 2023-01 page 1: gave up after 5 attempts \(.*not an XML document\)/,
  },
  {
    name: 'MOLIT: an HTML error page (HTTP 200)',
    month: '202302',
    source: 'molit',
    answer: () => ({
      contentType: 'text/html',
      body: '<html><head><title>Service Unavailable</title></head><body><h1>잠시 후 다시 시도해 주세요</h1><br></body></html>',
    }),
    reason: /MOLIT 11680 2023-02 page 1: gave up after 5 attempts \(.*not an XML document\)/,
  },
  {
    name: 'MOLIT: a JSON page (wrong content type)',
    month: '202303',
    source: 'molit',
    answer: () => ({
      contentType: json,
      body: JSON.stringify({
        response: { header: { resultCode: '000' }, body: { items: [deal('202303')] } },
      }),
    }),
    reason: /MOLIT 11680 2023-03 page 1: gave up after 5 attempts \(.*not an XML document\)/,
  },
  {
    name: 'MOLIT: totalCount above the items sent',
    month: '202304',
    source: 'molit',
    answer: () => ({
      contentType: xml,
      body: molitPage([deal('202304'), deal('202304', { floor: '3' })], 5),
    }),
    reason: /MOLIT 11680 2023-04: received 2 of 5 deals; period not kept/,
  },
  {
    name: 'MOLIT: totalCount below the items sent',
    month: '202305',
    source: 'molit',
    answer: () => ({
      contentType: xml,
      body: molitPage([deal('202305'), deal('202305', { floor: '3' })], 1),
    }),
    reason: /MOLIT 11680 2023-05: received 2 of 1 deals; period not kept/,
  },
  {
    name: 'MOLIT: totalCount not a number',
    month: '202306',
    source: 'molit',
    answer: () => ({
      contentType: xml,
      body: molitPage([deal('202306')]).replace('<totalCount>1<', '<totalCount>many<'),
    }),
    reason: /MOLIT 11680 2023-06 page 1: totalCount is not a count/,
  },
  {
    name: 'R-ONE: rows without the natural-key fields',
    month: '202307',
    source: 'rone',
    answer: () => ({
      contentType: json,
      body: ronePage([row('202307'), row('202307', { CLS_ID: undefined, ITM_ID: undefined })]),
    }),
    reason: /R-ONE A_2024_00045 2023-07 page 1 row 2: CLS_ID missing/,
  },
  {
    name: 'R-ONE: DTA_VAL not a number',
    month: '202308',
    source: 'rone',
    answer: () => ({ contentType: json, body: ronePage([row('202308', { DTA_VAL: 'n/a' })]) }),
    reason: /R-ONE A_2024_00045 2023-08 page 1 row 1: DTA_VAL is not a number/,
  },
  {
    name: 'R-ONE: list_total_count above the rows sent',
    month: '202309',
    source: 'rone',
    answer: () => ({ contentType: json, body: ronePage([row('202309')], 40) }),
    reason: /R-ONE A_2024_00045 2023-09: received 1 of 40 rows; period not kept/,
  },
  {
    name: 'R-ONE: an XML page (wrong content type)',
    month: '202310',
    source: 'rone',
    answer: () => ({ contentType: xml, body: molitPage([deal('202310')]) }),
    reason: /R-ONE A_2024_00045 2023-10 page 1: gave up after 5 attempts \(.*not a JSON document\)/,
  },
];

let env: IsolatedStack;
let pages: SourcePages;
let broker: ChannelModel;

beforeAll(async () => {
  env = await startIsolatedStack();
  // Data and watermarks to keep: the fixture months, from the stand-in.
  const etlExit = await env.stack.runEtl(ETL_ARGS);
  if (etlExit !== 0) throw new Error(`estate-etl run exited ${etlExit}\n${env.tail()}`);
  pages = await startSourcePages();
  const admin = adminClient(env.stack.secretsUrl);
  try {
    await setSecretFields(admin, 'estate/dev/molit', { baseURL: pages.molitBaseURL });
    await setSecretFields(admin, 'estate/dev/kreb', { baseURL: pages.roneBaseURL });
  } finally {
    admin.destroy();
  }
  broker = await brokerConnection(env.stack);
  const channel = await broker.createChannel();
  await channel.assertQueue(EVENT_PROBE, { durable: false });
  await channel.bindQueue(EVENT_PROBE, EVENTS_EXCHANGE, MARKET_UPDATED);
  await channel.close();
});

afterAll(async () => {
  await broker?.close().catch(() => {});
  await pages?.close();
  await env?.cleanup();
});

const dataOf = (state: TableState) => Object.fromEntries(DATA_TABLES.map((table) => [table, state[table]]));

/** One run for one month; its exit code, the summary row of (source, series, month) and the run's row. */
async function runFor(month: string, source: 'molit' | 'rone') {
  const from = env.output.length;
  const p = period(month);
  const code = await env.stack.runEtl([
    '--from',
    p,
    '--to',
    p,
    '--regions',
    REGION,
    '--tables',
    TABLE,
    '--pace-ms',
    '0',
  ]);
  const lines = linesOf(env.output, 'etl', from);
  const series = source === 'molit' ? REGION : TABLE;
  const summaryRow = lines.find((line) => new RegExp(`^${source}\\s+${series}\\s+${p}\\s`).test(line));
  return { code, summaryRow, lines };
}

test.each(FAILING)('$name: the run exits 1 naming it; nothing written, no event', async (pageCase) => {
  pages.set(pageCase.source, pageCase.source === 'molit' ? REGION : TABLE, pageCase.month, pageCase.answer());
  const before = await tableState(env.stack);
  const { code, summaryRow, lines } = await runFor(pageCase.month, pageCase.source);

  expect({ code, summaryRow }).toEqual({
    code: 1,
    summaryRow: expect.stringMatching(new RegExp(`\\sfailed\\s.*${pageCase.reason.source}`)),
  });
  // The ETL's own client read our page: once, or five times when the failure is one it retries.
  const served = pages.requests.get(
    `${pageCase.source} ${pageCase.source === 'molit' ? REGION : TABLE} ${pageCase.month}`,
  );
  expect([pageCase.name, served]).toEqual([
    pageCase.name,
    /gave up after 5/.test(pageCase.reason.source) ? 5 : 1,
  ]);
  expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^total\s+FAILED/)]));
  expect(lines).toEqual(
    expect.arrayContaining([expect.stringMatching(/^event market\.updated: nothing changed/)]),
  );
  const after = await tableState(env.stack);
  expect(dataOf(after)).toEqual(dataOf(before));
  expect(after.etl_runs?.rows).toBe((before.etl_runs?.rows ?? 0) + 1);
  expect(await queueDepths(broker, [EVENT_PROBE])).toEqual({ [EVENT_PROBE]: 0 });
});

test('deals with a non-numeric amount or an impossible date are skipped by reason; the good deal alone is stored', async () => {
  const month = '202311';
  const good = deal(month, { dealDay: '7', dealAmount: '  123,400' });
  pages.set('molit', REGION, month, {
    contentType: xml,
    body: molitPage([
      deal(month, { dealAmount: '십이억' }),
      good,
      deal(month, { dealDay: '31' }), // November has 30 days
      deal(month, { dealAmount: '12.5e3' }),
    ]),
  });
  const before = await tableState(env.stack);
  const { code, summaryRow } = await runFor(month, 'molit');

  expect({ code, summaryRow }).toEqual({
    code: 0,
    summaryRow: expect.stringMatching(
      /^molit\s+11680\s+2023-11\s+loaded\s+1\s+0\s+0\s+3\s+2 skipped: dealAmount invalid; 1 skipped: deal date invalid$/,
    ),
  });
  const after = await tableState(env.stack);
  expect(after.apartment_deals?.rows).toBe(before.apartment_deals!.rows + 1);
  expect(after.rone_index_values).toEqual(before.rone_index_values);
  expect(after.etl_watermarks?.rows).toBe(before.etl_watermarks!.rows + 1);
  // The event names the month, with the skipped count.
  const channel = await broker.createChannel();
  try {
    const message = await channel.get(EVENT_PROBE, { noAck: true });
    expect(message && JSON.parse(message.content.toString())).toMatchObject({
      regions: [REGION],
      periods: ['2023-11'],
      counts: { inserted: 1, skipped: 3 },
    });
  } finally {
    await channel.close();
  }
  expect(await queueDepths(broker, [EVENT_PROBE])).toEqual({ [EVENT_PROBE]: 0 });
});

test('leak scan (case 4): no secret value in any line printed or response received', async () => {
  await broker.close();
  const scan = await env.leakScan();
  expect(scan.values).toBeGreaterThanOrEqual(8);
  expect(scan.leaks).toEqual([]);
});
