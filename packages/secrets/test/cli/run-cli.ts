import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const PACKAGE_DIR = join(__dirname, '../..');
// By URL, so the child finds tsx whatever its working directory.
const TSX = pathToFileURL(require.resolve('tsx')).href;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI from source as a child process, as `pnpm cli` does. Asynchronous on purpose: the
 * local endpoint runs in this process and must keep answering while the child waits on it.
 */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  cwd = PACKAGE_DIR,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=estate-source', '--import', TSX, join(PACKAGE_DIR, 'src/cli/main.ts'), ...args],
      {
        cwd,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          AWS_REGION: 'ap-northeast-2',
          AWS_ACCESS_KEY_ID: 'local-admin',
          AWS_SECRET_ACCESS_KEY: 'local',
          // No shared config or credential files from the machine running the tests.
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_MAX_ATTEMPTS: '2',
          NODE_NO_WARNINGS: '1',
          ...env,
        },
      },
    );
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
