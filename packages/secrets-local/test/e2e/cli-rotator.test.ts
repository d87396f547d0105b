import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { ADMIN, REGION } from '../support/local-endpoint';

const PACKAGE_DIR = join(__dirname, '..', '..');

function runCli(args: string[]) {
  const child = spawn(
    process.execPath,
    ['--conditions=estate-source', '--import', 'tsx', 'src/cli.ts', ...args],
    {
      cwd: PACKAGE_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

describe('estate-secrets-local --rotator', () => {
  it('runs RotateSecret through the module given, loaded from the working directory', async () => {
    const cli = runCli(['--port', '0', '--quiet', '--rotator', './test/fixtures/rotator.js']);
    try {
      const deadline = Date.now() + 20_000;
      let url: string | undefined;
      while (!url && Date.now() < deadline && cli.child.exitCode === null) {
        url = /listening on (http:\/\/\S+)/.exec(cli.stdout())?.[1];
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(cli.stdout()).toContain('rotation through ./test/fixtures/rotator.js');
      const client = new SecretsManagerClient({
        endpoint: url,
        region: REGION,
        credentials: { accessKeyId: ADMIN, secretAccessKey: 'local' },
      });
      await client.send(new CreateSecretCommand({ Name: 'estate/dev/jwt', SecretString: '{"before":true}' }));
      const rotated = await client.send(new RotateSecretCommand({ SecretId: 'estate/dev/jwt' }));
      const current = await client.send(new GetSecretValueCommand({ SecretId: 'estate/dev/jwt' }));
      expect(current.VersionId).toBe(rotated.VersionId);
      expect(JSON.parse(current.SecretString!)).toEqual({ rotatedBy: 'fixture' });
      client.destroy();
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
  });

  it('exits 1 when the module has no createRotationHandler', async () => {
    const cli = runCli(['--port', '0', '--rotator', './package.json']);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toMatch(
      /cannot start: --rotator \.\/package\.json does not export createRotationHandler/,
    );
  });
});
