import {
  changedPairs,
  MARKET_SUMMARY_QUEUE,
  MARKET_UPDATED,
  MarketSummaryJob,
  MarketUpdated,
  marketSummaryJobId,
} from '../src';

describe('MarketSummaryJob', () => {
  it('accepts a region, a month and a data version', () => {
    const job = MarketSummaryJob.parse({ region: '11680', period: '2024-05', dataVersion: 'run-20240601' });
    expect(job).toEqual({ region: '11680', period: '2024-05', dataVersion: 'run-20240601' });
    expect(MARKET_SUMMARY_QUEUE).toBe('market-summary');
  });

  it.each([
    [{ region: '1168', period: '2024-05', dataVersion: 'v1' }, 'region'],
    [{ region: '11680', period: '2024-13', dataVersion: 'v1' }, 'period'],
    [{ region: '11680', period: '2024-05', dataVersion: 'a:b' }, 'dataVersion'],
    [{ region: '11680', period: '2024-05' }, 'dataVersion'],
  ])('rejects %j at %s', (input, field) => {
    const result = MarketSummaryJob.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });

  it('derives one job id per region, period and data version, without BullMQ separators', () => {
    const a = marketSummaryJobId({ region: '11680', period: '2024-05', dataVersion: 'v1' });
    expect(a).toBe(marketSummaryJobId({ region: '11680', period: '2024-05', dataVersion: 'v1' }));
    expect(a).not.toBe(marketSummaryJobId({ region: '11680', period: '2024-05', dataVersion: 'v2' }));
    expect(a).not.toBe(marketSummaryJobId({ region: '11110', period: '2024-05', dataVersion: 'v1' }));
    expect(a).not.toContain(':');
  });
});

describe('MarketUpdated', () => {
  const event = {
    runId: 'run-1',
    dataVersion: 'v1',
    regions: ['11680', '11110'],
    periods: ['2024-04', '2024-05'],
    counts: { inserted: 10, updated: 2, unchanged: 0 },
  };

  it('accepts what the ETL publishes and strips fields it does not know', () => {
    expect(MarketUpdated.parse({ ...event, extra: true })).toEqual(event);
    expect(MARKET_UPDATED).toBe('market.updated');
  });

  it.each([
    [{ ...event, regions: ['abc'] }, ['regions', 0]],
    [{ ...event, periods: [] }, ['periods']],
    [{ ...event, counts: { inserted: -1, updated: 0, unchanged: 0 } }, ['counts', 'inserted']],
    [{ ...event, runId: '' }, ['runId']],
    [{ ...event, changes: [{ region: '11680', period: '2024-4' }] }, ['changes', 0, 'period']],
  ])('rejects %j', (input, path) => {
    const result = MarketUpdated.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(path);
  });

  it('names the changed pairs: `changes` when given, the cross product of regions and periods without it', () => {
    const changes = [
      { region: '11680', period: '2024-05' },
      { region: '11110', period: '2024-04' },
    ];
    expect(changedPairs(MarketUpdated.parse({ ...event, changes }))).toEqual(changes);
    expect(changedPairs(MarketUpdated.parse(event))).toEqual([
      { region: '11680', period: '2024-04' },
      { region: '11680', period: '2024-05' },
      { region: '11110', period: '2024-04' },
      { region: '11110', period: '2024-05' },
    ]);
    expect(changedPairs(MarketUpdated.parse({ ...event, changes: [] }))).toEqual([]);
  });
});
