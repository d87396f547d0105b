import { z } from 'zod';
import { ConfigurationError } from '../../src/errors';
import { defineSecrets, parameter, runtimeSecrets, secret } from '../../src/manifest';
import { iamPolicyFor, RUNTIME_SECRET_ACTIONS, STATEMENT_IDS } from '../../src/policy';
import { appManifest } from './manifests';

const account = '123456789012';
const region = 'ap-northeast-2';
const backend = appManifest('backend');

function statement(policy: ReturnType<typeof iamPolicyFor>, sid: string) {
  const found = policy.Statement.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
}

describe('iamPolicyFor', () => {
  const policy = iamPolicyFor(backend, { env: 'production', region, accountId: account });

  it('grants GetSecretValue and DescribeSecret on exactly the backend secrets, optional groups included', () => {
    const secrets = statement(policy, STATEMENT_IDS.secrets);
    expect(secrets.Action).toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']);
    expect([...(secrets.Resource as string[])].sort()).toEqual(
      ['database', 'jwt', 'rabbitmq', 'redis', 'segment', 'ses'].map(
        (group) =>
          `arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:estate/production/${group}-??????`,
      ),
    );
  });

  it('grants GetParameter(s) on exactly the backend parameters', () => {
    const parameters = statement(policy, STATEMENT_IDS.parameters);
    expect(parameters.Action).toEqual(['ssm:GetParameter', 'ssm:GetParameters']);
    expect(parameters.Resource).toEqual([
      'arn:aws:ssm:ap-northeast-2:123456789012:parameter/estate/production/config/log_level',
      'arn:aws:ssm:ap-northeast-2:123456789012:parameter/estate/production/config/allowed_origins',
    ]);
  });

  it('has no wildcard over estate/*, no other environment and no other service group', () => {
    const json = JSON.stringify(policy);
    expect(json).not.toMatch(/estate\/\*|estate\/production\/\*|secret:\*|secret:estate\/\*/);
    expect(json).not.toMatch(/estate\/(dev|staging)\//);
    for (const group of ['openai', 'kreb', 'molit']) expect(json).not.toContain(`/${group}`);
  });

  it('grants BatchGetSecretValue on "*" only, which reads nothing without GetSecretValue per secret', () => {
    const batch = statement(policy, STATEMENT_IDS.batch);
    expect(batch).toEqual({
      Sid: STATEMENT_IDS.batch,
      Effect: 'Allow',
      Action: ['secretsmanager:BatchGetSecretValue'],
      Resource: '*',
    });
    const everyStar = policy.Statement.filter((s) => s.Resource === '*').map((s) => s.Sid);
    // Without a key ARN the KMS statements are on "*" (still bound by kms:ViaService).
    expect(everyStar.sort()).toEqual(
      [STATEMENT_IDS.batch, STATEMENT_IDS.runtimeList, STATEMENT_IDS.kms, STATEMENT_IDS.runtimeKms].sort(),
    );
  });

  it('lets KMS decrypt only through Secrets Manager in the region', () => {
    const kms = statement(policy, STATEMENT_IDS.kms);
    expect(kms.Action).toEqual(['kms:Decrypt']);
    expect(kms.Resource).toBe('*');
    expect(kms.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 'secretsmanager.ap-northeast-2.amazonaws.com' },
    });

    const keyArn = 'arn:aws:kms:ap-northeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const withKey = iamPolicyFor(backend, {
      env: 'production',
      region,
      accountId: account,
      kmsKeyArn: keyArn,
      secureStringParameters: true,
    });
    const kmsWithKey = statement(withKey, STATEMENT_IDS.kms);
    expect(kmsWithKey.Resource).toBe(keyArn);
    expect(kmsWithKey.Condition).toEqual({
      StringEquals: {
        'kms:ViaService': ['secretsmanager.ap-northeast-2.amazonaws.com', 'ssm.ap-northeast-2.amazonaws.com'],
      },
    });
  });

  it('has stable statement ids and survives a JSON round trip', () => {
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement.map((s) => s.Sid)).toEqual([
      STATEMENT_IDS.secrets,
      STATEMENT_IDS.batch,
      STATEMENT_IDS.parameters,
      STATEMENT_IDS.runtime,
      STATEMENT_IDS.runtimeList,
      STATEMENT_IDS.runtimeKms,
      STATEMENT_IDS.kms,
    ]);
    for (const s of policy.Statement) expect(s.Sid).toMatch(/^[A-Za-z0-9]+$/);
    expect(JSON.parse(JSON.stringify(policy))).toEqual(policy);
    expect(iamPolicyFor(backend, { env: 'production', region, accountId: account })).toEqual(policy);
  });

  it('derives each service from its own manifest', () => {
    const worker = JSON.stringify(
      iamPolicyFor(appManifest('ai-worker'), { env: 'staging', region, accountId: account }),
    );
    expect(worker).toContain('secret:estate/staging/openai-??????');
    expect(worker).not.toContain('/jwt-');
    expect(worker).toContain('parameter/estate/staging/config/openai_model');
    const etl = JSON.stringify(
      iamPolicyFor(appManifest('etl'), { env: 'production', region, accountId: account }),
    );
    expect(etl).toContain('secret:estate/production/molit-??????');
    expect(etl).not.toContain('/redis-');
  });

  it('uses the partition of the region', () => {
    const china = iamPolicyFor(backend, { env: 'production', region: 'cn-north-1', accountId: account });
    expect(JSON.stringify(china)).toContain('arn:aws-cn:secretsmanager:cn-north-1:');
  });

  it('leaves out statements a manifest needs none for', () => {
    const parametersOnly = defineSecrets({
      service: 'tiny',
      secrets: {},
      parameters: { level: parameter('config/log_level', z.string(), { default: 'info' }) },
    });
    const policyOfTiny = iamPolicyFor(parametersOnly, { env: 'dev', region, accountId: account });
    expect(policyOfTiny.Statement.map((s) => s.Sid)).toEqual([STATEMENT_IDS.parameters]);
    const secretsOnly = defineSecrets({ service: 'tiny', secrets: { jwt: secret('jwt', z.object({})) } });
    expect(
      iamPolicyFor(secretsOnly, { env: 'dev', region, accountId: account }).Statement.map((s) => s.Sid),
    ).toEqual([STATEMENT_IDS.secrets, STATEMENT_IDS.batch, STATEMENT_IDS.kms]);
  });

  it('rejects a malformed account id or region, naming it', () => {
    expect(() => iamPolicyFor(backend, { env: 'production', region, accountId: '1234' })).toThrow(
      ConfigurationError,
    );
    expect(() => iamPolicyFor(backend, { env: 'production', region, accountId: '1234' })).toThrow(
      /account id/,
    );
    expect(() => iamPolicyFor(backend, { env: 'production', region: 'Seoul', accountId: account })).toThrow(
      /region/,
    );
  });

  describe('a runtime-managed prefix (backend: runtimeSecrets("orgs"))', () => {
    const kmsKeyArn = `arn:aws:kms:${region}:${account}:key/00000000-0000-0000-0000-000000000000`;
    const withKey = iamPolicyFor(backend, { env: 'production', region, accountId: account, kmsKeyArn });
    const orgs = `arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:estate/production/orgs/*`;

    it('grants exactly what RuntimeSecretStore calls, on estate/{env}/orgs/* only', () => {
      expect(statement(withKey, STATEMENT_IDS.runtime)).toEqual({
        Sid: 'ManageRuntimeSecrets',
        Effect: 'Allow',
        Action: [
          'secretsmanager:CreateSecret',
          'secretsmanager:PutSecretValue',
          'secretsmanager:GetSecretValue',
          'secretsmanager:DescribeSecret',
          'secretsmanager:DeleteSecret',
          'secretsmanager:TagResource',
        ],
        Resource: [orgs],
      });
      expect(RUNTIME_SECRET_ACTIONS).not.toContain('secretsmanager:PutResourcePolicy');
      expect(RUNTIME_SECRET_ACTIONS).not.toContain('secretsmanager:RotateSecret');
    });

    it('grants ListSecrets, on "*" as IAM requires, in a statement of its own', () => {
      expect(statement(withKey, STATEMENT_IDS.runtimeList)).toEqual({
        Sid: 'ListRuntimeSecrets',
        Effect: 'Allow',
        Action: ['secretsmanager:ListSecrets'],
        Resource: '*',
      });
    });

    it('lets KMS generate data keys only through Secrets Manager, for secrets under the prefix', () => {
      expect(statement(withKey, STATEMENT_IDS.runtimeKms)).toEqual({
        Sid: 'EncryptRuntimeSecretsThroughSecretsManager',
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey'],
        Resource: kmsKeyArn,
        Condition: {
          StringEquals: { 'kms:ViaService': 'secretsmanager.ap-northeast-2.amazonaws.com' },
          StringLike: { 'kms:EncryptionContext:SecretARN': orgs },
        },
      });
      expect(statement(withKey, STATEMENT_IDS.kms).Action).toEqual(['kms:Decrypt']);
    });

    it('never widens to estate/* or estate/{env}/*, and a service without a prefix gets none of it', () => {
      const wildcards = JSON.stringify(withKey).match(/secret:[^"]*\*/g) ?? [];
      expect(wildcards).toEqual([orgs.slice(orgs.indexOf('secret:')), orgs.slice(orgs.indexOf('secret:'))]);
      for (const service of ['ai-worker', 'etl'] as const) {
        const sids = iamPolicyFor(appManifest(service), {
          env: 'production',
          region,
          accountId: account,
        }).Statement.map((s) => s.Sid);
        expect(sids).not.toContain(STATEMENT_IDS.runtime);
        expect(sids).not.toContain(STATEMENT_IDS.runtimeList);
        expect(JSON.stringify(sids)).not.toContain('ListSecrets');
      }
    });

    it('covers every declared prefix and works for a service with nothing else', () => {
      const runtimeOnly = defineSecrets({
        service: 'tiny',
        secrets: {},
        runtime: { a: runtimeSecrets('orgs'), b: runtimeSecrets('tenants/keys') },
      });
      const tiny = iamPolicyFor(runtimeOnly, { env: 'dev', region, accountId: account });
      expect(tiny.Statement.map((s) => s.Sid)).toEqual([
        STATEMENT_IDS.runtime,
        STATEMENT_IDS.runtimeList,
        STATEMENT_IDS.runtimeKms,
        STATEMENT_IDS.kms,
      ]);
      expect(statement(tiny, STATEMENT_IDS.runtime).Resource).toEqual([
        'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:estate/dev/orgs/*',
        'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:estate/dev/tenants/keys/*',
      ]);
    });
  });
});
