import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { localAccessPolicy } from '@estate/secrets/policy';
import { type LocalEndpoint, start } from '@estate/secrets-local';
import { appManifest } from './support/manifests';
import { runCli } from './support/run-cli';

describe('estate-secrets check', () => {
  let endpoint: LocalEndpoint;
  let admin: SecretsManagerClient;
  let env: Record<string, string>;

  beforeAll(async () => {
    endpoint = await start({ port: 0, quiet: true });
    env = { AWS_ENDPOINT_URL: endpoint.url };
    admin = new SecretsManagerClient({
      endpoint: endpoint.url,
      region: 'ap-northeast-2',
      credentials: { accessKeyId: 'local-admin', secretAccessKey: 'local' },
    });
    const seeded = await runCli(['seed', '--env', 'dev'], env);
    expect(seeded.code).toBe(0);
  });
  afterAll(async () => {
    admin.destroy();
    await endpoint.stop();
  });

  it('passes after seed, with a row per secret and parameter and no value', async () => {
    const result = await runCli(['check', '--service', 'backend', '--env', 'dev'], env);
    expect(result.stderr).toMatch(/all 8 secrets and parameters load/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^key\s+name\s+status\s+version id\s+problem/);
    expect(result.stdout).toMatch(/jwt\s+estate\/dev\/jwt\s+ok\s+[0-9a-f-]{36}/);
    expect(result.stdout).toMatch(/segment\s+estate\/dev\/segment\s+absent \(optional\)/);
    expect(result.stdout).toMatch(/logLevel\s+\/estate\/dev\/config\/log_level\s+ok/);
  });

  it('talks to the endpoint given by --endpoint when no AWS_ENDPOINT_URL is set', async () => {
    const result = await runCli([
      'check',
      '--service',
      'backend',
      '--env',
      'dev',
      '--endpoint',
      endpoint.url,
    ]);
    expect(result.stderr).toMatch(/all 8 secrets and parameters load/);
    expect(result.code).toBe(0);
  });

  it('prints the same rows as JSON with --json', async () => {
    const result = await runCli(['check', '--service', 'backend', '--env', 'dev', '--json'], env);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as { key: string; status: string }[];
    expect(rows.map((r) => r.key)).toEqual([
      'database',
      'redis',
      'rabbitmq',
      'jwt',
      'ses',
      'segment',
      'logLevel',
      'allowedOrigins',
    ]);
  });

  it('fails with exit 1 naming the group and field of a malformed secret, never its value', async () => {
    await admin.send(
      new PutSecretValueCommand({
        SecretId: 'estate/dev/jwt',
        SecretString: '{"secret":"short-jwt-key","issuer":"estate-dev","expiresIn":"15m"}',
      }),
    );
    try {
      const result = await runCli(['check', '--service', 'backend', '--env', 'dev'], env);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/estate\/dev\/jwt secret\s+FAIL/);
      expect(result.stdout).toContain('32 bytes');
      expect(result.stdout + result.stderr).not.toContain('short-jwt-key');
    } finally {
      await runCli(['seed', '--env', 'dev', '--force-regenerate'], env);
    }
  });

  it('fails naming AccessDeniedException and the action when the policy leaves a group out', async () => {
    const policy = localAccessPolicy([appManifest('backend')], 'dev');
    const backend = policy.principals['local-backend']!;
    backend.secrets = backend.secrets.filter((name) => name !== 'estate/dev/ses');
    const guarded = await start({ port: 0, quiet: true, policy });
    try {
      const guardedEnv = { AWS_ENDPOINT_URL: guarded.url };
      expect((await runCli(['seed', '--env', 'dev'], guardedEnv)).code).toBe(0);
      const result = await runCli(['check', '--service', 'backend', '--env', 'dev', '--json'], {
        ...guardedEnv,
        AWS_ACCESS_KEY_ID: 'local-backend',
      });
      expect(result.code).toBe(1);
      const rows = JSON.parse(result.stdout) as {
        name: string;
        status: string;
        problem?: string;
        hint?: string;
      }[];
      const failed = rows.filter((r) => r.status === 'FAIL');
      expect(failed.map((r) => r.name)).toEqual(['estate/dev/ses']);
      expect(`${failed[0]!.problem} ${failed[0]!.hint}`).toMatch(/AccessDeniedException/);
      expect(`${failed[0]!.problem} ${failed[0]!.hint}`).toMatch(/secretsmanager:GetSecretValue/);
    } finally {
      await guarded.stop();
    }
  });
});
