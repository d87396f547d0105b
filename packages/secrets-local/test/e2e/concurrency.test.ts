import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
} from '@aws-sdk/client-secrets-manager';
import { randomValue, secretsClient, startLocal, withTempDir } from '../support/local-endpoint';

describe('concurrent PutSecretValue on one secret', () => {
  it('leaves a consistent version history, in memory and on disk', () =>
    withTempDir(async (dir) => {
      const dataFile = join(dir, 'secrets.json');
      const endpoint = await startLocal({ dataFile });
      const client = secretsClient(endpoint);
      const created = await client.send(
        new CreateSecretCommand({ Name: 'estate/dev/database', SecretString: randomValue() }),
      );

      const puts = await Promise.all(
        Array.from({ length: 20 }, () =>
          client.send(
            new PutSecretValueCommand({ SecretId: 'estate/dev/database', SecretString: randomValue() }),
          ),
        ),
      );
      const expected = [created.VersionId!, ...puts.map((put) => put.VersionId!)].sort();

      const listed = await client.send(
        new ListSecretVersionIdsCommand({ SecretId: 'estate/dev/database', IncludeDeprecated: true }),
      );
      expect(listed.Versions!.map((version) => version.VersionId!).sort()).toEqual(expected);
      const stages = listed.Versions!.flatMap((version) => version.VersionStages ?? []);
      expect(stages.filter((stage) => stage === 'AWSCURRENT')).toHaveLength(1);
      expect(stages.filter((stage) => stage === 'AWSPREVIOUS')).toHaveLength(1);

      const described = await client.send(new DescribeSecretCommand({ SecretId: 'estate/dev/database' }));
      expect(Object.keys(described.VersionIdsToStages!)).toHaveLength(2);

      client.destroy();
      await endpoint.stop();
      const onDisk = JSON.parse(await readFile(dataFile, 'utf8'));
      const versionIds = onDisk.secrets['estate/dev/database'].versions.map(
        (version: { versionId: string }) => version.versionId,
      );
      expect(versionIds.sort()).toEqual(expected);
    }));
});
