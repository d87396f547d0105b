import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QuotaExceededError, SourceAuthError, SourceError } from '../../src/errors';
import { parseRoneResponse } from '../../src/sources/rone/parse';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '../../dev/fixtures/rone/A_2024_00045', name), 'utf8');
const context = { what: 'R-ONE A_2024_00045 2024-01 page 1', secretName: 'estate/dev/kreb' };
const bare = (code: string) => JSON.stringify({ RESULT: { CODE: code, MESSAGE: 'message' } });

describe('parseRoneResponse', () => {
  it('reads a page whose counts and values are strings', () => {
    const page = parseRoneResponse(200, fixture('202401.json'), context);
    expect(page.kind).toBe('rows');
    if (page.kind !== 'rows') return;
    expect(page.total).toBe(5);
    expect(page.rows[0]).toMatchObject({
      STATBL_ID: 'A_2024_00045',
      CLS_ID: '500001',
      ITM_ID: '100001',
      DTA_VAL: '96.8',
    });
  });

  it('reads a page whose counts and ids are numbers', () => {
    const page = parseRoneResponse(200, fixture('202402.json'), context);
    if (page.kind !== 'rows') throw new Error('expected rows');
    expect(page.total).toBe(5);
    expect(page.rows[1]).toMatchObject({ CLS_ID: '500002', ITM_ID: '100001', DTA_VAL: '98.3' });
  });

  it('treats INFO-200 as an empty result', () => {
    expect(parseRoneResponse(200, bare('INFO-200'), context)).toEqual({ kind: 'empty' });
  });

  it.each(['ERROR-290', 'INFO-300'])('%s is fatal for the run and names the secret', (code) => {
    const error = captured(() => parseRoneResponse(200, bare(code), context));
    expect(error).toBeInstanceOf(SourceAuthError);
    expect(error).toMatchObject({ scope: 'run', sourceCode: code });
    expect(error.message).toContain('estate/dev/kreb');
  });

  it('ERROR-337 (daily quota) stops the run', () => {
    const error = captured(() => parseRoneResponse(200, bare('ERROR-337'), context));
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(error).toMatchObject({ scope: 'run', retryable: false });
  });

  it('ERROR-336 (pSize above 1000) stops the run: every request would fail the same way', () => {
    expect(captured(() => parseRoneResponse(200, bare('ERROR-336'), context))).toMatchObject({
      scope: 'run',
      sourceCode: 'ERROR-336',
    });
  });

  it('server-side errors and HTML pages are retryable, other codes fail the period', () => {
    expect(captured(() => parseRoneResponse(200, bare('ERROR-500'), context))).toMatchObject({
      retryable: true,
      scope: 'period',
    });
    expect(captured(() => parseRoneResponse(502, '<html>bad gateway</html>', context))).toMatchObject({
      retryable: true,
    });
    expect(captured(() => parseRoneResponse(200, bare('ERROR-300'), context))).toMatchObject({
      retryable: false,
      scope: 'period',
    });
  });

  it('rejects a non-numeric DTA_VAL', () => {
    const document = JSON.parse(fixture('202401.json'));
    document.SttsApiTblData[1].row[0].DTA_VAL = 'n/a';
    expect(captured(() => parseRoneResponse(200, JSON.stringify(document), context)).message).toContain(
      'DTA_VAL',
    );
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
