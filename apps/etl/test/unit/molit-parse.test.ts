import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QuotaExceededError, SourceAuthError, SourceError } from '../../src/errors';
import { parseMolitResponse } from '../../src/sources/molit/parse';

const fixture = (path: string) => readFileSync(join(__dirname, '../../dev/fixtures/molit', path), 'utf8');
const context = { what: 'MOLIT 11680 2024-01 page 1', secretName: 'estate/dev/molit' };
const header = (code: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><response><header><resultCode>${code}</resultCode><resultMsg>msg</resultMsg></header></response>`;
const gateway = (code: string, auth: string) =>
  `<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg><returnAuthMsg>${auth}</returnAuthMsg><returnReasonCode>${code}</returnReasonCode></cmmMsgHeader></OpenAPI_ServiceResponse>`;

describe('parseMolitResponse', () => {
  it('reads items with blanks as null and amounts as text', () => {
    const page = parseMolitResponse(200, fixture('11680/202401.xml'), context);
    if (page.kind !== 'items') throw new Error('expected items');
    expect(page.total).toBe(4);
    expect(page.items).toHaveLength(4);
    expect(page.items[0]).toMatchObject({
      aptDong: null,
      cdealType: null,
      dealAmount: '382,500',
      dealDay: '5',
      sggCd: '11680',
    });
  });

  it('one item is still a list', () => {
    const page = parseMolitResponse(200, fixture('11680/202402.xml'), context);
    if (page.kind !== 'items') throw new Error('expected items');
    expect(page.items).toHaveLength(1);
    expect(page.items[0]?.aptNm).toBe('도곡렉슬');
  });

  it('<items/> is empty, and so is result code 03', () => {
    expect(parseMolitResponse(200, fixture('11680/202403.xml'), context)).toEqual({ kind: 'empty' });
    expect(parseMolitResponse(200, header('03'), context)).toEqual({ kind: 'empty' });
  });

  it.each([
    ['30', 'SERVICE_KEY_IS_NOT_REGISTERED_ERROR'],
    ['31', 'DEADLINE_HAS_EXPIRED_ERROR'],
    ['20', 'SERVICE_ACCESS_DENIED_ERROR'],
  ])(
    'key errors (%s) stop the run and name the secret, in the header or the gateway document',
    (code, auth) => {
      for (const body of [header(code), gateway(code, auth)]) {
        const error = captured(() => parseMolitResponse(200, body, context));
        expect(error).toBeInstanceOf(SourceAuthError);
        expect(error).toMatchObject({ scope: 'run', sourceCode: code });
        expect(error.message).toContain('estate/dev/molit');
      }
    },
  );

  it('22 (daily limit) stops the run; 23 (per-second limit) is retried', () => {
    expect(
      captured(() =>
        parseMolitResponse(200, gateway('22', 'LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR'), context),
      ),
    ).toBeInstanceOf(QuotaExceededError);
    expect(captured(() => parseMolitResponse(200, header('22'), context))).toMatchObject({ scope: 'run' });
    expect(captured(() => parseMolitResponse(200, header('23'), context))).toMatchObject({
      scope: 'period',
      retryable: true,
    });
  });

  it('decodes entities and CDATA, and reads a nested or repeated field as no value', () => {
    const body = `<?xml version="1.0" encoding="UTF-8"?><response><header><resultCode>000</resultCode></header><body><items><item><aptNm>A&amp;B &#xC544;</aptNm><umdNm><![CDATA[ 대치동 ]]></umdNm><jibun><x>1</x></jibun><floor>1</floor><floor>2</floor></item></items><totalCount>1</totalCount></body></response>`;
    const page = parseMolitResponse(200, body, context);
    if (page.kind !== 'items') throw new Error('expected items');
    expect(page.items).toEqual([{ aptNm: 'A&B 아', umdNm: '대치동', jibun: null, floor: null }]);
  });

  it('a document that is not well-formed XML (an HTML error page) is retried', () => {
    for (const body of ['<html><body>Service Unavailable<br></body></html>', 'upstream timeout', '']) {
      expect(captured(() => parseMolitResponse(200, body, context))).toMatchObject({
        code: 'not_xml',
        retryable: true,
      });
    }
  });

  it.each(['10', '11'])('%s (bad parameter) fails the period without retrying', (code) => {
    expect(captured(() => parseMolitResponse(200, header(code), context))).toMatchObject({
      scope: 'period',
      retryable: false,
      sourceCode: code,
    });
  });
});

function captured(action: () => unknown): SourceError {
  try {
    action();
  } catch (error) {
    if (error instanceof SourceError) return error;
    throw error;
  }
  throw new Error('expected a SourceError');
}
