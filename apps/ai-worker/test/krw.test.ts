import { formatKrw, formatKrwPlain, formatManwon } from '../src/format/krw';

describe('formatKrw', () => {
  it.each([
    [1_234_500_000, '12억 3,450만원'],
    [100_000_000, '1억원'],
    [35_000_000, '3,500만원'],
    [10_000, '1만원'],
    [15_234_567, '1,523만원'],
    [2_000_000_050_000, '2조 5만원'],
    [2_000_050_000_000, '2조 5,000만원'],
    [1_234_567_890_000, '1조 2,345억 6,789만원'],
    [123_456_780_000_000, '123조 4,567억 8,000만원'],
    [5_000, '5,000원'],
    [0, '0원'],
    [-250_000_000, '-2억 5,000만원'],
  ])('%d -> %s', (amount, text) => {
    expect(formatKrw(amount)).toBe(text);
  });

  it('rounds to the nearest 만원', () => {
    expect(formatKrw(99_995_000)).toBe('1억원');
    expect(formatKrw(99_994_999)).toBe('9,999만원');
    expect(formatKrw(9_999.6)).toBe('1만원');
  });

  it('refuses what is not a finite amount', () => {
    expect(() => formatKrw(Number.NaN)).toThrow(RangeError);
    expect(() => formatKrw(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('formats MOLIT amounts given in 만원', () => {
    expect(formatManwon(123_450)).toBe('12억 3,450만원');
  });

  it('writes plain KRW for English text', () => {
    expect(formatKrwPlain(1_234_500_000)).toBe('KRW 1,234,500,000');
    expect(formatKrwPlain(-999.6)).toBe('KRW -1,000');
  });
});
