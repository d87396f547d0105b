import { join } from 'node:path';
import { type ProcessResult, runTypeScript } from '@estate/testing';

export const PACKAGE_DIR = join(__dirname, '../..');
export const WORKSPACE = join(PACKAGE_DIR, '../..');

export type CliResult = ProcessResult;

/** Runs the CLI from source as a child process, as `pnpm estate-secrets` does. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  cwd = PACKAGE_DIR,
): Promise<CliResult> {
  return runTypeScript(join(PACKAGE_DIR, 'src/main.ts'), args, {
    cwd,
    env: { AWS_MAX_ATTEMPTS: '2', ...env },
  });
}
