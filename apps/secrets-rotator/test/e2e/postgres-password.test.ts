import { randomBytes, randomUUID } from 'node:crypto';
import { RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { type PrivateCluster, startPrivateCluster } from '@estate/testing';
import { Client } from 'pg';
import { DatabaseRotationError } from '../../src/errors';
import { rotate } from '../../src/rotate';
import { ROTATION_STEPS } from '../../src/types';
import {
  createSecret,
  enableRotation,
  type RotatorEndpoint,
  stagesOf,
  useRotatorEndpoint,
  valueAt,
  versionCount,
} from '../support/secrets';

const DATABASE = 'estate/dev/database';

let cluster: PrivateCluster;
let local: RotatorEndpoint;
let role: string;
let initialPassword: string;

beforeAll(async () => {
  cluster = await startPrivateCluster();
}, 120_000);
afterAll(async () => {
  await cluster?.remove();
});

beforeEach(async () => {
  local = await useRotatorEndpoint();
  // A role name that needs quoting: ALTER ROLE must escape the identifier.
  role = `Estate "app" ${randomBytes(3).toString('hex')}`;
  initialPassword = randomBytes(24).toString('base64url');
  await asSuperuser((admin) =>
    admin.query(
      `CREATE ROLE ${admin.escapeIdentifier(role)} LOGIN PASSWORD ${admin.escapeLiteral(initialPassword)}`,
    ),
  );
  await createSecret(local.client, DATABASE, databaseValue(initialPassword));
});
afterEach(async () => {
  await local.cleanup();
  await asSuperuser((admin) => admin.query(`DROP ROLE IF EXISTS ${admin.escapeIdentifier(role)}`));
});

function databaseValue(password: string) {
  return { host: cluster.host, port: cluster.port, dbname: 'postgres', username: role, password };
}

async function asSuperuser<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = await cluster.admin();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** undefined when the password logs in and SELECT 1 works, else the SQLSTATE or network code. */
async function loginResult(password: unknown): Promise<string | undefined> {
  const client = new Client({
    host: cluster.host,
    port: cluster.port,
    database: 'postgres',
    user: role,
    password: String(password),
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

const current = () => valueAt(local.client, DATABASE, 'AWSCURRENT');

describe('postgres-password against a private scram-sha-256 cluster', () => {
  it('rotates through RotateSecret: the old password fails with 28P01, the new one works, the old value is AWSPREVIOUS', async () => {
    const rotated = await local.client.send(new RotateSecretCommand({ SecretId: DATABASE }));
    const now = await current();

    expect(now.password).not.toBe(initialPassword);
    expect(now).toMatchObject({ username: role, host: cluster.host, port: cluster.port });
    expect(await loginResult(now.password)).toBeUndefined();
    expect(await loginResult(initialPassword)).toBe('28P01');
    expect(await valueAt(local.client, DATABASE, 'AWSPREVIOUS')).toEqual(databaseValue(initialPassword));
    expect((await stagesOf(local.client, DATABASE))[rotated.VersionId!]).toEqual(['AWSCURRENT']);
    // The server only ever saw a SCRAM verifier, never the new password.
    expect(cluster.log()).toContain('ALTER ROLE');
    expect(cluster.log()).not.toContain(String(now.password));
  });

  it('runs every step twice: one password change, AWSCURRENT moved once', async () => {
    await enableRotation(local.client, DATABASE);
    const token = randomUUID();
    const deps = { client: local.client };
    for (const step of ROTATION_STEPS) {
      await rotate({ SecretId: DATABASE, ClientRequestToken: token, Step: step }, deps);
      const stagesAfterFirst = await stagesOf(local.client, DATABASE);
      await rotate({ SecretId: DATABASE, ClientRequestToken: token, Step: step }, deps);
      expect(await stagesOf(local.client, DATABASE)).toEqual(stagesAfterFirst);
      if (step === 'setSecret') {
        // The retried setSecret found the database already accepting AWSPENDING.
        const pending = await valueAt(local.client, DATABASE, 'AWSPENDING', token);
        expect(await loginResult(pending.password)).toBeUndefined();
      }
    }
    expect(await versionCount(local.client, DATABASE)).toBe(2);
    expect(await loginResult((await current()).password)).toBeUndefined();
    expect(await loginResult(initialPassword)).toBe('28P01');
  });

  it('setSecret with the database unreachable: AWSCURRENT keeps working, AWSPENDING stays marked, a re-run completes', async () => {
    await enableRotation(local.client, DATABASE);
    const token = randomUUID();
    const deps = { client: local.client, connectTimeoutMs: 2_000 };
    await rotate({ SecretId: DATABASE, ClientRequestToken: token, Step: 'createSecret' }, deps);

    await cluster.stop();
    let error: unknown;
    try {
      error = await rotate({ SecretId: DATABASE, ClientRequestToken: token, Step: 'setSecret' }, deps).catch(
        (caught: unknown) => caught,
      );
    } finally {
      await cluster.start();
    }
    expect(error).toBeInstanceOf(DatabaseRotationError);
    expect(error).toMatchObject({ code: 'DATABASE_UNREACHABLE', sqlState: 'ECONNREFUSED' });
    const pending = await valueAt(local.client, DATABASE, 'AWSPENDING', token);
    expect((error as Error).message).not.toContain(String(pending.password));

    expect(await current()).toEqual(databaseValue(initialPassword));
    expect(await loginResult(initialPassword)).toBeUndefined();
    expect((await stagesOf(local.client, DATABASE))[token]).toEqual(['AWSPENDING']);

    for (const step of ['setSecret', 'testSecret', 'finishSecret'] as const) {
      await rotate({ SecretId: DATABASE, ClientRequestToken: token, Step: step }, deps);
    }
    expect((await current()).password).toBe(pending.password);
    expect(await loginResult(pending.password)).toBeUndefined();
    expect(await loginResult(initialPassword)).toBe('28P01');
  });

  it('a Secrets Manager fault in setSecret fails RotateSecret; the same ClientRequestToken completes it afterwards', async () => {
    const token = randomUUID();
    local.beforeStep = (event) => {
      // Every GetSecretValue answers 500 from setSecret on (more than the SDK's retries).
      if (event.Step === 'setSecret')
        local.target.endpoint.addFault({ kind: 'error500', operation: 'GetSecretValue', count: 20 });
    };
    const failed = await local.client
      .send(new RotateSecretCommand({ SecretId: DATABASE, ClientRequestToken: token }))
      .catch((caught: unknown) => caught as Error);
    local.beforeStep = undefined;
    local.target.endpoint.clearFaults();
    expect(failed).toMatchObject({ name: 'InvalidRequestException' });
    expect((failed as Error).message).toMatch(/failed at step setSecret/);

    expect(await current()).toEqual(databaseValue(initialPassword));
    expect(await loginResult(initialPassword)).toBeUndefined();
    expect((await stagesOf(local.client, DATABASE))[token]).toEqual(['AWSPENDING']);

    await local.client.send(new RotateSecretCommand({ SecretId: DATABASE, ClientRequestToken: token }));
    expect((await stagesOf(local.client, DATABASE))[token]).toEqual(['AWSCURRENT']);
    expect(await loginResult((await current()).password)).toBeUndefined();
    expect(await loginResult(initialPassword)).toBe('28P01');
  });

  it('falls back to AWSPREVIOUS when AWSCURRENT no longer authenticates', async () => {
    const warnings: string[] = [];
    local.handlerOptions.logger = { info: () => {}, warn: (_fields, message) => warnings.push(message) };
    await local.client.send(new RotateSecretCommand({ SecretId: DATABASE }));
    expect(warnings).toEqual([]);
    // As if a rotation had changed the password and then failed: the role has the AWSPREVIOUS password.
    await asSuperuser((admin) =>
      admin.query(
        `ALTER ROLE ${admin.escapeIdentifier(role)} PASSWORD ${admin.escapeLiteral(initialPassword)}`,
      ),
    );
    const stale = await current();
    expect(await loginResult(stale.password)).toBe('28P01');

    await local.client.send(new RotateSecretCommand({ SecretId: DATABASE }));
    const now = await current();
    expect(await loginResult(now.password)).toBeUndefined();
    expect(await loginResult(initialPassword)).toBe('28P01');
    expect(warnings).toEqual(['setSecret: AWSCURRENT no longer authenticates']);
  });

  it('says which credentials failed when neither AWSCURRENT nor AWSPREVIOUS authenticates, and changes nothing', async () => {
    await enableRotation(local.client, DATABASE);
    await asSuperuser((admin) =>
      admin.query(`ALTER ROLE ${admin.escapeIdentifier(role)} PASSWORD ${admin.escapeLiteral(randomUUID())}`),
    );
    const token = randomUUID();
    await rotate(
      { SecretId: DATABASE, ClientRequestToken: token, Step: 'createSecret' },
      { client: local.client },
    );
    const error = await rotate(
      { SecretId: DATABASE, ClientRequestToken: token, Step: 'setSecret' },
      { client: local.client },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatabaseRotationError);
    expect(error).toMatchObject({ code: 'DATABASE_AUTHENTICATION', sqlState: '28P01' });
    expect((error as Error).message).toMatch(/neither AWSCURRENT nor AWSPREVIOUS authenticates/);
    expect((await stagesOf(local.client, DATABASE))[token]).toEqual(['AWSPENDING']);
  });

  it('with a master secret: writes the first value of an empty secret from the database settings', async () => {
    const name = 'estate/staging/database';
    await createSecret(local.client, name);
    await createSecret(local.client, 'rds/master', cluster.superuser);
    Object.assign(local.handlerOptions, {
      masterSecretId: 'rds/master',
      database: { host: cluster.host, port: cluster.port, dbname: 'postgres', username: role },
    });
    await local.client.send(new RotateSecretCommand({ SecretId: name }));
    const first = await valueAt(local.client, name, 'AWSCURRENT');
    expect(first).toMatchObject({
      host: cluster.host,
      port: cluster.port,
      dbname: 'postgres',
      username: role,
    });
    expect(await loginResult(first.password)).toBeUndefined();
    expect(await loginResult(initialPassword)).toBe('28P01');
  });
});
