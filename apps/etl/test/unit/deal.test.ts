import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  amount,
  calendarDate,
  InvalidItemError,
  normaliseDeal,
  Ordinals,
  shortDate,
} from '../../src/normalise/deal';
import { parseMolitResponse } from '../../src/sources/molit/parse';

const items = (path: string) => {
  const page = parseMolitResponse(
    200,
    readFileSync(join(__dirname, '../../dev/fixtures/molit', path), 'utf8'),
    {
      what: 'test',
      secretName: 'estate/dev/molit',
    },
  );
  if (page.kind !== 'items') throw new Error('expected items');
  return page.items;
};

describe('normaliseDeal', () => {
  it('turns comma/space amounts, un-padded dates and blanks into column values', () => {
    const [first] = items('11680/202401.xml');
    expect(normaliseDeal(first!, '11680')).toMatchObject({
      lawdCd: '11680',
      aptNm: '래미안대치팰리스',
      aptDong: null,
      dealDate: '2024-01-05',
      dealAmount: 382_500,
      excluUseAr: '84.97',
      floor: 12,
      cancelled: false,
      cancelDate: null,
      rgstDate: '2024-02-14',
    });
    expect(normaliseDeal(items('11680/202402.xml')[0]!, '11680')).toMatchObject({
      dealAmount: 1_250_000,
      rgstDate: '2024-03-08',
      excluUseAr: '134.90',
    });
  });

  it('reads cancellations and basement floors', () => {
    const cancelled = normaliseDeal(items('11680/202401.xml')[3]!, '11680');
    expect(cancelled).toMatchObject({
      cancelled: true,
      cancelDate: '2024-02-10',
      floor: -1,
      excluUseAr: '84.93',
    });
  });

  it('keys a deal by its identifying fields only: a cancellation keeps the key', () => {
    const item = items('11680/202401.xml')[0]!;
    const key = normaliseDeal(item, '11680').dealKey;
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(normaliseDeal({ ...item, cdealType: 'O', cdealDay: '24.03.01' }, '11680').dealKey).toBe(key);
    expect(normaliseDeal({ ...item, dealAmount: '382,000' }, '11680').dealKey).not.toBe(key);
    expect(normaliseDeal({ ...item, excluUseAr: '84.971' }, '11680').dealKey).toBe(key);
  });

  it('numbers identical deals of a month so both are kept', () => {
    const [, second, third] = items('11680/202401.xml');
    const a = normaliseDeal(second!, '11680');
    const b = normaliseDeal(third!, '11680');
    expect(a.dealKey).toBe(b.dealKey);
    const ordinals = new Ordinals();
    expect([ordinals.next(a.dealKey), ordinals.next(b.dealKey)]).toEqual([1, 2]);
  });

  it('refuses items that cannot be stored, saying why', () => {
    const item = items('11680/202401.xml')[0]!;
    expect(() => normaliseDeal({ ...item, dealAmount: null }, '11680')).toThrow(InvalidItemError);
    expect(() => normaliseDeal({ ...item, dealDay: '31', dealMonth: '2' }, '11680')).toThrow(
      'deal date invalid',
    );
    expect(() => normaliseDeal({ ...item, aptNm: null }, '11680')).toThrow('aptNm missing');
  });
});

describe('field parsers', () => {
  it('amount', () => {
    expect(amount('   82,500')).toBe(82_500);
    expect(amount(' 1,250,000 ')).toBe(1_250_000);
    expect(amount('12.5')).toBeNull();
    expect(amount(null)).toBeNull();
  });
  it('dates', () => {
    expect(calendarDate('2024', '1', '5')).toBe('2024-01-05');
    expect(calendarDate('2024', '13', '1')).toBeNull();
    expect(calendarDate('2024', '02', '29')).toBe('2024-02-29');
    expect(calendarDate('2023', '2', '29')).toBeNull();
    expect(calendarDate('1900', '2', '29')).toBeNull();
    expect(calendarDate('2000', '2', '29')).toBe('2000-02-29');
    expect(calendarDate('2024', '4', '31')).toBeNull();
    expect(calendarDate('2024', '0', '1')).toBeNull();
    expect(calendarDate('0024', '1', '1')).toBeNull();
    expect(shortDate('24.12.31')).toBe('2024-12-31');
    expect(shortDate('2024-12-31')).toBeNull();
  });
});
