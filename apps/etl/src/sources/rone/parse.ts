import { QuotaExceededError, SourceAuthError, SourceError } from '../../errors';

/** One row of SttsApiTblData as R-ONE sends it; any field may arrive as a string or a number. */
export interface RoneRow {
  STATBL_ID: string;
  DTACYCLE_CD: string;
  WRTTIME_IDTFR_ID: string;
  GRP_ID: string;
  CLS_ID: string;
  ITM_ID: string;
  CLS_NM: string | null;
  ITM_NM: string | null;
  DTA_VAL: string | null;
  UI_NM: string | null;
  WRTTIME_DESC: string | null;
}

export type RonePage = { kind: 'rows'; total: number; rows: RoneRow[] } | { kind: 'empty' };

export interface RoneContext {
  /** e.g. `A_2024_00045 2024-01 page 2`; the URL (it carries the key) is never quoted. */
  what: string;
  /** `estate/{env}/kreb`, named when the key is refused. */
  secretName: string;
}

const KEY_FIELDS = ['STATBL_ID', 'DTACYCLE_CD', 'WRTTIME_IDTFR_ID', 'GRP_ID', 'CLS_ID', 'ITM_ID'] as const;
const TEXT_FIELDS = ['CLS_NM', 'ITM_NM', 'UI_NM', 'WRTTIME_DESC'] as const;

/**
 * Reads one SttsApiTblData response. Success is `{SttsApiTblData:[{head:[{list_total_count},
 * {RESULT}]},{row:[...]}]}`; errors and "no data" are HTTP 200 with a bare `{RESULT:{CODE,MESSAGE}}`.
 */
export function parseRoneResponse(status: number, body: string, context: RoneContext): RonePage {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    // A gateway error page (HTML) rather than the API's JSON: treat as a transient failure.
    throw sourceError(`${context.what}: HTTP ${status}, not a JSON document`, 'not_json', undefined, true);
  }
  const bare = resultOf(document);
  if (bare) {
    if (interpretResult(bare, context) === undefined) return { kind: 'empty' };
    throw sourceError(`${context.what}: ${bare.CODE} without data`, 'shape');
  }

  const sections = (document as { SttsApiTblData?: unknown }).SttsApiTblData;
  if (!Array.isArray(sections)) throw sourceError(`${context.what}: unexpected document shape`, 'shape');
  const head = sections.find((section) => Array.isArray(section?.head))?.head as unknown[] | undefined;
  const rowSection = sections.find((section) => Array.isArray(section?.row))?.row as unknown[] | undefined;
  const headResult = head?.map(resultOf).find((result) => result !== undefined);
  if (headResult) {
    const outcome = interpretResult(headResult, context);
    if (outcome === undefined) return { kind: 'empty' };
  }
  const totalEntry = head?.find(
    (entry) => typeof entry === 'object' && entry !== null && 'list_total_count' in entry,
  );
  const total = Number((totalEntry as { list_total_count?: unknown } | undefined)?.list_total_count);
  if (!Number.isInteger(total) || total < 0)
    throw sourceError(`${context.what}: list_total_count missing or not a count`, 'shape');
  return {
    kind: 'rows',
    total,
    rows: (rowSection ?? []).map((row, index) => toRow(row, `${context.what} row ${index + 1}`)),
  };
}

function resultOf(value: unknown): { CODE: string; MESSAGE: string } | undefined {
  const result = (value as { RESULT?: { CODE?: unknown; MESSAGE?: unknown } } | null)?.RESULT;
  if (!result || typeof result.CODE !== 'string') return undefined;
  return { CODE: result.CODE, MESSAGE: typeof result.MESSAGE === 'string' ? result.MESSAGE : '' };
}

/** `'ok'` to go on, `undefined` for an empty result; throws for every error code. */
function interpretResult(result: { CODE: string; MESSAGE: string }, context: RoneContext): 'ok' | undefined {
  const code = result.CODE;
  switch (code) {
    case 'INFO-000':
      return 'ok';
    case 'INFO-200':
      return undefined;
    case 'ERROR-290':
    case 'INFO-300':
      throw new SourceAuthError(
        `R-ONE refused the API key from secret ${context.secretName} (${code}${code === 'ERROR-290' ? ': invalid key' : ': restricted key'}); fix the secret's apiKey`,
        { code: 'source_auth', source: 'rone', sourceCode: code, scope: 'run' },
      );
    case 'ERROR-336':
      throw sourceError(`${context.what}: ${code} (pSize above 1000)`, 'page_size', code, false, 'run');
    case 'ERROR-337':
      throw new QuotaExceededError(
        `R-ONE daily request quota exhausted (${code}); the next run resumes from the watermarks`,
        {
          code: 'quota',
          source: 'rone',
          sourceCode: code,
          scope: 'run',
        },
      );
    default:
      // ERROR-500/600 are server and database errors on R-ONE's side; others are our request.
      throw sourceError(`${context.what}: ${code}`, 'source_error', code, /^ERROR-[56]\d\d$/.test(code));
  }
}

function toRow(value: unknown, what: string): RoneRow {
  if (typeof value !== 'object' || value === null) throw sourceError(`${what}: not an object`, 'shape');
  const record = value as Record<string, unknown>;
  const row: Record<string, string | null> = {};
  for (const field of KEY_FIELDS) {
    const text = textOf(record[field]);
    if (text === null) throw sourceError(`${what}: ${field} missing`, 'shape');
    row[field] = text;
  }
  for (const field of TEXT_FIELDS) row[field] = textOf(record[field]);
  const value_ = textOf(record.DTA_VAL)?.replaceAll(',', '') ?? null;
  if (value_ !== null && !Number.isFinite(Number(value_)))
    throw sourceError(`${what}: DTA_VAL is not a number`, 'shape');
  row.DTA_VAL = value_;
  return row as unknown as RoneRow;
}

function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

function sourceError(
  message: string,
  code: string,
  sourceCode?: string,
  retryable = false,
  scope: 'period' | 'run' = 'period',
): SourceError {
  return new SourceError(message, { code, source: 'rone', sourceCode, scope, retryable });
}
