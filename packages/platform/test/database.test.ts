import { randomBytes } from 'node:crypto';
import type { DatabaseSecret } from '@estate/secrets/catalog';
import { type PostgresTarget, type PrivateCluster, startPrivateCluster, usePostgres } from '@estate/testing';
import { Pool as PgPool, type Pool } from 'pg';
import { createDatabasePool, Database, INVALID_PASSWORD, retryingAuthentication } from '../src';

/** A pool that rejects the first `failures` calls with the given SQLSTATE (pure retry logic). */
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

describe('retryingAuthentication (SQLSTATE 28P01)', () => {
  it('refreshes the secret once and retries once', async () => {
    const { pool, calls } = fakePool(1, INVALID_PASSWORD);
    const refresh = jest.fn(async () => {});
    const db = new Database(pool, { onAuthenticationFailure: refresh });
    await expect(db.query('SELECT 1')).resolves.toEqual([{ ok: 1 }]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(calls()).toBe(2);
  });

  it('gives up after the one retry', async () => {
    const { pool, calls } = fakePool(5, INVALID_PASSWORD);
    const refresh = jest.fn(async () => {});
    const db = new Database(pool, { onAuthenticationFailure: refresh });
    await expect(db.query('SELECT 1')).rejects.toMatchObject({ code: INVALID_PASSWORD });
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(calls()).toBe(2);
  });

  it('does not refresh on other errors', async () => {
    const refresh = jest.fn(async () => {});
    const work = jest.fn(async () => {
      throw Object.assign(new Error('no such table'), { code: '42P01' });
    });
    await expect(retryingAuthentication(work, { onAuthenticationFailure: refresh })).rejects.toMatchObject({
      code: '42P01',
    });
    expect(refresh).not.toHaveBeenCalled();
    expect(work).toHaveBeenCalledTimes(1);
  });
});

describe('createDatabasePool and Database against PostgreSQL with password authentication', () => {
  // The shared server trusts local connections and never asks for a password, so these tests use
  // a private scram-sha-256 cluster (docs/architecture.md, Tests).
  let cluster: PrivateCluster;
  let secret: DatabaseSecret;
  let pool: Pool;
  const current = jest.fn((): DatabaseSecret => secret);
  const role = 'estate_app';
  const password = () => randomBytes(18).toString('base64url');

  async function setRolePassword(value: string): Promise<void> {
    const admin = await cluster.admin();
    try {
      await admin.query(`ALTER ROLE ${role} WITH PASSWORD ${admin.escapeLiteral(value)}`);
    } finally {
      await admin.end();
    }
  }

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    const first = password();
    const admin = await cluster.admin();
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD ${admin.escapeLiteral(first)}`);
    } finally {
      await admin.end();
    }
    secret = { host: cluster.host, port: cluster.port, dbname: 'postgres', username: role, password: first };
    pool = createDatabasePool(current, { max: 3, applicationName: 'estate-platform-test' });
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await cluster?.remove();
  });

  it('reads the password from the container for every new connection', async () => {
    const before = current.mock.calls.length;
    const clients = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
    for (const client of clients) client.release();
    expect(current.mock.calls.length - before).toBe(3);
    const [row] = (await pool.query('SELECT current_setting($1) AS name', ['application_name'])).rows;
    expect(row.name).toBe('estate-platform-test');
  });

  it('after a rotation the container has not seen yet: 28P01, one refresh, one retry, no failure', async () => {
    await pool.end();
    pool = createDatabasePool(current, { max: 3 });
    const rotated = password();
    await setRolePassword(rotated);
    const refresh = jest.fn(async () => {
      secret = { ...secret, password: rotated };
    });
    const db = new Database(pool, { onAuthenticationFailure: refresh });
    await expect(db.query('SELECT 1 AS ok')).resolves.toEqual([{ ok: 1 }]);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('a pool made with onAuthenticationFailure retries pool.query and pool.connect itself', async () => {
    await pool.end();
    let rotated = password();
    const refresh = jest.fn(async () => {
      secret = { ...secret, password: rotated };
    });
    pool = createDatabasePool(current, { max: 3, onAuthenticationFailure: refresh });
    await setRolePassword(rotated);
    expect((await pool.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
    expect(refresh).toHaveBeenCalledTimes(1);

    rotated = password();
    await setRolePassword(rotated);
    const client = await pool.connect();
    client.release();
    // The idle connection made before this rotation was reused; force a new one.
    const [a, b] = await Promise.all([pool.connect(), pool.connect()]);
    a.release();
    b.release();
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('surfaces 28P01 when the refreshed secret is still not the password', async () => {
    await pool.end();
    pool = createDatabasePool(current, { max: 3 });
    await setRolePassword(password());
    const refresh = jest.fn(async () => {});
    const db = new Database(pool, { onAuthenticationFailure: refresh });
    await expect(db.query('SELECT 1')).rejects.toMatchObject({ code: INVALID_PASSWORD });
    expect(refresh).toHaveBeenCalledTimes(1);
  });
});

describe('Database transactions against the shared PostgreSQL', () => {
  let target: PostgresTarget;
  let pool: Pool;

  beforeAll(async () => {
    target = await usePostgres();
    pool = new PgPool({ connectionString: target.connectionString, max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await target.cleanup();
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    const db = new Database(pool, { onAuthenticationFailure: async () => {} });
    await db.query('CREATE TABLE probe (id int PRIMARY KEY)');
    await db.transaction(async (client) => {
      await client.query('INSERT INTO probe VALUES (1)');
    });
    await expect(
      db.transaction(async (client) => {
        await client.query('INSERT INTO probe VALUES (2)');
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(await db.query('SELECT id FROM probe ORDER BY id')).toEqual([{ id: 1 }]);
    await db.ping();
  });
});
