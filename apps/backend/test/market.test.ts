import request from 'supertest';
import { type Backend, startBackend } from './support/backend';
import { insertDeals, insertIndexValues } from './support/market-fixtures';
import { random } from './support/seed';

let backend: Backend;
let token: string;
const region = '11680';

beforeAll(async () => {
  backend = await startBackend();
  const email = `market-${random(6)}@example.com`;
  const password = 'correct horse battery staple';
  await request(backend.app).post('/api/v1/auth/register').send({ email, password }).expect(201);
  token = (await request(backend.app).post('/api/v1/auth/login').send({ email, password })).body.token;
  await insertDeals(backend.deps.db, [
    { region, date: '2024-03-10', apartment: '은마', amount: 150_000, area: 76.79 },
    { region, date: '2024-05-01', apartment: '래미안', amount: 100_000, area: 100 },
    { region, date: '2024-05-02', apartment: '래미안', amount: 200_000, area: 100 },
    { region, date: '2024-05-03', apartment: '래미안', amount: 300_000, area: 100, cancelled: true },
    { region: '11110', date: '2024-05-03', apartment: '경희궁자이', amount: 180_000, area: 84.9 },
  ]);
  await insertIndexValues(backend.deps.db, [
    { table: 'A_2024_00045', cls: '500001', item: '100001', period: '202404', value: 98.5 },
    { table: 'A_2024_00045', cls: '500001', item: '100001', period: '202405', value: 99.1 },
    { table: 'A_2024_00045', cls: '500002', item: '100001', period: '202405', value: 101.2 },
  ]);
});

afterAll(async () => {
  await backend.cleanup();
});

const get = (path: string) => request(backend.app).get(path).set('Authorization', `Bearer ${token}`);

describe('GET /api/v1/regions/:code/trades', () => {
  it('pages the region deals of the range in date order and flags cancellations', async () => {
    const first = await get(`/api/v1/regions/${region}/trades?from=2024-04&to=2024-05&pageSize=2`).expect(
      200,
    );
    expect(first.body).toMatchObject({
      region,
      from: '2024-04',
      to: '2024-05',
      page: 1,
      pageSize: 2,
      total: 3,
    });
    expect(first.body.items.map((item: { dealDate: string }) => item.dealDate)).toEqual([
      '2024-05-01',
      '2024-05-02',
    ]);
    expect(first.body.items[0]).toMatchObject({
      apartment: '래미안',
      priceManwon: 100_000,
      areaM2: 100,
      cancelled: false,
    });
    const second = await get(
      `/api/v1/regions/${region}/trades?from=2024-04&to=2024-05&pageSize=2&page=2`,
    ).expect(200);
    expect(second.body.items).toEqual([
      expect.objectContaining({ dealDate: '2024-05-03', cancelled: true, cancelDate: '2024-05-03' }),
    ]);
  });

  it('requires a token', async () => {
    const response = await request(backend.app).get(`/api/v1/regions/${region}/trades`).expect(401);
    expect(response.body.error.code).toBe('missing_token');
  });
});

describe('GET /api/v1/regions/:code/stats', () => {
  it('gives every month of the range: deals, median KRW per m2 without cancelled deals, cancellations', async () => {
    const response = await get(`/api/v1/regions/${region}/stats?from=2024-03&to=2024-06`).expect(200);
    expect(response.body.months).toEqual([
      {
        month: '2024-03',
        deals: 1,
        medianPricePerM2: Math.round((150_000 * 10_000) / 76.79),
        cancellations: 0,
      },
      { month: '2024-04', deals: 0, medianPricePerM2: null, cancellations: 0 },
      { month: '2024-05', deals: 2, medianPricePerM2: 15_000_000, cancellations: 1 },
      { month: '2024-06', deals: 0, medianPricePerM2: null, cancellations: 0 },
    ]);
  });
});

describe('GET /api/v1/indices/:tableId', () => {
  it('returns the series of a table, one per class and item, narrowed by cls', async () => {
    const all = await get('/api/v1/indices/A_2024_00045?from=2024-01&to=2024-12').expect(200);
    expect(all.body.series).toHaveLength(2);
    const one = await get('/api/v1/indices/A_2024_00045?cls=500001&from=2024-01&to=2024-12').expect(200);
    expect(one.body.series).toEqual([
      expect.objectContaining({
        clsId: '500001',
        itemId: '100001',
        unit: '2021.6=100',
        points: [
          { period: '2024-04', value: 98.5 },
          { period: '2024-05', value: 99.1 },
        ],
      }),
    ]);
  });
});

describe('bad input', () => {
  it.each([
    ['/api/v1/regions/1168/trades', 'invalid_value', 'code'],
    ['/api/v1/regions/abcde/stats', 'invalid_value', 'code'],
    ['/api/v1/regions/11680/trades?from=2024-13', 'invalid_value', 'from'],
    ['/api/v1/regions/11680/trades?from=2024-06&to=2024-05', 'invalid_range', 'from'],
    ['/api/v1/regions/11680/stats?from=2010-01&to=2024-05', 'range_too_long', 'to'],
    ['/api/v1/regions/11680/trades?page=0', 'invalid_value', 'page'],
    ['/api/v1/regions/11680/trades?pageSize=1000', 'invalid_value', 'pageSize'],
    ['/api/v1/regions/11680/trades?sort=price', 'unknown_field', 'sort'],
    ['/api/v1/regions/11680/trades?from=2024-01&from=2024-02', 'invalid_type', 'from'],
    ['/api/v1/indices/A-2024?from=2024-01', 'invalid_value', 'tableId'],
  ])('GET %s answers 400 %s on %s', async (path, code, field) => {
    const response = await get(path).expect(400);
    expect(response.body.error).toMatchObject({ code, field });
  });
});
