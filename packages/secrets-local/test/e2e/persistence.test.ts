import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
} from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { DataFileError } from '../../src';
import { randomValue, secretsClient, ssmClient, startLocal, withTempDir } from '../support/local-endpoint';

describe('persistence', () => {
  it('keeps secrets, stages and parameters across a restart on the same file', () =>
    withTempDir(async (dir) => {
      const dataFile = join(dir, 'nested', 'secrets.json');
      const first = await startLocal({ dataFile });
      const sm = secretsClient(first);
      const ssm = ssmClient(first);
      const v1 = randomValue();
      const v2 = randomValue();
      await sm.send(new CreateSecretCommand({ Name: 'estate/dev/jwt', SecretString: v1 }));
      const put = await sm.send(new PutSecretValueCommand({ SecretId: 'estate/dev/jwt', SecretString: v2 }));
      await ssm.send(
        new PutParameterCommand({ Name: '/estate/dev/config/log_level', Value: 'warn', Type: 'String' }),
      );
      sm.destroy();
      ssm.destroy();
      await first.stop();

      const second = await startLocal({ dataFile });
      const sm2 = secretsClient(second);
      const ssm2 = ssmClient(second);
      const current = await sm2.send(new GetSecretValueCommand({ SecretId: 'estate/dev/jwt' }));
      const previous = await sm2.send(
        new GetSecretValueCommand({ SecretId: 'estate/dev/jwt', VersionStage: 'AWSPREVIOUS' }),
      );
      expect(current).toMatchObject({ SecretString: v2, VersionId: put.VersionId });
      expect(previous.SecretString).toBe(v1);
      expect(
        (await ssm2.send(new GetParameterCommand({ Name: '/estate/dev/config/log_level' }))).Parameter!.Value,
      ).toBe('warn');
      sm2.destroy();
      ssm2.destroy();
      await second.stop();
    }));

  it('writes after each change, before answering', () =>
    withTempDir(async (dir) => {
      const dataFile = join(dir, 'secrets.json');
      const endpoint = await startLocal({ dataFile });
      const sm = secretsClient(endpoint);
      await sm.send(new CreateSecretCommand({ Name: 'estate/dev/redis', SecretString: randomValue() }));
      const onDisk = JSON.parse(await readFile(dataFile, 'utf8'));
      expect(Object.keys(onDisk.secrets)).toEqual(['estate/dev/redis']);
      sm.destroy();
      await endpoint.stop();
    }));

  it.each([
    ['not JSON', '{"format": "estate-secrets-local/1", "secrets": {'],
    [
      'the wrong shape',
      JSON.stringify({ format: 'estate-secrets-local/1', secrets: { a: { name: 1 } }, parameters: {} }),
    ],
    ['another format', JSON.stringify({ hello: 'world' })],
  ])('refuses to start on a data file that is %s and leaves it byte-identical', (_, content) =>
    withTempDir(async (dir) => {
      const dataFile = join(dir, 'secrets.json');
      await writeFile(dataFile, content);
      const error = await startLocal({ dataFile }).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(DataFileError);
      expect((error as Error).message).toContain(dataFile);
      expect(await readFile(dataFile, 'utf8')).toBe(content);
    }),
  );

  it('refuses an unreadable data file (a directory) with a DataFileError', () =>
    withTempDir(async (dir) => {
      const dataFile = join(dir, 'secrets.json');
      await mkdir(dataFile);
      await expect(startLocal({ dataFile })).rejects.toBeInstanceOf(DataFileError);
    }));
});
