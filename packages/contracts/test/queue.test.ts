import { MARKET_SUMMARY_QUEUE, QUEUE_PREFIX } from '../src';

describe('queue names', () => {
  it('are pinned: a producer and a consumer deployed apart must still meet on the same keys', () => {
    expect(MARKET_SUMMARY_QUEUE).toBe('market-summary');
    expect(QUEUE_PREFIX).toBe('estate:bull');
  });
});
