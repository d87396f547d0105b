import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { resolveNames } from '@estate/secrets';
import { STATEMENT_IDS } from '@estate/secrets/policy';
import { type RotationEvent, start } from '@estate/secrets-local';
import { appManifest } from './support/manifests';
import { runCli, WORKSPACE } from './support/run-cli';

describe('estate-secrets policy, access-policy, rotate and usage', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'estate-cli-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('prints the backend IAM policy', async () => {
    const result = await runCli([
      'policy',
      '--service',
      'backend',
      '--env',
      'production',
      '--account-id',
      '123456789012',
      '--kms-key-arn',
      'arn:aws:kms:ap-northeast-2:123456789012:key/abc',
    ]);
    expect(result.code).toBe(0);
    const policy = JSON.parse(result.stdout) as { Statement: { Sid: string; Resource: string | string[] }[] };
    const secrets = policy.Statement.find((s) => s.Sid === STATEMENT_IDS.secrets)!.Resource as string[];
    expect(secrets).toHaveLength(6);
    expect(secrets).toContain(
      'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:estate/production/jwt-??????',
    );
    expect(policy.Statement.find((s) => s.Sid === STATEMENT_IDS.kms)!.Resource).toBe(
      'arn:aws:kms:ap-northeast-2:123456789012:key/abc',
    );
    expect(result.stdout).not.toContain('openai');
  });

  it('loads a manifest given by path, from any directory', async () => {
    const result = await runCli(
      [
        'policy',
        '--manifest',
        join(WORKSPACE, 'apps/etl/src/secrets.ts'),
        '--env',
        'dev',
        '--account-id',
        '123456789012',
        '--region',
        'eu-west-1',
      ],
      {},
      tmp,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:estate/dev/molit-??????',
    );
  });

  it('prints which role may read which secret for every service with --all', async () => {
    const result = await runCli(['policy', '--all', '--env', 'production']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('| name | ai-worker role | backend role | etl role |');
    expect(lines).toContain('| `estate/production/jwt` | - | read (+ previous) | - |');
    expect(lines).toContain('| `estate/production/segment` | - | read (optional) | - |');
    expect(lines).toContain('| `estate/production/openai` | read | - | - |');
    expect(lines).toContain('| `/estate/production/config/etl_regions` | - | - | read |');
    expect(lines).toContain('| `estate/production/orgs/*` | - | manage (runtime) | - |');
    const declared = new Set(
      (['backend', 'ai-worker', 'etl'] as const).flatMap((service) => {
        const names = resolveNames(appManifest(service), 'production');
        return [...names.secrets, ...names.runtime, ...names.parameters].map((n) => n.name);
      }),
    );
    expect(lines.filter((line) => line.includes('estate/production/')).length).toBe(declared.size);
  });

  it('writes the local access policy for every service under apps/', async () => {
    const out = join(tmp, 'policy', 'access.json');
    const result = await runCli(['access-policy', '--env', 'dev', '--out', out]);
    expect(result.code).toBe(0);
    const policy = JSON.parse(readFileSync(out, 'utf8')) as {
      admins: string[];
      principals: Record<string, unknown>;
    };
    expect(policy.admins).toEqual(['local-admin']);
    expect(Object.keys(policy.principals)).toEqual(['local-ai-worker', 'local-backend', 'local-etl']);
  });

  it.each([
    [['policy', '--service', 'backend', '--env', 'production'], /--account-id is required/],
    [
      ['policy', '--service', 'backend', '--env', 'prod', '--account-id', '123456789012'],
      /--env must be one of dev, staging, production/,
    ],
    [
      ['policy', '--service', 'billing', '--env', 'dev', '--account-id', '123456789012'],
      /--service billing: .*services: ai-worker, backend, etl/,
    ],
    [['policy', '--env', 'dev', '--account-id', '123456789012'], /--service \(or --manifest\) is required/],
    [['check', '--service', 'backend', '--env', 'dev', '--verbose'], /Unknown option '--verbose'/],
    [['seed', '--env', 'production'], /--env production needs --from/],
    [['rotate', '--env', 'dev'], /the secret group is required/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [[], /Usage: estate-secrets/],
  ])('exits 2 with a message naming the problem: %j', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('prints usage with --help and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['check', 'seed', 'policy', 'access-policy', 'rotate']) {
      expect(result.stdout).toContain(`  ${command} `);
    }
  });

  it('starts a rotation and prints the pending version id; says when rotation is not configured', async () => {
    const events: RotationEvent[] = [];
    let admin: SecretsManagerClient | undefined;
    const endpoint = await start({
      port: 0,
      quiet: true,
      rotationHandler: async (event) => {
        events.push(event);
        if (event.Step !== 'createSecret') return;
        await admin!.send(
          new PutSecretValueCommand({
            SecretId: event.SecretId,
            ClientRequestToken: event.ClientRequestToken,
            SecretString:
              '{"secret":"rotated-key-rotated-key-rotated-key-0001","issuer":"estate-dev","expiresIn":"15m"}',
            VersionStages: ['AWSPENDING'],
          }),
        );
      },
    });
    const bare = await start({ port: 0, quiet: true });
    admin = new SecretsManagerClient({
      endpoint: endpoint.url,
      region: 'ap-northeast-2',
      credentials: { accessKeyId: 'local-admin', secretAccessKey: 'local' },
    });
    try {
      await admin.send(new CreateSecretCommand({ Name: 'estate/dev/jwt', SecretString: '{}' }));
      const rotated = await runCli(['rotate', 'jwt', '--env', 'dev', '--json'], {
        AWS_ENDPOINT_URL: endpoint.url,
      });
      expect(rotated.stderr).toBe('');
      expect(rotated.code).toBe(0);
      const row = JSON.parse(rotated.stdout) as { name: string; versionId: string; stages: string };
      expect(row).toMatchObject({ name: 'estate/dev/jwt', stages: 'AWSPENDING' });
      expect(row.versionId).toBe(events[0]!.ClientRequestToken);
      expect(events.map((e) => e.Step)).toEqual(['createSecret', 'setSecret', 'testSecret', 'finishSecret']);
      expect(rotated.stdout).not.toContain('rotated-key');

      const bareAdmin = new SecretsManagerClient({
        endpoint: bare.url,
        region: 'ap-northeast-2',
        credentials: { accessKeyId: 'local-admin', secretAccessKey: 'local' },
      });
      await bareAdmin.send(new CreateSecretCommand({ Name: 'estate/dev/jwt', SecretString: '{}' }));
      bareAdmin.destroy();
      const unconfigured = await runCli(['rotate', 'jwt', '--env', 'dev'], { AWS_ENDPOINT_URL: bare.url });
      expect(unconfigured.code).toBe(1);
      expect(unconfigured.stderr).toMatch(
        /rotate estate\/dev\/jwt: InvalidRequestException: .*hint: is rotation configured/,
      );
    } finally {
      admin.destroy();
      await endpoint.stop();
      await bare.stop();
    }
  });
});
