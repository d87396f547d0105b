import { ApiError } from '../src/http/api-error';
import { MAX_MONTHS, resolveMonths } from '../src/routes/market';

const now = new Date('2024-01-15T12:00:00Z');
/** 2023-01 to this month is 61 months: one too many. */
const later = new Date('2028-01-15T00:00:00Z');

describe('resolveMonths', () => {
  it('defaults to the twelve months up to this one (UTC), across a year boundary', () => {
    expect(resolveMonths({}, now)).toEqual({ from: '2023-02', to: '2024-01' });
    expect(resolveMonths({}, new Date('2024-01-31T23:30:00-01:00'))).toEqual({
      from: '2023-03',
      to: '2024-02',
    });
    expect(resolveMonths({ to: '2024-12' }, now)).toEqual({ from: '2024-01', to: '2024-12' });
    expect(resolveMonths({ from: '2023-06' }, now)).toEqual({ from: '2023-06', to: '2024-01' });
  });

  it('takes one month and up to MAX_MONTHS', () => {
    expect(MAX_MONTHS).toBe(60);
    expect(resolveMonths({ from: '2024-05', to: '2024-05' }, now)).toEqual({
      from: '2024-05',
      to: '2024-05',
    });
    expect(resolveMonths({ from: '2019-02', to: '2024-01' }, now)).toEqual({
      from: '2019-02',
      to: '2024-01',
    });
  });

  it.each([
    [{ from: '2024-02', to: '2024-01' }, 'invalid_range', 'from'],
    [{ from: '2019-01', to: '2024-01' }, 'range_too_long', 'to'],
    [{ from: '2023-01' }, 'range_too_long', 'to'],
  ])('refuses %j with %s on %s', (query, code, field) => {
    let thrown: unknown;
    try {
      resolveMonths(query, later);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({ status: 400, code, field });
  });
});
