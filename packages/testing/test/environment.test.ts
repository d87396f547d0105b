import amqp from 'amqplib';
import Redis from 'ioredis';
import { Client } from 'pg';
import {
  isPortOpen,
  TestServerUnavailableError,
  usePostgres,
  useRabbitmq,
  useRedis,
  useSecretsEndpoint,
} from '../src';
import { requireLocal } from '../src/servers';

describe('usePostgres', () => {
  it('gives each suite its own database and drops it on cleanup', async () => {
    const [a, b] = await Promise.all([usePostgres(), usePostgres()]);
    expect(a.database).not.toEqual(b.database);
    const client = new Client({ connectionString: a.connectionString });
    await client.connect();
    await client.query('CREATE TABLE probe (id int)');
    const { rows } = await client.query('SELECT current_database() AS name');
    expect(rows[0].name).toBe(a.database);
    await client.end();
    await Promise.all([a.cleanup(), b.cleanup()]);

    const admin = new Client({ connectionString: a.connectionString.replace(a.database, 'postgres') });
    await admin.connect();
    const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = ANY($1)', [
      [a.database, b.database],
    ]);
    await admin.end();
    expect(left.rowCount).toBe(0);
  });
});

describe('useRedis', () => {
  it('isolates by key prefix and deletes only its own keys', async () => {
    const target = await useRedis();
    const outsider = `outside-${target.keyPrefix}`;
    const client = new Redis({ host: target.host, port: target.port, keyPrefix: target.keyPrefix });
    const raw = new Redis({ host: target.host, port: target.port });
    try {
      await client.set('a', '1');
      await client.set('b', '2');
      await raw.set(outsider, 'kept');
      expect(await raw.get(`${target.keyPrefix}a`)).toBe('1');
      await target.cleanup();
      expect(await raw.exists(`${target.keyPrefix}a`, `${target.keyPrefix}b`)).toBe(0);
      expect(await raw.get(outsider)).toBe('kept');
    } finally {
      await raw.del(outsider);
      client.disconnect();
      raw.disconnect();
    }
  });
});

describe('useRabbitmq', () => {
  it('gives each suite its own vhost and deletes it with its queues', async () => {
    const target = await useRabbitmq();
    const connection = await amqp.connect(target.url);
    const channel = await connection.createChannel();
    await channel.assertQueue('probe', { durable: true });
    channel.sendToQueue('probe', Buffer.from('hello'));
    await channel.close();
    await connection.close();
    await target.cleanup();
    await expect(amqp.connect(target.url)).rejects.toThrow();
  }, 60_000);
});

describe('useSecretsEndpoint', () => {
  it('starts an in-process endpoint on an ephemeral port and stops it', async () => {
    const target = await useSecretsEndpoint();
    const port = Number(new URL(target.endpoint.url).port);
    expect(await isPortOpen(port)).toBe(true);
    expect(target.clientConfig('local-backend').credentials.accessKeyId).toBe('local-backend');
    await target.cleanup();
    expect(await isPortOpen(port)).toBe(false);
  });
});

describe('when a server is missing', () => {
  it('fails with one line that says what to start', async () => {
    const error = await requireLocal({ name: 'Redis', port: 1, start: 'redis-server --port 1' }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(TestServerUnavailableError);
    expect(error.message).toBe(
      'Redis is not reachable at 127.0.0.1:1 and no Docker engine answers: start it with `redis-server --port 1` (or start Docker)',
    );
  });
});
