import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { ADMIN, REGION, randomValue, withTempDir } from '../support/local-endpoint';

const PACKAGE_DIR = join(__dirname, '..', '..');

function runCli(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--conditions=estate-source', '--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: PACKAGE_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function output(child: ChildProcess): { stdout: () => string; stderr: () => string } {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  return { stdout: () => stdout, stderr: () => stderr };
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

async function waitForUrl(child: ChildProcess, stdout: () => string): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const match = /listening on (http:\/\/\S+)/.exec(stdout());
    if (match) return match[1]!;
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the CLI did not print its URL: ${stdout()}`);
}

describe('estate-secrets-local CLI', () => {
  it('listens on an ephemeral port, serves the SDK, applies --fault, stops on SIGTERM', () =>
    withTempDir(async (dir) => {
      const dataFile = join(dir, 'secrets.json');
      const child = runCli(['--port', '0', '--data', dataFile, '--fault', 'latency:latencyMs=1']);
      const io = output(child);
      const exited = exitOf(child);
      const url = await waitForUrl(child, io.stdout);
      expect(io.stdout()).toContain(dataFile);

      const client = new SecretsManagerClient({
        endpoint: url,
        region: REGION,
        credentials: { accessKeyId: ADMIN, secretAccessKey: 'local' },
      });
      const value = randomValue();
      await client.send(new CreateSecretCommand({ Name: 'estate/dev/jwt', SecretString: value }));
      expect(
        (await client.send(new GetSecretValueCommand({ SecretId: 'estate/dev/jwt' }))).SecretString,
      ).toBe(value);
      client.destroy();
      const faults = (await (await fetch(`${url}/__faults`)).json()) as { faults: unknown[] };
      expect(faults.faults).toEqual([{ kind: 'latency', latencyMs: 1 }]);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }));

  it('exits 2 with a clear message on a bad flag', async () => {
    const child = runCli(['--port', 'not-a-port']);
    const io = output(child);
    expect(await exitOf(child)).toBe(2);
    expect(io.stderr()).toContain('--port must be an integer');
  });

  it('exits 2 on a malformed --fault', async () => {
    const child = runCli(['--fault', 'explode']);
    const io = output(child);
    expect(await exitOf(child)).toBe(2);
    expect(io.stderr()).toContain('bad fault rule');
  });

  it('exits 1 with one line on a corrupt data file', () =>
    withTempDir(async (dir) => {
      const dataFile = join(dir, 'secrets.json');
      await writeFile(dataFile, 'not json');
      const child = runCli(['--port', '0', '--data', dataFile]);
      const io = output(child);
      expect(await exitOf(child)).toBe(1);
      expect(io.stderr().trim().split('\n')).toHaveLength(1);
      expect(io.stderr()).toContain(`data file ${dataFile}: is not valid JSON`);
    }));

  it('exits 1 when the port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const child = runCli(['--port', String(port)]);
    const io = output(child);
    expect(await exitOf(child)).toBe(1);
    expect(io.stderr()).toContain(`port ${port} is already in use`);
    await new Promise((resolve) => blocker.close(resolve));
  });
});
