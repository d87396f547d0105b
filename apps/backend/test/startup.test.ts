import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { defineSecrets, loadSecrets, SecretsLoadError, secret } from '@estate/secrets';
import { OpenaiSecret } from '@estate/secrets/catalog';
import { localAccessPolicy } from '@estate/secrets/policy';
import { type TestEnvironment, useTestEnvironment } from '@estate/testing';
import { manifest } from '../src/secrets';
import {
  adminClients,
  backendValues,
  ENV,
  putSecret,
  random,
  type SeededValues,
  seedSecrets,
} from './support/seed';

let env: TestEnvironment;
let values: SeededValues;

beforeAll(async () => {
  env = await useTestEnvironment({ secrets: { policy: localAccessPolicy([manifest], ENV) } });
  values = backendValues(env);
});

afterAll(async () => {
  await env.cleanup();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** main.ts as a child process, configured only through the environment, as in a pod. */
function startMain(onListening?: (port: number, stop: () => void) => Promise<void>): Promise<Run> {
  const child = spawn(process.execPath, ['--conditions=estate-source', '--import', 'tsx', 'src/main.ts'], {
    cwd: join(__dirname, '..'),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ESTATE_ENV: ENV,
      AWS_ENDPOINT_URL: env.secrets.endpoint.url,
      AWS_ACCESS_KEY_ID: 'local-backend',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'ap-northeast-2',
      PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let notified = false;
  let listening: Promise<void> = Promise.resolve();
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
    const match = /"port":(\d+),"msg":"listening"/.exec(stdout);
    if (match && !notified && onListening) {
      notified = true;
      listening = onListening(Number(match[1]), () => child.kill('SIGTERM'));
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`main.ts did not exit: ${stdout}${stderr}`));
    }, 45_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      listening.then(() => resolve({ code, stdout, stderr }), reject);
    });
  });
}

describe('main.ts', () => {
  it('refuses to listen without a required secret, and names it', async () => {
    const { jwt: _missing, ...others } = values;
    await seedSecrets(adminClients(env).secretsManager, others);
    const run = await startMain();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('backend: 1 secret could not be loaded');
    expect(run.stderr).toContain(`estate/${ENV}/jwt: ResourceNotFoundException`);
    expect(run.stdout).not.toContain('listening');
  });

  it('refuses a weak JWT key, says which field, and never prints the value', async () => {
    const weak = random(8);
    await seedSecrets(adminClients(env).secretsManager, { jwt: { ...values.jwt, secret: weak } });
    const run = await startMain();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`estate/${ENV}/jwt secret: ValidationError: must be at least 32 bytes`);
    expect(run.stderr + run.stdout).not.toContain(weak);
  });

  it('starts with valid secrets, serves, and exits 0 on SIGTERM', async () => {
    await putSecret(adminClients(env).secretsManager, 'jwt', values.jwt);
    const seen: number[] = [];
    const run = await startMain(async (port, stop) => {
      for (const path of ['/healthz', '/readyz']) {
        seen.push((await fetch(`http://127.0.0.1:${port}${path}`)).status);
      }
      stop();
    });
    expect(seen).toEqual([200, 200]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"msg":"stopped"');
    for (const value of [values.jwt.secret, values.database.password, values.ses.smtpPassword]) {
      expect(run.stdout + run.stderr).not.toContain(value);
    }
  });
});

describe('least privilege', () => {
  it('cannot read a secret outside the backend manifest when the endpoint enforces access', async () => {
    const admin = adminClients(env).secretsManager;
    await seedSecrets(admin, { openai: { apiKey: random() } });
    const backendClient = new SecretsManagerClient(env.secrets.clientConfig('local-backend'));
    await expect(
      backendClient.send(new GetSecretValueCommand({ SecretId: `estate/${ENV}/openai` })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });

    const greedy = defineSecrets({ service: 'backend', secrets: { openai: secret('openai', OpenaiSecret) } });
    const error = await loadSecrets(greedy, {
      env: ENV,
      aws: env.secrets.clientConfig('local-backend'),
      refreshIntervalMs: 0,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SecretsLoadError);
    expect((error as Error).message).toContain(`estate/${ENV}/openai: AccessDeniedException`);
  });
});
