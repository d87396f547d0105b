import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { catalog } from '@estate/secrets/catalog';
import { runTypeScript as runFromSource, TEST_REGION } from '@estate/testing';
import {
  createSecret,
  enableRotation,
  type RotatorEndpoint,
  stagesOf,
  useRotatorEndpoint,
  valueAt,
} from '../support/secrets';

const WORKSPACE = join(__dirname, '../../../..');
const runTypeScript = (entry: string, args: string[], env: Record<string, string>) =>
  runFromSource(entry, args, { cwd: WORKSPACE, env });

const JWT = 'estate/dev/jwt';
const ESTATE_SECRETS = join(WORKSPACE, 'packages/secrets-cli/src/main.ts');
const ROTATOR = join(WORKSPACE, 'apps/secrets-rotator/src/main.ts');

let local: RotatorEndpoint;
beforeEach(async () => {
  local = await useRotatorEndpoint();
});
afterEach(() => local.cleanup());

describe('command lines', () => {
  it('`estate-secrets rotate jwt --env dev` against an endpoint wired to the rotator moves AWSCURRENT and keeps the old key as AWSPREVIOUS', async () => {
    const original = catalog.jwt.dev();
    const v0 = await createSecret(local.client, JWT, original);

    const result = await runTypeScript(ESTATE_SECRETS, ['rotate', 'jwt', '--env', 'dev', '--json'], {
      AWS_ENDPOINT_URL: local.target.endpoint.url,
    });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const row = JSON.parse(result.stdout) as {
      name: string;
      versionId: string;
      stages: string;
      lastRotated: string;
    };
    expect(row).toMatchObject({ name: JWT, stages: 'AWSCURRENT' });
    expect(row.lastRotated).not.toBe('-');
    expect(await stagesOf(local.client, JWT)).toEqual({
      [row.versionId]: ['AWSCURRENT'],
      [v0]: ['AWSPREVIOUS'],
    });
    expect(await valueAt(local.client, JWT, 'AWSPREVIOUS')).toEqual(original);
    const rotated = await valueAt(local.client, JWT, 'AWSCURRENT');
    expect(rotated.secret).not.toBe(original.secret);
    expect(result.stdout).not.toContain(String(rotated.secret));
  });

  it('`estate-secrets-rotator <secret>` runs the four steps against any endpoint; a refused step exits 1 naming the error', async () => {
    const original = catalog.jwt.dev();
    const v0 = await createSecret(local.client, JWT, original);
    const env = { AWS_ENDPOINT_URL_SECRETS_MANAGER: local.target.endpoint.url };

    const disabled = await runTypeScript(ROTATOR, [JWT, '--quiet'], env);
    expect(disabled.code).toBe(1);
    expect(disabled.stderr).toMatch(
      /createSecret failed for estate\/dev\/jwt .*RotationDisabledError: .*not enabled/,
    );

    await enableRotation(local.client, JWT);
    const done = await runTypeScript(ROTATOR, [JWT, '--token', '5d0c4c3e-8f4e-4b53-9a52-3c3f1e0f7a10'], env);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(await stagesOf(local.client, JWT)).toEqual({
      '5d0c4c3e-8f4e-4b53-9a52-3c3f1e0f7a10': ['AWSCURRENT'],
      [v0]: ['AWSPREVIOUS'],
    });
    // Log lines name steps and versions; never a key.
    const rotated = await valueAt(local.client, JWT, 'AWSCURRENT');
    expect(done.stdout).toContain('finishSecret: done');
    expect(done.stdout).not.toContain(String(rotated.secret));
    expect(done.stdout).not.toContain(original.secret);

    const usage = await runTypeScript(ROTATOR, ['--step', 'rotateEverything', JWT], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--step must be one of createSecret, setSecret, testSecret, finishSecret/);
  });

  it('`estate-secrets-local --rotator apps/secrets-rotator/...` (how a dev endpoint runs it) rotates on `estate-secrets rotate`', async () => {
    const endpoint = spawn(
      process.execPath,
      [
        '--conditions=estate-source',
        '--import',
        'tsx',
        join(WORKSPACE, 'packages/secrets-local/src/cli.ts'),
        '--port',
        '0',
        '--quiet',
        '--rotator',
        './apps/secrets-rotator/src/local.ts',
      ],
      { cwd: WORKSPACE, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise((resolve) => endpoint.once('exit', resolve));
    let stdout = '';
    endpoint.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    let client: SecretsManagerClient | undefined;
    try {
      const deadline = Date.now() + 20_000;
      let url: string | undefined;
      while (!url && Date.now() < deadline && endpoint.exitCode === null) {
        url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(url).toBeDefined();
      client = new SecretsManagerClient({
        endpoint: url,
        region: TEST_REGION,
        credentials: { accessKeyId: 'local-admin', secretAccessKey: 'local' },
      });
      const original = catalog.jwt.dev();
      const v0 = await createSecret(client, JWT, original);
      const result = await runTypeScript(ESTATE_SECRETS, ['rotate', 'jwt', '--env', 'dev', '--json'], {
        AWS_ENDPOINT_URL: url!,
      });
      expect(result.stderr).toBe('');
      const row = JSON.parse(result.stdout) as { versionId: string; stages: string };
      expect(row.stages).toBe('AWSCURRENT');
      expect(await stagesOf(client, JWT)).toEqual({ [row.versionId]: ['AWSCURRENT'], [v0]: ['AWSPREVIOUS'] });
    } finally {
      client?.destroy();
      endpoint.kill('SIGTERM');
      await exited;
    }
  });
});
