import { randomUUID } from 'node:crypto';
import { PutSecretValueCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { catalog } from '@estate/secrets/catalog';
import { z } from 'zod';
import {
  RotationDisabledError,
  RotationNotConfiguredError,
  SecretNameError,
  UnknownStrategyError,
  VersionNotPendingError,
  WeakKeyError,
} from '../../src/errors';
import { rotate } from '../../src/rotate';
import { ROTATION_STEPS } from '../../src/types';
import {
  createSecret,
  enableRotation,
  holderOf,
  type RotatorEndpoint,
  stagesOf,
  useRotatorEndpoint,
  valueAt,
  versionCount,
} from '../support/secrets';

const JWT = 'estate/dev/jwt';
const devJwt = () => catalog.jwt.dev();

let local: RotatorEndpoint;
beforeEach(async () => {
  local = await useRotatorEndpoint();
});
afterEach(() => local.cleanup());

describe('random-key (estate/{env}/jwt)', () => {
  it('runs every step twice with the same result: one pending version, then AWSCURRENT moved, old key AWSPREVIOUS', async () => {
    const original = devJwt();
    const firstVersion = await createSecret(local.client, JWT, original);
    await enableRotation(local.client, JWT);
    const token = randomUUID();
    const deps = { client: local.client };

    await rotate({ SecretId: JWT, ClientRequestToken: token, Step: 'createSecret' }, deps);
    const pending = await valueAt(local.client, JWT, 'AWSPENDING', token);
    await rotate({ SecretId: JWT, ClientRequestToken: token, Step: 'createSecret' }, deps);
    expect(await valueAt(local.client, JWT, 'AWSPENDING', token)).toEqual(pending);
    expect(await versionCount(local.client, JWT)).toBe(2);
    expect(pending).toMatchObject({ issuer: original.issuer, expiresIn: original.expiresIn });
    expect(pending.secret).not.toBe(original.secret);
    expect(Buffer.from(pending.secret as string, 'base64url')).toHaveLength(32);

    for (const step of ['setSecret', 'testSecret'] as const) {
      await rotate({ SecretId: JWT, ClientRequestToken: token, Step: step }, deps);
      await rotate({ SecretId: JWT, ClientRequestToken: token, Step: step }, deps);
      // Nothing moves before finishSecret: consumers keep the original key.
      expect(await valueAt(local.client, JWT, 'AWSCURRENT')).toEqual(original);
    }

    await rotate({ SecretId: JWT, ClientRequestToken: token, Step: 'finishSecret' }, deps);
    const afterFinish = await stagesOf(local.client, JWT);
    await rotate({ SecretId: JWT, ClientRequestToken: token, Step: 'finishSecret' }, deps);
    expect(await stagesOf(local.client, JWT)).toEqual(afterFinish);
    expect(afterFinish).toEqual({ [token]: ['AWSCURRENT'], [firstVersion]: ['AWSPREVIOUS'] });
    expect(await valueAt(local.client, JWT, 'AWSCURRENT')).toEqual(pending);
    expect(await valueAt(local.client, JWT, 'AWSPREVIOUS')).toEqual(original);

    // Any step of a finished rotation is a no-op, as AWS's templates do.
    for (const step of ROTATION_STEPS) {
      await rotate({ SecretId: JWT, ClientRequestToken: token, Step: step }, deps);
    }
    expect(await stagesOf(local.client, JWT)).toEqual(afterFinish);
    expect(await versionCount(local.client, JWT)).toBe(2);
  });

  it('rotates twice in a row through RotateSecret: AWSPREVIOUS is the middle key, the oldest keeps no stage', async () => {
    const original = devJwt();
    const v0 = await createSecret(local.client, JWT, original);
    const v1 = (await local.client.send(new RotateSecretCommand({ SecretId: JWT }))).VersionId!;
    const first = await valueAt(local.client, JWT, 'AWSCURRENT');
    const v2 = (await local.client.send(new RotateSecretCommand({ SecretId: JWT }))).VersionId!;
    const second = await valueAt(local.client, JWT, 'AWSCURRENT');

    expect(new Set([v0, v1, v2]).size).toBe(3);
    // DescribeSecret lists labelled versions only: the oldest key left every stage (deprecated).
    expect(await stagesOf(local.client, JWT)).toEqual({ [v1]: ['AWSPREVIOUS'], [v2]: ['AWSCURRENT'] });
    expect(await versionCount(local.client, JWT)).toBe(3);
    expect(await valueAt(local.client, JWT, 'AWSPREVIOUS')).toEqual(first);
    expect(new Set([original.secret, first.secret, second.secret]).size).toBe(3);
    expect(local.events.map((event) => event.Step)).toEqual([...ROTATION_STEPS, ...ROTATION_STEPS]);
  });

  it('writes a first value when the secret has none yet (Terraform creates it empty and rotates at apply)', async () => {
    await createSecret(local.client, JWT);
    const rotated = await local.client.send(new RotateSecretCommand({ SecretId: JWT }));
    const value = await valueAt(local.client, JWT, 'AWSCURRENT');
    expect(catalog.jwt.schema.parse(value)).toMatchObject({ issuer: 'estate-dev', expiresIn: '15m' });
    expect(await stagesOf(local.client, JWT)).toEqual({ [rotated.VersionId!]: ['AWSCURRENT'] });
  });

  it('testSecret refuses a weak pending key and one equal to AWSCURRENT, and changes nothing', async () => {
    const original = devJwt();
    await createSecret(local.client, JWT, original);
    await enableRotation(local.client, JWT);
    const deps = { client: local.client };
    const cases: Array<[string, RegExp]> = [
      ['a'.repeat(64), /distinct byte values/],
      ['short-key', /fewer than 32/],
      ['abababababababababababababababababababababababababababababababab', /distinct byte values/],
      [original.secret, /equals the AWSCURRENT key/],
    ];
    for (const [key, reason] of cases) {
      const token = randomUUID();
      await local.client.send(
        new PutSecretValueCommand({
          SecretId: JWT,
          ClientRequestToken: token,
          SecretString: JSON.stringify({ ...original, secret: key }),
          VersionStages: ['AWSPENDING'],
        }),
      );
      const error = await rotate(
        { SecretId: JWT, ClientRequestToken: token, Step: 'testSecret' },
        deps,
      ).catch((caught: unknown) => caught as Error);
      expect(error).toBeInstanceOf(WeakKeyError);
      expect((error as Error).message).toMatch(reason);
      expect((error as Error).message).not.toContain(key);
      expect(await valueAt(local.client, JWT, 'AWSCURRENT')).toEqual(original);
    }
  });

  it('refuses, with a named error and nothing changed: disabled rotation, no strategy, unknown strategy, foreign names, tokens that are not pending', async () => {
    const original = devJwt();
    const v0 = await createSecret(local.client, JWT, original);
    const expectRefused = async (
      event: Parameters<typeof rotate>[0],
      errorClass: new (...args: never[]) => Error,
      deps: Partial<Parameters<typeof rotate>[1]> = {},
    ) => {
      const before = await stagesOf(local.client, event.SecretId);
      const error = await rotate(event, { client: local.client, ...deps }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(errorClass);
      expect((error as Error).message).not.toContain(original.secret);
      expect(await stagesOf(local.client, event.SecretId)).toEqual(before);
    };

    // RotationEnabled is false until RotateSecret (or Terraform) turns it on.
    await expectRefused(
      { SecretId: JWT, ClientRequestToken: randomUUID(), Step: 'createSecret' },
      RotationDisabledError,
    );
    await enableRotation(local.client, JWT);

    await createSecret(local.client, 'estate/dev/redis', catalog.redis.dev());
    await enableRotation(local.client, 'estate/dev/redis');
    await expectRefused(
      { SecretId: 'estate/dev/redis', ClientRequestToken: randomUUID(), Step: 'createSecret' },
      RotationNotConfiguredError,
    );
    await expectRefused(
      { SecretId: JWT, ClientRequestToken: randomUUID(), Step: 'createSecret' },
      UnknownStrategyError,
      {
        catalog: { jwt: { schema: z.object({}), rotation: 'rot13' } },
      },
    );

    await createSecret(local.client, 'other/jwt', original);
    await enableRotation(local.client, 'other/jwt');
    await expectRefused(
      { SecretId: 'other/jwt', ClientRequestToken: randomUUID(), Step: 'createSecret' },
      SecretNameError,
    );

    // An unknown token after createSecret, and the AWSPREVIOUS version of a finished rotation.
    await expectRefused(
      { SecretId: JWT, ClientRequestToken: randomUUID(), Step: 'setSecret' },
      VersionNotPendingError,
    );
    await local.client.send(new RotateSecretCommand({ SecretId: JWT }));
    for (const step of ROTATION_STEPS) {
      await expectRefused({ SecretId: JWT, ClientRequestToken: v0, Step: step }, VersionNotPendingError);
    }
    expect(holderOf(await stagesOf(local.client, JWT), 'AWSPREVIOUS')).toBe(v0);
  });
});
