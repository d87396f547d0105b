import { type PostgresTarget, suitePool, usePostgres } from '@estate/testing';
import type { Pool } from 'pg';
import { recycleOnChange } from '../src';

describe('recycleOnChange against the shared PostgreSQL', () => {
  let target: PostgresTarget;
  let pool: Pool;
  let change: () => void;
  let stop: () => void;

  beforeAll(async () => {
    target = await usePostgres();
  });
  beforeEach(() => {
    pool = suitePool(target.connectionString);
    stop = recycleOnChange(pool, (listener) => {
      change = listener;
      return () => {};
    });
  });
  afterEach(async () => {
    stop();
    await pool.end();
  });
  afterAll(() => target.cleanup());

  const pidOf = async (client: { query: Pool['query'] }) =>
    Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);

  async function until(condition: () => boolean): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('condition not met within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('closes the idle connections made before a change; the next queries use new ones', async () => {
    const clients = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
    const before = new Set(await Promise.all(clients.map(pidOf)));
    for (const client of clients) client.release();
    expect(pool.idleCount).toBe(3);
    const removed: unknown[] = [];
    pool.on('remove', (client) => removed.push(client));

    change();
    await until(() => removed.length === 3);
    expect(pool.totalCount).toBe(0);
    expect(before.has(await pidOf(pool))).toBe(false);
  });

  it('closes a connection that was busy during the change when it is released, not before', async () => {
    const busy = await pool.connect();
    const busyPid = await pidOf(busy);
    const removed: unknown[] = [];
    pool.on('remove', (client) => removed.push(client));

    change();
    // Still usable: PostgreSQL keeps sessions opened with the old password.
    expect(await pidOf(busy)).toBe(busyPid);
    expect(removed).toEqual([]);
    busy.release();
    await until(() => removed.length === 1);
    expect(await pidOf(pool)).not.toBe(busyPid);
  });

  it('keeps connections made after the change', async () => {
    change();
    const client = await pool.connect();
    const pid = await pidOf(client);
    client.release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await pidOf(pool)).toBe(pid);
  });
});
