import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import {
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { type AccessPolicy, type LocalEndpoint, PolicyError } from '../../src';
import {
  randomValue,
  rejectionOf,
  secretsClient,
  ssmClient,
  startLocal,
  withTempDir,
} from '../support/local-endpoint';

const policy: AccessPolicy = {
  admins: ['local-admin'],
  principals: {
    'local-backend': {
      service: 'backend',
      secrets: ['estate/dev/database', 'estate/dev/jwt'],
      parameters: ['/estate/dev/config/*'],
    },
    'local-etl': { service: 'etl', secrets: ['estate/dev/database'], parameters: [] },
    'local-integrations': {
      service: 'integrations',
      secrets: ['estate/dev/database'],
      parameters: [],
      manage: ['estate/dev/orgs/*'],
    },
  },
};

let endpoint: LocalEndpoint;
let admin: SecretsManagerClient;
let backend: SecretsManagerClient;
let adminSsm: SSMClient;
let backendSsm: SSMClient;
let databaseArn: string;

beforeAll(async () => {
  endpoint = await startLocal({ policy });
  admin = secretsClient(endpoint);
  backend = secretsClient(endpoint, { accessKeyId: 'local-backend' });
  adminSsm = ssmClient(endpoint);
  backendSsm = ssmClient(endpoint, { accessKeyId: 'local-backend' });
  databaseArn = (
    await admin.send(new CreateSecretCommand({ Name: 'estate/dev/database', SecretString: randomValue() }))
  ).ARN!;
  await admin.send(new CreateSecretCommand({ Name: 'estate/dev/openai', SecretString: randomValue() }));
  await adminSsm.send(
    new PutParameterCommand({ Name: '/estate/dev/config/log_level', Value: 'info', Type: 'String' }),
  );
  await adminSsm.send(
    new PutParameterCommand({ Name: '/estate/dev/features/beta', Value: 'on', Type: 'String' }),
  );
});

afterAll(async () => {
  for (const client of [admin, backend, adminSsm, backendSsm]) client.destroy();
  await endpoint.stop();
});

describe('with an access policy', () => {
  it('lets a principal read what it lists', async () => {
    const got = await backend.send(new GetSecretValueCommand({ SecretId: 'estate/dev/database' }));
    expect(got.ARN).toBe(databaseArn);
    const byArn = await backend.send(new GetSecretValueCommand({ SecretId: databaseArn }));
    expect(byArn.Name).toBe('estate/dev/database');
  });

  it('denies reading an unlisted secret with the AWS AccessDeniedException shape', async () => {
    const error = await rejectionOf(
      backend.send(new GetSecretValueCommand({ SecretId: 'estate/dev/openai' })),
    );
    expect(error.name).toBe('AccessDeniedException');
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400);
    expect(error.message).toMatch(
      /^User: arn:aws:iam::000000000000:user\/backend is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:ap-northeast-2:000000000000:secret:estate\/dev\/openai-[A-Za-z0-9]{6} because no identity-based policy allows the secretsmanager:GetSecretValue action$/,
    );
  });

  it('denies writes by a principal', async () => {
    const error = await rejectionOf(
      backend.send(
        new PutSecretValueCommand({ SecretId: 'estate/dev/database', SecretString: randomValue() }),
      ),
    );
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toContain('secretsmanager:PutSecretValue');
    const list = await rejectionOf(backend.send(new ListSecretsCommand({})));
    expect(list.name).toBe('AccessDeniedException');
  });

  it('answers UnrecognizedClientException for an access key id not in the policy', async () => {
    const stranger = secretsClient(endpoint, { accessKeyId: 'local-stranger' });
    const error = await rejectionOf(
      stranger.send(new GetSecretValueCommand({ SecretId: 'estate/dev/database' })),
    );
    stranger.destroy();
    expect(error.name).toBe('UnrecognizedClientException');
    expect(error.message).toBe('The security token included in the request is invalid.');
  });

  it('reports found, missing and denied ids of one BatchGetSecretValue separately', async () => {
    const result = await backend.send(
      new BatchGetSecretValueCommand({
        SecretIdList: ['estate/dev/database', 'estate/dev/jwt', 'estate/dev/openai'],
      }),
    );
    expect(result.SecretValues!.map((entry) => entry.Name)).toEqual(['estate/dev/database']);
    expect(result.Errors!.map((entry) => [entry.SecretId, entry.ErrorCode])).toEqual([
      ['estate/dev/jwt', 'ResourceNotFoundException'],
      ['estate/dev/openai', 'AccessDeniedException'],
    ]);
    expect(result.Errors![1]!.Message).toContain(
      'is not authorized to perform: secretsmanager:GetSecretValue',
    );
  });

  it('applies parameter grants to GetParameter, GetParameters and GetParametersByPath', async () => {
    const got = await backendSsm.send(new GetParameterCommand({ Name: '/estate/dev/config/log_level' }));
    expect(got.Parameter!.Value).toBe('info');
    const byPath = await backendSsm.send(
      new GetParametersByPathCommand({ Path: '/estate/dev/config', Recursive: true }),
    );
    expect(byPath.Parameters).toHaveLength(1);

    const denied = await rejectionOf(
      backendSsm.send(new GetParameterCommand({ Name: '/estate/dev/features/beta' })),
    );
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toBe(
      'User: arn:aws:iam::000000000000:user/backend is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:ap-northeast-2:000000000000:parameter/estate/dev/features/beta because no identity-based policy allows the ssm:GetParameter action',
    );
    const mixed = await rejectionOf(
      backendSsm.send(
        new GetParametersCommand({ Names: ['/estate/dev/config/log_level', '/estate/dev/features/beta'] }),
      ),
    );
    expect(mixed.name).toBe('AccessDeniedException');
    const widePath = await rejectionOf(
      backendSsm.send(new GetParametersByPathCommand({ Path: '/estate/dev' })),
    );
    expect(widePath.name).toBe('AccessDeniedException');
  });

  it('loads the policy from a JSON file and refuses a malformed one', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'policy.json');
      await writeFile(file, JSON.stringify(policy));
      const fromFile = await startLocal({ policy: file });
      const client = new SecretsManagerClient({
        endpoint: fromFile.url,
        region: 'ap-northeast-2',
        credentials: { accessKeyId: 'local-etl', secretAccessKey: 'local' },
      });
      const error = await rejectionOf(client.send(new GetSecretValueCommand({ SecretId: 'estate/dev/jwt' })));
      expect(error.name).toBe('AccessDeniedException');
      client.destroy();
      await fromFile.stop();

      const bad = join(dir, 'bad.json');
      await writeFile(bad, JSON.stringify({ principals: { x: { secrets: 'all' } } }));
      await expect(startLocal({ policy: bad })).rejects.toBeInstanceOf(PolicyError);
    });
  });
});

describe('a principal with a manage prefix', () => {
  let manager: SecretsManagerClient;
  beforeAll(() => {
    manager = secretsClient(endpoint, { accessKeyId: 'local-integrations' });
  });
  afterAll(() => manager.destroy());

  const name = (suffix: string) =>
    `estate/dev/orgs/${suffix}-${Math.random().toString(36).slice(2, 8)}/slack`;

  it('creates, writes, reads, describes, tags and deletes names under its prefix', async () => {
    const secretName = name('org');
    const first = randomValue();
    const created = await manager.send(
      new CreateSecretCommand({ Name: secretName, SecretString: first, Tags: [{ Key: 'org', Value: 'a' }] }),
    );
    const second = randomValue();
    await manager.send(new PutSecretValueCommand({ SecretId: secretName, SecretString: second }));
    const got = await manager.send(new GetSecretValueCommand({ SecretId: created.ARN! }));
    expect(got.SecretString).toBe(second);
    await manager.send(
      new TagResourceCommand({ SecretId: secretName, Tags: [{ Key: 'expires', Value: '2030-01-01' }] }),
    );
    const described = await manager.send(new DescribeSecretCommand({ SecretId: secretName }));
    expect(described.Tags?.map((tag) => tag.Key).sort()).toEqual(['expires', 'org']);
    const deleted = await manager.send(
      new DeleteSecretCommand({ SecretId: secretName, RecoveryWindowInDays: 7 }),
    );
    expect(deleted.DeletionDate).toBeInstanceOf(Date);
  });

  it('is denied every write outside its prefix, and the prefix itself is not a name under it', async () => {
    for (const outside of [
      'estate/dev/jwt',
      'estate/dev/orgs',
      'estate/dev/orgsx/a',
      'estate/staging/orgs/a/b',
    ]) {
      const error = await rejectionOf(
        manager.send(new CreateSecretCommand({ Name: outside, SecretString: randomValue() })),
      );
      expect({ outside, name: error.name }).toEqual({ outside, name: 'AccessDeniedException' });
      expect(error.message).toContain(
        'user/integrations is not authorized to perform: secretsmanager:CreateSecret',
      );
    }
    const put = await rejectionOf(
      manager.send(new PutSecretValueCommand({ SecretId: databaseArn, SecretString: randomValue() })),
    );
    expect(put.name).toBe('AccessDeniedException');
    const del = await rejectionOf(manager.send(new DeleteSecretCommand({ SecretId: 'estate/dev/database' })));
    expect(del.name).toBe('AccessDeniedException');
    const tag = await rejectionOf(
      manager.send(
        new TagResourceCommand({ SecretId: 'estate/dev/openai', Tags: [{ Key: 'k', Value: 'v' }] }),
      ),
    );
    expect(tag.name).toBe('AccessDeniedException');
    const read = await rejectionOf(
      manager.send(new GetSecretValueCommand({ SecretId: 'estate/dev/openai' })),
    );
    expect(read.name).toBe('AccessDeniedException');
  });

  it('keeps actions a runtime prefix does not grant (UpdateSecret, RestoreSecret) for admins', async () => {
    const secretName = name('admin-only');
    await manager.send(new CreateSecretCommand({ Name: secretName, SecretString: randomValue() }));
    const update = await rejectionOf(
      manager.send(new UpdateSecretCommand({ SecretId: secretName, Description: 'x' })),
    );
    expect(update.name).toBe('AccessDeniedException');
    await manager.send(new DeleteSecretCommand({ SecretId: secretName, RecoveryWindowInDays: 7 }));
    const restore = await rejectionOf(manager.send(new RestoreSecretCommand({ SecretId: secretName })));
    expect(restore.name).toBe('AccessDeniedException');
  });

  it('may list secret names, unfiltered as with ListSecrets on "*", but reads stay as listed', async () => {
    const listed = await manager.send(
      new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['estate/dev/'] }] }),
    );
    const names = listed.SecretList!.map((entry) => entry.Name);
    expect(names).toEqual(expect.arrayContaining(['estate/dev/database', 'estate/dev/openai']));
    const got = await manager.send(new GetSecretValueCommand({ SecretId: 'estate/dev/database' }));
    expect(got.Name).toBe('estate/dev/database');
  });

  it('refuses a manage entry that is not a prefix ending in "/*"', async () => {
    for (const manage of [['*'], ['estate/dev/orgs'], ['estate/*/orgs/*']]) {
      await expect(
        startLocal({ policy: { principals: { p: { secrets: [], parameters: [], manage } } } }),
      ).rejects.toBeInstanceOf(PolicyError);
    }
  });
});
