import type { Pool } from 'pg';
import { Database } from '../../src/db/database';

/** A pool that rejects the first `failures` queries with the given SQLSTATE (pure retry logic). */
function fakePool(failures: number, code: string) {
  let calls = 0;
  const pool = {
    query: async () => {
      calls += 1;
      if (calls <= failures) throw Object.assign(new Error('password authentication failed'), { code });
      return { rows: [{ ok: 1 }] };
    },
  };
  return { pool: pool as unknown as Pool, calls: () => calls };
}

describe('Database rotation awareness', () => {
  it('refreshes the secret once and retries once on SQLSTATE 28P01', async () => {
    const { pool, calls } = fakePool(1, '28P01');
    const refresh = jest.fn(async () => {});
    const db = new Database(pool, { onAuthenticationFailure: refresh });
    await expect(db.query('SELECT 1')).resolves.toEqual([{ ok: 1 }]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(calls()).toBe(2);
  });

  it('gives up after the one retry', async () => {
    const { pool, calls } = fakePool(5, '28P01');
    const refresh = jest.fn(async () => {});
    const db = new Database(pool, { onAuthenticationFailure: refresh });
    await expect(db.query('SELECT 1')).rejects.toMatchObject({ code: '28P01' });
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(calls()).toBe(2);
  });

  it('does not refresh on other errors', async () => {
    const { pool } = fakePool(1, '42P01');
    const refresh = jest.fn(async () => {});
    const db = new Database(pool, { onAuthenticationFailure: refresh });
    await expect(db.query('SELECT 1')).rejects.toMatchObject({ code: '42P01' });
    expect(refresh).not.toHaveBeenCalled();
  });
});
