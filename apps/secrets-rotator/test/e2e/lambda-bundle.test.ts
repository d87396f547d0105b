import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { catalog } from '@estate/secrets/catalog';
import {
  createSecret,
  enableRotation,
  type RotatorEndpoint,
  stagesOf,
  useRotatorEndpoint,
} from '../support/secrets';

const run = promisify(execFile);
const APP = join(__dirname, '../..');

let local: RotatorEndpoint;
let dir: string;
beforeAll(async () => {
  local = await useRotatorEndpoint();
  dir = mkdtempSync(join(tmpdir(), 'estate-rotator-lambda-'));
});
afterAll(async () => {
  await local.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('the Lambda bundle (dist/lambda.js, handler lambda.handler)', () => {
  it('is self-contained and runs the four steps with the SDK configured by the environment', async () => {
    await run(process.execPath, [join(APP, 'scripts/bundle-lambda.js'), join(dir, 'lambda.js')]);
    const v0 = await createSecret(local.client, 'estate/dev/jwt', catalog.jwt.dev());
    await enableRotation(local.client, 'estate/dev/jwt');
    const token = '0f8c4a4e-6d0a-4d43-a0a7-2f6ad1c4a9b1';
    // As the Lambda runtime would: only the zip's directory, no workspace node_modules to fall back on.
    const invoke = `const { handler } = require('./lambda.js');
      (async () => { for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'])
        await handler({ SecretId: 'estate/dev/jwt', ClientRequestToken: '${token}', Step }); })()
        .catch((error) => { console.error(error.name); process.exitCode = 1; });`;
    const result = await run(process.execPath, ['-e', invoke], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        AWS_REGION: 'ap-northeast-2',
        AWS_ACCESS_KEY_ID: 'local-admin',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: local.target.endpoint.url,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        NODE_PATH: '',
      },
    });
    expect(result.stderr).toBe('');
    expect(await stagesOf(local.client, 'estate/dev/jwt')).toEqual({
      [token]: ['AWSCURRENT'],
      [v0]: ['AWSPREVIOUS'],
    });
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).msg),
    ).toContain('finishSecret: done');
  }, 60_000);
});
