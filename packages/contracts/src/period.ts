import { z } from 'zod';

/** A calendar month, YYYY-MM. */
export const Period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM');
export type Period = z.infer<typeof Period>;

// Month arithmetic on an index of months since year 0: a month's index is year * 12 + (month - 1).

function monthIndex(period: string): number {
  if (!Period.safeParse(period).success)
    throw new RangeError(`not a month as YYYY-MM: ${JSON.stringify(period)}`);
  return Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7)) - 1;
}

function periodAt(index: number): Period {
  const year = Math.floor(index / 12);
  if (!Number.isSafeInteger(index) || year < 0 || year > 9999)
    throw new RangeError(`month outside the years 0000 to 9999 (index ${index})`);
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The month `date` falls in, in UTC. */
export function periodOf(date: Date): Period {
  if (Number.isNaN(date.getTime())) throw new RangeError('not a valid date');
  return periodAt(date.getUTCFullYear() * 12 + date.getUTCMonth());
}

/** `period` moved by `months` (negative: back), across year boundaries. */
export function addMonths(period: string, months: number): Period {
  if (!Number.isInteger(months)) throw new RangeError(`not a whole number of months: ${months}`);
  return periodAt(monthIndex(period) + months);
}

/** How many months `to` is after `from`: 0 for the same month, negative when `to` is earlier. */
export function monthsBetween(from: string, to: string): number {
  return monthIndex(to) - monthIndex(from);
}

/** Every month from `from` to `to`, both included, oldest first; none when `from` is after `to`. */
export function periodRange(from: string, to: string): Period[] {
  const first = monthIndex(from);
  const last = monthIndex(to);
  const periods: Period[] = [];
  for (let index = first; index <= last; index += 1) periods.push(periodAt(index));
  return periods;
}
