import { QuotaExceededError, SourceAuthError, SourceError } from '../../errors';
import { readXmlDocument } from './xml-document';

/** One `<item>` of getRTMSDataSvcAptTrade; every value as text, blanks (a single space) as null. */
export type MolitItem = Record<string, string | null>;

export type MolitPage = { kind: 'items'; total: number; items: MolitItem[] } | { kind: 'empty' };

export interface MolitContext {
  what: string;
  /** `estate/{env}/molit`, named when the key is refused. */
  secretName: string;
}

// One item is not a list in the XML; make it one.
const LISTS: ReadonlySet<string> = new Set(['response.body.items.item']);

/**
 * Reads one response. Errors arrive either in `<response><header><resultCode>` or as the portal
 * gateway's `<OpenAPI_ServiceResponse><cmmMsgHeader><returnReasonCode>` document.
 */
export function parseMolitResponse(status: number, body: string, context: MolitContext): MolitPage {
  let document: Record<string, unknown>;
  try {
    // Every value stays text: amounts with commas, codes with leading zeros.
    document = readXmlDocument(body, LISTS);
  } catch {
    throw error(`${context.what}: HTTP ${status}, not an XML document`, 'not_xml', undefined, true);
  }
  const gateway = document.OpenAPI_ServiceResponse as { cmmMsgHeader?: Record<string, unknown> } | undefined;
  if (gateway) {
    const header = gateway.cmmMsgHeader ?? {};
    const code = text(header.returnReasonCode) ?? 'unknown';
    const reason = text(header.returnAuthMsg) ?? text(header.errMsg) ?? '';
    interpretCode(code, reason, context);
    throw error(`${context.what}: gateway error ${code} ${reason}`.trim(), 'source_error', code);
  }
  const response = document.response as
    | { header?: Record<string, unknown>; body?: Record<string, unknown> }
    | undefined;
  if (!response?.header)
    throw error(`${context.what}: HTTP ${status}, unexpected document`, 'shape', undefined, status >= 500);
  const code = text(response.header.resultCode) ?? 'unknown';
  const outcome = interpretCode(code, text(response.header.resultMsg) ?? '', context);
  if (outcome === 'empty') return { kind: 'empty' };

  const resultBody = response.body ?? {};
  const total = Number(text(resultBody.totalCount) ?? '0');
  if (!Number.isInteger(total) || total < 0)
    throw error(`${context.what}: totalCount is not a count`, 'shape');
  const items = resultBody.items;
  // `<items/>` parses to an empty string.
  const list =
    typeof items === 'object' && items !== null ? ((items as { item?: unknown[] }).item ?? []) : [];
  if (total === 0 && list.length === 0) return { kind: 'empty' };
  return { kind: 'items', total, items: list.map((item) => toItem(item)) };
}

/** `'ok'`, `'empty'`, or throws the error the code means. */
function interpretCode(code: string, message: string, context: MolitContext): 'ok' | 'empty' {
  switch (code) {
    case '00':
    case '000':
      return 'ok';
    case '03':
      return 'empty';
    case '10':
    case '11':
      throw error(`${context.what}: ${code} bad request parameter (${message})`, 'bad_parameter', code);
    case '20':
      throw new SourceAuthError(
        `MOLIT denied access for the key in secret ${context.secretName} (20: service access denied); apply for this API on data.go.kr`,
        { code: 'source_auth', source: 'molit', sourceCode: code, scope: 'run' },
      );
    case '22':
      throw new QuotaExceededError(
        `MOLIT daily request limit reached (22); the next run resumes from the watermarks`,
        {
          code: 'quota',
          source: 'molit',
          sourceCode: code,
          scope: 'run',
        },
      );
    case '23':
      throw error(`${context.what}: 23 per-second request limit`, 'rate_limited', code, true);
    case '30':
    case '31':
      throw new SourceAuthError(
        `MOLIT refused the service key in secret ${context.secretName} (${code}: ${code === '30' ? 'key not registered' : 'key expired'}); fix the secret's serviceKey`,
        { code: 'source_auth', source: 'molit', sourceCode: code, scope: 'run' },
      );
    default:
      // 01 application, 02 database, 04 HTTP, 05 timeout, 99 unknown: transient on the portal's side.
      throw error(
        `${context.what}: result code ${code} (${message})`,
        'source_error',
        code,
        /^0[1245]$|^99$/.test(code),
      );
  }
}

/** The item's own object, its values turned to text in place (the tree is ours and thrown away). */
function toItem(value: unknown): MolitItem {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const item = value as Record<string, unknown>;
  for (const field in item) item[field] = text(item[field]);
  return item as MolitItem;
}

function text(value: unknown): string | null {
  if (value === null || value === undefined || typeof value === 'object') return null;
  const trimmed = String(value).trim();
  return trimmed === '' ? null : trimmed;
}

function error(message: string, code: string, sourceCode?: string, retryable = false): SourceError {
  return new SourceError(message, { code, source: 'molit', sourceCode, scope: 'period', retryable });
}
