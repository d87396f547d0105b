import { UsageError } from './errors';

/** A calendar month as YYYY-MM (the contracts' Period); sources want YYYYMM. */
export type Period = string;

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function parsePeriod(value: string, flag: string): Period {
  if (!PERIOD.test(value))
    throw new UsageError(`${flag} must be a month as YYYY-MM (got ${JSON.stringify(value)})`, {
      code: 'usage',
    });
  return value;
}

export function monthOf(date: Date): Period {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function addMonths(period: Period, months: number): Period {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Every month from `from` to `to`, both included, oldest first. */
export function periodRange(from: Period, to: Period): Period[] {
  const periods: Period[] = [];
  for (let period = from; period <= to; period = addMonths(period, 1)) periods.push(period);
  return periods;
}

export function compact(period: Period): string {
  return period.replace('-', '');
}
