import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyRows } from '../../src/db/copy-rows';
import { InvalidItemError, normaliseDeal, Ordinals } from '../../src/normalise/deal';
import type { MolitDealPage } from '../../src/run/molit-pages/deal-page';
import { MolitPageReader } from '../../src/run/molit-pages/page-reader';
import { parseMolitResponse } from '../../src/sources/molit/parse';

const fixture = (path: string) => readFileSync(join(__dirname, '../../dev/fixtures/molit', path), 'utf8');
const context = { what: 'MOLIT 11680 2024-01 page 1', secretName: 'estate/dev/molit' };
const bytes = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;
const header = (code: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><response><header><resultCode>${code}</resultCode><resultMsg>msg</resultMsg></header></response>`;
const gateway = (code: string) =>
  `<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg><returnAuthMsg>AUTH</returnAuthMsg><returnReasonCode>${code}</returnReasonCode></cmmMsgHeader></OpenAPI_ServiceResponse>`;

let reader: MolitPageReader;
beforeAll(() => {
  reader = new MolitPageReader();
});
afterAll(() => reader.close());

const items = (page: MolitDealPage) => {
  if (page.kind !== 'items') throw new Error('expected items');
  return page;
};
const lines = (page: MolitDealPage) => new TextDecoder().decode(items(page).copy);

describe('MolitPageReader (the page worker thread)', () => {
  it('returns the header count, the COPY text of the normalised deals and the row count', async () => {
    const body = fixture('11680/202401.xml');
    const month = reader.openMonth('11680', '2024-01');
    const page = items(await reader.read(month, 200, bytes(body), context));
    reader.closeMonth(month);

    const parsed = parseMolitResponse(200, body, context);
    if (parsed.kind !== 'items') throw new Error('expected items');
    const ordinals = new Ordinals();
    const deals = parsed.items.map((item) => {
      const deal = normaliseDeal(item, '11680');
      return { ...deal, ordinal: ordinals.next(deal.dealKey) };
    });
    expect(page).toMatchObject({ total: 4, count: 4, rows: 4, skipped: {} });
    expect(lines(page)).toBe(copyRows(deals));
  });

  it('numbers identical deals across the pages of one month, and each month apart', async () => {
    const body = fixture('11680/202402.xml');
    const first = reader.openMonth('11680', '2024-02');
    const second = reader.openMonth('11680', '2024-02');
    const ordinalOf = (page: MolitDealPage) => lines(page).split('\t')[1];
    expect(ordinalOf(await reader.read(first, 200, bytes(body), context))).toBe('1');
    expect(ordinalOf(await reader.read(first, 200, bytes(body), context))).toBe('2');
    expect(ordinalOf(await reader.read(second, 200, bytes(body), context))).toBe('1');
    reader.closeMonth(first);
    reader.closeMonth(second);
  });

  it('counts items of another region or month as skipped, with their reasons', async () => {
    const month = reader.openMonth('11650', '2024-01');
    const page = items(await reader.read(month, 200, bytes(fixture('11680/202401.xml')), context));
    reader.closeMonth(month);
    expect(page).toMatchObject({ count: 4, rows: 0, skipped: { 'sggCd is not the requested region': 4 } });
    expect(lines(page)).toBe('');
  });

  it('an empty month is empty', async () => {
    const month = reader.openMonth('11680', '2024-03');
    expect(await reader.read(month, 200, bytes(fixture('11680/202403.xml')), context)).toEqual({
      kind: 'empty',
    });
    reader.closeMonth(month);
  });

  it.each([
    ...['10', '20', '22', '23', '30', '31', '99'].flatMap((code) => [
      [`header ${code}`, header(code)],
      [`gateway ${code}`, gateway(code)],
    ]),
    ['an HTML page', '<html><body>Service Unavailable<br></body></html>'],
    ['an empty body', ''],
    [
      'a bad totalCount',
      '<response><header><resultCode>00</resultCode></header><body><totalCount>x</totalCount></body></response>',
    ],
  ])('%s: the error the parser raises, same class, message and fields', async (_, body) => {
    let expected: unknown;
    try {
      parseMolitResponse(200, body, context);
    } catch (error) {
      expected = error;
    }
    expect(expected).toBeInstanceOf(Error);
    expect(expected).not.toBeInstanceOf(InvalidItemError);
    const month = reader.openMonth('11680', '2024-01');
    const actual = await reader.read(month, 200, bytes(body), context).then(
      () => undefined,
      (error: unknown) => error,
    );
    reader.closeMonth(month);
    expect(actual).toBeInstanceOf((expected as Error).constructor);
    expect({ ...(actual as object), message: (actual as Error).message }).toEqual({
      ...(expected as object),
      message: (expected as Error).message,
    });
  });
});
