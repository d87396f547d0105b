import { hash } from 'node:crypto';
import type { MolitItem } from '../sources/molit/parse';

/** A deal as apartment_deals stores it. */
export interface DealRecord {
  dealKey: string;
  ordinal: number;
  lawdCd: string;
  umdCd: string | null;
  umdNm: string | null;
  jibun: string | null;
  aptSeq: string | null;
  aptNm: string;
  aptDong: string | null;
  buildYear: number | null;
  /** YYYY-MM-DD */
  dealDate: string;
  /** Units of 10,000 KRW. */
  dealAmount: number;
  /** Square metres, two decimals, as text (numeric(9,2)). */
  excluUseAr: string;
  floor: number | null;
  dealingGbn: string | null;
  cancelled: boolean;
  cancelDate: string | null;
  rgstDate: string | null;
}

export type DealWithoutOrdinal = Omit<DealRecord, 'ordinal'>;

/** Why an item cannot be stored; counted and reported as skipped, the period still loads. */
export class InvalidItemError extends Error {
  override readonly name = 'InvalidItemError';
}

/** Maps one MOLIT item to a deal (without its ordinal), or throws InvalidItemError. */
export function normaliseDeal(item: MolitItem, region: string): DealWithoutOrdinal {
  const aptNm = item.aptNm ?? null;
  if (aptNm === null) throw new InvalidItemError('aptNm missing');
  const dealDate = calendarDate(item.dealYear, item.dealMonth, item.dealDay);
  if (dealDate === null) throw new InvalidItemError('deal date invalid');
  const dealAmount = amount(item.dealAmount);
  if (dealAmount === null) throw new InvalidItemError('dealAmount invalid');
  const area = Number(item.excluUseAr);
  if (item.excluUseAr === null || !Number.isFinite(area) || area <= 0)
    throw new InvalidItemError('excluUseAr invalid');
  const lawdCd = item.sggCd ?? region;
  if (!/^\d{5}$/.test(lawdCd)) throw new InvalidItemError('sggCd invalid');
  const cancelled = item.cdealType === 'O';
  const umdCd = item.umdCd ?? null;
  const jibun = item.jibun ?? null;
  const aptSeq = item.aptSeq ?? null;
  const aptDong = item.aptDong ?? null;
  const floor = integer(item.floor);
  const excluUseAr = area.toFixed(2);
  // One object per deal: the key is made from the same locals the record holds.
  return {
    dealKey: dealKeyOf({
      lawdCd,
      umdCd,
      jibun,
      aptSeq,
      aptNm,
      aptDong,
      dealDate,
      floor,
      excluUseAr,
      dealAmount,
    }),
    lawdCd,
    umdCd,
    umdNm: item.umdNm ?? null,
    jibun,
    aptSeq,
    aptNm,
    aptDong,
    buildYear: integer(item.buildYear),
    dealDate,
    dealAmount,
    excluUseAr,
    floor,
    dealingGbn: item.dealingGbn ?? null,
    cancelled,
    cancelDate: cancelled ? shortDate(item.cdealDay) : null,
    rgstDate: shortDate(item.rgstDate),
  };
}

/** The fields of a deal its key is made of. */
export type DealIdentity = Pick<
  DealWithoutOrdinal,
  | 'lawdCd'
  | 'umdCd'
  | 'jibun'
  | 'aptSeq'
  | 'aptNm'
  | 'aptDong'
  | 'dealDate'
  | 'floor'
  | 'excluUseAr'
  | 'dealAmount'
>;

/**
 * sha256 (hex) of the fields that identify a deal. Cancellation and registration fields change
 * after the fact and are not part of it. aptSeq identifies the complex when present, else jibun.
 * `crypto.hash` is the one-shot form (no Hash object per deal: about 0.3 us instead of 0.9).
 */
export function dealKeyOf(deal: DealIdentity): string {
  const text = `${deal.lawdCd}\u001f${deal.umdCd ?? ''}\u001f${deal.aptSeq ?? deal.jibun ?? ''}\u001f${deal.aptNm}\u001f${deal.aptDong ?? ''}\u001f${deal.dealDate}\u001f${deal.floor === null ? '' : deal.floor}\u001f${deal.excluUseAr}\u001f${deal.dealAmount}`;
  return hash('sha256', text, 'hex');
}

/**
 * Numbers identical deals of one (region, month) 1, 2, ... in the order the source lists them, so
 * two genuine identical deals are both kept and a re-fetch maps each to the same row.
 */
export class Ordinals {
  private readonly seen = new Map<string, number>();

  next(dealKey: string): number {
    const ordinal = (this.seen.get(dealKey) ?? 0) + 1;
    this.seen.set(dealKey, ordinal);
    return ordinal;
  }
}

/** "  82,500" -> 82500 (units of 10,000 KRW). */
export function amount(value: string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const digits = value.replace(/[,\s]/g, '');
  if (!/^\d+$/.test(digits)) return null;
  const parsed = Number(digits);
  return parsed > 0 && Number.isSafeInteger(parsed) ? parsed : null;
}

const YEAR = /^\d{4}$/;
const MONTH_OR_DAY = /^\d{1,2}$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Un-padded year, month, day ("2024", "1", "5") -> "2024-01-05", or null when not a real date
 * (Gregorian; a year before 1000 is not a deal date). Arithmetic, not a Date per deal.
 */
export function calendarDate(
  year: string | null | undefined,
  month: string | null | undefined,
  day: string | null | undefined,
): string | null {
  if (!year || !month || !day || !YEAR.test(year) || !MONTH_OR_DAY.test(month) || !MONTH_OR_DAY.test(day))
    return null;
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (y < 1000 || m < 1 || m > 12 || d < 1) return null;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (m === 2 && leap ? 29 : (DAYS_IN_MONTH[m - 1] as number))) return null;
  return `${year}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** "24.03.05" (YY.MM.DD) -> "2024-03-05"; MOLIT's registration and cancellation dates. */
export function shortDate(value: string | null | undefined): string | null {
  const match = value ? /^(\d{2})\.(\d{1,2})\.(\d{1,2})$/.exec(value) : null;
  if (!match) return null;
  return calendarDate(`20${match[1]}`, match[2], match[3]);
}

function integer(value: string | null | undefined): number | null {
  if (value === null || value === undefined || !/^-?\d+$/.test(value)) return null;
  return Number(value);
}
