import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

// By URL, so the child finds tsx whatever its working directory.
const TSX = pathToFileURL(require.resolve('tsx')).href;

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a TypeScript entry from source in a child process (`node --conditions=estate-source
 * --import tsx`), with a clean AWS environment: the admin key of the local endpoint, no shared
 * config or credential files of the machine. Asynchronous on purpose: a local endpoint running in
 * the test process must keep answering while the child waits on it.
 */
export function runTypeScript(
  entry: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=estate-source', '--import', TSX, entry, ...args], {
      cwd: options.cwd,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        AWS_REGION: 'ap-northeast-2',
        AWS_ACCESS_KEY_ID: 'local-admin',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        NODE_NO_WARNINGS: '1',
        ...options.env,
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
