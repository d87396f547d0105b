import { randomUUID } from 'node:crypto';
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  type SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { LocalEndpoint } from '../../src';
import { randomValue, rejectionOf, secretsClient, startLocal, uniqueName } from '../support/local-endpoint';

let endpoint: LocalEndpoint;
let client: SecretsManagerClient;

beforeAll(async () => {
  endpoint = await startLocal();
  client = secretsClient(endpoint);
});

afterAll(async () => {
  client.destroy();
  await endpoint.stop();
});

async function createSecret(value = randomValue()) {
  const name = uniqueName('estate/test/app');
  const created = await client.send(new CreateSecretCommand({ Name: name, SecretString: value }));
  return { name, value, arn: created.ARN!, versionId: created.VersionId! };
}

describe('CreateSecret and GetSecretValue', () => {
  it('creates a secret with an AWS-shaped ARN and reads it back by name, full ARN and partial ARN', async () => {
    const { name, value, arn, versionId } = await createSecret();
    expect(arn).toMatch(
      new RegExp(`^arn:aws:secretsmanager:ap-northeast-2:000000000000:secret:${name}-[A-Za-z0-9]{6}$`),
    );
    for (const secretId of [name, arn, arn.slice(0, -7)]) {
      const got = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      expect(got).toMatchObject({ ARN: arn, Name: name, SecretString: value, VersionId: versionId });
      expect(got.VersionStages).toEqual(['AWSCURRENT']);
      expect(got.CreatedDate).toBeInstanceOf(Date);
    }
  });

  it('stores binary values base64 on the wire and answers them as bytes', async () => {
    const name = uniqueName('estate/test/binary');
    const bytes = Buffer.from(randomValue(), 'hex');
    await client.send(new CreateSecretCommand({ Name: name, SecretBinary: bytes }));
    const got = await client.send(new GetSecretValueCommand({ SecretId: name }));
    expect(Buffer.from(got.SecretBinary!)).toEqual(bytes);
    expect(got.SecretString).toBeUndefined();
  });

  it('answers ResourceNotFoundException for an unknown secret', async () => {
    const error = await rejectionOf(
      client.send(new GetSecretValueCommand({ SecretId: uniqueName('missing') })),
    );
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe("Secrets Manager can't find the specified secret.");
  });

  it('answers ResourceExistsException for an existing name, and is idempotent for a retried token', async () => {
    const name = uniqueName('estate/test/dup');
    const token = randomUUID();
    const value = randomValue();
    const first = await client.send(
      new CreateSecretCommand({ Name: name, SecretString: value, ClientRequestToken: token }),
    );
    const retried = await client.send(
      new CreateSecretCommand({ Name: name, SecretString: value, ClientRequestToken: token }),
    );
    expect(retried.VersionId).toBe(first.VersionId);
    const error = await rejectionOf(
      client.send(new CreateSecretCommand({ Name: name, SecretString: randomValue() })),
    );
    expect(error.name).toBe('ResourceExistsException');
  });

  it('rejects a name with characters Secrets Manager does not allow', async () => {
    const error = await rejectionOf(
      client.send(new CreateSecretCommand({ Name: 'bad name?', SecretString: 'x' })),
    );
    expect(error.name).toBe('ValidationException');
  });
});

describe('PutSecretValue and version stages', () => {
  it('moves AWSCURRENT to the new version and AWSPREVIOUS to the old one, twice', async () => {
    const { name, versionId: v1 } = await createSecret();
    const second = randomValue();
    const put2 = await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: second }));
    expect(put2.VersionStages).toEqual(['AWSCURRENT']);
    const third = randomValue();
    const put3 = await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: third }));

    const current = await client.send(new GetSecretValueCommand({ SecretId: name }));
    const previous = await client.send(
      new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' }),
    );
    expect(current).toMatchObject({ VersionId: put3.VersionId, SecretString: third });
    expect(previous).toMatchObject({ VersionId: put2.VersionId, SecretString: second });

    const described = await client.send(new DescribeSecretCommand({ SecretId: name }));
    expect(described.VersionIdsToStages).toEqual({
      [put3.VersionId!]: ['AWSCURRENT'],
      [put2.VersionId!]: ['AWSPREVIOUS'],
    });
    const listed = await client.send(
      new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }),
    );
    expect(listed.Versions!.map((version) => version.VersionId).sort()).toEqual(
      [v1, put2.VersionId, put3.VersionId].sort(),
    );
    const withoutDeprecated = await client.send(new ListSecretVersionIdsCommand({ SecretId: name }));
    expect(withoutDeprecated.Versions).toHaveLength(2);
  });

  it('is idempotent by ClientRequestToken and refuses a different value for the same token', async () => {
    const { name } = await createSecret();
    const token = randomUUID();
    const value = randomValue();
    const first = await client.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: value, ClientRequestToken: token }),
    );
    const again = await client.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: value, ClientRequestToken: token }),
    );
    expect(again.VersionId).toBe(first.VersionId);
    const versions = await client.send(
      new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }),
    );
    expect(versions.Versions).toHaveLength(2);

    const error = await rejectionOf(
      client.send(
        new PutSecretValueCommand({ SecretId: name, SecretString: randomValue(), ClientRequestToken: token }),
      ),
    );
    expect(error.name).toBe('ResourceExistsException');
  });

  it('attaches only the given VersionStages (AWSPENDING) and reads by VersionId and stage', async () => {
    const { name, versionId: current } = await createSecret();
    const pendingValue = randomValue();
    const pending = await client.send(
      new PutSecretValueCommand({
        SecretId: name,
        SecretString: pendingValue,
        VersionStages: ['AWSPENDING'],
      }),
    );
    expect(pending.VersionStages).toEqual(['AWSPENDING']);
    expect((await client.send(new GetSecretValueCommand({ SecretId: name }))).VersionId).toBe(current);
    const byStage = await client.send(
      new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPENDING' }),
    );
    expect(byStage.SecretString).toBe(pendingValue);
    const byId = await client.send(
      new GetSecretValueCommand({ SecretId: name, VersionId: pending.VersionId }),
    );
    expect(byId.SecretString).toBe(pendingValue);
    const mismatch = await rejectionOf(
      client.send(
        new GetSecretValueCommand({
          SecretId: name,
          VersionId: pending.VersionId,
          VersionStage: 'AWSCURRENT',
        }),
      ),
    );
    expect(mismatch.name).toBe('InvalidRequestException');
  });
});

describe('UpdateSecretVersionStage', () => {
  it('moves AWSCURRENT with RemoveFromVersionId and makes the old current AWSPREVIOUS', async () => {
    const { name, versionId: v1 } = await createSecret();
    const pending = await client.send(
      new PutSecretValueCommand({
        SecretId: name,
        SecretString: randomValue(),
        VersionStages: ['AWSPENDING'],
      }),
    );
    const refused = await rejectionOf(
      client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: name,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: pending.VersionId,
        }),
      ),
    );
    expect(refused.name).toBe('InvalidParameterException');

    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: name,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: pending.VersionId,
        RemoveFromVersionId: v1,
      }),
    );
    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: name,
        VersionStage: 'AWSPENDING',
        RemoveFromVersionId: pending.VersionId,
      }),
    );
    const described = await client.send(new DescribeSecretCommand({ SecretId: name }));
    expect(described.VersionIdsToStages).toEqual({
      [pending.VersionId!]: ['AWSCURRENT'],
      [v1]: ['AWSPREVIOUS'],
    });
  });
});

describe('UpdateSecret, TagResource, UntagResource, DescribeSecret', () => {
  it('updates metadata, adds a version for a new value, and manages tags', async () => {
    const { name, arn } = await createSecret();
    await client.send(
      new UpdateSecretCommand({
        SecretId: name,
        Description: 'database credentials',
        KmsKeyId: 'alias/estate',
      }),
    );
    const newValue = randomValue();
    const updated = await client.send(new UpdateSecretCommand({ SecretId: arn, SecretString: newValue }));
    expect(updated.VersionId).toBeDefined();
    await client.send(
      new TagResourceCommand({
        SecretId: name,
        Tags: [
          { Key: 'service', Value: 'backend' },
          { Key: 'env', Value: 'dev' },
        ],
      }),
    );
    await client.send(new UntagResourceCommand({ SecretId: name, TagKeys: ['env'] }));

    const described = await client.send(new DescribeSecretCommand({ SecretId: name }));
    expect(described).toMatchObject({
      ARN: arn,
      Name: name,
      Description: 'database credentials',
      KmsKeyId: 'alias/estate',
      RotationEnabled: false,
      Tags: [{ Key: 'service', Value: 'backend' }],
    });
    expect(described.CreatedDate).toBeInstanceOf(Date);
    expect(described.LastChangedDate).toBeInstanceOf(Date);
    expect((await client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe(newValue);
  });
});

describe('DeleteSecret and RestoreSecret', () => {
  it('schedules deletion, hides the value, refuses re-creation, and restores', async () => {
    const { name, value } = await createSecret();
    const deleted = await client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
    const days = (deleted.DeletionDate!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);

    const read = await rejectionOf(client.send(new GetSecretValueCommand({ SecretId: name })));
    expect(read.name).toBe('InvalidRequestException');
    expect(read.message).toBe(
      "You can't perform this operation on the secret because it was marked for deletion.",
    );
    expect((await client.send(new DescribeSecretCommand({ SecretId: name }))).DeletedDate).toBeInstanceOf(
      Date,
    );
    const recreate = await rejectionOf(
      client.send(new CreateSecretCommand({ Name: name, SecretString: 'x' })),
    );
    expect(recreate.name).toBe('InvalidRequestException');

    await client.send(new RestoreSecretCommand({ SecretId: name }));
    expect((await client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe(value);
  });

  it('removes a secret at once with ForceDeleteWithoutRecovery, and validates the window', async () => {
    const { name } = await createSecret();
    const badWindow = await rejectionOf(
      client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 3 })),
    );
    expect(badWindow.name).toBe('InvalidParameterException');
    await client.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
    const read = await rejectionOf(client.send(new GetSecretValueCommand({ SecretId: name })));
    expect(read.name).toBe('ResourceNotFoundException');
    await client.send(new CreateSecretCommand({ Name: name, SecretString: randomValue() }));
  });
});

describe('BatchGetSecretValue', () => {
  it('answers found secrets in SecretValues and missing ones in Errors', async () => {
    const a = await createSecret();
    const b = await createSecret();
    const missing = uniqueName('estate/test/missing');
    const result = await client.send(
      new BatchGetSecretValueCommand({ SecretIdList: [a.name, b.arn, missing] }),
    );
    expect(result.SecretValues!.map((entry) => entry.SecretString).sort()).toEqual([a.value, b.value].sort());
    expect(result.Errors).toEqual([
      {
        SecretId: missing,
        ErrorCode: 'ResourceNotFoundException',
        Message: "Secrets Manager can't find the specified secret.",
      },
    ]);
  });

  it('rejects more than 20 ids with a ValidationException', async () => {
    const ids = Array.from({ length: 21 }, (_, index) => `estate/test/id-${index}`);
    const error = await rejectionOf(client.send(new BatchGetSecretValueCommand({ SecretIdList: ids })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain(
      "at 'secretIdList' failed to satisfy constraint: Member must have length less than or equal to 20",
    );
  });

  it('pages through Filters with MaxResults and NextToken', async () => {
    const prefix = uniqueName('estate/batch');
    const names = [];
    for (let index = 0; index < 5; index += 1) {
      const name = `${prefix}/s${index}`;
      names.push(name);
      await client.send(new CreateSecretCommand({ Name: name, SecretString: randomValue() }));
    }
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const result = await client.send(
        new BatchGetSecretValueCommand({
          Filters: [{ Key: 'name', Values: [prefix] }],
          MaxResults: 2,
          NextToken: nextToken,
        }),
      );
      expect(result.SecretValues!.length).toBeLessThanOrEqual(2);
      seen.push(...result.SecretValues!.map((entry) => entry.Name!));
      nextToken = result.NextToken;
    } while (nextToken);
    expect(seen).toEqual(names);
  });

  it('needs exactly one of SecretIdList and Filters', async () => {
    const error = await rejectionOf(client.send(new BatchGetSecretValueCommand({})));
    expect(error.name).toBe('InvalidParameterException');
  });
});

describe('ListSecrets and ListSecretVersionIds paging', () => {
  it('pages ListSecrets with MaxResults and NextToken, filtered by name prefix', async () => {
    const prefix = uniqueName('estate/list');
    const names = [];
    for (let index = 0; index < 7; index += 1) {
      names.push(`${prefix}/s${index}`);
      await client.send(
        new CreateSecretCommand({ Name: `${prefix}/s${index}`, SecretString: randomValue() }),
      );
    }
    const pages: string[][] = [];
    let nextToken: string | undefined;
    do {
      const result = await client.send(
        new ListSecretsCommand({
          Filters: [{ Key: 'name', Values: [prefix] }],
          MaxResults: 3,
          NextToken: nextToken,
        }),
      );
      pages.push(result.SecretList!.map((entry) => entry.Name!));
      nextToken = result.NextToken;
    } while (nextToken);
    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(names);

    const invalid = await rejectionOf(client.send(new ListSecretsCommand({ NextToken: 'not-a-token' })));
    expect(invalid.name).toBe('InvalidNextTokenException');
  });

  it('hides secrets scheduled for deletion unless IncludePlannedDeletion', async () => {
    const prefix = uniqueName('estate/planned');
    await client.send(new CreateSecretCommand({ Name: `${prefix}/kept`, SecretString: randomValue() }));
    await client.send(new CreateSecretCommand({ Name: `${prefix}/gone`, SecretString: randomValue() }));
    await client.send(new DeleteSecretCommand({ SecretId: `${prefix}/gone` }));
    const filters = [{ Key: 'name' as const, Values: [prefix] }];
    const visible = await client.send(new ListSecretsCommand({ Filters: filters }));
    expect(visible.SecretList!.map((entry) => entry.Name)).toEqual([`${prefix}/kept`]);
    const all = await client.send(new ListSecretsCommand({ Filters: filters, IncludePlannedDeletion: true }));
    expect(all.SecretList).toHaveLength(2);
  });

  it('pages ListSecretVersionIds newest first', async () => {
    const { name, versionId: first } = await createSecret();
    for (let index = 0; index < 4; index += 1) {
      await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: randomValue() }));
    }
    const ids: string[] = [];
    let nextToken: string | undefined;
    do {
      const result = await client.send(
        new ListSecretVersionIdsCommand({
          SecretId: name,
          IncludeDeprecated: true,
          MaxResults: 2,
          NextToken: nextToken,
        }),
      );
      ids.push(...result.Versions!.map((version) => version.VersionId!));
      nextToken = result.NextToken;
    } while (nextToken);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    expect(ids[4]).toBe(first);
  });
});
