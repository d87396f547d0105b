import type { AwsServiceError } from './errors';

/** Opaque cursor paging: a NextToken is the sort key of the last item returned. */
export function encodeNextToken(lastKey: string): string {
  return Buffer.from(JSON.stringify({ after: lastKey }), 'utf8').toString('base64url');
}

export function decodeNextToken(
  token: string | undefined,
  invalid: () => AwsServiceError,
): string | undefined {
  if (token === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      typeof (parsed as { after?: unknown }).after === 'string'
    ) {
      return (parsed as { after: string }).after;
    }
  } catch {
    // fall through: any undecodable token is invalid
  }
  throw invalid();
}

/** One page of `items` (already sorted by `keyOf`) after the cursor. */
export function page<T>(
  items: T[],
  keyOf: (item: T) => string,
  after: string | undefined,
  maxResults: number,
): { items: T[]; nextToken?: string } {
  const start = after === undefined ? 0 : items.findIndex((item) => keyOf(item) > after);
  const rest = start < 0 ? [] : items.slice(start);
  const pageItems = rest.slice(0, maxResults);
  const last = pageItems[pageItems.length - 1];
  if (rest.length > maxResults && last !== undefined) {
    return { items: pageItems, nextToken: encodeNextToken(keyOf(last)) };
  }
  return { items: pageItems };
}

/** Sort comparator by a string key, in code-unit order (matches `>` used by `page`). */
export function byKey<T>(keyOf: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
}
