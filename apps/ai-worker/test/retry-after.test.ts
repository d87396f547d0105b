import { MAX_RETRY_AFTER_MS, retryAfterMs } from '../src/openai/retry-after';

describe('retryAfterMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('prefers OpenAI retry-after-ms', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '1500.2', 'retry-after': '9' }), now)).toBe(1501);
  });

  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }), now)).toBe(2_000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), now)).toBe(3_000);
  });

  it('is undefined when absent, past or unparsable', () => {
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers({ 'retry-after': '0' }), now)).toBeUndefined();
    expect(
      retryAfterMs(new Headers({ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }), now),
    ).toBeUndefined();
  });

  it('caps what it accepts', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '86400' }), now)).toBe(MAX_RETRY_AFTER_MS);
  });
});
