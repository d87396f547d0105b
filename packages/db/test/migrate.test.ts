import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PostgresTarget, suitePool, usePostgres } from '@estate/testing';
import type { Pool } from 'pg';
import { MigrationError, migrate, readMigrationFiles } from '../src';

let postgres: PostgresTarget;
let pool: Pool;
const folders: string[] = [];

function folder(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'estate-migrations-'));
  folders.push(directory);
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(directory, name), sql);
  return directory;
}

async function tables(): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
  );
  return rows.map((row) => row.name);
}

beforeEach(async () => {
  postgres = await usePostgres();
  pool = suitePool(postgres.connectionString);
});

afterEach(async () => {
  await pool.end();
  await postgres.cleanup();
});

afterAll(() => {
  for (const directory of folders) rmSync(directory, { recursive: true, force: true });
});

describe('migrate', () => {
  it('applies the shipped migrations in order once, and skips them the second time', async () => {
    const first = await migrate(pool);
    expect(first.applied).toEqual(readMigrationFiles().map((file) => file.name));
    expect(first.applied[0]).toBe('0001_accounts.sql');
    expect(await tables()).toEqual(
      expect.arrayContaining([
        'users',
        'organizations',
        'memberships',
        'rone_index_values',
        'apartment_deals',
        'etl_watermarks',
        'etl_runs',
        'market_summaries',
        'schema_migrations',
      ]),
    );
    const second = await migrate(pool);
    expect(second).toEqual({ applied: [], skipped: first.applied });
  });

  it('runs each migration exactly once when several services start at the same moment', async () => {
    const directory = folder({
      '0001_counter.sql': 'CREATE TABLE counter (n int); INSERT INTO counter VALUES (1);',
      '0002_slow.sql': 'SELECT pg_sleep(0.2); UPDATE counter SET n = n + 1;',
    });
    const pools = [0, 1, 2].map(() => suitePool(postgres.connectionString, 1));
    try {
      const results = await Promise.all(pools.map((each) => migrate(each, { directory })));
      expect(results.flatMap((result) => result.applied).sort()).toEqual([
        '0001_counter.sql',
        '0002_slow.sql',
      ]);
      const { rows } = await pool.query('SELECT n FROM counter');
      expect(rows).toEqual([{ n: 2 }]);
    } finally {
      await Promise.all(pools.map((each) => each.end()));
    }
  });

  it('names the broken file, rolls it back whole and keeps the migrations before it', async () => {
    const directory = folder({
      '0001_good.sql': 'CREATE TABLE good (id int);',
      '0002_broken.sql': 'CREATE TABLE half (id int); SELEC oops;',
      '0003_after.sql': 'CREATE TABLE after_broken (id int);',
    });
    const error = await migrate(pool, { directory }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).migration).toBe('0002_broken.sql');
    expect((error as MigrationError).code).toBe('migration_failed');
    expect((error as Error).message).toMatch(/^migration 0002_broken\.sql failed: syntax error/);
    expect(await tables()).toEqual(['good', 'schema_migrations']);
    const { rows } = await pool.query('SELECT name FROM schema_migrations');
    expect(rows).toEqual([{ name: '0001_good.sql' }]);
  });

  it('refuses an applied migration whose file changed since', async () => {
    const directory = folder({ '0001_a.sql': 'CREATE TABLE a (id int);' });
    await migrate(pool, { directory });
    writeFileSync(join(directory, '0001_a.sql'), 'CREATE TABLE a (id bigint);');
    await expect(migrate(pool, { directory })).rejects.toMatchObject({
      code: 'checksum_mismatch',
      migration: '0001_a.sql',
    });
  });

  it.each([
    [{ '1_short.sql': 'SELECT 1' }, 'bad_file_name', /must be named NNNN_lower_snake_name\.sql/],
    [{ '0001_a.sql': 'SELECT 1', '0001_b.sql': 'SELECT 1' }, 'duplicate_version', /share the number 0001/],
  ])('rejects a folder with %j', async (files, code, message) => {
    const directory = folder(files);
    const error = await migrate(pool, { directory }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toMatch(message);
  });
});

describe('the shipped schema', () => {
  beforeEach(async () => {
    await migrate(pool);
  });

  it('allows one account per email address whatever its case', async () => {
    await pool.query(`INSERT INTO users (email, password_hash) VALUES ('Kim@Example.com', 'h')`);
    await expect(
      pool.query(`INSERT INTO users (email, password_hash) VALUES ('kim@example.COM', 'h')`),
    ).rejects.toMatchObject({ code: '23505', constraint: 'users_email_key' });
  });

  it('keeps identical deals apart by ordinal and rejects a second row with the same key and ordinal', async () => {
    const insert = `INSERT INTO apartment_deals
      (deal_key, ordinal, lawd_cd, apt_nm, deal_date, deal_amount, exclu_use_ar, data_version)
      VALUES ($1, $2, '11680', '래미안', '2024-05-03', 250000, 84.97, 'v1')`;
    const key = 'a'.repeat(64);
    await pool.query(insert, [key, 1]);
    await pool.query(insert, [key, 2]);
    await expect(pool.query(insert, [key, 1])).rejects.toMatchObject({ code: '23505' });
  });

  it('keys R-ONE values by the source natural key and summaries by region, period and data version', async () => {
    const rone = `INSERT INTO rone_index_values
      (statbl_id, dtacycle_cd, wrttime_idtfr_id, grp_id, cls_id, itm_id, dta_val, data_version)
      VALUES ('A_2024_00045', 'MM', '202405', '1', '500001', '100001', $1, 'v1')
      ON CONFLICT (statbl_id, dtacycle_cd, wrttime_idtfr_id, grp_id, cls_id, itm_id)
      DO UPDATE SET dta_val = EXCLUDED.dta_val`;
    await pool.query(rone, ['101.5']);
    await pool.query(rone, ['99.8']);
    const { rows } = await pool.query('SELECT dta_val FROM rone_index_values');
    expect(rows).toEqual([{ dta_val: '99.8' }]);

    const summary = `INSERT INTO market_summaries (region, period, data_version, model, summary_ko, summary_en, content)
      VALUES ('11680', '2024-05', 'v1', 'm', 'ko', 'en', '{}')`;
    await pool.query(summary);
    await expect(pool.query(summary)).rejects.toMatchObject({ code: '23505' });
    await expect(pool.query(summary.replace("'2024-05'", "'2024-13'"))).rejects.toMatchObject({
      code: '23514',
    });
  });
});
