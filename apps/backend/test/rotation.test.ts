import { randomBytes } from 'node:crypto';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDatabasePool, Database, recycleOnChange } from '@estate/platform';
import { defineSecrets, loadSecrets, type Secrets, secret } from '@estate/secrets';
import { DatabaseSecret } from '@estate/secrets/catalog';
import {
  type PrivateCluster,
  type SecretsEndpointTarget,
  startPrivateCluster,
  useSecretsEndpoint,
} from '@estate/testing';
import jwt from 'jsonwebtoken';
import { Client, type Pool } from 'pg';
import request from 'supertest';
import { type Backend, startBackend } from './support/backend';
import { rotateNow, rotatorFor } from './support/rotator';
import { random } from './support/seed';

// Rotations end to end: the rotator runs in process behind the local endpoint (RotateSecret with
// RotateImmediately), the consumers are the real ones, with a background refresh.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('database password rotation under load (private scram-sha-256 cluster)', () => {
  const manifest = defineSecrets({
    service: 'backend',
    secrets: { database: secret('database', DatabaseSecret) },
  });
  let cluster: PrivateCluster;
  let endpoint: SecretsEndpointTarget;
  let admin: SecretsManagerClient;
  let secrets: Secrets<typeof manifest>;
  let pool: Pool;
  const rotator = rotatorFor(() => endpoint.endpoint.url);
  const role = `estate_rot_${randomBytes(3).toString('hex')}`;
  const firstPassword = random();

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    const superuser = await cluster.admin();
    try {
      await superuser.query(`CREATE ROLE ${role} LOGIN PASSWORD ${superuser.escapeLiteral(firstPassword)}`);
    } finally {
      await superuser.end();
    }
    endpoint = await useSecretsEndpoint({ rotationHandler: rotator });
    admin = new SecretsManagerClient({ ...endpoint.clientConfig(), maxAttempts: 1 });
    await admin.send(
      new CreateSecretCommand({
        Name: 'estate/dev/database',
        SecretString: JSON.stringify({
          host: cluster.host,
          port: cluster.port,
          dbname: 'postgres',
          username: role,
          password: firstPassword,
        }),
      }),
    );
    secrets = await loadSecrets(manifest, {
      env: 'dev',
      aws: endpoint.clientConfig(),
      refreshIntervalMs: 500,
      retry: { baseDelayMs: 5, maxDelayMs: 50 },
    });
    pool = createDatabasePool(() => secrets.get('database'), { max: 8 });
  }, 120_000);
  afterAll(async () => {
    await pool?.end();
    secrets?.close();
    admin?.destroy();
    rotator.close();
    await endpoint?.cleanup();
    await cluster?.remove();
  });

  async function loginResult(password: string): Promise<string | undefined> {
    const client = new Client({
      host: cluster.host,
      port: cluster.port,
      database: 'postgres',
      user: role,
      password,
    });
    try {
      await client.connect();
      return undefined;
    } catch (error) {
      return (error as { code?: string }).code;
    } finally {
      await client.end().catch(() => {});
    }
  }

  it('4 clients querying in a loop for 10 s while the password rotates: zero failed queries', async () => {
    const refreshes: string[] = [];
    const db = new Database(pool, {
      onAuthenticationFailure: () => {
        refreshes.push('forced');
        return secrets.refresh('database');
      },
    });
    recycleOnChange(pool, (listener) => secrets.onChange('database', listener));
    const changes: number[] = [];
    secrets.onChange('database', () => changes.push(Date.now()));
    let removed = 0;
    pool.on('remove', () => {
      removed += 1;
    });

    const started = Date.now();
    const deadline = started + 10_000;
    let served = 0;
    const failures: string[] = [];
    const client = async () => {
      while (Date.now() < deadline) {
        try {
          await db.query('SELECT pg_backend_pid() AS pid');
          served += 1;
        } catch (error) {
          failures.push((error as { code?: string }).code ?? (error as Error).message);
        }
      }
    };
    const load = Promise.all([client(), client(), client(), client()]);
    await sleep(3_000);
    const rotatedAt = Date.now();
    const versionId = await rotateNow(admin, 'estate/dev/database');
    await load;

    expect(failures).toEqual([]);
    expect(served).toBeGreaterThan(1_000);
    // The container saw the change by its background refresh (500 ms interval) and the pool
    // closed the connections opened with the old password.
    expect(secrets.versionId('database')).toBe(versionId);
    expect(changes).toHaveLength(1);
    expect(changes[0]! - rotatedAt).toBeLessThan(2_000);
    expect(removed).toBeGreaterThanOrEqual(1);
    expect(await loginResult(firstPassword)).toBe('28P01');
    expect(await loginResult(secrets.get('database').password)).toBeUndefined();
    process.stdout.write(
      `database rotation: ${served} queries in 10 s, ${failures.length} failed, ${refreshes.length} forced refreshes, ${removed} connections recycled\n`,
    );
  }, 60_000);
});

describe('JWT rotation (backend, local endpoint with the rotator)', () => {
  let backend: Backend;
  const password = 'correct horse battery staple';

  beforeAll(async () => {
    backend = await startBackend({
      rotation: true,
      refreshIntervalMs: 500,
      values: { jwt: { secret: random(48), issuer: 'estate-test', expiresIn: '6s' } },
    });
  }, 60_000);
  afterAll(async () => {
    await backend?.cleanup();
  });

  async function login(): Promise<string> {
    const email = `user-${random(6)}@example.com`;
    await request(backend.app).post('/api/v1/auth/register').send({ email, password }).expect(201);
    const answer = await request(backend.app)
      .post('/api/v1/auth/login')
      .send({ email, password })
      .expect(200);
    return answer.body.token as string;
  }

  const kidOf = (token: string) => jwt.decode(token, { complete: true })!.header.kid;
  const expiryOf = (token: string) => (jwt.decode(token) as { exp: number }).exp * 1000;

  it('a token issued before a rotation gets no 401 until it expires, then token_expired', async () => {
    const token = await login();
    const expiresAt = expiryOf(token);
    const statuses = new Map<string, number>();
    let rotated: string | undefined;
    const rotation = sleep(1_000).then(async () => {
      rotated = await rotateNow(backend.admin.secretsManager, 'estate/dev/jwt');
    });
    while (Date.now() < expiresAt - 200) {
      const response = await request(backend.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
      const key = `${response.status}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      await sleep(20);
    }
    await rotation;
    expect([...statuses.keys()]).toEqual(['200']);
    // The background refresh moved the key: the old token was verified with AWSPREVIOUS.
    expect(backend.secrets.versionId('jwt')).toBe(rotated);
    expect(backend.secrets.previousVersionId('jwt')).toBe(kidOf(token));
    await sleep(Math.max(0, expiresAt - Date.now() + 1_000));
    const expired = await request(backend.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
    expect({ status: expired.status, code: expired.body.error?.code }).toEqual({
      status: 401,
      code: 'token_expired',
    });
  }, 30_000);

  it('rotating twice in a row: the token from two keys ago is refused with unknown_kid, the one from one key ago verifies', async () => {
    const twoKeysAgo = await login();
    await rotateNow(backend.admin.secretsManager, 'estate/dev/jwt');
    await backend.secrets.refresh('jwt');
    const oneKeyAgo = await login();
    const latest = await rotateNow(backend.admin.secretsManager, 'estate/dev/jwt');
    await backend.secrets.refresh('jwt');
    expect(backend.secrets.versionId('jwt')).toBe(latest);
    expect(backend.secrets.previousVersionId('jwt')).toBe(kidOf(oneKeyAgo));

    const refused = await request(backend.app).get('/api/v1/me').set('Authorization', `Bearer ${twoKeysAgo}`);
    expect({ status: refused.status, code: refused.body.error?.code }).toEqual({
      status: 401,
      code: 'unknown_kid',
    });
    await request(backend.app).get('/api/v1/me').set('Authorization', `Bearer ${oneKeyAgo}`).expect(200);
  }, 30_000);
});
