/** Longest wait we accept from a Retry-After header; beyond it BullMQ's own backoff takes over. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

/**
 * How long the API asked us to wait: `retry-after-ms` (OpenAI's, milliseconds), else `retry-after`
 * in seconds or as an HTTP date. Undefined when absent, unparsable or not in the future.
 */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null && milliseconds.trim() !== '') {
    const value = Number(milliseconds);
    if (Number.isFinite(value) && value > 0) return capped(value);
  }
  const retryAfter = headers.get('retry-after')?.trim();
  if (!retryAfter) return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) {
    const seconds = Number(retryAfter);
    return seconds > 0 ? capped(seconds * 1_000) : undefined;
  }
  const date = Date.parse(retryAfter);
  if (Number.isNaN(date) || date <= now) return undefined;
  return capped(date - now);
}

function capped(milliseconds: number): number {
  return Math.min(Math.ceil(milliseconds), MAX_RETRY_AFTER_MS);
}
