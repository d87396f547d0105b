import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const WORKSPACE = join(__dirname, '../../../..');
const TSX = pathToFileURL(require.resolve('tsx')).href;

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a TypeScript entry from source in a child process. Asynchronous on purpose: the local
 * endpoint (and the rotator behind it) run in this process and must keep answering.
 */
export function runTypeScript(
  entry: string,
  args: string[],
  env: Record<string, string>,
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=estate-source', '--import', TSX, entry, ...args], {
      cwd: WORKSPACE,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        AWS_REGION: 'ap-northeast-2',
        AWS_ACCESS_KEY_ID: 'local-admin',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        NODE_NO_WARNINGS: '1',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
