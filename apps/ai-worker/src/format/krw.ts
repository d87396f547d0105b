const MAN = 10_000;
const EOK_IN_MAN = 10_000;
const JO_IN_MAN = 100_000_000;

function withCommas(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A KRW amount the way Korean listings write it: rounded to the nearest 만원 (10,000 KRW) and split
 * into 조, 억 and 만, e.g. 1,234,500,000 -> "12억 3,450만원", 100,000,000 -> "1억원",
 * 35,000,000 -> "3,500만원". Amounts under 10,000 KRW keep their 원: 5,000 -> "5,000원".
 */
export function formatKrw(amount: number): string {
  if (!Number.isFinite(amount)) throw new RangeError('formatKrw: amount must be a finite number of KRW');
  const sign = amount < 0 ? '-' : '';
  const won = Math.round(Math.abs(amount));
  if (won < MAN) return `${won === 0 ? '' : sign}${withCommas(won)}원`;
  const man = Math.round(won / MAN);
  const jo = Math.floor(man / JO_IN_MAN);
  const eok = Math.floor((man % JO_IN_MAN) / EOK_IN_MAN);
  const rest = man % EOK_IN_MAN;
  const parts: string[] = [];
  if (jo > 0) parts.push(`${withCommas(jo)}조`);
  if (eok > 0) parts.push(`${withCommas(eok)}억`);
  if (rest > 0) parts.push(`${withCommas(rest)}만`);
  return `${sign}${parts.join(' ')}원`;
}

/** An amount the source reports in 만원 (MOLIT deal amounts), formatted as formatKrw does. */
export function formatManwon(amountInManwon: number): string {
  return formatKrw(amountInManwon * MAN);
}

/** Plain KRW with thousands separators for the English text: 1234500000 -> "KRW 1,234,500,000". */
export function formatKrwPlain(amount: number): string {
  if (!Number.isFinite(amount)) throw new RangeError('formatKrwPlain: amount must be a finite number of KRW');
  const won = Math.round(amount);
  return `KRW ${won < 0 ? '-' : ''}${withCommas(Math.abs(won))}`;
}
