import { createHash } from 'node:crypto';
import { migrate } from '@estate/db';
import { Database } from '@estate/platform';
import { type PostgresTarget, suitePool, usePostgres } from '@estate/testing';
import type { Pool } from 'pg';
import { readMonthlyStatistics, TREND_MONTHS } from '../src/db/market-statistics';

let postgres: PostgresTarget;
let pool: Pool;
let db: Database;

beforeAll(async () => {
  postgres = await usePostgres();
  pool = suitePool(postgres.connectionString, 2);
  await migrate(pool);
  db = new Database(pool, { onAuthenticationFailure: async () => {} });
});

afterAll(async () => {
  await pool?.end();
  await postgres?.cleanup();
});

async function seed(region: string, dealDates: string[]): Promise<void> {
  for (const date of dealDates) {
    await pool.query(
      `INSERT INTO apartment_deals (deal_key, lawd_cd, apt_nm, deal_date, deal_amount, exclu_use_ar, cancelled, data_version)
       VALUES ($1, $2, 'test', $3, 100000, 84.97, false, 'v-test')`,
      [createHash('sha256').update(`${region}-${date}`).digest('hex'), region, date],
    );
  }
}

describe('readMonthlyStatistics', () => {
  it('reads the TREND_MONTHS months ending with the period, across a year boundary, and nothing around them', async () => {
    expect(TREND_MONTHS).toBe(6);
    await seed('11111', ['2023-09-30', '2023-10-01', '2023-12-31', '2024-01-01', '2024-03-31', '2024-04-01']);

    const months = await readMonthlyStatistics(db, '11111', '2024-03');

    expect(months.map((month) => [month.period, month.deals])).toEqual([
      ['2023-10', 1],
      ['2023-12', 1],
      ['2024-01', 1],
      ['2024-03', 1],
    ]);
  });
});
