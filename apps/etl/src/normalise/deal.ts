import { createHash } from 'node:crypto';
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
  const deal: Omit<DealWithoutOrdinal, 'dealKey'> = {
    lawdCd,
    umdCd: item.umdCd ?? null,
    umdNm: item.umdNm ?? null,
    jibun: item.jibun ?? null,
    aptSeq: item.aptSeq ?? null,
    aptNm,
    aptDong: item.aptDong ?? null,
    buildYear: integer(item.buildYear),
    dealDate,
    dealAmount,
    excluUseAr: area.toFixed(2),
    floor: integer(item.floor),
    dealingGbn: item.dealingGbn ?? null,
    cancelled,
    cancelDate: cancelled ? shortDate(item.cdealDay) : null,
    rgstDate: shortDate(item.rgstDate),
  };
  return { dealKey: dealKeyOf(deal), ...deal };
}

/**
 * sha256 (hex) of the fields that identify a deal. Cancellation and registration fields change
 * after the fact and are not part of it. aptSeq identifies the complex when present, else jibun.
 */
export function dealKeyOf(deal: Omit<DealWithoutOrdinal, 'dealKey'>): string {
  const parts = [
    deal.lawdCd,
    deal.umdCd ?? '',
    deal.aptSeq ?? deal.jibun ?? '',
    deal.aptNm,
    deal.aptDong ?? '',
    deal.dealDate,
    deal.floor === null ? '' : String(deal.floor),
    deal.excluUseAr,
    String(deal.dealAmount),
  ];
  return createHash('sha256').update(parts.join('\u001f')).digest('hex');
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

/** Un-padded year, month, day ("2024", "1", "5") -> "2024-01-05", or null when not a real date. */
export function calendarDate(
  year: string | null | undefined,
  month: string | null | undefined,
  day: string | null | undefined,
): string | null {
  if (!year || !month || !day || !/^\d{4}$/.test(year) || !/^\d{1,2}$/.test(month) || !/^\d{1,2}$/.test(day))
    return null;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return null;
  return date.toISOString().slice(0, 10);
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
