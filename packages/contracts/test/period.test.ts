import { addMonths, monthsBetween, Period, periodOf, periodRange } from '../src';

describe('Period', () => {
  it.each(['2024-01', '2024-12', '0000-01', '9999-12'])('accepts %s', (period) => {
    expect(Period.safeParse(period).success).toBe(true);
  });

  it.each(['2024-00', '2024-13', '2024-1', '202401', '24-01', '2024-01-01', ' 2024-01', ''])(
    'rejects %j',
    (period) => {
      expect(Period.safeParse(period).error?.issues[0]?.message).toBe('must be a month as YYYY-MM');
    },
  );
});

describe('periodOf', () => {
  it('is the UTC month of a date, at both ends of a year', () => {
    expect(periodOf(new Date('2024-01-01T00:00:00Z'))).toBe('2024-01');
    expect(periodOf(new Date('2023-12-31T23:59:59.999Z'))).toBe('2023-12');
    // 09:00 on 1 January in Seoul is still December in UTC.
    expect(periodOf(new Date('2024-01-01T08:59:59+09:00'))).toBe('2023-12');
  });

  it('refuses an invalid date', () => {
    expect(() => periodOf(new Date('not a date'))).toThrow(RangeError);
  });
});

describe('addMonths', () => {
  it.each([
    ['2024-05', 0, '2024-05'],
    ['2024-12', 1, '2025-01'],
    ['2024-01', -1, '2023-12'],
    ['2023-11', 3, '2024-02'],
    ['2024-03', -11, '2023-04'],
    ['2024-03', -12, '2023-03'],
    ['2024-03', -27, '2021-12'],
    ['2024-03', 25, '2026-04'],
  ])('%s %d months is %s', (period, months, expected) => {
    expect(addMonths(period, months)).toBe(expected);
  });

  it.each([
    ['2024-13', 1],
    ['2024-1', 1],
    ['', 1],
    ['2024-01', 0.5],
    ['2024-01', Number.NaN],
  ])('refuses %j plus %d', (period, months) => {
    expect(() => addMonths(period, months)).toThrow(RangeError);
  });

  it('refuses to leave the years a period can spell', () => {
    expect(addMonths('0000-02', -1)).toBe('0000-01');
    expect(() => addMonths('0000-01', -1)).toThrow(RangeError);
    expect(addMonths('9999-11', 1)).toBe('9999-12');
    expect(() => addMonths('9999-12', 1)).toThrow(RangeError);
  });
});

describe('monthsBetween', () => {
  it.each([
    ['2024-05', '2024-05', 0],
    ['2023-12', '2024-01', 1],
    ['2024-01', '2023-12', -1],
    ['2019-01', '2024-01', 60],
    ['2019-02', '2024-01', 59],
  ])('from %s to %s is %d', (from, to, expected) => {
    expect(monthsBetween(from, to)).toBe(expected);
  });

  it('refuses a month that is not YYYY-MM', () => {
    expect(() => monthsBetween('2024-01', '2024-13')).toThrow(/not a month as YYYY-MM: "2024-13"/);
    expect(() => monthsBetween('2024/01', '2024-02')).toThrow(RangeError);
  });
});

describe('periodRange', () => {
  it('lists every month, both ends included, across a year boundary', () => {
    expect(periodRange('2023-11', '2024-02')).toEqual(['2023-11', '2023-12', '2024-01', '2024-02']);
    expect(periodRange('2024-05', '2024-05')).toEqual(['2024-05']);
    expect(periodRange('2020-01', '2024-12')).toHaveLength(60);
  });

  it('is empty when from is after to', () => {
    expect(periodRange('2024-02', '2024-01')).toEqual([]);
  });

  it('refuses a month that is not YYYY-MM', () => {
    expect(() => periodRange('2024-00', '2024-02')).toThrow(RangeError);
    expect(() => periodRange('2024-01', '2024-2')).toThrow(RangeError);
  });
});
